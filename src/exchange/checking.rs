/*! The first reading of a bundle: every rule of docs/bundle-format.md, checked record by record
without touching the database. What it keeps is what the import needs to know in advance: the
ids (to refuse one used twice, and to know which initiatives the file brings), the number of
records, and the order of the lists. A small file's records themselves are kept beside it
(keeping.rs), so that the import does not parse them again. This file holds the checker's walk
over the file (its header, its lists, what the whole file lacks); the rules of each kind of
record are in record_rules.rs, those of single values in field_rules.rs. */
use std::collections::{HashMap, HashSet};

use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;

use super::field_rules::{canonical_uuid, check_text, invalid};
use super::reading::{Records, Section};
use super::{
    BundleCheck, BundleInitiative, BundleReview, BundleRound, ExchangeError, FORMAT, MAX_RECORDS,
    OLDEST_VERSION, VERSION,
};
use crate::content::limits::{MACHINES_PER_BUNDLE, MACHINE_NAME_CHARS};
use crate::content::problem::{Kind, Problem};
use crate::store;
use crate::store::provenance::{ImportOrigin, Machine};

pub(super) struct Checker {
    pub(super) now: OffsetDateTime,
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

    /// A checker of records alone, as a sync receives them: what a server holds has no header of
    /// its own, the records are all there is.
    pub(super) fn without_header(now: OffsetDateTime) -> Self {
        let mut checker = Checker::new(now);
        checker.format_seen = true;
        checker.version_seen = true;
        checker
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
    pub(super) fn made_on(
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

    pub(super) fn record(
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

    pub(super) fn unique(&mut self, at: &str, id: &str) -> Result<u128, ExchangeError> {
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
