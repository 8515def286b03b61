/*! Moving self-checks between machines as a bundle: one readable UTF-8 JSON file.

Every record keeps the UUID it got where it was made. Import never overwrites: a record whose id
is new is added; one whose id exists with the same content (by our own hash) is skipped; one whose
id exists with other content is a conflict, reported, and the existing record stays. The file is
validated as a whole before anything is written, and written in one transaction: a rejected file
leaves the database exactly as it was. The format is documented in docs/bundle-format.md. */
use std::collections::{BTreeMap, HashSet};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use thiserror::Error;
use ts_rs::TS;
use uuid::Uuid;

use crate::assess;
use crate::catalog::{catalog, Role};
use crate::crypto::{self, CryptoError};
use crate::settings;
use crate::geo::{geography, validate_point};
use crate::review::{ReviewEntry, ReviewStatus, MAX_NOTE_CHARS, MAX_REVIEWER_CHARS};
use crate::selfcheck::{MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_TARGET_GROUPS, MAX_TARGET_GROUP_CHARS};
use crate::store::{self, Initiative, Store, StoreError, StoredCheck};
use crate::text::Lines;

pub const FORMAT: &str = "wijkkompas-bundle";
pub const VERSION: u64 = 1;

/// The largest bundle file read (after decryption): about three times the largest real export
/// (100,000 self-checks are some 80 MB). A larger file is refused before it is read.
pub const MAX_BUNDLE_BYTES: u64 = 256 * 1024 * 1024;
/// The most records (initiatives, self-checks and review entries together) in one bundle.
pub const MAX_RECORDS: usize = 300_000;

#[derive(Debug, Error)]
pub enum ExchangeError {
    #[error("the file is not a Wijkkompas bundle: {0}")]
    NotABundle(String),
    #[error("this bundle has format version {0}; this Wijkkompas reads version {VERSION}. Update Wijkkompas to import it")]
    UnsupportedVersion(u64),
    #[error("the bundle was rejected, nothing was imported: {0}")]
    Invalid(String),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error("the file is not UTF-8 text, so it is not a Wijkkompas bundle")]
    NotText,
    #[error("the file is {0} bytes; a bundle is at most {MAX_BUNDLE_BYTES} bytes. Nothing was imported")]
    TooLarge(u64),
    #[error("the bundle holds {0} records; at most {MAX_RECORDS} are imported from one file. Export per municipality for smaller files. Nothing was imported")]
    TooManyRecords(usize),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub format: String,
    pub version: u64,
    pub exported_at: String,
    /// The municipality the export was limited to, if any.
    pub municipality: Option<String>,
    pub initiatives: Vec<BundleInitiative>,
    pub self_checks: Vec<BundleCheck>,
    pub review_log: Vec<BundleReview>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleInitiative {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub target_groups: Vec<String>,
    pub created_at: String,
    /// SHA-256 of the content, as the exporter computed it; the importer computes its own.
    #[serde(default)]
    pub hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleCheck {
    pub id: String,
    pub initiative_id: String,
    pub role: String,
    pub created_at: String,
    pub answers: BTreeMap<String, Option<i64>>,
    #[serde(default)]
    pub hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleReview {
    pub id: String,
    pub initiative_id: String,
    pub from: String,
    pub to: String,
    pub reviewer: String,
    pub note: String,
    pub created_at: String,
    #[serde(default)]
    pub hash: Option<String>,
}

/// A record that was not imported because its id exists with other content.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Conflict {
    pub id: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, TS)]
#[ts(export)]
pub struct ImportSummary {
    pub added: u32,
    pub skipped: u32,
    pub conflicts: Vec<Conflict>,
}

fn sha256(value: &Value) -> String {
    let digest = Sha256::digest(serde_json::to_vec(value).expect("JSON values serialize"));
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The content hash rules (docs/bundle-format.md): SHA-256 of a JSON array of the fields in a
/// fixed order, so the same content hashes the same on every machine.
pub fn initiative_hash(id: &str, name: &str, description: Option<&str>, lat: f64, lon: f64, groups: &[String], created_at: &str) -> String {
    // -0.0 and 0.0 are one number (the store keeps them as one): one hash.
    sha256(&json!(["initiative", id, name, description, lat + 0.0, lon + 0.0, groups, created_at]))
}

pub fn check_hash(id: &str, initiative_id: &str, role: &str, created_at: &str, answers: &BTreeMap<String, Option<i64>>) -> String {
    sha256(&json!(["self_check", id, initiative_id, role, created_at, answers]))
}

pub fn review_hash(e: &ReviewEntry) -> String {
    sha256(&json!(["review", e.id, e.initiative_id, e.from.as_str(), e.to.as_str(), e.reviewer, e.note, e.created_at]))
}

fn stored_initiative_hash(i: &Initiative) -> String {
    initiative_hash(&i.id, &i.name, i.description.as_deref(), i.lat, i.lon, &i.target_groups, &i.created_at)
}

fn answers_wide(c: &StoredCheck) -> BTreeMap<String, Option<i64>> {
    c.answers.iter().map(|(k, v)| (k.clone(), v.map(i64::from))).collect()
}

fn stored_check_hash(c: &StoredCheck) -> String {
    check_hash(&c.id, &c.initiative_id, c.role.as_str(), &c.created_at, &answers_wide(c))
}

/// All self-checks (or one municipality's) with their initiatives and review logs.
pub fn export_bundle(store: &Store, municipality: Option<&str>) -> Result<Bundle, ExchangeError> {
    let conn = store.connection();
    let ids = store.initiative_ids(municipality)?;
    let mut bundle = Bundle {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: store::now_rfc3339(),
        municipality: municipality.map(str::to_string),
        initiatives: Vec::new(),
        self_checks: Vec::new(),
        review_log: Vec::new(),
    };
    for id in &ids {
        let i = Store::initiative_in(conn, id)?.ok_or_else(|| StoreError::UnknownInitiative(id.clone()))?;
        bundle.initiatives.push(BundleInitiative {
            hash: Some(stored_initiative_hash(&i)),
            id: i.id,
            name: i.name,
            description: i.description,
            lat: i.lat,
            lon: i.lon,
            target_groups: i.target_groups,
            created_at: i.created_at,
        });
        for c in store::checks_where(conn, "initiative_id = ?1", id)? {
            bundle.self_checks.push(BundleCheck {
                hash: Some(stored_check_hash(&c)),
                answers: answers_wide(&c),
                id: c.id,
                initiative_id: c.initiative_id,
                role: c.role.as_str().into(),
                created_at: c.created_at,
            });
        }
        for e in store::reviews_where(conn, "initiative_id = ?1", id)? {
            bundle.review_log.push(BundleReview {
                hash: Some(review_hash(&e)),
                id: e.id,
                initiative_id: e.initiative_id,
                from: e.from.as_str().into(),
                to: e.to.as_str().into(),
                reviewer: e.reviewer,
                note: e.note,
                created_at: e.created_at,
            });
        }
    }
    Ok(bundle)
}

/// The bundle as a file's bytes: pretty JSON, or age-encrypted to `encrypt_to`. On a kiosk
/// with the municipality's key set, bundles are always encrypted (to that key if none is given).
pub fn export_bytes(store: &Store, municipality: Option<&str>, encrypt_to: Option<&str>) -> Result<Vec<u8>, ExchangeError> {
    let s = settings::load(store)?;
    let key = match encrypt_to {
        Some(k) => Some(k.to_string()),
        None if s.kiosk => s.public_key,
        None => None,
    };
    let json = serde_json::to_vec_pretty(&export_bundle(store, municipality)?).expect("bundles serialize");
    Ok(match key {
        Some(k) => crypto::encrypt(&json, &k)?,
        None => json,
    })
}

/// Imports a bundle file's bytes, decrypting with `identity` when the file is encrypted.
pub fn import_bytes(
    store: &mut Store,
    bytes: &[u8],
    identity: Option<&age::x25519::Identity>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportSummary, ExchangeError> {
    if bytes.len() as u64 > MAX_BUNDLE_BYTES {
        return Err(ExchangeError::TooLarge(bytes.len() as u64));
    }
    let plain;
    let bytes = if crypto::is_encrypted(bytes) {
        plain = crypto::decrypt(bytes, identity.ok_or(CryptoError::NeedsKey)?)?;
        &plain[..]
    } else {
        bytes
    };
    if bytes.len() as u64 > MAX_BUNDLE_BYTES {
        return Err(ExchangeError::TooLarge(bytes.len() as u64));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ExchangeError::NotText)?;
    import_bundle(store, text, progress)
}

/// Reads and checks a bundle's text; no database is touched.
pub fn parse_bundle(text: &str) -> Result<Bundle, ExchangeError> {
    // Two passes that keep nothing in memory come first: the strict reading, and the count of
    // records, so that a file of a million tiny records is refused before it is built up.
    crate::strict_json::check(text).map_err(|e| ExchangeError::NotABundle(format!("broken JSON ({e})")))?;
    if let Ok(counts) = serde_json::from_str::<RecordCounts>(text) {
        let records = counts.initiatives.0 + counts.self_checks.0 + counts.review_log.0;
        if records > MAX_RECORDS {
            return Err(ExchangeError::TooManyRecords(records));
        }
    }
    // What kind of file it is, from its two header fields alone; then the records are read once,
    // straight into their types (no intermediate tree of the whole file).
    let header: Header = serde_json::from_str(text).map_err(|_| ExchangeError::NotABundle("the top level is not an object".into()))?;
    if header.format.as_ref().and_then(Value::as_str) != Some(FORMAT) {
        return Err(ExchangeError::NotABundle(format!("\"format\" must be \"{FORMAT}\"")));
    }
    match header.version.as_ref().and_then(Value::as_u64) {
        Some(VERSION) => {}
        Some(v) => return Err(ExchangeError::UnsupportedVersion(v)),
        None => return Err(ExchangeError::NotABundle("\"version\" is missing or not a whole number".into())),
    }
    let mut bundle: Bundle = serde_json::from_str(text).map_err(|e| ExchangeError::Invalid(without_position(&e)))?;
    validate(&mut bundle)?;
    Ok(bundle)
}

/// A bundle's header fields, read without its records.
#[derive(Deserialize)]
struct Header {
    format: Option<Value>,
    version: Option<Value>,
}

/// serde_json's message without " at line L column C": the message names the field already.
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// How many records a bundle's three lists hold, counted without keeping them.
#[derive(Deserialize)]
struct RecordCounts {
    #[serde(default)]
    initiatives: Count,
    #[serde(default)]
    self_checks: Count,
    #[serde(default)]
    review_log: Count,
}

#[derive(Default)]
struct Count(usize);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Count, D::Error> {
        struct Counter;
        impl<'de> serde::de::Visitor<'de> for Counter {
            type Value = Count;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Count, A::Error> {
                let mut n = 0;
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    n += 1;
                }
                Ok(Count(n))
            }
        }
        d.deserialize_seq(Counter)
    }
}

fn invalid(at: String, what: impl std::fmt::Display) -> ExchangeError {
    ExchangeError::Invalid(format!("{at}: {what}"))
}

fn check_text(at: &str, field: &str, text: &str, max: usize, required: bool) -> Result<(), ExchangeError> {
    let lines = if matches!(field, "description" | "note") { Lines::Many } else { Lines::One };
    crate::text::check(&format!("{at}.{field}"), text, lines).map_err(|e| ExchangeError::Invalid(e.to_string()))?;
    let n = text.chars().count();
    if required && text.trim().is_empty() {
        return Err(invalid(format!("{at}.{field}"), "is empty"));
    }
    if n > max {
        return Err(invalid(format!("{at}.{field}"), format!("is {n} characters long; the limit is {max}")));
    }
    Ok(())
}

/// How far ahead of this machine's clock a time in a file may be (clocks differ a little).
const FUTURE_SLACK: time::Duration = time::Duration::DAY;

/// Reads an RFC 3339 time from a file and gives it in the one form the store keeps: UTC, `Z`.
/// Times are compared as text, so every stored time must have that form; a time far in the
/// future would stay the "latest" forever and never be purged.
fn normalise_time(at: &str, text: &str) -> Result<String, ExchangeError> {
    use time::format_description::well_known::Rfc3339;
    let bad = || invalid(format!("{at}.created_at"), format!("\"{text}\" is not an RFC 3339 time"));
    let utc = store::utc_time(text).ok_or_else(bad)?;
    let t = time::OffsetDateTime::parse(&utc, &Rfc3339).map_err(|_| bad())?;
    if t > time::OffsetDateTime::now_utc() + FUTURE_SLACK {
        return Err(invalid(format!("{at}.created_at"), format!("{text} lies in the future")));
    }
    Ok(utc)
}

/// A UUID in the one spelling files use: lower case with hyphens. Other spellings of the same
/// UUID (upper case, braces, `urn:uuid:`, no hyphens) would otherwise make separate records.
fn canonical_uuid(at: String, id: &str) -> Result<(), ExchangeError> {
    match Uuid::parse_str(id) {
        Ok(u) if u.hyphenated().to_string() == id => Ok(()),
        Ok(u) => Err(invalid(at, format!("\"{id}\" must be written as {}", u.hyphenated()))),
        Err(_) => Err(invalid(at, format!("\"{id}\" is not a UUID"))),
    }
}

fn validate(b: &mut Bundle) -> Result<(), ExchangeError> {
    let mut ids = HashSet::new();
    let mut unique = |at: &str, id: &str| -> Result<(), ExchangeError> {
        canonical_uuid(format!("{at}.id"), id)?;
        if !ids.insert(id.to_string()) {
            return Err(invalid(format!("{at}.id"), format!("{id} appears more than once")));
        }
        Ok(())
    };
    for (n, i) in b.initiatives.iter_mut().enumerate() {
        let at = format!("initiatives[{n}]");
        unique(&at, &i.id)?;
        check_text(&at, "name", &i.name, MAX_NAME_CHARS, true)?;
        if let Some(d) = &i.description {
            check_text(&at, "description", d, MAX_DESCRIPTION_CHARS, false)?;
        }
        validate_point(i.lat, i.lon).map_err(|e| invalid(at.clone(), e))?;
        if i.target_groups.len() > MAX_TARGET_GROUPS {
            return Err(invalid(format!("{at}.target_groups"), format!("more than {MAX_TARGET_GROUPS} groups")));
        }
        for g in &i.target_groups {
            check_text(&at, "target_groups", g, MAX_TARGET_GROUP_CHARS, true)?;
        }
        i.created_at = normalise_time(&at, &i.created_at)?;
    }
    for (n, c) in b.self_checks.iter_mut().enumerate() {
        let at = format!("self_checks[{n}]");
        unique(&at, &c.id)?;
        canonical_uuid(format!("{at}.initiative_id"), &c.initiative_id)?;
        Role::parse(&c.role).ok_or_else(|| invalid(format!("{at}.role"), format!("\"{}\" is not resident, professional or policy", c.role)))?;
        assess::validate(catalog(), &c.answers).map_err(|e| invalid(format!("{at}.answers"), e))?;
        c.created_at = normalise_time(&at, &c.created_at)?;
    }
    for (n, r) in b.review_log.iter_mut().enumerate() {
        let at = format!("review_log[{n}]");
        unique(&at, &r.id)?;
        canonical_uuid(format!("{at}.initiative_id"), &r.initiative_id)?;
        let from = ReviewStatus::parse(&r.from).ok_or_else(|| invalid(format!("{at}.from"), format!("\"{}\" is not a review status", r.from)))?;
        let to = ReviewStatus::parse(&r.to).ok_or_else(|| invalid(format!("{at}.to"), format!("\"{}\" is not a review status", r.to)))?;
        if !from.can_move_to(to) {
            return Err(invalid(at.clone(), format!("{} cannot move to {}", r.from, r.to)));
        }
        check_text(&at, "reviewer", &r.reviewer, MAX_REVIEWER_CHARS, true)?;
        check_text(&at, "note", &r.note, MAX_NOTE_CHARS, false)?;
        r.created_at = normalise_time(&at, &r.created_at)?;
    }
    Ok(())
}

/// What the database holds under a self-check's id.
enum Held {
    Nothing,
    /// Marked by the retention purge and hidden, in its grace period: as good as gone.
    Marked,
    Check(StoredCheck),
}

fn check_exists(conn: &Connection, id: &str) -> Result<Held, StoreError> {
    // Most imported checks are new: a cheap look first, the whole record only when it exists.
    if !store::exists(conn, "self_checks", id)? {
        return Ok(Held::Nothing);
    }
    Ok(store::checks_where(conn, "id = ?1", id)?.pop().map_or(Held::Marked, Held::Check))
}

fn review_exists(conn: &Connection, id: &str) -> Result<Option<ReviewEntry>, StoreError> {
    Ok(store::reviews_where(conn, "id = ?1", id)?.pop())
}

/// Imports a bundle's text in one transaction, calling `progress(done, total)` as it goes.
pub fn import_bundle(store: &mut Store, text: &str, progress: &mut dyn FnMut(usize, usize)) -> Result<ImportSummary, ExchangeError> {
    let bundle = parse_bundle(text)?;
    let total = bundle.initiatives.len() + bundle.self_checks.len() + bundle.review_log.len();
    store.in_transaction(|tx| {
        let mut summary = ImportSummary::default();
        let mut done = 0;
        let mut step = |summary: &mut ImportSummary, outcome: Option<Conflict>, added: bool| {
            match (outcome, added) {
                (Some(c), _) => summary.conflicts.push(c),
                (None, true) => summary.added += 1,
                (None, false) => summary.skipped += 1,
            }
            done += 1;
            if done % 500 == 0 || done == total {
                progress(done, total);
            }
        };
        // Initiatives known to exist, so that each check need not ask the database again.
        let mut initiatives: HashSet<String> = HashSet::new();
        for i in &bundle.initiatives {
            // Hashing costs more than the insert: only for ids that already exist.
            let hash = || initiative_hash(&i.id, &i.name, i.description.as_deref(), i.lat, i.lon, &i.target_groups, &i.created_at);
            initiatives.insert(i.id.clone());
            if store::is_purged(tx, &i.id)? {
                step(&mut summary, None, false); // its details were purged here: never brought back
                continue;
            }
            let existing = if store::exists(tx, "initiatives", &i.id)? { Store::initiative_in(tx, &i.id)? } else { None };
            match existing {
                Some(existing) if stored_initiative_hash(&existing) == hash() => step(&mut summary, None, false),
                Some(_) => step(&mut summary, Some(Conflict { id: i.id.clone(), reason: "an initiative with this id exists with other content".into() }), false),
                None => {
                    let location = geography().locate(i.lat, i.lon).map_err(|e| invalid(i.id.clone(), e))?;
                    store::insert_initiative(tx, &Initiative {
                        id: i.id.clone(),
                        name: i.name.clone(),
                        description: i.description.clone(),
                        lat: i.lat,
                        lon: i.lon,
                        municipality: location.municipality,
                        province: location.province,
                        target_groups: i.target_groups.clone(),
                        created_at: i.created_at.clone(),
                    })?;
                    step(&mut summary, None, true);
                }
            }
        }
        let mut touched = std::collections::BTreeSet::new();
        let mut added_answers = std::collections::HashMap::new();
        for c in &bundle.self_checks {
            let hash = || check_hash(&c.id, &c.initiative_id, &c.role, &c.created_at, &c.answers);
            if store::is_purged(tx, &c.id)? {
                step(&mut summary, None, false); // purged here on purpose: never brought back
                continue;
            }
            match check_exists(tx, &c.id)? {
                // Marked for removal here: skipped, as a purged one is (docs/bundle-format.md).
                Held::Marked => step(&mut summary, None, false),
                Held::Check(existing) if stored_check_hash(&existing) == hash() => step(&mut summary, None, false),
                Held::Check(_) => step(&mut summary, Some(Conflict { id: c.id.clone(), reason: "a self-check with this id exists with other content".into() }), false),
                Held::Nothing => {
                    if !initiatives.contains(&c.initiative_id) && !store::exists(tx, "initiatives", &c.initiative_id)? {
                        return Err(invalid(format!("self-check {}", c.id), format!("its initiative {} is neither in the bundle nor in the database", c.initiative_id)));
                    }
                    let answers = assess::validate(catalog(), &c.answers).map_err(|e| invalid(c.id.clone(), e))?;
                    let scores = assess::score(catalog(), &answers).strategies;
                    let role = Role::parse(&c.role).expect("validated");
                    let check = StoredCheck { id: c.id.clone(), initiative_id: c.initiative_id.clone(), role, created_at: c.created_at.clone(), answers, scores };
                    store::insert_check(tx, &check)?;
                    touched.insert(check.initiative_id);
                    added_answers.insert(check.id, check.answers);
                    step(&mut summary, None, true);
                }
            }
        }
        store::aggregates::refresh_knowing(tx, &touched.into_iter().collect::<Vec<_>>(), &added_answers)?;
        for r in &bundle.review_log {
            let entry = ReviewEntry {
                id: r.id.clone(),
                initiative_id: r.initiative_id.clone(),
                from: ReviewStatus::parse(&r.from).expect("validated"),
                to: ReviewStatus::parse(&r.to).expect("validated"),
                reviewer: r.reviewer.clone(),
                note: r.note.clone(),
                created_at: r.created_at.clone(),
            };
            match review_exists(tx, &r.id)? {
                Some(existing) if review_hash(&existing) == review_hash(&entry) => step(&mut summary, None, false),
                Some(_) => step(&mut summary, Some(Conflict { id: r.id.clone(), reason: "a review entry with this id exists with other content".into() }), false),
                None => {
                    if Store::initiative_in(tx, &r.initiative_id)?.is_none() {
                        return Err(invalid(format!("review entry {}", r.id), format!("its initiative {} is neither in the bundle nor in the database", r.initiative_id)));
                    }
                    // The log is a chain: an entry must start where the log now ends, and not
                    // before its last entry. One that does not (another reviewer's decision on a
                    // state that has moved on here) is reported, never slipped into the chain.
                    let (current, last_at) = Store::review_head_in(tx, &r.initiative_id)?;
                    if entry.from != current || last_at.is_some_and(|t| entry.created_at < t) {
                        step(&mut summary, Some(Conflict { id: r.id.clone(), reason: format!("this review entry starts from {} but the review log here is at {}", entry.from.as_str(), current.as_str()) }), false);
                        continue;
                    }
                    store::insert_review(tx, &entry)?;
                    step(&mut summary, None, true);
                }
            }
        }
        Ok::<_, ExchangeError>(summary)
    })
}
