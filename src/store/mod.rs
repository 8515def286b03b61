/*! The per-user SQLite store: initiatives and their append-only self-checks.

Schema changes only through the numbered files in `migrations/`, applied in one IMMEDIATE
transaction and recorded in `PRAGMA user_version`. A database from a newer app is refused before
anything is written to it (not even the WAL switch), so an older app never damages newer data. */
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;
use thiserror::Error;
use ts_rs::TS;
use uuid::Uuid;

use self::backup::BackupError;
use crate::content::scoring;
use crate::geo::Location;
use crate::model::Conversation;
use crate::model::{Answers, Assessment, StrategyScores};
use crate::model::{Area, Role};
use crate::model::{ReviewEntry, ReviewStatus};

pub(crate) mod aggregates;
mod attempts;
pub mod backup;
mod conversation;
mod db;
pub(crate) mod facts;
pub(crate) mod import_lock;
pub mod paths;
pub mod provenance;
pub(crate) mod purging;
mod return_codes;
pub mod sessions;
pub mod sync_state;

pub use sessions::{OpenSession, SessionMember};

pub(crate) use db::Db;
pub use return_codes::ReturnCode;

/// The migrations, in order; migration n brings the schema to version n.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_initial.sql"),
    include_str!("migrations/002_indexes_and_settings.sql"),
    include_str!("migrations/003_review_log.sql"),
    include_str!("migrations/004_privacy.sql"),
    include_str!("migrations/005_running_aggregates.sql"),
    include_str!("migrations/006_application_id.sql"),
    include_str!("migrations/007_target_group_ids.sql"),
    include_str!("migrations/008_visible_checks.sql"),
    include_str!("migrations/009_wijken.sql"),
    include_str!("migrations/010_group_checks.sql"),
    include_str!("migrations/011_provenance.sql"),
    include_str!("migrations/012_initiative_facts.sql"),
    include_str!("migrations/013_sync_log.sql"),
    include_str!("migrations/014_erasure.sql"),
    include_str!("migrations/015_sync_skipped.sql"),
];

/// `PRAGMA application_id` of a Wijkkompas database ("WKMP"), in its header from schema 6 on.
pub const APPLICATION_ID: i32 = 0x574B_4D50;

/// The tables by which a database from before schema 6 (no application id yet) is known as ours.
const OUR_TABLES: [&str; 3] = ["initiatives", "self_checks", "answers"];

/// The first schema version with running aggregates; older databases get them computed once.
const AGGREGATES_SINCE: i64 = 5;

/// The first schema version in which every stored time is UTC with `Z`.
const UTC_TIMES_SINCE: i64 = 6;

/// The first schema version in which target groups are kept as ids.
const TARGET_GROUP_IDS_SINCE: i64 = 7;

/// The first schema version in which initiatives know their wijk.
const WIJKEN_SINCE: i64 = 9;

/// The first schema version that keeps each initiative's latest facts.
const FACTS_SINCE: i64 = 12;

/// Gives every initiative stored before schema 9 its wijk, from its point (purged ones none).
fn fill_wijken(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    let rows: Vec<(String, f64, f64)> = {
        let mut stmt = tx.prepare(
            "SELECT id, lat, lon FROM initiatives WHERE id NOT IN (SELECT id FROM tombstones)",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut update =
        tx.prepare("UPDATE initiatives SET wk_code = ?2, wk_name = ?3 WHERE id = ?1")?;
    for (id, lat, lon) in rows {
        if let Some(wijk) = crate::geo::geography()
            .locate(lat, lon)
            .ok()
            .and_then(|l| l.wijk)
        {
            update.execute(params![id, wijk.code, wijk.name])?;
        }
    }
    Ok(())
}

/// Turns the target groups stored before schema 7 (the label of the screen's language) into
/// ids, and any other text into the "other" group's text (`catalog::target_group_key`).
fn normalise_target_groups(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    let rows: Vec<(String, String)> = {
        let mut stmt =
            tx.prepare("SELECT id, target_groups FROM initiatives WHERE target_groups <> '[]'")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut update = tx.prepare("UPDATE initiatives SET target_groups = ?2 WHERE id = ?1")?;
    for (id, stored) in rows {
        let groups: Vec<String> = serde_json::from_str(&stored).unwrap_or_default();
        let keys = crate::content::catalog::target_group_keys(&groups);
        update.execute([
            &id,
            &serde_json::to_string(&keys).expect("strings serialize"),
        ])?;
    }
    Ok(())
}

/// A time in the one form the store keeps: RFC 3339 in UTC with `Z`. Times are compared as text
/// (which check is the latest), so a time with an offset, a space or a lower-case `t` would sort
/// wrongly. None for a text that is not an RFC 3339 time.
pub fn utc_time(text: &str) -> Option<String> {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::parse(text, &Rfc3339)
        .ok()?
        .to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .ok()
}

/// Brings the times stored before schema 6 (times from files were kept as written) into the
/// store's one form. Records are append-only, so their guards step aside for this one change.
/// Returns whether any time changed.
fn normalise_stored_times(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<bool> {
    tx.execute_batch(
        "DROP TRIGGER self_checks_are_append_only; DROP TRIGGER review_log_is_append_only;",
    )?;
    let mut changed = false;
    for table in ["initiatives", "self_checks", "review_log"] {
        let rows: Vec<(String, String)> = {
            let mut stmt = tx.prepare(&format!("SELECT id, created_at FROM {table}"))?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut update =
            tx.prepare(&format!("UPDATE {table} SET created_at = ?2 WHERE id = ?1"))?;
        for (id, at) in rows {
            if let Some(utc) = utc_time(&at).filter(|utc| *utc != at) {
                update.execute([&id, &utc])?;
                changed = true;
            }
        }
    }
    tx.execute_batch(
        "CREATE TRIGGER self_checks_are_append_only BEFORE UPDATE ON self_checks
         BEGIN SELECT RAISE(ABORT, 'a self-check cannot be changed; save a new one'); END;
         CREATE TRIGGER review_log_is_append_only BEFORE UPDATE ON review_log
         BEGIN SELECT RAISE(ABORT, 'a review entry cannot be changed; add a new one'); END;",
    )?;
    Ok(changed)
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("the database {path} was made by a newer version of Wijkkompas (schema {found}; this version knows up to {supported}). Update Wijkkompas to open it; the file has not been changed")]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("cannot open the database {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("cannot create the folder {path} for the database: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("updating the database to the new version failed, nothing was changed: {0}")]
    Migration(rusqlite::Error),
    #[error("no initiative with id {0}")]
    UnknownInitiative(String),
    #[error(
        "the details of initiative {0} were removed here; a new self-check cannot be added to it"
    )]
    InitiativeRemoved(String),
    #[error("an initiative cannot go from {} to {}", .from.as_str(), .to.as_str())]
    NotAllowed {
        from: ReviewStatus,
        to: ReviewStatus,
    },
    #[error("{name} cannot go from {} to {}; nothing was changed", from.as_str(), to.as_str())]
    NotAllowedFor {
        name: String,
        from: ReviewStatus,
        to: ReviewStatus,
    },
    #[error("no action with id {0} was agreed for this initiative")]
    UnknownAction(String),
    #[error("no group round with id {0} is open on this machine")]
    UnknownSession(String),
    #[error("a group round has at most {0} members")]
    SessionFull(usize),
    #[error(transparent)]
    Backup(#[from] BackupError),
    #[error("{path} is not a Wijkkompas database ({why}); it was not changed")]
    NotOurs { path: PathBuf, why: Foreign },
    #[error("could not move the damaged database {path} aside: {source}")]
    MoveAside {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("Wijkkompas cannot save in {0}: a read-only disk, or a folder without write permission; nothing was changed")]
    ReadOnlyPlace(PathBuf),
    /// A warning, not an error: the database was opened for reading in such a place.
    #[error("the database {0} was only read: Wijkkompas cannot save in that place")]
    ReadingOnly(PathBuf),
    #[error("the database refused the change: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// True when `table` (one of ours, never user input) has a row with this id.
pub(crate) fn exists(conn: &Connection, table: &'static str, id: &str) -> Result<bool, StoreError> {
    let sql = format!("SELECT 1 FROM {table} WHERE id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// True when a record with this id was purged (only its tombstone is left).
pub(crate) fn is_purged(conn: &Connection, id: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM tombstones WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// An initiative as stored.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Initiative {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub municipality: Option<Area>,
    pub province: Option<Area>,
    /// The CBS wijk of its point (None outside every wijk, or in a build without wijken).
    pub wijk: Option<Area>,
    pub target_groups: Vec<String>,
    pub created_at: String,
}

/// An initiative in a list of initiatives.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct InitiativeOverview {
    pub initiative: Initiative,
    pub checks: u32,
    pub latest_at: Option<String>,
}

/// What a new initiative needs; its id and time are made on save.
#[derive(Debug, Clone)]
pub struct NewInitiative {
    pub name: String,
    pub description: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub location: Location,
    pub target_groups: Vec<String>,
}

/// One person's answers in a self-check (a group check has several; never shown per person).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Respondent {
    pub role: Role,
    /// Answered on the paper form and entered later by the facilitator.
    pub on_paper: bool,
    pub answers: Answers,
}

impl Respondent {
    pub fn new(role: Role, answers: Answers) -> Respondent {
        Respondent {
            role,
            on_paper: false,
            answers,
        }
    }
}

impl NewInitiative {
    /// The initiative these details make, with its id and time.
    pub fn to_initiative(&self, id: String, created_at: String) -> Initiative {
        Initiative {
            id,
            name: self.name.clone(),
            description: self.description.clone(),
            lat: self.lat,
            lon: self.lon,
            municipality: self.location.municipality.clone(),
            province: self.location.province.clone(),
            wijk: self.location.wijk.clone(),
            target_groups: self.target_groups.clone(),
            created_at,
        }
    }
}

/// A self-check as stored; scores are unrounded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredCheck {
    pub id: String,
    pub initiative_id: String,
    /// Whose tips the result gives: the one respondent's role, or the group's.
    pub role: Role,
    pub created_at: String,
    /// One for a check by one person; 1 to 30.
    pub respondents: Vec<Respondent>,
    /// The group scores (for one respondent, that person's).
    pub scores: StrategyScores,
    pub conversation: Conversation,
}

impl StoredCheck {
    pub fn answer_sets(&self) -> Vec<&Answers> {
        self.respondents.iter().map(|r| &r.answers).collect()
    }

    /// The group's scores (one respondent: exactly that person's).
    pub fn assessment(&self) -> Assessment {
        scoring::score_group(
            crate::content::catalog::catalog(),
            self.respondents.iter().map(|r| &r.answers),
        )
    }

    /// Some or all of it was answered on paper.
    pub fn on_paper(&self) -> bool {
        self.respondents.iter().any(|r| r.on_paper)
    }
}

/// What a new self-check holds besides its initiative; its id and time are made on save.
#[derive(Debug, Clone)]
pub struct NewCheck {
    pub role: Role,
    pub respondents: Vec<Respondent>,
    pub conversation: Conversation,
}

impl NewCheck {
    /// One person's check with nothing noted.
    pub fn single(role: Role, answers: Answers) -> NewCheck {
        NewCheck {
            role,
            respondents: vec![Respondent::new(role, answers)],
            conversation: Conversation::default(),
        }
    }
}

/// A row of `list`: one self-check with its initiative's name and municipality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckSummary {
    pub id: String,
    pub initiative_id: String,
    pub initiative: InitiativeName,
    pub municipality: Option<Area>,
    pub wijk: Option<Area>,
    pub created_at: String,
    /// Rounded to one decimal.
    pub scores: StrategyScores,
    /// How many people answered (1 for a check by one person).
    pub respondents: u32,
    /// Where the check came from: this machine, or the machine and file it was imported from.
    pub source: provenance::Source,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InitiativeName {
    pub name: String,
}

/// Which initiative a new self-check belongs to.
pub enum CheckTarget<'a> {
    New(&'a NewInitiative),
    Existing(&'a str),
}

/// A read transaction held open; see [`Store::snapshot`].
pub(crate) struct Snapshot<'a> {
    _reading: rusqlite::Transaction<'a>,
}

pub struct Store {
    conn: Connection,
    /// The file, for backups; None in memory.
    path: Option<PathBuf>,
    /// Failures beside the person's action, for the faces to show (`take_warnings`).
    warnings: std::cell::RefCell<Vec<StoreError>>,
}

/// What a file at a database path is, judged before anything is written to it.
#[derive(Debug, Clone, PartialEq)]
pub enum FileKind {
    /// No file, or an empty one: a new database is made there.
    New,
    /// A SQLite database of ours: our application id, or (from before schema 6) our tables.
    Ours,
    /// Anything else, with the reason: it is never opened for writing.
    Foreign(Foreign),
}

/// Why a file is not a Wijkkompas database.
#[derive(Debug, Clone, PartialEq)]
pub enum Foreign {
    Unreadable(String),
    NotSqlite,
    OtherProgram(i32),
    OtherTables,
}

impl std::fmt::Display for Foreign {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Foreign::Unreadable(e) => write!(f, "it cannot be read: {e}"),
            Foreign::NotSqlite => f.write_str("it is not a SQLite database"),
            Foreign::OtherProgram(id) => {
                write!(f, "it belongs to another program (application id {id:#x})")
            }
            Foreign::OtherTables => f.write_str("it holds another program's tables"),
        }
    }
}

/// Tells, from its header and (for files from before schema 6) its tables, whether the file at
/// `path` is a Wijkkompas database. Reads only.
pub fn recognise(path: &Path) -> FileKind {
    use std::io::Read;
    let mut header = [0u8; 100];
    let read = match std::fs::File::open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return FileKind::New,
        Err(e) => return FileKind::Foreign(Foreign::Unreadable(e.to_string())),
        Ok(mut f) => {
            let mut n = 0;
            while n < header.len() {
                match f.read(&mut header[n..]) {
                    Ok(0) => break,
                    Ok(k) => n += k,
                    Err(e) => return FileKind::Foreign(Foreign::Unreadable(e.to_string())),
                }
            }
            n
        }
    };
    if read == 0 {
        return FileKind::New;
    }
    if read < header.len() || &header[..16] != b"SQLite format 3\0" {
        return FileKind::Foreign(Foreign::NotSqlite);
    }
    let application_id = i32::from_be_bytes([header[68], header[69], header[70], header[71]]);
    if application_id == APPLICATION_ID {
        return FileKind::Ours;
    }
    if application_id != 0 {
        return FileKind::Foreign(Foreign::OtherProgram(application_id));
    }
    let tables = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .and_then(|conn| {
        let mut stmt = conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")?;
        let names = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(names)
    });
    match tables {
        Ok(names) if names.is_empty() => FileKind::New,
        Ok(names) if OUR_TABLES.iter().all(|t| names.iter().any(|n| n == t)) => FileKind::Ours,
        Ok(_) => FileKind::Foreign(Foreign::OtherTables),
        Err(e) => FileKind::Foreign(Foreign::Unreadable(e.to_string())),
    }
}

/// True for the errors SQLite gives when a file is not (or no longer) a sound database.
fn is_damaged(e: &StoreError) -> bool {
    let sqlite = match e {
        StoreError::Open { source, .. }
        | StoreError::Migration(source)
        | StoreError::Sqlite(source) => source,
        _ => return false,
    };
    matches!(
        sqlite.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

pub(crate) fn now_rfc3339() -> String {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .expect("UTC time formats as RFC 3339")
}

fn area(code: Option<String>, name: Option<String>) -> Option<Area> {
    Some(Area {
        code: code?,
        name: name?,
    })
}

/// An initiative from the first eleven columns of a row, in the order of `INITIATIVE_COLUMNS`.
fn initiative_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Initiative> {
    Ok(Initiative {
        id: r.get(0)?,
        name: r.get(1)?,
        description: r.get(2)?,
        lat: r.get(3)?,
        lon: r.get(4)?,
        municipality: area(r.get(5)?, r.get(6)?),
        province: area(r.get(7)?, r.get(8)?),
        target_groups: serde_json::from_str(&r.get::<_, String>(9)?).unwrap_or_default(),
        created_at: r.get(10)?,
        wijk: area(r.get(11)?, r.get(12)?),
    })
}

/// An initiative in a municipality's list: its checks, its latest scores and its review status.
#[derive(Debug, Clone)]
pub struct AreaRow {
    pub initiative: Initiative,
    pub checks: u32,
    pub latest_at: Option<String>,
    /// Of the latest visible check, unrounded.
    pub scores: Option<StrategyScores>,
    /// How many people answered the latest visible check (0 without one).
    pub respondents: u32,
    pub status: ReviewStatus,
    /// Where the initiative came from.
    pub source: provenance::Source,
}

/// Brings a connection's schema up to [`SCHEMA_VERSION`], or refuses a newer one. A current
/// database is only read: commands that read never wait for a writer's lock.
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let found: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(StoreError::Migration)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(StoreError::Migration)?;
    // Read inside the write lock: another process may have migrated while we waited.
    let found: i64 = tx
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(StoreError::Migration)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(()); // nothing to do: opening a current database writes nothing
    }
    for sql in &MIGRATIONS[found as usize..] {
        tx.execute_batch(sql).map_err(StoreError::Migration)?;
    }
    let times_changed = found > 0
        && found < UTC_TIMES_SINCE
        && normalise_stored_times(&tx).map_err(StoreError::Migration)?;
    if found > 0 && found < TARGET_GROUP_IDS_SINCE {
        normalise_target_groups(&tx).map_err(StoreError::Migration)?;
    }
    let wijken_filled = found > 0 && found < WIJKEN_SINCE;
    if wijken_filled {
        fill_wijken(&tx).map_err(StoreError::Migration)?;
    }
    let as_migration = |e| match e {
        StoreError::Sqlite(e) => StoreError::Migration(e),
        other => other,
    };
    if (found > 0 && found < AGGREGATES_SINCE) || times_changed || wijken_filled {
        aggregates::rebuild(&tx).map_err(as_migration)?;
    }
    if found > 0 && found < FACTS_SINCE {
        facts::rebuild(&tx).map_err(as_migration)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(StoreError::Migration)?;
    tx.commit().map_err(StoreError::Migration)
}

/// Connects to a database file and reads its schema: a database of ours whose first page is
/// damaged fails here, so that `open_or_recover` can move it aside before anything else is done.
fn connect(path: &Path, index_in_memory: bool) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    if index_in_memory {
        let _mode: String = conn.query_row("PRAGMA locking_mode = EXCLUSIVE", [], |r| r.get(0))?;
    }
    let _: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    Ok(conn)
}

/// Connects to a database file for reading only. `immutable` tells SQLite that nothing changes
/// the file while it is open, so that it needs no -shm file: for a read-only medium, where none
/// can be made (and nothing else can write).
fn connect_read_only(path: &Path, how: Reading) -> rusqlite::Result<Connection> {
    use rusqlite::OpenFlags;
    let conn = match how {
        // The exclusive lock this needs is a write lock, which a read-only file cannot take;
        // `query_only` keeps this connection from writing all the same.
        Reading::IndexInMemory => connect(path, true)?,
        Reading::Shared | Reading::Immutable => {
            let query = if how == Reading::Immutable {
                "immutable=1"
            } else {
                "mode=ro"
            };
            let conn = Connection::open_with_flags(
                crate::store::paths::sqlite_uri(path, query),
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_URI
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.busy_timeout(Duration::from_secs(5))?;
            let _: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
            conn
        }
    };
    conn.pragma_update(None, "query_only", true)?;
    Ok(conn)
}

/// How a database is opened for reading only.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// As every reader: beside writers, through the shared WAL index (the -shm file).
    Shared,
    /// The WAL index in this process's memory, for a full disk where no -shm file can be made
    /// (which keeps writers out while it is open).
    IndexInMemory,
    /// As a file nothing changes, for a read-only medium where no -shm file can be made.
    Immutable,
}

/// The first line of an error, without the SQL that SQLite quotes after it.
fn one_line(e: &impl std::fmt::Display) -> String {
    let text = e.to_string();
    let first = text.lines().next().unwrap_or_default();
    first
        .split(" in --")
        .next()
        .unwrap_or(first)
        .trim()
        .to_string()
}

/// A restore candidate, checked whole on a copy in memory and brought up to date there: a sound
/// SQLite database of ours, of a version this build reads, whose migrations succeed and which
/// then has every table a new database has.
fn rehearse_restore(from: &Path) -> Result<Connection, StoreError> {
    let bad = |why: String| StoreError::Backup(BackupError::Unusable(from.to_path_buf(), why));
    match recognise(from) {
        FileKind::Ours => {}
        FileKind::New => return Err(bad("it is empty".into())),
        FileKind::Foreign(why) => return Err(bad(why.to_string())),
    }
    let source = Connection::open_with_flags(from, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| bad(e.to_string()))?;
    let check: String = source
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| bad(e.to_string()))?;
    if check != "ok" {
        return Err(bad(format!("integrity check says {check}")));
    }
    let version: i64 = source
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| bad(e.to_string()))?;
    if version == 0 || version > SCHEMA_VERSION {
        return Err(bad(format!(
            "schema version {version}; this Wijkkompas reads 1 to {SCHEMA_VERSION}"
        )));
    }
    let mut copy = Connection::open_in_memory()?;
    rusqlite::backup::Backup::new(&source, &mut copy)
        .and_then(|b| b.run_to_completion(256, Duration::ZERO, None))
        .map_err(|e| bad(e.to_string()))?;
    copy.pragma_update(None, "foreign_keys", true)?;
    // The migration's own error says "nothing was changed" of the copy; the refusal says it of
    // the live database, once.
    migrate(&mut copy, from).map_err(|e| match e {
        StoreError::Migration(sqlite) => bad(format!(
            "its schema cannot be brought up to date ({})",
            one_line(&sqlite)
        )),
        other => bad(one_line(&other)),
    })?;
    let tables = |conn: &Connection| -> rusqlite::Result<Vec<String>> {
        let mut stmt = conn.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view', 'trigger') ORDER BY name")?;
        let names = stmt.query_map([], |r| r.get(0))?.collect();
        names
    };
    let fresh = Store::open_in_memory()?;
    let (have, want) = (tables(&copy)?, tables(&fresh.conn)?);
    if let Some(missing) = want.iter().find(|t| !have.contains(t)) {
        return Err(bad(format!("it lacks {missing}")));
    }
    let dangling: Option<String> = copy
        .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
        .optional()?;
    if let Some(table) = dangling {
        return Err(bad(format!("{table} refers to records that are not there")));
    }
    Ok(copy)
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it. A file that is not a
    /// Wijkkompas database (someone else's, by a wrong `--db`) is refused before anything is
    /// written to it.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let FileKind::Foreign(why) = recognise(path) {
            return Err(StoreError::NotOurs {
                path: path.to_path_buf(),
                why,
            });
        }
        // Said before anything is tried: SQLite's own words would be "unable to open database file".
        let dir_exists = path
            .parent()
            .map_or(true, |d| d.as_os_str().is_empty() || d.exists());
        if dir_exists && !crate::store::paths::can_write_beside(path) {
            return Err(StoreError::ReadOnlyPlace(path.to_path_buf()));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The app's own folder is its owner's only; a folder the person chose keeps its mode.
            let own = crate::store::paths::app_data_dir().is_some_and(|own| own == dir);
            let made = if own {
                crate::store::paths::make_private_folder(dir)
            } else {
                std::fs::create_dir_all(dir)
            };
            made.map_err(|source| StoreError::Folder {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        // A new database is made owner-only before SQLite opens it (its -wal and -shm follow).
        if !path.exists() {
            let _ = crate::store::paths::create_private_file(path);
        }
        crate::store::paths::keep_database_private(path);
        let open_err = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let conn = match connect(path, false) {
            // On a full disk the WAL index (the -shm file) cannot be made; the database can still
            // be read with the index in this process's memory (which keeps other processes out
            // while it is open). Writes then fail with a clear error, and change nothing.
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::SystemIoFailure | rusqlite::ErrorCode::DiskFull)
                ) =>
            {
                connect(path, true).map_err(open_err)?
            }
            other => other.map_err(open_err)?,
        };
        let found: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(open_err)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        // WAL lets the app read while a save is under way. FULL syncs the WAL on every commit:
        // saves come at human pace, and a save reported as done must survive a power cut.
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .map_err(open_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            let _mode: String = conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                .map_err(open_err)?;
        }
        if found > 0 && found < SCHEMA_VERSION {
            // Never migrate without a way back.
            backup::make(&conn, path, &format!("before-migration-v{found}"))?;
        }
        let mut store = Self::configure(conn, path, Some(path.to_path_buf()))?;
        if found > 0 {
            store.finish_cut_off_import()?;
            store.daily_backup_or_warn();
        }
        Ok(store)
    }

    /// Opens the database for a command that only reads (a list, figures, an export, a copy):
    /// nothing is written to it, so a cut-off import's facts are not settled and no daily backup
    /// is made here; the next command that saves does both. A database on a read-only medium or
    /// in a folder without write permission is read all the same, with a warning that saving is
    /// not possible there (`take_warnings`). A file that is not there yet, or whose schema must be
    /// brought up to date first, is opened as by [`Store::open`].
    pub fn open_for_reading(path: &Path) -> Result<Store, StoreError> {
        match recognise(path) {
            FileKind::New => return Store::open(path),
            FileKind::Foreign(why) => {
                return Err(StoreError::NotOurs {
                    path: path.to_path_buf(),
                    why,
                })
            }
            FileKind::Ours => {}
        }
        let open_err = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let writable = crate::store::paths::can_write_beside(path);
        let conn = match connect_read_only(path, Reading::Shared) {
            // Without a -shm file and no way to make one: on a read-only medium as an unchanging
            // file, on a full disk with the index in memory.
            Err(_) if !writable => connect_read_only(path, Reading::Immutable).map_err(open_err)?,
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::SystemIoFailure | rusqlite::ErrorCode::DiskFull)
                ) =>
            {
                connect_read_only(path, Reading::IndexInMemory).map_err(open_err)?
            }
            other => other.map_err(open_err)?,
        };
        let found: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(open_err)?;
        if found > 0 && found < SCHEMA_VERSION && !writable {
            return Self::read_through_copy(conn, path);
        }
        if found != SCHEMA_VERSION {
            drop(conn);
            return Store::open(path);
        }
        let store = Self::configure(conn, path, Some(path.to_path_buf()))?;
        if !writable {
            store
                .warnings
                .borrow_mut()
                .push(StoreError::ReadingOnly(path.to_path_buf()));
        }
        Ok(store)
    }

    /// A folder import that was cut off (the power, a kill) left sums and facts to settle: they
    /// are, before anything reads them. Nothing is written when there is nothing to do, nor
    /// while a folder import runs: its facts are its own to settle (`import_lock`).
    fn finish_cut_off_import(&mut self) -> Result<(), StoreError> {
        let pending: bool =
            self.conn
                .query_row("SELECT EXISTS (SELECT 1 FROM facts_pending)", [], |r| {
                    r.get(0)
                })?;
        let running = || {
            self.path
                .as_deref()
                .is_some_and(import_lock::import_running)
        };
        if pending && !running() {
            self.write(|tx| facts::catch_up(tx, &aggregates::Known::default()))?;
        }
        Ok(())
    }

    /// Settles the running sums and facts a folder import noted (see `exchange::folder`).
    /// Carries out erasures received in a sync; returns how many records went here.
    pub fn apply_erasures(
        &mut self,
        tombstones: &[crate::model::Tombstone],
    ) -> Result<u32, StoreError> {
        if tombstones.is_empty() {
            return Ok(0);
        }
        self.write(|tx| purging::apply_erasures(tx, tombstones))
    }

    /// Erases a self-check, or an initiative with all its self-checks, everywhere: see
    /// `safety::erasure`.
    pub(crate) fn erase(
        &mut self,
        id: &str,
        reason: &str,
        at: &str,
    ) -> Result<(purging::Erased, u32), StoreError> {
        self.write(|tx| purging::erase(tx, id, reason, at))
    }

    /// Whether each commit waits until it is on disk (the default). A folder import turns this off
    /// for its files and on again for its last commit: in WAL mode that one flush makes every
    /// earlier commit durable too, and 200 files cost one wait for the disk instead of 200.
    pub(crate) fn set_commits_wait_for_disk(&self, wait: bool) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "synchronous", if wait { "FULL" } else { "NORMAL" })?;
        Ok(())
    }

    /// Marks a folder import of this database as running, until the lock is dropped.
    pub(crate) fn hold_import_lock(&self) -> Option<import_lock::ImportLock> {
        self.path.as_deref().and_then(import_lock::ImportLock::take)
    }

    /// Puts the write-ahead log on disk without a lock of the database: for when a checkpoint
    /// or a commit cannot be had (a full disk, another program's lock).
    pub(crate) fn sync_log(&self) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        std::fs::File::open(wal)?.sync_all()
    }

    /// How long a write waits for another's lock before it gives up (5 s unless a test says).
    #[cfg(test)]
    pub(crate) fn set_busy_timeout(&self, wait: Duration) -> Result<(), StoreError> {
        self.conn.busy_timeout(wait)?;
        Ok(())
    }

    /// Settles the sums and facts that imports noted; true when there were any (and so a commit).
    pub(crate) fn catch_up_facts(&mut self, known: &aggregates::Known) -> Result<bool, StoreError> {
        self.write(|tx| facts::catch_up(tx, known))
    }

    /// Puts every commit so far on disk, without a commit of its own (a WAL checkpoint, which
    /// flushes the log first).
    pub(crate) fn flush_to_disk(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(FULL)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Opens the database; if it is a database of ours that is damaged, moves it aside in the same
    /// folder (never deletes it) and starts a new one. Returns where the damaged file went, if it
    /// was moved. Anything that is not ours is refused untouched, damaged or not.
    pub fn open_or_recover(path: &Path) -> Result<(Store, Option<PathBuf>), StoreError> {
        match Store::open(path) {
            Err(e) if is_damaged(&e) && recognise(path) == FileKind::Ours => {
                let stamp = now_rfc3339().replace([':', '-'], "").replace('.', "-");
                let aside = path.with_file_name(format!(
                    "{}.damaged-{stamp}",
                    path.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| "wijkkompas.db".into())
                ));
                std::fs::rename(path, &aside).map_err(|source| StoreError::MoveAside {
                    path: path.to_path_buf(),
                    source,
                })?;
                for suffix in ["-wal", "-shm"] {
                    let side = PathBuf::from(format!("{}{suffix}", path.display()));
                    if side.exists() {
                        let to = PathBuf::from(format!("{}{suffix}", aside.display()));
                        std::fs::rename(&side, &to).map_err(|source| StoreError::MoveAside {
                            path: side.clone(),
                            source,
                        })?;
                    }
                }
                Ok((Store::open(path)?, Some(aside)))
            }
            other => other.map(|s| (s, None)),
        }
    }

    /// An older database in a place where nothing can be saved (so not brought up to date in
    /// place): read through a copy in memory that the migrations bring up to date. The file is
    /// not changed.
    fn read_through_copy(source: Connection, path: &Path) -> Result<Store, StoreError> {
        let mut copy = Connection::open_in_memory()?;
        rusqlite::backup::Backup::new(&source, &mut copy)
            .and_then(|b| b.run_to_completion(256, Duration::ZERO, None))?;
        drop(source);
        let store = Self::configure(copy, path, Some(path.to_path_buf()))?;
        store
            .warnings
            .borrow_mut()
            .push(StoreError::ReadingOnly(path.to_path_buf()));
        Ok(store)
    }

    /// As [`Store::open_for_reading`]; a damaged database of ours is handled as by
    /// [`Store::open_or_recover`] (moved aside, a new one started), since nothing can be read
    /// from it.
    pub fn open_for_reading_or_recover(
        path: &Path,
    ) -> Result<(Store, Option<PathBuf>), StoreError> {
        match Store::open_for_reading(path) {
            Err(e) if is_damaged(&e) => Store::open_or_recover(path),
            other => other.map(|s| (s, None)),
        }
    }

    /// Makes the daily backup if none was made in the last day (no-op in memory).
    pub fn daily_backup(&self) -> Result<Option<PathBuf>, StoreError> {
        match &self.path {
            Some(p) => Ok(backup::daily(&self.conn, p)?),
            None => Ok(None),
        }
    }

    /// The daily backup, as a side task of whatever the person is doing: if it fails, their
    /// action still happens and reports success, and the failure waits in [`Store::take_warnings`].
    fn daily_backup_or_warn(&self) {
        if let Err(e) = self.daily_backup() {
            self.warnings.borrow_mut().push(e);
        }
    }

    /// What went wrong beside the person's action (a daily backup that could not be made), since
    /// the last call: for the faces to show as a warning.
    pub fn take_warnings(&self) -> Vec<StoreError> {
        std::mem::take(&mut *self.warnings.borrow_mut())
    }

    /// Makes a backup now.
    pub fn backup_now(&self, reason: &str) -> Result<PathBuf, StoreError> {
        let p = self.path.as_ref().ok_or_else(|| {
            StoreError::Backup(BackupError::Unusable(
                PathBuf::from(":memory:"),
                "a database in memory has no backups".into(),
            ))
        })?;
        Ok(backup::make(&self.conn, p, reason)?)
    }

    /// After a removal for good: one backup of the state now replaces every older one (see
    /// `backup::replace_all_after_removal`). A database in memory has none to replace.
    pub(crate) fn replace_backups_after_removal(&self) -> Result<(), StoreError> {
        if let Some(p) = &self.path {
            backup::replace_all_after_removal(&self.conn, p)?;
        }
        Ok(())
    }

    /// Copies the whole database into the empty file at `to` (an output's temporary file), with
    /// SQLite's backup API: consistent while another process writes, and possible when the
    /// database is only read.
    pub fn copy_into(&self, to: &Path) -> Result<(), StoreError> {
        self.conn.backup(
            rusqlite::MAIN_DB,
            to,
            None::<fn(rusqlite::backup::Progress)>,
        )?;
        Ok(())
    }

    pub fn backups(&self) -> Result<Vec<backup::BackupFile>, StoreError> {
        Ok(self
            .path
            .as_deref()
            .map(backup::list)
            .transpose()?
            .unwrap_or_default())
    }

    /// As [`Store::restore_from`], for a file that must be one of this database's own backups
    /// (what the app offers): any other path is refused and nothing changes.
    pub fn restore_listed(&mut self, from: &Path) -> Result<PathBuf, StoreError> {
        if !self.backups()?.iter().any(|b| Path::new(&b.path) == from) {
            return Err(BackupError::NotListed(from.to_path_buf()).into());
        }
        self.restore_from(from)
    }

    /// Replaces the database's content with a backup's, after checking the whole backup and
    /// backing up the current state. Returns the backup of the state before the restore.
    ///
    /// Everything that can fail about the candidate is tried first on a copy in memory: that it
    /// is a sound database of ours, and that the migrations bring it up to date. Only then is the
    /// current state backed up and the migrated copy written over the live database, in one step.
    /// A restore that fails leaves the database and the set of backups as they were.
    pub fn restore_from(&mut self, from: &Path) -> Result<PathBuf, StoreError> {
        let live = self.path.clone().ok_or_else(|| {
            StoreError::Backup(BackupError::Unusable(
                PathBuf::from(":memory:"),
                "a database in memory has no backups".into(),
            ))
        })?;
        let candidate = rehearse_restore(from)?;
        let before = backup::make_unpruned(&self.conn, &live, "before-restore")?;
        // All pages in one step: one write transaction on the live file, all or nothing.
        let copied = rusqlite::backup::Backup::new(&candidate, &mut self.conn)
            .and_then(|b| b.run_to_completion(i32::MAX, Duration::ZERO, None));
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&before);
            return Err(e.into());
        }
        backup::prune(&live, &[&before, from]);
        Ok(before)
    }

    /// A private database in memory, for tests and dry runs.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory()?;
        Self::configure(conn, Path::new(":memory:"), None)
    }

    fn configure(
        mut conn: Connection,
        path: &Path,
        file: Option<PathBuf>,
    ) -> Result<Store, StoreError> {
        // Plans that do not depend on the values bound (there are no ANALYZE statistics to weigh
        // them by): without this, SQLite 3.54 compiles some statements again each time a new
        // value is bound, and reading a check for a sync cost three times as much.
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        // What is deleted (a purged self-check, an initiative's details) is overwritten in the
        // file, not left readable in free pages.
        conn.pragma_update(None, "secure_delete", true)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // A page cache of up to 32 MiB (SQLite's default is 2 MiB): a municipality's import keeps
        // the table's sort indexes up to date, and with a small cache their pages are written
        // out and read back again for every few rows. Only filled when that much is read.
        conn.pragma_update(None, "cache_size", -32_768)?;
        migrate(&mut conn, path)?;
        Ok(Store {
            conn,
            path: file,
            warnings: Default::default(),
        })
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Saves a self-check, creating its initiative first when it is new, in one transaction.
    pub fn save_check(
        &mut self,
        target: CheckTarget<'_>,
        new: &NewCheck,
    ) -> Result<(Initiative, StoredCheck), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let saved = save_check_in(&tx, target, new, None)?;
        tx.commit()?;
        self.daily_backup_or_warn();
        Ok(saved)
    }

    pub(crate) fn initiative_in(
        conn: &Connection,
        id: &str,
    ) -> Result<Option<Initiative>, StoreError> {
        Ok(conn
            .prepare_cached(
                "SELECT id, name, description, lat, lon, gm_code, gm_name, pv_code, pv_name, target_groups, created_at, wk_code, wk_name
                 FROM initiatives WHERE id = ?1",
            )?
            .query_row(
                [id],
                initiative_from_row,
            )
            .optional()?)
    }

    pub fn initiative(&self, id: &str) -> Result<Option<Initiative>, StoreError> {
        Self::initiative_in(&self.conn, id)
    }

    /// Keeps contact details for an initiative (the caller has checked the consent).
    pub fn set_contact(&self, initiative_id: &str, contact: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE initiatives SET contact = ?2 WHERE id = ?1",
            params![initiative_id, contact],
        )?;
        Ok(())
    }

    /// Ids of all initiatives, or of one municipality's (CBS code), oldest first.
    pub fn initiative_ids(&self, municipality: Option<&str>) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id FROM initiatives WHERE (?1 IS NULL OR gm_code = ?1) AND id NOT IN (SELECT id FROM tombstones) ORDER BY created_at, id",
        )?;
        let rows = stmt.query_map([municipality], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A municipality's initiatives, oldest first, in one query (a large city may hold thousands),
    /// with their kept facts.
    pub fn area_rows(&self, municipality: &str) -> Result<Vec<AreaRow>, StoreError> {
        facts::all_rows(&self.conn, municipality)
    }

    /// One self-check with its initiative.
    pub fn check(&self, id: &str) -> Result<Option<(Initiative, StoredCheck)>, StoreError> {
        let Some(check) = visible_check(&self.conn, id)? else {
            return Ok(None);
        };
        let initiative = self
            .initiative(&check.initiative_id)?
            .ok_or_else(|| StoreError::UnknownInitiative(check.initiative_id.clone()))?;
        Ok(Some((initiative, check)))
    }

    /// An initiative's self-checks, oldest first.
    pub fn checks_of(&self, initiative_id: &str) -> Result<Vec<StoredCheck>, StoreError> {
        checks_of(&self.conn, initiative_id)
    }

    /// All initiatives with their number of checks and the time of the latest, newest first.
    pub fn initiatives(&self) -> Result<Vec<InitiativeOverview>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT i.id, count(c.id), max(c.created_at) FROM initiatives i
             LEFT JOIN visible_checks c ON c.initiative_id = i.id
             WHERE i.id NOT IN (SELECT id FROM tombstones)
             GROUP BY i.id ORDER BY max(c.created_at) DESC, i.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, checks, latest_at) = row?;
            if let Some(initiative) = self.initiative(&id)? {
                out.push(InitiativeOverview {
                    initiative,
                    checks: checks as u32,
                    latest_at,
                });
            }
        }
        Ok(out)
    }

    /// Self-checks, oldest first, optionally of one municipality (CBS code).
    pub fn list_checks(&self, municipality: Option<&str>) -> Result<Vec<CheckSummary>, StoreError> {
        let here = provenance::this_machine(&self.conn)?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT c.id, c.initiative_id, i.name, i.gm_code, i.gm_name, c.created_at,
                    c.score_bonding, c.score_bridging, c.score_linking, i.wk_code, i.wk_name,
                    (SELECT count(*) FROM respondents p WHERE p.check_id = c.id), {}
             FROM visible_checks c JOIN initiatives i ON i.id = c.initiative_id {}
             WHERE (?1 IS NULL OR i.gm_code = ?1)
             ORDER BY c.created_at, c.id",
            provenance::source_columns("c"),
            provenance::source_joins("c"),
        ))?;
        let rows = stmt.query_map([municipality], |r| {
            Ok(CheckSummary {
                id: r.get(0)?,
                initiative_id: r.get(1)?,
                initiative: InitiativeName { name: r.get(2)? },
                municipality: area(r.get(3)?, r.get(4)?),
                wijk: area(r.get(9)?, r.get(10)?),
                created_at: r.get(5)?,
                scores: StrategyScores {
                    bonding: r.get(6)?,
                    bridging: r.get(7)?,
                    linking: r.get(8)?,
                }
                .rounded(),
                respondents: r.get(11)?,
                source: provenance::source_from_row(r, 12, &here)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The current review status of an initiative: its latest log entry's, or `new`.
    pub fn review_status(&self, initiative_id: &str) -> Result<ReviewStatus, StoreError> {
        Self::review_status_in(&self.conn, initiative_id)
    }

    /// Where an initiative's review log ends: its status and the time of its last entry.
    pub(crate) fn review_head_in(
        conn: &Connection,
        initiative_id: &str,
    ) -> Result<(ReviewStatus, Option<String>), StoreError> {
        let head: Option<(String, String)> = conn
            .query_row(
                "SELECT to_status, created_at FROM review_log WHERE initiative_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT 1",
                [initiative_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(match head {
            Some((status, at)) => (
                ReviewStatus::parse(&status).unwrap_or(ReviewStatus::New),
                Some(at),
            ),
            None => (ReviewStatus::New, None),
        })
    }

    fn review_status_in(
        conn: &Connection,
        initiative_id: &str,
    ) -> Result<ReviewStatus, StoreError> {
        let status: Option<String> = conn
            .query_row(
                "SELECT to_status FROM review_log WHERE initiative_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT 1",
                [initiative_id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(status
            .as_deref()
            .and_then(ReviewStatus::parse)
            .unwrap_or(ReviewStatus::New))
    }

    /// Records a change of review status, if the workflow allows it.
    pub fn add_review(
        &mut self,
        initiative_id: &str,
        to: ReviewStatus,
        reviewer: &str,
        note: &str,
    ) -> Result<ReviewEntry, StoreError> {
        let mut entries = self.add_reviews(&[initiative_id], to, reviewer, note)?;
        Ok(entries.remove(0))
    }

    /// Moves several initiatives to one status with one reviewer and note, in one transaction:
    /// all of them, or — when one move is not allowed — none, and the error names that initiative.
    pub fn add_reviews<S: AsRef<str>>(
        &mut self,
        initiative_ids: &[S],
        to: ReviewStatus,
        reviewer: &str,
        note: &str,
    ) -> Result<Vec<ReviewEntry>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = now_rfc3339();
        let mut seen = std::collections::HashSet::new();
        let mut entries = Vec::new();
        for id in initiative_ids
            .iter()
            .map(AsRef::as_ref)
            .filter(|id| seen.insert(*id))
        {
            let Some(initiative) = Self::initiative_in(&tx, id)? else {
                return Err(StoreError::UnknownInitiative(id.to_string()));
            };
            let from = Self::review_status_in(&tx, id)?;
            if !from.can_move_to(to) {
                return Err(if initiative_ids.len() > 1 {
                    StoreError::NotAllowedFor {
                        name: initiative.name.clone(),
                        from,
                        to,
                    }
                } else {
                    StoreError::NotAllowed { from, to }
                });
            }
            let entry = ReviewEntry {
                id: Uuid::new_v4().to_string(),
                initiative_id: id.to_string(),
                from,
                to,
                reviewer: reviewer.trim().to_string(),
                note: note.to_string(),
                created_at: now.clone(),
            };
            insert_review(&tx, &entry, None)?;
            facts::refresh(&tx, &[id])?;
            entries.push(entry);
        }
        tx.commit()?;
        Ok(entries)
    }

    /// The actions agreed at an initiative's latest check that agreed any, with when that was:
    /// what a repeat asks about ("Vorige keer spraken jullie af").
    pub fn latest_actions(
        &self,
        initiative_id: &str,
    ) -> Result<Vec<(crate::model::Action, String)>, StoreError> {
        conversation::latest_actions(&self.conn, initiative_id)
    }

    /// The earlier actions a check says something about, with what it says.
    pub fn outcomes_of(
        &self,
        check_id: &str,
    ) -> Result<Vec<crate::model::ActionWithOutcome>, StoreError> {
        conversation::outcomes_with_actions(&self.conn, check_id)
    }

    /// An initiative's review log, oldest first.
    pub fn reviews(&self, initiative_id: &str) -> Result<Vec<ReviewEntry>, StoreError> {
        reviews_where(&self.conn, "initiative_id = ?1", initiative_id)
    }

    /// Runs `f` in one IMMEDIATE transaction: all of it is stored, or none of it. What the
    /// store's own writes use; other capabilities go through [`Store::in_transaction`].
    pub(crate) fn write<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let value = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }

    /// Runs `f` in one IMMEDIATE transaction: all of it is stored, or none of it.
    pub(crate) fn in_transaction<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(Db<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let value = f(Db::new(&tx))?;
        tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }

    /// Folds the write-ahead log into the database file and empties it.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Holds one read transaction until the snapshot is dropped: every read through
    /// [`Store::db`] meanwhile sees the same state, under one file lock instead of one per
    /// statement. It only reads, so ending it changes nothing.
    pub(crate) fn snapshot(&self) -> Result<Snapshot<'_>, StoreError> {
        Ok(Snapshot {
            _reading: self.conn.unchecked_transaction()?,
        })
    }

    /// Reads (and single writes) on the open database, outside a transaction.
    pub(crate) fn db(&self) -> Db<'_> {
        Db::new(&self.conn)
    }

    /// The connection itself, for tests that set up states no command makes.
    #[cfg(test)]
    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets several settings in one transaction: all of them, or none.
    pub fn set_settings(&self, rows: &[(&str, &str)]) -> Result<(), StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        for (key, value) in rows {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}

/// An initiative's visible self-checks, oldest first, with their answers.
pub(crate) fn checks_of(
    conn: &Connection,
    initiative_id: &str,
) -> Result<Vec<StoredCheck>, StoreError> {
    visible_checks_by(conn, "initiative_id", initiative_id)
}

/// A visible self-check by its id (None when there is none, or it is marked for removal).
pub(crate) fn visible_check(
    conn: &Connection,
    id: &str,
) -> Result<Option<StoredCheck>, StoreError> {
    Ok(visible_checks_by(conn, "id", id)?.pop())
}

/// How many initiatives (not purged) and visible self-checks there are, in one municipality or in
/// all. Two spellings of each count, so that SQLite can use the municipality index for one area
/// and need not scan for all.
pub(crate) fn visible_counts(
    conn: &Connection,
    municipality: Option<&str>,
) -> Result<(u32, u32), StoreError> {
    Ok(match municipality {
        Some(code) => (
            conn.prepare_cached("SELECT count(*) FROM initiatives WHERE gm_code = ?1 AND id NOT IN (SELECT id FROM tombstones)")?.query_row([code], |r| r.get(0))?,
            conn.prepare_cached("SELECT count(*) FROM initiatives i JOIN visible_checks c ON c.initiative_id = i.id WHERE i.gm_code = ?1")?.query_row([code], |r| r.get(0))?,
        ),
        None => (
            conn.prepare_cached("SELECT (SELECT count(*) FROM initiatives) - (SELECT count(*) FROM tombstones WHERE kind = 'initiative')")?.query_row([], |r| r.get(0))?,
            // Every mark is of an existing check: the visible ones are all but the marked.
            conn.prepare_cached("SELECT (SELECT count(*) FROM self_checks) - (SELECT count(*) FROM purge_marks)")?.query_row([], |r| r.get(0))?,
        ),
    })
}

/// How many initiatives (not purged) and visible self-checks there are per wijk of one
/// municipality; the key "" holds those outside every wijk.
pub(crate) fn visible_counts_by_wijk(
    conn: &Connection,
    municipality: &str,
) -> Result<BTreeMap<String, (u32, u32)>, StoreError> {
    let mut counts: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut initiatives = conn.prepare_cached(
        "SELECT coalesce(wk_code, ''), count(*) FROM initiatives WHERE gm_code = ?1 AND id NOT IN (SELECT id FROM tombstones) GROUP BY 1",
    )?;
    for row in initiatives.query_map([municipality], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
    })? {
        let (wijk, n) = row?;
        counts.entry(wijk).or_default().0 = n;
    }
    let mut checks = conn.prepare_cached(
        "SELECT coalesce(i.wk_code, ''), count(*) FROM initiatives i JOIN visible_checks c ON c.initiative_id = i.id WHERE i.gm_code = ?1 GROUP BY 1",
    )?;
    for row in checks.query_map([municipality], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
    })? {
        let (wijk, n) = row?;
        counts.entry(wijk).or_default().1 = n;
    }
    Ok(counts)
}

/// How many initiatives (not purged) and visible self-checks one wijk has.
pub(crate) fn visible_counts_of_wijk(
    conn: &Connection,
    wijk: &str,
) -> Result<(u32, u32), StoreError> {
    Ok((
        conn.prepare_cached("SELECT count(*) FROM initiatives WHERE wk_code = ?1 AND id NOT IN (SELECT id FROM tombstones)")?.query_row([wijk], |r| r.get(0))?,
        conn.prepare_cached("SELECT count(*) FROM initiatives i JOIN visible_checks c ON c.initiative_id = i.id WHERE i.wk_code = ?1")?.query_row([wijk], |r| r.get(0))?,
    ))
}

/// Every visible check's initiative, time and (group) scores, of one municipality's initiatives
/// or one wijk's (the quarterly trend), oldest first.
pub(crate) fn visible_check_scores(
    conn: &Connection,
    municipality: Option<&str>,
    wijk: Option<&str>,
) -> Result<Vec<(String, String, StrategyScores)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.initiative_id, c.created_at, c.score_bonding, c.score_bridging, c.score_linking
         FROM visible_checks c JOIN initiatives i ON i.id = c.initiative_id
         WHERE (?1 IS NULL OR i.gm_code = ?1) AND (?2 IS NULL OR i.wk_code = ?2)
         ORDER BY c.created_at, c.id",
    )?;
    let rows = stmt.query_map(params![municipality, wijk], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            StrategyScores {
                bonding: r.get(2)?,
                bridging: r.get(3)?,
                linking: r.get(4)?,
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Visible self-checks with `column` equal to `value` (a column name of ours, never input).
fn visible_checks_by(
    conn: &Connection,
    column: &'static str,
    value: &str,
) -> Result<Vec<StoredCheck>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, initiative_id, role, created_at, score_bonding, score_bridging, score_linking
         FROM visible_checks WHERE {column} = ?1 ORDER BY created_at, id"
    ))?;
    let param = value;
    let rows = stmt.query_map([param], |r| {
        let role: String = r.get(2)?;
        Ok(StoredCheck {
            id: r.get(0)?,
            initiative_id: r.get(1)?,
            role: Role::parse(&role).unwrap_or(Role::Resident),
            created_at: r.get(3)?,
            respondents: Vec::new(),
            scores: StrategyScores {
                bonding: r.get(4)?,
                bridging: r.get(5)?,
                linking: r.get(6)?,
            },
            conversation: Conversation::default(),
        })
    })?;
    let mut checks: Vec<StoredCheck> = rows.collect::<Result<_, _>>()?;
    for check in &mut checks {
        check.respondents = respondents_of(conn, &check.id)?;
        check.conversation = conversation::of_check(conn, &check.id)?;
    }
    Ok(checks)
}

/// A check's respondents with their answers, in their order.
pub(crate) fn respondents_of(
    conn: &Connection,
    check_id: &str,
) -> Result<Vec<Respondent>, StoreError> {
    let mut people = conn.prepare_cached("SELECT respondent, role, on_paper FROM respondents WHERE check_id = ?1 ORDER BY respondent")?;
    let mut respondents: Vec<(u32, Respondent)> = people
        .query_map([check_id], |r| {
            let role: String = r.get(1)?;
            Ok((
                r.get(0)?,
                Respondent {
                    role: Role::parse(&role).unwrap_or(Role::Resident),
                    on_paper: r.get(2)?,
                    answers: Answers::new(),
                },
            ))
        })?
        .collect::<Result<_, _>>()?;
    let mut answers = conn.prepare_cached(
        "SELECT respondent, statement_id, value FROM answers WHERE check_id = ?1",
    )?;
    let rows = answers.query_map([check_id], |r| {
        Ok((
            r.get::<_, u32>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<u8>>(2)?,
        ))
    })?;
    for row in rows {
        let (n, statement, value) = row?;
        if let Some((_, respondent)) = respondents.iter_mut().find(|(k, _)| *k == n) {
            respondent.answers.insert(statement, value);
        }
    }
    Ok(respondents.into_iter().map(|(_, r)| r).collect())
}

/// Inserts a review entry; `stamp` says where an imported one came from.
pub(crate) fn insert_review(
    conn: &Connection,
    e: &ReviewEntry,
    stamp: Option<&provenance::Stamp>,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO review_log (id, initiative_id, from_status, to_status, reviewer, note, created_at, import_id, made_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![e.id, e.initiative_id, e.from.as_str(), e.to.as_str(), e.reviewer, e.note, e.created_at, stamp.map(|s| s.import_id), stamp.and_then(|s| s.made_on.as_deref())])?;
    Ok(())
}

pub(crate) fn reviews_where(
    conn: &Connection,
    clause: &str,
    param: &str,
) -> Result<Vec<ReviewEntry>, StoreError> {
    let sql = format!(
        "SELECT id, initiative_id, from_status, to_status, reviewer, note, created_at FROM review_log
         WHERE {clause} ORDER BY created_at, rowid"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([param], |r| {
        let status = |i: usize| -> rusqlite::Result<ReviewStatus> {
            let s: String = r.get(i)?;
            Ok(ReviewStatus::parse(&s).unwrap_or(ReviewStatus::New))
        };
        Ok(ReviewEntry {
            id: r.get(0)?,
            initiative_id: r.get(1)?,
            from: status(2)?,
            to: status(3)?,
            reviewer: r.get(4)?,
            note: r.get(5)?,
            created_at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Saves a self-check inside the caller's transaction; `id` is the check's id when it is given
/// beforehand (a group round keeps its session's id), else a new one.
pub(crate) fn save_check_in(
    tx: &Connection,
    target: CheckTarget<'_>,
    new: &NewCheck,
    id: Option<&str>,
) -> Result<(Initiative, StoredCheck), StoreError> {
    let now = now_rfc3339();
    let initiative = match target {
        CheckTarget::Existing(id) => {
            // Its details are gone (retention or erasure): a check on it would be counted by
            // nothing and shown nowhere.
            if is_purged(tx, id)? {
                return Err(StoreError::InitiativeRemoved(id.to_string()));
            }
            Store::initiative_in(tx, id)?
                .ok_or_else(|| StoreError::UnknownInitiative(id.to_string()))?
        }
        CheckTarget::New(new) => {
            let initiative = new.to_initiative(Uuid::new_v4().to_string(), now.clone());
            insert_initiative(tx, &initiative, None)?;
            initiative
        }
    };
    // Outcomes are only for actions agreed at this initiative's own earlier checks.
    for o in &new.conversation.outcomes {
        if conversation::action_initiative(tx, &o.id)?.as_deref() != Some(initiative.id.as_str()) {
            return Err(StoreError::UnknownAction(o.id.clone()));
        }
    }
    let mut check = StoredCheck {
        id: id.map_or_else(|| Uuid::new_v4().to_string(), str::to_string),
        initiative_id: initiative.id.clone(),
        role: new.role,
        created_at: now,
        respondents: new.respondents.clone(),
        scores: StrategyScores::default(),
        conversation: new.conversation.clone(),
    };
    check.scores = check.assessment().strategies;
    insert_check(tx, &check, None)?;
    aggregates::refresh(tx, &[&check.initiative_id])?;
    facts::refresh(tx, &[&check.initiative_id])?;
    Ok((initiative, check))
}

/// Inserts an initiative exactly as given (id and time included): for saving and for import
/// (`stamp`: where an imported one came from).
pub(crate) fn insert_initiative(
    conn: &Connection,
    i: &Initiative,
    stamp: Option<&provenance::Stamp>,
) -> Result<(), StoreError> {
    write_initiative(
        conn,
        "INSERT INTO initiatives (id, name, description, lat, lon, gm_code, gm_name, pv_code, pv_name, target_groups, created_at, wk_code, wk_name, import_id, made_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        i,
        stamp,
    )
}

/// Runs `sql` (an insert or an update) with an initiative's fields as ?1 … ?15, in the column
/// order of `insert_initiative`.
fn write_initiative(
    conn: &Connection,
    sql: &str,
    i: &Initiative,
    stamp: Option<&provenance::Stamp>,
) -> Result<(), StoreError> {
    conn.prepare_cached(sql)?.execute(params![
        i.id,
        i.name,
        i.description,
        i.lat,
        i.lon,
        i.municipality.as_ref().map(|a| &a.code),
        i.municipality.as_ref().map(|a| &a.name),
        i.province.as_ref().map(|a| &a.code),
        i.province.as_ref().map(|a| &a.name),
        serde_json::to_string(&i.target_groups).expect("strings serialize"),
        i.created_at,
        i.wijk.as_ref().map(|a| &a.code),
        i.wijk.as_ref().map(|a| &a.name),
        stamp.map(|s| s.import_id),
        stamp.and_then(|s| s.made_on.as_deref()),
    ])?;
    Ok(())
}

/// Whether an initiative's details were emptied here by another machine's retention (a tombstone
/// that schema 1 of the shared database passed on; migration 14): the record may come back.
pub(crate) fn emptied_elsewhere(conn: &Connection, id: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM emptied_elsewhere WHERE id = ?1")?
        .exists([id])?)
}

/// Fills an initiative emptied by another machine's retention with its record again, and lifts
/// its tombstone.
pub(crate) fn refill_initiative(
    conn: &Connection,
    i: &Initiative,
    stamp: &provenance::Stamp,
) -> Result<(), StoreError> {
    write_initiative(
        conn,
        "UPDATE initiatives SET name = ?2, description = ?3, lat = ?4, lon = ?5, gm_code = ?6, gm_name = ?7, pv_code = ?8,
                pv_name = ?9, target_groups = ?10, created_at = ?11, wk_code = ?12, wk_name = ?13, import_id = ?14, made_on = ?15
         WHERE id = ?1",
        i,
        Some(stamp),
    )?;
    conn.execute("DELETE FROM tombstones WHERE id = ?1", [&i.id])?;
    conn.execute("DELETE FROM emptied_elsewhere WHERE id = ?1", [&i.id])?;
    Ok(())
}

/// Inserts a self-check exactly as given, with its respondents, answers, notes and actions. The
/// caller then refreshes the initiative's running aggregates ([`aggregates::refresh`]), once per batch.
pub(crate) fn insert_check(
    conn: &Connection,
    c: &StoredCheck,
    stamp: Option<&provenance::Stamp>,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO self_checks (id, initiative_id, role, created_at, score_bonding, score_bridging, score_linking, import_id, made_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![c.id, c.initiative_id, c.role.as_str(), c.created_at, c.scores.bonding, c.scores.bridging, c.scores.linking, stamp.map(|s| s.import_id), stamp.and_then(|s| s.made_on.as_deref())])?;
    let mut person = conn.prepare_cached(
        "INSERT INTO respondents (check_id, respondent, role, on_paper) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, r) in c.respondents.iter().enumerate() {
        person.execute(params![c.id, i as i64 + 1, r.role.as_str(), r.on_paper])?;
        insert_answers(conn, &c.id, i as i64 + 1, &r.answers)?;
    }
    conversation::insert(conn, &c.id, &c.conversation)
}

/// A respondent's answers in one statement (a row each): a check's 27 answers cost one
/// statement's set-up, binding and statement journal instead of 27.
fn insert_answers(
    conn: &Connection,
    check_id: &str,
    respondent: i64,
    answers: &Answers,
) -> Result<(), StoreError> {
    if answers.is_empty() {
        return Ok(());
    }
    let mut insert = conn.prepare_cached(&answers_insert_sql(answers.len()))?;
    insert.raw_bind_parameter(1, check_id)?;
    insert.raw_bind_parameter(2, respondent)?;
    for (k, (statement, value)) in answers.iter().enumerate() {
        insert.raw_bind_parameter(3 + 2 * k, statement)?;
        insert.raw_bind_parameter(4 + 2 * k, value)?;
    }
    insert.raw_execute()?;
    Ok(())
}

/// `INSERT INTO answers … VALUES (?1, ?2, ?3, ?4), (?1, ?2, ?5, ?6), …` for `rows` answers;
/// made once for as many rows as a questionnaire has.
fn answers_insert_sql(rows: usize) -> std::borrow::Cow<'static, str> {
    fn make(rows: usize) -> String {
        let values: Vec<String> = (0..rows)
            .map(|k| format!("(?1, ?2, ?{}, ?{})", 3 + 2 * k, 4 + 2 * k))
            .collect();
        format!(
            "INSERT INTO answers (check_id, respondent, statement_id, value) VALUES {}",
            values.join(", ")
        )
    }
    static MADE: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let made = MADE.get_or_init(|| (0..=64).map(make).collect());
    match made.get(rows) {
        Some(sql) => std::borrow::Cow::Borrowed(sql),
        None => std::borrow::Cow::Owned(make(rows)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_initiative() -> NewInitiative {
        NewInitiative {
            name: "Buurttuin".into(),
            description: None,
            lat: 52.09,
            lon: 5.12,
            location: Location {
                municipality: Some(Area {
                    code: "GM0344".into(),
                    name: "Utrecht".into(),
                }),
                province: Some(Area {
                    code: "PV26".into(),
                    name: "Utrecht".into(),
                }),
                wijk: Some(Area {
                    code: "WK034406".into(),
                    name: "Binnenstad".into(),
                }),
                approximate: false,
            },
            target_groups: vec!["buurtbewoners".into()],
        }
    }

    #[test]
    fn a_fresh_database_is_at_the_latest_schema() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    }

    /// Reading a record again must reuse its compiled statements. SQLite 3.54 recompiled several
    /// of them (`WHERE check_id = ?1 ORDER BY …`) each time a new id was bound, which took most
    /// of the time of reading a check for an export or a sync.
    #[test]
    fn reading_checks_again_compiles_no_statement_again() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db")).unwrap();
        let ids: Vec<String> = (0..4)
            .map(|n| {
                let answers: Answers = [("bonding-1-a".to_string(), Some(n % 5 + 1))].into();
                store
                    .save_check(
                        CheckTarget::New(&new_initiative()),
                        &NewCheck::single(Role::Resident, answers),
                    )
                    .unwrap()
                    .1
                    .id
            })
            .collect();
        let read = |store: &Store, id: &str| {
            let mut outgoing = crate::exchange::Outgoing::new(store.db()).unwrap();
            assert!(outgoing.check(id).unwrap().is_some());
        };
        read(&store, &ids[0]);
        // The authorizer is asked once per table read each time a statement is compiled.
        let compiled = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&compiled);
        store
            .conn
            .authorizer(Some(move |_: rusqlite::hooks::AuthContext<'_>| {
                counter.fetch_add(1, Ordering::SeqCst);
                rusqlite::hooks::Authorization::Allow
            }))
            .unwrap();
        // Setting an authorizer expires every statement: this read compiles them all once.
        read(&store, &ids[1]);
        assert!(
            compiled.load(Ordering::SeqCst) > 0,
            "the counter sees compilations"
        );
        compiled.store(0, Ordering::SeqCst);
        read(&store, &ids[2]);
        read(&store, &ids[3]);
        assert_eq!(
            compiled.load(Ordering::SeqCst),
            0,
            "statements were compiled again for new ids"
        );
    }

    #[test]
    fn a_repeat_check_is_a_new_record_of_the_same_initiative() {
        let mut store = Store::open_in_memory().unwrap();
        let answers: Answers = [("bonding-1-a".to_string(), Some(4))].into();
        let scores = StrategyScores {
            bonding: Some(75.0),
            ..Default::default()
        };
        let (initiative, first) = store
            .save_check(
                CheckTarget::New(&new_initiative()),
                &NewCheck::single(Role::Resident, answers.clone()),
            )
            .unwrap();
        let (again, second) = store
            .save_check(
                CheckTarget::Existing(&initiative.id),
                &NewCheck::single(Role::Professional, answers.clone()),
            )
            .unwrap();
        assert_eq!(initiative, again);
        assert_ne!(first.id, second.id);
        let list = store.list_checks(Some("GM0344")).unwrap();
        assert_eq!(list.len(), 2);
        let history = store.checks_of(&initiative.id).unwrap();
        assert_eq!(
            history.iter().map(|c| &c.id).collect::<Vec<_>>(),
            [&first.id, &second.id]
        );
        assert_eq!(history[1].respondents[0].answers, answers);
        assert_eq!(history[1].scores, scores, "the store scores what it saves");
        let (again, stored) = store.check(&second.id).unwrap().unwrap();
        assert_eq!((again.id, stored), (initiative.id.clone(), second));
        let overview = store.initiatives().unwrap();
        assert_eq!((overview.len(), overview[0].checks), (1, 2));
        assert_eq!(
            store.review_status(&initiative.id).unwrap(),
            ReviewStatus::New
        );
        store
            .add_review(
                &initiative.id,
                ReviewStatus::InReview,
                "Anna",
                "eerste blik",
            )
            .unwrap();
        let err = store
            .add_review(&initiative.id, ReviewStatus::New, "Anna", "")
            .unwrap_err();
        assert!(matches!(err, StoreError::NotAllowed { .. }), "{err}");
        store
            .add_review(&initiative.id, ReviewStatus::Published, "Bram", "mooi")
            .unwrap();
        let log = store.reviews(&initiative.id).unwrap();
        assert_eq!(
            log.iter().map(|e| (e.from, e.to)).collect::<Vec<_>>(),
            [
                (ReviewStatus::New, ReviewStatus::InReview),
                (ReviewStatus::InReview, ReviewStatus::Published)
            ]
        );
        assert_eq!(
            store.review_status(&initiative.id).unwrap(),
            ReviewStatus::Published
        );
        assert!(store.list_checks(Some("GM0363")).unwrap().is_empty());
    }

    #[test]
    fn self_checks_cannot_be_changed() {
        let mut store = Store::open_in_memory().unwrap();
        let (_, check) = store
            .save_check(
                CheckTarget::New(&new_initiative()),
                &NewCheck::single(Role::Resident, Answers::new()),
            )
            .unwrap();
        let err = store
            .conn
            .execute(
                "UPDATE self_checks SET role = 'policy' WHERE id = ?1",
                [&check.id],
            )
            .unwrap_err();
        assert!(err.to_string().contains("cannot be changed"), "{err}");
    }

    #[test]
    fn an_unknown_initiative_saves_nothing() {
        let mut store = Store::open_in_memory().unwrap();
        let result = store.save_check(
            CheckTarget::Existing("nope"),
            &NewCheck::single(Role::Resident, Answers::new()),
        );
        assert!(matches!(result, Err(StoreError::UnknownInitiative(_))));
        assert!(store.list_checks(None).unwrap().is_empty());
    }

    #[test]
    fn times_stored_before_schema_6_are_brought_to_utc_and_the_latest_check_follows() {
        let mut conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..5] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "PRAGMA user_version = 5;
             INSERT INTO initiatives (id, name, lat, lon, created_at) VALUES ('i', 'x', 52.09, 5.12, '2026-03-01T10:00:00+01:00');
             INSERT INTO self_checks (id, initiative_id, role, created_at) VALUES ('early', 'i', 'resident', '2026-03-01T10:30:00+02:00');
             INSERT INTO self_checks (id, initiative_id, role, created_at) VALUES ('late', 'i', 'resident', '2026-03-01t09:00:00z');
             INSERT INTO review_log (id, initiative_id, from_status, to_status, reviewer, note, created_at) VALUES ('r', 'i', 'new', 'in_review', 'A', '', '2026-03-01 09:00:00Z');",
        )
        .unwrap();
        aggregates::rebuild(&conn.unchecked_transaction().unwrap()).ok();
        migrate(&mut conn, Path::new(":memory:")).unwrap();
        let time_of = |table: &str, id: &str| -> String {
            conn.query_row(
                &format!("SELECT created_at FROM {table} WHERE id = ?1"),
                [id],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(time_of("initiatives", "i"), "2026-03-01T09:00:00Z");
        assert_eq!(time_of("self_checks", "early"), "2026-03-01T08:30:00Z");
        assert_eq!(time_of("self_checks", "late"), "2026-03-01T09:00:00Z");
        let latest: String = conn
            .query_row(
                "SELECT check_id FROM latest_checks WHERE initiative_id = 'i'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            latest, "late",
            "as text, '…10:30:00+02:00' sorted after '…t09:00:00z'; in UTC it is earlier"
        );
        assert!(
            conn.execute("UPDATE self_checks SET role = 'policy'", [])
                .is_err(),
            "self-checks are append-only again"
        );
    }

    #[test]
    fn settings_are_kept() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.setting("lang").unwrap(), None);
        store.set_setting("lang", "en").unwrap();
        store.set_setting("lang", "nl").unwrap();
        assert_eq!(store.setting("lang").unwrap().as_deref(), Some("nl"));
    }
}
