/*! Taking a self-check from input to stored result: validate, place, score, save, advise.

The CLI's `check --input` and the app's save command both come through [`submit`], so the two
can never disagree about what is valid or what a result says. Nothing is stored unless the
whole input is valid. */
pub mod assess;
pub mod conversation;
mod history;
pub mod reading;
pub mod session;

pub use history::{history, history_from, stored_result, History, HistoryEntry};
use reading::{Bands, SinceLast, SkippedStatement};
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;
use uuid::Uuid;

use crate::content::catalog::catalog;
use crate::geo::{geography, GeoError};
use crate::model;
use crate::model::{Action, ActionInput, ActionWithOutcome, LessonNotes, OutcomeInput};
use crate::model::{Area, Lang, Role, Strategy};
use crate::selfcheck::assess::{Advice, AssessError, SimilarCase, Spread};
use crate::store::{
    CheckTarget, Initiative, NewCheck, NewInitiative, Respondent, Store, StoreError, StoredCheck,
};

/// The largest self-check input file read: a full check with every field at its limit is under
/// 20 KB. A larger file is refused before it is read.
pub const MAX_INPUT_BYTES: u64 = 1024 * 1024;
pub use crate::content::limits::{
    DESCRIPTION_CHARS as MAX_DESCRIPTION_CHARS, NAME_CHARS as MAX_NAME_CHARS,
    TARGET_GROUPS as MAX_TARGET_GROUPS, TARGET_GROUP_CHARS as MAX_TARGET_GROUP_CHARS,
};

/// A self-check as submitted by the app or in a `check --input` file.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct CheckInput {
    pub initiative: InitiativeInput,
    /// One person's answers (leave out when `respondents` is given).
    #[serde(default)]
    #[ts(type = "Record<string, number | null>")]
    pub answers: BTreeMap<String, Option<i64>>,
    /// One person's check was answered on the paper form.
    #[serde(default)]
    #[ts(optional)]
    pub on_paper: Option<bool>,
    /// A group's answers, one entry per person (1 to 30).
    #[serde(default)]
    #[ts(optional)]
    pub respondents: Option<Vec<RespondentInput>>,
    #[serde(default)]
    #[ts(optional)]
    pub notes: Option<LessonNotes>,
    #[serde(default)]
    #[ts(optional)]
    pub actions: Option<Vec<ActionInput>>,
    /// For a repeat: what came of the actions agreed last time.
    #[serde(default)]
    #[ts(optional)]
    pub previous_actions: Option<Vec<OutcomeInput>>,
}

/// One group member's answers.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct RespondentInput {
    pub role: String,
    #[ts(type = "Record<string, number | null>")]
    pub answers: BTreeMap<String, Option<i64>>,
    #[serde(default)]
    #[ts(optional)]
    pub on_paper: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct InitiativeInput {
    /// Set to repeat the check of an existing initiative.
    pub id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Whose tips the result gives. For a group it may be left out: the role most members have.
    #[serde(default)]
    pub role: Option<String>,
    pub target_groups: Option<Vec<String>>,
    /// Optional contact details; only accepted when the machine asks for them and `consent` is true.
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub consent: Option<bool>,
}

#[derive(Debug, Error)]
pub enum SelfCheckError {
    #[error(transparent)]
    Text(#[from] crate::content::text::TextError),
    #[error("{field} is {length} characters long; the limit is {max}")]
    TooLong {
        field: &'static str,
        length: usize,
        max: usize,
    },
    #[error("a new initiative needs a name")]
    NameMissing,
    #[error("a new initiative needs a place on the map (lat and lon)")]
    PlaceMissing,
    #[error("at most {MAX_TARGET_GROUPS} target groups")]
    TooManyTargetGroups,
    #[error("role \"{0}\" is unknown: use resident, professional or policy")]
    UnknownRole(String),
    #[error("contact details are only kept with your explicit consent")]
    NoConsent,
    #[error("\"{0}\" is not a valid initiative id (a UUID)")]
    BadId(String),
    #[error(transparent)]
    Answer(#[from] AssessError),
    #[error(transparent)]
    Location(#[from] GeoError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("give the answers of one person (answers) or of a group (respondents), not both")]
    AnswersAndRespondents,
    #[error("the list of respondents is empty")]
    NoRespondents,
    #[error("{0} respondents; a group check has at most 30")]
    TooManyRespondents(usize),
    #[error("lesson \"{0}\" does not exist")]
    UnknownLesson(String),
    #[error("an action plan has at most 3 actions")]
    TooManyActions,
    #[error("an action needs a description")]
    ActionTextMissing,
    #[error("\"{0}\" is not a date (day-month-year)")]
    BadDueDate(String),
    #[error("an action needs a date (day-month-year)")]
    DueDateMissing,
    #[error("an action needs the lesson it serves")]
    ActionLessonMissing,
    #[error("action {n}, {field}: {source}")]
    InAction {
        n: usize,
        field: &'static str,
        source: Box<SelfCheckError>,
    },
    #[error("no action with id {0} was agreed at an earlier check of this initiative")]
    UnknownAction(String),
    #[error("action {0} has more than one outcome")]
    DuplicateOutcome(String),
    #[error("the role of who fills in the check is missing")]
    RoleMissing,
    #[error("a group round closes once at least two members have answered")]
    SessionTooSmall,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct LessonResult {
    pub id: String,
    /// Rounded to one decimal; None when no statement of the lesson was answered.
    pub score: Option<f64>,
}

/// What a saved self-check tells the person who filled it in.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CheckResult {
    /// Two or three plain sentences that open the result: what goes well, where to grow, one
    /// first step. Spoken to one person, or to a group ("jullie").
    pub summary: Vec<String>,
    pub id: String,
    pub initiative_id: String,
    pub initiative_name: String,
    pub role: Role,
    pub created_at: String,
    pub municipality: Option<Area>,
    pub province: Option<Area>,
    /// The CBS wijk of the initiative's point (None outside every wijk and without wijken).
    pub wijk: Option<Area>,
    /// True when the municipality is a nearest-place guess (fallback geography).
    pub approximate: bool,
    pub scores: model::StrategyScores,
    /// The lowest-scoring strategy (ties in axis order); None when nothing was answered.
    pub weakest_strategy: Option<Strategy>,
    pub lessons: Vec<LessonResult>,
    /// Up to three best lessons scoring at least 62.5, best first.
    pub strengths: Vec<String>,
    /// Whose tips `advice` gives: the one person's role, or every role in the group.
    pub tip_roles: Vec<Role>,
    /// Tips for those roles on the three weakest lessons: the growth points.
    pub advice: Vec<Advice>,
    /// The scores in bands ("nog weinig", "op weg", "sterk").
    pub bands: Bands,
    /// Statements nobody answered: they do not count, and the result names them.
    pub skipped: Vec<SkippedStatement>,
    /// For a repeat: what changed since the check before (None for a first check).
    pub since_last: Option<SinceLast>,
    pub similar_cases: Vec<SimilarCase>,
    /// On a kiosk: the code that lets this resident repeat the check later (shown once, printed
    /// on the report; only its hash is kept).
    pub return_code: Option<String>,
    /// The check was saved, but the daily backup beside it failed (the faces say so; the save
    /// stands).
    pub backup_failed: bool,
    /// How many people answered (1 for a check by one person).
    pub respondents: u32,
    /// Some or all answers were given on the paper form ("op papier ingevuld").
    pub on_paper: bool,
    /// Per lesson the lowest and highest respondent score, per statement the counts.
    pub spread: Spread,
    /// Lessons where respondents lie 50 points or more apart: "om over te praten".
    pub disagreement: Vec<String>,
    pub notes: LessonNotes,
    /// The action plan agreed at this check.
    pub actions: Vec<Action>,
    /// For a repeat: the actions agreed before, with what came of them.
    pub previous_actions: Vec<ActionWithOutcome>,
}

/// `field` is the field's key in the wording of problems (data/problems.json, `terms`).
fn text_field(
    value: Option<&str>,
    field: &'static str,
    max: usize,
) -> Result<Option<String>, SelfCheckError> {
    let lines = if field == "description" {
        crate::content::text::Lines::Many
    } else {
        crate::content::text::Lines::One
    };
    if let Some(v) = value {
        crate::content::text::check(field, v, lines)?;
    }
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let n = v.chars().count();
    if n > max {
        return Err(SelfCheckError::TooLong {
            field,
            length: n,
            max,
        });
    }
    Ok(Some(v.to_string()))
}

fn new_initiative(input: &InitiativeInput, round: bool) -> Result<NewInitiative, SelfCheckError> {
    let name = text_field(input.name.as_deref(), "name", MAX_NAME_CHARS)?
        .ok_or(SelfCheckError::NameMissing)?;
    let description = text_field(
        input.description.as_deref(),
        "description",
        MAX_DESCRIPTION_CHARS,
    )?;
    let (Some(lat), Some(lon)) = (input.lat, input.lon) else {
        return Err(SelfCheckError::PlaceMissing);
    };
    let location = geography().locate(lat, lon)?;
    // The municipality comes from the exact point; with rounding on, only ~100 m precision is kept.
    let (lat, lon) = if round {
        (
            (lat * 1000.0).round() / 1000.0,
            (lon * 1000.0).round() / 1000.0,
        )
    } else {
        (lat, lon)
    };
    let groups = input.target_groups.clone().unwrap_or_default();
    if groups.len() > MAX_TARGET_GROUPS {
        return Err(SelfCheckError::TooManyTargetGroups);
    }
    let named = groups
        .iter()
        .map(|g| text_field(Some(g), "target_groups", MAX_TARGET_GROUP_CHARS))
        .filter_map(Result::transpose)
        .collect::<Result<Vec<_>, _>>()?;
    // Kept as ids (a label in either language is its group's id), other text as "other:…".
    let target_groups = crate::content::catalog::target_group_keys(&named)
        .into_iter()
        .filter(|k| k != crate::content::catalog::OTHER_GROUP)
        .collect();
    Ok(NewInitiative {
        name,
        description,
        lat,
        lon,
        location,
        target_groups,
    })
}

/// A role as given, or None when it is left out.
pub(crate) fn role_of(text: Option<&str>) -> Result<Option<Role>, SelfCheckError> {
    text.map(|r| Role::parse(r).ok_or_else(|| SelfCheckError::UnknownRole(r.to_string())))
        .transpose()
}

/// The role most respondents have (ties in the order resident, professional, policy).
pub(crate) fn most_common_role(respondents: &[Respondent]) -> Role {
    [Role::Resident, Role::Professional, Role::Policy]
        .into_iter()
        .rev()
        .max_by_key(|role| respondents.iter().filter(|r| r.role == *role).count())
        .unwrap_or(Role::Resident)
}

/// Checks one person's answers as submitted.
pub(crate) fn respondent(
    role: Role,
    answers: &BTreeMap<String, Option<i64>>,
    on_paper: bool,
) -> Result<Respondent, SelfCheckError> {
    Ok(Respondent {
        role,
        on_paper,
        answers: assess::validate(catalog(), answers)?,
    })
}

/// The respondents of a check as submitted: one person, or a group of 1 to 30.
fn respondents_of(input: &CheckInput) -> Result<(Role, Vec<Respondent>), SelfCheckError> {
    let role = role_of(input.initiative.role.as_deref())?;
    match &input.respondents {
        None => {
            let role = role.ok_or(SelfCheckError::RoleMissing)?;
            Ok((
                role,
                vec![respondent(
                    role,
                    &input.answers,
                    input.on_paper == Some(true),
                )?],
            ))
        }
        Some(_) if !input.answers.is_empty() => Err(SelfCheckError::AnswersAndRespondents),
        Some(list) if list.is_empty() => Err(SelfCheckError::NoRespondents),
        Some(list) if list.len() > crate::content::limits::RESPONDENTS => {
            Err(SelfCheckError::TooManyRespondents(list.len()))
        }
        Some(list) => {
            let people = list
                .iter()
                .map(|r| {
                    let role = role_of(Some(&r.role))?.ok_or(SelfCheckError::RoleMissing)?;
                    respondent(role, &r.answers, r.on_paper == Some(true))
                })
                .collect::<Result<Vec<_>, _>>()?;
            // One self-check answers one version of the questionnaire, across all its members.
            catalog()
                .statement_set_of(people.iter().flat_map(|p| p.answers.keys()))
                .ok_or(AssessError::MixedStatementSets)?;
            Ok((role.unwrap_or_else(|| most_common_role(&people)), people))
        }
    }
}

/// Which initiative a check is for: an existing one (by id) or a new one from the details.
pub(crate) enum Target {
    Existing(String),
    New(Box<NewInitiative>),
}

impl Target {
    pub(crate) fn of(
        input: &InitiativeInput,
        round_location: bool,
    ) -> Result<Target, SelfCheckError> {
        Ok(match &input.id {
            Some(id) => Target::Existing(
                Uuid::parse_str(id)
                    .map_err(|_| SelfCheckError::BadId(id.clone()))?
                    .to_string(),
            ),
            None => Target::New(Box::new(new_initiative(input, round_location)?)),
        })
    }

    pub(crate) fn as_store(&self) -> CheckTarget<'_> {
        match self {
            Target::Existing(id) => CheckTarget::Existing(id),
            Target::New(new) => CheckTarget::New(new),
        }
    }
}

/// Validates and stores a self-check, and returns its result in `lang`.
pub fn submit(
    store: &mut Store,
    input: &CheckInput,
    lang: Lang,
) -> Result<CheckResult, SelfCheckError> {
    let (role, respondents) = respondents_of(input)?;
    let conversation = conversation::check(
        input.notes.as_ref().unwrap_or(&LessonNotes::new()),
        input.actions.as_deref().unwrap_or_default(),
        input.previous_actions.as_deref().unwrap_or_default(),
    )?;
    let settings = crate::safety::settings::load(store)?;
    let contact = text_field(
        input.initiative.contact.as_deref(),
        "contact",
        crate::content::limits::CONTACT_CHARS,
    )?;
    if contact.is_some() && !(settings.contact_enabled && input.initiative.consent == Some(true)) {
        return Err(SelfCheckError::NoConsent);
    }
    let target = Target::of(&input.initiative, settings.round_location)?;
    let (initiative, check) = store
        .save_check(
            target.as_store(),
            &NewCheck {
                role,
                respondents,
                conversation,
            },
        )
        .map_err(from_store)?;
    if let Some(c) = contact {
        store.set_contact(&initiative.id, &c)?;
    }
    finish(store, &initiative, &check, settings.kiosk, lang)
}

/// A store refusal that is about the input, as the input's error.
pub(crate) fn from_store(e: StoreError) -> SelfCheckError {
    match e {
        StoreError::UnknownAction(id) => SelfCheckError::UnknownAction(id),
        other => SelfCheckError::Store(other),
    }
}

/// The result of a check just saved: with a return code on a kiosk, and the backup's warning.
pub(crate) fn finish(
    store: &Store,
    initiative: &Initiative,
    check: &StoredCheck,
    kiosk: bool,
    lang: Lang,
) -> Result<CheckResult, SelfCheckError> {
    let mut out = result(store, initiative, check, lang)?;
    out.backup_failed = !store.take_warnings().is_empty();
    if kiosk {
        out.return_code = Some(crate::safety::kiosk::issue_code(
            store,
            &initiative.id,
            &check.id,
        )?);
    }
    Ok(out)
}

/// The result of a stored self-check, in `lang`: the same for a fresh save and for history.
pub fn result(
    store: &Store,
    initiative: &Initiative,
    check: &StoredCheck,
    lang: Lang,
) -> Result<CheckResult, SelfCheckError> {
    let mut out = unsaved_result(initiative, check, lang);
    out.previous_actions = store.outcomes_of(&check.id)?;
    out.since_last = history::since_last(store, &initiative.id, check, lang)?;
    Ok(out)
}

/// The result of a check, stored or not (a group round before its close).
pub fn unsaved_result(initiative: &Initiative, check: &StoredCheck, lang: Lang) -> CheckResult {
    let assessment = check.assessment();
    let spread = assess::spread(catalog(), &check.answer_sets());
    let tip_roles = model::tip_roles(check.respondents.iter().map(|r| r.role));
    let advice = assess::advice(catalog(), &assessment, &tip_roles, lang);
    CheckResult {
        summary: reading::summary(&assessment, &advice, check.respondents.len() > 1, lang),
        bands: reading::bands(&assessment),
        skipped: reading::skipped(&spread, lang),
        since_last: None,
        tip_roles,
        advice,
        id: check.id.clone(),
        initiative_id: initiative.id.clone(),
        initiative_name: initiative.name.clone(),
        role: check.role,
        created_at: check.created_at.clone(),
        municipality: initiative.municipality.clone(),
        province: initiative.province.clone(),
        wijk: initiative.wijk.clone(),
        approximate: !geography().is_official(),
        scores: assessment.strategies.rounded(),
        weakest_strategy: assessment.strategies.weakest(),
        lessons: assessment
            .lessons
            .iter()
            .map(|l| LessonResult {
                id: l.id.clone(),
                score: l.score.map(model::round1),
            })
            .collect(),
        strengths: model::strongest_lessons(&assessment, 3)
            .into_iter()
            .map(String::from)
            .collect(),
        similar_cases: assess::similar_cases(
            catalog(),
            &assessment,
            Some((initiative.lat, initiative.lon)),
        ),
        return_code: None,
        backup_failed: false,
        respondents: check.respondents.len() as u32,
        on_paper: check.on_paper(),
        disagreement: assess::disagreement(&spread),
        spread,
        notes: check.conversation.notes.clone(),
        actions: check.conversation.actions.clone(),
        previous_actions: Vec::new(),
    }
}
