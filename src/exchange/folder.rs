/*! Importing a folder of bundles, as a municipality receives them from many community centres:
every bundle file in it (plain or encrypted), each in its own transaction, so that a file that is
rejected stops nothing else. The outcome of every file is listed, and so is every entry that was
not imported, with the reason.

The folder and its names come from outside. Only regular files are read: a symbolic link is not
followed (it can point anywhere: out of the folder, at a device or at a FIFO that would block the
import), and neither are subfolders, FIFOs, devices and sockets; each is listed as what it is. A
file is opened by its real name, also when that name is no UTF-8; names are listed as
[`crate::paths::shown_name`] shows them. */
use std::ffi::{OsStr, OsString};
use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use super::{import_path, Conflict, ExchangeError};
use crate::paths::shown_name;
use crate::problem::{Explain, Problem};
use crate::store::aggregates::Known;
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
    /// characters or bytes that are no UTF-8 (`crate::paths::shown_name`).
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
    // The running sums and the table's facts of every file, at once (each file noted its own).
    // Its commit puts the files' commits on disk; without one (only open group rounds were
    // added), a flush does.
    if !store.catch_up_facts(&known)? && summary.added > 0 {
        store.flush_to_disk()?;
    }
    progress(FolderProgress {
        file: files,
        files,
        done: 0,
        total: 0,
    });
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Area, Role};
    use crate::geo::Location;
    use crate::store::{CheckTarget, NewCheck, NewInitiative};

    fn synchronous(store: &Store) -> i64 {
        store
            .connection()
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap()
    }

    /// The files' commits skip waiting for the disk; the folder's end puts them on disk and leaves
    /// every later commit waiting for the disk again (FULL is 2).
    #[test]
    fn a_folder_import_leaves_commits_waiting_for_the_disk_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut source = Store::open(&dir.path().join("source.db")).unwrap();
        let initiative = NewInitiative {
            name: "Buurttuin".into(),
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
        };
        source
            .save_check(
                CheckTarget::New(&initiative),
                &NewCheck::single(
                    Role::Resident,
                    [("bonding-1-a".to_string(), Some(4))].into(),
                ),
            )
            .unwrap();
        let folder = dir.path().join("in");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(
            folder.join("a.json"),
            crate::exchange::export_bytes(&source, None, None).unwrap(),
        )
        .unwrap();
        let mut store = Store::open(&dir.path().join("here.db")).unwrap();
        assert_eq!(synchronous(&store), 2);
        let summary = import_folder(&mut store, &folder, None, &mut |_| {}).unwrap();
        assert_eq!((summary.added, summary.rejected), (2, 0));
        assert_eq!(synchronous(&store), 2);
        // Again, with nothing new: the same.
        import_folder(&mut store, &folder, None, &mut |_| {}).unwrap();
        assert_eq!(synchronous(&store), 2);
    }
}
