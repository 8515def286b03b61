//! Sync at a municipality's scale: N self-checks from M community-centre machines sent into an
//! empty shared database, one machine after another, against PostgreSQL's own COPY of the same
//! rows into the same tables in the same run; then a sync with nothing new. One timed run each
//! (minutes, not milliseconds: criterion's samples would take an hour). Last, a fresh machine
//! receives everything, its peak memory measured.
//!
//! Needs the server that tests/pg/with-postgres.sh starts (`make bench` does). Sizes:
//! SYNC_BENCH_CHECKS (default 1,000,000) and SYNC_BENCH_MACHINES (default 500).
mod support;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use postgres::{Client, NoTls};
use wijkkompas::exchange::{self, Bundle};
use wijkkompas::store::provenance::Machine;
use wijkkompas::store::Store;
use wijkkompas::sync::{sync, SyncOptions};

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// The same server and account, another database (the query, sslmode=…, kept).
fn with_db(url: &str, db: &str) -> String {
    let (address, query) = url.split_once('?').unwrap_or((url, ""));
    let (base, _) = address.rsplit_once('/').expect("a database URL");
    format!(
        "{base}/{db}{}",
        if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        }
    )
}

/// A fresh database on the server, from its `wijkkompas` template (PostGIS in place).
fn fresh_database(admin: &str, name: &str) -> String {
    let mut c = Client::connect(&with_db(admin, "postgres"), NoTls).unwrap();
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE wijkkompas"))
        .unwrap();
    with_db(admin, name)
}

/// One community centre's bundle: `checks` self-checks over one initiative per two checks, at
/// `places`, made on machine `m` (ids of its own).
fn centre_bundle(
    m: usize,
    places: &[(f64, f64)],
    checks: usize,
    seq: &mut support::Sequence,
) -> Bundle {
    let machine = Machine {
        id: format!("{m:08x}-0000-4000-8000-00000000beef"),
        name: format!("Buurthuis {m}"),
    };
    support::bundle_of(
        places,
        checks,
        |kind, n| format!("{kind:04x}{m:04x}-0000-4000-8000-{n:012}"),
        machine,
        seq,
    )
}

/// The table's rows as PostgreSQL's own COPY writes them (text format).
fn copy_out(c: &mut Client, table: &str, columns: &str) -> Vec<u8> {
    let mut out = Vec::new();
    c.copy_out(&format!("COPY wijkkompas.{table} ({columns}) TO STDOUT"))
        .unwrap()
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn copy_in(c: &mut postgres::Transaction<'_>, table: &str, columns: &str, rows: &[u8]) {
    let mut w = c
        .copy_in(&format!("COPY wijkkompas.{table} ({columns}) FROM STDIN"))
        .unwrap();
    w.write_all(rows).unwrap();
    w.finish().unwrap();
}

fn main() {
    // `cargo bench` passes criterion's arguments to every bench; this one runs only when asked
    // for by name or by none.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if !filter.is_empty()
        && !filter
            .iter()
            .any(|f| "sync".contains(f.as_str()) || f.contains("sync"))
    {
        return;
    }
    let admin = std::env::var("WIJKKOMPAS_TEST_PG").expect(
        "the sync benchmark needs the server of tests/pg/with-postgres.sh (make bench starts it)",
    );
    let checks = env_number("SYNC_BENCH_CHECKS", 1_000_000);
    let machines = env_number("SYNC_BENCH_MACHINES", 500);
    let per_machine = checks / machines;
    let initiatives_per_machine = per_machine.div_ceil(2);

    // Set-up, not timed: each machine's own database, holding its records (imported from its bundle).
    let dir = tempfile::tempdir().unwrap();
    let places = support::points_in_the_netherlands(initiatives_per_machine * machines, 7);
    let mut seq = support::Sequence::new(11);
    let set_up = Instant::now();
    let paths: Vec<_> = (0..machines)
        .map(|m| {
            let path = dir.path().join(format!("centre-{m}.db"));
            let mut store = Store::open(&path).unwrap();
            let bundle = centre_bundle(
                m,
                &places[m * initiatives_per_machine..(m + 1) * initiatives_per_machine],
                per_machine,
                &mut seq,
            );
            exchange::import_bundle(
                &mut store,
                &serde_json::to_string(&bundle).unwrap(),
                &mut |_, _| {},
            )
            .unwrap();
            path
        })
        .collect();
    eprintln!(
        "set-up: {machines} machines, {} checks, in {:.0?}",
        per_machine * machines,
        set_up.elapsed()
    );

    // Timed: every machine sends its records to the empty shared database, one after another.
    let shared = fresh_database(&admin, "bench_sync");
    let started = Instant::now();
    let mut added = 0;
    for path in &paths {
        let mut store = Store::open(path).unwrap();
        added += sync(
            &mut store,
            &shared,
            SyncOptions {
                send_only: true,
                ..Default::default()
            },
        )
        .unwrap()
        .sent
        .added;
    }
    let synced = started.elapsed();
    let expected = (per_machine + initiatives_per_machine) * machines;
    assert_eq!(added as usize, expected, "every record arrived once");

    // A second sync with nothing new (the last machine, send only).
    let mut last = Store::open(paths.last().unwrap()).unwrap();
    let again_started = Instant::now();
    let again = sync(
        &mut last,
        &shared,
        SyncOptions {
            send_only: true,
            ..Default::default()
        },
    )
    .unwrap();
    let again_send_only = again_started.elapsed();
    assert_eq!(again.sent.added + again.sent.skipped, 0);
    // A reviewer of one municipality: a first sync both ways (it receives that municipality's
    // records), then one with nothing new.
    let reviewer_path = dir.path().join("reviewer.db");
    let mut reviewer = Store::open(&reviewer_path).unwrap();
    let scope = SyncOptions {
        municipality: Some("GM0344"),
        ..Default::default()
    };
    let first_started = Instant::now();
    let first = sync(&mut reviewer, &shared, scope).unwrap();
    let reviewer_first = first_started.elapsed();
    let again_started = Instant::now();
    let nothing = sync(&mut reviewer, &shared, scope).unwrap();
    let reviewer_again = again_started.elapsed();
    assert_eq!(
        (
            nothing.sent.added,
            nothing.received.added,
            nothing.received.skipped
        ),
        (0, 0, 0)
    );

    // A fresh machine receives everything (the CLI, as a process of its own, so that its peak
    // memory is its own: the kernel's high-water mark of the children's resident memory).
    let fresh = dir.path().join("fresh.db");
    let receive_started = Instant::now();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wijkkompas"))
        .args(["sync", "--postgres", &shared, "--json"])
        .env("WIJKKOMPAS_DB", &fresh)
        .output()
        .unwrap();
    let receive_all = receive_started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let received: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        received["received"]["added"].as_u64(),
        Some(expected as u64),
        "every record reached the fresh machine"
    );
    let receive_peak_mb = {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
        // SAFETY: getrusage fills the struct it is given; RUSAGE_CHILDREN is a valid target.
        let usage = unsafe {
            libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
            usage.assume_init()
        };
        usage.ru_maxrss as f64 / 1024.0 // kilobytes on Linux
    };

    // The baseline: PostgreSQL's own COPY of the same rows into the same, empty tables.
    let mut from = Client::connect(&shared, NoTls).unwrap();
    let initiative_columns = "seq, id, content_hash, record, made_on, sent_by, sent_at, name, gm_code, gm_name, wk_code, wk_name, created_at, geom";
    let check_columns = "seq, id, initiative_id, content_hash, record, made_on, sent_by, sent_at, created_at, score_bonding, score_bridging, score_linking";
    let machine_rows = copy_out(&mut from, "machines", "id, name");
    let initiative_rows = copy_out(&mut from, "initiatives", initiative_columns);
    let check_rows = copy_out(&mut from, "self_checks", check_columns);
    let baseline_db = fresh_database(&admin, "bench_copy");
    // The same schema, made the way the app makes it (a sync of an empty machine).
    sync(
        &mut Store::open(&dir.path().join("empty.db")).unwrap(),
        &baseline_db,
        SyncOptions {
            send_only: true,
            ..Default::default()
        },
    )
    .unwrap();
    let mut to = Client::connect(&baseline_db, NoTls).unwrap();
    let copy_started = Instant::now();
    let mut tx = to.transaction().unwrap();
    copy_in(&mut tx, "machines", "id, name", &machine_rows);
    copy_in(&mut tx, "initiatives", initiative_columns, &initiative_rows);
    copy_in(&mut tx, "self_checks", check_columns, &check_rows);
    tx.commit().unwrap();
    let copied = copy_started.elapsed();

    let secs = |d: Duration| d.as_secs_f64();
    let report = serde_json::json!({
        "checks": per_machine * machines,
        "machines": machines,
        "records": expected,
        "sync_seconds": secs(synced),
        "copy_seconds": secs(copied),
        "ratio": secs(synced) / secs(copied),
        "again_send_only_seconds": secs(again_send_only),
        "reviewer_first_seconds": secs(reviewer_first),
        "reviewer_first_received": first.received.added,
        "reviewer_again_seconds": secs(reviewer_again),
        "receive_all_seconds": secs(receive_all),
        "receive_all_peak_mb": receive_peak_mb,
    });
    std::fs::write(
        support::extra_dir().join("sync.json"),
        serde_json::to_string_pretty(&report).unwrap(),
    )
    .unwrap();
    println!(
        "sync: {} checks ({} records) from {machines} machines into an empty server in {:.1} s; COPY of the same rows {:.1} s = {:.2}x",
        per_machine * machines,
        expected,
        secs(synced),
        secs(copied),
        secs(synced) / secs(copied)
    );
    println!(
        "a second sync with nothing new: {:.3} s (send only); a reviewer of GM0344: first sync {:.1} s ({} records received), again {:.3} s",
        secs(again_send_only),
        secs(reviewer_first),
        first.received.added,
        secs(reviewer_again)
    );
    println!(
        "a fresh machine receives all {expected} records: {:.1} s, peak memory {receive_peak_mb:.0} MB",
        secs(receive_all)
    );
}
