/*! Dutch civil time: what a clerk's spreadsheet and a quarterly trend count in. The store keeps
UTC; the Netherlands is on CET with EU summer time, whose rule (since 1996) is fixed enough to
write down rather than carry a time-zone database for one zone. */
use time::{OffsetDateTime, PrimitiveDateTime};

/// A calendar day as a person writes it here: day-month-year (`1-3-2027`, `01-03-2027`, with `-`,
/// `/` or `.` between), the one form the app asks for; or as the app stores it (`2027-03-01`),
/// which bundles and the command line carry. Anything else, or a day the calendar lacks
/// (`29-2-2027`), is None.
pub fn parse_day(text: &str) -> Option<time::Date> {
    let text = text.trim();
    let parts: Vec<&str> = text.split(['-', '/', '.']).collect();
    let separators: Vec<char> = text
        .chars()
        .filter(|c| matches!(c, '-' | '/' | '.'))
        .collect();
    let [a, b, c] = parts[..] else { return None };
    if separators.iter().any(|s| *s != separators[0])
        || ![a, b, c]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let (year, month, day) = match (a.len(), b.len(), c.len()) {
        (4, 2, 2) if separators[0] == '-' => (a, b, c),
        (1 | 2, 1 | 2, 4) => (c, b, a),
        _ => return None,
    };
    let month = time::Month::try_from(month.parse::<u8>().ok()?).ok()?;
    time::Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()
}

/// A day as the app stores it: `2027-03-01`.
pub fn day_stored(day: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

/// Dutch civil time for a UTC moment: CET, and CEST from the last Sunday of March to the last
/// Sunday of October, switching at 01:00 UTC (the EU rule since 1996).
pub fn amsterdam_time(utc: OffsetDateTime) -> PrimitiveDateTime {
    let last_sunday = |month: time::Month| {
        let mut d = time::Date::from_calendar_date(
            utc.year(),
            month,
            time::util::days_in_month(month, utc.year()),
        )
        .expect("a real day");
        while d.weekday() != time::Weekday::Sunday {
            d = d.previous_day().expect("not the first day of time");
        }
        d.with_hms(1, 0, 0).expect("a real time").assume_utc()
    };
    let summer = utc >= last_sunday(time::Month::March) && utc < last_sunday(time::Month::October);
    let local = utc + time::Duration::hours(if summer { 2 } else { 1 });
    PrimitiveDateTime::new(local.date(), local.time())
}

/// The quarter of a stored (UTC, RFC 3339) time in Dutch time, like `2026-Q3`.
pub fn quarter_of(created_at: &str) -> Option<String> {
    let utc =
        OffsetDateTime::parse(created_at, &time::format_description::well_known::Rfc3339).ok()?;
    let local = amsterdam_time(utc);
    Some(format!(
        "{}-Q{}",
        local.year(),
        (u8::from(local.month()) - 1) / 3 + 1
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;

    fn utc(text: &str) -> OffsetDateTime {
        OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap()
    }

    #[test]
    fn a_day_is_read_as_day_month_year_or_as_stored() {
        let day = |t: &str| parse_day(t).map(day_stored);
        assert_eq!(day("1-3-2027").as_deref(), Some("2027-03-01"));
        assert_eq!(day(" 01-03-2027 ").as_deref(), Some("2027-03-01"));
        assert_eq!(day("1/3/2027").as_deref(), Some("2027-03-01"));
        assert_eq!(day("31.12.2026").as_deref(), Some("2026-12-31"));
        assert_eq!(
            day("2027-03-01").as_deref(),
            Some("2027-03-01"),
            "as stored"
        );
        assert_eq!(day("29-2-2028").as_deref(), Some("2028-02-29"));
        for not_a_day in [
            "",
            "29-2-2027",
            "32-1-2027",
            "1-13-2027",
            "0-1-2027",
            "2027-3-1",
            "3/1/27",
            "1-3/2027",
            "1 maart 2027",
            "maart",
            "1--3-2027",
            "2027-03-01T00:00:00Z",
            "+1-3-2027",
            "1-3-2027-1",
        ] {
            assert_eq!(day(not_a_day), None, "{not_a_day:?}");
        }
    }

    #[test]
    fn a_quarter_is_counted_in_dutch_time() {
        assert_eq!(
            quarter_of("2026-12-31T22:59:59Z").as_deref(),
            Some("2026-Q4")
        );
        assert_eq!(
            quarter_of("2026-12-31T23:00:00Z").as_deref(),
            Some("2027-Q1"),
            "midnight in Amsterdam"
        );
        assert_eq!(
            quarter_of("2026-06-30T21:59:59Z").as_deref(),
            Some("2026-Q2")
        );
        assert_eq!(
            quarter_of("2026-06-30T22:00:00Z").as_deref(),
            Some("2026-Q3")
        );
        assert_eq!(quarter_of("not a time"), None);
    }

    #[test]
    fn dutch_time_follows_the_eu_summer_time_rule() {
        let shown = |t: &str| amsterdam_time(utc(t)).to_string();
        assert_eq!(shown("2026-01-15T12:00:00Z"), "2026-01-15 13:00:00.0");
        assert_eq!(shown("2026-07-01T22:30:00Z"), "2026-07-02 0:30:00.0");
        // 2026: summer time from Sunday 29 March 01:00 UTC to Sunday 25 October 01:00 UTC.
        assert_eq!(shown("2026-03-29T00:59:59Z"), "2026-03-29 1:59:59.0");
        assert_eq!(shown("2026-03-29T01:00:00Z"), "2026-03-29 3:00:00.0");
        assert_eq!(shown("2026-10-25T00:59:59Z"), "2026-10-25 2:59:59.0");
        assert_eq!(shown("2026-10-25T01:00:00Z"), "2026-10-25 2:00:00.0");
    }
}
