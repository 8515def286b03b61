/*! Writing an output file (an export, a chart, a report) safely: never onto the database, its
`-wal`/`-shm` sidecars or a backup; never over an existing file unless asked (`force`, or the
app's save dialog, which asks the person); and never half: the bytes go to a temporary file in
the same folder, are synced, and then take the output's name in one step. */
use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum OutputError {
    #[error("{0} is the Wijkkompas database (or part of it, or one of its backups); choose another file. Nothing was written")]
    IsDatabase(PathBuf),
    #[error("{0} already exists; choose another name, or add --force to replace it. Nothing was written")]
    Exists(PathBuf),
    #[error("cannot write {path}: {source}. Nothing was written")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The path with its folder resolved (links, `..`), for comparing with the database's files.
/// The file itself need not exist; its folder must.
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::fs::canonicalize(path) {
        return Some(p);
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Some(std::fs::canonicalize(dir).ok()?.join(path.file_name()?))
}

/// True when `path` is the database at `db`, one of its sidecars, or a file in its backups folder.
pub fn is_database_file(path: &Path, db: &Path) -> bool {
    let (Some(target), Some(db)) = (resolved(path), resolved(db)) else {
        return false;
    };
    let sidecar = |suffix: &str| PathBuf::from(format!("{}{suffix}", db.display()));
    if target == db
        || target == sidecar("-wal")
        || target == sidecar("-shm")
        || target == sidecar("-journal")
        || target == sidecar("-import")
    {
        return true;
    }
    if resolved(&crate::store::backup::folder(&db))
        .is_some_and(|backups| target.starts_with(backups))
    {
        return true;
    }
    // The same file under another name (a hard link).
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (std::fs::metadata(&target), std::fs::metadata(&db)) {
            return a.dev() == b.dev() && a.ino() == b.ino();
        }
    }
    false
}

/// Writes `bytes` to `path` as a whole or not at all. `db` is the database in use, which is
/// never written over; an existing file is replaced only with `force`.
pub fn write(path: &Path, bytes: &[u8], db: Option<&Path>, force: bool) -> Result<(), OutputError> {
    write_with(path, db, force, |temp| temp.write_all(bytes))
}

/// As [`write`], for output that `fill` writes into the temporary file at the path it is given
/// (a copy of the database made by SQLite). The temporary file is the owner's only.
pub fn write_with(
    path: &Path,
    db: Option<&Path>,
    force: bool,
    fill: impl FnOnce(&mut tempfile::NamedTempFile) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    if db.is_some_and(|db| is_database_file(path, db)) {
        return Err(OutputError::IsDatabase(path.to_path_buf()));
    }
    if !force && path.exists() {
        return Err(OutputError::Exists(path.to_path_buf()));
    }
    let err = |source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".wijkkompas-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(err)?;
    fill(&mut temp).map_err(err)?;
    temp.as_file().sync_all().map_err(err)?;
    if force {
        temp.persist(path).map_err(|e| err(e.error))?;
    } else {
        // Not over a file that appeared meanwhile.
        temp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                OutputError::Exists(path.to_path_buf())
            } else {
                err(e.error)
            }
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_is_recognised_under_any_name() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("w.db");
        std::fs::write(&db, b"x").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        assert!(is_database_file(&dir.path().join("sub/../w.db"), &db));
        assert!(is_database_file(&dir.path().join("w.db-wal"), &db));
        std::fs::create_dir(dir.path().join("backups")).unwrap();
        assert!(is_database_file(
            &dir.path().join("backups/wijkkompas-x.db"),
            &db
        ));
        std::fs::hard_link(&db, dir.path().join("alias")).unwrap();
        assert!(is_database_file(&dir.path().join("alias"), &db));
        assert!(!is_database_file(&dir.path().join("export.csv"), &db));
    }

    #[test]
    fn an_existing_file_stays_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.csv");
        write(&out, b"one", None, false).unwrap();
        assert!(matches!(
            write(&out, b"two", None, false),
            Err(OutputError::Exists(_))
        ));
        assert_eq!(std::fs::read(&out).unwrap(), b"one");
        write(&out, b"two", None, true).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file is left: {names:?}");
    }
}
