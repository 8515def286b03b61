/*! The commands the UI may call. Each one asks the kiosk session whether this person may do it,
calls the core, and turns its error into a message the person at the screen can read; no rule
lives here. */
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde::Serialize;
use tauri::ipc::{InvokeBody, Request};
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use wijkkompas::content::catalog::{catalog, Case, Lesson, StrategyInfo, TargetGroup};
use wijkkompas::content::limits::{self, Limits};
use wijkkompas::content::problem::{Explain, Kind, Problem};
use wijkkompas::exchange::export::{self, ExportFormat};
use wijkkompas::exchange::folder::FolderSummary;
use wijkkompas::exchange::{self, ImportSummary};
use wijkkompas::geo::{self, geography, Basemap, Location, PlaceHit};
use wijkkompas::model::{Area, Lang, Localized};
use wijkkompas::model::{ReviewEntry, ReviewStatus};
use wijkkompas::municipality::area::{self, MunicipalitySummary, RowPage, RowQuery};
use wijkkompas::municipality::review;
use wijkkompas::municipality::stats::QuarterPoint;
use wijkkompas::reports::chart;
use wijkkompas::reports::guide;
use wijkkompas::reports::report;
use wijkkompas::reports::report::ReportSubject;
use wijkkompas::safety::crypto;
use wijkkompas::safety::erasure::{self, ErasureReport};
use wijkkompas::safety::kiosk::{KioskStatus, Session};
use wijkkompas::safety::retention;
use wijkkompas::safety::settings::{self, Settings};
use wijkkompas::selfcheck::session::{
    self, AgreedAction, SessionClose, SessionStart, SessionStatus,
};
use wijkkompas::selfcheck::{self, CheckInput, CheckResult, History, RespondentInput};
use wijkkompas::store::backup::BackupFile;
use wijkkompas::store::paths;
use wijkkompas::store::{InitiativeOverview, Store, StoreError};

/// The per-user store (or why it could not be opened: the map works without it) and the session.
pub struct AppState {
    /// Opened on its own thread while the window starts (`open_in_background`); whoever needs it
    /// first waits for that, or opens it if the thread has not begun.
    opened: Arc<OnceLock<OpenedStore>>,
    session: Mutex<SessionState>,
}

struct OpenedStore {
    store: Mutex<Result<Store, Problem>>,
    /// Where a damaged database was moved at start-up, to tell the user.
    recovered: Option<String>,
    /// What the person should know about how the database was opened (only read: saving is not
    /// possible where it lies).
    notice: Option<Problem>,
}

/// The kiosk session and the return codes issued in it (shown on this person's report only).
#[derive(Default)]
struct SessionState {
    session: Session,
    codes: HashMap<String, String>,
}

/// A command's answer: what was asked, or the problem as data (a kind and its values), which
/// the UI words in the person's language.
type Reply<T> = Result<T, Problem>;

fn problem(e: impl Explain) -> Problem {
    e.problem()
}

/// A file chosen in a native dialog that cannot be used (no local path).
fn chosen(e: impl std::fmt::Display) -> Problem {
    Problem::new(Kind::file_choice).with("detail", e)
}

impl OpenedStore {
    /// Opening may migrate (after a backup), make the daily backup and apply the retention
    /// period: on a large database that takes a while, hence not on the window's thread.
    fn open() -> OpenedStore {
        let mut notice = None;
        let (store, recovered) = match paths::default_db_path() {
            Some(path) => match Store::open_or_recover(&path) {
                Ok((mut store, moved)) => {
                    // Retention runs at start-up, like the daily backup.
                    let _ = retention::purge_if_set(&mut store);
                    (Ok(store), moved.map(|p| p.display().to_string()))
                }
                // A read-only medium, or a folder without write permission: shown, not saved to.
                Err(StoreError::ReadOnlyPlace(_)) => match Store::open_for_reading(&path) {
                    Ok(store) => {
                        notice = store.take_warnings().first().map(|w| w.problem());
                        (Ok(store), None)
                    }
                    Err(e) => (Err(e.problem()), None),
                },
                Err(e) => (Err(e.problem()), None),
            },
            None => (Err(Problem::new(Kind::store_no_location)), None),
        };
        OpenedStore {
            store: Mutex::new(store),
            recovered,
            notice,
        }
    }
}

impl AppState {
    /// Starts opening the store on another thread and returns at once.
    pub fn open_in_background() -> AppState {
        let opened = Arc::new(OnceLock::new());
        let opening = Arc::clone(&opened);
        std::thread::spawn(move || {
            opening.get_or_init(OpenedStore::open);
        });
        AppState {
            opened,
            session: Mutex::new(SessionState::default()),
        }
    }

    fn opened(&self) -> &OpenedStore {
        self.opened.get_or_init(OpenedStore::open)
    }

    /// Runs `f` with the store and the session (always locked in this order).
    fn with<T>(&self, f: impl FnOnce(&mut Store, &mut SessionState) -> Reply<T>) -> Reply<T> {
        let mut store = self
            .opened()
            .store
            .lock()
            .map_err(|_| Problem::new(Kind::store_unavailable))?;
        let store = store.as_mut().map_err(|e| e.clone())?;
        let mut session = self
            .session
            .lock()
            .map_err(|_| Problem::new(Kind::store_unavailable))?;
        f(store, &mut session)
    }

    /// Like `with`, for what only the coordinator may do on a kiosk.
    fn coordinator<T>(&self, f: impl FnOnce(&mut Store) -> Reply<T>) -> Reply<T> {
        self.with(|store, s| {
            s.session.require_coordinator(store).map_err(problem)?;
            f(store)
        })
    }
}

/// The initiative a check belongs to, after asking the session whether this person may see it.
fn own_check(store: &Store, s: &SessionState, check_id: &str, lang: Lang) -> Reply<CheckResult> {
    let mut result = selfcheck::stored_result(store, check_id, lang)
        .map_err(problem)?
        .ok_or_else(|| Problem::new(Kind::unknown_check).with("id", check_id))?;
    s.session
        .require_check(store, &result.initiative_id, &result.created_at)
        .map_err(problem)?;
    result.return_code = s.codes.get(check_id).cloned();
    Ok(result)
}

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

/// The full-detail provinces and municipal borders, which the first screen does not draw: the UI
/// asks for them once, after start-up (at once if a map is zoomed in sooner). The embedded
/// GeoJSON goes out as the reply's JSON itself, so the webview parses 0.9 MB once rather than a
/// string and then its content. `null` in a build without the official boundaries.
#[tauri::command]
pub fn detailed_borders() -> tauri::ipc::Response {
    tauri::ipc::Response::new(geo::detailed_borders().unwrap_or("null").to_owned())
}

/// One municipality's wijk borders as GeoJSON (properties `code` and `name`), asked for when its
/// view opens: never part of start-up. An empty collection in a build without wijken.
#[tauri::command]
pub fn wijk_borders(municipality: String) -> tauri::ipc::Response {
    tauri::ipc::Response::new(geography().wijk_borders(&municipality))
}

#[tauri::command]
pub fn locate(lat: f64, lon: f64) -> Reply<Location> {
    geography().locate(lat, lon).map_err(problem)
}

#[tauri::command]
pub fn search_places(query: String, limit: Option<usize>, lang: Lang) -> Vec<PlaceHit> {
    // Suggestions come from the embedded gazetteer only, never from what residents typed.
    geography().suggest(&query, limit, lang)
}

#[tauri::command]
pub fn municipalities() -> Vec<Area> {
    geography().municipalities()
}

/// Remembers the chosen language for the next start.
#[tauri::command]
pub fn set_language(state: State<'_, AppState>, lang: Lang) -> Reply<()> {
    state.with(|s, _| settings::set_language(s, lang).map_err(problem))
}

// Kiosk session ---------------------------------------------------------------------------------

#[tauri::command]
pub fn kiosk_status(state: State<'_, AppState>) -> Reply<KioskStatus> {
    state.with(|store, s| s.session.status(store).map_err(problem))
}

#[tauri::command]
pub fn unlock(state: State<'_, AppState>, pin: String) -> Reply<KioskStatus> {
    state.with(|store, s| {
        s.session.unlock(store, &pin).map_err(problem)?;
        s.session.status(store).map_err(problem)
    })
}

/// "Klaar", the inactivity timeout, or locking again: this person's session ends.
#[tauri::command]
pub fn end_session(state: State<'_, AppState>) -> Reply<KioskStatus> {
    state.with(|store, s| {
        s.session.end();
        s.codes.clear();
        s.session.status(store).map_err(problem)
    })
}

#[derive(Serialize, TS)]
#[ts(export)]
pub struct Redeemed {
    initiative_id: String,
    name: String,
}

#[tauri::command]
pub fn redeem_code(state: State<'_, AppState>, code: String) -> Reply<Redeemed> {
    state.with(|store, s| {
        let id = s.session.redeem(store, &code).map_err(problem)?;
        let name = store
            .initiative(&id)
            .map_err(problem)?
            .map(|i| i.name)
            .unwrap_or_default();
        Ok(Redeemed {
            initiative_id: id,
            name,
        })
    })
}

// Self-checks -----------------------------------------------------------------------------------

/// Saves a self-check (a new initiative, or a repeat of one this person may reach).
#[tauri::command]
pub fn save_check(state: State<'_, AppState>, input: CheckInput, lang: Lang) -> Reply<CheckResult> {
    state.with(|store, s| {
        if let Some(id) = &input.initiative.id {
            s.session.require_own(store, id).map_err(problem)?;
        }
        let result = selfcheck::submit(store, &input, lang).map_err(problem)?;
        s.session.claim(&result.initiative_id, &result.created_at);
        if let Some(code) = &result.return_code {
            s.codes.insert(result.id.clone(), code.clone());
        }
        Ok(result)
    })
}

/// The actions agreed last time for an initiative this person may reach: a repeat opens with them.
#[tauri::command]
pub fn agreed_actions(
    state: State<'_, AppState>,
    initiative_id: String,
) -> Reply<Vec<AgreedAction>> {
    state.with(|store, s| {
        s.session
            .require_own(store, &initiative_id)
            .map_err(problem)?;
        session::agreed_actions(store, &initiative_id).map_err(problem)
    })
}

// Group rounds ----------------------------------------------------------------------------------

#[tauri::command]
pub fn start_group(state: State<'_, AppState>, input: SessionStart) -> Reply<SessionStatus> {
    state.with(|store, s| {
        if let Some(id) = &input.initiative.id {
            s.session.require_own(store, id).map_err(problem)?;
        }
        let status = session::start(store, &input).map_err(problem)?;
        s.session.take_round(&status.id);
        Ok(status)
    })
}

/// One member's answers; the screen clears for the next member.
#[tauri::command]
pub fn add_group_member(
    state: State<'_, AppState>,
    session_id: String,
    member: RespondentInput,
) -> Reply<SessionStatus> {
    state.with(|store, s| {
        s.session
            .require_round(store, &session_id)
            .map_err(problem)?;
        session::add_member(store, &session_id, &member).map_err(problem)
    })
}

/// The group's result at the close of the round (not yet saved).
#[tauri::command]
pub fn group_result(
    state: State<'_, AppState>,
    session_id: String,
    lang: Lang,
) -> Reply<CheckResult> {
    state.with(|store, s| {
        s.session
            .require_round(store, &session_id)
            .map_err(problem)?;
        session::preview(store, &session_id, lang).map_err(problem)
    })
}

/// Saves the round with the group's notes and plan.
#[tauri::command]
pub fn close_group(
    state: State<'_, AppState>,
    session_id: String,
    input: SessionClose,
    lang: Lang,
) -> Reply<CheckResult> {
    state.with(|store, s| {
        s.session
            .require_round(store, &session_id)
            .map_err(problem)?;
        let result = session::close(store, &session_id, &input, lang).map_err(problem)?;
        s.session.claim(&result.initiative_id, &result.created_at);
        if let Some(code) = &result.return_code {
            s.codes.insert(result.id.clone(), code.clone());
        }
        Ok(result)
    })
}

#[tauri::command]
pub fn cancel_group(state: State<'_, AppState>, session_id: String) -> Reply<()> {
    state.with(|store, s| {
        s.session
            .require_round(store, &session_id)
            .map_err(problem)?;
        session::cancel(store, &session_id).map_err(problem)
    })
}

/// Rounds left open on this machine (on a kiosk, for the coordinator).
#[tauri::command]
pub fn open_groups(state: State<'_, AppState>) -> Reply<Vec<SessionStatus>> {
    state.coordinator(|store| session::open(store).map_err(problem))
}

/// Takes up a round left open (on a kiosk, the coordinator).
#[tauri::command]
pub fn resume_group(state: State<'_, AppState>, session_id: String) -> Reply<SessionStatus> {
    state.with(|store, s| {
        s.session.require_coordinator(store).map_err(problem)?;
        let status = session::session_status(store, &session_id).map_err(problem)?;
        s.session.take_round(&status.id);
        Ok(status)
    })
}

/// The facilitator's guide with the paper answer form: asks where to save it.
#[tauri::command(async)]
pub fn save_guide(app: AppHandle, lang: Lang) -> Reply<Option<String>> {
    let pdf = guide::guide_pdf(lang).map_err(problem)?;
    let name = match lang {
        Lang::Nl => "wijkkompas-gespreksleidraad.pdf",
        Lang::En => "wijkkompas-facilitators-guide.pdf",
    };
    save_as(&app, name, "pdf", &pdf)
}

#[tauri::command]
pub fn initiatives(state: State<'_, AppState>) -> Reply<Vec<InitiativeOverview>> {
    state.coordinator(|s| s.initiatives().map_err(problem))
}

#[tauri::command]
pub fn history(state: State<'_, AppState>, initiative_id: String) -> Reply<History> {
    state.with(|store, s| {
        let from = s
            .session
            .visible_from(store, &initiative_id)
            .map_err(problem)?;
        selfcheck::history_from(store, &initiative_id, from.as_deref())
            .map_err(problem)?
            .ok_or_else(|| Problem::new(Kind::unknown_initiative).with("id", &initiative_id))
    })
}

#[tauri::command]
pub fn check_result(
    state: State<'_, AppState>,
    check_id: String,
    lang: Lang,
) -> Reply<CheckResult> {
    state.with(|store, s| own_check(store, s, &check_id, lang))
}

/// The result chart of a stored self-check, as SVG made by the core.
#[tauri::command]
pub fn result_chart(state: State<'_, AppState>, check_id: String, lang: Lang) -> Reply<String> {
    state.with(|store, s| own_check(store, s, &check_id, lang).map(|r| chart::result_svg(&r, lang)))
}

// Municipality ----------------------------------------------------------------------------------

/// A municipality's aggregates, map points and first table page; further pages come one at a time.
#[tauri::command]
pub fn municipality_overview(
    state: State<'_, AppState>,
    code: String,
    query: RowQuery,
) -> Reply<MunicipalitySummary> {
    state.coordinator(|s| area::summary(s, &code, &query).map_err(problem))
}

#[tauri::command]
pub fn municipality_rows(
    state: State<'_, AppState>,
    code: String,
    query: RowQuery,
) -> Reply<RowPage> {
    state.coordinator(|s| area::rows_page(s, &code, &query).map_err(problem))
}

#[tauri::command]
pub fn add_review(
    state: State<'_, AppState>,
    initiative_id: String,
    to: ReviewStatus,
    reviewer: String,
    note: String,
) -> Reply<ReviewEntry> {
    state.coordinator(|s| {
        review::add(s, &[&initiative_id], to, &reviewer, &note)
            .map(|mut entries| entries.remove(0))
            .map_err(problem)
    })
}

/// Moves several initiatives to one status: all of them, or none (the problem names the one).
#[tauri::command]
pub fn add_reviews(
    state: State<'_, AppState>,
    initiative_ids: Vec<String>,
    to: ReviewStatus,
    reviewer: String,
    note: String,
) -> Reply<Vec<ReviewEntry>> {
    state.coordinator(|s| review::add(s, &initiative_ids, to, &reviewer, &note).map_err(problem))
}

/// Per quarter, the mean per strategy over each initiative's latest check in that quarter.
#[tauri::command]
pub fn quarter_trend(state: State<'_, AppState>, code: String) -> Reply<Vec<QuarterPoint>> {
    state.coordinator(|s| {
        geography().known_municipality(&code).map_err(problem)?;
        wijkkompas::municipality::stats::quarter_trend(s, Some(&code), None).map_err(problem)
    })
}

/// Every initiative the table's filter shows, on all pages.
#[tauri::command]
pub fn matching_ids(
    state: State<'_, AppState>,
    code: String,
    query: RowQuery,
) -> Reply<Vec<String>> {
    state.coordinator(|s| area::matching_ids(s, &code, &query).map_err(problem))
}

/// Erases an initiative with all its self-checks here now, and at the next sync on the shared
/// database and every machine (a person's own request, or a record that must go everywhere).
#[tauri::command]
pub fn erase(state: State<'_, AppState>, id: String, reason: String) -> Reply<ErasureReport> {
    state.coordinator(|s| erasure::erase(s, &id, &reason).map_err(problem))
}

#[tauri::command]
pub fn reviews(state: State<'_, AppState>, initiative_id: String) -> Reply<Vec<ReviewEntry>> {
    state.coordinator(|s| s.reviews(&initiative_id).map_err(problem))
}

/// Progress of a running import, sent to the UI as the event `import-progress`.
#[derive(Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    done: u32,
    total: u32,
}

/// Progress of a folder import, sent as the event `import-folder-progress`.
#[derive(Clone, Serialize, TS)]
#[ts(export)]
pub struct FolderImportProgress {
    /// Files done so far, and in all; records of the current file.
    file: u32,
    files: u32,
    done: u32,
    total: u32,
}

/// Asks for a folder and imports every bundle in it, each file on its own; a folder with
/// encrypted bundles asks for the municipality's key file once. None when the dialog is cancelled.
#[tauri::command(async)]
pub fn import_folder(app: AppHandle, state: State<'_, AppState>) -> Reply<Option<FolderSummary>> {
    state.coordinator(|_| Ok(()))?;
    let Some(dir) = app
        .dialog()
        .file()
        .set_title("Map met bundels / folder of bundles")
        .blocking_pick_folder()
    else {
        return Ok(None);
    };
    let dir = dir.into_path().map_err(chosen)?;
    let encrypted = std::fs::read_dir(&dir)
        .map(|entries| {
            entries.filter_map(Result::ok).any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .to_ascii_lowercase()
                    .ends_with(".age")
            })
        })
        .unwrap_or(false);
    let identity = if encrypted {
        match app
            .dialog()
            .file()
            .set_title("Sleutelbestand van de gemeente / municipality key file")
            .blocking_pick_file()
        {
            Some(key) => {
                let path = key.into_path().map_err(chosen)?;
                let key_text = std::fs::read_to_string(&path).map_err(|e| {
                    Problem::new(Kind::read_file)
                        .with("path", path.display())
                        .with("detail", e)
                })?;
                Some(crypto::parse_identity(&key_text).map_err(problem)?)
            }
            // Without the key the encrypted files are listed as rejected; the others still import.
            None => None,
        }
    } else {
        None
    };
    state
        .coordinator(|s| {
            exchange::folder::import_folder(s, &dir, identity.as_ref(), &mut |p| {
                let progress = FolderImportProgress {
                    file: p.file as u32,
                    files: p.files as u32,
                    done: p.done as u32,
                    total: p.total as u32,
                };
                let _ = app.emit("import-folder-progress", progress);
            })
            .map_err(problem)
        })
        .map(Some)
}

/// Imports a bundle file's bytes, sent raw by the UI. An encrypted bundle asks (in a native file
/// dialog) for the municipality's private key file. Runs off the UI thread, in one transaction.
#[tauri::command(async)]
pub fn import_bundle(
    app: AppHandle,
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Reply<ImportSummary> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(Problem::new(Kind::bundle_send_bytes));
    };
    state.coordinator(|_| Ok(()))?;
    let identity = if crypto::is_encrypted(bytes) {
        let Some(key) = app
            .dialog()
            .file()
            .set_title("Sleutelbestand van de gemeente / municipality key file")
            .blocking_pick_file()
        else {
            return Err(crypto::CryptoError::NeedsKey.problem());
        };
        let path = key.into_path().map_err(chosen)?;
        let key_text = std::fs::read_to_string(&path).map_err(|e| {
            Problem::new(Kind::read_file)
                .with("path", path.display())
                .with("detail", e)
        })?;
        Some(crypto::parse_identity(&key_text).map_err(problem)?)
    } else {
        None
    };
    // The name the person chose, which the imported records keep as their source's file.
    let file_name = request
        .headers()
        .get("x-file-name")
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        })
        .unwrap_or_default();
    state.coordinator(|s| {
        exchange::import_named_bytes(
            s,
            bytes,
            &file_name,
            identity.as_ref(),
            &mut |done, total| {
                let _ = app.emit(
                    "import-progress",
                    ImportProgress {
                        done: done as u32,
                        total: total as u32,
                    },
                );
            },
        )
        .map_err(problem)
    })
}

/// Asks where to save (a native dialog), then writes the file there. None when cancelled.
fn save_as(app: &AppHandle, file_name: &str, ext: &str, bytes: &[u8]) -> Reply<Option<String>> {
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

#[tauri::command(async)]
pub fn export_file(
    app: AppHandle,
    state: State<'_, AppState>,
    format: ExportFormat,
    municipality: Option<String>,
    lang: Lang,
) -> Reply<Option<String>> {
    let file = state.coordinator(|s| {
        export::export_file(s, format, municipality.as_deref(), None, lang).map_err(problem)
    })?;
    save_as(&app, &file.file_name, file.extension, &file.bytes)
}

/// Makes a PDF report (of a self-check this person may see, or of a municipality) and asks
/// where to save it. Returns the path, or None when cancelled.
#[tauri::command(async)]
pub fn save_report(
    app: AppHandle,
    state: State<'_, AppState>,
    check_id: Option<String>,
    municipality: Option<String>,
    lang: Lang,
) -> Reply<Option<String>> {
    let subject = ReportSubject::from_choice(check_id.as_deref(), municipality.as_deref())
        .map_err(problem)?;
    let file_name = subject.file_name();
    let pdf = state.with(|store, s| match &subject {
        ReportSubject::Check(id) => {
            report::check_report_pdf(&own_check(store, s, id, lang)?, lang).map_err(problem)
        }
        ReportSubject::Municipality(code) => {
            s.session.require_coordinator(store).map_err(problem)?;
            let o = area::overview(store, code).map_err(problem)?;
            report::municipality_report_pdf(&o, lang).map_err(problem)
        }
    })?;
    save_as(&app, &file_name, "pdf", &pdf)
}

// Settings and backups (the coordinator's) ------------------------------------------------------

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Reply<Settings> {
    state.coordinator(|s| settings::load(s).map_err(problem))
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

/// Syncs with the shared database set in the settings, both ways; `password` is the one typed
/// for this sync (never stored). Off the UI thread: a server far away takes its time.
#[tauri::command(async)]
pub fn sync_shared(
    state: State<'_, AppState>,
    password: Option<String>,
) -> Reply<wijkkompas::sync::SyncSummary> {
    state.coordinator(|s| {
        let url = settings::load(s).map_err(problem)?.sync_url;
        if url.is_empty() {
            return Err(Problem::new(Kind::sync_not_set));
        }
        let options = wijkkompas::sync::SyncOptions {
            password: password.as_deref().filter(|p| !p.is_empty()),
            ..Default::default()
        };
        wijkkompas::sync::sync(s, &url, options).map_err(problem)
    })
}

/// Makes a key pair for the municipality: the private key is saved where the person chooses
/// (owner-only), the public key is stored to encrypt bundles and returned to hand out.
#[tauri::command(async)]
pub fn generate_key_pair(app: AppHandle, state: State<'_, AppState>) -> Reply<Option<String>> {
    state.coordinator(|_| Ok(()))?;
    let Some(path) = app
        .dialog()
        .file()
        .set_file_name("wijkkompas-gemeente.key")
        .blocking_save_file()
    else {
        return Ok(None);
    };
    let path = path.into_path().map_err(chosen)?;
    let public = crypto::keygen(&path).map_err(problem)?;
    Ok(Some(public))
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
