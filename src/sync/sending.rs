/*! The send, in its stages: this machine's records that the server has not had from it are read
here one by one and streamed into COPYs of temporary tables (staging); then, in the same
transaction and under the sync's advisory lock, the machines they name are announced, what the
server holds already is counted as skipped or a conflict, what it lacks is added, and erasures
remove what they name. Only erasures travel, never retention (`store::purging`). */
use std::io::Write;

use postgres::{Client, Transaction};

use super::server::TURN;
use super::{Sent, SyncError};
use crate::exchange::{Conflict, Outgoing};
use crate::model::Area;
use crate::store::{Store, StoreError};

/// This machine's records that a server has not had from it (those logged after the server's
/// mark), by kind: only their ids, read one by one as they are sent.
pub(super) struct Outgoings {
    initiatives: Vec<String>,
    checks: Vec<String>,
    reviews: Vec<String>,
    tombstones: Vec<String>,
    /// The last log number read.
    pub through: i64,
}

impl Outgoings {
    fn is_empty(&self) -> bool {
        self.initiatives.is_empty()
            && self.checks.is_empty()
            && self.reviews.is_empty()
            && self.tombstones.is_empty()
    }
}

pub(super) fn outgoing(store: &Store, after: i64) -> Result<Outgoings, StoreError> {
    let mut result = Outgoings {
        initiatives: Vec::new(),
        checks: Vec::new(),
        reviews: Vec::new(),
        tombstones: Vec::new(),
        through: after,
    };
    for logged in store.logged_since(after)? {
        result.through = logged.seq;
        match logged.kind.as_str() {
            "initiative" => result.initiatives.push(logged.id),
            "self_check" => result.checks.push(logged.id),
            "review" => result.reviews.push(logged.id),
            "tombstone" => result.tombstones.push(logged.id),
            _ => {}
        }
    }
    Ok(result)
}

/// Writes rows as CSV into a COPY, as they are made: the server takes in one row while the next
/// is read here.
fn copy_rows(
    tx: &mut Transaction<'_>,
    copy: &str,
    rows: impl Iterator<Item = Result<Option<Vec<String>>, StoreError>>,
) -> Result<(), SyncError> {
    let writer = tx.copy_in(copy)?;
    let mut csv = csv::WriterBuilder::new()
        .has_headers(false)
        .buffer_capacity(1 << 16)
        .from_writer(writer);
    for row in rows {
        if let Some(row) = row? {
            csv.write_record(&row).map_err(|e| SyncError::connect(&e))?;
        }
    }
    let mut writer = csv
        .into_inner()
        .map_err(|e| SyncError::connect(e.error()))?;
    writer.flush().map_err(|e| SyncError::connect(&e))?;
    writer.finish()?;
    Ok(())
}

fn opt(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// Sends them in one transaction, taking its turn: what the server has not got is added, the
/// same content is skipped, other content is a conflict and stays as it is there. Only records
/// of `municipality`'s initiatives, when given.
pub(super) fn send(
    client: &mut Client,
    store: &Store,
    out: &Outgoings,
    municipality: Option<&str>,
) -> Result<Sent, SyncError> {
    let mut sent = Sent::default();
    if out.is_empty() {
        return Ok(sent);
    }
    let here = store.db().this_machine()?.id;
    // One read transaction for all the reading: one snapshot of this machine's records, and one
    // file lock instead of one per statement. It only reads: ending it changes nothing.
    let _snapshot = store.snapshot()?;
    let mut records = Outgoing::new(store.db())?;
    let scope = Scope {
        store,
        municipality,
    };
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&TURN])?;
    stage(&mut tx, &scope, &mut records, out)?;
    announce_machines(&mut tx, &here, std::mem::take(&mut records.machines))?;
    count_held(&mut tx, &mut sent)?;
    add_missing(&mut tx, &here, &mut sent)?;
    carry_erasures(&mut tx, &here, &mut sent)?;
    tx.commit()?;
    Ok(sent)
}

/// Which initiatives' records a send carries: all, or one municipality's.
struct Scope<'a> {
    store: &'a Store,
    municipality: Option<&'a str>,
}

impl Scope<'_> {
    fn holds(&self, initiative: &str) -> Result<bool, StoreError> {
        Ok(match self.municipality {
            None => true,
            Some(code) => self.store.initiative_in_municipality(initiative, code)?,
        })
    }
}

/// Streams the records into temporary tables that end with the transaction.
fn stage(
    tx: &mut Transaction<'_>,
    scope: &Scope<'_>,
    records: &mut Outgoing<'_>,
    out: &Outgoings,
) -> Result<(), SyncError> {
    tx.batch_execute(
        "CREATE TEMP TABLE staged_initiatives (id uuid, content_hash text, record jsonb, made_on uuid, name text, gm_code text, gm_name text,
                                               wk_code text, wk_name text, created_at timestamptz, lon float8, lat float8) ON COMMIT DROP;
         CREATE TEMP TABLE staged_checks (id uuid, initiative_id uuid, content_hash text, record jsonb, made_on uuid, created_at timestamptz,
                                          score_bonding float8, score_bridging float8, score_linking float8) ON COMMIT DROP;
         CREATE TEMP TABLE staged_reviews (id uuid, initiative_id uuid, content_hash text, record jsonb, made_on uuid, created_at timestamptz, to_status text) ON COMMIT DROP;
         CREATE TEMP TABLE staged_tombstones (id uuid, kind text, purged_at timestamptz) ON COMMIT DROP;",
    )?;
    stage_initiatives(tx, scope, records, &out.initiatives)?;
    stage_checks(tx, scope, records, &out.checks)?;
    stage_reviews(tx, scope, records, &out.reviews)?;
    copy_rows(
        tx,
        "COPY staged_tombstones FROM STDIN (FORMAT csv)",
        out.tombstones.iter().map(|id| {
            Ok(scope
                .store
                .erasure(id)?
                .map(|(kind, purged_at)| vec![id.clone(), kind, purged_at]))
        }),
    )?;
    // What the planner should know: a few rows here against a large table there (without it, it
    // may read the whole table for each send).
    tx.batch_execute(
        "ANALYZE staged_initiatives, staged_checks, staged_reviews, staged_tombstones",
    )?;
    Ok(())
}

fn stage_initiatives(
    tx: &mut Transaction<'_>,
    scope: &Scope<'_>,
    records: &mut Outgoing<'_>,
    ids: &[String],
) -> Result<(), SyncError> {
    let area = |a: &Option<Area>| {
        (
            a.as_ref().map(|a| a.code.clone()).unwrap_or_default(),
            a.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
        )
    };
    copy_rows(
        tx,
        "COPY staged_initiatives FROM STDIN (FORMAT csv)",
        ids.iter().map(|id| {
            if !scope.holds(id)? {
                return Ok(None);
            }
            Ok(records.initiative(id)?.map(|(r, i)| {
                let (gm_code, gm_name) = area(&i.municipality);
                let (wk_code, wk_name) = area(&i.wijk);
                vec![
                    r.id.clone(),
                    r.hash.clone().unwrap_or_default(),
                    json(&r),
                    r.made_on.clone().unwrap_or_default(),
                    r.name,
                    gm_code,
                    gm_name,
                    wk_code,
                    wk_name,
                    r.created_at,
                    r.lon.to_string(),
                    r.lat.to_string(),
                ]
            }))
        }),
    )
}

fn stage_checks(
    tx: &mut Transaction<'_>,
    scope: &Scope<'_>,
    records: &mut Outgoing<'_>,
    ids: &[String],
) -> Result<(), SyncError> {
    copy_rows(
        tx,
        "COPY staged_checks FROM STDIN (FORMAT csv)",
        ids.iter().map(|id| {
            let Some((c, s)) = records.check(id)? else {
                return Ok(None);
            };
            if !scope.holds(&c.initiative_id)? {
                return Ok(None);
            }
            let record = json(&c);
            Ok(Some(vec![
                c.id,
                c.initiative_id,
                c.hash.unwrap_or_default(),
                record,
                c.made_on.unwrap_or_default(),
                c.created_at,
                opt(s.bonding),
                opt(s.bridging),
                opt(s.linking),
            ]))
        }),
    )
}

fn stage_reviews(
    tx: &mut Transaction<'_>,
    scope: &Scope<'_>,
    records: &mut Outgoing<'_>,
    ids: &[String],
) -> Result<(), SyncError> {
    copy_rows(
        tx,
        "COPY staged_reviews FROM STDIN (FORMAT csv)",
        ids.iter().map(|id| {
            let Some(r) = records.review(id)? else {
                return Ok(None);
            };
            if !scope.holds(&r.initiative_id)? {
                return Ok(None);
            }
            let record = json(&r);
            Ok(Some(vec![
                r.id,
                r.initiative_id,
                r.hash.unwrap_or_default(),
                record,
                r.made_on.unwrap_or_default(),
                r.created_at,
                r.to,
            ]))
        }),
    )
}

/// The machines the records name, before the records that refer to them: this one, claimed for
/// this account (or refused, when another account sent as it first), and the others, added when
/// missing and named by no one but their own account.
fn announce_machines(
    tx: &mut Transaction<'_>,
    here: &str,
    mut machines: std::collections::BTreeMap<String, String>,
) -> Result<(), SyncError> {
    let own_name = machines.remove(here).unwrap_or_default();
    claim(tx, here, &own_name)?;
    let ids: Vec<String> = machines.keys().cloned().collect();
    let names: Vec<String> = machines.values().cloned().collect();
    tx.execute(
        "INSERT INTO wijkkompas.machines (id, name) SELECT * FROM unnest($1::text[]::uuid[], $2::text[])
         ON CONFLICT (id) DO NOTHING",
        &[&ids, &names],
    )?;
    Ok(())
}

/// Held already: the same content is skipped, other content is a conflict.
fn count_held(tx: &mut Transaction<'_>, sent: &mut Sent) -> Result<(), SyncError> {
    for (staged, table, what) in [
        ("staged_initiatives", "initiatives", "an initiative"),
        ("staged_checks", "self_checks", "a self-check"),
        ("staged_reviews", "review_log", "a review entry"),
    ] {
        let rows = tx.query(&format!("SELECT s.id::text, t.content_hash = s.content_hash FROM {staged} s JOIN wijkkompas.{table} t ON t.id = s.id"), &[])?;
        for row in rows {
            if row.get::<_, bool>(1) {
                sent.skipped += 1;
            } else {
                sent.conflicts.push(Conflict {
                    id: row.get(0),
                    reason: format!("{what} with this id is on the server with other content"),
                });
            }
        }
    }
    Ok(())
}

/// The condition that a staged record `s` is not in the server's `table` yet.
fn missing(table: &str) -> String {
    format!("NOT EXISTS (SELECT 1 FROM wijkkompas.{table} t WHERE t.id = s.id)")
}

/// Purged on some machine: never brought back. Not there yet: added (no other send runs while this
/// one holds its turn, so a plain insert of what is missing is safe, and faster than a speculative
/// ON CONFLICT per row).
fn add_missing(tx: &mut Transaction<'_>, me: &str, sent: &mut Sent) -> Result<(), SyncError> {
    let not_gone = "NOT EXISTS (SELECT 1 FROM wijkkompas.tombstones g WHERE g.id = s.id)";
    sent.added += tx.execute(
        &format!(
            "INSERT INTO wijkkompas.initiatives (id, content_hash, record, made_on, sent_by, name, gm_code, gm_name, wk_code, wk_name, created_at, geom)
             SELECT s.id, s.content_hash, s.record, s.made_on, $1::text::uuid, s.name, nullif(s.gm_code, ''), nullif(s.gm_name, ''), nullif(s.wk_code, ''),
                    nullif(s.wk_name, ''), s.created_at, ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326)
             FROM staged_initiatives s WHERE {not_gone} AND {}",
            missing("initiatives")
        ),
        &[&me],
    )? as u32;
    sent.added += tx.execute(
        &format!(
            "INSERT INTO wijkkompas.self_checks (id, initiative_id, content_hash, record, made_on, sent_by, created_at, score_bonding, score_bridging, score_linking)
             SELECT s.id, s.initiative_id, s.content_hash, s.record, s.made_on, $1::text::uuid, s.created_at, s.score_bonding, s.score_bridging, s.score_linking
             FROM staged_checks s WHERE {not_gone} AND {} AND EXISTS (SELECT 1 FROM wijkkompas.initiatives i WHERE i.id = s.initiative_id)",
            missing("self_checks")
        ),
        &[&me],
    )? as u32;
    sent.added += tx.execute(
        &format!(
            "INSERT INTO wijkkompas.review_log (id, initiative_id, content_hash, record, made_on, sent_by, created_at, to_status)
             SELECT s.id, s.initiative_id, s.content_hash, s.record, s.made_on, $1::text::uuid, s.created_at, s.to_status
             FROM staged_reviews s WHERE {}",
            missing("review_log")
        ),
        &[&me],
    )? as u32;
    Ok(())
}

/// Erasures: kept, and the records they name removed; an initiative with every self-check of it,
/// also one another machine added since.
fn carry_erasures(tx: &mut Transaction<'_>, me: &str, sent: &mut Sent) -> Result<(), SyncError> {
    sent.tombstones = tx.execute(
        &format!("INSERT INTO wijkkompas.tombstones (id, kind, purged_at, sent_by) SELECT s.id, s.kind, s.purged_at, $1::text::uuid FROM staged_tombstones s WHERE {}", missing("tombstones")),
        &[&me],
    )? as u32;
    tx.batch_execute(
        "DELETE FROM wijkkompas.self_checks c USING staged_tombstones s WHERE s.kind = 'self_check' AND c.id = s.id;
         DELETE FROM wijkkompas.self_checks c USING staged_tombstones s WHERE s.kind = 'initiative' AND c.initiative_id = s.id;
         DELETE FROM wijkkompas.initiatives i USING staged_tombstones s WHERE s.kind = 'initiative' AND i.id = s.id;",
    )?;
    Ok(())
}

/// A record as the JSON the server keeps.
fn json<T: serde::Serialize>(record: &T) -> String {
    serde_json::to_string(record).expect("records serialize")
}

/// This machine's id on the server, for this database account: the first account that sends as
/// a machine keeps it (docs/postgis-schema.md), and only it names the machine.
fn claim(tx: &mut Transaction<'_>, here: &str, name: &str) -> Result<(), SyncError> {
    let claimed = tx.query_opt(
        "INSERT INTO wijkkompas.machines AS m (id, name, role) VALUES ($1::text::uuid, $2, current_user)
         ON CONFLICT (id) DO UPDATE SET name = CASE WHEN EXCLUDED.name <> '' THEN EXCLUDED.name ELSE m.name END, role = current_user
         WHERE m.role IS NULL OR m.role = current_user RETURNING 1",
        &[&here, &name],
    )?;
    if claimed.is_none() {
        let role: String = tx
            .query_one(
                "SELECT role FROM wijkkompas.machines WHERE id = $1::text::uuid",
                &[&here],
            )?
            .get(0);
        return Err(SyncError::MachineTaken { role });
    }
    Ok(())
}
