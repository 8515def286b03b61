/*! The rules of single values in a bundle, whichever record holds them: text (one line or
many, not empty, not too long), times (RFC 3339, given back in the one form the store keeps) and
UUIDs (in their one spelling). A broken rule is an [`ExchangeError::Invalid`] that says where in
the file the value is. */
use time::OffsetDateTime;
use uuid::Uuid;

use super::ExchangeError;
use crate::content::problem::{Explain, Kind, Problem};
use crate::content::text::Lines;
use crate::store;

pub(super) fn invalid(at: String, rule: Problem) -> ExchangeError {
    ExchangeError::Invalid { at, rule }
}

pub(super) fn check_text(
    at: &str,
    field: &str,
    text: &str,
    max: usize,
    required: bool,
) -> Result<(), ExchangeError> {
    let lines = if matches!(field, "description" | "note") {
        Lines::Many
    } else {
        Lines::One
    };
    crate::content::text::check(field, text, lines)
        .map_err(|e| invalid(format!("{at}.{field}"), e.problem()))?;
    let n = text.chars().count();
    if required && text.trim().is_empty() {
        return Err(invalid(
            format!("{at}.{field}"),
            Problem::new(Kind::text_empty).with("field", field),
        ));
    }
    if n > max {
        return Err(invalid(
            format!("{at}.{field}"),
            Problem::new(Kind::text_too_long)
                .with("field", field)
                .with("length", n)
                .with("max", max),
        ));
    }
    Ok(())
}

/// How far ahead of this machine's clock a time in a file may be (clocks differ a little).
const FUTURE_SLACK: time::Duration = time::Duration::DAY;

/// Reads an RFC 3339 time from a file and gives it in the one form the store keeps: UTC, `Z`.
/// Times are compared as text, so every stored time must have that form; a time far in the
/// future would stay the "latest" forever and never be purged.
pub(super) fn normalise_time(
    at: &str,
    text: &str,
    now: OffsetDateTime,
) -> Result<String, ExchangeError> {
    use time::format_description::well_known::Rfc3339;
    let bad = || {
        invalid(
            format!("{at}.created_at"),
            Problem::new(Kind::bad_time).with("time", text),
        )
    };
    let utc = store::utc_time(text).ok_or_else(bad)?;
    let t = OffsetDateTime::parse(&utc, &Rfc3339).map_err(|_| bad())?;
    if t > now + FUTURE_SLACK {
        return Err(invalid(
            format!("{at}.created_at"),
            Problem::new(Kind::time_in_future).with("time", text),
        ));
    }
    Ok(utc)
}

/// A UUID in the one spelling files use: lower case with hyphens. Other spellings of the same
/// UUID (upper case, braces, `urn:uuid:`, no hyphens) would otherwise make separate records.
pub(super) fn canonical_uuid(at: String, id: &str) -> Result<u128, ExchangeError> {
    match Uuid::parse_str(id) {
        Ok(u) if u.hyphenated().to_string() == id => Ok(u.as_u128()),
        Ok(u) => Err(invalid(
            at,
            Problem::new(Kind::uuid_spelling)
                .with("id", id)
                .with("canonical", u.hyphenated()),
        )),
        Err(_) => Err(invalid(at, Problem::new(Kind::not_a_uuid).with("id", id))),
    }
}
