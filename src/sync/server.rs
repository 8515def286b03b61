//! The server's side of a sync: the connection, the shared schema and its versions, and
//! reading what is new there (the send is `sending`).

use postgres::{Client, NoTls};

use super::address::{self, Address, Verify};
use super::sifting::ServerRow;
use super::{Incoming, SyncError, Tombstone};
use crate::store::sync_state::{Checkpoint, SkippedRow};

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
    builder.build().map_err(|e| SyncError::connect(&e))
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
                incoming.tombstones.push(tombstone(&record)?);
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

/// A tombstone as the receive's query writes it (JSON with id, kind and purged_at).
fn tombstone(record: &str) -> Result<Tombstone, SyncError> {
    let t: serde_json::Value = serde_json::from_str(record)
        .map_err(|e| SyncError::Server(format!("a tombstone on the server cannot be read: {e}")))?;
    let text = |k: &str| t[k].as_str().unwrap_or_default().to_string();
    Ok(Tombstone {
        id: text("id"),
        kind: text("kind"),
        purged_at: text("purged_at"),
    })
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
