/*! What the app says about itself and what the first screen needs, written into the page at
start-up, and the start-up mark `make measure` reads. */
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use wijkkompas::content::catalog::{catalog, Case, Lesson, StrategyInfo, TargetGroup};
use wijkkompas::content::limits::{self, Limits};
use wijkkompas::content::problem::Problem;
use wijkkompas::geo::{self, Basemap};
use wijkkompas::model::{Lang, Localized};
use wijkkompas::safety::kiosk::KioskStatus;
use wijkkompas::safety::settings;
use wijkkompas::store::paths;

use super::problem;
use super::state::AppState;

#[derive(Serialize, TS)]
#[ts(export)]
pub struct About {
    version: &'static str,
    official_geography: bool,
    lessons_source: &'static Localized,
    cases_source: &'static Localized,
    database: Option<String>,
    /// Set when the database was damaged and moved aside at start-up: where it went.
    recovered_from: Option<String>,
    /// Set when the database could not be opened at all (e.g. made by a newer version).
    database_error: Option<Problem>,
    /// Set when the database could only be read (a read-only medium): what that means.
    database_notice: Option<Problem>,
}

/// When the process started, for the start-up mark below.
pub static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// The UI calls this once its map is drawn and takes input; `make measure` reads the line. It
/// reveals nothing and changes nothing, so it needs no kiosk check.
#[tauri::command]
pub fn mark_interactive() {
    let ms = STARTED
        .get()
        .map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0);
    eprintln!("wijkkompas-measure: interactive after {ms:.1} ms");
}

#[tauri::command]
pub fn about(state: State<'_, AppState>) -> About {
    about_of(&state)
}

fn about_of(state: &AppState) -> About {
    let opened = state.opened();
    let database_error = opened
        .store
        .lock()
        .ok()
        .and_then(|s| s.as_ref().err().cloned());
    About {
        recovered_from: opened.recovered.clone(),
        database_error,
        database_notice: opened.notice.clone(),
        version: env!("CARGO_PKG_VERSION"),
        official_geography: geo::is_official(),
        lessons_source: &catalog().lessons_source,
        cases_source: &catalog().cases_source,
        database: paths::default_db_path().map(|p| p.display().to_string()),
    }
}

#[derive(Serialize, TS)]
#[ts(export)]
pub struct LessonsAndStrategies {
    strategies: &'static [StrategyInfo],
    lessons: &'static [Lesson],
}

/// Everything the first screen needs. It comes with the page itself (`first_screen.rs`): an IPC
/// round trip at start-up would keep the window from being used (BENCHMARKS.md, start-up).
#[derive(Serialize, TS)]
#[ts(export)]
pub struct Startup {
    language: Lang,
    cases: &'static [Case],
    lessons: LessonsAndStrategies,
    basemap: Basemap,
    /// Every limit a person meets, from the core: the UI's fields and hints hold no copy.
    limits: Limits,
    /// The target groups a self-check offers, by id with their labels.
    target_groups: &'static [TargetGroup],
    /// None when the database could not be opened (the map works without it).
    kiosk: Option<KioskStatus>,
    about: About,
}

/// Not a command: the shell writes it into the page as the webview loads it (`main.rs`).
pub fn startup(state: &AppState) -> Startup {
    Startup {
        // The remembered language; Dutch when none was chosen or the store is unavailable.
        language: state
            .with(|s, _| settings::language(s).map_err(problem))
            .unwrap_or_default(),
        cases: &catalog().cases,
        lessons: LessonsAndStrategies {
            strategies: &catalog().strategies,
            lessons: &catalog().lessons,
        },
        basemap: geo::basemap(),
        limits: limits::limits(),
        target_groups: &catalog().target_groups,
        kiosk: state
            .with(|store, s| s.session.status(store).map_err(problem))
            .ok(),
        about: about_of(state),
    }
}
