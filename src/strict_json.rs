/*! JSON from outside (bundles, self-check input files) read strictly: a key that appears twice in
one object is refused (serde_json would keep the last, so a file could say two things at once),
and so is a number that does not survive being read (`1e-400` would silently become 0, `1e400`
is infinite). Checked in one pass over the text, before the file is read into records. */
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

/// Refuses duplicate keys and numbers that do not survive reading; says where in words.
pub fn check(text: &str) -> Result<(), String> {
    check_numbers(text)?;
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_any(Strict).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())
}

struct Strict;

impl<'de> de::Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Strict)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Strict;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        let mut keys = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !keys.insert(key.clone()) {
                return Err(de::Error::custom(format!("the key \"{key}\" appears twice in one object")));
            }
            map.next_value::<Strict>()?;
        }
        Ok(Strict)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        while seq.next_element::<Strict>()?.is_some() {}
        Ok(Strict)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_str<E>(self, _: &str) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict)
    }
}

/// Every number in the text, outside strings, must read as a finite value, and as zero only if
/// it is written as zero.
fn check_numbers(text: &str) -> Result<(), String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len() && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                    i += 1;
                }
                let token = &text[start..i];
                if let Ok(value) = token.parse::<f64>() {
                    let written_zero = token.split(['e', 'E']).next().unwrap_or("").bytes().all(|b| matches!(b, b'0' | b'.' | b'-' | b'+'));
                    if !value.is_finite() || (value == 0.0 && !written_zero) {
                        return Err(format!("the number {token} cannot be read exactly (it is too large or too small)"));
                    }
                }
            }
            _ => i += 1,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn duplicate_keys_and_lost_numbers_are_refused() {
        assert_eq!(check(r#"{"a": 1, "b": {"a": [1, 2.5, -0.0, 1e3]}, "c": "1e-400 \" {\"a\":1,\"a\":2}"}"#), Ok(()));
        assert!(check(r#"{"version": 1, "version": 2}"#).unwrap_err().contains("\"version\" appears twice"));
        assert!(check(r#"{"x": [{"name": "a", "name": "b"}]}"#).is_err());
        assert!(check(r#"{"lat": 1e-400}"#).unwrap_err().contains("1e-400"));
        assert!(check(r#"{"lat": 1e400}"#).is_err());
        assert_eq!(check(r#"{"lat": 0e10, "lon": -0.000}"#), Ok(()));
        assert!(check(r#"{"a": 1} trailing"#).is_err());
    }
}
