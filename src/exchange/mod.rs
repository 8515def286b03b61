/*! Moving self-checks between machines as a bundle: one readable UTF-8 JSON file.

Every record keeps the UUID it got where it was made. Import never overwrites: a record whose id
is new is added; one whose id exists with the same content (by our own hash) is skipped; one whose
id exists with other content is a conflict, reported, and the existing record stays. The file is
checked as a whole before anything is written ([`checking`]), then imported in one transaction
([`importing`]): a rejected file leaves the database exactly as it was. Both read the file as a
stream ([`reading`]), so a large file is never held as records. The format is documented in
docs/bundle-format.md. */
mod checking;
pub(crate) use checking::RecordRules;
pub mod export;
pub mod folder;
mod importing;
mod keeping;
mod reading;
pub mod xlsx;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use thiserror::Error;
use ts_rs::TS;

use crate::model::ReviewEntry;
use crate::model::{Action, Conversation, LessonNotes, OutcomeInput};
use crate::safety::crypto::{self, CryptoError};
use crate::safety::settings;
use crate::store::aggregates::Known;
use crate::store::provenance::{self, ImportOrigin, Machine};
use crate::store::Db;
use crate::store::{self, Initiative, Store, StoreError, StoredCheck};
use checking::Checker;
use importing::Importer;
use keeping::{Keeping, Kept};
pub use reading::BundleFile;
use reading::{Section, Source};

pub const FORMAT: &str = "wijkkompas-bundle";
/// The version written. Version 2 added group checks (respondents), notes per lesson, action
/// plans and their outcomes; version 3 the machines records were made on (provenance). An older
/// file is a newer one without those, and still imports.
pub const VERSION: u64 = 3;
/// The oldest version read.
pub const OLDEST_VERSION: u64 = 1;

/// The largest bundle file read (after decryption): about three times the largest real export
/// (100,000 self-checks are some 80 MB). A larger file is refused before it is read.
pub const MAX_BUNDLE_BYTES: u64 = 256 * 1024 * 1024;
/// A bundle file up to this size (a community centre's file is well under 1 MB) is read into
/// memory once, decrypted once and parsed once: the records that were checked are kept and
/// imported (a few times the file's size in memory), and the file cannot change in between. A
/// larger file is streamed twice, so that memory does not grow with it (`tests/import_memory`).
pub const READ_AT_ONCE_BYTES: u64 = 4 * 1024 * 1024;
/// The most records (initiatives, self-checks and review entries together) in one bundle.
pub const MAX_RECORDS: usize = 300_000;

#[derive(Debug, Error)]
pub enum ExchangeError {
    #[error("the file is not a Wijkkompas bundle: {0}")]
    NotABundle(String),
    #[error("this bundle has format version {0}; this Wijkkompas reads versions {OLDEST_VERSION} to {VERSION}. Update Wijkkompas to import it")]
    UnsupportedVersion(u64),
    /// Where in the file (a record and field, e.g. `self_checks[3].answers`; empty for the file
    /// as a whole) and which rule it breaks.
    #[error("the bundle was rejected, nothing was imported: {at}{}{}", if at.is_empty() { "" } else { ": " }, rule.words(crate::model::Lang::En))]
    Invalid {
        at: String,
        rule: crate::content::problem::Problem,
    },
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error("the file is not UTF-8 text, so it is not a Wijkkompas bundle")]
    NotText,
    #[error(
        "the file is {0} bytes; a bundle is at most {MAX_BUNDLE_BYTES} bytes. Nothing was imported"
    )]
    TooLarge(u64),
    #[error("the bundle holds more than {MAX_RECORDS} records, the most imported from one file. Export per municipality for smaller files. Nothing was imported")]
    TooManyRecords,
    #[error("cannot read {path}: {source}. Nothing was imported")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the file changed while it was being imported; nothing was imported. Import it again when it is complete")]
    Changed,
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
    /// Version 3: the machine that exported the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<Machine>,
    /// Version 3: the other machines that records in the file were made on (`made_on`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub machines: Vec<Machine>,
    pub initiatives: Vec<BundleInitiative>,
    pub self_checks: Vec<BundleCheck>,
    pub review_log: Vec<BundleReview>,
    /// Version 2: group rounds still open, so that members can answer on another machine.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_rounds: Vec<BundleRound>,
}

/// A group round still open: its initiative (by id, or the details of a new one), whose tips it
/// gives, and the members who have answered so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleRound {
    pub id: String,
    #[serde(default)]
    pub initiative_id: Option<String>,
    #[serde(default)]
    pub new_initiative: Option<crate::selfcheck::InitiativeInput>,
    pub role: String,
    #[serde(default)]
    pub previous_actions: Vec<OutcomeInput>,
    pub created_at: String,
    pub members: Vec<BundleMember>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleMember {
    pub id: String,
    pub role: String,
    #[serde(default)]
    pub on_paper: bool,
    #[serde(deserialize_with = "crate::content::strict_json::unique_map")]
    pub answers: BTreeMap<String, Option<i64>>,
    pub created_at: String,
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
    /// Version 3: the machine it was made on, when not the one that exported the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made_on: Option<String>,
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
    /// One person's answers; empty (left out) when `respondents` is given.
    #[serde(
        default,
        deserialize_with = "crate::content::strict_json::unique_map",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub answers: BTreeMap<String, Option<i64>>,
    /// Version 2: a group's answers (or one person's on paper), one entry per respondent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respondents: Option<Vec<BundleRespondent>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<LessonNotes>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<BundleAction>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_actions: Option<Vec<OutcomeInput>>,
    /// Version 3: the machine it was made on, when not the one that exported the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made_on: Option<String>,
    #[serde(default)]
    pub hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleRespondent {
    pub role: String,
    #[serde(default)]
    pub on_paper: bool,
    #[serde(deserialize_with = "crate::content::strict_json::unique_map")]
    pub answers: BTreeMap<String, Option<i64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleAction {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub who: Option<String>,
    pub due: String,
    pub lesson: String,
}

impl BundleCheck {
    /// Its respondents, whichever way the file gives them.
    pub fn respondent_list(&self) -> Vec<BundleRespondent> {
        match &self.respondents {
            Some(list) => list.clone(),
            None => vec![BundleRespondent {
                role: self.role.clone(),
                on_paper: false,
                answers: self.answers.clone(),
            }],
        }
    }

    pub fn conversation(&self) -> Conversation {
        Conversation {
            notes: self.notes.clone().unwrap_or_default(),
            actions: self
                .actions
                .iter()
                .flatten()
                .map(|a| Action {
                    id: a.id.clone(),
                    text: a.text.clone(),
                    who: a.who.clone(),
                    due: a.due.clone(),
                    lesson: a.lesson.clone(),
                })
                .collect(),
            outcomes: self.previous_actions.clone().unwrap_or_default(),
        }
    }
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
    /// Version 3: the machine it was made on, when not the one that exported the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made_on: Option<String>,
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
pub fn initiative_hash(
    id: &str,
    name: &str,
    description: Option<&str>,
    lat: f64,
    lon: f64,
    groups: &[String],
    created_at: &str,
) -> String {
    // -0.0 and 0.0 are one number (the store keeps them as one): one hash.
    sha256(&json!([
        "initiative",
        id,
        name,
        description,
        lat + 0.0,
        lon + 0.0,
        groups,
        created_at
    ]))
}

pub fn check_hash(
    id: &str,
    initiative_id: &str,
    role: &str,
    created_at: &str,
    answers: &BTreeMap<String, Option<i64>>,
) -> String {
    sha256(&json!([
        "self_check",
        id,
        initiative_id,
        role,
        created_at,
        answers
    ]))
}

/// A check's content hash. A check by one person on screen with nothing noted hashes as in
/// version 1 (so both versions of a file agree about it); any other by the version 2 rule.
pub fn group_check_hash(
    id: &str,
    initiative_id: &str,
    role: &str,
    created_at: &str,
    respondents: &[BundleRespondent],
    c: &Conversation,
) -> String {
    match respondents {
        [one] if !one.on_paper && one.role == role && *c == Conversation::default() => {
            check_hash(id, initiative_id, role, created_at, &one.answers)
        }
        _ => {
            let people: Vec<Value> = respondents
                .iter()
                .map(|r| json!([r.role, r.on_paper, r.answers]))
                .collect();
            let actions: Vec<Value> = c
                .actions
                .iter()
                .map(|a| json!([a.id, a.text, a.who, a.due, a.lesson]))
                .collect();
            let mut outcomes: Vec<Value> = c
                .outcomes
                .iter()
                .map(|o| json!([o.id, o.outcome.as_str(), o.note]))
                .collect();
            outcomes.sort_by_key(|v| v[0].as_str().unwrap_or_default().to_string());
            let notes: Vec<Value> = c
                .notes
                .iter()
                .map(|(l, n)| json!([l, n.good, n.better]))
                .collect();
            sha256(&json!([
                "self_check",
                2,
                id,
                initiative_id,
                role,
                created_at,
                people,
                notes,
                actions,
                outcomes
            ]))
        }
    }
}

pub fn review_hash(e: &ReviewEntry) -> String {
    sha256(&json!([
        "review",
        e.id,
        e.initiative_id,
        e.from.as_str(),
        e.to.as_str(),
        e.reviewer,
        e.note,
        e.created_at
    ]))
}

fn stored_initiative_hash(i: &Initiative) -> String {
    initiative_hash(
        &i.id,
        &i.name,
        i.description.as_deref(),
        i.lat,
        i.lon,
        &i.target_groups,
        &i.created_at,
    )
}

fn answers_wide(answers: &crate::model::Answers) -> BTreeMap<String, Option<i64>> {
    answers
        .iter()
        .map(|(k, v)| (k.clone(), v.map(i64::from)))
        .collect()
}

fn stored_respondents(c: &StoredCheck) -> Vec<BundleRespondent> {
    c.respondents
        .iter()
        .map(|r| BundleRespondent {
            role: r.role.as_str().into(),
            on_paper: r.on_paper,
            answers: answers_wide(&r.answers),
        })
        .collect()
}

fn stored_check_hash(c: &StoredCheck) -> String {
    group_check_hash(
        &c.id,
        &c.initiative_id,
        c.role.as_str(),
        &c.created_at,
        &stored_respondents(c),
        &c.conversation,
    )
}

/// A stored check as a bundle record: as in version 1 when it is one person's on screen with
/// nothing noted, with the version 2 fields otherwise.
fn bundle_check(c: StoredCheck) -> BundleCheck {
    let hash = Some(stored_check_hash(&c));
    let respondents = stored_respondents(&c);
    let plain =
        matches!(respondents.as_slice(), [one] if !one.on_paper && one.role == c.role.as_str());
    let conv = c.conversation;
    BundleCheck {
        hash,
        answers: if plain {
            respondents[0].answers.clone()
        } else {
            BTreeMap::new()
        },
        respondents: (!plain).then_some(respondents),
        notes: (!conv.notes.is_empty()).then_some(conv.notes),
        actions: (!conv.actions.is_empty()).then(|| {
            conv.actions
                .into_iter()
                .map(|a| BundleAction {
                    id: a.id,
                    text: a.text,
                    who: a.who,
                    due: a.due,
                    lesson: a.lesson,
                })
                .collect()
        }),
        previous_actions: (!conv.outcomes.is_empty()).then_some(conv.outcomes),
        id: c.id,
        initiative_id: c.initiative_id,
        role: c.role.as_str().into(),
        created_at: c.created_at,
        made_on: None,
    }
}

fn bundle_initiative(i: Initiative, made_on: Option<String>) -> BundleInitiative {
    BundleInitiative {
        hash: Some(stored_initiative_hash(&i)),
        made_on,
        id: i.id,
        name: i.name,
        description: i.description,
        lat: i.lat,
        lon: i.lon,
        target_groups: i.target_groups,
        created_at: i.created_at,
    }
}

fn bundle_review(e: ReviewEntry, made_on: Option<String>) -> BundleReview {
    BundleReview {
        hash: Some(review_hash(&e)),
        made_on,
        id: e.id,
        initiative_id: e.initiative_id,
        from: e.from.as_str().into(),
        to: e.to.as_str().into(),
        reviewer: e.reviewer,
        note: e.note,
        created_at: e.created_at,
    }
}

/// The machines records in an export were made on, other than this one.
struct PassedOn<'a> {
    db: Db<'a>,
    here: &'a Machine,
    machines: BTreeMap<String, String>,
}

impl PassedOn<'_> {
    /// The machine a record was made on, when another than this one; noted for the header.
    fn made_on(
        &mut self,
        record: provenance::Record,
        id: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(match self.db.made_elsewhere(record, id)? {
            Some(m) if m.id != self.here.id => {
                let id = m.id.clone();
                self.machines.insert(m.id, m.name);
                Some(id)
            }
            _ => None,
        })
    }
}

/// One record as a sync sends it ([`crate::sync`]): as a bundle carries it, with the machine it
/// was made on always named (this one when it was made here).
pub(crate) struct Outgoing<'a> {
    db: Db<'a>,
    here: Machine,
    /// Every machine named, this one included, for the server's list of machines.
    pub machines: BTreeMap<String, String>,
}

impl<'a> Outgoing<'a> {
    pub(crate) fn new(db: Db<'a>) -> Result<Self, StoreError> {
        let here = db.this_machine()?;
        let machines = BTreeMap::from([(here.id.clone(), here.name.clone())]);
        Ok(Outgoing { db, here, machines })
    }

    fn maker(&mut self, record: provenance::Record, id: &str) -> Result<String, StoreError> {
        Ok(match self.db.made_elsewhere(record, id)? {
            Some(m) => {
                self.machines.insert(m.id.clone(), m.name);
                m.id
            }
            None => self.here.id.clone(),
        })
    }

    /// An initiative (None when it is not here, or purged), with its areas.
    pub(crate) fn initiative(
        &mut self,
        id: &str,
    ) -> Result<Option<(BundleInitiative, Initiative)>, StoreError> {
        let Some(i) = self.db.initiative(id)? else {
            return Ok(None);
        };
        if self.db.is_purged(id)? {
            return Ok(None);
        }
        let made_on = Some(self.maker(provenance::Record::Initiative, id)?);
        Ok(Some((bundle_initiative(i.clone(), made_on), i)))
    }

    /// A visible self-check (None when it is gone or marked by the purge), with its scores.
    pub(crate) fn check(
        &mut self,
        id: &str,
    ) -> Result<Option<(BundleCheck, crate::model::StrategyScores)>, StoreError> {
        let Some(c) = self.db.visible_check(id)? else {
            return Ok(None);
        };
        let scores = c.scores;
        let made_on = Some(self.maker(provenance::Record::Check, id)?);
        Ok(Some((
            BundleCheck {
                made_on,
                ..bundle_check(c)
            },
            scores,
        )))
    }

    /// A review entry.
    pub(crate) fn review(&mut self, id: &str) -> Result<Option<BundleReview>, StoreError> {
        let Some(e) = self.db.review_entry(id)? else {
            return Ok(None);
        };
        let made_on = Some(self.maker(provenance::Record::Review, id)?);
        Ok(Some(bundle_review(e, made_on)))
    }
}

/// All self-checks (or one municipality's) with their initiatives and review logs.
pub fn export_bundle(store: &Store, municipality: Option<&str>) -> Result<Bundle, ExchangeError> {
    let db = store.db();
    let ids = store.initiative_ids(municipality)?;
    let here = db.this_machine()?;
    let mut passed_on = PassedOn {
        db,
        here: &here,
        machines: BTreeMap::new(),
    };
    let mut bundle = Bundle {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: store::now_rfc3339(),
        municipality: municipality.map(str::to_string),
        machine: Some(here.clone()),
        machines: Vec::new(),
        initiatives: Vec::new(),
        self_checks: Vec::new(),
        review_log: Vec::new(),
        group_rounds: Vec::new(),
    };
    for id in &ids {
        let i = db
            .initiative(id)?
            .ok_or_else(|| StoreError::UnknownInitiative(id.clone()))?;
        let made_on = passed_on.made_on(provenance::Record::Initiative, &i.id)?;
        bundle.initiatives.push(bundle_initiative(i, made_on));
        for c in db.checks_of(id)? {
            let made_on = passed_on.made_on(provenance::Record::Check, &c.id)?;
            bundle.self_checks.push(BundleCheck {
                made_on,
                ..bundle_check(c)
            });
        }
        for e in db.reviews(id)? {
            let made_on = passed_on.made_on(provenance::Record::Review, &e.id)?;
            bundle.review_log.push(bundle_review(e, made_on));
        }
    }
    // Open rounds of the initiatives exported; a whole export also takes those of new ones.
    for id in db.session_ids()? {
        let Some(r) = db.session_of(&id)? else {
            continue;
        };
        let in_scope = match &r.initiative_id {
            Some(initiative) => ids.contains(initiative),
            None => municipality.is_none(),
        };
        // A round that mixes versions of the questionnaire (let in before imports refused that)
        // would make the whole file refused wherever it goes; it stays here, to be cancelled.
        let one_set = crate::content::catalog::catalog()
            .statement_set_of(r.members.iter().flat_map(|m| m.answers.keys()))
            .is_some();
        if in_scope && one_set {
            bundle.group_rounds.push(bundle_round(r));
        }
    }
    bundle.machines = passed_on
        .machines
        .into_iter()
        .map(|(id, name)| Machine { id, name })
        .collect();
    Ok(bundle)
}

fn bundle_round(r: store::OpenSession) -> BundleRound {
    BundleRound {
        id: r.id,
        initiative_id: r.initiative_id,
        new_initiative: r
            .new_initiative
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok()),
        role: r.role.as_str().into(),
        previous_actions: serde_json::from_str(&r.outcomes).unwrap_or_default(),
        created_at: r.created_at,
        members: r
            .members
            .into_iter()
            .map(|m| BundleMember {
                id: m.id,
                role: m.role.as_str().into(),
                on_paper: m.on_paper,
                answers: answers_wide(&m.answers),
                created_at: m.created_at,
            })
            .collect(),
    }
}

/// The bundle as a file's bytes: pretty JSON, or age-encrypted to `encrypt_to`. On a kiosk
/// with the municipality's key set, bundles are always encrypted (to that key if none is given).
pub fn export_bytes(
    store: &Store,
    municipality: Option<&str>,
    encrypt_to: Option<&str>,
) -> Result<Vec<u8>, ExchangeError> {
    let s = settings::load(store)?;
    let key = match encrypt_to {
        Some(k) => Some(k.to_string()),
        None if s.kiosk => s.public_key,
        None => None,
    };
    let json =
        serde_json::to_vec_pretty(&export_bundle(store, municipality)?).expect("bundles serialize");
    Ok(match key {
        Some(k) => crypto::encrypt(&json, &k)?,
        None => json,
    })
}

/// Imports a bundle file from disk, read as a stream (see [`reading`]); `identity` decrypts an
/// encrypted one. Calls `progress(done, total)` as it goes; all in one transaction.
pub fn import_file(
    store: &mut Store,
    path: &Path,
    identity: Option<&age::x25519::Identity>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportSummary, ExchangeError> {
    import_path(store, path, identity, None, progress)
}

/// A file from disk under its own name. With `of_folder`, its initiatives' running sums and
/// facts are only noted, to be settled at the folder's end (`store.catch_up_facts`), so that 200
/// files do not each rewrite them.
pub(crate) fn import_path(
    store: &mut Store,
    path: &Path,
    identity: Option<&age::x25519::Identity>,
    of_folder: Option<&mut Known>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportSummary, ExchangeError> {
    // Stored as the records' source and listed: a name from outside, shown escaped.
    let name = path.file_name().map(crate::store::paths::shown_name);
    import(
        store,
        BundleFile::Path(path),
        name,
        identity,
        of_folder,
        progress,
    )
}

/// Imports a bundle file's bytes, decrypting with `identity` when the file is encrypted.
pub fn import_bytes(
    store: &mut Store,
    bytes: &[u8],
    identity: Option<&age::x25519::Identity>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportSummary, ExchangeError> {
    import(
        store,
        BundleFile::Bytes(bytes),
        None,
        identity,
        None,
        progress,
    )
}

/// Imports a bundle file's bytes under the file's name (the app has the bytes, and the name the
/// person chose), which its records then remember as their source.
pub fn import_named_bytes(
    store: &mut Store,
    bytes: &[u8],
    file_name: &str,
    identity: Option<&age::x25519::Identity>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportSummary, ExchangeError> {
    let name = std::path::Path::new(file_name)
        .file_name()
        .map(crate::store::paths::shown_name)
        .filter(|n| !n.is_empty());
    import(
        store,
        BundleFile::Bytes(bytes),
        name,
        identity,
        None,
        progress,
    )
}

/// Imports a bundle's text.
pub fn import_bundle(
    store: &mut Store,
    text: &str,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportSummary, ExchangeError> {
    import_bytes(store, text.as_bytes(), None, progress)
}

/// Checks the whole file first (a reading that writes nothing), then imports it in one
/// transaction: a small file's records as they were kept from that reading, a larger file's in a
/// second reading (or one per list when the file gives them in another order).
/// A file of a folder (`of_folder`) leaves the sums and facts to the folder's end, and adds
/// what it scored to what the folder knows once the file is committed.
fn import(
    store: &mut Store,
    file: BundleFile,
    file_name: Option<String>,
    identity: Option<&age::x25519::Identity>,
    of_folder: Option<&mut Known>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportSummary, ExchangeError> {
    import_then(store, file, file_name, identity, of_folder, progress, None)
}

/// What a caller does in the import's own transaction once the records are in: given the
/// transaction and the last number of this machine's sync log before the import began.
pub(crate) type InTransaction<'a> = &'a mut dyn FnMut(Db<'_>, i64) -> Result<(), StoreError>;

/// A bundle received in a sync ([`crate::sync`]), named `file_name`; `then` runs in the same
/// transaction, so that nothing written elsewhere can come between the records and it.
pub(crate) fn import_received(
    store: &mut Store,
    bytes: &[u8],
    file_name: &str,
    then: InTransaction<'_>,
) -> Result<ImportSummary, ExchangeError> {
    import_then(
        store,
        BundleFile::Bytes(bytes),
        Some(crate::store::paths::shown_name(file_name.as_ref())),
        None,
        None,
        &mut |_, _| {},
        Some(then),
    )
}

fn import_then(
    store: &mut Store,
    file: BundleFile,
    file_name: Option<String>,
    identity: Option<&age::x25519::Identity>,
    of_folder: Option<&mut Known>,
    progress: &mut dyn FnMut(usize, usize),
    mut then: Option<InTransaction<'_>>,
) -> Result<ImportSummary, ExchangeError> {
    let mut source = Source::open(file, identity)?;
    let now = time::OffsetDateTime::now_utc();
    let mut checker = Checker::new(now);
    // A small file's records are kept as they are checked and imported from memory; a larger
    // one is read again.
    let kept = if source.is_small_in_memory() {
        let mut keeping = Keeping {
            checker: &mut checker,
            kept: Kept::default(),
        };
        source.read(&mut keeping, true)?;
        Some(keeping.kept)
    } else {
        source.read(&mut checker, true)?;
        None
    };
    checker.finish()?;
    let origin = own_machine_kept(
        ImportOrigin {
            file: file_name,
            ..checker.origin()
        },
        &store.db().this_machine()?,
    )?;
    let defer_facts = of_folder.is_some();
    let (summary, known) = store.in_transaction(|db| {
        let logged_before = match then {
            Some(_) => db.last_logged()?,
            None => 0,
        };
        let mut importer = Importer::new(
            db,
            now,
            &checker.initiatives,
            checker.records,
            origin,
            progress,
        );
        importer.defer_facts = defer_facts;
        match kept {
            Some(kept) => kept.replay(&mut importer)?,
            None => {
                // One reading in import order, or one per list when the file gives them in another.
                let readings: Vec<Vec<Section>> = if checker.in_import_order() {
                    vec![Section::ALL.to_vec()]
                } else {
                    Section::ALL
                        .iter()
                        .filter(|s| checker.order.contains(s))
                        .map(|s| vec![*s])
                        .collect()
                };
                for sections in readings {
                    importer.sections = sections;
                    source.read(&mut importer, false)?;
                }
            }
        }
        let done = importer.finish()?;
        if let Some(then) = then.as_mut() {
            then(db, logged_before)?;
        }
        Ok::<_, ExchangeError>(done)
    })?;
    if let Some(folder) = of_folder {
        folder.merge(known);
    }
    Ok(summary)
}

/// A file that says this machine exported it did not come from here (this machine never imports
/// what it exported: its records are here, or were removed on purpose), so it is refused; one that
/// passes on records made here does not rename this machine.
fn own_machine_kept(
    mut origin: ImportOrigin,
    here: &Machine,
) -> Result<ImportOrigin, ExchangeError> {
    if origin.machine.as_ref().is_some_and(|m| m.id == here.id) {
        return Err(checking::invalid(
            "machine.id".into(),
            crate::content::problem::Problem::new(
                crate::content::problem::Kind::bundle_from_this_machine,
            )
            .with("machine", &here.id),
        ));
    }
    for m in origin.machines.iter_mut().filter(|m| m.id == here.id) {
        m.name = here.name.clone();
    }
    Ok(origin)
}

/// serde_json's message without " at line L column C": the message names the field already.
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}
