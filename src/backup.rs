/*! Copies of the database, made with SQLite's online backup API (consistent even while the app
writes), kept in a `backups` folder beside the database: before every migration, and once a day
while the app is in use. The newest [`KEEP`] are kept. A restore first checks the copy, then
backs up the current database, then copies the chosen one over it. */
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use thiserror::Error;
use ts_rs::TS;

/// How many backups are kept.
pub const KEEP: usize = 10;
const DAY: Duration = Duration::from_secs(24 * 60 * 60);

#[derive(Debug, Error)]
pub enum BackupError {
    #[error("cannot make a backup in {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the backup failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0} is not a usable Wijkkompas backup: {1}")]
    Unusable(PathBuf, String),
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BackupFile {
    pub path: String,
    /// RFC 3339 UTC, from the file's modification time.
    pub made_at: String,
    pub bytes: u64,
}

/// The folder for backups of the database at `db`.
pub fn folder(db: &Path) -> PathBuf {
    db.parent().unwrap_or_else(|| Path::new(".")).join("backups")
}

fn stamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}-{:03}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second(),
        now.millisecond()
    )
}

/// Makes a backup of an open database; `reason` becomes part of the file name.
pub fn make(conn: &Connection, db: &Path, reason: &str) -> Result<PathBuf, BackupError> {
    let dir = folder(db);
    std::fs::create_dir_all(&dir).map_err(|source| BackupError::Io { path: dir.clone(), source })?;
    let path = dir.join(format!("wijkkompas-{}-{reason}.db", stamp()));
    conn.backup(rusqlite::MAIN_DB, &path, None::<fn(rusqlite::backup::Progress)>)?;
    prune(db)?;
    Ok(path)
}

/// The backups beside a database, newest first.
pub fn list(db: &Path) -> Result<Vec<BackupFile>, BackupError> {
    let dir = folder(db);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(Vec::new()) };
    let mut files: Vec<(SystemTime, BackupFile)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".db"))
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            let modified = meta.modified().ok()?;
            let made_at = time::OffsetDateTime::from(modified).format(&time::format_description::well_known::Rfc3339).ok()?;
            Some((modified, BackupFile { path: e.path().display().to_string(), made_at, bytes: meta.len() }))
        })
        .collect();
    files.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.path.cmp(&a.1.path)));
    Ok(files.into_iter().map(|(_, f)| f).collect())
}

fn prune(db: &Path) -> Result<(), BackupError> {
    for old in list(db)?.iter().skip(KEEP) {
        std::fs::remove_file(&old.path).map_err(|source| BackupError::Io { path: PathBuf::from(&old.path), source })?;
    }
    Ok(())
}

/// Makes the daily backup if the newest one is older than a day (or there is none).
pub fn daily(conn: &Connection, db: &Path) -> Result<Option<PathBuf>, BackupError> {
    let newest = list(db)?.into_iter().next();
    let fresh = newest
        .and_then(|f| std::fs::metadata(&f.path).ok()?.modified().ok())
        .is_some_and(|t| t.elapsed().map_or(true, |age| age < DAY));
    if fresh {
        return Ok(None);
    }
    make(conn, db, "daily").map(Some)
}

/// Checks that a file is a sound Wijkkompas database this version can open.
pub fn verify(path: &Path, supported: i64) -> Result<(), BackupError> {
    let bad = |why: String| BackupError::Unusable(path.to_path_buf(), why);
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|e| bad(e.to_string()))?;
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| bad(e.to_string()))?;
    if check != "ok" {
        return Err(bad(format!("integrity check says {check}")));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| bad(e.to_string()))?;
    if version == 0 || version > supported {
        return Err(bad(format!("schema version {version}; this Wijkkompas reads 1 to {supported}")));
    }
    Ok(())
}
