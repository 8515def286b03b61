/*! A group round on one machine: the facilitator opens it for an initiative, members answer in
turn (each member's answers are stored at once and never shown again), the facilitator closes
the round, the group sees its result, notes what goes well and what could be better, agrees on
up to three actions, and the round becomes one self-check. */
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    conversation, finish, from_store, most_common_role, respondent, role_of, unsaved_result,
    CheckResult, InitiativeInput, RespondentInput, SelfCheckError, Target,
};
use crate::content::catalog::catalog;
use crate::model::{Action, ActionInput, ActionWithOutcome, LessonNotes, OutcomeInput};
use crate::model::{Lang, Role};
use crate::store::{NewCheck, OpenSession, SessionMember, Store, StoredCheck};

/// What opens a round: the initiative (new, or `id` for a repeat) and, for a repeat, what came
/// of last time's actions.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct SessionStart {
    pub initiative: InitiativeInput,
    #[serde(default)]
    #[ts(optional)]
    pub previous_actions: Option<Vec<OutcomeInput>>,
}

/// What the close of a round adds: the group's notes and action plan.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct SessionClose {
    #[serde(default)]
    #[ts(optional)]
    pub notes: Option<LessonNotes>,
    #[serde(default)]
    #[ts(optional)]
    pub actions: Option<Vec<ActionInput>>,
}

/// A round as the facilitator sees it: how many have answered, never what.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SessionStatus {
    pub id: String,
    pub initiative_name: String,
    pub members: u32,
    pub max_members: u32,
    /// Members needed before the round can close.
    pub min_members: u32,
    pub created_at: String,
}

/// A round closes with at least this many members.
pub const MIN_MEMBERS: usize = 2;

/// The actions a repeat of this initiative asks about ("Vorige keer spraken jullie af"), with
/// when they were agreed.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AgreedAction {
    pub action: Action,
    pub agreed_at: String,
}

pub fn agreed_actions(
    store: &Store,
    initiative_id: &str,
) -> Result<Vec<AgreedAction>, SelfCheckError> {
    Ok(store
        .latest_actions(initiative_id)?
        .into_iter()
        .map(|(action, agreed_at)| AgreedAction { action, agreed_at })
        .collect())
}

fn initiative_input(session: &OpenSession) -> Option<InitiativeInput> {
    session
        .new_initiative
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
}

fn name_of(store: &Store, session: &OpenSession) -> Result<String, SelfCheckError> {
    Ok(match &session.initiative_id {
        Some(id) => store.initiative(id)?.map(|i| i.name).unwrap_or_default(),
        None => initiative_input(session)
            .and_then(|i| i.name)
            .unwrap_or_default(),
    })
}

fn status(store: &Store, session: &OpenSession) -> Result<SessionStatus, SelfCheckError> {
    Ok(SessionStatus {
        id: session.id.clone(),
        initiative_name: name_of(store, session)?,
        members: session.members.len() as u32,
        max_members: crate::content::limits::RESPONDENTS as u32,
        min_members: MIN_MEMBERS as u32,
        created_at: session.created_at.clone(),
    })
}

fn open_session(store: &Store, id: &str) -> Result<OpenSession, SelfCheckError> {
    store.session(id)?.ok_or_else(|| {
        SelfCheckError::Store(crate::store::StoreError::UnknownSession(id.to_string()))
    })
}

/// Opens a round. The initiative's details are checked now, so a round never fails at its close
/// for what was typed at its start.
pub fn start(store: &Store, input: &SessionStart) -> Result<SessionStatus, SelfCheckError> {
    let role = role_of(input.initiative.role.as_deref())?;
    let settings = crate::safety::settings::load(store)?;
    let target = Target::of(&input.initiative, settings.round_location)?;
    let outcomes = conversation::check(
        &LessonNotes::new(),
        &[],
        input.previous_actions.as_deref().unwrap_or_default(),
    )?
    .outcomes;
    let session = match &target {
        Target::Existing(id) => {
            let agreed = agreed_actions(store, id)?;
            if let Some(o) = outcomes
                .iter()
                .find(|o| !agreed.iter().any(|a| a.action.id == o.id))
            {
                return Err(SelfCheckError::UnknownAction(o.id.clone()));
            }
            let outcomes = serde_json::to_string(&outcomes).expect("outcomes serialize");
            store.start_session(Some(id), None, role.unwrap_or(Role::Resident), &outcomes)?
        }
        Target::New(_) => {
            if let Some(o) = outcomes.first() {
                return Err(SelfCheckError::UnknownAction(o.id.clone()));
            }
            let details = serde_json::to_string(&input.initiative).expect("input serializes");
            store.start_session(None, Some(&details), role.unwrap_or(Role::Resident), "[]")?
        }
    };
    status(store, &session)
}

/// The rounds open on this machine.
pub fn open(store: &Store) -> Result<Vec<SessionStatus>, SelfCheckError> {
    store
        .open_sessions()?
        .iter()
        .map(|s| status(store, s))
        .collect()
}

pub fn session_status(store: &Store, id: &str) -> Result<SessionStatus, SelfCheckError> {
    status(store, &open_session(store, id)?)
}

/// Stores one member's answers; the screen then clears for the next member.
pub fn add_member(
    store: &mut Store,
    id: &str,
    member: &RespondentInput,
) -> Result<SessionStatus, SelfCheckError> {
    let role = role_of(Some(&member.role))?.ok_or(SelfCheckError::RoleMissing)?;
    let r = respondent(role, &member.answers, member.on_paper == Some(true))?;
    let session = open_session(store, id)?;
    // All members answer one version of the questionnaire.
    catalog()
        .statement_set_of(
            session
                .members
                .iter()
                .flat_map(|m| m.answers.keys())
                .chain(r.answers.keys()),
        )
        .ok_or(crate::selfcheck::assess::AssessError::MixedStatementSets)?;
    let member = SessionMember {
        id: uuid::Uuid::new_v4().to_string(),
        role: r.role,
        on_paper: r.on_paper,
        answers: r.answers,
        created_at: crate::store::now_rfc3339(),
    };
    store.add_session_member(id, &member)?;
    session_status(store, id)
}

/// All members answered one version of the questionnaire. Adding and importing members keep
/// that, but a database from before imports did may hold a round that mixes versions: it must
/// not close into a check that no machine, this one included, would import again.
fn one_statement_set(session: &OpenSession) -> Result<(), SelfCheckError> {
    catalog()
        .statement_set_of(session.members.iter().flat_map(|m| m.answers.keys()))
        .map(drop)
        .ok_or(SelfCheckError::Answer(
            crate::selfcheck::assess::AssessError::MixedStatementSets,
        ))
}

/// The round as a check, not stored: its initiative and its members' answers.
fn as_check(
    store: &Store,
    session: &OpenSession,
    notes: LessonNotes,
    actions: Vec<Action>,
) -> Result<(Target, StoredCheck), SelfCheckError> {
    let target = match (&session.initiative_id, initiative_input(session)) {
        (Some(id), _) => Target::Existing(id.clone()),
        (None, Some(input)) => {
            Target::of(&input, crate::safety::settings::load(store)?.round_location)?
        }
        (None, None) => return Err(SelfCheckError::NameMissing),
    };
    let respondents: Vec<_> = session
        .members
        .iter()
        .map(|m| crate::store::Respondent {
            role: m.role,
            on_paper: m.on_paper,
            answers: m.answers.clone(),
        })
        .collect();
    let explicit_role = match &session.initiative_id {
        Some(_) => Some(session.role),
        None => initiative_input(session)
            .and_then(|i| i.role)
            .and_then(|r| Role::parse(&r)),
    };
    let role = explicit_role.unwrap_or_else(|| most_common_role(&respondents));
    let outcomes: Vec<OutcomeInput> = serde_json::from_str(&session.outcomes).unwrap_or_default();
    let check = StoredCheck {
        id: session.id.clone(),
        initiative_id: String::new(),
        role,
        created_at: crate::store::now_rfc3339(),
        respondents,
        scores: Default::default(),
        conversation: crate::model::Conversation {
            notes,
            actions,
            outcomes,
        },
    };
    Ok((target, check))
}

/// The group's result at the close of the round, before notes and actions are added and it is
/// saved. Shown only to the group, at the close.
pub fn preview(store: &Store, id: &str, lang: Lang) -> Result<CheckResult, SelfCheckError> {
    let session = open_session(store, id)?;
    if session.members.len() < MIN_MEMBERS {
        return Err(SelfCheckError::SessionTooSmall);
    }
    one_statement_set(&session)?;
    let (target, check) = as_check(store, &session, LessonNotes::new(), Vec::new())?;
    let initiative = match &target {
        Target::Existing(id) => store
            .initiative(id)?
            .ok_or_else(|| crate::store::StoreError::UnknownInitiative(id.clone()))?,
        // Not saved yet: no id.
        Target::New(new) => new.to_initiative(String::new(), check.created_at.clone()),
    };
    let mut out = unsaved_result(&initiative, &check, lang);
    out.since_last = super::history::since_last(store, &initiative.id, &check, lang)?;
    if let Some(initiative_id) = &session.initiative_id {
        let agreed = agreed_actions(store, initiative_id)?;
        out.previous_actions = check
            .conversation
            .outcomes
            .iter()
            .filter_map(|o| {
                let a = agreed.iter().find(|a| a.action.id == o.id)?;
                Some(ActionWithOutcome {
                    action: a.action.clone(),
                    agreed_at: a.agreed_at.clone(),
                    outcome: o.outcome,
                    note: o.note.clone(),
                })
            })
            .collect();
    }
    Ok(out)
}

/// Closes the round with the group's notes and plan: one self-check, saved in one transaction.
pub fn close(
    store: &mut Store,
    id: &str,
    input: &SessionClose,
    lang: Lang,
) -> Result<CheckResult, SelfCheckError> {
    let session = open_session(store, id)?;
    if session.members.len() < MIN_MEMBERS {
        return Err(SelfCheckError::SessionTooSmall);
    }
    one_statement_set(&session)?;
    let checked = conversation::check(
        input.notes.as_ref().unwrap_or(&LessonNotes::new()),
        input.actions.as_deref().unwrap_or_default(),
        &[],
    )?;
    let (target, check) = as_check(store, &session, checked.notes, checked.actions)?;
    let new = NewCheck {
        role: check.role,
        respondents: check.respondents,
        conversation: check.conversation,
    };
    let (initiative, saved) = store
        .close_session(id, target.as_store(), &new)
        .map_err(from_store)?;
    let kiosk = crate::safety::settings::load(store)?.kiosk;
    finish(store, &initiative, &saved, kiosk, lang)
}

/// Ends a round without saving anything of it.
pub fn cancel(store: &mut Store, id: &str) -> Result<(), SelfCheckError> {
    Ok(store.cancel_session(id)?)
}
