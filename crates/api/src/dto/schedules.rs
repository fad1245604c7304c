//! Business hours and agents' schedules (SPEC §12.1): weekly intervals on the wall clock of
//! a named IANA time zone. Requests carry strings, so that every check (and the field it
//! names, like `business_hours.weekly[2].to`) is the service's.

use poem_openapi::Object;
use switchboard_core::schedule::{Hours, HoursInput, IntervalInput};

use crate::text::{Checked, Date, EndOfInterval, Keyword, TimeOfDay, TimeZoneName, Weekdays};

/// One opening interval of a weekday, `[from, to)` on the zone's wall clock.
#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct WeeklyInterval {
    /// `mon`, `tue`, `wed`, `thu`, `fri`, `sat` or `sun`.
    pub day: Keyword<Weekdays>,
    /// `HH:MM`, 00:00–23:59.
    pub from: Checked<TimeOfDay>,
    /// `HH:MM`, after `from`; `24:00`: until midnight. Hours past midnight are two intervals.
    pub to: Checked<EndOfInterval>,
}

/// When live chat is open. Outside these hours a visitor who asks for an agent gets the
/// fallback with reason `outside_hours` and the `outside_hours_message`.
#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct BusinessHours {
    /// An IANA time zone name, e.g. `Europe/Paris`; daylight-saving time is followed.
    pub timezone: TimeZoneName,
    /// At most 50 intervals; intervals of one day must not overlap. `[]`: never open.
    pub weekly: Vec<WeeklyInterval>,
    /// Whole local days closed, `YYYY-MM-DD` (at most 366).
    #[oai(default)]
    pub holidays: Vec<Checked<Date>>,
}

/// An agent's weekly schedule: inside it they are `available`, outside it `away`. A manual
/// availability change (`PUT /me/availability`) holds until the schedule's next boundary.
#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct Schedule {
    /// An IANA time zone name, e.g. `America/New_York`; daylight-saving time is followed.
    pub timezone: TimeZoneName,
    /// At most 50 intervals; intervals of one day must not overlap. `[]`: always away.
    pub weekly: Vec<WeeklyInterval>,
}

fn intervals_in(weekly: Vec<WeeklyInterval>) -> Vec<IntervalInput> {
    weekly
        .into_iter()
        .map(|i| IntervalInput {
            day: i.day.0,
            from: i.from.0,
            to: i.to.0,
        })
        .collect()
}

fn intervals_out(input: Vec<IntervalInput>) -> Vec<WeeklyInterval> {
    input
        .into_iter()
        .map(|i| WeeklyInterval {
            day: Keyword::new(i.day),
            from: Checked::new(i.from),
            to: Checked::new(i.to),
        })
        .collect()
}

impl From<BusinessHours> for HoursInput {
    fn from(b: BusinessHours) -> Self {
        Self {
            timezone: b.timezone.0,
            weekly: intervals_in(b.weekly),
            holidays: b.holidays.into_iter().map(|t| t.0).collect(),
        }
    }
}

impl From<&Hours> for BusinessHours {
    fn from(h: &Hours) -> Self {
        let input = h.input();
        Self {
            timezone: TimeZoneName::new(input.timezone),
            weekly: intervals_out(input.weekly),
            holidays: input.holidays.into_iter().map(Checked::new).collect(),
        }
    }
}

impl From<Schedule> for HoursInput {
    fn from(s: Schedule) -> Self {
        Self {
            timezone: s.timezone.0,
            weekly: intervals_in(s.weekly),
            holidays: Vec::new(),
        }
    }
}

impl From<&Hours> for Schedule {
    fn from(h: &Hours) -> Self {
        let input = h.input();
        Self {
            timezone: TimeZoneName::new(input.timezone),
            weekly: intervals_out(input.weekly),
        }
    }
}
