/*! Settings and backups: the remembered language, and the coordinator's settings and backups. */
use tauri::State;

use wijkkompas::model::Lang;
use wijkkompas::safety::settings::{self, Settings};
use wijkkompas::store::backup::BackupFile;

use super::state::AppState;
use super::{problem, Reply};

/// Remembers the chosen language for the next start.
#[tauri::command]
pub fn set_language(state: State<'_, AppState>, lang: Lang) -> Reply<()> {
    state.with(|s, _| settings::set_language(s, lang).map_err(problem))
}

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Reply<Settings> {
    state.coordinator(|s| settings::load(s).map_err(problem))
}

/// The printers CUPS knows on this machine, for the coordinator's choice.
#[tauri::command(async)]
pub fn printers(state: State<'_, AppState>) -> Reply<Vec<String>> {
    state.coordinator(|_| Ok(()))?;
    wijkkompas::printing::Cups::system()
        .printers()
        .map_err(problem)
}

#[tauri::command]
pub fn save_settings(
    state: State<'_, AppState>,
    new: Settings,
    pin: Option<String>,
) -> Reply<Settings> {
    state.coordinator(|s| {
        settings::apply(s, &new, pin.as_deref().filter(|p| !p.is_empty())).map_err(problem)?;
        settings::load(s).map_err(problem)
    })
}

#[tauri::command]
pub fn list_backups(state: State<'_, AppState>) -> Reply<Vec<BackupFile>> {
    state.coordinator(|s| s.backups().map_err(problem))
}

#[tauri::command]
pub fn make_backup(state: State<'_, AppState>) -> Reply<String> {
    state.coordinator(|s| {
        s.backup_now("manual")
            .map(|p| p.display().to_string())
            .map_err(problem)
    })
}

#[tauri::command]
pub fn restore_backup(state: State<'_, AppState>, path: String) -> Reply<String> {
    state.coordinator(|s| {
        // Only files the app itself listed as backups can be restored from the UI.
        s.restore_listed(std::path::Path::new(&path))
            .map(|p| p.display().to_string())
            .map_err(problem)
    })
}
