//! The server's side of a sync: the connection, the shared schema and its versions, sending
//! this machine's records (staged with COPY, then added where new) and reading what is new there.
use std::io::Write;

use postgres::{Client, NoTls};

use super::address::{self, Address, Verify};
use super::sifting::ServerRow;
use super::{Incoming, Sent, SyncError, Tombstone};
use crate::exchange::{Conflict, Outgoing};
use crate::store::sync_state::{Checkpoint, SkippedRow};
use crate::store::{Store, StoreError};

/// The shared schema's versions, oldest first; version N is `MIGRATIONS[N - 1]`.
/// Version 3 (`003_machine_roles.sql`) may run again on a schema that has it, so that it stands on
/// its own whichever versions come before it.
const MIGRATIONS: &[&str] = &[
    include_str!("schema/001_initial.sql"),
    include_str!("schema/002_erasures_only.sql"),
    include_str!("schema/003_machine_roles.sql"),
];
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// Syncs take turns: a lock for the length of a send (and of making the schema).
pub const TURN: i64 = 0x5769_6a6b_6b6f_6d70; // "Wijkkomp"

/// Connects with TLS when the URL asks for it (`sslmode=require`, `verify-ca`, `verify-full`;
/// `prefer` tries it), checking the server's certificate against the system's authorities and
/// the one `sslrootcert` (or `PGSSLROOTCERT`) names.
pub(super) fn connect(url: &str, password: Option<&str>) -> Result<Client, SyncError> {
    let Address {
        mut config,
        verify,
        root,
    } = address::read(url)?;
    if let (None, Some(p)) = (config.get_password(), password) {
        config.password(p);
    }
    // Named to the server, so that its administrator sees who is connected.
    config.application_name("wijkkompas");
    // A server that does not answer is said so, not waited for.
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(std::time::Duration::from_secs(15));
    }
    let connected = match config.get_ssl_mode() {
        postgres::config::SslMode::Disable => config.connect(NoTls),
        _ => config.connect(postgres_native_tls::MakeTlsConnector::new(tls_connector(
            verify,
            root.as_deref(),
        )?)),
    };
    connected.map_err(|e| match e.as_db_error() {
        // The driver's only sign of its TLS failures.
        None if e.to_string().contains("TLS handshake") => SyncError::Certificate(with_causes(&e)),
        _ => SyncError::from(e),
    })
}

/// Whether the server turned a connection away for now: all its connections are taken (the
/// last ones kept for superusers), or it is starting up or shutting down.
pub(super) fn is_busy(db: &postgres::error::DbError) -> bool {
    use postgres::error::SqlState;
    [
        SqlState::TOO_MANY_CONNECTIONS,
        SqlState::CANNOT_CONNECT_NOW,
        SqlState::ADMIN_SHUTDOWN,
        SqlState::CRASH_SHUTDOWN,
    ]
    .contains(db.code())
        || db
            .message()
            .contains("remaining connection slots are reserved")
}

/// An error with what caused it ("error performing TLS handshake: … certificate verify failed"):
/// the driver's own words leave the cause out. None of it holds the connection string.
pub(super) fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        cause = c.source();
    }
    text
}

/// TLS that trusts the system's certificate authorities, and also the one in `root` for a
/// municipality with an authority of its own; the server's name is checked unless `verify-ca`.
fn tls_connector(
    verify: Verify,
    root: Option<&std::path::Path>,
) -> Result<native_tls::TlsConnector, SyncError> {
    let mut builder = native_tls::TlsConnector::builder();
    if let Some(path) = root {
        let unusable = |e: &dyn std::fmt::Display| {
            SyncError::RootCertificate(format!("{}: {e}", path.display()))
        };
        let pem = std::fs::read(path).map_err(|e| unusable(&e))?;
        let authority = native_tls::Certificate::from_pem(&pem).map_err(|e| unusable(&e))?;
        builder.add_root_certificate(authority);
    }
    if verify == Verify::Authority {
        builder.danger_accept_invalid_hostnames(true);
    }
    builder
        .build()
        .map_err(|e| SyncError::Connect(e.to_string()))
}

/// Makes or updates the shared schema as far as this account may, or refuses a newer one;
/// returns the server's id.
pub(super) fn prepare_schema(client: &mut Client) -> Result<String, SyncError> {
    let found = version(client)?;
    if found > SCHEMA_VERSION {
        return Err(SyncError::TooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    // The schema's tables are PostGIS's types: without it the first table fails in words only
    // a database administrator reads, and only one may add it (checked before anything is made).
    if found == 0 {
        let postgis: bool = client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis')",
                &[],
            )?
            .get(0);
        if !postgis {
            return Err(SyncError::NoPostgis);
        }
    }
    if found < SCHEMA_VERSION {
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&TURN])?;
        // Another machine may have made it while this one waited.
        let found = version(&mut tx)?;
        if found < SCHEMA_VERSION {
            for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
                tx.batch_execute(sql).map_err(|e| match e.as_db_error() {
                    Some(db)
                        if found == 0
                            && db.code() == &postgres::error::SqlState::INSUFFICIENT_PRIVILEGE =>
                    {
                        SyncError::NoSchema
                    }
                    _ => SyncError::from(e),
                })?;
                let to = i as i32 + 1;
                if to == 1 {
                    tx.execute("INSERT INTO wijkkompas.about (schema_version, server_id) VALUES (1, gen_random_uuid())", &[])?;
                } else {
                    tx.execute("UPDATE wijkkompas.about SET schema_version = $1", &[&to])?;
                }
            }
        } else if found > SCHEMA_VERSION {
            return Err(SyncError::TooNew {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        tx.commit()?;
    }
    let id: String = client
        .query_one("SELECT server_id::text FROM wijkkompas.about", &[])?
        .get(0);
    Ok(id)
}

fn version(client: &mut impl postgres::GenericClient) -> Result<i32, SyncError> {
    let exists: bool = client
        .query_one("SELECT to_regclass('wijkkompas.about') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Ok(0);
    }
    Ok(client
        .query_opt("SELECT schema_version FROM wijkkompas.about", &[])?
        .map_or(0, |r| r.get(0)))
}

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
    tx: &mut postgres::Transaction<'_>,
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
            csv.write_record(&row)
                .map_err(|e| SyncError::Connect(with_causes(&e)))?;
        }
    }
    let mut writer = csv
        .into_inner()
        .map_err(|e| SyncError::Connect(with_causes(e.error())))?;
    writer
        .flush()
        .map_err(|e| SyncError::Connect(with_causes(&e)))?;
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
    let in_scope = |initiative: &str| -> Result<bool, StoreError> {
        Ok(match municipality {
            None => true,
            Some(code) => store.initiative_in_municipality(initiative, code)?,
        })
    };
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&TURN])?;
    tx.batch_execute(
        "CREATE TEMP TABLE staged_initiatives (id uuid, content_hash text, record jsonb, made_on uuid, name text, gm_code text, gm_name text,
                                               wk_code text, wk_name text, created_at timestamptz, lon float8, lat float8) ON COMMIT DROP;
         CREATE TEMP TABLE staged_checks (id uuid, initiative_id uuid, content_hash text, record jsonb, made_on uuid, created_at timestamptz,
                                          score_bonding float8, score_bridging float8, score_linking float8) ON COMMIT DROP;
         CREATE TEMP TABLE staged_reviews (id uuid, initiative_id uuid, content_hash text, record jsonb, made_on uuid, created_at timestamptz, to_status text) ON COMMIT DROP;
         CREATE TEMP TABLE staged_tombstones (id uuid, kind text, purged_at timestamptz) ON COMMIT DROP;",
    )?;
    let area = |a: &Option<crate::model::Area>| {
        (
            a.as_ref().map(|a| a.code.clone()).unwrap_or_default(),
            a.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
        )
    };
    copy_rows(
        &mut tx,
        "COPY staged_initiatives FROM STDIN (FORMAT csv)",
        out.initiatives.iter().map(|id| {
            if !in_scope(id)? {
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
    )?;
    copy_rows(
        &mut tx,
        "COPY staged_checks FROM STDIN (FORMAT csv)",
        out.checks.iter().map(|id| {
            let Some((c, s)) = records.check(id)? else {
                return Ok(None);
            };
            if !in_scope(&c.initiative_id)? {
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
    )?;
    copy_rows(
        &mut tx,
        "COPY staged_reviews FROM STDIN (FORMAT csv)",
        out.reviews.iter().map(|id| {
            let Some(r) = records.review(id)? else {
                return Ok(None);
            };
            if !in_scope(&r.initiative_id)? {
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
    )?;
    copy_rows(
        &mut tx,
        "COPY staged_tombstones FROM STDIN (FORMAT csv)",
        out.tombstones.iter().map(|id| {
            Ok(store
                .erasure(id)?
                .map(|(kind, purged_at)| vec![id.clone(), kind, purged_at]))
        }),
    )?;
    // What the planner should know: a few rows here against a large table there (without it, it
    // may read the whole table for each send).
    tx.batch_execute(
        "ANALYZE staged_initiatives, staged_checks, staged_reviews, staged_tombstones",
    )?;
    // The machines the records name, before the records that refer to them: this one, claimed
    // for this account (or refused, when another account sent as it first), and the others,
    // added when missing and named by no one but their own account.
    let mut machines = records.machines;
    let own_name = machines.remove(&here).unwrap_or_default();
    claim(&mut tx, &here, &own_name)?;
    let ids: Vec<String> = machines.keys().cloned().collect();
    let names: Vec<String> = machines.values().cloned().collect();
    tx.execute(
        "INSERT INTO wijkkompas.machines (id, name) SELECT * FROM unnest($1::text[]::uuid[], $2::text[])
         ON CONFLICT (id) DO NOTHING",
        &[&ids, &names],
    )?;

    // Held already: the same content is skipped, other content is a conflict.
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
    let me = &here;
    // Purged on some machine: never brought back. Not there yet: added (no other send runs while
    // this one holds its turn, so a plain insert of what is missing is safe, and faster than a
    // speculative ON CONFLICT per row).
    let not_gone = "NOT EXISTS (SELECT 1 FROM wijkkompas.tombstones g WHERE g.id = s.id)";
    let missing =
        |table: &str| format!("NOT EXISTS (SELECT 1 FROM wijkkompas.{table} t WHERE t.id = s.id)");
    sent.added += tx.execute(
        &format!(
            "INSERT INTO wijkkompas.initiatives (id, content_hash, record, made_on, sent_by, name, gm_code, gm_name, wk_code, wk_name, created_at, geom)
             SELECT s.id, s.content_hash, s.record, s.made_on, $1::text::uuid, s.name, nullif(s.gm_code, ''), nullif(s.gm_name, ''), nullif(s.wk_code, ''),
                    nullif(s.wk_name, ''), s.created_at, ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326)
             FROM staged_initiatives s WHERE {not_gone} AND {}",
            missing("initiatives")
        ),
        &[me],
    )? as u32;
    sent.added += tx.execute(
        &format!(
            "INSERT INTO wijkkompas.self_checks (id, initiative_id, content_hash, record, made_on, sent_by, created_at, score_bonding, score_bridging, score_linking)
             SELECT s.id, s.initiative_id, s.content_hash, s.record, s.made_on, $1::text::uuid, s.created_at, s.score_bonding, s.score_bridging, s.score_linking
             FROM staged_checks s WHERE {not_gone} AND {} AND EXISTS (SELECT 1 FROM wijkkompas.initiatives i WHERE i.id = s.initiative_id)",
            missing("self_checks")
        ),
        &[me],
    )? as u32;
    sent.added += tx.execute(
        &format!(
            "INSERT INTO wijkkompas.review_log (id, initiative_id, content_hash, record, made_on, sent_by, created_at, to_status)
             SELECT s.id, s.initiative_id, s.content_hash, s.record, s.made_on, $1::text::uuid, s.created_at, s.to_status
             FROM staged_reviews s WHERE {}",
            missing("review_log")
        ),
        &[me],
    )? as u32;
    // Erasures: kept, and the records they name removed; an initiative with every self-check of
    // it, also one another machine added since.
    sent.tombstones = tx.execute(
        &format!("INSERT INTO wijkkompas.tombstones (id, kind, purged_at, sent_by) SELECT s.id, s.kind, s.purged_at, $1::text::uuid FROM staged_tombstones s WHERE {}", missing("tombstones")),
        &[me],
    )? as u32;
    tx.batch_execute(
        "DELETE FROM wijkkompas.self_checks c USING staged_tombstones s WHERE s.kind = 'self_check' AND c.id = s.id;
         DELETE FROM wijkkompas.self_checks c USING staged_tombstones s WHERE s.kind = 'initiative' AND c.initiative_id = s.id;
         DELETE FROM wijkkompas.initiatives i USING staged_tombstones s WHERE s.kind = 'initiative' AND i.id = s.id;",
    )?;
    tx.commit()?;
    Ok(sent)
}

/// This machine's id on the server, for this database account: the first account that sends as
/// a machine keeps it (docs/postgis-schema.md), and only it names the machine.
fn claim(tx: &mut postgres::Transaction<'_>, here: &str, name: &str) -> Result<(), SyncError> {
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

/// At most `limit` rows numbered after `after` (of one municipality's initiatives when given), oldest
/// first, and the rows left out before (`again`), to be looked at anew.
pub(super) fn receive(
    client: &mut Client,
    after: i64,
    municipality: Option<&str>,
    again: &[SkippedRow],
    limit: i64,
) -> Result<Incoming, SyncError> {
    let mut incoming = Incoming::default();
    let mut tx = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    let ids = |table: &str| -> Vec<String> {
        again
            .iter()
            .filter(|s| s.kind == table)
            .map(|s| s.id.clone())
            .collect()
    };
    let (again_initiatives, again_checks, again_reviews) =
        (ids("initiatives"), ids("self_checks"), ids("review_log"));
    // A row left out before is asked for again by its id (the primary key: a few rows); one with
    // a number above `after` comes with the new ones anyway.
    let rows = tx.query(
        "SELECT kind, seq, id::text, record::text, made_on::text FROM (
             SELECT 'initiatives' AS kind, i.seq, i.id, i.record, i.made_on FROM wijkkompas.initiatives i
              WHERE (i.seq > $1 OR i.id = ANY($3::text[]::uuid[])) AND ($2::text IS NULL OR i.gm_code = $2)
             UNION ALL
             SELECT 'self_checks', c.seq, c.id, c.record, c.made_on FROM wijkkompas.self_checks c JOIN wijkkompas.initiatives i ON i.id = c.initiative_id
              WHERE (c.seq > $1 OR c.id = ANY($4::text[]::uuid[])) AND ($2::text IS NULL OR i.gm_code = $2)
             UNION ALL
             SELECT 'review_log', r.seq, r.id, r.record, r.made_on FROM wijkkompas.review_log r
              WHERE (r.seq > $1 OR r.id = ANY($5::text[]::uuid[])) AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM wijkkompas.initiatives i WHERE i.id = r.initiative_id AND i.gm_code = $2))
             UNION ALL
             SELECT 'tombstone', t.seq, t.id, jsonb_build_object('id', t.id, 'kind', t.kind, 'purged_at', to_char(t.purged_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')), NULL
              FROM wijkkompas.tombstones t WHERE t.seq > $1
         ) AS news ORDER BY seq LIMIT $6",
        &[&after, &municipality, &again_initiatives, &again_checks, &again_reviews, &limit],
    )?;
    let mut named = std::collections::BTreeSet::new();
    for row in rows {
        let seq: i64 = row.get(1);
        incoming.through = incoming.through.max(Some(seq));
        let record: String = row.get(3);
        let table = match row.get::<_, &str>(0) {
            "initiatives" => "initiatives",
            "self_checks" => "self_checks",
            "review_log" => "review_log",
            _ => {
                let t: serde_json::Value = serde_json::from_str(&record).map_err(|e| {
                    SyncError::Server(format!("a tombstone on the server cannot be read: {e}"))
                })?;
                let text = |k: &str| t[k].as_str().unwrap_or_default().to_string();
                incoming.tombstones.push(Tombstone {
                    id: text("id"),
                    kind: text("kind"),
                    purged_at: text("purged_at"),
                });
                continue;
            }
        };
        // The import wants every machine a record names in the list.
        named.insert(row.get::<_, String>(4));
        incoming.rows.push(ServerRow {
            table,
            seq,
            id: row.get(2),
            record,
        });
    }
    let named: Vec<String> = named.into_iter().collect();
    for row in tx.query(
        "SELECT id::text, name FROM wijkkompas.machines WHERE id = ANY($1::text[]::uuid[])",
        &[&named],
    )? {
        incoming.machines.insert(row.get(0), row.get(1));
    }
    tx.commit()?;
    Ok(incoming)
}

/// Every numbered row on the server: (seq, id, when it was taken in) of each record table and the
/// erasures.
const NUMBERED: &str = "SELECT seq, id, sent_at FROM wijkkompas.initiatives
     UNION ALL SELECT seq, id, sent_at FROM wijkkompas.self_checks
     UNION ALL SELECT seq, id, sent_at FROM wijkkompas.review_log
     UNION ALL SELECT seq, id, sent_at FROM wijkkompas.tombstones";

/// A time of the server as text that compares exactly (UTC, microseconds).
const SENT_AT: &str = "to_char(n.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";

/// The server's newest row (None when it holds nothing). Each table's `seq` is indexed, so this
/// reads four index entries, however large the server.
pub(super) fn newest(client: &mut Client) -> Result<Option<Checkpoint>, SyncError> {
    Ok(client
        .query_opt(
            &format!(
                "SELECT n.seq, n.id::text, {SENT_AT} FROM ({NUMBERED}) AS n ORDER BY n.seq DESC LIMIT 1"
            ),
            &[],
        )?
        .map(|r| Checkpoint {
            seq: r.get(0),
            id: r.get(1),
            sent_at: r.get(2),
        }))
}

/// Whether the server still holds a row it held: the same row, taken in at the same time, at its
/// number or a later one (an administrator who corrects a row gives it a new number), or an
/// erasure of it (an erased record is gone on purpose, not lost). A row that a machine sent again
/// after a restore is another row, taken in later: the server lost the first.
pub(super) fn still_holds(client: &mut Client, row: &Checkpoint) -> Result<bool, SyncError> {
    Ok(client
        .query_one(
            &format!(
                "SELECT EXISTS (SELECT 1 FROM ({NUMBERED}) AS n
                                 WHERE n.id = $2::text::uuid AND n.seq >= $1 AND {SENT_AT} = $3)
                     OR EXISTS (SELECT 1 FROM wijkkompas.tombstones WHERE id = $2::text::uuid)"
            ),
            &[&row.seq, &row.id, &row.sent_at],
        )?
        .get(0))
}

/// A record as the JSON the server keeps.
fn json<T: serde::Serialize>(record: &T) -> String {
    serde_json::to_string(record).expect("records serialize")
}
