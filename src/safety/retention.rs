/*! Retention: self-checks older than the chosen number of months are purged in two steps. First
they are marked, which hides them everywhere (lists, history, figures, exports) while a mistaken
setting can still be undone from a backup; after [`GRACE_DAYS`] they are removed, leaving only a
tombstone (id and date) so an old bundle cannot bring them back, and the older backups that still
hold them are replaced by one made after the removal. Every run is logged.

Retention is this machine's own policy: its tombstones never leave it, so a sync neither removes
the records on the shared database nor on any other machine (whose own retention decides there).
What must go everywhere is erased instead (`safety::erasure`). */
use serde::Serialize;
use thiserror::Error;
use ts_rs::TS;

use crate::store::purging::PurgeMoments;
use crate::store::{Store, StoreError};

/// Days between marking a self-check and removing it.
pub const GRACE_DAYS: i64 = 14;

#[derive(Debug, Error)]
pub enum RetentionError {
    #[error("the retention period is 1 to 120 months")]
    BadPeriod,
    #[error("{0} is too far from today to purge as of")]
    OutOfRange(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for RetentionError {
    fn from(e: rusqlite::Error) -> Self {
        RetentionError::Store(StoreError::Sqlite(e))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PurgeReport {
    /// Self-checks newly marked (hidden from now on).
    pub marked: u32,
    /// Self-checks removed after their grace period, each leaving a tombstone.
    pub removed: u32,
}

/// How long a retention period of `months` is. A month counts as 30.44 days: the boundary moves
/// by hours, never by a month.
pub fn period(months: u32) -> time::Duration {
    time::Duration::seconds((f64::from(months) * 30.44 * 86_400.0) as i64)
}

fn rfc3339(t: time::OffsetDateTime) -> Option<String> {
    t.format(&time::format_description::well_known::Rfc3339)
        .ok()
}

/// Runs the purge as of `now` for self-checks older than `months`.
pub fn purge(
    store: &mut Store,
    months: u32,
    now: time::OffsetDateTime,
) -> Result<PurgeReport, RetentionError> {
    let report = purge_in_transaction(store, months, now)?;
    if report.removed > 0 {
        // The store deletes securely (zeroed pages); the write-ahead log still holds the old
        // pages until it is folded into the file, and the older backups hold the records whole.
        store.checkpoint()?;
        store.replace_backups_after_removal()?;
    }
    Ok(report)
}

fn purge_in_transaction(
    store: &mut Store,
    months: u32,
    now: time::OffsetDateTime,
) -> Result<PurgeReport, RetentionError> {
    if !crate::content::limits::RETENTION_MONTHS.contains(&months) {
        return Err(RetentionError::BadPeriod);
    }
    // A time from outside (the CLI's --pretend-now) may be so far off that the arithmetic or the
    // RFC 3339 form fails: refused, never a panic.
    let out_of_range =
        || RetentionError::OutOfRange(rfc3339(now).unwrap_or_else(|| format!("{now}")));
    let back = |d: time::Duration| {
        now.checked_sub(d)
            .and_then(rfc3339)
            .ok_or_else(out_of_range)
    };
    let cutoff = back(period(months))?;
    let grace = back(time::Duration::days(GRACE_DAYS))?;
    let at = rfc3339(now).ok_or_else(out_of_range)?;
    let moments = PurgeMoments {
        cutoff: &cutoff,
        grace: &grace,
        at: &at,
    };
    let purged = store.in_transaction(|db| db.purge(&moments, months))?;
    Ok(PurgeReport {
        marked: purged.marked,
        removed: purged.removed,
    })
}

/// Runs the purge now if a retention period is set.
pub fn purge_if_set(store: &mut Store) -> Result<Option<PurgeReport>, RetentionError> {
    match crate::safety::settings::load(store)?.retention_months {
        Some(m) => purge(store, m, time::OffsetDateTime::now_utc()).map(Some),
        None => Ok(None),
    }
}
