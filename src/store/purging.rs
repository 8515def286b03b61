/*! The purge's SQL: marking old self-checks (which hides them everywhere through the
`visible_checks` view), removing marked ones after their grace period with a tombstone each, and
emptying an initiative whose last check is gone. The policy (which period, which dates) lives in
`safety::retention`; this module only carries out what it is told, inside the caller's
transaction. */
use rusqlite::{params, Connection, OptionalExtension};

use super::{aggregates, StoreError};

/// What one purge did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
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
    tx: &Connection,
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
        owners.extend(remove_check(tx, id, &Removal::retention(at))?);
    }
    for initiative in &owners {
        empty_if_no_check_left(tx, initiative, &Removal::retention(at))?;
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

/// Why a record goes: the tombstone's `cause` (migration 14).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cause {
    /// This machine's own policy: the tombstone never leaves it.
    Retention,
    /// On request: a sync carries the tombstone to the shared database and every machine.
    Erasure,
}

impl Cause {
    fn as_str(self) -> &'static str {
        match self {
            Cause::Retention => "retention",
            Cause::Erasure => "erasure",
        }
    }
}

/// Why a record goes, and when: written into its tombstone.
struct Removal<'a> {
    cause: Cause,
    /// The erasing person's reason; none for retention or an erasure from elsewhere.
    reason: Option<&'a str>,
    at: &'a str,
}

impl<'a> Removal<'a> {
    fn retention(at: &'a str) -> Self {
        Removal {
            cause: Cause::Retention,
            reason: None,
            at,
        }
    }

    fn erasure(at: &'a str, reason: Option<&'a str>) -> Self {
        Removal {
            cause: Cause::Erasure,
            reason,
            at,
        }
    }
}

fn tombstone(
    tx: &Connection,
    id: &str,
    kind: &str,
    removal: &Removal<'_>,
) -> Result<(), StoreError> {
    if removal.cause == Cause::Erasure {
        // Erased: never filled again from a record that comes back (migration 14).
        tx.execute("DELETE FROM emptied_elsewhere WHERE id = ?1", [id])?;
    }
    // An erasure outranks a retention tombstone already here: it must still travel.
    tx.execute(
        "INSERT INTO tombstones (id, kind, purged_at, cause, reason) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET cause = excluded.cause, reason = excluded.reason, purged_at = excluded.purged_at
         WHERE excluded.cause = 'erasure' AND tombstones.cause <> 'erasure'",
        params![id, kind, removal.at, removal.cause.as_str(), removal.reason],
    )?;
    Ok(())
}

/// Removes a self-check and everything of it, leaving a tombstone; returns its initiative (None
/// when it was not here).
fn remove_check(
    tx: &Connection,
    id: &str,
    removal: &Removal<'_>,
) -> Result<Option<String>, StoreError> {
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
    tombstone(tx, id, "self_check", removal)?;
    Ok(owner)
}

/// An initiative whose last self-check is gone keeps no personal details: its name,
/// description, contact, groups, exact point and wijk go, and so do its return codes. The row stays
/// (the append-only review log refers to it), hidden everywhere, with a tombstone.
fn empty_if_no_check_left(
    tx: &Connection,
    initiative: &str,
    removal: &Removal<'_>,
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
    if super::is_purged(tx, initiative)? {
        // Emptied before (by retention): nothing more goes, but an erasure must still say so.
        tombstone(tx, initiative, "initiative", removal)?;
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
    tombstone(tx, initiative, "initiative", removal)?;
    Ok(true)
}

/// Carries out erasures that came from elsewhere (a sync) as this machine's own erasure would:
/// see [`erase`]. One this machine holds a tombstone for already (its own erasure coming back, or
/// a record its retention removed) changes nothing and is not counted. Returns how many records
/// went.
pub(crate) fn apply_erasures(
    tx: &Connection,
    tombstones: &[crate::model::Tombstone],
) -> Result<u32, StoreError> {
    let mut removed = 0;
    for t in tombstones {
        if is_erased(tx, &t.id)? {
            continue;
        }
        let removal = Removal::erasure(&t.purged_at, None);
        removed += match t.kind.as_str() {
            "initiative" => erase_initiative(tx, &t.id, &removal)?,
            _ => erase_checks(tx, std::slice::from_ref(&t.id), &removal)?,
        };
    }
    Ok(removed)
}

fn is_erased(tx: &Connection, id: &str) -> Result<bool, StoreError> {
    Ok(tx
        .prepare_cached("SELECT 1 FROM tombstones WHERE id = ?1 AND cause = 'erasure'")?
        .exists([id])?)
}

/// What an erasure names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Erased {
    Initiative,
    SelfCheck,
    /// Neither is here (and no tombstone of it either).
    Unknown,
}

/// Erases a record on request: a self-check, or an initiative with every self-check of it. Unlike
/// a retention purge there is no grace period and the tombstones say `erasure`, so that a sync
/// carries them to the shared database and every other machine. Returns what `id` named and how
/// many records went.
pub(crate) fn erase(
    tx: &Connection,
    id: &str,
    reason: &str,
    at: &str,
) -> Result<(Erased, u32), StoreError> {
    let removal = Removal::erasure(at, Some(reason));
    if super::exists(tx, "self_checks", id)? {
        return Ok((
            Erased::SelfCheck,
            erase_checks(tx, &[id.to_string()], &removal)?,
        ));
    }
    if super::exists(tx, "initiatives", id)? {
        return Ok((Erased::Initiative, erase_initiative(tx, id, &removal)?));
    }
    Ok((Erased::Unknown, 0))
}

/// Removes an initiative's self-checks and then its details.
fn erase_initiative(tx: &Connection, id: &str, removal: &Removal<'_>) -> Result<u32, StoreError> {
    let checks: Vec<String> = {
        let mut stmt = tx.prepare("SELECT id FROM self_checks WHERE initiative_id = ?1")?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut removed = erase_checks(tx, &checks, removal)?;
    if empty_if_no_check_left(tx, id, removal)? {
        removed += 1;
    }
    super::facts::refresh(tx, &[id.to_string()])?;
    Ok(removed)
}

/// Removes self-checks, hidden first as the purge's mark does, so that the running sums let go
/// of them before they go.
fn erase_checks(tx: &Connection, ids: &[String], removal: &Removal<'_>) -> Result<u32, StoreError> {
    let mut owners = Vec::new();
    for id in ids {
        let owner: Option<String> = tx
            .query_row(
                "SELECT initiative_id FROM self_checks WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(owner) = owner {
            tx.execute(
                "INSERT OR IGNORE INTO purge_marks (check_id, marked_at) VALUES (?1, ?2)",
                params![id, removal.at],
            )?;
            owners.push(owner);
        }
    }
    aggregates::refresh(tx, &owners)?;
    let mut removed = 0;
    let mut changed = std::collections::BTreeSet::new();
    for id in ids {
        if let Some(owner) = remove_check(tx, id, removal)? {
            removed += 1;
            changed.insert(owner);
        }
    }
    super::facts::refresh(tx, &changed.into_iter().collect::<Vec<_>>())?;
    Ok(removed)
}
