/*! Writing a bundle: this machine's records (or one municipality's), each with the machine it
was made on, and the records read one by one for the sync's send (`Outgoing`). */
use super::bundle::{
    Bundle, BundleAction, BundleCheck, BundleInitiative, BundleMember, BundleReview, BundleRound,
};
use super::hashing::{
    answers_wide, review_hash, stored_check_hash, stored_initiative_hash, stored_respondents,
};
use super::{ExchangeError, FORMAT, VERSION};
use crate::model::ReviewEntry;
use crate::safety::crypto::{self};
use crate::safety::settings;
use crate::store::provenance::{self, Machine};
use crate::store::Db;
use crate::store::{self, Initiative, Store, StoreError, StoredCheck};
use std::collections::BTreeMap;

/// A stored check as a bundle record: as in version 1 when it is one person's on screen with
/// nothing noted, with the version 2 fields otherwise.
pub(super) fn bundle_check(c: StoredCheck) -> BundleCheck {
    let hash = Some(stored_check_hash(&c));
    let respondents = stored_respondents(&c);
    let plain =
        matches!(respondents.as_slice(), [one] if !one.on_paper && one.role == c.role.as_str());
    let conv = c.conversation;
    BundleCheck {
        hash,
        answers: if plain {
            respondents[0].answers.clone()
        } else {
            BTreeMap::new()
        },
        respondents: (!plain).then_some(respondents),
        notes: (!conv.notes.is_empty()).then_some(conv.notes),
        actions: (!conv.actions.is_empty()).then(|| {
            conv.actions
                .into_iter()
                .map(|a| BundleAction {
                    id: a.id,
                    text: a.text,
                    who: a.who,
                    due: a.due,
                    lesson: a.lesson,
                })
                .collect()
        }),
        previous_actions: (!conv.outcomes.is_empty()).then_some(conv.outcomes),
        id: c.id,
        initiative_id: c.initiative_id,
        role: c.role.as_str().into(),
        created_at: c.created_at,
        made_on: None,
    }
}

pub(super) fn bundle_initiative(i: Initiative, made_on: Option<String>) -> BundleInitiative {
    BundleInitiative {
        hash: Some(stored_initiative_hash(&i)),
        made_on,
        id: i.id,
        name: i.name,
        description: i.description,
        lat: i.lat,
        lon: i.lon,
        target_groups: i.target_groups,
        created_at: i.created_at,
    }
}

pub(super) fn bundle_review(e: ReviewEntry, made_on: Option<String>) -> BundleReview {
    BundleReview {
        hash: Some(review_hash(&e)),
        made_on,
        id: e.id,
        initiative_id: e.initiative_id,
        from: e.from.as_str().into(),
        to: e.to.as_str().into(),
        reviewer: e.reviewer,
        note: e.note,
        created_at: e.created_at,
    }
}

/// The machines records in an export were made on, other than this one.
pub(super) struct PassedOn<'a> {
    db: Db<'a>,
    here: &'a Machine,
    machines: BTreeMap<String, String>,
}

impl PassedOn<'_> {
    /// The machine a record was made on, when another than this one; noted for the header.
    fn made_on(
        &mut self,
        record: provenance::Record,
        id: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(match self.db.made_elsewhere(record, id)? {
            Some(m) if m.id != self.here.id => {
                let id = m.id.clone();
                self.machines.insert(m.id, m.name);
                Some(id)
            }
            _ => None,
        })
    }
}

/// One record as a sync sends it ([`crate::sync`]): as a bundle carries it, with the machine it
/// was made on always named (this one when it was made here).
pub(crate) struct Outgoing<'a> {
    db: Db<'a>,
    here: Machine,
    /// Every machine named, this one included, for the server's list of machines.
    pub machines: BTreeMap<String, String>,
}

impl<'a> Outgoing<'a> {
    pub(crate) fn new(db: Db<'a>) -> Result<Self, StoreError> {
        let here = db.this_machine()?;
        let machines = BTreeMap::from([(here.id.clone(), here.name.clone())]);
        Ok(Outgoing { db, here, machines })
    }

    fn maker(&mut self, record: provenance::Record, id: &str) -> Result<String, StoreError> {
        Ok(match self.db.made_elsewhere(record, id)? {
            Some(m) => {
                self.machines.insert(m.id.clone(), m.name);
                m.id
            }
            None => self.here.id.clone(),
        })
    }

    /// An initiative (None when it is not here, or purged), with its areas.
    pub(crate) fn initiative(
        &mut self,
        id: &str,
    ) -> Result<Option<(BundleInitiative, Initiative)>, StoreError> {
        let Some(i) = self.db.initiative(id)? else {
            return Ok(None);
        };
        if self.db.is_purged(id)? {
            return Ok(None);
        }
        let made_on = Some(self.maker(provenance::Record::Initiative, id)?);
        Ok(Some((bundle_initiative(i.clone(), made_on), i)))
    }

    /// A visible self-check (None when it is gone or marked by the purge), with its scores.
    pub(crate) fn check(
        &mut self,
        id: &str,
    ) -> Result<Option<(BundleCheck, crate::model::StrategyScores)>, StoreError> {
        let Some(c) = self.db.visible_check(id)? else {
            return Ok(None);
        };
        let scores = c.scores;
        let made_on = Some(self.maker(provenance::Record::Check, id)?);
        Ok(Some((
            BundleCheck {
                made_on,
                ..bundle_check(c)
            },
            scores,
        )))
    }

    /// A review entry.
    pub(crate) fn review(&mut self, id: &str) -> Result<Option<BundleReview>, StoreError> {
        let Some(e) = self.db.review_entry(id)? else {
            return Ok(None);
        };
        let made_on = Some(self.maker(provenance::Record::Review, id)?);
        Ok(Some(bundle_review(e, made_on)))
    }
}

/// All self-checks (or one municipality's) with their initiatives and review logs.
pub fn export_bundle(store: &Store, municipality: Option<&str>) -> Result<Bundle, ExchangeError> {
    let db = store.db();
    let ids = store.initiative_ids(municipality)?;
    let here = db.this_machine()?;
    let mut passed_on = PassedOn {
        db,
        here: &here,
        machines: BTreeMap::new(),
    };
    let mut bundle = Bundle {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: store::now_rfc3339(),
        municipality: municipality.map(str::to_string),
        machine: Some(here.clone()),
        machines: Vec::new(),
        initiatives: Vec::new(),
        self_checks: Vec::new(),
        review_log: Vec::new(),
        group_rounds: Vec::new(),
    };
    for id in &ids {
        let i = db
            .initiative(id)?
            .ok_or_else(|| StoreError::UnknownInitiative(id.clone()))?;
        let made_on = passed_on.made_on(provenance::Record::Initiative, &i.id)?;
        bundle.initiatives.push(bundle_initiative(i, made_on));
        for c in db.checks_of(id)? {
            let made_on = passed_on.made_on(provenance::Record::Check, &c.id)?;
            bundle.self_checks.push(BundleCheck {
                made_on,
                ..bundle_check(c)
            });
        }
        for e in db.reviews(id)? {
            let made_on = passed_on.made_on(provenance::Record::Review, &e.id)?;
            bundle.review_log.push(bundle_review(e, made_on));
        }
    }
    // Open rounds of the initiatives exported; a whole export also takes those of new ones.
    for id in db.session_ids()? {
        let Some(r) = db.session_of(&id)? else {
            continue;
        };
        let in_scope = match &r.initiative_id {
            Some(initiative) => ids.contains(initiative),
            None => municipality.is_none(),
        };
        // A round that mixes versions of the questionnaire (let in before imports refused that)
        // would make the whole file refused wherever it goes; it stays here, to be cancelled.
        let one_set = crate::content::catalog::catalog()
            .statement_set_of(r.members.iter().flat_map(|m| m.answers.keys()))
            .is_some();
        if in_scope && one_set {
            bundle.group_rounds.push(bundle_round(r));
        }
    }
    bundle.machines = passed_on
        .machines
        .into_iter()
        .map(|(id, name)| Machine { id, name })
        .collect();
    Ok(bundle)
}

pub(super) fn bundle_round(r: store::OpenSession) -> BundleRound {
    BundleRound {
        id: r.id,
        initiative_id: r.initiative_id,
        new_initiative: r
            .new_initiative
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok()),
        role: r.role.as_str().into(),
        previous_actions: serde_json::from_str(&r.outcomes).unwrap_or_default(),
        created_at: r.created_at,
        members: r
            .members
            .into_iter()
            .map(|m| BundleMember {
                id: m.id,
                role: m.role.as_str().into(),
                on_paper: m.on_paper,
                answers: answers_wide(&m.answers),
                created_at: m.created_at,
            })
            .collect(),
    }
}

/// The bundle as a file's bytes: pretty JSON, or age-encrypted to `encrypt_to`. On a kiosk
/// with the municipality's key set, bundles are always encrypted (to that key if none is given).
pub fn export_bytes(
    store: &Store,
    municipality: Option<&str>,
    encrypt_to: Option<&str>,
) -> Result<Vec<u8>, ExchangeError> {
    let s = settings::load(store)?;
    let key = match encrypt_to {
        Some(k) => Some(k.to_string()),
        None if s.kiosk => s.public_key,
        None => None,
    };
    let json =
        serde_json::to_vec_pretty(&export_bundle(store, municipality)?).expect("bundles serialize");
    Ok(match key {
        Some(k) => crypto::encrypt(&json, &k)?,
        None => json,
    })
}
