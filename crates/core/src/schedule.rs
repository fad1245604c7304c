//! Weekly hours in a named IANA time zone (SPEC §12.1): a tenant's business hours (with
//! holidays) and an agent's schedule (without). Intervals are local wall-clock time: across a
//! daylight-saving change "09:00–17:00" still means 9 to 17 on the clock in that zone, so the
//! day is 23 or 25 hours long but the interval is not moved.
//!
//! Everything here is a pure function of an instant: the callers pass `at`, so tests (and
//! the dry run) can ask about any moment. [`Hours::parse`] is the only way to get a value,
//! so an invalid zone, time or interval never exists past the edge; [`Hours::input`] is the
//! canonical form stored and served (intervals sorted by day and start, holidays sorted).

use std::collections::BTreeSet;
use std::fmt;

use chrono::{
    DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike,
    Utc, Weekday,
};
use chrono_tz::Tz;

use crate::ValidationError;
use crate::lifecycle::Availability;

/// Most intervals one week may have.
pub const MAX_INTERVALS: usize = 50;
/// Most holidays business hours may list.
pub const MAX_HOLIDAYS: usize = 366;
/// What a visitor reads outside business hours when the tenant wrote nothing of its own.
pub const DEFAULT_OUTSIDE_HOURS_MESSAGE: &str = "Thanks for reaching out! We are outside our business hours right now, so no agent can chat. Please come back during our opening hours, or leave us your details and we will get back to you.";

/// A time of day as the API documents it (`from`), checked as [`parse_time`] does.
pub const TIME_OF_DAY_PATTERN: &str = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
/// The end of an interval (`to`): a time of day, or `24:00`; `00:00` is never after `from`.
pub const END_OF_INTERVAL_PATTERN: &str = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$";
/// A holiday, `YYYY-MM-DD`.
pub const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

const MINUTES_PER_DAY: u16 = 24 * 60;
const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// One interval as a client writes it: `day` is `mon`..`sun`, `from`/`to` are `HH:MM`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IntervalInput {
    pub day: String,
    pub from: String,
    pub to: String,
}

/// Weekly hours as a client writes them (and as they are stored, once canonical).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HoursInput {
    pub timezone: String,
    pub weekly: Vec<IntervalInput>,
    /// Whole local days closed (`YYYY-MM-DD`); business hours only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<String>,
}

/// One opening interval of a weekday, `[from, to)` in minutes since local midnight
/// (`to` may be 1440: until midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub day: Weekday,
    pub from: u16,
    pub to: u16,
}

impl Interval {
    pub fn day_name(&self) -> &'static str {
        DAY_NAMES[self.day.num_days_from_monday() as usize]
    }

    pub fn from_text(&self) -> String {
        hhmm(self.from)
    }

    pub fn to_text(&self) -> String {
        hhmm(self.to)
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}–{}",
            self.day_name(),
            hhmm(self.from),
            hhmm(self.to)
        )
    }
}

/// Validated weekly hours: open inside one of `weekly`'s intervals on a day that is not a
/// holiday, closed otherwise. No interval at all: always closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hours {
    timezone: Tz,
    /// Sorted by day (Monday first), then start; no two overlap.
    weekly: Vec<Interval>,
    holidays: BTreeSet<NaiveDate>,
}

fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `field` under `prefix` (`business_hours.timezone`), or alone when there is no prefix
/// (a schedule is the whole body of its request).
fn named(prefix: &str, field: &str) -> String {
    if prefix.is_empty() {
        field.to_owned()
    } else {
        format!("{prefix}.{field}")
    }
}

/// `HH:MM` as minutes since midnight; `24:00` only when `end` (the end of an interval).
/// Exactly as documented: no spaces around.
fn parse_time(raw: &str, end: bool) -> Option<u16> {
    let b = raw.as_bytes();
    if b.len() != 5 || b[2] != b':' {
        return None;
    }
    let digits = [b[0], b[1], b[3], b[4]];
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let [h1, h2, m1, m2] = digits.map(|d| u16::from(d - b'0'));
    let (h, m) = (h1 * 10 + h2, m1 * 10 + m2);
    match (h, m) {
        (24, 0) if end => Some(MINUTES_PER_DAY),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

fn parse_day(raw: &str) -> Option<Weekday> {
    let i = DAY_NAMES.iter().position(|d| *d == raw)?;
    Weekday::try_from(u8::try_from(i).ok()?).ok()
}

impl Hours {
    /// Validates hours as a client wrote them. Errors name the field under `prefix`
    /// (`business_hours.weekly[2].to`; no prefix: `weekly[2].to`).
    pub fn parse(prefix: &str, input: &HoursInput) -> Result<Self, ValidationError> {
        let timezone: Tz = input.timezone.parse().map_err(|_| {
            ValidationError::new(
                named(prefix, "timezone"),
                "must be an IANA time zone name, such as Europe/Paris",
            )
        })?;
        if input.weekly.len() > MAX_INTERVALS {
            return Err(ValidationError::new(
                named(prefix, "weekly"),
                format!("must have at most {MAX_INTERVALS} intervals"),
            ));
        }
        let mut weekly = Vec::with_capacity(input.weekly.len());
        for (i, raw) in input.weekly.iter().enumerate() {
            let field = |f: &str| named(prefix, &format!("weekly[{i}].{f}"));
            let day = parse_day(&raw.day).ok_or_else(|| {
                ValidationError::new(
                    field("day"),
                    "must be one of: mon, tue, wed, thu, fri, sat, sun",
                )
            })?;
            let from = parse_time(&raw.from, false).ok_or_else(|| {
                ValidationError::new(
                    field("from"),
                    "must be a time of day as HH:MM, 00:00 to 23:59",
                )
            })?;
            let to = parse_time(&raw.to, true).ok_or_else(|| {
                ValidationError::new(
                    field("to"),
                    "must be a time of day as HH:MM, 00:01 to 24:00",
                )
            })?;
            if to <= from {
                return Err(ValidationError::new(
                    field("to"),
                    "must be after from (hours past midnight are two intervals: until 24:00, then from 00:00 the next day)",
                ));
            }
            weekly.push((Interval { day, from, to }, i));
        }
        weekly.sort_by_key(|(w, i)| (w.day.num_days_from_monday(), w.from, w.to, *i));
        for pair in weekly.windows(2) {
            let ((a, ai), (b, bi)) = (pair[0], pair[1]);
            if a.day == b.day && b.from < a.to {
                // Name the one written later, so the message points at the newer mistake.
                let (later, earlier) = if bi > ai {
                    (bi, (a, ai))
                } else {
                    (ai, (b, bi))
                };
                return Err(ValidationError::new(
                    named(prefix, &format!("weekly[{later}].from")),
                    format!(
                        "overlaps weekly[{}] ({}); intervals of one day must not overlap",
                        earlier.1, earlier.0
                    ),
                ));
            }
        }
        if input.holidays.len() > MAX_HOLIDAYS {
            return Err(ValidationError::new(
                named(prefix, "holidays"),
                format!("must list at most {MAX_HOLIDAYS} dates"),
            ));
        }
        let mut holidays = BTreeSet::new();
        for (i, raw) in input.holidays.iter().enumerate() {
            // `YYYY-MM-DD` exactly (chrono alone also takes signs and short fields).
            let shaped = raw.len() == 10
                && raw.bytes().enumerate().all(|(i, b)| match i {
                    4 | 7 => b == b'-',
                    _ => b.is_ascii_digit(),
                });
            let date = shaped
                .then(|| NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok())
                .flatten()
                .ok_or_else(|| {
                    ValidationError::new(
                        named(prefix, &format!("holidays[{i}]")),
                        "must be a date as YYYY-MM-DD",
                    )
                })?;
            holidays.insert(date);
        }
        Ok(Self {
            timezone,
            weekly: weekly.into_iter().map(|(w, _)| w).collect(),
            holidays,
        })
    }

    /// The canonical form: what is stored and what the API answers.
    pub fn input(&self) -> HoursInput {
        HoursInput {
            timezone: self.timezone.name().to_owned(),
            weekly: self
                .weekly
                .iter()
                .map(|i| IntervalInput {
                    day: i.day_name().to_owned(),
                    from: hhmm(i.from),
                    to: hhmm(i.to),
                })
                .collect(),
            holidays: self.holidays.iter().map(|d| d.to_string()).collect(),
        }
    }

    /// The same hours without holidays (an agent's schedule has none).
    pub fn without_holidays(mut self) -> Self {
        self.holidays.clear();
        self
    }

    /// The zone the hours are in.
    pub fn zone(&self) -> Tz {
        self.timezone
    }

    pub fn timezone(&self) -> &'static str {
        self.timezone.name()
    }

    pub fn weekly(&self) -> &[Interval] {
        &self.weekly
    }

    pub fn holidays(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.holidays.iter().copied()
    }

    /// Whether `at` falls inside the hours, read on the zone's wall clock.
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&self.timezone);
        if self.holidays.contains(&local.date_naive()) {
            return false;
        }
        let day = local.weekday();
        // Seconds do not matter: every boundary is on a whole minute.
        let minute = u16::try_from(local.hour() * 60 + local.minute()).unwrap_or(0);
        self.weekly
            .iter()
            .any(|i| i.day == day && i.from <= minute && minute < i.to)
    }

    /// The first instant after `at` at which [`Hours::is_open`] changes, or `None` when it
    /// never does (no interval, or every minute of the week open and no holiday ahead).
    pub fn next_boundary(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        // A week repeats (plus a day either side for the zone's offset); each holiday can
        // push the next opening at most a week further.
        let near = self.boundary_within(at, 8);
        if near.is_some() || self.holidays.is_empty() {
            return near;
        }
        let days = 8 + 7 * u64::try_from(self.holidays.len()).unwrap_or(u64::MAX / 8);
        self.boundary_within(at, days)
    }

    fn boundary_within(&self, at: DateTime<Utc>, days: u64) -> Option<DateTime<Utc>> {
        let open = self.is_open(at);
        let first = at
            .with_timezone(&self.timezone)
            .date_naive()
            .checked_sub_days(Days::new(1))?;
        let mut candidates = Vec::new();
        for n in 0..=days {
            let Some(date) = first.checked_add_days(Days::new(n)) else {
                break;
            };
            // The state can change only where the wall clock crosses a midnight (a holiday,
            // another weekday) or the start or end of an interval.
            let mut marks = vec![0];
            for i in self.weekly.iter().filter(|i| i.day == date.weekday()) {
                marks.push(i.from);
                if i.to < MINUTES_PER_DAY {
                    marks.push(i.to);
                }
            }
            for m in marks {
                let Some(time) = NaiveTime::from_hms_opt(u32::from(m / 60), u32::from(m % 60), 0)
                else {
                    continue;
                };
                candidates.extend(self.instants_of(date.and_time(time)));
            }
        }
        candidates.retain(|t| *t > at);
        candidates.sort();
        candidates.dedup();
        candidates.into_iter().find(|t| self.is_open(*t) != open)
    }

    /// The instants at which the zone's wall clock reads `local`: one, two in the hour
    /// repeated when clocks go back, or — in the hour skipped when they go forward — the
    /// instant the clock jumps past it (when the wall clock first reads later than `local`).
    fn instants_of(&self, local: NaiveDateTime) -> Vec<DateTime<Utc>> {
        match self.timezone.from_local_datetime(&local) {
            LocalResult::Single(t) => vec![t.with_timezone(&Utc)],
            LocalResult::Ambiguous(a, b) => vec![a.with_timezone(&Utc), b.with_timezone(&Utc)],
            LocalResult::None => self.first_reading_at_or_after(local).into_iter().collect(),
        }
    }

    /// The first instant whose wall-clock reading is `local` or later, searched within 15
    /// hours either side (every zone's offset is within that).
    fn first_reading_at_or_after(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        let instant = |secs: i64| DateTime::<Utc>::from_timestamp(secs, 0);
        let reads_later = |secs: i64| {
            instant(secs).is_some_and(|t| t.with_timezone(&self.timezone).naive_local() >= local)
        };
        let guess = local.and_utc().timestamp();
        let (mut lo, mut hi) = (guess.checked_sub(15 * 3600)?, guess.checked_add(15 * 3600)?);
        if reads_later(lo) || !reads_later(hi) {
            return None;
        }
        // Whole seconds: lo never reads later, hi always does.
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if reads_later(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        instant(hi)
    }
}

/// Every time zone name the compiled-in database knows, for pickers.
pub fn zone_names() -> impl Iterator<Item = &'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|z| z.name())
}

/// A far instant standing for "until the schedule changes": a manual availability change
/// over a schedule that never changes state has no boundary to last until.
pub fn until_changed() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(9999, 12, 31)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(DateTime::<Utc>::MAX_UTC, |t| Utc.from_utc_datetime(&t))
}

/// How long a manual availability change made at `at` holds over `schedule`: until its next
/// boundary, or until the schedule changes when it has none.
pub fn override_until(schedule: &Hours, at: DateTime<Utc>) -> DateTime<Utc> {
    schedule.next_boundary(at).unwrap_or_else(until_changed)
}

/// An agent's availability at `at` (SPEC §12.1): what they chose (`chosen`) while a manual
/// change holds (`override_until` later than `at`) or when they have no schedule; else
/// `available` inside their schedule and `away` outside it.
pub fn scheduled_availability(
    chosen: Availability,
    schedule: Option<&Hours>,
    override_until: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> Availability {
    match schedule {
        None => chosen,
        Some(_) if override_until.is_some_and(|until| until > at) => chosen,
        Some(s) if s.is_open(at) => Availability::Available,
        Some(_) => Availability::Away,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use proptest::prelude::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn interval(day: &str, from: &str, to: &str) -> IntervalInput {
        IntervalInput {
            day: day.into(),
            from: from.into(),
            to: to.into(),
        }
    }

    fn hours(tz: &str, weekly: &[(&str, &str, &str)], holidays: &[&str]) -> Hours {
        Hours::parse(
            "business_hours",
            &HoursInput {
                timezone: tz.into(),
                weekly: weekly.iter().map(|(d, f, t)| interval(d, f, t)).collect(),
                holidays: holidays.iter().map(|h| (*h).into()).collect(),
            },
        )
        .unwrap()
    }

    fn every_day(tz: &str, from: &str, to: &str) -> Hours {
        let week: Vec<_> = DAY_NAMES.iter().map(|d| (*d, from, to)).collect();
        hours(tz, &week, &[])
    }

    fn refused(input: HoursInput) -> ValidationError {
        Hours::parse("business_hours", &input).unwrap_err()
    }

    fn input(weekly: Vec<IntervalInput>) -> HoursInput {
        HoursInput {
            timezone: "Europe/Paris".into(),
            weekly,
            holidays: vec![],
        }
    }

    #[test]
    fn an_unknown_time_zone_is_refused_by_name() {
        let e = refused(HoursInput {
            timezone: "Mars/Olympus_Mons".into(),
            ..input(vec![])
        });
        assert_eq!(e.field, "business_hours.timezone");
    }

    #[test]
    fn bad_days_and_times_are_refused_naming_the_interval() {
        let cases = [
            (
                interval("monday", "09:00", "17:00"),
                "business_hours.weekly[1].day",
            ),
            (
                interval("mon", "9:00", "17:00"),
                "business_hours.weekly[1].from",
            ),
            (
                interval("mon", "24:00", "24:00"),
                "business_hours.weekly[1].from",
            ),
            (
                interval("mon", "09:60", "17:00"),
                "business_hours.weekly[1].from",
            ),
            (
                interval("mon", "09:00", "24:01"),
                "business_hours.weekly[1].to",
            ),
            (
                interval("mon", "09:00", "1700"),
                "business_hours.weekly[1].to",
            ),
            (
                interval("mon", "+9:00", "17:00"),
                "business_hours.weekly[1].from",
            ),
        ];
        for (bad, field) in cases {
            let e = refused(input(vec![interval("sun", "10:00", "12:00"), bad.clone()]));
            assert_eq!(e.field, field, "{bad:?}");
        }
    }

    #[test]
    fn a_reversed_or_empty_interval_is_refused_on_its_end() {
        for (from, to) in [("17:00", "09:00"), ("09:00", "09:00"), ("22:00", "02:00")] {
            let e = refused(input(vec![
                interval("mon", "06:00", "07:00"),
                interval("tue", "06:00", "07:00"),
                interval("wed", from, to),
            ]));
            assert_eq!(e.field, "business_hours.weekly[2].to");
            assert!(e.message.contains("after from"), "{}", e.message);
        }
    }

    #[test]
    fn overlapping_intervals_of_a_day_are_refused_naming_the_later_one() {
        let e = refused(input(vec![
            interval("mon", "09:00", "12:00"),
            interval("tue", "11:00", "18:00"),
            interval("mon", "11:30", "18:00"),
        ]));
        assert_eq!(e.field, "business_hours.weekly[2].from");
        assert!(e.message.contains("weekly[0]"), "{}", e.message);
        // Written in the other order, the later one is still the one named.
        let e = refused(input(vec![
            interval("mon", "11:30", "18:00"),
            interval("mon", "09:00", "12:00"),
        ]));
        assert_eq!(e.field, "business_hours.weekly[1].from");
        // Touching is not overlapping; the same hours on two days neither.
        let ok = Hours::parse(
            "",
            &input(vec![
                interval("mon", "09:00", "12:00"),
                interval("mon", "12:00", "18:00"),
                interval("tue", "09:00", "12:00"),
            ]),
        );
        assert!(ok.is_ok());
    }

    #[test]
    fn too_many_intervals_or_holidays_and_bad_dates_are_refused() {
        let many = vec![interval("mon", "09:00", "09:01"); MAX_INTERVALS + 1];
        assert_eq!(refused(input(many)).field, "business_hours.weekly");
        let mut h = input(vec![]);
        h.holidays = vec!["2026-12-25".into(); MAX_HOLIDAYS + 1];
        assert_eq!(refused(h).field, "business_hours.holidays");
        for bad in ["2026-02-30", "25/12/2026", "2026-1-05", "", "+2026-12-25"] {
            let mut h = input(vec![]);
            h.holidays = vec!["2026-12-24".into(), bad.into()];
            assert_eq!(refused(h).field, "business_hours.holidays[1]", "{bad}");
        }
    }

    #[test]
    fn without_a_prefix_fields_are_named_as_the_body_has_them() {
        let e = Hours::parse(
            "",
            &HoursInput {
                timezone: "Nowhere".into(),
                ..HoursInput::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.field, "timezone");
    }

    #[test]
    fn the_canonical_form_is_sorted_and_round_trips() {
        let h = hours(
            "America/New_York",
            &[("fri", "13:00", "24:00"), ("mon", "09:00", "12:00")],
            &["2026-12-25", "2026-01-01", "2026-12-25"],
        );
        let canonical = h.input();
        assert_eq!(canonical.weekly[0], interval("mon", "09:00", "12:00"));
        assert_eq!(canonical.weekly[1], interval("fri", "13:00", "24:00"));
        assert_eq!(canonical.holidays, ["2026-01-01", "2026-12-25"]);
        assert_eq!(Hours::parse("", &canonical).unwrap(), h);
        let json = serde_json::to_value(&canonical).unwrap();
        let back: HoursInput = serde_json::from_value(json).unwrap();
        assert_eq!(back, canonical);
    }

    #[test]
    fn open_inside_an_interval_on_the_local_clock_and_closed_outside() {
        // Europe/Paris in December is UTC+1; 2026-12-02 is a Wednesday.
        let h = hours("Europe/Paris", &[("wed", "09:00", "17:00")], &[]);
        assert!(!h.is_open(utc("2026-12-02T07:59:59Z")));
        assert!(h.is_open(utc("2026-12-02T08:00:00Z")));
        assert!(h.is_open(utc("2026-12-02T15:59:59Z")));
        assert!(!h.is_open(utc("2026-12-02T16:00:00Z")));
        assert!(!h.is_open(utc("2026-12-03T09:00:00Z")));
    }

    #[test]
    fn a_holiday_closes_the_whole_local_day() {
        let h = hours(
            "Europe/Paris",
            &[("fri", "00:00", "24:00")],
            &["2026-12-25"],
        );
        // 2026-12-24T23:30Z is already the 25th in Paris.
        assert!(!h.is_open(utc("2026-12-24T23:30:00Z")));
        assert!(!h.is_open(utc("2026-12-25T12:00:00Z")));
        assert!(h.is_open(utc("2027-01-01T12:00:00Z")));
        assert_eq!(
            h.next_boundary(utc("2026-12-25T12:00:00Z")),
            Some(utc("2027-01-01T00:00:00+01:00"))
        );
    }

    #[test]
    fn no_intervals_is_always_closed_and_has_no_boundary() {
        let h = hours("UTC", &[], &[]);
        assert!(!h.is_open(utc("2026-12-02T12:00:00Z")));
        assert_eq!(h.next_boundary(utc("2026-12-02T12:00:00Z")), None);
        let always = every_day("UTC", "00:00", "24:00");
        assert!(always.is_open(utc("2026-12-02T00:00:00Z")));
        assert_eq!(always.next_boundary(utc("2026-12-02T12:00:00Z")), None);
    }

    #[test]
    fn paris_spring_forward_keeps_nine_to_five_on_the_wall_clock() {
        // 2026-03-29 (a Sunday): 02:00 CET becomes 03:00 CEST at 01:00Z.
        let h = every_day("Europe/Paris", "09:00", "17:00");
        assert!(!h.is_open(utc("2026-03-29T06:59:59Z")));
        assert!(h.is_open(utc("2026-03-29T07:00:00Z")));
        assert!(!h.is_open(utc("2026-03-29T15:00:00Z")));
        // The day before, still on CET, 9 o'clock was 08:00Z.
        assert!(h.is_open(utc("2026-03-28T08:00:00Z")));
        assert_eq!(
            h.next_boundary(utc("2026-03-28T20:00:00Z")),
            Some(utc("2026-03-29T07:00:00Z"))
        );
        assert_eq!(
            h.next_boundary(utc("2026-03-29T07:00:00Z")),
            Some(utc("2026-03-29T15:00:00Z"))
        );
    }

    #[test]
    fn paris_fall_back_keeps_nine_to_five_on_the_wall_clock() {
        // 2026-10-25 (a Sunday): 03:00 CEST becomes 02:00 CET at 01:00Z.
        let h = every_day("Europe/Paris", "09:00", "17:00");
        assert_eq!(
            h.next_boundary(utc("2026-10-24T20:00:00Z")),
            Some(utc("2026-10-25T08:00:00Z"))
        );
        assert!(!h.is_open(utc("2026-10-25T07:59:59Z")));
        assert!(h.is_open(utc("2026-10-25T08:00:00Z")));
        assert_eq!(
            h.next_boundary(utc("2026-10-25T08:00:00Z")),
            Some(utc("2026-10-25T16:00:00Z"))
        );
    }

    #[test]
    fn an_interval_in_the_skipped_hour_opens_when_the_clock_jumps_past_its_start() {
        // 02:30 never happens in Paris on 2026-03-29: at 01:00Z the clock reads 03:00.
        let h = hours("Europe/Paris", &[("sun", "02:30", "04:00")], &[]);
        assert_eq!(
            h.next_boundary(utc("2026-03-29T00:00:00Z")),
            Some(utc("2026-03-29T01:00:00Z"))
        );
        assert!(h.is_open(utc("2026-03-29T01:00:00Z")));
        assert_eq!(
            h.next_boundary(utc("2026-03-29T01:00:00Z")),
            Some(utc("2026-03-29T02:00:00Z"))
        );
    }

    #[test]
    fn an_interval_in_the_repeated_hour_is_open_both_times() {
        // 02:00–03:00 happens twice in Paris on 2026-10-25: 00:00Z–01:00Z and 01:00Z–02:00Z.
        let h = hours("Europe/Paris", &[("sun", "02:15", "02:45")], &[]);
        let start = utc("2026-10-25T00:00:00Z");
        let b1 = h.next_boundary(start).unwrap();
        assert_eq!(b1, utc("2026-10-25T00:15:00Z"));
        let b2 = h.next_boundary(b1).unwrap();
        assert_eq!(b2, utc("2026-10-25T00:45:00Z"));
        let b3 = h.next_boundary(b2).unwrap();
        assert_eq!(b3, utc("2026-10-25T01:15:00Z"));
        let b4 = h.next_boundary(b3).unwrap();
        assert_eq!(b4, utc("2026-10-25T01:45:00Z"));
    }

    #[test]
    fn new_york_changes_on_its_own_dates() {
        // 2026-03-08: 02:00 EST becomes 03:00 EDT; 2026-11-01: back. Paris has not moved yet.
        let h = every_day("America/New_York", "09:00", "17:00");
        assert!(h.is_open(utc("2026-03-07T14:00:00Z")));
        assert!(!h.is_open(utc("2026-03-07T13:59:00Z")));
        assert!(h.is_open(utc("2026-03-08T13:00:00Z")));
        assert!(!h.is_open(utc("2026-03-08T12:59:59Z")));
        assert_eq!(
            h.next_boundary(utc("2026-11-01T05:00:00Z")),
            Some(utc("2026-11-01T14:00:00Z"))
        );
    }

    #[test]
    fn a_manual_change_holds_until_the_override_ends_then_the_schedule_rules() {
        let s = every_day("UTC", "09:00", "17:00");
        let noon = utc("2026-12-02T12:00:00Z");
        let until = override_until(&s, noon);
        assert_eq!(until, utc("2026-12-02T17:00:00Z"));
        let chose_away = |at| scheduled_availability(Availability::Away, Some(&s), Some(until), at);
        assert_eq!(chose_away(noon), Availability::Away);
        assert_eq!(chose_away(utc("2026-12-02T16:59:59Z")), Availability::Away);
        assert_eq!(chose_away(utc("2026-12-02T17:00:00Z")), Availability::Away);
        assert_eq!(
            chose_away(utc("2026-12-03T09:00:00Z")),
            Availability::Available
        );
        assert_eq!(
            scheduled_availability(Availability::Offline, None, None, noon),
            Availability::Offline
        );
        let never = every_day("UTC", "00:00", "24:00");
        assert_eq!(override_until(&never, noon), until_changed());
    }

    fn arb_interval() -> impl Strategy<Value = IntervalInput> {
        (0usize..7, 0u16..MINUTES_PER_DAY, 1u16..=MINUTES_PER_DAY).prop_map(|(d, a, b)| {
            let (from, to) = if a < b {
                (a, b)
            } else {
                (b.saturating_sub(1), b)
            };
            interval(DAY_NAMES[d], &hhmm(from), &hhmm(to))
        })
    }

    fn arb_zone() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "Europe/Paris",
            "America/New_York",
            "Australia/Lord_Howe",
            "Asia/Kolkata",
            "America/Santiago",
            "Pacific/Chatham",
            "UTC",
        ])
    }

    proptest! {
        #[test]
        fn parsing_anything_never_panics(
            tz in ".{0,40}",
            weekly in prop::collection::vec((".{0,6}", ".{0,7}", ".{0,7}"), 0..8),
            holidays in prop::collection::vec(".{0,12}", 0..4),
        ) {
            let input = HoursInput {
                timezone: tz,
                weekly: weekly.into_iter().map(|(day, from, to)| IntervalInput { day, from, to }).collect(),
                holidays,
            };
            let _ = Hours::parse("business_hours", &input);
        }

        #[test]
        fn the_next_boundary_is_the_first_change(
            zone in arb_zone(),
            weekly in prop::collection::vec(arb_interval(), 0..6),
            secs in 0i64..4_102_444_800,
        ) {
            // Overlaps are refused; keep what parses.
            let Ok(h) = Hours::parse("", &HoursInput { timezone: zone.into(), weekly, holidays: vec![] }) else {
                return Ok(());
            };
            let at = DateTime::from_timestamp(secs, 0).unwrap();
            let open = h.is_open(at);
            match h.next_boundary(at) {
                None => {
                    for day in 0..8 {
                        prop_assert_eq!(h.is_open(at + Duration::days(day)), open);
                    }
                }
                Some(b) => {
                    prop_assert!(b > at);
                    prop_assert!(b - at <= Duration::days(8));
                    prop_assert_ne!(h.is_open(b), open);
                    prop_assert_eq!(h.is_open(b - Duration::seconds(1)), open);
                    // No change in between, checked every seven minutes.
                    let mut t = at;
                    while t < b {
                        prop_assert_eq!(h.is_open(t), open, "changed at {} before {}", t, b);
                        t += Duration::minutes(7);
                    }
                }
            }
        }

        #[test]
        fn evaluating_any_instant_never_panics(
            zone in arb_zone(),
            weekly in prop::collection::vec(arb_interval(), 0..4),
            holidays in prop::collection::vec((1i32..9999, 1u32..13, 1u32..29), 0..3),
            secs in -62_000_000_000i64..250_000_000_000,
        ) {
            let holidays = holidays.into_iter().map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")).collect();
            let Ok(h) = Hours::parse("", &HoursInput { timezone: zone.into(), weekly, holidays }) else {
                return Ok(());
            };
            let at = DateTime::from_timestamp(secs, 0).unwrap();
            let _ = h.is_open(at);
            let _ = h.next_boundary(at);
        }
    }
}
