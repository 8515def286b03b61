/*! Copies of the database, made with SQLite's online backup API (consistent even while the app
writes), kept in a `backups` folder beside the database: before every migration, and once a day
while the app is in use. The newest [`KEEP`] are kept.

A backup's time is the one written in its name (`wijkkompas-YYYYMMDD-HHMMSS-mmm-REASON.db`, UTC),
never the file's modification time: files copied with their times, or made while the clock was
ahead, must not decide what is deleted. Only files of that name that are non-empty SQLite files
count as backups; a backup that could not be completed is removed, so it never pushes out a real
one. Restoring is the store's (`Store::restore_from`): it checks the whole candidate first. */
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::Serialize;
use thiserror::Error;
use time::{OffsetDateTime, PrimitiveDateTime};
use ts_rs::TS;

use super::migrating::{migrate, SCHEMA_VERSION};
use super::opening::{one_line, recognise, FileKind};
use super::{Store, StoreError};
use std::time::Duration;

use rusqlite::OptionalExtension;

/// How many backups are kept.
pub const KEEP: usize = 10;
const DAY: time::Duration = time::Duration::DAY;
/// A backup dated this far ahead of the clock does not count as today's: a clock that ran ahead
/// once must not stop the daily backups.
const CLOCK_SLACK: time::Duration = time::Duration::minutes(5);

#[derive(Debug, Error)]
pub enum BackupError {
    #[error("cannot make a backup in {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the backup {path} could not be made, and no file was left behind: {source}")]
    Copy {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{0} is not a usable Wijkkompas backup: {1}; nothing was changed")]
    Unusable(PathBuf, String),
    #[error("{0} is not one of this database's backups; nothing was changed")]
    NotListed(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BackupFile {
    pub path: String,
    /// RFC 3339 UTC, from the time in the file's name.
    pub made_at: String,
    pub bytes: u64,
}

/// The folder for backups of the database at `db`.
pub fn folder(db: &Path) -> PathBuf {
    db.parent()
        .unwrap_or_else(|| Path::new("."))
        .join("backups")
}

const STAMP: &[time::format_description::FormatItem<'static>] = time::macros::format_description!(
    "[year][month][day]-[hour][minute][second]-[subsecond digits:3]"
);

fn stamp(at: OffsetDateTime) -> String {
    at.format(STAMP)
        .expect("a UTC time formats as a backup stamp")
}

/// The time in a backup's file name, if the name is one of ours.
fn made_at(name: &str) -> Option<OffsetDateTime> {
    let rest = name.strip_prefix("wijkkompas-")?.strip_suffix(".db")?;
    let stamp = rest.get(..19)?;
    if !rest[19..].starts_with('-') {
        return None;
    }
    Some(PrimitiveDateTime::parse(stamp, STAMP).ok()?.assume_utc())
}

/// True for a file that starts as a SQLite database does (an empty or cut-off file does not).
fn looks_like_database(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == b"SQLite format 3\0"
}

struct Found {
    at: OffsetDateTime,
    file: BackupFile,
}

/// The backups beside a database, newest first by the time in their names.
fn found(db: &Path) -> Vec<Found> {
    let Ok(entries) = std::fs::read_dir(folder(db)) else {
        return Vec::new();
    };
    let mut files: Vec<Found> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let at = made_at(&e.file_name().to_string_lossy())?;
            let meta = e.metadata().ok().filter(|m| m.is_file() && m.len() > 0)?;
            let path = e.path();
            if !looks_like_database(&path) {
                return None;
            }
            let made_at = at
                .format(&time::format_description::well_known::Rfc3339)
                .ok()?;
            Some(Found {
                at,
                file: BackupFile {
                    path: path.display().to_string(),
                    made_at,
                    bytes: meta.len(),
                },
            })
        })
        .collect();
    files.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| b.file.path.cmp(&a.file.path)));
    files
}

/// The backups beside a database, newest first.
pub fn list(db: &Path) -> Result<Vec<BackupFile>, BackupError> {
    Ok(found(db).into_iter().map(|f| f.file).collect())
}

/// Makes a backup of an open database and prunes the oldest; `reason` becomes part of the name.
pub fn make(conn: &Connection, db: &Path, reason: &str) -> Result<PathBuf, BackupError> {
    let path = make_unpruned(conn, db, reason)?;
    prune(db, &[&path]);
    Ok(path)
}

/// Backups made by a version that left them readable to others become the owner's only.
fn narrow_older(db: &Path) {
    for f in found(db) {
        crate::store::paths::narrow_to_owner(Path::new(&f.file.path));
    }
}

/// Makes a backup without pruning: for a restore, which prunes only once it has succeeded.
pub(crate) fn make_unpruned(
    conn: &Connection,
    db: &Path,
    reason: &str,
) -> Result<PathBuf, BackupError> {
    let dir = folder(db);
    // Backups hold what the database holds: the folder and each file are the owner's only.
    crate::store::paths::make_private_folder(&dir).map_err(|source| BackupError::Io {
        path: dir.clone(),
        source,
    })?;
    let mut at = OffsetDateTime::now_utc();
    // Two backups within a millisecond (or a name already taken): the next free millisecond.
    let path = loop {
        let path = dir.join(format!("wijkkompas-{}-{reason}.db", stamp(at)));
        match crate::store::paths::create_private_file(&path) {
            Ok(()) => break path,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                at += time::Duration::milliseconds(1)
            }
            Err(source) => return Err(BackupError::Io { path, source }),
        }
    };
    if let Err(source) = conn.backup(
        rusqlite::MAIN_DB,
        &path,
        None::<fn(rusqlite::backup::Progress)>,
    ) {
        // A full disk leaves a partial file: it is no backup, and must not count as one.
        let _ = std::fs::remove_file(&path);
        return Err(BackupError::Copy { path, source });
    }
    Ok(path)
}

/// Deletes all but the newest [`KEEP`] backups, by the time in their names; never one in `keep`
/// (the backup just made, the file a restore came from), and never anything that is not a backup.
pub(crate) fn prune(db: &Path, keep: &[&Path]) {
    narrow_older(db);
    let protected = |p: &str| keep.iter().any(|k| same_file(Path::new(p), k));
    let all = found(db);
    let mut kept = 0;
    for f in all {
        if kept < KEEP || protected(&f.file.path) {
            kept += 1;
            continue;
        }
        // A backup that cannot be deleted stays: pruning is tidying, never a reason to fail.
        let _ = std::fs::remove_file(&f.file.path);
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// After records were removed for good (a retention purge past its grace period, an erasure),
/// the older backups still hold them: a backup of the state after the removal replaces them all.
/// Rewriting each old backup instead would keep history that no restore should bring back
/// anyway (a restore would undo the removal). Returns the new backup.
pub fn replace_all_after_removal(conn: &Connection, db: &Path) -> Result<PathBuf, BackupError> {
    let path = make_unpruned(conn, db, "after-removal")?;
    for f in found(db) {
        if same_file(Path::new(&f.file.path), &path) {
            continue;
        }
        // Unlike pruning, a copy left behind here is personal data that should be gone: said.
        std::fs::remove_file(&f.file.path).map_err(|source| BackupError::Io {
            path: PathBuf::from(&f.file.path),
            source,
        })?;
    }
    Ok(path)
}

/// Makes the daily backup if no backup was made in the last day (one dated in the future does
/// not count), and returns its path.
pub fn daily(conn: &Connection, db: &Path) -> Result<Option<PathBuf>, BackupError> {
    let now = OffsetDateTime::now_utc();
    let fresh = found(db)
        .iter()
        .any(|f| f.at <= now + CLOCK_SLACK && now - f.at < DAY);
    if fresh {
        return Ok(None);
    }
    make(conn, db, "daily").map(Some)
}

/// A restore candidate, checked whole on a copy in memory and brought up to date there: a sound
/// SQLite database of ours, of a version this build reads, whose migrations succeed and which
/// then has every table a new database has.
pub(super) fn rehearse_restore(from: &Path) -> Result<Connection, StoreError> {
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
    /// Makes the daily backup if none was made in the last day (no-op in memory).
    pub fn daily_backup(&self) -> Result<Option<PathBuf>, StoreError> {
        match &self.path {
            Some(p) => Ok(daily(&self.conn, p)?),
            None => Ok(None),
        }
    }

    /// The daily backup, as a side task of whatever the person is doing: if it fails, their
    /// action still happens and reports success, and the failure waits in [`Store::take_warnings`].
    pub(super) fn daily_backup_or_warn(&self) {
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
        Ok(make(&self.conn, p, reason)?)
    }

    /// After a removal for good: one backup of the state now replaces every older one (see
    /// `replace_all_after_removal`). A database in memory has none to replace.
    pub(crate) fn replace_backups_after_removal(&self) -> Result<(), StoreError> {
        if let Some(p) = &self.path {
            replace_all_after_removal(&self.conn, p)?;
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

    pub fn backups(&self) -> Result<Vec<BackupFile>, StoreError> {
        Ok(self
            .path
            .as_deref()
            .map(list)
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
        let before = make_unpruned(&self.conn, &live, "before-restore")?;
        // All pages in one step: one write transaction on the live file, all or nothing.
        let copied = rusqlite::backup::Backup::new(&candidate, &mut self.conn)
            .and_then(|b| b.run_to_completion(i32::MAX, Duration::ZERO, None));
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&before);
            return Err(e.into());
        }
        prune(&live, &[&before, from]);
        Ok(before)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_comes_from_the_name() {
        let at = made_at("wijkkompas-20261129-201500-042-before-restore.db").unwrap();
        assert_eq!(
            (
                at.year(),
                u8::from(at.month()),
                at.day(),
                at.hour(),
                at.minute(),
                at.millisecond()
            ),
            (2026, 11, 29, 20, 15, 42)
        );
        assert_eq!(
            made_at(&format!("wijkkompas-{}-manual.db", stamp(at))),
            Some(at)
        );
        for other in [
            "wijkkompas.db",
            "wijkkompas-2026-manual.db",
            "notes-20261129-201500-042-manual.db",
            "wijkkompas-20261129-201500-042.db",
            "wijkkompas-20261399-201500-042-x.db",
        ] {
            assert_eq!(made_at(other), None, "{other}");
        }
    }
}
