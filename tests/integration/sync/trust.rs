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
    let Some(db) = shared_db() else {
        return;
    };
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
    let (address, password) = super::address(&db.owner);
    let out = b.run_with(
        &["sync", "--postgres", &address, "--lang", "en"],
        &[("PGPASSWORD", &password)],
        None,
    );
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
    let answers: Value = wijkkompas::content::catalog::catalog()
        .statements()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), serde_json::json!(((i + k) % 5 + 1) as u8)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let input = serde_json::json!({"initiative": {"name": format!("Buurthuis {k}"), "lat": 52.0 + k as f64 * 0.001, "lon": 5.12, "role": "resident"}, "answers": answers});
    wijkkompas::selfcheck::submit(
        &mut store,
        &serde_json::from_value(input).unwrap(),
        wijkkompas::model::Lang::En,
    )
    .unwrap();
    (dir, store)
}

#[test]
fn a_hundred_machines_syncing_at_once_with_a_server_of_fifty_connections_all_finish() {
    let Some(db) = shared_db() else {
        return;
    };
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
    let Some(db) = shared_db() else {
        return;
    };
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
    let msg = super::sync_error(&a, &super::with_db(&db.owner, &name));
    assert!(
        msg.contains("CREATE EXTENSION postgis") && msg.contains("superuser"),
        "{msg}"
    );
    let (address, password) = super::address(&super::with_db(&db.owner, &name));
    let nl = a.error_with(
        &["sync", "--postgres", &address, "--lang", "nl"],
        &[("PGPASSWORD", &password)],
    );
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
    let Some(db) = shared_db() else {
        return;
    };
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

fn machine_id(sb: &crate::util::Sandbox) -> String {
    sb.json(&["settings", "--json"])["machine_id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_bundle_file_that_says_this_machine_exported_it_is_refused() {
    let (a, _) = centre("Buurthuis De Kolk", 1, 52.09);
    let (b, _) = centre("Wijkcentrum De Linde", 1, 52.10);
    let own = a.dir.path().join("own.json");
    let out = a.run(&["export", "--format", "bundle", "-o", own.to_str().unwrap()]);
    assert!(out.status.success());
    let msg = a.error(&["import", own.to_str().unwrap()]);
    assert!(msg.contains("says this computer exported it"), "{msg}");
    // Another machine's file that carries this machine's id: refused the same, nothing added.
    let theirs = b.dir.path().join("theirs.json");
    assert!(b
        .run(&[
            "export",
            "--format",
            "bundle",
            "-o",
            theirs.to_str().unwrap()
        ])
        .status
        .success());
    let mut bundle: Value = serde_json::from_slice(&std::fs::read(&theirs).unwrap()).unwrap();
    bundle["machine"]["id"] = Value::from(machine_id(&a));
    let forged = a.file("forged.json", &bundle.to_string());
    let msg = a.error(&["import", forged.to_str().unwrap()]);
    assert!(msg.contains("says this computer exported it"), "{msg}");
    assert_eq!(names(&a), ["Buurthuis De Kolk 0"]);
}

#[test]
fn a_machine_id_belongs_to_the_account_that_first_sent_as_it() {
    let Some(db) = shared_db() else {
        return;
    };
    sync(&centre("Eigenaar", 0, 52.1).0, &db.owner);
    db.grant_syncer();
    let (a, _) = centre("Buurthuis De Kolk", 1, 52.09);
    sync(&a, &db.syncer);
    // A copy of A's database is a machine with A's id: with another account it cannot send as A.
    let copy = crate::util::Sandbox::new();
    std::fs::copy(a.db(), copy.db()).unwrap();
    copy.json(&["settings", "--name", "Kaper", "--json"]);
    let answers: Value = wijkkompas::content::catalog::catalog()
        .statements()
        .map(|s| (s.id.clone(), serde_json::json!(2)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let input = copy.file("c.json", &serde_json::json!({"initiative": {"name": "Gekaapt", "lat": 52.11, "lon": 5.12, "role": "resident"}, "answers": answers}).to_string());
    copy.json(&["check", "--input", input.to_str().unwrap(), "--json"]);
    let msg = super::sync_error(&copy, &db.owner);
    assert!(
        msg.contains("belongs to another account (wijkkompas_sync)")
            && msg.contains("Nothing was sent"),
        "{msg}"
    );
    assert_eq!(
        db.count("SELECT count(*) FROM wijkkompas.initiatives WHERE name = 'Gekaapt'"),
        0
    );
    assert_eq!(
        db.count("SELECT count(*) FROM wijkkompas.machines WHERE name = 'Buurthuis De Kolk' AND role = 'wijkkompas_sync'"),
        1
    );
    // Nor past the app: the server itself refuses the other account.
    let a_id = machine_id(&a);
    let mut owner = super::connect(&db.owner);
    let renamed = owner.execute(
        "UPDATE wijkkompas.machines SET name = 'Kaper' WHERE id = $1::text::uuid",
        &[&a_id],
    );
    assert!(
        format!("{renamed:?}").contains("belongs to the account wijkkompas_sync"),
        "{renamed:?}"
    );
    let sent_as = owner.execute(
        "INSERT INTO wijkkompas.review_log (id, initiative_id, content_hash, record, made_on, sent_by, created_at, to_status)
         VALUES (gen_random_uuid(), gen_random_uuid(), 'x', '{}', $1::text::uuid, $1::text::uuid, now(), 'in_review')",
        &[&a_id],
    );
    assert!(
        format!("{sent_as:?}").contains("belongs to another account"),
        "{sent_as:?}"
    );
    // The original goes on as before.
    assert_eq!(sync(&a, &db.syncer)["sent"]["added"].as_u64(), Some(0));
}

#[test]
fn records_that_come_back_as_made_here_are_never_taken_for_ones_made_here() {
    let Some(db) = shared_db() else {
        return;
    };
    let (a, ids) = centre("Buurthuis De Kolk", 1, 52.09);
    sync(&a, &db.owner);
    let a_id = machine_id(&a);
    let check = check_of(&db, &ids[0]);
    // On the server: A's check with other content, a check A never held said to be A's, A's
    // name changed, and a new check of another machine.
    let mut admin = db.client();
    admin
        .execute(
            "UPDATE wijkkompas.self_checks SET record = jsonb_set(record, '{answers}', (SELECT jsonb_object_agg(k, 1) FROM jsonb_object_keys(record->'answers') k)),
                    seq = nextval('wijkkompas.record_seq') WHERE id = $1::text::uuid",
            &[&check],
        )
        .unwrap();
    let (stranger, _) = bad_copy(&db, "self_checks", &check, "role", "\"resident\"");
    admin
        .execute(
            "UPDATE wijkkompas.machines SET name = 'Kaper' WHERE id = $1::text::uuid",
            &[&a_id],
        )
        .unwrap();
    let (b, _) = centre("Wijkcentrum De Linde", 1, 52.10);
    sync(&b, &db.owner);
    let back = sync(&a, &db.owner);
    let conflicts: Vec<&str> = back["received"]["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(conflicts.contains(&check.as_str()), "other content: {back}");
    assert!(
        conflicts.contains(&stranger.as_str()),
        "never held here: {back}"
    );
    assert_eq!(
        back["received"]["added"], 2,
        "B's initiative and check only: {back}"
    );
    let listed = a.json(&["list", "--json"]);
    assert!(!listed.to_string().contains(&stranger), "{listed}");
    let local = rusqlite::Connection::open(a.db()).unwrap();
    let name: Option<String> = local
        .query_row("SELECT name FROM machines WHERE id = ?1", [&a_id], |r| {
            r.get(0)
        })
        .ok();
    assert_ne!(
        name.as_deref(),
        Some("Kaper"),
        "the server's word never renames this machine"
    );
    assert_eq!(
        a.json(&["settings", "--json"])["machine_name"],
        "Buurthuis De Kolk"
    );
}
