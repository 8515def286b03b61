/*! Opening the database: recognising a file as ours before anything is written to it, the
connection's settings, reading without writing, and moving a damaged database aside. */
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use super::migrating::{migrate, SCHEMA_VERSION};
use super::{aggregates, backup, facts, import_lock, now_rfc3339, paths, Store, StoreError};

/// `PRAGMA application_id` of a Wijkkompas database ("WKMP"), in its header from schema 6 on.
pub const APPLICATION_ID: i32 = 0x574B_4D50;

/// The tables by which a database from before schema 6 (no application id yet) is known as ours.
pub(super) const OUR_TABLES: [&str; 3] = ["initiatives", "self_checks", "answers"];

/// Makes the database's folder and file ready to be opened for writing, owner-only where they
/// are the app's own; refuses a place that cannot be written, before SQLite tries.
fn prepare_place(path: &Path) -> Result<(), StoreError> {
    // Said before anything is tried: SQLite's own words would be "unable to open database file".
    let dir_exists = path
        .parent()
        .map_or(true, |d| d.as_os_str().is_empty() || d.exists());
    if dir_exists && !paths::can_write_beside(path) {
        return Err(StoreError::ReadOnlyPlace(path.to_path_buf()));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // The app's own folder is its owner's only; a folder the person chose keeps its mode.
        let own = paths::app_data_dir().is_some_and(|own| own == dir);
        let made = if own {
            paths::make_private_folder(dir)
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
        let _ = paths::create_private_file(path);
    }
    paths::keep_database_private(path);
    Ok(())
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
pub(super) fn is_damaged(e: &StoreError) -> bool {
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

/// Connects to a database file and reads its schema: a database of ours whose first page is
/// damaged fails here, so that `open_or_recover` can move it aside before anything else is done.
pub(super) fn connect(path: &Path, index_in_memory: bool) -> rusqlite::Result<Connection> {
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
pub(super) fn connect_read_only(path: &Path, how: Reading) -> rusqlite::Result<Connection> {
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
pub(super) enum Reading {
    /// As every reader: beside writers, through the shared WAL index (the -shm file).
    Shared,
    /// The WAL index in this process's memory, for a full disk where no -shm file can be made
    /// (which keeps writers out while it is open).
    IndexInMemory,
    /// As a file nothing changes, for a read-only medium where no -shm file can be made.
    Immutable,
}

/// The first line of an error, without the SQL that SQLite quotes after it.
pub(super) fn one_line(e: &impl std::fmt::Display) -> String {
    let text = e.to_string();
    let first = text.lines().next().unwrap_or_default();
    first
        .split(" in --")
        .next()
        .unwrap_or(first)
        .trim()
        .to_string()
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
        prepare_place(path)?;
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
    pub(super) fn finish_cut_off_import(&mut self) -> Result<(), StoreError> {
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
    pub(super) fn read_through_copy(source: Connection, path: &Path) -> Result<Store, StoreError> {
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

    /// A private database in memory, for tests and dry runs.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory()?;
        Self::configure(conn, Path::new(":memory:"), None)
    }

    pub(super) fn configure(
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

    /// Folds the write-ahead log into the database file and empties it.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}
