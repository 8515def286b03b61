/*! Sync with a shared PostgreSQL/PostGIS database, for a municipality that outgrows one laptop.

The machine stays offline-first on its own SQLite file; a sync sends the records it has that the
server has not had from it (made here or imported), then receives the others', with the rules of
bundle import: same id and same content is skipped, same id and other content is a conflict
(reported, nothing overwritten), review logs only grow, tombstones delete. Each direction is one
transaction (the server's, then this machine's), so an interrupted sync leaves each side as it
was or done, and running it again finishes the job.

On the server every record is kept as a bundle carries it (`record`, with its content hash), so
that what a machine receives is a bundle in all but name and goes through the same import
(`exchange`). Syncs take turns on the server (an advisory lock for the length of a send), so the
server's one numbering follows the order they committed in, and a machine asks only for what came
after the last number it received. The schema is `docs/postgis-schema.md`. */
mod address;
mod sending;
mod server;
mod sifting;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::Serialize;
use thiserror::Error;
use ts_rs::TS;

use crate::exchange::{self, Bundle, ExchangeError, ImportSummary};
use crate::model::Tombstone;
use crate::store::provenance::Machine;
use crate::store::Db;
use crate::store::{Store, StoreError};

pub use server::SCHEMA_VERSION;
/// The advisory lock a send holds on the server (`pg_advisory_xact_lock`), so that syncs take turns.
pub use server::TURN as TURN_LOCK;
pub use sifting::Skipped;

#[derive(Debug, Error)]
pub enum SyncError {
    /// The connection string cannot be read. Never repeats it: it may hold a password.
    #[error("the PostgreSQL connection string cannot be read (postgres://user@host:port/database?sslmode=require)")]
    Url,
    /// `io` is the kind of the operating system's error underneath, when there is one: it is
    /// worded for the person (connection refused, timed out, …) instead of the system's English.
    #[error("cannot reach the PostgreSQL server: {detail}")]
    Connect {
        detail: String,
        io: Option<std::io::ErrorKind>,
    },
    #[error("the PostgreSQL server refused: {0}")]
    Server(String),
    /// Too many connections, starting up or shutting down, for as long as a sync waits.
    #[error("the PostgreSQL server stayed too busy to sync with: {0}")]
    Busy(String),
    #[error("the shared database has schema version {found}; this Wijkkompas knows up to {supported}: update Wijkkompas before syncing")]
    TooNew { found: i32, supported: i32 },
    #[error("the shared database has no Wijkkompas schema yet, and this account may not make one: the schema's owner syncs first (docs/postgis-schema.md)")]
    NoSchema,
    /// The TLS handshake failed: most often a certificate no trusted authority signed, or one
    /// for another name.
    #[error("the PostgreSQL server's certificate was not accepted: {0}")]
    Certificate(String),
    /// The authority named by `sslrootcert` or `PGSSLROOTCERT` cannot be read.
    #[error("the certificate authority to trust cannot be read: {0}")]
    RootCertificate(String),
    /// Another database account sent as this machine first.
    #[error("this machine's id belongs to another account on the shared database ({role}); nothing was sent")]
    MachineTaken { role: String },
    #[error("the shared database has no PostGIS: a database administrator (a superuser) runs `CREATE EXTENSION postgis;` in it once (docs/postgis-schema.md)")]
    NoPostgis,
    #[error(transparent)]
    Place(#[from] crate::geo::GeoError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Exchange(#[from] ExchangeError),
}

impl From<postgres::Error> for SyncError {
    fn from(e: postgres::Error) -> Self {
        // The server's own words (permission denied, …); a closed connection says so.
        match e.as_db_error() {
            Some(db) if server::is_busy(db) => SyncError::Busy(db.message().to_string()),
            Some(db) => SyncError::Server(db.message().to_string()),
            None => SyncError::connect(&e),
        }
    }
}

impl SyncError {
    /// A lost or refused connection, with the operating system's error kind when one lies
    /// anywhere in the chain of causes.
    pub(crate) fn connect(e: &(dyn std::error::Error + 'static)) -> SyncError {
        let mut io = None;
        let mut cause = Some(e);
        while let Some(c) = cause {
            if let Some(found) = c.downcast_ref::<std::io::Error>() {
                io = Some(found.kind());
                break;
            }
            cause = c.source();
        }
        SyncError::Connect {
            detail: server::with_causes(e),
            io,
        }
    }
}

/// What a sync sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Sent {
    /// Records the server did not have.
    pub added: u32,
    /// Records it had with the same content.
    pub skipped: u32,
    /// Records it had with other content: left as they were there.
    pub conflicts: Vec<exchange::Conflict>,
    /// Erasures the server took in (it removed those records). Retention is never sent.
    pub tombstones: u32,
}

/// What a sync did, both ways.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SyncSummary {
    /// The server's id (docs/postgis-schema.md: `wijkkompas.about`).
    pub server: String,
    pub sent: Sent,
    /// What came in, by the rules of bundle import.
    pub received: ImportSummary,
    /// Records removed here because they were erased elsewhere.
    pub removed: u32,
    /// The server had gone back in time (restored from an older backup): this machine sent all
    /// it holds and received all there is, so that neither side misses anything.
    pub healed: bool,
    /// Rows of the server that were not taken in because each breaks a rule of import: listed
    /// on every sync until they are corrected there.
    pub skipped: Vec<Skipped>,
}

/// A connection string's parts that may be shown: never the password.
pub fn describe(url: &str) -> Result<String, SyncError> {
    let config = address::read(url)?.config;
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            postgres::config::Host::Tcp(name) => name.clone(),
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    // No slash: it is also the name the received records give as the "file" they came from.
    Ok(format!(
        "postgres:{}@{host}",
        config.get_dbname().unwrap_or("")
    ))
}

/// How a sync runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct SyncOptions<'a> {
    /// Only this municipality's initiatives (CBS code), both ways.
    pub municipality: Option<&'a str>,
    /// Used when the URL holds none (it is asked for, never stored).
    pub password: Option<&'a str>,
    /// Send only, receive nothing: a community centre's machine that should hold no one else's data.
    pub send_only: bool,
}

/// Syncs with the database at `url`.
pub fn sync(
    store: &mut Store,
    url: &str,
    options: SyncOptions<'_>,
) -> Result<SyncSummary, SyncError> {
    // The PostgreSQL client blocks on a runtime of its own, which cannot start on a thread that
    // already runs one (the app's commands do): so it always runs on a thread of its own.
    std::thread::scope(
        |scope| match scope.spawn(|| sync_patiently(store, url, options)).join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        },
    )
}

/// How long a sync waits for a busy server in all, and the longest one wait.
const PATIENCE: Duration = Duration::from_secs(60);
const LONGEST_WAIT: Duration = Duration::from_secs(4);

/// A server that is busy (all connections taken, starting up, shutting down) is tried again,
/// after 0.25 s and then twice as long each time, with a random spread so that machines turned
/// away together do not come back together. Starting over is safe: each direction happened whole
/// or not at all, and what did happen is not done twice.
fn sync_patiently(
    store: &mut Store,
    url: &str,
    options: SyncOptions<'_>,
) -> Result<SyncSummary, SyncError> {
    let started = Instant::now();
    let mut wait = Duration::from_millis(250);
    loop {
        match sync_here(store, url, options) {
            Err(SyncError::Busy(detail)) => {
                // Between half and one and a half times the wait.
                let spread = (uuid::Uuid::new_v4().as_u128() % 1000) as f64 / 1000.0 + 0.5;
                let this = wait.mul_f64(spread);
                if started.elapsed() + this > PATIENCE {
                    return Err(SyncError::Busy(detail));
                }
                std::thread::sleep(this);
                wait = (wait * 2).min(LONGEST_WAIT);
            }
            done => return done,
        }
    }
}

fn sync_here(
    store: &mut Store,
    url: &str,
    options: SyncOptions<'_>,
) -> Result<SyncSummary, SyncError> {
    let SyncOptions {
        municipality,
        password,
        send_only,
    } = options;
    if let Some(code) = municipality {
        crate::geo::geography().known_municipality(code)?;
    }
    let mut client = server::connect(url, password)?;
    let server_id = server::prepare_schema(&mut client)?;
    let healed = heal_if_back_in_time(store, &mut client, &server_id)?;
    // A scope of its own per municipality: what a limited sync passed over is not lost to a whole one.
    let key = format!("{server_id}/{}", municipality.unwrap_or("*"));
    let (sent_through, received_through) = store.sync_marks(&key)?;

    let outgoing = sending::outgoing(store, sent_through)?;
    let sent = sending::send(&mut client, store, &outgoing, municipality)?;
    store.mark_sent(&key, outgoing.through)?;
    let mut summary = SyncSummary {
        server: server_id.clone(),
        sent,
        healed,
        ..SyncSummary::default()
    };
    if !send_only {
        let mut page = Page {
            key: &key,
            source: describe(url)?,
            municipality,
            after: received_through,
            again: store.sync_skipped(&key)?,
            sent_mark: outgoing.through,
        };
        while receive_page(store, &mut client, &mut page, &mut summary)? {}
    }
    store.set_sync_checkpoint(&server_id, server::newest(&mut client)?.as_ref())?;
    Ok(summary)
}

/// How many of the server's rows one step of a receive takes in: what a receive holds in memory
/// at once, whatever the server holds (a fresh machine may receive millions).
const RECEIVE_PAGE: i64 = 5_000;

/// Where a receive stands between its pages.
struct Page<'a> {
    key: &'a str,
    /// The "file" received records came in (the server, without a password).
    source: String,
    municipality: Option<&'a str>,
    /// The last server number taken in.
    after: i64,
    /// Rows left out by earlier syncs, asked for again with the first page.
    again: Vec<crate::store::sync_state::SkippedRow>,
    /// This machine's sent mark, which a page moves past what came in.
    sent_mark: i64,
}

/// Takes in the next page of the server's rows, each page in one transaction of its own with
/// the marks that pass it, so that a receive cut off between pages goes on from there. True
/// while there may be more.
fn receive_page(
    store: &mut Store,
    client: &mut postgres::Client,
    page: &mut Page<'_>,
    summary: &mut SyncSummary,
) -> Result<bool, SyncError> {
    let again = std::mem::take(&mut page.again);
    let incoming = server::receive(client, page.after, page.municipality, &again, RECEIVE_PAGE)?;
    let Some(through) = incoming.through else {
        return Ok(false);
    };
    let full = incoming.rows.len() + incoming.tombstones.len() >= RECEIVE_PAGE as usize;
    take_in(store, incoming, through, page, summary)?;
    Ok(full)
}

/// The local half of a page: the rows sifted, what may come in imported in one transaction with
/// the marks up to `through`, the erasures carried out.
fn take_in(
    store: &mut Store,
    incoming: Incoming,
    through: i64,
    page: &mut Page<'_>,
    summary: &mut SyncSummary,
) -> Result<(), SyncError> {
    let mut sifted = sifting::sift(store, &incoming.rows)?;
    let skipped = sifted.kept_skipped();
    let key = page.key;
    if !sifted.is_empty() {
        let here = store.db().this_machine()?;
        let bundle = received_bundle(&mut sifted, incoming.machines, &here, page.municipality);
        let bytes = serde_json::to_vec(&bundle).expect("bundles serialize");
        // Noted in the import's own transaction: what came in need not go back, but a record
        // saved here meanwhile (by another program on this database) must still go. The rows
        // left out are noted with it, as the received mark passes them.
        let sent_mark = page.sent_mark;
        let mut noted = |db: Db<'_>, logged_before: i64| {
            db.note_received_after(key, Some(through), sent_mark, logged_before)?;
            db.note_skipped(key, &skipped)
        };
        let received = exchange::import_received(store, &bytes, &page.source, &mut noted)?;
        summary.received.added += received.added;
        summary.received.skipped += received.skipped;
        summary.received.conflicts.extend(received.conflicts);
    }
    summary.removed += store.apply_erasures(&incoming.tombstones)?;
    store.mark_received_skipping(key, Some(through), &skipped)?;
    summary.skipped.extend(sifted.skipped);
    summary.received.conflicts.extend(sifted.not_ours);
    page.after = through;
    page.sent_mark = store.sync_marks(key)?.0;
    Ok(())
}

/// A receive's local half without a server, for the fuzz target (`fuzz/fuzz_targets/
/// sync_receive.rs`): rows as the server keeps them (table, number, id, the record as JSON text,
/// the machine it was made on) taken in as one page. Whatever they hold, a row that breaks a rule
/// is left out and named; only the store itself can make it fail.
#[doc(hidden)]
pub fn take_in_server_rows(
    store: &mut Store,
    rows: Vec<(String, i64, String, String, String)>,
) -> Result<SyncSummary, SyncError> {
    let mut incoming = Incoming::default();
    for (table, seq, id, record, made_on) in rows {
        let table = match table.as_str() {
            "initiatives" => "initiatives",
            "self_checks" => "self_checks",
            _ => "review_log",
        };
        incoming.machines.insert(made_on, String::new());
        incoming.rows.push(sifting::ServerRow {
            table,
            seq,
            id,
            record,
        });
    }
    let Some(through) = incoming.rows.iter().map(|r| r.seq).max() else {
        return Ok(SyncSummary::default());
    };
    let mut summary = SyncSummary::default();
    let mut page = Page {
        key: "fuzz/*",
        source: "fuzz".into(),
        municipality: None,
        after: 0,
        again: Vec::new(),
        sent_mark: 0,
    };
    take_in(store, incoming, through, &mut page, &mut summary)?;
    Ok(summary)
}

/// A server that went back in time (restored from an older backup, or made anew with the same
/// id) no longer holds the newest record it held at this machine's last sync. Records sent since
/// that backup are then missing there, and records numbered anew since may be missed here: this
/// machine forgets its marks, so that this sync sends all it holds and receives all there is.
/// True when it did.
fn heal_if_back_in_time(
    store: &mut Store,
    client: &mut postgres::Client,
    server_id: &str,
) -> Result<bool, SyncError> {
    let Some(row) = store.sync_checkpoint(server_id)? else {
        return Ok(false);
    };
    if server::still_holds(client, &row)? {
        return Ok(false);
    }
    store.forget_sync_marks(server_id)?;
    Ok(true)
}

/// What a sync takes in, as a bundle, so that it goes through the bundle import.
fn received_bundle(
    sifted: &mut sifting::Sifted,
    machines: BTreeMap<String, String>,
    here: &Machine,
    municipality: Option<&str>,
) -> Bundle {
    Bundle {
        format: exchange::FORMAT.into(),
        version: exchange::VERSION,
        exported_at: crate::store::now_rfc3339(),
        municipality: municipality.map(str::to_string),
        machine: None,
        // This machine by its own name: the server's word never renames it.
        machines: sifting::machine_names(machines)
            .into_iter()
            .map(|(id, name)| match id == here.id {
                true => here.clone(),
                false => Machine { id, name },
            })
            .collect(),
        initiatives: std::mem::take(&mut sifted.initiatives),
        self_checks: std::mem::take(&mut sifted.self_checks),
        review_log: std::mem::take(&mut sifted.review_log),
        group_rounds: Vec::new(),
    }
}

/// What the server had that came after a machine's last number, and the rows left out before.
#[derive(Default)]
struct Incoming {
    machines: BTreeMap<String, String>,
    /// Initiatives, self-checks and review entries, not yet read.
    rows: Vec<sifting::ServerRow>,
    tombstones: Vec<Tombstone>,
    /// The last number received, if any.
    through: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::problem::Explain;
    use crate::model::Lang;

    #[test]
    fn a_server_too_busy_for_a_minute_is_said_so_and_that_nothing_was_lost() {
        let p = SyncError::Busy("sorry, too many clients already".into()).problem();
        let nl = p.words(Lang::Nl);
        assert!(
            nl.contains("te druk") && nl.contains("niets verloren"),
            "{nl}"
        );
        let en = p.words(Lang::En);
        assert!(
            en.contains("too busy") && en.contains("Nothing was lost"),
            "{en}"
        );
    }
}
