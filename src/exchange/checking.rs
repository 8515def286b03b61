/*! The first reading of a bundle: every rule of docs/bundle-format.md, checked record by record
without touching the database. What it keeps is what the import needs to know in advance: the
ids (to refuse one used twice, and to know which initiatives the file brings), the number of
records, and the order of the lists. A small file's records themselves are kept beside it
(keeping.rs), so that the import does not parse them again. */
use std::collections::{HashMap, HashSet};

use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;

use super::reading::{Records, Section};
use super::{
    BundleCheck, BundleInitiative, BundleReview, BundleRound, ExchangeError, FORMAT, MAX_RECORDS,
    OLDEST_VERSION, VERSION,
};
use crate::content::catalog::catalog;
use crate::content::limits::{MACHINES_PER_BUNDLE, MACHINE_NAME_CHARS};
use crate::content::problem::{Explain, Kind, Problem};
use crate::content::text::Lines;
use crate::geo::validate_point;
use crate::model::ReviewStatus;
use crate::model::Role;
use crate::municipality::review::{MAX_NOTE_CHARS, MAX_REVIEWER_CHARS};
use crate::selfcheck::assess;
use crate::selfcheck::{
    MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_TARGET_GROUPS, MAX_TARGET_GROUP_CHARS,
};
use crate::store;
use crate::store::provenance::{ImportOrigin, Machine};

pub(super) struct Checker {
    now: OffsetDateTime,
    ids: HashSet<u128>,
    /// The initiatives the bundle brings, by id.
    pub(super) initiatives: HashSet<u128>,
    pub(super) records: usize,
    /// The lists in the order the file gives them.
    pub(super) order: Vec<Section>,
    format_seen: bool,
    version_seen: bool,
    exported_at_seen: bool,
    /// A record's fault found before the header said what kind of file this is: reported only
    /// if it turns out to be a bundle (otherwise "not a bundle" is the better answer).
    pending: Option<ExchangeError>,
    /// The header's provenance (version 3): when the file was exported, by which machine, and
    /// the other machines it names.
    exported_at: Option<String>,
    machine: Option<Machine>,
    machines: Vec<Machine>,
    /// The machines records say they were made on, with a record each (to name it when the
    /// header does not list the machine).
    made_on: HashMap<u128, String>,
}

impl Checker {
    pub(super) fn new(now: OffsetDateTime) -> Self {
        Checker {
            now,
            ids: HashSet::new(),
            initiatives: HashSet::new(),
            records: 0,
            order: Vec::new(),
            format_seen: false,
            version_seen: false,
            exported_at_seen: false,
            pending: None,
            exported_at: None,
            machine: None,
            machines: Vec::new(),
            made_on: HashMap::new(),
        }
    }

    /// What the file says of where its records come from.
    pub(super) fn origin(&self) -> ImportOrigin {
        ImportOrigin {
            file: None,
            exported_at: self.exported_at.clone(),
            machine: self.machine.clone(),
            machines: self.machines.clone(),
        }
    }

    /// A record's `made_on`: a machine id in the one spelling, which the header must name.
    fn made_on(
        &mut self,
        at: &str,
        record_id: &str,
        made_on: Option<&str>,
    ) -> Result<(), ExchangeError> {
        if let Some(m) = made_on {
            let id = canonical_uuid(format!("{at}.made_on"), m)?;
            self.made_on
                .entry(id)
                .or_insert_with(|| record_id.to_string());
        }
        Ok(())
    }

    /// After the reading: what the whole file lacks.
    pub(super) fn finish(&mut self) -> Result<(), ExchangeError> {
        if !self.format_seen {
            return Err(ExchangeError::NotABundle(format!(
                "\"format\" must be \"{FORMAT}\""
            )));
        }
        if !self.version_seen {
            return Err(ExchangeError::NotABundle(
                "\"version\" is missing or not a whole number".into(),
            ));
        }
        if let Some(e) = self.pending.take() {
            return Err(e);
        }
        if !self.exported_at_seen {
            return Err(invalid(
                String::new(),
                Problem::new(Kind::missing_field).with("field", "exported_at"),
            ));
        }
        for section in Section::REQUIRED {
            if !self.order.contains(&section) {
                return Err(invalid(
                    String::new(),
                    Problem::new(Kind::missing_field).with("field", section.key()),
                ));
            }
        }
        let named: HashSet<u128> = self
            .machine
            .iter()
            .chain(&self.machines)
            .filter_map(|m| Uuid::parse_str(&m.id).ok())
            .map(|u| u.as_u128())
            .collect();
        let mut unnamed: Vec<(&u128, &String)> = self
            .made_on
            .iter()
            .filter(|(id, _)| !named.contains(id))
            .collect();
        unnamed.sort();
        if let Some((machine, record)) = unnamed.first() {
            let machine = Uuid::from_u128(**machine).hyphenated().to_string();
            return Err(invalid(
                String::new(),
                Problem::new(Kind::bundle_unknown_machine)
                    .with("id", record)
                    .with("machine", machine),
            ));
        }
        Ok(())
    }

    /// Whether the lists come in the order the import needs (initiatives, self-checks, review
    /// log), so that one reading can import them all.
    pub(super) fn in_import_order(&self) -> bool {
        self.order == Section::ALL || self.order == Section::REQUIRED
    }

    fn record(
        &mut self,
        rule: impl FnOnce(&mut Self) -> Result<(), ExchangeError>,
    ) -> Result<(), ExchangeError> {
        self.records += 1;
        if self.records > MAX_RECORDS {
            return Err(ExchangeError::TooManyRecords);
        }
        if self.pending.is_some() {
            return Ok(());
        }
        match rule(self) {
            Ok(()) => Ok(()),
            Err(e) if self.format_seen && self.version_seen => Err(e),
            Err(e) => {
                self.pending = Some(e);
                Ok(())
            }
        }
    }

    fn unique(&mut self, at: &str, id: &str) -> Result<u128, ExchangeError> {
        let id128 = canonical_uuid(format!("{at}.id"), id)?;
        if !self.ids.insert(id128) {
            return Err(invalid(
                format!("{at}.id"),
                Problem::new(Kind::id_twice).with("id", id),
            ));
        }
        Ok(id128)
    }
}

impl Records for Checker {
    fn wants(&self, _: Section) -> bool {
        true
    }

    fn list_found(&mut self, section: Section) {
        self.order.push(section);
    }

    fn header(&mut self, field: &str, value: Value) -> Result<(), ExchangeError> {
        match field {
            "format" => {
                if value.as_str() != Some(FORMAT) {
                    return Err(ExchangeError::NotABundle(format!(
                        "\"format\" must be \"{FORMAT}\""
                    )));
                }
                self.format_seen = true;
            }
            "version" => match value.as_u64() {
                Some(OLDEST_VERSION..=VERSION) => self.version_seen = true,
                Some(v) => return Err(ExchangeError::UnsupportedVersion(v)),
                None => {
                    return Err(ExchangeError::NotABundle(
                        "\"version\" is missing or not a whole number".into(),
                    ))
                }
            },
            "exported_at" => {
                let Some(text) = value.as_str() else {
                    return Err(invalid(
                        String::new(),
                        Problem::new(Kind::must_be_text).with("field", "exported_at"),
                    ));
                };
                // Older files were not held to a form here: a time that is not one is not kept.
                self.exported_at = store::utc_time(text);
                self.exported_at_seen = true;
            }
            "machine" => self.machine = Some(machine("machine", value)?),
            "machines" => {
                let Value::Array(list) = value else {
                    return Err(invalid(
                        "machines".into(),
                        Problem::new(Kind::bundle_structure)
                            .with("detail", "\"machines\" is a list"),
                    ));
                };
                if list.len() > MACHINES_PER_BUNDLE {
                    return Err(invalid(
                        "machines".into(),
                        Problem::new(Kind::bundle_structure).with(
                            "detail",
                            format!("\"machines\" names at most {MACHINES_PER_BUNDLE}"),
                        ),
                    ));
                }
                let mut seen = HashSet::new();
                for (k, v) in list.into_iter().enumerate() {
                    let at = format!("machines[{k}]");
                    let m = machine(&at, v)?;
                    if !seen.insert(m.id.clone()) {
                        return Err(invalid(
                            format!("{at}.id"),
                            Problem::new(Kind::id_twice).with("id", &m.id),
                        ));
                    }
                    self.machines.push(m);
                }
            }
            _ => {
                if !(value.is_null() || value.is_string()) {
                    return Err(invalid(
                        String::new(),
                        Problem::new(Kind::must_be_text).with("field", field),
                    ));
                }
            }
        }
        Ok(())
    }

    fn initiative(&mut self, n: usize, i: BundleInitiative) -> Result<(), ExchangeError> {
        self.check_initiative(n, &i)
    }

    fn self_check(&mut self, n: usize, c: BundleCheck) -> Result<(), ExchangeError> {
        self.check_self_check(n, &c)
    }

    fn group_round(&mut self, n: usize, r: BundleRound) -> Result<(), ExchangeError> {
        self.check_round(n, &r)
    }

    fn review(&mut self, n: usize, r: BundleReview) -> Result<(), ExchangeError> {
        self.check_review(n, &r)
    }
}

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

/// A machine in the header: an id in the one spelling and a name of one line (may be empty).
fn machine(at: &str, value: Value) -> Result<Machine, ExchangeError> {
    let m: Machine = serde_json::from_value(value).map_err(|e| {
        invalid(
            at.to_string(),
            Problem::new(Kind::bundle_structure).with("detail", super::without_position(&e)),
        )
    })?;
    canonical_uuid(format!("{at}.id"), &m.id)?;
    check_text(at, "name", &m.name, MACHINE_NAME_CHARS, false)?;
    Ok(m)
}

pub(super) fn invalid(at: String, rule: Problem) -> ExchangeError {
    ExchangeError::Invalid { at, rule }
}

fn check_text(
    at: &str,
    field: &str,
    text: &str,
    max: usize,
    required: bool,
) -> Result<(), ExchangeError> {
    let lines = if matches!(field, "description" | "note") {
        Lines::Many
    } else {
        Lines::One
    };
    crate::content::text::check(field, text, lines)
        .map_err(|e| invalid(format!("{at}.{field}"), e.problem()))?;
    let n = text.chars().count();
    if required && text.trim().is_empty() {
        return Err(invalid(
            format!("{at}.{field}"),
            Problem::new(Kind::text_empty).with("field", field),
        ));
    }
    if n > max {
        return Err(invalid(
            format!("{at}.{field}"),
            Problem::new(Kind::text_too_long)
                .with("field", field)
                .with("length", n)
                .with("max", max),
        ));
    }
    Ok(())
}

/// How far ahead of this machine's clock a time in a file may be (clocks differ a little).
const FUTURE_SLACK: time::Duration = time::Duration::DAY;

/// Reads an RFC 3339 time from a file and gives it in the one form the store keeps: UTC, `Z`.
/// Times are compared as text, so every stored time must have that form; a time far in the
/// future would stay the "latest" forever and never be purged.
pub(super) fn normalise_time(
    at: &str,
    text: &str,
    now: OffsetDateTime,
) -> Result<String, ExchangeError> {
    use time::format_description::well_known::Rfc3339;
    let bad = || {
        invalid(
            format!("{at}.created_at"),
            Problem::new(Kind::bad_time).with("time", text),
        )
    };
    let utc = store::utc_time(text).ok_or_else(bad)?;
    let t = OffsetDateTime::parse(&utc, &Rfc3339).map_err(|_| bad())?;
    if t > now + FUTURE_SLACK {
        return Err(invalid(
            format!("{at}.created_at"),
            Problem::new(Kind::time_in_future).with("time", text),
        ));
    }
    Ok(utc)
}

/// A UUID in the one spelling files use: lower case with hyphens. Other spellings of the same
/// UUID (upper case, braces, `urn:uuid:`, no hyphens) would otherwise make separate records.
pub(super) fn canonical_uuid(at: String, id: &str) -> Result<u128, ExchangeError> {
    match Uuid::parse_str(id) {
        Ok(u) if u.hyphenated().to_string() == id => Ok(u.as_u128()),
        Ok(u) => Err(invalid(
            at,
            Problem::new(Kind::uuid_spelling)
                .with("id", id)
                .with("canonical", u.hyphenated()),
        )),
        Err(_) => Err(invalid(at, Problem::new(Kind::not_a_uuid).with("id", id))),
    }
}

/// The rules of import, one record at a time, for what a sync receives (`crate::sync`): a
/// record that breaks one is left out and named, where a file is refused as a whole.
pub(crate) struct RecordRules(Checker);

impl RecordRules {
    pub(crate) fn new(now: OffsetDateTime) -> Self {
        let mut checker = Checker::new(now);
        // What a server holds has no header of its own: the records are all there is.
        checker.format_seen = true;
        checker.version_seen = true;
        RecordRules(checker)
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
