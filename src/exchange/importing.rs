/*! The import of a bundle's checked records, inside the import's transaction: each record is
added, skipped (the same content is here) or reported as a conflict (other content under its id).
The records come from the checking reading (a small file's, kept in memory) or from a second
reading of a streamed file. Nothing of them is kept but the ids of the initiatives that got a
self-check, whose running sums are brought up to date at the end. */
use std::collections::{BTreeSet, HashSet};

use serde_json::Value;
use time::OffsetDateTime;

use super::field_rules::{canonical_uuid, invalid, normalise_time};
use super::hashing::{
    group_check_hash, initiative_hash, review_hash, stored_check_hash, stored_initiative_hash,
};
use super::reading::{Records, Section};
use super::{
    BundleCheck, BundleInitiative, BundleReview, BundleRound, Conflict, ExchangeError,
    ImportSummary,
};
use crate::content::catalog::catalog;
use crate::content::problem::{Explain, Kind, Problem};
use crate::geo::geography;
use crate::model;
use crate::model::Role;
use crate::model::{ReviewEntry, ReviewStatus};
use crate::selfcheck::assess;
use crate::store::aggregates::Known;
use crate::store::provenance::{ImportOrigin, Stamp};
use crate::store::Db;
use crate::store::{self, Initiative, Respondent, SessionMember, StoreError, StoredCheck};

pub(super) struct Importer<'a> {
    pub(super) db: Db<'a>,
    pub(super) now: OffsetDateTime,
    /// The initiatives the bundle brings (from the checking), by id.
    pub(super) bundle_initiatives: &'a HashSet<u128>,
    pub(super) summary: ImportSummary,
    pub(super) total: usize,
    done: usize,
    progress: &'a mut dyn FnMut(usize, usize),
    /// The lists this reading imports.
    pub(super) sections: Vec<Section>,
    /// The initiatives that got a self-check.
    touched: BTreeSet<String>,
    /// The initiatives whose table facts changed: new, with a new check or a new review entry.
    changed: BTreeSet<String>,
    /// Whether any group round is open here (a check may close one); asked once, not per check.
    rounds_open: bool,
    /// Where the file comes from, and the import's row once something was added.
    origin: ImportOrigin,
    /// Leave the table's facts to the end of a folder (noted, not refreshed).
    pub(super) defer_facts: bool,
    /// The shares of the sums of the checks this file adds, scored once on their way in.
    known: Known,
    import_id: Option<i64>,
}

/// What the database holds under a self-check's id.
enum Held {
    Nothing,
    /// Marked by the retention purge and hidden, in its grace period: as good as gone.
    Marked,
    Check(Box<StoredCheck>),
}

fn check_exists(db: Db<'_>, id: &str) -> Result<Held, StoreError> {
    // Most imported checks are new: a cheap look first, the whole record only when it exists.
    if !db.exists("self_checks", id)? {
        return Ok(Held::Nothing);
    }
    Ok(db
        .visible_check(id)?
        .map_or(Held::Marked, |c| Held::Check(Box::new(c))))
}

impl<'a> Importer<'a> {
    pub(super) fn new(
        db: Db<'a>,
        now: OffsetDateTime,
        bundle_initiatives: &'a HashSet<u128>,
        total: usize,
        origin: ImportOrigin,
        progress: &'a mut dyn FnMut(usize, usize),
    ) -> Self {
        let rounds_open = db.any_open().unwrap_or(true);
        Importer {
            db,
            now,
            bundle_initiatives,
            summary: ImportSummary::default(),
            total,
            done: 0,
            progress,
            sections: Section::ALL.to_vec(),
            touched: BTreeSet::new(),
            changed: BTreeSet::new(),
            rounds_open,
            origin,
            import_id: None,
            defer_facts: false,
            known: Known::default(),
        }
    }

    /// Where an added record came from: this import, and the machine it says it was made on,
    /// else the one that exported the file.
    fn came_from(&mut self, made_on: Option<&str>) -> Result<Stamp, ExchangeError> {
        let import_id = match self.import_id {
            Some(id) => id,
            None => {
                let at = self
                    .now
                    .format(&time::format_description::well_known::Rfc3339)
                    .expect("UTC times format");
                let id = self
                    .db
                    .begin_import(&self.origin, &store::utc_time(&at).unwrap_or(at))?;
                *self.import_id.insert(id)
            }
        };
        let machine = made_on.or(self.origin.machine.as_ref().map(|m| m.id.as_str()));
        Ok(Stamp {
            import_id,
            made_on: machine.map(str::to_string),
        })
    }

    fn step(&mut self, conflict: Option<Conflict>, added: bool) {
        match (conflict, added) {
            (Some(c), _) => self.summary.conflicts.push(c),
            (None, true) => self.summary.added += 1,
            (None, false) => self.summary.skipped += 1,
        }
        self.done += 1;
        if self.done % 500 == 0 || self.done == self.total {
            (self.progress)(self.done, self.total);
        }
    }

    /// Brings the running sums up to date for every initiative that got a self-check, then the
    /// table's facts of every initiative that changed.
    /// Returns what it scored, for a folder to settle the sums with at its end.
    pub(super) fn finish(mut self) -> Result<(ImportSummary, Known), ExchangeError> {
        let touched: Vec<String> = std::mem::take(&mut self.touched).into_iter().collect();
        if self.defer_facts {
            // A folder's file: its initiatives' sums and facts are settled at the folder's end.
            self.changed.extend(touched);
            let changed: Vec<String> = self.changed.into_iter().collect();
            self.db.defer_facts(&changed)?;
        } else {
            self.db.refresh_sums(&touched, &self.known)?;
            self.changed.extend(touched);
            let changed: Vec<String> = self.changed.into_iter().collect();
            self.db.refresh_facts(&changed)?;
        }
        Ok((self.summary, self.known))
    }
}

/// A bundle's initiative as stored here, with its areas computed from its point (a bundle
/// carries no wijk).
fn located(i: BundleInitiative, created_at: String) -> Result<Initiative, ExchangeError> {
    let location = geography()
        .locate(i.lat, i.lon)
        .map_err(|e| invalid(i.id.clone(), e.problem()))?;
    Ok(Initiative {
        id: i.id,
        name: i.name,
        description: i.description,
        lat: i.lat,
        lon: i.lon,
        municipality: location.municipality,
        province: location.province,
        wijk: location.wijk,
        target_groups: crate::content::catalog::target_group_keys(&i.target_groups),
        created_at,
    })
}

impl Records for Importer<'_> {
    fn wants(&self, section: Section) -> bool {
        self.sections.contains(&section)
    }

    fn header(&mut self, _: &str, _: Value) -> Result<(), ExchangeError> {
        Ok(())
    }

    fn initiative(&mut self, n: usize, i: BundleInitiative) -> Result<(), ExchangeError> {
        let created_at = normalise_time(&format!("initiatives[{n}]"), &i.created_at, self.now)
            .map_err(changed)?;
        if self.db.is_purged(&i.id)? {
            if self.db.emptied_elsewhere(&i.id)? {
                let stamp = self.came_from(i.made_on.as_deref())?;
                let initiative = located(i, created_at)?;
                self.changed.insert(initiative.id.clone());
                self.db.refill_initiative(&initiative, &stamp)?;
                self.step(None, true);
            } else {
                self.step(None, false); // its details were purged here: never brought back
            }
            return Ok(());
        }
        let existing = if self.db.exists("initiatives", &i.id)? {
            self.db.initiative(&i.id)?
        } else {
            None
        };
        match existing {
            // Hashing costs more than the insert: only for ids that already exist.
            Some(existing) => {
                let groups = crate::content::catalog::target_group_keys(&i.target_groups);
                let same = stored_initiative_hash(&existing)
                    == initiative_hash(
                        &i.id,
                        &i.name,
                        i.description.as_deref(),
                        i.lat,
                        i.lon,
                        &groups,
                        &created_at,
                    );
                let conflict = (!same).then(|| Conflict {
                    id: i.id.clone(),
                    reason: "an initiative with this id exists with other content".into(),
                });
                self.step(conflict, false);
            }
            None => {
                let stamp = self.came_from(i.made_on.as_deref())?;
                let initiative = located(i, created_at)?;
                self.changed.insert(initiative.id.clone());
                self.db.insert_initiative(&initiative, Some(&stamp))?;
                self.step(None, true);
            }
        }
        Ok(())
    }

    fn self_check(&mut self, n: usize, c: BundleCheck) -> Result<(), ExchangeError> {
        let created_at = normalise_time(&format!("self_checks[{n}]"), &c.created_at, self.now)
            .map_err(changed)?;
        if self.db.is_purged(&c.id)? {
            self.step(None, false); // purged here on purpose: never brought back
            return Ok(());
        }
        match check_exists(self.db, &c.id)? {
            // Marked for removal here: skipped, as a purged one is (docs/bundle-format.md).
            Held::Marked => self.step(None, false),
            Held::Check(existing) => {
                let same = stored_check_hash(&existing)
                    == group_check_hash(
                        &c.id,
                        &c.initiative_id,
                        &c.role,
                        &created_at,
                        &c.respondent_list(),
                        &c.conversation(),
                    );
                let conflict = (!same).then(|| Conflict {
                    id: c.id.clone(),
                    reason: "a self-check with this id exists with other content".into(),
                });
                self.step(conflict, false);
            }
            Held::Nothing => self.add_check(c, created_at)?,
        }
        Ok(())
    }

    fn group_round(&mut self, n: usize, r: BundleRound) -> Result<(), ExchangeError> {
        let at = format!("group_rounds[{n}]");
        let created_at = normalise_time(&at, &r.created_at, self.now).map_err(changed)?;
        if self.db.is_purged(&r.id)? {
            self.step(None, false);
            return Ok(());
        }
        // Closed here already: answers given elsewhere after that cannot join it any more.
        if self.db.exists("self_checks", &r.id)? {
            let reason = "this group round was closed on this machine already; answers given elsewhere after that were not added".to_string();
            self.step(Some(Conflict { id: r.id, reason }), false);
            return Ok(());
        }
        let members = self.round_members(&at, &r)?;
        let existing = self.db.session_of(&r.id)?;
        match &existing {
            Some(here) => {
                if here.initiative_id != r.initiative_id {
                    let reason = "a group round with this id is open here for another initiative"
                        .to_string();
                    self.step(Some(Conflict { id: r.id, reason }), false);
                    return Ok(());
                }
                // A round that mixed versions of the questionnaire could never close into a
                // check that imports anywhere, this machine's own exports included; leaving
                // out only the newcomers would lose answers without a trace, so the file goes.
                let all = here.members.iter().chain(&members);
                if catalog()
                    .statement_set_of(all.flat_map(|m| m.answers.keys()))
                    .is_none()
                {
                    return Err(invalid(
                        at,
                        Problem::new(Kind::round_mixed_statement_sets).with("id", &r.id),
                    ));
                }
            }
            None => self.open_round(&r, created_at)?,
        }
        let opened = existing.is_none();
        let known = existing.map(|s| s.members).unwrap_or_default();
        let (joined, conflict) = self.add_members(&r.id, &known, members)?;
        self.step(conflict, opened || joined);
        Ok(())
    }

    fn review(&mut self, n: usize, r: BundleReview) -> Result<(), ExchangeError> {
        let made_on = r.made_on;
        let entry = ReviewEntry {
            created_at: normalise_time(&format!("review_log[{n}]"), &r.created_at, self.now)
                .map_err(changed)?,
            id: r.id,
            initiative_id: r.initiative_id,
            from: ReviewStatus::parse(&r.from).ok_or(ExchangeError::Changed)?,
            to: ReviewStatus::parse(&r.to).ok_or(ExchangeError::Changed)?,
            reviewer: r.reviewer,
            note: r.note,
        };
        match self.db.review_entry(&entry.id)? {
            Some(existing) => {
                let same = review_hash(&existing) == review_hash(&entry);
                let conflict = (!same).then(|| Conflict {
                    id: entry.id.clone(),
                    reason: "a review entry with this id exists with other content".into(),
                });
                self.step(conflict, false);
            }
            None => {
                if self.db.initiative(&entry.initiative_id)?.is_none() {
                    return Err(invalid(
                        String::new(),
                        Problem::new(Kind::bundle_orphan)
                            .with("id", &entry.id)
                            .with("initiative", &entry.initiative_id),
                    ));
                }
                // The log is a chain: an entry must start where the log now ends, and not
                // before its last entry. One that does not (another reviewer's decision on a
                // state that has moved on here) is reported, never slipped into the chain.
                let (current, last_at) = self.db.review_head(&entry.initiative_id)?;
                if entry.from != current || last_at.is_some_and(|t| entry.created_at < t) {
                    let reason = format!(
                        "this review entry starts from {} but the review log here is at {}",
                        entry.from.as_str(),
                        current.as_str()
                    );
                    self.step(
                        Some(Conflict {
                            id: entry.id,
                            reason,
                        }),
                        false,
                    );
                    return Ok(());
                }
                let stamp = self.came_from(made_on.as_deref())?;
                self.changed.insert(entry.initiative_id.clone());
                self.db.insert_review(&entry, Some(&stamp))?;
                self.step(None, true);
            }
        }
        Ok(())
    }
}

/// The steps of adding a self-check and a group round that are new here.
impl Importer<'_> {
    /// A self-check this machine does not hold: added with its scores, unless its initiative is
    /// neither here nor in the file (the file is refused) or its details were removed here (a
    /// conflict).
    fn add_check(&mut self, mut c: BundleCheck, created_at: String) -> Result<(), ExchangeError> {
        let initiative = canonical_uuid(String::new(), &c.initiative_id).map_err(changed)?;
        // Its initiative's details were removed here: taken in, the check would be counted
        // by nothing and shown nowhere. Said, as a conflict is.
        if self.db.is_purged(&c.initiative_id)? {
            let conflict = Conflict {
                id: c.id.clone(),
                reason:
                    "its initiative's details were removed on this machine, so it is not taken in"
                        .into(),
            };
            self.step(Some(conflict), false);
            return Ok(());
        }
        let in_bundle = self.bundle_initiatives.contains(&initiative);
        if !in_bundle && !self.db.exists("initiatives", &c.initiative_id)? {
            return Err(invalid(
                String::new(),
                Problem::new(Kind::bundle_orphan)
                    .with("id", &c.id)
                    .with("initiative", &c.initiative_id),
            ));
        }
        let role = Role::parse(&c.role).ok_or(ExchangeError::Changed)?;
        let respondents = respondents_of(&mut c, role)?;
        let conversation = c.conversation();
        let stamp = self.came_from(c.made_on.as_deref())?;
        let mut check = StoredCheck {
            id: c.id,
            initiative_id: c.initiative_id,
            role,
            created_at,
            respondents,
            scores: Default::default(),
            conversation,
        };
        let assessment = check.assessment();
        self.known.note(
            &check.initiative_id,
            &check.id,
            &check.created_at,
            &assessment,
        );
        check.scores = assessment.strategies;
        // A round still open here was closed on another machine: the check stands for it.
        if self.rounds_open {
            self.db.end_session_in(&check.id)?;
        }
        self.db.insert_check(&check, Some(&stamp))?;
        self.touched.insert(check.initiative_id);
        self.step(None, true);
        Ok(())
    }

    /// A group round's members as the file gives them, their answers validated again.
    fn round_members(
        &self,
        at: &str,
        r: &BundleRound,
    ) -> Result<Vec<SessionMember>, ExchangeError> {
        r.members
            .iter()
            .map(|m| {
                Ok(SessionMember {
                    id: m.id.clone(),
                    role: Role::parse(&m.role).ok_or(ExchangeError::Changed)?,
                    on_paper: m.on_paper,
                    answers: assess::validate(catalog(), &m.answers)
                        .map_err(|_| ExchangeError::Changed)?,
                    created_at: normalise_time(at, &m.created_at, self.now).map_err(changed)?,
                })
            })
            .collect()
    }

    /// Opens a group round that is not open here yet, without members; its initiative must be
    /// here or in the file (else the file is refused).
    fn open_round(&mut self, r: &BundleRound, created_at: String) -> Result<(), ExchangeError> {
        if let Some(initiative) = &r.initiative_id {
            let in_bundle = self
                .bundle_initiatives
                .contains(&canonical_uuid(String::new(), initiative).map_err(changed)?);
            if !in_bundle && !self.db.exists("initiatives", initiative)? {
                return Err(invalid(
                    String::new(),
                    Problem::new(Kind::bundle_orphan)
                        .with("id", &r.id)
                        .with("initiative", initiative),
                ));
            }
        }
        self.rounds_open = true;
        self.db.insert_session(&store::OpenSession {
            id: r.id.clone(),
            initiative_id: r.initiative_id.clone(),
            new_initiative: r
                .new_initiative
                .as_ref()
                .map(|i| serde_json::to_string(i).expect("input serializes")),
            role: Role::parse(&r.role).ok_or(ExchangeError::Changed)?,
            outcomes: serde_json::to_string(&r.previous_actions).expect("outcomes serialize"),
            created_at,
            members: Vec::new(),
        })?;
        Ok(())
    }

    /// Adds the members of round `round` that are not among those `known` here. Returns whether
    /// any was added, and the last conflict: a member known here with other answers, or one the
    /// round has no room for.
    fn add_members(
        &mut self,
        round: &str,
        known: &[SessionMember],
        members: Vec<SessionMember>,
    ) -> Result<(bool, Option<Conflict>), ExchangeError> {
        let mut added = false;
        let mut conflict = None;
        for m in members {
            match known.iter().find(|k| k.id == m.id) {
                Some(k)
                    if k.role == m.role && k.on_paper == m.on_paper && k.answers == m.answers => {}
                Some(_) => {
                    conflict = Some(Conflict {
                        id: m.id.clone(),
                        reason:
                            "a member of this group round answered differently under the same id"
                                .into(),
                    })
                }
                None => match self.db.add_member_in(round, &m) {
                    Ok(_) => added = true,
                    Err(StoreError::SessionFull(max)) => {
                        conflict = Some(Conflict {
                            id: m.id.clone(),
                            reason: format!("the group round has its {max} members already"),
                        })
                    }
                    Err(e) => return Err(e.into()),
                },
            }
        }
        Ok((added, conflict))
    }
}

/// A self-check's respondents as stored here, with the answers the first reading checked.
fn respondents_of(c: &mut BundleCheck, role: Role) -> Result<Vec<Respondent>, ExchangeError> {
    Ok(match c.respondents.take() {
        // Nearly every record: one person's answers, taken over without a copy.
        None => vec![Respondent {
            role,
            on_paper: false,
            answers: checked_answers(std::mem::take(&mut c.answers))?,
        }],
        Some(list) => list
            .into_iter()
            .map(|r| {
                Ok(Respondent {
                    role: Role::parse(&r.role).ok_or(ExchangeError::Changed)?,
                    on_paper: r.on_paper,
                    answers: checked_answers(r.answers)?,
                })
            })
            .collect::<Result<Vec<_>, ExchangeError>>()?,
    })
}

/// Answers the first reading validated against the catalog (`assess::validate`), taken over as
/// they are. The import sees the same content: a small file's records are the very ones that
/// were checked, and a streamed file is compared with its first reading at the end, which undoes
/// the import. Only the range is looked at again, as it costs nothing.
fn checked_answers(
    answers: std::collections::BTreeMap<String, Option<i64>>,
) -> Result<model::Answers, ExchangeError> {
    answers
        .into_iter()
        .map(|(statement, value)| match value {
            None => Ok((statement, None)),
            Some(v @ 1..=5) => Ok((statement, Some(v as u8))),
            Some(_) => Err(ExchangeError::Changed),
        })
        .collect()
}

/// A rule the first reading checked fails in the second: the file was changed in between (the
/// comparison of the two readings' digests would refuse it too, but only at the end).
fn changed(_: ExchangeError) -> ExchangeError {
    ExchangeError::Changed
}
