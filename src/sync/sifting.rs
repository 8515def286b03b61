//! What a sync received, row by row through the rules of import: one row that breaks a rule (a
//! date far ahead, a hidden direction mark, a statement this version does not know, a place off
//! the globe, a text too long, a record that cannot be read) is left out and named with its table,
//! id and server number, so that it keeps no machine from receiving the rest.
use std::collections::{BTreeMap, HashSet};

use serde::Serialize;
use ts_rs::TS;

use crate::content::limits::MACHINE_NAME_CHARS;
use crate::content::problem::{Kind, Problem};
use crate::exchange::{BundleCheck, BundleInitiative, BundleReview, Conflict, RecordRules};
use crate::store::sync_state::SkippedRow;
use crate::store::{Store, StoreError};

/// A row of the server that was not taken in, because it breaks a rule of import. Listed on
/// every sync until the server holds a version of it that can be taken in.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Skipped {
    /// The server's table: `initiatives`, `self_checks` or `review_log`.
    pub table: String,
    pub id: String,
    /// The row's number on the server (`seq`).
    #[ts(type = "number")]
    pub seq: i64,
    /// The rule it breaks.
    pub reason: Problem,
}

/// A row as the server gave it, not yet read.
pub(super) struct ServerRow {
    pub table: &'static str,
    pub seq: i64,
    pub id: String,
    pub record: String,
}

/// The rows that can be taken in, and those left out.
#[derive(Default)]
pub(super) struct Sifted {
    pub initiatives: Vec<BundleInitiative>,
    pub self_checks: Vec<BundleCheck>,
    pub review_log: Vec<BundleReview>,
    pub skipped: Vec<Skipped>,
    /// Rows the server says were made on this machine, which does not hold them: never taken in
    /// as made here.
    pub not_ours: Vec<Conflict>,
}

impl Sifted {
    pub fn is_empty(&self) -> bool {
        self.initiatives.is_empty() && self.self_checks.is_empty() && self.review_log.is_empty()
    }

    fn skip(&mut self, row: &ServerRow, reason: Problem) {
        self.skipped.push(Skipped {
            table: row.table.to_string(),
            id: row.id.clone(),
            seq: row.seq,
            reason,
        });
    }

    /// The rows left out, as this machine keeps them.
    pub fn kept_skipped(&self) -> Vec<SkippedRow> {
        self.skipped
            .iter()
            .map(|s| SkippedRow {
                kind: s.table.clone(),
                id: s.id.clone(),
                seq: s.seq,
                reason: serde_json::to_string(&s.reason).expect("problems serialize"),
            })
            .collect()
    }
}

/// Initiatives first, so that a self-check or review entry whose initiative was left out (and is
/// not here either) is left out too, rather than refusing everything as an orphan.
pub(super) fn sift(store: &Store, rows: &[ServerRow]) -> Result<Sifted, StoreError> {
    let mut rules = RecordRules::new(time::OffsetDateTime::now_utc());
    let mut sifted = Sifted::default();
    let mut taken: HashSet<String> = HashSet::new();
    let db = store.db();
    let here = db.this_machine()?.id;
    let mut not_ours = Vec::new();
    // Made here, by the server's word: this machine alone knows what it made. Held here, such a
    // record goes through the import (the same is skipped, other content is a conflict); not
    // held, it is a conflict, and never becomes a record made here that was not made here.
    let mut ours_not_held = |row: &ServerRow, made_on: Option<&str>| -> Result<bool, StoreError> {
        if made_on != Some(here.as_str()) || db.exists(row.table, &row.id)? {
            return Ok(false);
        }
        not_ours.push(Conflict {
            id: row.id.clone(),
            reason: "the server says this record was made on this machine, which does not hold it: not taken in".into(),
        });
        Ok(true)
    };
    for row in rows.iter().filter(|r| r.table == "initiatives") {
        match read::<BundleInitiative>(row).and_then(|i| rules.initiative(&i).map(|()| i)) {
            Ok(i) if ours_not_held(row, i.made_on.as_deref())? => {}
            Ok(i) => {
                taken.insert(i.id.clone());
                sifted.initiatives.push(i);
            }
            Err(reason) => sifted.skip(row, reason),
        }
    }
    let held = |initiative: &str| -> Result<bool, StoreError> {
        Ok(taken.contains(initiative) || db.exists("initiatives", initiative)?)
    };
    let orphan = |id: &str, initiative: &str| {
        Problem::new(Kind::sync_orphan)
            .with("id", id)
            .with("initiative", initiative)
    };
    for row in rows.iter().filter(|r| r.table == "self_checks") {
        match read::<BundleCheck>(row).and_then(|c| rules.self_check(&c).map(|()| c)) {
            Ok(c) if ours_not_held(row, c.made_on.as_deref())? => {}
            Ok(c) if held(&c.initiative_id)? => sifted.self_checks.push(c),
            Ok(c) => sifted.skip(row, orphan(&c.id, &c.initiative_id)),
            Err(reason) => sifted.skip(row, reason),
        }
    }
    for row in rows.iter().filter(|r| r.table == "review_log") {
        match read::<BundleReview>(row).and_then(|r| rules.review(&r).map(|()| r)) {
            Ok(r) if ours_not_held(row, r.made_on.as_deref())? => {}
            Ok(r) if held(&r.initiative_id)? => sifted.review_log.push(r),
            Ok(r) => sifted.skip(row, orphan(&r.id, &r.initiative_id)),
            Err(reason) => sifted.skip(row, reason),
        }
    }
    sifted.not_ours = not_ours;
    sifted.skipped.sort_by_key(|s| s.seq);
    Ok(sifted)
}

fn read<T: serde::de::DeserializeOwned>(row: &ServerRow) -> Result<T, Problem> {
    serde_json::from_str(&row.record).map_err(|e| {
        let text = e.to_string();
        let detail = text.split(" at line ").next().unwrap_or(&text);
        Problem::new(Kind::sync_record_unreadable).with("detail", detail)
    })
}

/// The machines' names as a bundle's header carries them: a name that breaks a rule of a
/// header is left out (the machine stays known by its id), so that it refuses nothing.
pub(super) fn machine_names(names: BTreeMap<String, String>) -> BTreeMap<String, String> {
    names
        .into_iter()
        .map(|(id, name)| {
            let fits = crate::content::text::check("name", &name, crate::content::text::Lines::One)
                .is_ok()
                && name.chars().count() <= MACHINE_NAME_CHARS;
            (id, if fits { name } else { String::new() })
        })
        .collect()
}
