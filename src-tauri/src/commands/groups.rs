/*! Group rounds on one machine: starting one, each member's answers, the group's result, closing
or cancelling it, and taking up a round left open. */
use tauri::State;

use wijkkompas::content::problem::Problem;
use wijkkompas::model::{ActionInput, Lang};
use wijkkompas::selfcheck::session::{self, SessionClose, SessionStart, SessionStatus};
use wijkkompas::selfcheck::{CheckResult, RespondentInput};

use super::state::AppState;
use super::{problem, Reply};

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

/// Everything wrong with a plan's actions, each named by its action and field, for the form to
/// show beside each field before the round is closed (closing checks the same rules again).
#[tauri::command]
pub fn check_plan(actions: Vec<ActionInput>) -> Vec<Problem> {
    wijkkompas::selfcheck::conversation::action_faults(&actions)
        .into_iter()
        .map(problem)
        .collect()
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
