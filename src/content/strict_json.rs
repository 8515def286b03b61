/*! JSON from outside (bundles, self-check input files) read strictly: a key that appears twice in
one object is refused (serde_json would keep the last, so a file could say two things at once),
and so is a number that does not survive being read (`1e-400` would silently become 0, `1e400`
is infinite), and so is text that is not UTF-8.

The byte rules (UTF-8, numbers) are a [`Scanner`] fed piece by piece, so that a file read as a
stream is checked as it passes, without being held whole; [`Scanned`] puts one in a reader. The
key rule is a visitor: [`check`] for a whole text, [`StrictValue`] for one value of a stream. */
use std::collections::HashSet;
use std::fmt;
use std::io::{self, Read};

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Refuses duplicate keys and numbers that do not survive reading; says where in words.
pub fn check(text: &str) -> Result<(), String> {
    let mut scanner = Scanner::default();
    scanner
        .feed(text.as_bytes())
        .and_then(|()| scanner.finish())
        .map_err(|e| e.to_string())?;
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_any(Strict).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())
}

/// What the byte rules refuse.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScanError {
    #[error("the file is not UTF-8 text")]
    NotText,
    #[error("the number {0} cannot be read exactly (it is too large or too small)")]
    LostNumber(String),
    #[error("a number of more than {MAX_NUMBER_CHARS} characters")]
    LongNumber,
}

/// No number a bundle or input file holds is longer; a longer one is refused, not buffered.
const MAX_NUMBER_CHARS: usize = 64;

/// The byte rules, checked over a text given in pieces of any size.
#[derive(Default)]
pub struct Scanner {
    in_string: bool,
    escaped: bool,
    number: Option<String>,
    /// The first bytes of a UTF-8 character cut off at the end of the last piece.
    partial: Vec<u8>,
}

impl Scanner {
    pub fn feed(&mut self, mut bytes: &[u8]) -> Result<(), ScanError> {
        self.check_utf8(&mut bytes)?;
        for &b in bytes {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                }
                continue;
            }
            if let Some(token) = &mut self.number {
                if matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                    if token.len() == MAX_NUMBER_CHARS {
                        return Err(ScanError::LongNumber);
                    }
                    token.push(b as char);
                    continue;
                }
                self.end_number()?;
            }
            match b {
                b'"' => self.in_string = true,
                b'-' | b'0'..=b'9' => self.number = Some((b as char).to_string()),
                _ => {}
            }
        }
        Ok(())
    }

    /// The end of the text: a number or a character may not be left open.
    pub fn finish(&mut self) -> Result<(), ScanError> {
        if !self.partial.is_empty() {
            return Err(ScanError::NotText);
        }
        self.end_number()
    }

    fn end_number(&mut self) -> Result<(), ScanError> {
        let Some(token) = self.number.take() else {
            return Ok(());
        };
        if let Ok(value) = token.parse::<f64>() {
            let written_zero = token
                .split(['e', 'E'])
                .next()
                .unwrap_or("")
                .bytes()
                .all(|b| matches!(b, b'0' | b'.' | b'-' | b'+'));
            if !value.is_finite() || (value == 0.0 && !written_zero) {
                return Err(ScanError::LostNumber(token));
            }
        }
        Ok(())
    }

    /// Checks that `bytes` continue the text as UTF-8; a character cut off at the end is kept
    /// for the next piece. On return `bytes` starts at a character boundary.
    fn check_utf8(&mut self, bytes: &mut &[u8]) -> Result<(), ScanError> {
        if !self.partial.is_empty() {
            let width = utf8_width(self.partial[0]);
            let take = (width - self.partial.len()).min(bytes.len());
            self.partial.extend_from_slice(&bytes[..take]);
            *bytes = &bytes[take..];
            if self.partial.len() < width {
                return Ok(());
            }
            std::str::from_utf8(&self.partial).map_err(|_| ScanError::NotText)?;
            self.partial.clear();
        }
        match std::str::from_utf8(bytes) {
            Ok(_) => Ok(()),
            Err(e) if e.error_len().is_none() => {
                // The piece ends inside a character: the rest comes with the next piece.
                self.partial.extend_from_slice(&bytes[e.valid_up_to()..]);
                let whole = &bytes[..e.valid_up_to()];
                *bytes = whole;
                Ok(())
            }
            Err(_) => Err(ScanError::NotText),
        }
    }
}

fn utf8_width(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// A reader that applies the byte rules to everything read through it. A refusal is an
/// `io::Error` of kind `InvalidData` holding the [`ScanError`] (see [`scan_error`]).
pub struct Scanned<R> {
    inner: R,
    scanner: Scanner,
}

impl<R: Read> Scanned<R> {
    pub fn new(inner: R) -> Self {
        Scanned {
            inner,
            scanner: Scanner::default(),
        }
    }
}

impl<R: Read> Read for Scanned<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let result = if n == 0 {
            self.scanner.finish()
        } else {
            self.scanner.feed(&buf[..n])
        };
        result.map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        Ok(n)
    }
}

/// The byte rule a reader's error stands for, if it came from a [`Scanned`].
pub fn scan_error(e: &io::Error) -> Option<&ScanError> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<ScanError>())
}

struct Strict;

impl<'de> de::Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Strict)
    }
}

fn twice<E: de::Error>(key: &str) -> E {
    E::custom(format!("the key \"{key}\" appears twice in one object"))
}

impl<'de> Visitor<'de> for Strict {
    type Value = Strict;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        let mut keys = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if keys.contains(&key) {
                return Err(twice(&key));
            }
            map.next_value::<Strict>()?;
            keys.insert(key);
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

/// A map read with the key rule, for a record's field that holds one (serde's derived structs
/// refuse a field twice themselves; maps keep the last value without a word).
pub fn unique_map<'de, D, K, V>(d: D) -> Result<std::collections::BTreeMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: de::Deserialize<'de> + Ord + fmt::Display,
    V: de::Deserialize<'de>,
{
    struct Unique<K, V>(std::marker::PhantomData<(K, V)>);
    impl<'de, K: de::Deserialize<'de> + Ord + fmt::Display, V: de::Deserialize<'de>> Visitor<'de>
        for Unique<K, V>
    {
        type Value = std::collections::BTreeMap<K, V>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = std::collections::BTreeMap::new();
            while let Some((key, value)) = map.next_entry::<K, V>()? {
                if out.contains_key(&key) {
                    return Err(twice(&key.to_string()));
                }
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Unique(std::marker::PhantomData))
}

/// One JSON value read with the key rule: a key twice in any of its objects is refused.
pub struct StrictValue(pub Value);

impl<'de> de::Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictValueVisitor).map(StrictValue)
    }
}

struct StrictValueVisitor;

impl<'de> Visitor<'de> for StrictValueVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let StrictValue(value) = map.next_value()?;
            if object.contains_key(&key) {
                return Err(twice(&key));
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(StrictValue(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_and_lost_numbers_are_refused() {
        assert_eq!(
            check(
                r#"{"a": 1, "b": {"a": [1, 2.5, -0.0, 1e3]}, "c": "1e-400 \" {\"a\":1,\"a\":2}"}"#
            ),
            Ok(())
        );
        assert!(check(r#"{"version": 1, "version": 2}"#)
            .unwrap_err()
            .contains("\"version\" appears twice"));
        assert!(check(r#"{"x": [{"name": "a", "name": "b"}]}"#).is_err());
        assert!(check(r#"{"lat": 1e-400}"#).unwrap_err().contains("1e-400"));
        assert!(check(r#"{"lat": 1e400}"#).is_err());
        assert_eq!(check(r#"{"lat": 0e10, "lon": -0.000}"#), Ok(()));
        assert!(check(r#"{"a": 1} trailing"#).is_err());
    }

    #[test]
    fn the_scanner_gives_the_same_answer_for_any_cut_into_pieces() {
        let texts: [&[u8]; 5] = [
            "{\"naam\": \"Ünïcödé — 🏘\", \"n\": [1.5, -2e3]}".as_bytes(),
            b"{\"lat\": 1e-400}",
            b"{\"a\": \"\\\"1e999\"}",
            b"{\"a\": \"\xff\"}",
            b"{\"a\": \"\xc3",
        ];
        for text in texts {
            let mut whole = Scanner::default();
            let expected = whole.feed(text).and_then(|()| whole.finish());
            for size in 1..=text.len() {
                let mut s = Scanner::default();
                let got = text
                    .chunks(size)
                    .try_for_each(|piece| s.feed(piece))
                    .and_then(|()| s.finish());
                assert_eq!(
                    got,
                    expected,
                    "{:?} in pieces of {size}",
                    String::from_utf8_lossy(text)
                );
            }
        }
        let mut s = Scanner::default();
        assert_eq!(
            s.feed(b"{\"a\": \"\xc3").and_then(|()| s.finish()),
            Err(ScanError::NotText),
            "a character cut off at the end"
        );
    }

    #[test]
    fn a_scanned_reader_reports_what_it_refused() {
        let mut text = String::new();
        let e = Scanned::new(&b"[1e-400]"[..])
            .read_to_string(&mut text)
            .unwrap_err();
        assert_eq!(
            scan_error(&e),
            Some(&ScanError::LostNumber("1e-400".into()))
        );
    }

    #[test]
    fn a_strict_value_refuses_a_key_twice_at_any_depth() {
        let ok: StrictValue = serde_json::from_str(r#"{"a": [{"b": 1}, {"b": 2}]}"#).unwrap();
        assert_eq!(ok.0["a"][1]["b"], 2);
        let e = serde_json::from_str::<StrictValue>(r#"{"a": [{"b": 1, "b": 2}]}"#)
            .err()
            .unwrap();
        assert!(e.to_string().contains("\"b\" appears twice"), "{e}");
    }
}
