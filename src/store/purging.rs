/*! The purge's SQL: marking old self-checks (which hides them everywhere through the
`visible_checks` view), removing marked ones after their grace period with a tombstone each, and
emptying an initiative whose last check is gone. The policy (which period, which dates) lives in
`safety::retention`; this module only carries out what it is told, inside the caller's
transaction. */
use rusqlite::{params, OptionalExtension, Transaction};

use super::{aggregates, StoreError};

/// What one purge did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Purged {
    pub marked: u32,
    pub removed: u32,
}

/// The moments a purge works with, all RFC 3339 in UTC.
pub(crate) struct PurgeMoments<'a> {
    /// Checks made before this are marked; return codes made before it expire.
    pub cutoff: &'a str,
    /// Checks marked at or before this are removed.
    pub grace: &'a str,
    /// Now: written into the marks, the tombstones and the log.
    pub at: &'a str,
}

/// Marks, removes and logs in one go; `months` is only written to the purge log.
pub(crate) fn purge(
    tx: &Transaction<'_>,
    moments: &PurgeMoments<'_>,
    months: u32,
) -> Result<Purged, StoreError> {
    let PurgeMoments { cutoff, grace, at } = *moments;
    let marked = tx.execute(
        "INSERT INTO purge_marks (check_id, marked_at)
         SELECT id, ?2 FROM self_checks WHERE created_at < ?1 AND id NOT IN (SELECT check_id FROM purge_marks)",
        params![cutoff, at],
    )? as u32;
    // A marked check is hidden: where it was an initiative's latest, the one before takes over.
    let affected: Vec<String> = {
        let mut stmt = tx.prepare("SELECT initiative_id FROM latest_checks WHERE check_id IN (SELECT check_id FROM purge_marks)")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    aggregates::refresh(tx, &affected)?;
    // Every initiative with a marked check shows fewer checks now, its latest or not.
    let mut changed: std::collections::BTreeSet<String> = {
        let mut stmt = tx.prepare("SELECT DISTINCT initiative_id FROM self_checks WHERE id IN (SELECT check_id FROM purge_marks)")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    let due: Vec<String> = {
        let mut stmt = tx.prepare("SELECT check_id FROM purge_marks WHERE marked_at <= ?1")?;
        let rows = stmt.query_map([grace], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut owners = std::collections::BTreeSet::new();
    for id in &due {
        owners.extend(remove_check(tx, id, at)?);
    }
    for initiative in &owners {
        empty_if_no_check_left(tx, initiative, at)?;
    }
    changed.extend(owners);
    super::facts::refresh(tx, &changed.into_iter().collect::<Vec<_>>())?;
    // A group round left open past the retention period goes too, answers and all.
    tx.execute("DELETE FROM session_members WHERE session_id IN (SELECT id FROM sessions WHERE created_at < ?1)", [cutoff])?;
    tx.execute("DELETE FROM sessions WHERE created_at < ?1", [cutoff])?;
    // Return codes expire with the retention period.
    tx.execute("DELETE FROM return_codes WHERE created_at < ?1", [cutoff])?;
    let removed = due.len() as u32;
    tx.execute(
        "INSERT INTO purge_log (at, months, marked, removed) VALUES (?1, ?2, ?3, ?4)",
        params![at, months, marked, removed],
    )?;
    Ok(Purged { marked, removed })
}

/// Removes a self-check and everything of it, leaving a tombstone; returns its initiative (None
/// when it was not here).
fn remove_check(tx: &Transaction<'_>, id: &str, at: &str) -> Result<Option<String>, StoreError> {
    let owner: Option<String> = tx
        .query_row(
            "SELECT initiative_id FROM self_checks WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    if owner.is_some() {
        tx.execute("DELETE FROM return_codes WHERE check_id = ?1", [id])?;
        super::conversation::delete_of_check(tx, id)?;
        tx.execute("DELETE FROM answers WHERE check_id = ?1", [id])?;
        tx.execute("DELETE FROM respondents WHERE check_id = ?1", [id])?;
        tx.execute("DELETE FROM purge_marks WHERE check_id = ?1", [id])?;
        tx.execute("DELETE FROM self_checks WHERE id = ?1", [id])?;
    }
    tx.execute(
        "INSERT OR IGNORE INTO tombstones (id, kind, purged_at) VALUES (?1, 'self_check', ?2)",
        params![id, at],
    )?;
    Ok(owner)
}

/// An initiative whose last self-check is gone keeps no personal details: its name,
/// description, contact, groups, exact point and wijk go, and so do its return codes. The row stays
/// (the append-only review log refers to it), hidden everywhere, with a tombstone.
fn empty_if_no_check_left(
    tx: &Transaction<'_>,
    initiative: &str,
    at: &str,
) -> Result<bool, StoreError> {
    let left: i64 = tx.query_row(
        "SELECT count(*) FROM self_checks WHERE initiative_id = ?1",
        [initiative],
        |r| r.get(0),
    )?;
    let here: i64 = tx.query_row(
        "SELECT count(*) FROM initiatives WHERE id = ?1",
        [initiative],
        |r| r.get(0),
    )?;
    if left > 0 || here == 0 {
        return Ok(false);
    }
    tx.execute(
        "UPDATE initiatives SET name = '–', description = NULL, contact = NULL, target_groups = '[]',
                lat = round(lat, 2), lon = round(lon, 2), wk_code = NULL, wk_name = NULL WHERE id = ?1",
        [initiative],
    )?;
    tx.execute(
        "DELETE FROM return_codes WHERE initiative_id = ?1",
        [initiative],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO tombstones (id, kind, purged_at) VALUES (?1, 'initiative', ?2)",
        params![initiative, at],
    )?;
    Ok(true)
}

/// Carries out tombstones that came from elsewhere (a sync), as this machine's own purge would
/// have: a self-check removed, an initiative emptied once none of its self-checks is left here.
/// Returns how many records went.
pub(crate) fn apply_tombstones(
    tx: &Transaction<'_>,
    tombstones: &[crate::sync::Tombstone],
) -> Result<u32, StoreError> {
    let mut removed = 0;
    let mut changed = std::collections::BTreeSet::new();
    // Hidden first, as the purge's mark does, so that the sums let go of them before they go.
    let mut owners = Vec::new();
    for t in tombstones.iter().filter(|t| t.kind == "self_check") {
        let owner: Option<String> = tx
            .query_row(
                "SELECT initiative_id FROM self_checks WHERE id = ?1",
                [&t.id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(owner) = owner {
            tx.execute(
                "INSERT OR IGNORE INTO purge_marks (check_id, marked_at) VALUES (?1, ?2)",
                params![t.id, t.purged_at],
            )?;
            owners.push(owner);
        }
    }
    aggregates::refresh(tx, &owners)?;
    for t in tombstones.iter().filter(|t| t.kind == "self_check") {
        if let Some(owner) = remove_check(tx, &t.id, &t.purged_at)? {
            removed += 1;
            changed.insert(owner);
        }
    }
    for t in tombstones.iter().filter(|t| t.kind == "initiative") {
        if empty_if_no_check_left(tx, &t.id, &t.purged_at)? {
            removed += 1;
        }
        changed.insert(t.id.clone());
    }
    let changed: Vec<String> = changed.into_iter().collect();
    super::facts::refresh(tx, &changed)?;
    Ok(removed)
}
