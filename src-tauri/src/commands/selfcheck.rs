/*! Self-checks: saving one, the actions agreed last time, and reading back an initiative's
history, a stored result and its chart, each only where the kiosk session lets this person. */
use tauri::State;

use wijkkompas::content::problem::{Kind, Problem};
use wijkkompas::model::Lang;
use wijkkompas::reports::chart;
use wijkkompas::selfcheck::session::{self, AgreedAction};
use wijkkompas::selfcheck::{self, CheckInput, CheckResult, History};
use wijkkompas::store::{InitiativeOverview, Store};

use super::state::{AppState, SessionState};
use super::{problem, Reply};

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

/// The initiative a check belongs to, after asking the session whether this person may see it.
pub(super) fn own_check(
    store: &Store,
    s: &SessionState,
    check_id: &str,
    lang: Lang,
) -> Reply<CheckResult> {
    let mut result = selfcheck::stored_result(store, check_id, lang)
        .map_err(problem)?
        .ok_or_else(|| Problem::new(Kind::unknown_check).with("id", check_id))?;
    s.session
        .require_check(store, &result.initiative_id, &result.created_at)
        .map_err(problem)?;
    result.return_code = s.codes.get(check_id).cloned();
    // A kiosk resident sees no check before their own (as in the history): nor what changed
    // since one.
    let from = s
        .session
        .visible_from(store, &result.initiative_id)
        .map_err(problem)?;
    if let (Some(from), Some(since)) = (from, &result.since_last) {
        if since.previous_at < from {
            result.since_last = None;
        }
    }
    Ok(result)
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
