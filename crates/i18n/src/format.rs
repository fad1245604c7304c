//! Dates and times as a reader reads them: in their time zone and language, and relative
//! ("5 minutes ago") in lists.

use chrono::{DateTime, Datelike, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

use crate::{Locale, Texts};

/// A time of day: `4:05 PM` in English, `16:05` in French.
pub fn time(locale: Locale, tz: Tz, at: DateTime<Utc>) -> String {
    let local = tz.from_utc_datetime(&at.naive_utc());
    match locale {
        Locale::En => {
            let (pm, hour) = local.hour12();
            format!(
                "{hour}:{:02} {}",
                local.minute(),
                if pm { "PM" } else { "AM" }
            )
        }
        Locale::Fr => format!("{:02}:{:02}", local.hour(), local.minute()),
    }
}

/// A date: `Dec 6, 2026` in English, `6 déc. 2026` in French.
pub fn date(locale: Locale, tz: Tz, at: DateTime<Utc>) -> String {
    let local = tz.from_utc_datetime(&at.naive_utc());
    let t = Texts(locale);
    let month = t.t(&format!("month-{}", local.month()));
    text_date(locale, local.day(), &month, local.year())
}

fn text_date(locale: Locale, day: u32, month: &str, year: i32) -> String {
    crate::text(
        locale,
        "date-format",
        &[
            ("day", i64::from(day).into()),
            ("month", month.into()),
            ("year", i64::from(year).into()),
        ],
    )
}

/// A date and time: `Dec 6, 2026, 4:05 PM` / `6 déc. 2026 à 16:05`.
pub fn date_time(locale: Locale, tz: Tz, at: DateTime<Utc>) -> String {
    let date = date(locale, tz, at);
    let time = time(locale, tz, at);
    crate::text(
        locale,
        "date-time-format",
        &[("date", (&date).into()), ("time", (&time).into())],
    )
}

/// How long ago `at` was, seen at `now`: `just now`, `5 minutes ago`, `2 hours ago`,
/// `yesterday at 4:05 PM`, `3 days ago`, then the date.
pub fn relative(locale: Locale, tz: Tz, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let t = Texts(locale);
    let ago = now - at;
    let minutes = ago.num_minutes();
    if minutes < 1 {
        return t.t("time-just-now");
    }
    if minutes < 60 {
        return t.t1("time-minutes-ago", "count", minutes);
    }
    let hours = ago.num_hours();
    let (today, then) = (
        tz.from_utc_datetime(&now.naive_utc()).date_naive(),
        tz.from_utc_datetime(&at.naive_utc()).date_naive(),
    );
    if then == today {
        return t.t1("time-hours-ago", "count", hours);
    }
    if today.pred_opt() == Some(then) {
        return t.t1("time-yesterday", "time", time(locale, tz, at).as_str());
    }
    let days = (today - then).num_days();
    if days < 7 {
        return t.t1("time-days-ago", "count", days);
    }
    date(locale, tz, at)
}

/// A time zone by its IANA name (`Europe/Paris`), if it is one.
pub fn zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap()
    }

    #[test]
    fn times_are_local_and_written_as_each_language_writes_them() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        let when = at(2026, 12, 6, 15, 5);
        assert_eq!(date_time(Locale::En, paris, when), "Dec 6, 2026, 4:05 PM");
        assert_eq!(date_time(Locale::Fr, paris, when), "6 déc. 2026 à 16:05");
        assert_eq!(date_time(Locale::En, Tz::UTC, when), "Dec 6, 2026, 3:05 PM");
        // Summer time.
        assert_eq!(
            time(Locale::Fr, paris, at(2026, 7, 1, 23, 30)),
            "01:30",
            "the next day in Paris"
        );
        assert_eq!(time(Locale::En, Tz::UTC, at(2026, 7, 1, 0, 7)), "12:07 AM");
    }

    #[test]
    fn recent_times_are_relative_with_each_languages_plurals() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        let now = at(2026, 12, 6, 15, 0);
        let ago = |m: i64| now - chrono::Duration::minutes(m);
        assert_eq!(relative(Locale::En, paris, ago(0), now), "just now");
        assert_eq!(relative(Locale::En, paris, ago(1), now), "1 minute ago");
        assert_eq!(relative(Locale::Fr, paris, ago(1), now), "il y a 1 minute");
        assert_eq!(relative(Locale::En, paris, ago(5), now), "5 minutes ago");
        assert_eq!(
            relative(Locale::Fr, paris, ago(120), now),
            "il y a 2 heures"
        );
        assert_eq!(
            relative(Locale::En, paris, ago(20 * 60), now),
            "yesterday at 8:00 PM"
        );
        assert_eq!(
            relative(Locale::Fr, paris, ago(3 * 24 * 60), now),
            "il y a 3 jours"
        );
        assert_eq!(
            relative(Locale::En, paris, ago(30 * 24 * 60), now),
            "Nov 6, 2026"
        );
    }
}
