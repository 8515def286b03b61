/*! Self-checks: saving one (alone or a group's), reading them back, and the visible checks
(not marked for purging) that lists and figures count. A check is append-only. */
use std::collections::BTreeMap;

use rusqlite::{params, Connection, TransactionBehavior};
use serde::Serialize;
use uuid::Uuid;

use super::initiatives::{area, insert_initiative, Initiative, InitiativeName, NewInitiative};
use super::{
    aggregates, conversation, facts, is_purged, now_rfc3339, provenance, Store, StoreError,
};
use crate::content::scoring;
use crate::model::{Answers, Area, Assessment, Conversation, Role, StrategyScores};

/// One person's answers in a self-check (a group check has several; never shown per person).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Respondent {
    pub role: Role,
    /// Answered on the paper form and entered later by the facilitator.
    pub on_paper: bool,
    pub answers: Answers,
}

impl Respondent {
    pub fn new(role: Role, answers: Answers) -> Respondent {
        Respondent {
            role,
            on_paper: false,
            answers,
        }
    }
}

/// A self-check as stored; scores are unrounded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredCheck {
    pub id: String,
    pub initiative_id: String,
    /// Whose tips the result gives: the one respondent's role, or the group's.
    pub role: Role,
    pub created_at: String,
    /// One for a check by one person; 1 to 30.
    pub respondents: Vec<Respondent>,
    /// The group scores (for one respondent, that person's).
    pub scores: StrategyScores,
    pub conversation: Conversation,
}

impl StoredCheck {
    pub fn answer_sets(&self) -> Vec<&Answers> {
        self.respondents.iter().map(|r| &r.answers).collect()
    }

    /// The group's scores (one respondent: exactly that person's).
    pub fn assessment(&self) -> Assessment {
        scoring::score_group(
            crate::content::catalog::catalog(),
            self.respondents.iter().map(|r| &r.answers),
        )
    }

    /// Some or all of it was answered on paper.
    pub fn on_paper(&self) -> bool {
        self.respondents.iter().any(|r| r.on_paper)
    }
}

/// What a new self-check holds besides its initiative; its id and time are made on save.
#[derive(Debug, Clone)]
pub struct NewCheck {
    pub role: Role,
    pub respondents: Vec<Respondent>,
    pub conversation: Conversation,
}

impl NewCheck {
    /// One person's check with nothing noted.
    pub fn single(role: Role, answers: Answers) -> NewCheck {
        NewCheck {
            role,
            respondents: vec![Respondent::new(role, answers)],
            conversation: Conversation::default(),
        }
    }
}

/// A row of `list`: one self-check with its initiative's name and municipality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckSummary {
    pub id: String,
    pub initiative_id: String,
    pub initiative: InitiativeName,
    pub municipality: Option<Area>,
    pub wijk: Option<Area>,
    pub created_at: String,
    /// Rounded to one decimal.
    pub scores: StrategyScores,
    /// How many people answered (1 for a check by one person).
    pub respondents: u32,
    /// Where the check came from: this machine, or the machine and file it was imported from.
    pub source: provenance::Source,
}

/// Which initiative a new self-check belongs to.
pub enum CheckTarget<'a> {
    New(&'a NewInitiative),
    Existing(&'a str),
}

/// An initiative's visible self-checks, oldest first, with their answers.
pub(crate) fn checks_of(
    conn: &Connection,
    initiative_id: &str,
) -> Result<Vec<StoredCheck>, StoreError> {
    visible_checks_by(conn, "initiative_id", initiative_id)
}

/// A visible self-check by its id (None when there is none, or it is marked for removal).
pub(crate) fn visible_check(
    conn: &Connection,
    id: &str,
) -> Result<Option<StoredCheck>, StoreError> {
    Ok(visible_checks_by(conn, "id", id)?.pop())
}

/// How many initiatives (not purged) and visible self-checks there are, in one municipality or in
/// all. Two spellings of each count, so that SQLite can use the municipality index for one area
/// and need not scan for all.
pub(crate) fn visible_counts(
    conn: &Connection,
    municipality: Option<&str>,
) -> Result<(u32, u32), StoreError> {
    Ok(match municipality {
        Some(code) => (
            conn.prepare_cached("SELECT count(*) FROM initiatives WHERE gm_code = ?1 AND id NOT IN (SELECT id FROM tombstones)")?.query_row([code], |r| r.get(0))?,
            conn.prepare_cached("SELECT count(*) FROM initiatives i JOIN visible_checks c ON c.initiative_id = i.id WHERE i.gm_code = ?1")?.query_row([code], |r| r.get(0))?,
        ),
        None => (
            conn.prepare_cached("SELECT (SELECT count(*) FROM initiatives) - (SELECT count(*) FROM tombstones WHERE kind = 'initiative')")?.query_row([], |r| r.get(0))?,
            // Every mark is of an existing check: the visible ones are all but the marked.
            conn.prepare_cached("SELECT (SELECT count(*) FROM self_checks) - (SELECT count(*) FROM purge_marks)")?.query_row([], |r| r.get(0))?,
        ),
    })
}

/// How many initiatives (not purged) and visible self-checks there are per wijk of one
/// municipality; the key "" holds those outside every wijk.
pub(crate) fn visible_counts_by_wijk(
    conn: &Connection,
    municipality: &str,
) -> Result<BTreeMap<String, (u32, u32)>, StoreError> {
    let mut counts: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut initiatives = conn.prepare_cached(
        "SELECT coalesce(wk_code, ''), count(*) FROM initiatives WHERE gm_code = ?1 AND id NOT IN (SELECT id FROM tombstones) GROUP BY 1",
    )?;
    for row in initiatives.query_map([municipality], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
    })? {
        let (wijk, n) = row?;
        counts.entry(wijk).or_default().0 = n;
    }
    let mut checks = conn.prepare_cached(
        "SELECT coalesce(i.wk_code, ''), count(*) FROM initiatives i JOIN visible_checks c ON c.initiative_id = i.id WHERE i.gm_code = ?1 GROUP BY 1",
    )?;
    for row in checks.query_map([municipality], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
    })? {
        let (wijk, n) = row?;
        counts.entry(wijk).or_default().1 = n;
    }
    Ok(counts)
}

/// How many initiatives (not purged) and visible self-checks one wijk has.
pub(crate) fn visible_counts_of_wijk(
    conn: &Connection,
    wijk: &str,
) -> Result<(u32, u32), StoreError> {
    Ok((
        conn.prepare_cached("SELECT count(*) FROM initiatives WHERE wk_code = ?1 AND id NOT IN (SELECT id FROM tombstones)")?.query_row([wijk], |r| r.get(0))?,
        conn.prepare_cached("SELECT count(*) FROM initiatives i JOIN visible_checks c ON c.initiative_id = i.id WHERE i.wk_code = ?1")?.query_row([wijk], |r| r.get(0))?,
    ))
}

/// Every visible check's initiative, time and (group) scores, of one municipality's initiatives
/// or one wijk's (the quarterly trend), oldest first.
pub(crate) fn visible_check_scores(
    conn: &Connection,
    municipality: Option<&str>,
    wijk: Option<&str>,
) -> Result<Vec<(String, String, StrategyScores)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.initiative_id, c.created_at, c.score_bonding, c.score_bridging, c.score_linking
         FROM visible_checks c JOIN initiatives i ON i.id = c.initiative_id
         WHERE (?1 IS NULL OR i.gm_code = ?1) AND (?2 IS NULL OR i.wk_code = ?2)
         ORDER BY c.created_at, c.id",
    )?;
    let rows = stmt.query_map(params![municipality, wijk], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            StrategyScores {
                bonding: r.get(2)?,
                bridging: r.get(3)?,
                linking: r.get(4)?,
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Visible self-checks with `column` equal to `value` (a column name of ours, never input).
pub(super) fn visible_checks_by(
    conn: &Connection,
    column: &'static str,
    value: &str,
) -> Result<Vec<StoredCheck>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, initiative_id, role, created_at, score_bonding, score_bridging, score_linking
         FROM visible_checks WHERE {column} = ?1 ORDER BY created_at, id"
    ))?;
    let param = value;
    let rows = stmt.query_map([param], |r| {
        let role: String = r.get(2)?;
        Ok(StoredCheck {
            id: r.get(0)?,
            initiative_id: r.get(1)?,
            role: Role::parse(&role).unwrap_or(Role::Resident),
            created_at: r.get(3)?,
            respondents: Vec::new(),
            scores: StrategyScores {
                bonding: r.get(4)?,
                bridging: r.get(5)?,
                linking: r.get(6)?,
            },
            conversation: Conversation::default(),
        })
    })?;
    let mut checks: Vec<StoredCheck> = rows.collect::<Result<_, _>>()?;
    for check in &mut checks {
        check.respondents = respondents_of(conn, &check.id)?;
        check.conversation = conversation::of_check(conn, &check.id)?;
    }
    Ok(checks)
}

/// A check's respondents with their answers, in their order.
pub(crate) fn respondents_of(
    conn: &Connection,
    check_id: &str,
) -> Result<Vec<Respondent>, StoreError> {
    let mut people = conn.prepare_cached("SELECT respondent, role, on_paper FROM respondents WHERE check_id = ?1 ORDER BY respondent")?;
    let mut respondents: Vec<(u32, Respondent)> = people
        .query_map([check_id], |r| {
            let role: String = r.get(1)?;
            Ok((
                r.get(0)?,
                Respondent {
                    role: Role::parse(&role).unwrap_or(Role::Resident),
                    on_paper: r.get(2)?,
                    answers: Answers::new(),
                },
            ))
        })?
        .collect::<Result<_, _>>()?;
    let mut answers = conn.prepare_cached(
        "SELECT respondent, statement_id, value FROM answers WHERE check_id = ?1",
    )?;
    let rows = answers.query_map([check_id], |r| {
        Ok((
            r.get::<_, u32>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<u8>>(2)?,
        ))
    })?;
    for row in rows {
        let (n, statement, value) = row?;
        if let Some((_, respondent)) = respondents.iter_mut().find(|(k, _)| *k == n) {
            respondent.answers.insert(statement, value);
        }
    }
    Ok(respondents.into_iter().map(|(_, r)| r).collect())
}

/// Saves a self-check inside the caller's transaction; `id` is the check's id when it is given
/// beforehand (a group round keeps its session's id), else a new one.
pub(crate) fn save_check_in(
    tx: &Connection,
    target: CheckTarget<'_>,
    new: &NewCheck,
    id: Option<&str>,
) -> Result<(Initiative, StoredCheck), StoreError> {
    let now = now_rfc3339();
    let initiative = match target {
        CheckTarget::Existing(id) => {
            // Its details are gone (retention or erasure): a check on it would be counted by
            // nothing and shown nowhere.
            if is_purged(tx, id)? {
                return Err(StoreError::InitiativeRemoved(id.to_string()));
            }
            Store::initiative_in(tx, id)?
                .ok_or_else(|| StoreError::UnknownInitiative(id.to_string()))?
        }
        CheckTarget::New(new) => {
            let initiative = new.to_initiative(Uuid::new_v4().to_string(), now.clone());
            insert_initiative(tx, &initiative, None)?;
            initiative
        }
    };
    // Outcomes are only for actions agreed at this initiative's own earlier checks.
    for o in &new.conversation.outcomes {
        if conversation::action_initiative(tx, &o.id)?.as_deref() != Some(initiative.id.as_str()) {
            return Err(StoreError::UnknownAction(o.id.clone()));
        }
    }
    let mut check = StoredCheck {
        id: id.map_or_else(|| Uuid::new_v4().to_string(), str::to_string),
        initiative_id: initiative.id.clone(),
        role: new.role,
        created_at: now,
        respondents: new.respondents.clone(),
        scores: StrategyScores::default(),
        conversation: new.conversation.clone(),
    };
    check.scores = check.assessment().strategies;
    insert_check(tx, &check, None)?;
    aggregates::refresh(tx, &[&check.initiative_id])?;
    facts::refresh(tx, &[&check.initiative_id])?;
    Ok((initiative, check))
}

/// Inserts a self-check exactly as given, with its respondents, answers, notes and actions. The
/// caller then refreshes the initiative's running aggregates ([`aggregates::refresh`]), once per batch.
pub(crate) fn insert_check(
    conn: &Connection,
    c: &StoredCheck,
    stamp: Option<&provenance::Stamp>,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO self_checks (id, initiative_id, role, created_at, score_bonding, score_bridging, score_linking, import_id, made_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![c.id, c.initiative_id, c.role.as_str(), c.created_at, c.scores.bonding, c.scores.bridging, c.scores.linking, stamp.map(|s| s.import_id), stamp.and_then(|s| s.made_on.as_deref())])?;
    let mut person = conn.prepare_cached(
        "INSERT INTO respondents (check_id, respondent, role, on_paper) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, r) in c.respondents.iter().enumerate() {
        person.execute(params![c.id, i as i64 + 1, r.role.as_str(), r.on_paper])?;
        insert_answers(conn, &c.id, i as i64 + 1, &r.answers)?;
    }
    conversation::insert(conn, &c.id, &c.conversation)
}

/// A respondent's answers in one statement (a row each): a check's 27 answers cost one
/// statement's set-up, binding and statement journal instead of 27.
pub(super) fn insert_answers(
    conn: &Connection,
    check_id: &str,
    respondent: i64,
    answers: &Answers,
) -> Result<(), StoreError> {
    if answers.is_empty() {
        return Ok(());
    }
    let mut insert = conn.prepare_cached(&answers_insert_sql(answers.len()))?;
    insert.raw_bind_parameter(1, check_id)?;
    insert.raw_bind_parameter(2, respondent)?;
    for (k, (statement, value)) in answers.iter().enumerate() {
        insert.raw_bind_parameter(3 + 2 * k, statement)?;
        insert.raw_bind_parameter(4 + 2 * k, value)?;
    }
    insert.raw_execute()?;
    Ok(())
}

/// `INSERT INTO answers … VALUES (?1, ?2, ?3, ?4), (?1, ?2, ?5, ?6), …` for `rows` answers;
/// made once for as many rows as a questionnaire has.
pub(super) fn answers_insert_sql(rows: usize) -> std::borrow::Cow<'static, str> {
    fn make(rows: usize) -> String {
        let values: Vec<String> = (0..rows)
            .map(|k| format!("(?1, ?2, ?{}, ?{})", 3 + 2 * k, 4 + 2 * k))
            .collect();
        format!(
            "INSERT INTO answers (check_id, respondent, statement_id, value) VALUES {}",
            values.join(", ")
        )
    }
    static MADE: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let made = MADE.get_or_init(|| (0..=64).map(make).collect());
    match made.get(rows) {
        Some(sql) => std::borrow::Cow::Borrowed(sql),
        None => std::borrow::Cow::Owned(make(rows)),
    }
}

impl Store {
    /// Saves a self-check, creating its initiative first when it is new, in one transaction.
    pub fn save_check(
        &mut self,
        target: CheckTarget<'_>,
        new: &NewCheck,
    ) -> Result<(Initiative, StoredCheck), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let saved = save_check_in(&tx, target, new, None)?;
        tx.commit()?;
        self.daily_backup_or_warn();
        Ok(saved)
    }

    /// One self-check with its initiative.
    pub fn check(&self, id: &str) -> Result<Option<(Initiative, StoredCheck)>, StoreError> {
        let Some(check) = visible_check(&self.conn, id)? else {
            return Ok(None);
        };
        let initiative = self
            .initiative(&check.initiative_id)?
            .ok_or_else(|| StoreError::UnknownInitiative(check.initiative_id.clone()))?;
        Ok(Some((initiative, check)))
    }

    /// An initiative's self-checks, oldest first.
    pub fn checks_of(&self, initiative_id: &str) -> Result<Vec<StoredCheck>, StoreError> {
        checks_of(&self.conn, initiative_id)
    }

    /// Self-checks, oldest first, optionally of one municipality (CBS code).
    pub fn list_checks(&self, municipality: Option<&str>) -> Result<Vec<CheckSummary>, StoreError> {
        let here = provenance::this_machine(&self.conn)?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT c.id, c.initiative_id, i.name, i.gm_code, i.gm_name, c.created_at,
                    c.score_bonding, c.score_bridging, c.score_linking, i.wk_code, i.wk_name,
                    (SELECT count(*) FROM respondents p WHERE p.check_id = c.id), {}
             FROM visible_checks c JOIN initiatives i ON i.id = c.initiative_id {}
             WHERE (?1 IS NULL OR i.gm_code = ?1)
             ORDER BY c.created_at, c.id",
            provenance::source_columns("c"),
            provenance::source_joins("c"),
        ))?;
        let rows = stmt.query_map([municipality], |r| {
            Ok(CheckSummary {
                id: r.get(0)?,
                initiative_id: r.get(1)?,
                initiative: InitiativeName { name: r.get(2)? },
                municipality: area(r.get(3)?, r.get(4)?),
                wijk: area(r.get(9)?, r.get(10)?),
                created_at: r.get(5)?,
                scores: StrategyScores {
                    bonding: r.get(6)?,
                    bridging: r.get(7)?,
                    linking: r.get(8)?,
                }
                .rounded(),
                respondents: r.get(11)?,
                source: provenance::source_from_row(r, 12, &here)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The actions agreed at an initiative's latest check that agreed any, with when that was:
    /// what a repeat asks about ("Vorige keer spraken jullie af").
    pub fn latest_actions(
        &self,
        initiative_id: &str,
    ) -> Result<Vec<(crate::model::Action, String)>, StoreError> {
        conversation::latest_actions(&self.conn, initiative_id)
    }

    /// The earlier actions a check says something about, with what it says.
    pub fn outcomes_of(
        &self,
        check_id: &str,
    ) -> Result<Vec<crate::model::ActionWithOutcome>, StoreError> {
        conversation::outcomes_with_actions(&self.conn, check_id)
    }
}
