/*! The commands the UI may call, in modules by capability. Each one asks the kiosk session
whether this person may do it, calls the core, and turns its error into a message the person at
the screen can read; no rule lives here. */
mod exchange;
mod geography;
mod groups;
mod kiosk;
mod municipality;
mod reports;
mod safety;
mod selfcheck;
mod startup;
mod state;

// Glob re-exports: `#[tauri::command]` makes a hidden macro beside each function, which
// `generate_handler!` in main.rs finds at `commands::<name>` only when it comes along too.
pub use exchange::*;
pub use geography::*;
pub use groups::*;
pub use kiosk::*;
pub use municipality::*;
pub use reports::*;
pub use safety::*;
pub use selfcheck::*;
pub use startup::*;
pub use state::AppState;

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

use wijkkompas::content::problem::{Explain, Kind, Problem};
use wijkkompas::store::paths;

/// A command's answer: what was asked, or the problem as data (a kind and its values), which
/// the UI words in the person's language.
pub(crate) type Reply<T> = Result<T, Problem>;

pub(crate) fn problem(e: impl Explain) -> Problem {
    e.problem()
}

/// A file chosen in a native dialog that cannot be used (no local path).
pub(crate) fn chosen(e: impl std::fmt::Display) -> Problem {
    Problem::new(Kind::file_choice).with("detail", e)
}

/// Asks where to save (a native dialog), then writes the file there. None when cancelled.
pub(crate) fn save_as(
    app: &AppHandle,
    file_name: &str,
    ext: &str,
    bytes: &[u8],
) -> Reply<Option<String>> {
    let Some(path) = app
        .dialog()
        .file()
        .set_file_name(file_name)
        .add_filter(ext, &[ext])
        .blocking_save_file()
    else {
        return Ok(None);
    };
    let path = path.into_path().map_err(chosen)?;
    // The dialog has asked before replacing a file; the core still refuses the database itself.
    let db = paths::default_db_path();
    wijkkompas::safety::output::write(&path, bytes, db.as_deref(), true).map_err(problem)?;
    Ok(Some(path.display().to_string()))
}
