/*! The rules of each kind of record in a bundle (initiatives, self-checks, review entries,
group rounds), as docs/bundle-format.md gives them: the [`Checker`] keeps them as it reads a file,
and [`RecordRules`] applies them one record at a time to what a sync receives. */
use time::OffsetDateTime;

use super::checking::Checker;
use super::field_rules::{canonical_uuid, check_text, invalid, normalise_time};
use super::{BundleCheck, BundleInitiative, BundleReview, BundleRound, ExchangeError};
use crate::content::catalog::catalog;
use crate::content::problem::{Explain, Kind, Problem};
use crate::geo::validate_point;
use crate::model::ReviewStatus;
use crate::model::Role;
use crate::municipality::review::{MAX_NOTE_CHARS, MAX_REVIEWER_CHARS};
use crate::selfcheck::assess;
use crate::selfcheck::{
    MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_TARGET_GROUPS, MAX_TARGET_GROUP_CHARS,
};

impl Checker {
    pub(super) fn check_initiative(
        &mut self,
        n: usize,
        i: &BundleInitiative,
    ) -> Result<(), ExchangeError> {
        self.record(|me| {
            let at = format!("initiatives[{n}]");
            let id = me.unique(&at, &i.id)?;
            me.initiatives.insert(id);
            me.made_on(&at, &i.id, i.made_on.as_deref())?;
            check_text(&at, "name", &i.name, MAX_NAME_CHARS, true)?;
            if let Some(d) = &i.description {
                check_text(&at, "description", d, MAX_DESCRIPTION_CHARS, false)?;
            }
            validate_point(i.lat, i.lon).map_err(|e| invalid(at.clone(), e.problem()))?;
            if i.target_groups.len() > MAX_TARGET_GROUPS {
                return Err(invalid(
                    format!("{at}.target_groups"),
                    Problem::new(Kind::too_many_target_groups).with("max", MAX_TARGET_GROUPS),
                ));
            }
            for g in &i.target_groups {
                check_text(&at, "target_groups", g, MAX_TARGET_GROUP_CHARS, true)?;
            }
            normalise_time(&at, &i.created_at, me.now).map(drop)
        })
    }

    pub(super) fn check_self_check(
        &mut self,
        n: usize,
        c: &BundleCheck,
    ) -> Result<(), ExchangeError> {
        self.record(|me| {
            let at = format!("self_checks[{n}]");
            me.unique(&at, &c.id)?;
            me.made_on(&at, &c.id, c.made_on.as_deref())?;
            canonical_uuid(format!("{at}.initiative_id"), &c.initiative_id)?;
            Role::parse(&c.role).ok_or_else(|| {
                invalid(
                    format!("{at}.role"),
                    Problem::new(Kind::unknown_role).with("role", &c.role),
                )
            })?;
            assess::check_answers(catalog(), &c.answers)
                .map_err(|e| invalid(format!("{at}.answers"), e.problem()))?;
            if let Some(list) = &c.respondents {
                let problem = if !c.answers.is_empty() {
                    Some(Problem::new(Kind::answers_and_respondents))
                } else if list.is_empty() {
                    Some(Problem::new(Kind::no_respondents))
                } else if list.len() > crate::content::limits::RESPONDENTS {
                    Some(
                        Problem::new(Kind::too_many_respondents)
                            .with("count", list.len())
                            .with("max", crate::content::limits::RESPONDENTS),
                    )
                } else {
                    None
                };
                if let Some(p) = problem {
                    return Err(invalid(format!("{at}.respondents"), p));
                }
                for (k, r) in list.iter().enumerate() {
                    let here = format!("{at}.respondents[{k}]");
                    Role::parse(&r.role).ok_or_else(|| {
                        invalid(
                            format!("{here}.role"),
                            Problem::new(Kind::unknown_role).with("role", &r.role),
                        )
                    })?;
                    // Each member answers one version of the questionnaire. A closed check whose
                    // members answered different versions (an older build let such a round
                    // close) is scored per version, each member's answers pooled per lesson:
                    // refusing it would make its machine's own export unreadable elsewhere.
                    // New rounds never mix (see the rounds below and `selfcheck::session`).
                    assess::check_answers(catalog(), &r.answers)
                        .map_err(|e| invalid(format!("{here}.answers"), e.problem()))?;
                }
            }
            let actions: Vec<crate::model::ActionInput> = c
                .actions
                .iter()
                .flatten()
                .map(|a| crate::model::ActionInput {
                    text: a.text.clone(),
                    who: a.who.clone(),
                    due: a.due.clone(),
                    lesson: a.lesson.clone(),
                })
                .collect();
            crate::selfcheck::conversation::check(
                c.notes.as_ref().unwrap_or(&Default::default()),
                &actions,
                c.previous_actions.as_deref().unwrap_or_default(),
            )
            .map_err(|e| invalid(at.clone(), e.problem()))?;
            for (k, a) in c.actions.iter().flatten().enumerate() {
                me.unique(&format!("{at}.actions[{k}]"), &a.id)?;
            }
            for (k, o) in c.previous_actions.iter().flatten().enumerate() {
                canonical_uuid(format!("{at}.previous_actions[{k}].id"), &o.id)?;
            }
            normalise_time(&at, &c.created_at, me.now).map(drop)
        })
    }

    pub(super) fn check_review(&mut self, n: usize, r: &BundleReview) -> Result<(), ExchangeError> {
        self.record(|me| {
            let at = format!("review_log[{n}]");
            me.unique(&at, &r.id)?;
            me.made_on(&at, &r.id, r.made_on.as_deref())?;
            canonical_uuid(format!("{at}.initiative_id"), &r.initiative_id)?;
            let from = ReviewStatus::parse(&r.from).ok_or_else(|| {
                invalid(
                    format!("{at}.from"),
                    Problem::new(Kind::unknown_status).with("status", &r.from),
                )
            })?;
            let to = ReviewStatus::parse(&r.to).ok_or_else(|| {
                invalid(
                    format!("{at}.to"),
                    Problem::new(Kind::unknown_status).with("status", &r.to),
                )
            })?;
            if !from.can_move_to(to) {
                return Err(invalid(
                    at.clone(),
                    Problem::new(Kind::status_not_allowed)
                        .with("from", &r.from)
                        .with("to", &r.to),
                ));
            }
            check_text(&at, "reviewer", &r.reviewer, MAX_REVIEWER_CHARS, true)?;
            check_text(&at, "note", &r.note, MAX_NOTE_CHARS, false)?;
            normalise_time(&at, &r.created_at, me.now).map(drop)
        })
    }

    /// A group round: its ids, its initiative, its members' answers (one questionnaire version).
    pub(super) fn check_round(&mut self, n: usize, r: &BundleRound) -> Result<(), ExchangeError> {
        self.record(|me| {
            let at = format!("group_rounds[{n}]");
            me.unique(&at, &r.id)?;
            match (&r.initiative_id, &r.new_initiative) {
                (Some(id), None) => canonical_uuid(format!("{at}.initiative_id"), id).map(drop)?,
                (None, Some(i)) => {
                    check_text(
                        &at,
                        "name",
                        i.name.as_deref().unwrap_or_default(),
                        MAX_NAME_CHARS,
                        true,
                    )?;
                    if let Some(d) = &i.description {
                        check_text(&at, "description", d, MAX_DESCRIPTION_CHARS, false)?;
                    }
                    let (Some(lat), Some(lon)) = (i.lat, i.lon) else {
                        return Err(invalid(
                            format!("{at}.new_initiative"),
                            Problem::new(Kind::place_missing),
                        ));
                    };
                    validate_point(lat, lon).map_err(|e| invalid(at.clone(), e.problem()))?;
                    if i.id.is_some() || i.contact.is_some() {
                        return Err(invalid(
                            format!("{at}.new_initiative"),
                            Problem::new(Kind::unknown_field)
                                .with("field", if i.id.is_some() { "id" } else { "contact" }),
                        ));
                    }
                }
                _ => {
                    return Err(invalid(
                        at.clone(),
                        Problem::new(Kind::missing_field).with("field", "initiative_id"),
                    ))
                }
            }
            Role::parse(&r.role).ok_or_else(|| {
                invalid(
                    format!("{at}.role"),
                    Problem::new(Kind::unknown_role).with("role", &r.role),
                )
            })?;
            if r.members.len() > crate::content::limits::RESPONDENTS {
                return Err(invalid(
                    format!("{at}.members"),
                    Problem::new(Kind::session_full)
                        .with("max", crate::content::limits::RESPONDENTS),
                ));
            }
            for (k, m) in r.members.iter().enumerate() {
                let here = format!("{at}.members[{k}]");
                me.unique(&here, &m.id)?;
                Role::parse(&m.role).ok_or_else(|| {
                    invalid(
                        format!("{here}.role"),
                        Problem::new(Kind::unknown_role).with("role", &m.role),
                    )
                })?;
                assess::check_answers(catalog(), &m.answers)
                    .map_err(|e| invalid(format!("{here}.answers"), e.problem()))?;
                normalise_time(&here, &m.created_at, me.now)?;
            }
            catalog()
                .statement_set_of(r.members.iter().flat_map(|m| m.answers.keys()))
                .ok_or_else(|| {
                    invalid(
                        format!("{at}.members"),
                        assess::AssessError::MixedStatementSets.problem(),
                    )
                })?;
            crate::selfcheck::conversation::check(&Default::default(), &[], &r.previous_actions)
                .map_err(|e| invalid(at.clone(), e.problem()))?;
            normalise_time(&at, &r.created_at, me.now).map(drop)
        })
    }
}

/// The rules of import, one record at a time, for what a sync receives (`crate::sync`): a
/// record that breaks one is left out and named, where a file is refused as a whole.
pub(crate) struct RecordRules(Checker);

impl RecordRules {
    pub(crate) fn new(now: OffsetDateTime) -> Self {
        RecordRules(Checker::without_header(now))
    }

    pub(crate) fn initiative(&mut self, i: &BundleInitiative) -> Result<(), Problem> {
        self.0.records = 0;
        self.0.check_initiative(0, i).map_err(|e| rule(&e))
    }

    pub(crate) fn self_check(&mut self, c: &BundleCheck) -> Result<(), Problem> {
        self.0.records = 0;
        self.0.check_self_check(0, c).map_err(|e| rule(&e))
    }

    pub(crate) fn review(&mut self, r: &BundleReview) -> Result<(), Problem> {
        self.0.records = 0;
        self.0.check_review(0, r).map_err(|e| rule(&e))
    }
}

/// The rule a record broke, without the place in a file it never was in.
fn rule(e: &ExchangeError) -> Problem {
    match e {
        ExchangeError::Invalid { rule, .. } => rule.clone(),
        other => other.problem(),
    }
}
