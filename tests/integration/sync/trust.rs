//! Trust across machines: a bad row on the server blocks no one, a busy server is waited for,
//! a database without PostGIS and a wrong certificate are refused in words, and a machine's id
//! is its own.
use serde_json::Value;

use super::{centre, names, shared_db, sync, SharedDb};

/// A copy of a row of `table` under a new id, with the record's `path` set to `value` (JSON), as
/// a superuser could write it; returns its id and number.
fn bad_copy(db: &SharedDb, table: &str, of: &str, path: &str, value: &str) -> (String, i64) {
    let id = uuid::Uuid::new_v4().to_string();
    let columns = match table {
        "initiatives" => "content_hash, made_on, sent_by, name, created_at, geom",
        "self_checks" => "initiative_id, content_hash, made_on, sent_by, created_at",
        _ => unreachable!(),
    };
    let seq: i64 = db
        .client()
        .query_one(
            &format!(
                "INSERT INTO wijkkompas.{table} (id, record, {columns})
                 SELECT $1::text::uuid, jsonb_set(jsonb_set(record, '{{id}}', to_jsonb($1::text)), $3::text[], $4::text::jsonb), {columns}
                 FROM wijkkompas.{table} WHERE id = $2::text::uuid RETURNING seq"
            ),
            &[&id, &of, &path.split('.').map(str::to_string).collect::<Vec<_>>(), &value],
        )
        .unwrap()
        .get(0);
    (id, seq)
}

fn skipped(summary: &Value) -> Vec<(String, String, i64)> {
    let mut list: Vec<(String, String, i64)> = summary["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["table"].as_str().unwrap().to_string(),
                s["id"].as_str().unwrap().to_string(),
                s["seq"].as_i64().unwrap(),
            )
        })
        .collect();
    list.sort();
    list
}

fn check_of(db: &SharedDb, initiative: &str) -> String {
    db.client()
        .query_one(
            "SELECT id::text FROM wijkkompas.self_checks WHERE initiative_id = $1::text::uuid",
            &[&initiative],
        )
        .unwrap()
        .get(0)
}

#[test]
fn a_row_that_breaks_a_rule_on_the_server_is_skipped_named_and_received_once_corrected() {
    let db = shared_db();
    let (a, ids) = centre("Buurthuis De Kolk", 2, 52.09);
    sync(&a, &db.owner);
    let check = check_of(&db, &ids[0]);
    // Written on the server past every machine's rules: each would refuse a bundle whole.
    let future = bad_copy(
        &db,
        "self_checks",
        &check,
        "created_at",
        "\"2099-01-01T00:00:00Z\"",
    );
    let unknown = bad_copy(&db, "self_checks", &check, "answers.no_such_statement", "3");
    let bidi = bad_copy(
        &db,
        "initiatives",
        &ids[0],
        "name",
        "\"Buurthuis \\u202e kloK eD\"",
    );
    let off_globe = bad_copy(&db, "initiatives", &ids[0], "lat", "200");
    let huge = bad_copy(
        &db,
        "initiatives",
        &ids[0],
        "description",
        &format!("\"{}\"", "x".repeat(100_000)),
    );
    // A check of the initiative that is left out: it cannot come without it.
    let orphan = bad_copy(
        &db,
        "self_checks",
        &check,
        "initiative_id",
        &format!("\"{}\"", bidi.0),
    );
    db.client()
        .execute(
            "UPDATE wijkkompas.self_checks SET initiative_id = $1::text::uuid WHERE id = $2::text::uuid",
            &[&bidi.0, &orphan.0],
        )
        .unwrap();
    let expected = |rows: &[&(String, i64)], table: &[&str]| {
        let mut list: Vec<(String, String, i64)> = rows
            .iter()
            .zip(table)
            .map(|((id, seq), t)| (t.to_string(), id.clone(), *seq))
            .collect();
        list.sort();
        list
    };

    let (b, _) = centre("Wijkcentrum De Linde", 0, 52.10);
    let first = sync(&b, &db.owner);
    assert_eq!(
        first["received"]["added"], 4,
        "A's two initiatives and two checks: {first}"
    );
    assert_eq!(
        skipped(&first),
        expected(
            &[&future, &unknown, &bidi, &off_globe, &huge, &orphan],
            &[
                "self_checks",
                "self_checks",
                "initiatives",
                "initiatives",
                "initiatives",
                "self_checks"
            ]
        ),
        "{first}"
    );
    let reasons: Vec<&str> = first["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"]["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "time_in_future",
        "unknown_statement",
        "text_bidi",
        "geo_latitude",
        "text_too_long",
        "sync_orphan",
    ] {
        assert!(reasons.contains(&kind), "{kind} in {reasons:?}");
    }
    assert_eq!(b.json(&["list", "--json"]).as_array().unwrap().len(), 2);

    // The mark passed them, and the next sync names them again, in plain words.
    let out = b.run(&["sync", "--postgres", &db.owner, "--lang", "en"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("received: added 0"), "{text}");
    assert!(
        text.contains("not received, because each breaks a rule"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "self-check {} (number {} in the server's table self_checks)",
            future.0, future.1
        )),
        "{text}"
    );
    let again = sync(&b, &db.owner);
    assert_eq!(skipped(&again), skipped(&first), "{again}");

    // Corrected on the server: the check under a new number, the initiative in place.
    let renumbered: i64 = db
        .client()
        .query_one(
            "UPDATE wijkkompas.self_checks SET record = jsonb_set(record, '{created_at}', '\"2024-05-01T10:00:00Z\"'),
                    created_at = '2024-05-01T10:00:00Z', seq = nextval('wijkkompas.record_seq')
             WHERE id = $1::text::uuid RETURNING seq",
            &[&future.0],
        )
        .unwrap()
        .get(0);
    assert!(renumbered > future.1);
    db.client()
        .execute(
            "UPDATE wijkkompas.initiatives SET record = jsonb_set(record, '{name}', '\"Buurthuis De Klok\"') WHERE id = $1::text::uuid",
            &[&bidi.0],
        )
        .unwrap();
    let corrected = sync(&b, &db.owner);
    assert_eq!(
        corrected["received"]["added"], 3,
        "the check, the initiative and the check that waited for it: {corrected}"
    );
    assert_eq!(
        skipped(&corrected),
        expected(
            &[&unknown, &off_globe, &huge],
            &["self_checks", "initiatives", "initiatives"]
        ),
        "{corrected}"
    );
    assert!(names(&b).contains(&"Buurthuis De Klok".to_string()));
    let last = sync(&b, &db.owner);
    assert_eq!(
        (last["received"]["added"].as_u64(), skipped(&last)),
        (Some(0), skipped(&corrected))
    );
}

/// A machine of its own: a store in a folder of its own with one check, made through the core.
fn machine_with_one_check(k: usize) -> (tempfile::TempDir, wijkkompas::store::Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = wijkkompas::store::Store::open(&dir.path().join("wijkkompas.db")).unwrap();
    let answers: Value = wijkkompas::catalog::catalog()
        .statements()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), serde_json::json!(((i + k) % 5 + 1) as u8)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let input = serde_json::json!({"initiative": {"name": format!("Buurthuis {k}"), "lat": 52.0 + k as f64 * 0.001, "lon": 5.12, "role": "resident"}, "answers": answers});
    wijkkompas::selfcheck::submit(
        &mut store,
        &serde_json::from_value(input).unwrap(),
        wijkkompas::catalog::Lang::En,
    )
    .unwrap();
    (dir, store)
}

#[test]
fn a_hundred_machines_syncing_at_once_with_a_server_of_fifty_connections_all_finish() {
    let db = shared_db();
    sync(&centre("Eigenaar", 0, 52.1).0, &db.owner);
    let mut machines: Vec<_> = (0..100).map(machine_with_one_check).collect();
    let started = std::time::Instant::now();
    let results: Vec<_> = std::thread::scope(|s| {
        let running: Vec<_> = machines
            .iter_mut()
            .map(|(_, store)| {
                let url = db.owner.clone();
                s.spawn(move || {
                    wijkkompas::sync::sync(store, &url, wijkkompas::sync::SyncOptions::default())
                })
            })
            .collect();
        running.into_iter().map(|r| r.join().unwrap()).collect()
    });
    eprintln!(
        "100 machines synced at once in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    for r in &results {
        assert!(r.is_ok(), "{r:?}");
    }
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.self_checks"), 100);
    assert_eq!(
        db.count("SELECT count(DISTINCT name) FROM wijkkompas.initiatives"),
        100
    );
}

#[test]
fn a_database_without_postgis_is_refused_naming_create_extension_and_who_runs_it() {
    let db = shared_db();
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    {
        let _one_at_a_time = super::MAKING.lock().unwrap();
        super::connect(&super::with_db(&db.admin, "postgres"))
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE template0"))
            .unwrap();
    }
    let bare_admin = super::with_db(&db.admin, &name);
    super::connect(&bare_admin)
        .batch_execute(&format!(
            "GRANT CREATE ON DATABASE {name} TO wijkkompas_owner"
        ))
        .unwrap();
    let (a, _) = centre("Buurthuis De Kolk", 1, 52.09);
    let msg = a.error(&["sync", "--postgres", &super::with_db(&db.owner, &name)]);
    assert!(
        msg.contains("CREATE EXTENSION postgis") && msg.contains("superuser"),
        "{msg}"
    );
    let nl = a.error(&[
        "sync",
        "--postgres",
        &super::with_db(&db.owner, &name),
        "--lang",
        "nl",
    ]);
    assert!(nl.contains("databasebeheerder"), "{nl}");
    let schema: bool = super::connect(&bare_admin)
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'wijkkompas')",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(!schema, "nothing was made there");
}

/// An authority that signed nothing of the server's, made with openssl in `dir`.
fn wrong_authority(dir: &std::path::Path) -> std::path::PathBuf {
    let cert = dir.join("wrong-ca.crt");
    let made = std::process::Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=Another authority", "-keyout"])
        .arg(dir.join("wrong-ca.key"))
        .arg("-out")
        .arg(&cert)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    cert
}

#[test]
fn verify_full_with_the_servers_authority_connects_and_with_another_is_refused_as_such() {
    let db = shared_db();
    let (a, _) = centre("Buurthuis De Kolk", 1, 52.09);
    let ca = std::env::var("WIJKKOMPAS_TEST_PG_CA").unwrap();
    let verify_full = |root: &str| {
        db.owner.replace(
            "sslmode=disable",
            &format!(
                "sslmode=verify-full&sslrootcert={}",
                root.replace('/', "%2F")
            ),
        )
    };
    // Another authority: refused for its certificate, not as an address that cannot be read.
    let wrong = wrong_authority(a.dir.path());
    let msg = a.error(&["sync", "--postgres", &verify_full(wrong.to_str().unwrap())]);
    assert!(
        msg.contains("certificate was not accepted") && msg.contains("certificate verify failed"),
        "{msg}"
    );
    assert!(!msg.contains("owner-secret"), "{msg}");
    assert_eq!(
        db.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'wijkkompas'"),
        0
    );
    let missing = a.dir.path().join("no-such-ca.crt");
    let msg = a.error(&[
        "sync",
        "--postgres",
        &verify_full(missing.to_str().unwrap()),
    ]);
    assert!(
        msg.contains("certificate authority you named") && msg.contains("no-such-ca.crt"),
        "{msg}"
    );
    // The server's own authority: connected, name and signature checked (verify-full goes on
    // only over TLS).
    let done = sync(&a, &verify_full(&ca));
    assert_eq!(done["sent"]["added"], 2, "{done}");
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.initiatives"), 1);
}
