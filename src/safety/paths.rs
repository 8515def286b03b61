/*! Where the per-user database lives. The app and the CLI must agree, and the core has no Tauri,
so this reproduces Tauri's `app_data_dir()` for the identifier `nl.wijkkompas.app` with the
`directories` crate (on Linux `~/.local/share/nl.wijkkompas.app/wijkkompas.db`). */
use std::path::PathBuf;

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
    directories::BaseDirs::new().map(|d| d.data_dir().join(APP_IDENTIFIER).join(DB_FILE))
}
