/*! An initiative's checks over time: each with its scores and what changed since the one
before, and a stored check's result shown again. */
use super::assess;
use super::reading::{self, SinceLast};
use super::{result, CheckResult, LessonResult, SelfCheckError};
use crate::content::catalog::catalog;
use crate::model;
use crate::model::{Action, ActionWithOutcome, LessonNotes};
use crate::model::{Lang, Role};
use crate::selfcheck::assess::Comparison;
use crate::store::{Initiative, Store, StoreError, StoredCheck};
use serde::Serialize;
use ts_rs::TS;

/// One self-check in an initiative's history.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct HistoryEntry {
    pub id: String,
    pub created_at: String,
    pub role: Role,
    pub scores: model::StrategyScores,
    /// The scores in words ("nog weinig", "op weg", "sterk"), as on the check's result.
    pub bands: reading::Bands,
    pub lessons: Vec<LessonResult>,
    /// The statement set (questionnaire version) it was made with.
    pub statement_set: u32,
    pub respondents: u32,
    pub on_paper: bool,
    pub notes: LessonNotes,
    /// The action plan agreed at this check.
    pub actions: Vec<Action>,
    /// What this check said came of actions agreed before.
    pub previous_actions: Vec<ActionWithOutcome>,
}

/// An initiative's self-checks over time, and how the latest compares with the one before.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct History {
    pub initiative: Initiative,
    /// Oldest first.
    pub checks: Vec<HistoryEntry>,
    /// Latest against the one before it; None with fewer than two checks.
    pub comparison: Option<Comparison>,
}

/// The history of an initiative, or None when there is no such initiative.
pub fn history(store: &Store, initiative_id: &str) -> Result<Option<History>, SelfCheckError> {
    history_from(store, initiative_id, None)
}

/// The history of an initiative from a time on (a kiosk resident sees the check their return
/// code was given for and later ones, never earlier ones of others), or all of it.
pub fn history_from(
    store: &Store,
    initiative_id: &str,
    from: Option<&str>,
) -> Result<Option<History>, SelfCheckError> {
    let Some(initiative) = store.initiative(initiative_id)? else {
        return Ok(None);
    };
    let assessed: Vec<(StoredCheck, model::Assessment)> = store
        .checks_of(initiative_id)?
        .into_iter()
        .filter(|c| from.map_or(true, |from| c.created_at.as_str() >= from))
        .map(|c| {
            let a = c.assessment();
            (c, a)
        })
        .collect();
    let comparison = match assessed.as_slice() {
        [.., (before, _), (after, _)] => Some(assess::compare_groups(
            catalog(),
            &before.answer_sets(),
            &after.answer_sets(),
        )),
        _ => None,
    };
    let checks = assessed
        .into_iter()
        .map(|(c, a)| {
            Ok(HistoryEntry {
                statement_set: catalog()
                    .statement_set_of(c.respondents.iter().flat_map(|r| r.answers.keys()))
                    .unwrap_or(catalog().statement_set),
                previous_actions: store.outcomes_of(&c.id)?,
                respondents: c.respondents.len() as u32,
                on_paper: c.on_paper(),
                scores: a.strategies.rounded(),
                bands: reading::bands(&a),
                lessons: a
                    .lessons
                    .iter()
                    .map(|l| LessonResult {
                        id: l.id.clone(),
                        score: l.score.map(model::round1),
                    })
                    .collect(),
                notes: c.conversation.notes,
                actions: c.conversation.actions,
                id: c.id,
                created_at: c.created_at,
                role: c.role,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Some(History {
        initiative,
        checks,
        comparison,
    }))
}

/// What changed since the initiative's check before `check` (the latest stored one made before
/// it, `check` itself not counted: a group's round before its close is not stored yet).
pub(super) fn since_last(
    store: &Store,
    initiative_id: &str,
    check: &StoredCheck,
    lang: Lang,
) -> Result<Option<SinceLast>, StoreError> {
    if initiative_id.is_empty() {
        return Ok(None);
    }
    let previous = store
        .checks_of(initiative_id)?
        .into_iter()
        .rfind(|c| c.id != check.id && c.created_at <= check.created_at);
    Ok(previous.map(|before| {
        let comparison =
            assess::compare_groups(catalog(), &before.answer_sets(), &check.answer_sets());
        reading::since_last(&before.id, &before.created_at, comparison, lang)
    }))
}

/// The result of a stored self-check, or None when there is no such check.
pub fn stored_result(
    store: &Store,
    check_id: &str,
    lang: Lang,
) -> Result<Option<CheckResult>, SelfCheckError> {
    store
        .check(check_id)?
        .map(|(initiative, check)| result(store, &initiative, &check, lang))
        .transpose()
}
