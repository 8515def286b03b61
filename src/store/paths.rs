/*! Where the per-user database lives, and how file names and files are handled. The app and the
CLI must agree, and the core has no Tauri, so this reproduces Tauri's `app_data_dir()` for the
identifier `nl.wijkkompas.app` with the `directories` crate (on Linux
`~/.local/share/nl.wijkkompas.app/wijkkompas.db`).

A file name from outside (a bundle someone sent, an entry of a folder of them) is outside text:
it can hold escape sequences that a terminal carries out, line breaks that forge a line of a
listing, direction overrides that make `evil\u{202e}nosj.exe` read as `evil.json`, and bytes that
are no UTF-8 at all. [`shown_name`] is the one way such a name is shown, stored or exported. */
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The app identifier from tauri.conf.json.
pub const APP_IDENTIFIER: &str = "nl.wijkkompas.app";
pub const DB_FILE: &str = "wijkkompas.db";
/// Overrides the database path for the app and the CLI alike (tests use it).
pub const DB_ENV: &str = "WIJKKOMPAS_DB";

/// `WIJKKOMPAS_DB` if set, else the platform data folder of the app.
pub fn default_db_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    app_data_dir().map(|d| d.join(DB_FILE))
}

/// The app's own data folder (Tauri's `app_data_dir()`), whoever chose the database.
pub fn app_data_dir() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.data_dir().join(APP_IDENTIFIER))
}

/// Characters that change what a terminal or a line of text shows without being seen: controls
/// (ESC starts a terminal's escape sequences, a line break forges a line), direction marks,
/// overrides and isolates, line and paragraph separators, zero-width characters.
fn is_hidden_effect(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'
        )
}

/// A file name from outside as it is shown, stored and exported: every control or direction
/// character written as `\u{…}`, every byte that is not UTF-8 as `\x..`, everything else as it
/// is. What comes out holds none of them, so escaping it again changes nothing (names stored
/// before this rule are escaped when read). Only for showing: a file is always opened by its
/// real name.
pub fn shown_name(name: &OsStr) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(name.len());
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(name);
    #[cfg(not(unix))]
    let lossy = name.to_string_lossy();
    #[cfg(not(unix))]
    let bytes = lossy.as_bytes();
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if is_hidden_effect(c) {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// A path whose last part (or any part) may come from outside, as [`shown_name`] shows it.
pub fn shown_path(path: &Path) -> String {
    shown_name(path.as_os_str())
}

/// Makes a folder that is the app's own (its data folder, the backups folder) and leaves it
/// readable by its owner only (0700), also when it was there already with a wider mode.
pub(crate) fn make_private_folder(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Makes a new, empty file readable by its owner only (0600), for SQLite to fill: SQLite makes
/// its files with 0644 less the umask, and gives the -wal and -shm files the mode of the
/// database. Fails if the file exists.
pub(crate) fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop)
}

/// Narrows a database file and its -wal and -shm files to their owner (0600), where they are
/// wider (made by an older version, or copied in). Only tried: a file on a read-only medium, or
/// someone else's, keeps its mode, and the database is still used.
pub(crate) fn keep_database_private(db: &Path) {
    for side in ["", "-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(side);
        narrow_to_owner(Path::new(&name));
    }
}

/// Takes away the group's and others' access to a file that has any (0600 for a database or a
/// backup), if it is there; only tried.
pub(crate) fn narrow_to_owner(file: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(file) {
            if meta.permissions().mode() & 0o077 != 0 {
                let _ = std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = file;
}

/// Whether this process may write the database file and make files beside it (its -wal and
/// -shm, backups): not on a read-only medium, not in a folder without write permission.
pub fn can_write_beside(db: &Path) -> bool {
    let dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        // access(2) answers for this process (root included) and for the medium (EROFS).
        let writable = |p: &Path| {
            std::ffi::CString::new(p.as_os_str().as_bytes())
                .is_ok_and(|c| unsafe { libc::access(c.as_ptr(), libc::W_OK) } == 0)
        };
        writable(dir) && (!db.exists() || writable(db))
    }
    #[cfg(not(unix))]
    {
        let writable = |p: &Path| std::fs::metadata(p).is_ok_and(|m| !m.permissions().readonly());
        writable(dir) && (!db.exists() || writable(db))
    }
}

/// A `file:` URI for SQLite with the path's bytes percent-encoded where a URI needs it, and
/// `query` after it (`mode=ro`, `immutable=1`).
pub(crate) fn sqlite_uri(path: &Path, query: &str) -> String {
    use std::fmt::Write;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for &b in absolute.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(b as char);
        } else {
            let _ = write!(uri, "%{b:02X}");
        }
    }
    uri.push('?');
    uri.push_str(query);
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shown_name_holds_no_escape_no_direction_override_and_no_broken_utf8() {
        let shown = shown_name(OsStr::new("a\u{1b}[2J\nb\u{202e}nosj.exe"));
        assert_eq!(shown, "a\\u{1b}[2J\\u{a}b\\u{202e}nosj.exe");
        assert_eq!(shown_name(OsStr::new(&shown)), shown, "escaping twice");
        assert_eq!(
            shown_name(OsStr::new("Buurthuis De Kolk é.json")),
            "Buurthuis De Kolk é.json"
        );
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            assert_eq!(
                shown_name(OsStr::from_bytes(b"bundle-\xff.json")),
                "bundle-\\xff.json"
            );
        }
    }
}
