/*! The numbered migrations and the data migrations made in Rust within the same transaction.

Schema changes only through the numbered files in `migrations/`, applied in one IMMEDIATE
transaction and recorded in `PRAGMA user_version`. A database from a newer app is refused before
anything is written to it (not even the WAL switch), so an older app never damages newer data. */
use std::path::Path;

use rusqlite::{params, Connection, TransactionBehavior};

use super::{aggregates, facts, utc_time, StoreError};

/// The migrations, in order; migration n brings the schema to version n.
pub(super) const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_initial.sql"),
    include_str!("migrations/002_indexes_and_settings.sql"),
    include_str!("migrations/003_review_log.sql"),
    include_str!("migrations/004_privacy.sql"),
    include_str!("migrations/005_running_aggregates.sql"),
    include_str!("migrations/006_application_id.sql"),
    include_str!("migrations/007_target_group_ids.sql"),
    include_str!("migrations/008_visible_checks.sql"),
    include_str!("migrations/009_wijken.sql"),
    include_str!("migrations/010_group_checks.sql"),
    include_str!("migrations/011_provenance.sql"),
    include_str!("migrations/012_initiative_facts.sql"),
    include_str!("migrations/013_sync_log.sql"),
    include_str!("migrations/014_erasure.sql"),
    include_str!("migrations/015_sync_skipped.sql"),
];

/// The first schema version with running aggregates; older databases get them computed once.
pub(super) const AGGREGATES_SINCE: i64 = 5;

/// The first schema version in which every stored time is UTC with `Z`.
pub(super) const UTC_TIMES_SINCE: i64 = 6;

/// The first schema version in which target groups are kept as ids.
pub(super) const TARGET_GROUP_IDS_SINCE: i64 = 7;

/// The first schema version in which initiatives know their wijk.
pub(super) const WIJKEN_SINCE: i64 = 9;

/// The first schema version that keeps each initiative's latest facts.
pub(super) const FACTS_SINCE: i64 = 12;

/// Gives every initiative stored before schema 9 its wijk, from its point (purged ones none).
pub(super) fn fill_wijken(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    let rows: Vec<(String, f64, f64)> = {
        let mut stmt = tx.prepare(
            "SELECT id, lat, lon FROM initiatives WHERE id NOT IN (SELECT id FROM tombstones)",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut update =
        tx.prepare("UPDATE initiatives SET wk_code = ?2, wk_name = ?3 WHERE id = ?1")?;
    for (id, lat, lon) in rows {
        if let Some(wijk) = crate::geo::geography()
            .locate(lat, lon)
            .ok()
            .and_then(|l| l.wijk)
        {
            update.execute(params![id, wijk.code, wijk.name])?;
        }
    }
    Ok(())
}

/// Turns the target groups stored before schema 7 (the label of the screen's language) into
/// ids, and any other text into the "other" group's text (`catalog::target_group_key`).
pub(super) fn normalise_target_groups(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    let rows: Vec<(String, String)> = {
        let mut stmt =
            tx.prepare("SELECT id, target_groups FROM initiatives WHERE target_groups <> '[]'")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut update = tx.prepare("UPDATE initiatives SET target_groups = ?2 WHERE id = ?1")?;
    for (id, stored) in rows {
        let groups: Vec<String> = serde_json::from_str(&stored).unwrap_or_default();
        let keys = crate::content::catalog::target_group_keys(&groups);
        update.execute([
            &id,
            &serde_json::to_string(&keys).expect("strings serialize"),
        ])?;
    }
    Ok(())
}

/// Brings the times stored before schema 6 (times from files were kept as written) into the
/// store's one form. Records are append-only, so their guards step aside for this one change.
/// Returns whether any time changed.
pub(super) fn normalise_stored_times(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<bool> {
    tx.execute_batch(
        "DROP TRIGGER self_checks_are_append_only; DROP TRIGGER review_log_is_append_only;",
    )?;
    let mut changed = false;
    for table in ["initiatives", "self_checks", "review_log"] {
        let rows: Vec<(String, String)> = {
            let mut stmt = tx.prepare(&format!("SELECT id, created_at FROM {table}"))?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut update =
            tx.prepare(&format!("UPDATE {table} SET created_at = ?2 WHERE id = ?1"))?;
        for (id, at) in rows {
            if let Some(utc) = utc_time(&at).filter(|utc| *utc != at) {
                update.execute([&id, &utc])?;
                changed = true;
            }
        }
    }
    tx.execute_batch(
        "CREATE TRIGGER self_checks_are_append_only BEFORE UPDATE ON self_checks
         BEGIN SELECT RAISE(ABORT, 'a self-check cannot be changed; save a new one'); END;
         CREATE TRIGGER review_log_is_append_only BEFORE UPDATE ON review_log
         BEGIN SELECT RAISE(ABORT, 'a review entry cannot be changed; add a new one'); END;",
    )?;
    Ok(changed)
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings a connection's schema up to [`SCHEMA_VERSION`], or refuses a newer one. A current
/// database is only read: commands that read never wait for a writer's lock.
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let found: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(StoreError::Migration)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(StoreError::Migration)?;
    // Read inside the write lock: another process may have migrated while we waited.
    let found: i64 = tx
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(StoreError::Migration)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(()); // nothing to do: opening a current database writes nothing
    }
    for sql in &MIGRATIONS[found as usize..] {
        tx.execute_batch(sql).map_err(StoreError::Migration)?;
    }
    let times_changed = found > 0
        && found < UTC_TIMES_SINCE
        && normalise_stored_times(&tx).map_err(StoreError::Migration)?;
    if found > 0 && found < TARGET_GROUP_IDS_SINCE {
        normalise_target_groups(&tx).map_err(StoreError::Migration)?;
    }
    let wijken_filled = found > 0 && found < WIJKEN_SINCE;
    if wijken_filled {
        fill_wijken(&tx).map_err(StoreError::Migration)?;
    }
    let as_migration = |e| match e {
        StoreError::Sqlite(e) => StoreError::Migration(e),
        other => other,
    };
    if (found > 0 && found < AGGREGATES_SINCE) || times_changed || wijken_filled {
        aggregates::rebuild(&tx).map_err(as_migration)?;
    }
    if found > 0 && found < FACTS_SINCE {
        facts::rebuild(&tx).map_err(as_migration)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(StoreError::Migration)?;
    tx.commit().map_err(StoreError::Migration)
}
