/*! The commands the UI may call. Each one calls the core and turns its error into a message
the person at the screen can read; nothing is decided here. */
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use wijkkompas::catalog::{catalog, Area, Case, Lang, Lesson, StrategyInfo};
use wijkkompas::exchange::{self, ImportSummary};
use wijkkompas::export;
use wijkkompas::report;
use wijkkompas::review::{ReviewEntry, ReviewStatus};
use wijkkompas::stats::{self, MunicipalityOverview};
use wijkkompas::chart;
use wijkkompas::geo::{geography, Basemap, Location, PlaceHit};
use wijkkompas::paths;
use wijkkompas::selfcheck::{self, CheckInput, CheckResult, History};
use wijkkompas::store::{InitiativeOverview, Store};

/// The per-user store, or why it could not be opened (the map works without it).
pub struct AppState {
    store: Mutex<Result<Store, String>>,
    /// Where a damaged database was moved at start-up, to tell the user.
    recovered: Option<String>,
}

impl AppState {
    pub fn open() -> AppState {
        let (store, recovered) = match paths::default_db_path() {
            Some(path) => match Store::open_or_recover(&path) {
                Ok((store, moved)) => (Ok(store), moved.map(|p| p.display().to_string())),
                Err(e) => (Err(e.to_string()), None),
            },
            None => (Err("no folder for the database: set WIJKKOMPAS_DB".to_string()), None),
        };
        AppState { store: Mutex::new(store), recovered }
    }

    fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> Result<T, String>) -> Result<T, String> {
        let mut guard = self.store.lock().map_err(|_| "the database is unavailable".to_string())?;
        match guard.as_mut() {
            Ok(store) => f(store),
            Err(e) => Err(e.clone()),
        }
    }
}

#[derive(Serialize, TS)]
#[ts(export)]
pub struct About {
    version: &'static str,
    official_geography: bool,
    lessons_source: &'static str,
    cases_source: &'static str,
    database: Option<String>,
    /// Set when the database was damaged and moved aside at start-up: where it went.
    recovered_from: Option<String>,
    /// Set when the database could not be opened at all (e.g. made by a newer version).
    database_error: Option<String>,
}

#[tauri::command]
pub fn about(state: State<'_, AppState>) -> About {
    let database_error = state.store.lock().ok().and_then(|s| s.as_ref().err().cloned());
    About {
        recovered_from: state.recovered.clone(),
        database_error,
        version: env!("CARGO_PKG_VERSION"),
        official_geography: geography().is_official(),
        lessons_source: &catalog().lessons_source,
        cases_source: &catalog().cases_source,
        database: paths::default_db_path().map(|p| p.display().to_string()),
    }
}

#[tauri::command]
pub fn cases() -> &'static [Case] {
    &catalog().cases
}

#[derive(Serialize, TS)]
#[ts(export)]
pub struct LessonsAndStrategies {
    strategies: &'static [StrategyInfo],
    lessons: &'static [Lesson],
}

#[tauri::command]
pub fn lessons() -> LessonsAndStrategies {
    LessonsAndStrategies { strategies: &catalog().strategies, lessons: &catalog().lessons }
}

#[tauri::command]
pub fn basemap() -> Basemap {
    geography().basemap()
}

#[tauri::command]
pub fn locate(lat: f64, lon: f64) -> Result<Location, String> {
    geography().locate(lat, lon).map_err(|e| e.to_string())
}

#[tauri::command]
pub fn search_places(query: String, limit: Option<usize>) -> Vec<PlaceHit> {
    geography().search(&query, limit.unwrap_or(8).min(50))
}

const LANGUAGE_KEY: &str = "language";

/// The remembered language; Dutch when none was chosen or the store is unavailable.
#[tauri::command]
pub fn get_language(state: State<'_, AppState>) -> Lang {
    state
        .with_store(|s| s.setting(LANGUAGE_KEY).map_err(|e| e.to_string()))
        .ok()
        .flatten()
        .and_then(|v| Lang::parse(&v))
        .unwrap_or_default()
}

#[tauri::command]
pub fn set_language(state: State<'_, AppState>, lang: Lang) -> Result<(), String> {
    let value = match lang {
        Lang::Nl => "nl",
        Lang::En => "en",
    };
    state.with_store(|s| s.set_setting(LANGUAGE_KEY, value).map_err(|e| e.to_string()))
}

/// Saves a self-check (a new initiative, or a repeat when `input.initiative.id` is set).
#[tauri::command]
pub fn save_check(state: State<'_, AppState>, input: CheckInput, lang: Lang) -> Result<CheckResult, String> {
    state.with_store(|s| selfcheck::submit(s, &input, lang).map_err(|e| e.to_string()))
}

#[tauri::command]
pub fn initiatives(state: State<'_, AppState>) -> Result<Vec<InitiativeOverview>, String> {
    state.with_store(|s| s.initiatives().map_err(|e| e.to_string()))
}

#[tauri::command]
pub fn history(state: State<'_, AppState>, initiative_id: String) -> Result<History, String> {
    state.with_store(|s| {
        selfcheck::history(s, &initiative_id)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("no initiative with id {initiative_id}"))
    })
}

#[tauri::command]
pub fn check_result(state: State<'_, AppState>, check_id: String, lang: Lang) -> Result<CheckResult, String> {
    state.with_store(|s| {
        selfcheck::stored_result(s, &check_id, lang)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("no self-check with id {check_id}"))
    })
}

/// The result chart of a stored self-check, as SVG made by the core.
#[tauri::command]
pub fn result_chart(state: State<'_, AppState>, check_id: String, lang: Lang) -> Result<String, String> {
    check_result(state, check_id, lang).map(|r| chart::result_svg(&r, lang))
}

#[tauri::command]
pub fn municipalities() -> Vec<Area> {
    geography().municipalities()
}

#[tauri::command]
pub fn municipality_overview(state: State<'_, AppState>, code: String) -> Result<MunicipalityOverview, String> {
    state.with_store(|s| {
        stats::overview(s, &code).map_err(|e| e.to_string())?.ok_or_else(|| format!("no municipality with code {code}"))
    })
}

#[tauri::command]
pub fn add_review(state: State<'_, AppState>, initiative_id: String, to: ReviewStatus, reviewer: String, note: String) -> Result<ReviewEntry, String> {
    state.with_store(|s| s.add_review(&initiative_id, to, &reviewer, &note).map_err(|e| e.to_string()))
}

#[tauri::command]
pub fn reviews(state: State<'_, AppState>, initiative_id: String) -> Result<Vec<ReviewEntry>, String> {
    state.with_store(|s| s.reviews(&initiative_id).map_err(|e| e.to_string()))
}

/// Progress of a running import, sent to the UI as the event `import-progress`.
#[derive(Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    done: u32,
    total: u32,
}

/// Imports a bundle's text (read by the UI from the file the person chose). Runs off the UI
/// thread, reporting progress, in one transaction.
#[tauri::command(async)]
pub fn import_bundle(app: AppHandle, state: State<'_, AppState>, text: String) -> Result<ImportSummary, String> {
    state.with_store(|s| {
        exchange::import_bundle(s, &text, &mut |done, total| {
            let _ = app.emit("import-progress", ImportProgress { done: done as u32, total: total as u32 });
        })
        .map_err(|e| e.to_string())
    })
}

#[derive(Clone, Copy, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Bundle,
    Csv,
    Geojson,
}

/// Asks where to save, then writes the export there. Returns the path, or None when cancelled.
#[tauri::command(async)]
pub fn export_file(app: AppHandle, state: State<'_, AppState>, format: ExportFormat, municipality: Option<String>) -> Result<Option<String>, String> {
    let code = municipality.as_deref();
    let bytes = state.with_store(|s| match format {
        ExportFormat::Bundle => exchange::export_bytes(s, code, None).map_err(|e| e.to_string()),
        ExportFormat::Csv => export::csv(s, code).map_err(|e| e.to_string()),
        ExportFormat::Geojson => export::geojson(s, code).map(String::into_bytes).map_err(|e| e.to_string()),
    })?;
    let (name, ext) = match format {
        ExportFormat::Bundle => ("wijkkompas-bundel", "json"),
        ExportFormat::Csv => ("wijkkompas", "csv"),
        ExportFormat::Geojson => ("wijkkompas", "geojson"),
    };
    let file_name = format!("{name}{}.{ext}", code.map(|c| format!("-{c}")).unwrap_or_default());
    let Some(path) = app.dialog().file().set_file_name(&file_name).add_filter(ext, &[ext]).blocking_save_file() else {
        return Ok(None);
    };
    let path = path.into_path().map_err(|e| e.to_string())?;
    std::fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(Some(path.display().to_string()))
}

/// Makes a PDF report (of a self-check, or of a municipality) and asks where to save it.
/// Returns the path, or None when cancelled.
#[tauri::command(async)]
pub fn save_report(app: AppHandle, state: State<'_, AppState>, check_id: Option<String>, municipality: Option<String>, lang: Lang) -> Result<Option<String>, String> {
    let (svg, file_name) = state.with_store(|s| match (&check_id, &municipality) {
        (Some(id), None) => {
            let r = selfcheck::stored_result(s, id, lang).map_err(|e| e.to_string())?.ok_or_else(|| format!("no self-check with id {id}"))?;
            Ok((report::check_report_svg(&r, lang), "wijkkompas-zelfcheck.pdf".to_string()))
        }
        (None, Some(code)) => {
            let o = stats::overview(s, code).map_err(|e| e.to_string())?.ok_or_else(|| format!("no municipality with code {code}"))?;
            Ok((report::municipality_report_svg(&o, lang), format!("wijkkompas-{code}.pdf")))
        }
        _ => Err("choose a self-check or a municipality".to_string()),
    })?;
    let pdf = report::svg_to_pdf(&svg).map_err(|e| e.to_string())?;
    let Some(path) = app.dialog().file().set_file_name(&file_name).add_filter("PDF", &["pdf"]).blocking_save_file() else {
        return Ok(None);
    };
    let path = path.into_path().map_err(|e| e.to_string())?;
    std::fs::write(&path, pdf).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(Some(path.display().to_string()))
}
