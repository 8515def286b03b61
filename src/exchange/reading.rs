/*! A bundle file read record by record. The import checks a file whole before it imports it. A
file is read from its path (the CLI) or from bytes already in memory (the app gets them from the
page). A file of at most [`READ_AT_ONCE_BYTES`] is read (and decrypted) into memory once and
parsed once: its records are kept as they are checked (keeping.rs). A larger one is streamed
twice, checked then imported, so that memory does not grow with the file; an encrypted one is
decrypted as it is read, and one that changes on disk between the readings is refused: what was
checked is what is imported. */
use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{
    BundleCheck, BundleInitiative, BundleReview, BundleRound, ExchangeError, MAX_BUNDLE_BYTES,
    READ_AT_ONCE_BYTES,
};
use crate::content::problem::{Kind, Problem};
use crate::content::strict_json::{self, ScanError, Scanned, Scanner, StrictValue};
use crate::safety::crypto::{self, CryptoError};

/// Where a bundle comes from.
#[derive(Clone, Copy)]
pub enum BundleFile<'a> {
    Bytes(&'a [u8]),
    Path(&'a Path),
}

/// The three lists of records, in the order the import needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    Initiatives,
    SelfChecks,
    ReviewLog,
    /// Version 2, optional: group rounds still open, to be answered on another machine.
    GroupRounds,
}

impl Section {
    pub(super) const ALL: [Section; 4] = [
        Section::Initiatives,
        Section::SelfChecks,
        Section::ReviewLog,
        Section::GroupRounds,
    ];
    /// The lists every bundle has.
    pub(super) const REQUIRED: [Section; 3] = [
        Section::Initiatives,
        Section::SelfChecks,
        Section::ReviewLog,
    ];

    pub(super) fn key(self) -> &'static str {
        match self {
            Section::Initiatives => "initiatives",
            Section::SelfChecks => "self_checks",
            Section::ReviewLog => "review_log",
            Section::GroupRounds => "group_rounds",
        }
    }

    fn from_key(key: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// What one reading of the file does with what it finds. An error stops the reading.
pub(super) trait Records {
    /// Whether this reading needs a list's records; a list it does not need is skipped.
    fn wants(&self, section: Section) -> bool;
    fn header(&mut self, field: &str, value: Value) -> Result<(), ExchangeError>;
    fn list_found(&mut self, _section: Section) {}
    fn initiative(&mut self, n: usize, record: BundleInitiative) -> Result<(), ExchangeError>;
    fn self_check(&mut self, n: usize, record: BundleCheck) -> Result<(), ExchangeError>;
    fn review(&mut self, n: usize, record: BundleReview) -> Result<(), ExchangeError>;
    fn group_round(&mut self, n: usize, record: BundleRound) -> Result<(), ExchangeError>;
}

/// A bundle file that can be read as often as needed.
pub(super) struct Source<'a> {
    file: BundleFile<'a>,
    /// The plain text, when it was read or decrypted into memory once (small files).
    plain: Option<Vec<u8>>,
    identity: Option<&'a age::x25519::Identity>,
    encrypted: bool,
    /// The SHA-256 of the file's bytes at the first reading (files on disk only).
    first_digest: Option<Vec<u8>>,
}

/// The first bytes of a file, enough to tell an encrypted one.
const HEAD_BYTES: u64 = 64;

impl<'a> Source<'a> {
    /// Looks at a file's size and first bytes: a file that is too large is refused here. A small
    /// file is read whole, once, and kept as plain text (decrypted once if need be).
    pub(super) fn open(
        file: BundleFile<'a>,
        identity: Option<&'a age::x25519::Identity>,
    ) -> Result<Self, ExchangeError> {
        let (len, bytes): (u64, Cow<'a, [u8]>) = match file {
            BundleFile::Bytes(bytes) => (bytes.len() as u64, Cow::Borrowed(bytes)),
            BundleFile::Path(path) => {
                let f = open_regular(path)?;
                let len = f.metadata().map_err(|e| read_error(path, e))?.len();
                // Of a larger file only the first bytes, enough to tell an encrypted one.
                let wanted = if len <= READ_AT_ONCE_BYTES {
                    READ_AT_ONCE_BYTES
                } else {
                    HEAD_BYTES
                };
                let mut read = Vec::new();
                f.take(wanted)
                    .read_to_end(&mut read)
                    .map_err(|e| read_error(path, e))?;
                (len, Cow::Owned(read))
            }
        };
        if len > MAX_BUNDLE_BYTES {
            return Err(ExchangeError::TooLarge(len));
        }
        let encrypted = crypto::is_encrypted(&bytes[..bytes.len().min(HEAD_BYTES as usize)]);
        if encrypted && identity.is_none() {
            return Err(CryptoError::NeedsKey.into());
        }
        let mut source = Source {
            file,
            plain: None,
            identity,
            encrypted,
            first_digest: None,
        };
        if len <= READ_AT_ONCE_BYTES {
            source.plain = source.plain_text(bytes)?;
        }
        Ok(source)
    }

    /// A small file's plain text: the bytes read, or decrypted once. None for plain bytes that
    /// were given in memory already.
    fn plain_text(&self, bytes: Cow<'a, [u8]>) -> Result<Option<Vec<u8>>, ExchangeError> {
        match (self.identity, bytes) {
            (Some(identity), bytes) if self.encrypted => {
                let mut plain = Vec::new();
                let decrypting = crypto::decrypting(&*bytes, identity)?;
                Limited {
                    inner: decrypting,
                    left: MAX_BUNDLE_BYTES,
                }
                .read_to_end(&mut plain)
                .map_err(|e| self.stream_failure(e))?;
                Ok(Some(plain))
            }
            (_, Cow::Borrowed(_)) => Ok(None),
            (_, Cow::Owned(read)) => Ok(Some(read)),
        }
    }

    /// Whether the file's plain text is in memory and small (at most [`READ_AT_ONCE_BYTES`]):
    /// then its records can be kept from one reading for the next (keeping.rs).
    pub(super) fn is_small_in_memory(&self) -> bool {
        match (&self.plain, self.file) {
            (Some(plain), _) => plain.len() as u64 <= READ_AT_ONCE_BYTES,
            (None, BundleFile::Bytes(bytes)) => {
                !self.encrypted && bytes.len() as u64 <= READ_AT_ONCE_BYTES
            }
            (None, BundleFile::Path(_)) => false,
        }
    }

    /// Reads the whole file once, passing what it finds to `records`. With `strict`, the rules
    /// of strict_json apply (UTF-8, numbers, keys) and records are read with them.
    pub(super) fn read<R: Records>(
        &mut self,
        records: &mut R,
        strict: bool,
    ) -> Result<(), ExchangeError> {
        let mut reading = Reading {
            records,
            strict,
            failure: None,
            entered: false,
            at: None,
        };
        let in_memory = match (&self.plain, self.file) {
            (Some(plain), _) => Some(plain.as_slice()),
            (None, BundleFile::Bytes(bytes)) if !self.encrypted => Some(bytes),
            _ => None,
        };
        let result = match in_memory {
            Some(bytes) => read_in_memory(bytes, &mut reading, strict)?,
            _ => self.read_streamed(&mut reading, strict)?,
        };
        if let Some(failure) = reading.failure {
            return Err(failure);
        }
        let (entered, at) = (reading.entered, reading.at);
        let streamed_from_disk = self.plain.is_none() && matches!(self.file, BundleFile::Path(_));
        result.map_err(|e| {
            // The first reading found the file sound: a file streamed from disk that no longer
            // reads has been changed since.
            if streamed_from_disk && !strict && !e.is_io() {
                ExchangeError::Changed
            } else {
                self.failure(e, entered, at)
            }
        })
    }

    /// Reads the file as a stream: from disk or bytes, decrypted as it is read when encrypted,
    /// at most [`MAX_BUNDLE_BYTES`] of plain text. A file on disk is hashed as it is read, and
    /// must be the same at every reading. The outer error stops the reading; the inner one is
    /// serde_json's, for [`Source::read`] to explain.
    fn read_streamed<R: Records>(
        &mut self,
        reading: &mut Reading<'_, R>,
        strict: bool,
    ) -> Result<Result<(), serde_json::Error>, ExchangeError> {
        let raw: Box<dyn Read + 'a> = match self.file {
            BundleFile::Bytes(bytes) => Box::new(bytes),
            BundleFile::Path(path) => Box::new(open_regular(path)?),
        };
        // Only a file on disk can change between the readings: only its bytes are hashed.
        let on_disk = matches!(self.file, BundleFile::Path(_));
        let hashing = Hashing {
            inner: raw,
            digest: on_disk.then(Sha256::new),
        };
        let mut digest = None;
        let result = {
            let mut hashing = hashing;
            let plain: Box<dyn Read + '_> = match self.identity {
                Some(identity) if self.encrypted => {
                    Box::new(crypto::decrypting(&mut hashing, identity)?)
                }
                _ => Box::new(&mut hashing),
            };
            let limited = Limited {
                inner: plain,
                left: MAX_BUNDLE_BYTES,
            };
            let reader: Box<dyn Read + '_> = if strict {
                Box::new(Scanned::new(limited))
            } else {
                Box::new(limited)
            };
            let mut de =
                serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 16, reader));
            let result = (&mut *reading).deserialize(&mut de).and_then(|()| de.end());
            drop(de);
            if on_disk && result.is_ok() && reading.failure.is_none() {
                // Read to the end, so that the digest covers the whole file.
                io::copy(&mut hashing, &mut io::sink()).map_err(|e| self.stream_failure(e))?;
                digest = hashing.digest.take().map(|d| d.finalize().to_vec());
            }
            result
        };
        if let Some(digest) = digest {
            self.same_as_first(digest)?;
        }
        Ok(result)
    }

    /// The digest of a file on disk: the first reading's is kept, and a later reading's must be
    /// the same, or the file changed in between.
    fn same_as_first(&mut self, digest: Vec<u8>) -> Result<(), ExchangeError> {
        match &self.first_digest {
            None => self.first_digest = Some(digest),
            Some(first) if *first == digest => {}
            Some(_) => return Err(ExchangeError::Changed),
        }
        Ok(())
    }

    /// What a reading error of serde_json means for the person importing.
    fn failure(
        &self,
        e: serde_json::Error,
        entered: bool,
        at: Option<(Section, usize)>,
    ) -> ExchangeError {
        use serde_json::error::Category;
        match e.classify() {
            Category::Io => self.stream_failure(e.into()),
            Category::Syntax | Category::Eof => {
                ExchangeError::NotABundle(format!("broken JSON ({e})"))
            }
            Category::Data if !entered => {
                ExchangeError::NotABundle("the top level is not an object".into())
            }
            Category::Data => match at {
                Some((section, n)) => ExchangeError::Invalid {
                    at: format!("{}[{n}]", section.key()),
                    rule: structure(&e),
                },
                None => ExchangeError::Invalid {
                    at: String::new(),
                    rule: structure(&e),
                },
            },
        }
    }

    fn stream_failure(&self, e: io::Error) -> ExchangeError {
        if let Some(scan) = strict_json::scan_error(&e) {
            return scan_failure(scan.clone());
        }
        if e.get_ref().is_some_and(|inner| inner.is::<Oversized>()) {
            return ExchangeError::TooLarge(MAX_BUNDLE_BYTES + 1);
        }
        match self.file {
            _ if self.encrypted => CryptoError::Damaged(e.to_string()).into(),
            BundleFile::Path(path) => read_error(path, e),
            BundleFile::Bytes(_) => ExchangeError::NotABundle(e.to_string()),
        }
    }
}

/// Reads a file whose plain text is in memory: with `strict`, scanned whole by strict_json's
/// rules first. The outer error stops the reading; the inner one is serde_json's.
fn read_in_memory<R: Records>(
    bytes: &[u8],
    reading: &mut Reading<'_, R>,
    strict: bool,
) -> Result<Result<(), serde_json::Error>, ExchangeError> {
    if strict {
        let mut scanner = Scanner::default();
        scanner
            .feed(bytes)
            .and_then(|()| scanner.finish())
            .map_err(scan_failure)?;
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    Ok((&mut *reading).deserialize(&mut de).and_then(|()| de.end()))
}

/// A record of the wrong shape (a number where text belongs, a field too many): serde's own
/// description, which names the field and the type, is the detail.
fn structure(e: &serde_json::Error) -> Problem {
    Problem::new(Kind::bundle_structure).with("detail", super::without_position(e))
}

/// The path is shown escaped: its file name may come from outside (a folder's entry).
fn read_error(path: &Path, source: io::Error) -> ExchangeError {
    ExchangeError::Read {
        path: crate::store::paths::shown_path(path),
        source,
    }
}

/// Why a path to import was refused before a byte was read: it names a folder, FIFO, device or
/// socket. Its own type, so the words for it (explain.rs) need not guess from an error kind.
#[derive(Debug, thiserror::Error)]
#[error("it is not a regular file (a folder, FIFO, device or socket)")]
pub struct NotRegularFile;

/// Opens a bundle file for reading, if it is a regular file. A FIFO would block an open until
/// something writes to it, and a device can give bytes without end: the open does not wait
/// (O_NONBLOCK, which a regular file ignores) and anything that is not a regular file is refused
/// before a byte is read.
pub(super) fn open_regular(path: &Path) -> Result<File, ExchangeError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(|e| read_error(path, e))?;
    let meta = file.metadata().map_err(|e| read_error(path, e))?;
    if !meta.is_file() {
        return Err(read_error(
            path,
            io::Error::new(io::ErrorKind::InvalidInput, NotRegularFile),
        ));
    }
    Ok(file)
}

fn scan_failure(e: ScanError) -> ExchangeError {
    match e {
        ScanError::NotText => ExchangeError::NotText,
        other => ExchangeError::NotABundle(format!("broken JSON ({other})")),
    }
}

/// Passes bytes through and hashes them, when asked to.
struct Hashing<R> {
    inner: R,
    digest: Option<Sha256>,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(digest) = &mut self.digest {
            digest.update(&buf[..n]);
        }
        Ok(n)
    }
}

/// The error of a plain text longer than a bundle may be (an encrypted file's size says little
/// about its plain text's).
#[derive(Debug)]
struct Oversized;

impl fmt::Display for Oversized {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "longer than {MAX_BUNDLE_BYTES} bytes")
    }
}

impl std::error::Error for Oversized {}

struct Limited<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(io::Error::new(io::ErrorKind::InvalidData, Oversized));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// One reading of the document: its top-level object, field by field.
struct Reading<'r, R> {
    records: &'r mut R,
    strict: bool,
    /// The error that stopped the reading, when it is ours (serde only carries text).
    failure: Option<ExchangeError>,
    /// Whether the top level was an object.
    entered: bool,
    /// The record being read, to say where a type error is.
    at: Option<(Section, usize)>,
}

impl<R> Reading<'_, R> {
    fn fail<E: de::Error>(&mut self, e: ExchangeError) -> E {
        let text = e.to_string();
        self.failure = Some(e);
        E::custom(text)
    }
}

impl<'de, R: Records> DeserializeSeed<'de> for &mut Reading<'_, R> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, R: Records> Visitor<'de> for &mut Reading<'_, R> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a bundle object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.entered = true;
        let mut seen: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                return Err(self.fail(ExchangeError::NotABundle(format!(
                    "broken JSON (the key \"{key}\" appears twice in one object)"
                ))));
            }
            if let Some(section) = Section::from_key(&key) {
                self.records.list_found(section);
                if self.records.wants(section) {
                    map.next_value_seed(List {
                        reading: &mut *self,
                        section,
                    })?;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            } else if matches!(
                key.as_str(),
                "format" | "version" | "exported_at" | "municipality" | "machine" | "machines"
            ) {
                let value = if self.strict {
                    map.next_value::<StrictValue>()?.0
                } else {
                    map.next_value::<Value>()?
                };
                if let Err(e) = self.records.header(&key, value) {
                    return Err(self.fail(e));
                }
            } else {
                return Err(self.fail(ExchangeError::Invalid {
                    at: String::new(),
                    rule: Problem::new(Kind::unknown_field).with("field", &key),
                }));
            }
            seen.push(key);
        }
        Ok(())
    }
}

/// One of the three lists, read a record at a time.
struct List<'a, 'r, R> {
    reading: &'a mut Reading<'r, R>,
    section: Section,
}

impl<'de, R: Records> DeserializeSeed<'de> for List<'_, '_, R> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, R: Records> Visitor<'de> for List<'_, '_, R> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list of records for {}", self.section.key())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let reading = self.reading;
        for n in 0.. {
            let done = match self.section {
                Section::Initiatives => next(reading, &mut seq, self.section, n, |r, rec| {
                    r.initiative(n, rec)
                })?,
                Section::SelfChecks => next(reading, &mut seq, self.section, n, |r, rec| {
                    r.self_check(n, rec)
                })?,
                Section::ReviewLog => next(reading, &mut seq, self.section, n, |r, rec| {
                    r.review(n, rec)
                })?,
                Section::GroupRounds => next(reading, &mut seq, self.section, n, |r, rec| {
                    r.group_round(n, rec)
                })?,
            };
            if done {
                break;
            }
        }
        Ok(())
    }
}

/// Reads the next record of a list into its type and hands it on; true at the end of the list.
/// The records' types keep the key rule themselves (a field twice is refused by serde, a map's
/// key twice by `strict_json::unique_map`), so they are read straight from the stream.
fn next<'de, A: SeqAccess<'de>, R: Records, T: DeserializeOwned>(
    reading: &mut Reading<'_, R>,
    seq: &mut A,
    section: Section,
    n: usize,
    hand_on: impl FnOnce(&mut R, T) -> Result<(), ExchangeError>,
) -> Result<bool, A::Error> {
    reading.at = Some((section, n));
    let Some(record) = seq.next_element::<T>()? else {
        reading.at = None;
        return Ok(true);
    };
    match hand_on(reading.records, record) {
        Ok(()) => Ok(false),
        Err(e) => Err(reading.fail(e)),
    }
}
