/*! Telling a folder import that is running from one that was cut off. A folder import commits
file by file and settles the running sums and facts once, at its end; until then its files'
initiatives wait in `facts_pending`. Pending facts with no import running mean the import was cut
off (the power, a kill), and the next opening for saving settles them. While one runs, another
opening must leave them to it: settling would wait for the import's lock, and be done again at
the import's end.

The running import holds an advisory lock (flock) on a small file beside the database,
`<database>-import`, for as long as it runs; the kernel lets go of it when the process ends,
however it ends, so a cut-off import never leaves it held. The file itself stays (empty). */
use std::fs::File;
use std::path::{Path, PathBuf};

/// Held by a running folder import; released when dropped (or when the process ends).
pub struct ImportLock {
    _file: File,
}

fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-import");
    PathBuf::from(name)
}

#[cfg(unix)]
fn flock(file: &File, how: libc::c_int) -> bool {
    use std::os::unix::io::AsRawFd;
    unsafe { libc::flock(file.as_raw_fd(), how | libc::LOCK_NB) == 0 }
}

impl ImportLock {
    /// Takes the lock for a folder import on the database at `db`. None where it cannot be had
    /// (no file can be made beside the database, or another import of the same database runs):
    /// the import goes ahead all the same, and an opening may then settle its facts early,
    /// which costs time, not correctness.
    pub fn take(db: &Path) -> Option<ImportLock> {
        #[cfg(unix)]
        {
            let mut options = std::fs::OpenOptions::new();
            options.read(true).write(true).create(true);
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let file = options.open(lock_path(db)).ok()?;
            flock(&file, libc::LOCK_EX).then_some(ImportLock { _file: file })
        }
        #[cfg(not(unix))]
        {
            let _ = db;
            None
        }
    }
}

/// Whether a folder import of the database at `db` is running now (in any process).
pub fn import_running(db: &Path) -> bool {
    #[cfg(unix)]
    {
        let Ok(file) = File::open(lock_path(db)) else {
            return false;
        };
        // A shared lock is refused only while an import holds its exclusive one.
        !flock(&file, libc::LOCK_SH)
    }
    #[cfg(not(unix))]
    {
        let _ = db;
        false
    }
}
