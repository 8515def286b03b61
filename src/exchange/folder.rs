/*! Importing a folder of bundles, as a municipality receives them from many community centres:
every bundle file in it (plain or encrypted), each in its own transaction, so that a file that is
rejected stops nothing else. The outcome of every file is listed, and so is every entry that was
not imported, with the reason.

The folder and its names come from outside. Only regular files are read: a symbolic link is not
followed (it can point anywhere: out of the folder, at a device or at a FIFO that would block the
import), and neither are subfolders, FIFOs, devices and sockets; each is listed as what it is. A
file is opened by its real name, also when that name is no UTF-8; names are listed as
[`crate::store::paths::shown_name`] shows them. */
use std::ffi::{OsStr, OsString};
use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use super::{import_path, Conflict, ExchangeError};
use crate::content::problem::{Explain, Kind, Problem};
use crate::store::aggregates::Known;
use crate::store::paths::shown_name;
use crate::store::Store;

/// What became of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum FileResult {
    /// Something in it was new here.
    Imported,
    /// Everything in it was here already (or conflicted, and was reported).
    AlreadyPresent,
    /// Refused as a whole: nothing of it was imported.
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FileOutcome {
    /// The file's name within the folder, escaped where it holds control or direction
    /// characters or bytes that are no UTF-8 (`crate::store::paths::shown_name`).
    pub file: String,
    pub result: FileResult,
    pub added: u32,
    pub skipped: u32,
    pub conflicts: Vec<Conflict>,
    /// Why the file was rejected.
    pub problem: Option<Problem>,
}

/// Why an entry of the folder was left alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum LeftAlone {
    /// A regular file whose name is not a bundle's (not `.json` or `.age`).
    NotABundle,
    /// A folder: subfolders are not imported.
    Subfolder,
    /// A symbolic link: never followed.
    SymbolicLink,
    /// A FIFO, device or socket: never opened.
    Special,
    /// What the entry is could not be found out (it went while the folder was read, or its
    /// details cannot be read).
    Unreadable,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Ignored {
    /// As [`FileOutcome::file`].
    pub name: String,
    pub reason: LeftAlone,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, TS)]
#[ts(export)]
pub struct FolderSummary {
    /// Every bundle file, in name order.
    pub files: Vec<FileOutcome>,
    pub added: u32,
    pub skipped: u32,
    pub conflicts: u32,
    pub rejected: u32,
    /// Every other entry of the folder, in name order, with why it was left alone.
    pub ignored: Vec<Ignored>,
    /// Why the running sums and the table's facts of the imported files were not brought up to
    /// date at the folder's end (a full disk, a lock another program held): the records are in,
    /// and the next time the store is opened for saving they are settled.
    pub figures_later: Option<Problem>,
}

/// How far a folder import is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderProgress {
    /// Files done so far, and in all.
    pub file: usize,
    pub files: usize,
    /// Records of the current file done so far, and in all.
    pub done: usize,
    pub total: usize,
}

/// A bundle file by its name: what `export` writes (`.json`, encrypted `.age`). Read from the
/// name's bytes, so that a name that is no UTF-8 is judged by what it really ends in.
fn is_bundle_name(name: &OsStr) -> bool {
    let lower = name.as_encoded_bytes().to_ascii_lowercase();
    !lower.starts_with(b".") && (lower.ends_with(b".json") || lower.ends_with(b".age"))
}

/// What an entry is, without following a symbolic link.
fn left_alone(kind: std::io::Result<std::fs::FileType>, name: &OsStr) -> Option<LeftAlone> {
    match kind {
        Err(_) => Some(LeftAlone::Unreadable),
        Ok(t) if t.is_symlink() => Some(LeftAlone::SymbolicLink),
        Ok(t) if t.is_dir() => Some(LeftAlone::Subfolder),
        Ok(t) if !t.is_file() => Some(LeftAlone::Special),
        Ok(_) if !is_bundle_name(name) => Some(LeftAlone::NotABundle),
        Ok(_) => None,
    }
}

/// The bundle files of a folder by their real names, in name order, and every other entry.
fn entries(dir: &Path) -> Result<(Vec<OsString>, Vec<Ignored>), ExchangeError> {
    let read = |e| ExchangeError::Read {
        path: dir.display().to_string(),
        source: e,
    };
    let mut names = Vec::new();
    let mut ignored = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read)? {
        let entry = entry.map_err(read)?;
        let name = entry.file_name();
        // DirEntry's type is the entry's own (lstat where the folder does not say).
        match left_alone(entry.file_type(), &name) {
            None => names.push(name),
            Some(reason) => ignored.push(Ignored {
                name: shown_name(&name),
                reason,
            }),
        }
    }
    names.sort();
    ignored.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((names, ignored))
}

/// Imports every bundle in `dir` (not its subfolders), each file in its own transaction. Only a
/// folder that cannot be read is an error; a rejected file is listed with its problem, and every
/// entry that is not a bundle file with why it was left alone.
pub fn import_folder(
    store: &mut Store,
    dir: &Path,
    identity: Option<&age::x25519::Identity>,
    progress: &mut dyn FnMut(FolderProgress),
) -> Result<FolderSummary, ExchangeError> {
    let (names, ignored) = entries(dir)?;
    // Until the folder's end, an opening of the store leaves the noted facts to this import.
    let _running = store.hold_import_lock();
    let mut summary = FolderSummary {
        ignored,
        ..FolderSummary::default()
    };
    let files = names.len();
    let mut known = Known::default();
    // The files' commits do not wait for the disk; the folder's last commit does, and with it
    // they are all on disk before the summary is given. A folder cut off before then (a power
    // cut) is imported again: what was already imported is then reported as present.
    store.set_commits_wait_for_disk(false)?;
    for (i, name) in names.into_iter().enumerate() {
        progress(FolderProgress {
            file: i,
            files,
            done: 0,
            total: 0,
        });
        let outcome = match import_path(
            store,
            &dir.join(&name),
            identity,
            Some(&mut known),
            &mut |done, total| {
                progress(FolderProgress {
                    file: i,
                    files,
                    done,
                    total,
                })
            },
        ) {
            Ok(s) => FileOutcome {
                result: if s.added > 0 {
                    FileResult::Imported
                } else {
                    FileResult::AlreadyPresent
                },
                added: s.added,
                skipped: s.skipped,
                conflicts: s.conflicts,
                problem: None,
                file: shown_name(&name),
            },
            Err(e) => FileOutcome {
                file: shown_name(&name),
                result: FileResult::Rejected,
                added: 0,
                skipped: 0,
                conflicts: Vec::new(),
                problem: Some(e.problem()),
            },
        };
        summary.added += outcome.added;
        summary.skipped += outcome.skipped;
        summary.conflicts += outcome.conflicts.len() as u32;
        summary.rejected += u32::from(outcome.result == FileResult::Rejected);
        summary.files.push(outcome);
    }
    store.set_commits_wait_for_disk(true)?;
    settle(store, &known, &mut summary);
    progress(FolderProgress {
        file: files,
        files,
        done: 0,
        total: 0,
    });
    Ok(summary)
}

/// The running sums and the table's facts of every file, at once (each file noted its own). Its
/// commit puts the files' commits on disk; without one (only open group rounds were added), a
/// flush does. When they cannot be settled now, the files stay imported and the summary says
/// so: the facts stay noted for the next opening, and the log is put on disk all the same.
fn settle(store: &mut Store, known: &Known, summary: &mut FolderSummary) {
    let settled = match store.catch_up_facts(known) {
        Ok(true) => return,
        Ok(false) if summary.added == 0 => return,
        Ok(false) => store.flush_to_disk(),
        Err(e) => {
            if summary.added > 0 {
                summary.figures_later = Some(Problem::new(Kind::figures_later));
            }
            Err(e)
        }
    };
    if settled.is_err() {
        let _ = store.sync_log();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::Location;
    use crate::model::{Area, Role};
    use crate::store::{CheckTarget, NewCheck, NewInitiative};

    fn synchronous(store: &Store) -> i64 {
        store
            .connection()
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap()
    }

    fn initiative(name: &str) -> NewInitiative {
        NewInitiative {
            name: name.into(),
            description: None,
            lat: 52.09,
            lon: 5.12,
            location: Location {
                municipality: Some(Area {
                    code: "GM0344".into(),
                    name: "Utrecht".into(),
                }),
                province: None,
                wijk: None,
                approximate: false,
            },
            target_groups: vec![],
        }
    }

    /// A bundle of one initiative with one self-check, made on a machine of its own.
    fn bundle(dir: &Path, file: &str, name: &str) {
        let mut source = Store::open_in_memory().unwrap();
        source
            .save_check(
                CheckTarget::New(&initiative(name)),
                &NewCheck::single(
                    Role::Resident,
                    [("bonding-1-a".to_string(), Some(4))].into(),
                ),
            )
            .unwrap();
        let bytes = crate::exchange::export_bytes(&source, None, None).unwrap();
        std::fs::write(dir.join(file), bytes).unwrap();
    }

    /// The files' commits skip waiting for the disk; the folder's end puts them on disk and leaves
    /// every later commit waiting for the disk again (FULL is 2).
    #[test]
    fn a_folder_import_leaves_commits_waiting_for_the_disk_again() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("in");
        std::fs::create_dir(&folder).unwrap();
        bundle(&folder, "a.json", "Buurttuin");
        let mut store = Store::open(&dir.path().join("here.db")).unwrap();
        assert_eq!(synchronous(&store), 2);
        let summary = import_folder(&mut store, &folder, None, &mut |_| {}).unwrap();
        assert_eq!((summary.added, summary.rejected), (2, 0));
        assert_eq!(synchronous(&store), 2);
        // Again, with nothing new: the same.
        import_folder(&mut store, &folder, None, &mut |_| {}).unwrap();
        assert_eq!(synchronous(&store), 2);
    }

    /// Where a folder import is when it lets the test look.
    #[derive(Debug, PartialEq)]
    enum Moment {
        /// Within a file's transaction, its records written, not committed.
        InFile(usize),
        /// Between two files: no transaction open.
        BeforeFile(usize),
    }

    /// A reader opened while a folder import is within a file's transaction, and again between
    /// two files, reads at once what is committed, and settles nothing.
    #[test]
    fn a_reader_never_waits_for_a_running_folder_import() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("in");
        std::fs::create_dir(&folder).unwrap();
        for (file, name) in [("1.json", "Een"), ("2.json", "Twee"), ("3.json", "Drie")] {
            bundle(&folder, file, name);
        }
        let db = dir.path().join("here.db");
        drop(Store::open(&db).unwrap());
        let (at, seen) = std::sync::mpsc::channel::<Moment>();
        let (go_on, wait) = std::sync::mpsc::channel::<()>();
        let importer = {
            let (db, folder) = (db.clone(), folder.clone());
            std::thread::spawn(move || {
                let mut store = Store::open(&db).unwrap();
                import_folder(&mut store, &folder, None, &mut |p| {
                    let moment = match p {
                        FolderProgress {
                            file: 1,
                            total,
                            done,
                            ..
                        } if total > 0 && done == total => Some(Moment::InFile(1)),
                        FolderProgress {
                            file: 2, total: 0, ..
                        } => Some(Moment::BeforeFile(2)),
                        _ => None,
                    };
                    if let Some(moment) = moment {
                        at.send(moment).unwrap();
                        wait.recv().unwrap();
                    }
                })
                .unwrap()
            })
        };
        for (moment, committed) in [(Moment::InFile(1), 1), (Moment::BeforeFile(2), 2)] {
            assert_eq!(seen.recv().unwrap(), moment);
            let start = std::time::Instant::now();
            let reader = Store::open_for_reading(&db).unwrap();
            let listed = reader.list_checks(None).unwrap().len();
            let took = start.elapsed();
            assert!(
                took < std::time::Duration::from_secs(1),
                "{moment:?}: the reader waited {took:?}"
            );
            assert_eq!(listed, committed, "{moment:?}");
            drop(reader);
            go_on.send(()).unwrap();
        }
        let summary = importer.join().unwrap();
        assert_eq!((summary.added, summary.rejected), (6, 0));
        let reader = Store::open_for_reading(&db).unwrap();
        assert_eq!(reader.list_checks(None).unwrap().len(), 3);
    }

    fn pending(store: &Store) -> i64 {
        store
            .connection()
            .query_row("SELECT count(*) FROM facts_pending", [], |r| r.get(0))
            .unwrap()
    }

    /// A store opened for saving while a folder import runs (between its files) leaves the
    /// import's noted facts to the import; once no import runs, noted facts are a cut-off
    /// import's, and the next opening settles them.
    #[test]
    fn an_opening_tells_a_running_folder_import_from_a_cut_off_one() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("in");
        std::fs::create_dir(&folder).unwrap();
        bundle(&folder, "1.json", "Een");
        bundle(&folder, "2.json", "Twee");
        let db = dir.path().join("here.db");
        drop(Store::open(&db).unwrap());
        let (at, seen) = std::sync::mpsc::channel::<()>();
        let (go_on, wait) = std::sync::mpsc::channel::<()>();
        let importer = {
            let (db, folder) = (db.clone(), folder.clone());
            std::thread::spawn(move || {
                let mut store = Store::open(&db).unwrap();
                import_folder(&mut store, &folder, None, &mut |p| {
                    if p.file == 1 && p.total == 0 {
                        at.send(()).unwrap();
                        wait.recv().unwrap();
                    }
                })
                .unwrap()
            })
        };
        seen.recv().unwrap();
        // Opening while the import waits between its files: it neither blocks nor fails (it
        // waited out the busy timeout and failed "database is locked" before).
        let other = Store::open(&db).unwrap();
        assert_eq!(pending(&other), 1, "left to the running import");
        go_on.send(()).unwrap();
        importer.join().unwrap();
        assert_eq!(pending(&other), 0, "settled at the import's end");
        // Noted facts with no import running: a cut-off import's, settled on opening.
        other
            .connection()
            .execute(
                "INSERT INTO facts_pending (initiative_id) SELECT id FROM initiatives",
                [],
            )
            .unwrap();
        drop(other);
        assert_eq!(pending(&Store::open(&db).unwrap()), 0);
    }

    /// Another program holds the write lock for the whole folder import: each file is listed as
    /// refused for that reason, and the summary is given (it was lost in an error before).
    #[test]
    fn a_folder_import_that_meets_a_locked_database_says_per_file_what_happened() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("in");
        std::fs::create_dir(&folder).unwrap();
        bundle(&folder, "1.json", "Een");
        bundle(&folder, "2.json", "Twee");
        let db = dir.path().join("here.db");
        let mut store = Store::open(&db).unwrap();
        store
            .set_busy_timeout(std::time::Duration::from_millis(200))
            .unwrap();
        let other = Store::open(&db).unwrap();
        other.connection().execute_batch("BEGIN IMMEDIATE").unwrap();
        let summary = import_folder(&mut store, &folder, None, &mut |_| {}).unwrap();
        let results: Vec<_> = summary
            .files
            .iter()
            .map(|f| (f.file.as_str(), f.result))
            .collect();
        assert_eq!(
            results,
            [
                ("1.json", FileResult::Rejected),
                ("2.json", FileResult::Rejected)
            ]
        );
        for f in &summary.files {
            assert_eq!(
                f.problem.as_ref().unwrap().kind,
                crate::content::problem::Kind::store_busy
            );
        }
        other.connection().execute_batch("ROLLBACK").unwrap();
        // The lock gone, the same folder imports.
        let summary = import_folder(&mut store, &folder, None, &mut |_| {}).unwrap();
        assert_eq!((summary.added, summary.rejected), (4, 0));
    }
}
