/*! The kiosk session: its state, unlocking with the PIN, ending it, and redeeming a return code. */
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use wijkkompas::safety::kiosk::KioskStatus;

use super::state::AppState;
use super::{problem, Reply};

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
