//! The weekly-hours form the settings page (business hours) and a user's page (their
//! schedule) share: a time zone and, for each day, a few `from`–`to` intervals, posted as
//! plain fields (`mon_from_1`, `mon_to_1`…) so it works without JavaScript.
//!
//! The service names a bad interval by its place in the list it was given
//! (`business_hours.weekly[3].to`); [`WeekForm::input`] remembers which cell each list entry
//! came from, and [`WeekForm::place_error`] puts the message back beside that cell.

use std::collections::HashMap;

use switchboard_core::ValidationError;
use switchboard_core::schedule::{Hours, HoursInput, IntervalInput};

const DAYS: [(&str, &str); 7] = [
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
];

/// Intervals offered per day (more when the hours already have more).
const SLOTS: usize = 2;

/// One `from`–`to` pair of inputs (`mon_from_1`, `mon_to_1`: named by the row and place).
pub(crate) struct Slot {
    pub from: String,
    pub to: String,
    /// Which of the two inputs is at fault: `from`, `to` or "".
    pub invalid: &'static str,
}

impl Slot {
    fn new(from: String, to: String) -> Self {
        Self {
            from,
            to,
            invalid: "",
        }
    }
}

/// One day's row.
pub(crate) struct DayRow {
    pub day: &'static str,
    /// The day's English name, in the messages about its intervals (which quote the
    /// service's refusal, in English); the form shows `week-day` in the reader's language.
    pub label: &'static str,
    pub slots: Vec<Slot>,
    /// The row's error, shown under it ("" when none).
    pub error: String,
}

/// The form as shown or as posted.
pub(crate) struct WeekForm {
    /// What the hours are, and the two choices: none, or these (in the reader's language).
    pub legend: String,
    pub off_label: String,
    pub on_label: String,
    /// Whether the hours apply (unticked: none — always open, or no schedule).
    pub enabled: bool,
    pub timezone: String,
    pub timezone_error: String,
    pub days: Vec<DayRow>,
    /// One date per line (business hours only).
    pub holidays: String,
    pub holidays_error: String,
}

impl WeekForm {
    /// The form showing `hours` (`None`: unticked, with empty rows to fill).
    pub fn from_hours(hours: Option<&Hours>) -> Self {
        let weekly = hours.map(Hours::weekly).unwrap_or_default();
        Self::with_rows(|day| {
            let mut slots: Vec<Slot> = weekly
                .iter()
                .filter(|i| i.day_name() == day)
                .map(|i| Slot::new(i.from_text(), i.to_text()))
                .collect();
            while slots.len() < SLOTS {
                slots.push(Slot::new(String::new(), String::new()));
            }
            slots
        })
        .with(
            hours.is_some(),
            hours.map_or("UTC", Hours::timezone).to_owned(),
            hours
                .map(|h| {
                    h.holidays()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default(),
        )
    }

    /// The form as posted (`fields`: every field of the request).
    pub fn from_fields(fields: &HashMap<String, String>) -> Self {
        let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
        Self::with_rows(|day| {
            let mut slots = Vec::new();
            for n in 1.. {
                let (from, to) = (format!("{day}_from_{n}"), format!("{day}_to_{n}"));
                if n > SLOTS && !fields.contains_key(&from) && !fields.contains_key(&to) {
                    break;
                }
                slots.push(Slot::new(get(&from), get(&to)));
            }
            slots
        })
        .with(
            fields.get("hours").is_some_and(|v| v == "on"),
            get("timezone"),
            get("holidays"),
        )
    }

    /// A form with a row per day, each with the slots `slots` gives for it.
    fn with_rows(slots: impl Fn(&'static str) -> Vec<Slot>) -> Self {
        Self {
            legend: String::new(),
            off_label: String::new(),
            on_label: String::new(),
            enabled: false,
            timezone: String::new(),
            timezone_error: String::new(),
            days: DAYS
                .iter()
                .map(|(day, label)| DayRow {
                    day,
                    label,
                    slots: slots(day),
                    error: String::new(),
                })
                .collect(),
            holidays: String::new(),
            holidays_error: String::new(),
        }
    }

    fn with(mut self, enabled: bool, timezone: String, holidays: String) -> Self {
        self.enabled = enabled;
        self.timezone = timezone;
        self.holidays = holidays;
        self
    }

    /// The form's words: its legend and its two choices (no hours, these hours).
    pub fn labelled(mut self, legend: String, off_label: String, on_label: String) -> Self {
        self.legend = legend;
        self.off_label = off_label;
        self.on_label = on_label;
        self
    }

    /// Time zone names for the picker.
    pub fn zones(&self) -> impl Iterator<Item = &'static str> {
        switchboard_core::schedule::zone_names()
    }

    /// What the form asks for (`None`: no hours), and for each interval in it the
    /// (row, slot) it came from. Slots left empty are no interval.
    pub fn input(&self) -> (Option<HoursInput>, Vec<(usize, usize)>) {
        if !self.enabled {
            return (None, Vec::new());
        }
        let mut weekly = Vec::new();
        let mut cells = Vec::new();
        for (r, row) in self.days.iter().enumerate() {
            for (s, slot) in row.slots.iter().enumerate() {
                if slot.from.trim().is_empty() && slot.to.trim().is_empty() {
                    continue;
                }
                weekly.push(IntervalInput {
                    day: row.day.to_owned(),
                    from: slot.from.clone(),
                    to: slot.to.clone(),
                });
                cells.push((r, s));
            }
        }
        let holidays = self
            .holidays
            .split(['\n', ',', ' ', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let input = HoursInput {
            timezone: self.timezone.clone(),
            weekly,
            holidays,
        };
        (Some(input), cells)
    }

    /// Puts a refusal of the hours beside its field; false when it is not about them.
    /// `prefix`: how the service names the hours (`business_hours`, or "" for a schedule).
    pub fn place_error(
        &mut self,
        prefix: &str,
        cells: &[(usize, usize)],
        err: &ValidationError,
    ) -> bool {
        let field = match prefix {
            "" => err.field.as_str(),
            p => match err
                .field
                .strip_prefix(p)
                .and_then(|rest| rest.strip_prefix('.'))
            {
                Some(rest) => rest,
                None => return false,
            },
        };
        if field == "timezone" {
            self.timezone_error = format!("Time zone {}.", err.message);
            return true;
        }
        if field.starts_with("holidays") {
            let which = field
                .strip_prefix("holidays[")
                .and_then(|r| r.strip_suffix(']'))
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| self.input().0?.holidays.get(i).cloned());
            self.holidays_error = match which {
                Some(date) => format!("Holiday “{date}” {}.", err.message),
                None => format!("Holidays {}.", err.message),
            };
            return true;
        }
        if field == "weekly" {
            if let Some(row) = self.days.first_mut() {
                row.error = format!("The week {}.", err.message);
            }
            return true;
        }
        let Some((index, part)) = field
            .strip_prefix("weekly[")
            .and_then(|r| r.split_once("]."))
        else {
            return false;
        };
        let Some(&(r, s)) = index.parse::<usize>().ok().and_then(|i| cells.get(i)) else {
            return false;
        };
        let Some(row) = self.days.get_mut(r) else {
            return false;
        };
        // "overlaps weekly[0] (mon 09:00–12:00); …" reads, on a form, "overlaps mon 09:00–12:00".
        let message = match (err.message.find('('), err.message.find(')')) {
            (Some(a), Some(b)) if err.message.starts_with("overlaps") && a < b => {
                format!("overlaps {} of the same day", &err.message[a + 1..b])
            }
            _ => err.message.clone(),
        };
        row.error = format!("{}, {part}: {message}.", row.label);
        if let Some(slot) = row.slots.get_mut(s) {
            slot.invalid = if part == "to" { "to" } else { "from" };
        }
        true
    }
}
