/*! The per-user SQLite store, the only place that speaks SQL: opening and recovery
(`opening`), the migrations (`migrating`), one file per kind of record (`initiatives`, `checks`,
`reviews`, `sessions`, `conversation`, `provenance`, `return_codes`, `attempts`, `sync_state`),
what is derived from them in the same transaction (`aggregates`, `facts`), removals (`purging`),
copies of the database (`backup`) and where it lives (`paths`).

Other capabilities use [`Store`]'s methods, or within one transaction [`Db`]'s; none of them
holds the connection. */
use std::path::PathBuf;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use thiserror::Error;

use self::backup::BackupError;
use crate::model::ReviewStatus;

pub(crate) mod aggregates;
mod attempts;
pub mod backup;
mod checks;
mod conversation;
mod db;
pub(crate) mod facts;
pub(crate) mod import_lock;
mod initiatives;
mod migrating;
mod opening;
pub mod paths;
pub mod provenance;
pub(crate) mod purging;
mod return_codes;
mod reviews;
pub mod sessions;
pub mod sync_state;

pub use sessions::{OpenSession, SessionMember};

pub(crate) use checks::{
    checks_of, insert_check, respondents_of, save_check_in, visible_check, visible_check_scores,
    visible_counts, visible_counts_by_wijk, visible_counts_of_wijk,
};
pub use checks::{CheckSummary, CheckTarget, NewCheck, Respondent, StoredCheck};
pub(crate) use db::Db;
pub(crate) use initiatives::{
    emptied_elsewhere, initiative_from_row, insert_initiative, refill_initiative,
};
pub use initiatives::{AreaRow, Initiative, InitiativeName, InitiativeOverview, NewInitiative};
pub use migrating::SCHEMA_VERSION;
pub use opening::{recognise, FileKind, Foreign, APPLICATION_ID};
pub use return_codes::ReturnCode;
pub(crate) use reviews::{insert_review, reviews_where};

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

pub(crate) fn now_rfc3339() -> String {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .expect("UTC time formats as RFC 3339")
}

impl Store {
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

#[cfg(test)]
mod tests {
    use super::migrating::{migrate, MIGRATIONS};
    use super::*;
    use crate::geo::Location;
    use crate::model::{Answers, Area, Role, StrategyScores};
    use std::path::Path;

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
