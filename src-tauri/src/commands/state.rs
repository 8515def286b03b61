/*! What the commands share: the per-user store, opened on its own thread at start-up, and this
person's kiosk session with the return codes issued in it. */
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use wijkkompas::content::problem::{Explain, Kind, Problem};
use wijkkompas::safety::kiosk::Session;
use wijkkompas::safety::retention;
use wijkkompas::store::paths;
use wijkkompas::store::{Store, StoreError};

use super::{problem, Reply};

/// The per-user store (or why it could not be opened: the map works without it) and the session.
pub struct AppState {
    /// Opened on its own thread while the window starts (`open_in_background`); whoever needs it
    /// first waits for that, or opens it if the thread has not begun.
    opened: Arc<OnceLock<OpenedStore>>,
    session: Mutex<SessionState>,
}

pub(super) struct OpenedStore {
    pub(super) store: Mutex<Result<Store, Problem>>,
    /// Where a damaged database was moved at start-up, to tell the user.
    pub(super) recovered: Option<String>,
    /// What the person should know about how the database was opened (only read: saving is not
    /// possible where it lies).
    pub(super) notice: Option<Problem>,
}

/// The kiosk session and the return codes issued in it (shown on this person's report only).
#[derive(Default)]
pub(super) struct SessionState {
    pub(super) session: Session,
    pub(super) codes: HashMap<String, String>,
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

    pub(super) fn opened(&self) -> &OpenedStore {
        self.opened.get_or_init(OpenedStore::open)
    }

    /// Runs `f` with the store and the session (always locked in this order).
    pub(super) fn with<T>(
        &self,
        f: impl FnOnce(&mut Store, &mut SessionState) -> Reply<T>,
    ) -> Reply<T> {
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
    pub(super) fn coordinator<T>(&self, f: impl FnOnce(&mut Store) -> Reply<T>) -> Reply<T> {
        self.with(|store, s| {
            s.session.require_coordinator(store).map_err(problem)?;
            f(store)
        })
    }
}
