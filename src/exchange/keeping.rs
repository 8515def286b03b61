/*! A small file's records, kept as the first reading checks them, so that the import takes them
from memory instead of parsing the file a second time. Only for files read into memory whole
([`READ_AT_ONCE_BYTES`](super::READ_AT_ONCE_BYTES)): their records take a few times the file's
size, and a larger file is streamed twice instead, so that memory does not grow with it. */
use serde_json::Value;

use super::checking::Checker;
use super::reading::{Records, Section};
use super::{BundleCheck, BundleInitiative, BundleReview, BundleRound, ExchangeError};

/// The records of a file that passed every check, each with its place in its list.
#[derive(Default)]
pub(super) struct Kept {
    initiatives: Vec<(usize, BundleInitiative)>,
    self_checks: Vec<(usize, BundleCheck)>,
    review_log: Vec<(usize, BundleReview)>,
    group_rounds: Vec<(usize, BundleRound)>,
}

impl Kept {
    /// Hands the records to `records` as a reading in import order would: list by list
    /// ([`Section::ALL`]), each in the file's order.
    pub(super) fn replay<R: Records>(self, records: &mut R) -> Result<(), ExchangeError> {
        let Kept {
            initiatives,
            self_checks,
            review_log,
            group_rounds,
        } = self;
        if records.wants(Section::Initiatives) {
            initiatives
                .into_iter()
                .try_for_each(|(n, r)| records.initiative(n, r))?;
        }
        if records.wants(Section::SelfChecks) {
            self_checks
                .into_iter()
                .try_for_each(|(n, r)| records.self_check(n, r))?;
        }
        if records.wants(Section::ReviewLog) {
            review_log
                .into_iter()
                .try_for_each(|(n, r)| records.review(n, r))?;
        }
        if records.wants(Section::GroupRounds) {
            group_rounds
                .into_iter()
                .try_for_each(|(n, r)| records.group_round(n, r))?;
        }
        Ok(())
    }
}

/// The first reading: the checker's, keeping each record it found sound.
pub(super) struct Keeping<'c> {
    pub(super) checker: &'c mut Checker,
    pub(super) kept: Kept,
}

impl Records for Keeping<'_> {
    fn wants(&self, section: Section) -> bool {
        self.checker.wants(section)
    }

    fn header(&mut self, field: &str, value: Value) -> Result<(), ExchangeError> {
        self.checker.header(field, value)
    }

    fn list_found(&mut self, section: Section) {
        self.checker.list_found(section)
    }

    fn initiative(&mut self, n: usize, record: BundleInitiative) -> Result<(), ExchangeError> {
        self.checker.check_initiative(n, &record)?;
        self.kept.initiatives.push((n, record));
        Ok(())
    }

    fn self_check(&mut self, n: usize, record: BundleCheck) -> Result<(), ExchangeError> {
        self.checker.check_self_check(n, &record)?;
        self.kept.self_checks.push((n, record));
        Ok(())
    }

    fn review(&mut self, n: usize, record: BundleReview) -> Result<(), ExchangeError> {
        self.checker.check_review(n, &record)?;
        self.kept.review_log.push((n, record));
        Ok(())
    }

    fn group_round(&mut self, n: usize, record: BundleRound) -> Result<(), ExchangeError> {
        self.checker.check_round(n, &record)?;
        self.kept.group_rounds.push((n, record));
        Ok(())
    }
}
