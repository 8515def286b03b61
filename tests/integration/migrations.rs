//! The store's schema moves forward only, atomically, and never touches a newer database.
use rusqlite::Connection;
use wijkkompas::store::{Store, StoreError, SCHEMA_VERSION};

use crate::util::{file_bytes, Sandbox};

fn v1_database(path: &std::path::Path) {
    Connection::open(path)
        .unwrap()
        .execute_batch(include_str!("../fixtures/schema-v1.sql"))
        .unwrap();
}

#[test]
fn an_empty_file_gets_the_latest_schema() {
    let sb = Sandbox::new();
    let store = Store::open(&sb.db()).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let mode: String = Connection::open(sb.db())
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_version_1_database_is_upgraded_with_its_data() {
    let sb = Sandbox::new();
    v1_database(&sb.db());
    let store = Store::open(&sb.db()).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let checks = store.list_checks(Some("GM0344")).unwrap();
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0].initiative.name, "Buurtkamer Oost");
    assert_eq!(checks[0].scores.linking, Some(12.5));
    store.set_setting("language", "en").unwrap(); // a table that version 2 added
}

#[test]
fn opening_a_current_database_writes_nothing() {
    let sb = Sandbox::new();
    drop(Store::open(&sb.db()).unwrap());
    Connection::open(sb.db())
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    let before = (
        file_bytes(&sb.db()),
        std::fs::metadata(sb.dir.path().join("wijkkompas.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0),
    );
    drop(Store::open(&sb.db()).unwrap());
    let after = (
        file_bytes(&sb.db()),
        std::fs::metadata(sb.dir.path().join("wijkkompas.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0),
    );
    assert!(before == after, "the file or its WAL changed");
}

#[test]
fn a_failed_upgrade_leaves_the_old_data_and_version() {
    let sb = Sandbox::new();
    v1_database(&sb.db());
    // A stray table where migration 2 wants to create one makes that migration fail half-way.
    Connection::open(sb.db())
        .unwrap()
        .execute_batch("CREATE TABLE settings (x INTEGER);")
        .unwrap();
    let err = Store::open(&sb.db()).err().expect("the upgrade must fail");
    assert!(matches!(err, StoreError::Migration(_)), "{err}");
    let conn = Connection::open(sb.db()).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1);
    let indexes: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'initiatives_by_municipality'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        indexes, 0,
        "the part of migration 2 that ran was rolled back"
    );
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM self_checks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1);
}

#[test]
fn a_newer_database_is_refused_and_left_byte_for_byte() {
    let sb = Sandbox::new();
    {
        let conn = Connection::open(sb.db()).unwrap();
        // A database of a later version: ours by its header, with a schema this version does not know.
        conn.execute_batch(&format!(
            "CREATE TABLE future (x); PRAGMA application_id = {}; PRAGMA user_version = 99;",
            wijkkompas::store::APPLICATION_ID
        ))
        .unwrap();
    }
    let before = file_bytes(&sb.db());
    let err = Store::open(&sb.db())
        .err()
        .expect("a newer schema must be refused");
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
    assert!(err.to_string().contains("newer version of Wijkkompas"));
    assert_eq!(file_bytes(&sb.db()), before);
    assert!(!sb.dir.path().join("wijkkompas.db-wal").exists());

    // The CLI says so and exits non-zero, and still leaves the file alone.
    let msg = sb.error(&["list"]);
    assert!(msg.contains("newer version"), "{msg}");
    assert_eq!(file_bytes(&sb.db()), before);
}

#[test]
fn a_version_9_database_keeps_its_answers_as_one_respondent_per_check() {
    let sb = Sandbox::new();
    {
        let conn = Connection::open(sb.db()).unwrap();
        for sql in [
            include_str!("../../src/store/migrations/001_initial.sql"),
            include_str!("../../src/store/migrations/002_indexes_and_settings.sql"),
            include_str!("../../src/store/migrations/003_review_log.sql"),
            include_str!("../../src/store/migrations/004_privacy.sql"),
            include_str!("../../src/store/migrations/005_running_aggregates.sql"),
            include_str!("../../src/store/migrations/006_application_id.sql"),
            include_str!("../../src/store/migrations/007_target_group_ids.sql"),
            include_str!("../../src/store/migrations/008_visible_checks.sql"),
            include_str!("../../src/store/migrations/009_wijken.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO initiatives (id, name, lat, lon, gm_code, gm_name, created_at)
                 VALUES ('11111111-1111-4111-8111-111111111111', 'Buurtkamer Oost', 52.09, 5.12, 'GM0344', 'Utrecht', '2026-01-01T00:00:00Z');
             INSERT INTO self_checks (id, initiative_id, role, created_at, score_bonding, score_bridging, score_linking)
                 VALUES ('22222222-2222-4222-8222-222222222222', '11111111-1111-4111-8111-111111111111', 'professional', '2026-01-02T00:00:00Z', 100.0, NULL, NULL);
             INSERT INTO answers (check_id, statement_id, value) VALUES
                 ('22222222-2222-4222-8222-222222222222', 'bonding-1-a', 5),
                 ('22222222-2222-4222-8222-222222222222', 'bonding-1-c', NULL);
             PRAGMA user_version = 9;",
        )
        .unwrap();
    }
    let store = Store::open(&sb.db()).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let checks = store
        .checks_of("11111111-1111-4111-8111-111111111111")
        .unwrap();
    assert_eq!(checks.len(), 1);
    let c = &checks[0];
    assert_eq!(c.respondents.len(), 1);
    assert_eq!(c.respondents[0].role, wijkkompas::model::Role::Professional);
    assert!(!c.respondents[0].on_paper);
    assert_eq!(
        c.respondents[0].answers,
        [
            ("bonding-1-a".to_string(), Some(5)),
            ("bonding-1-c".to_string(), None)
        ]
        .into()
    );
    assert_eq!(c.assessment().strategies.bonding, Some(100.0));
    assert!(c.conversation == Default::default());
    // Schema 12: the table's facts were computed for the data already there.
    let q = wijkkompas::municipality::area::RowQuery {
        sort: wijkkompas::municipality::area::RowSort::Name,
        descending: false,
        status: None,
        text: "oost".into(),
        wijk: None,
        source: None,
        offset: 0,
        limit: 10,
    };
    let page = wijkkompas::municipality::area::rows_page(&store, "GM0344", &q).unwrap();
    assert_eq!(
        (
            page.matching,
            page.rows[0].checks,
            page.rows[0].scores.bonding,
            page.rows[0].respondents
        ),
        (1, 1, Some(100.0), 1)
    );
    // The rebuilt answers table is append-only like the old one.
    let conn = Connection::open(sb.db()).unwrap();
    assert!(conn.execute("UPDATE answers SET value = 1", []).is_err());
    assert!(conn
        .execute("UPDATE respondents SET role = 'resident'", [])
        .is_err());
    // Schema 11: the machine got an id of its own, once; its older records are its own.
    let id: String = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'machine_id'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        uuid::Uuid::parse_str(&id)
            .is_ok_and(|u| u.get_version_num() == 4 && u.hyphenated().to_string() == id),
        "{id}"
    );
    let list = sb.json(&["list", "--json"]);
    assert_eq!(list[0]["source"]["here"], true);
    assert_eq!(list[0]["source"]["machine_id"], id.as_str());
    drop(store);
    assert_eq!(
        Store::open(&sb.db()).unwrap().schema_version().unwrap(),
        SCHEMA_VERSION
    );
    let again: String = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'machine_id'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(again, id, "opened again: the same id");
}

#[test]
fn every_new_database_gets_a_machine_id_of_its_own() {
    let ids: std::collections::BTreeSet<String> = (0..20)
        .map(|_| Store::open_in_memory().unwrap())
        .map(|s| wijkkompas::safety::settings::load(&s).unwrap().machine_id)
        .collect();
    assert_eq!(ids.len(), 20, "twenty databases, twenty ids");
    assert!(ids.iter().all(|id| uuid::Uuid::parse_str(id)
        .is_ok_and(|u| u.get_version_num() == 4 && u.get_variant() == uuid::Variant::RFC4122)));
}

/// Before schema 14 a sync passed one machine's retention purge on to every other machine. A
/// machine that lost another's records that way gets them back when they come again (by bundle
/// or sync); its own purge still keeps its own records out.
#[test]
fn records_another_machines_retention_removed_here_can_come_back_after_schema_14() {
    let a = Sandbox::new();
    let input = serde_json::json!({"initiative": {"name": "Buurtkamer Oost", "lat": 52.09, "lon": 5.12, "role": "resident"}, "answers": {"bonding-1-a": 4}});
    let f = a.file("c.json", &input.to_string());
    let saved = a.json(&["check", "--input", f.to_str().unwrap(), "--json"]);
    let bundle = a.dir.path().join("a.json");
    assert!(a
        .run(&[
            "export",
            "--format",
            "bundle",
            "-o",
            bundle.to_str().unwrap()
        ])
        .status
        .success());
    let b = Sandbox::new();
    b.json(&["import", bundle.to_str().unwrap(), "--json"]);
    // As schema 13 left it when a tombstone of A's came in: B's purge does the same removal, and
    // its log entry (which marks a purge as B's own) goes.
    b.json(&["settings", "--retention", "1", "--json"]);
    let later = |days: i64| {
        (time::OffsetDateTime::now_utc() + time::Duration::days(days))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    b.json(&["purge", "--pretend-now", &later(40), "--json"]);
    b.json(&["purge", "--pretend-now", &later(55), "--json"]);
    b.json(&["settings", "--retention", "0", "--json"]);
    Connection::open(b.db())
        .unwrap()
        .execute_batch(
            "DELETE FROM purge_log; DROP TRIGGER sync_log_erasure; DROP TABLE sync_checkpoints;
             DROP TABLE emptied_elsewhere; DROP TABLE sync_skipped; ALTER TABLE tombstones DROP COLUMN reason;
             ALTER TABLE tombstones DROP COLUMN cause; PRAGMA user_version = 13;",
        )
        .unwrap();
    assert!(b.json(&["list", "--json"]).as_array().unwrap().is_empty());
    let again = b.json(&["import", bundle.to_str().unwrap(), "--json"]);
    assert_eq!(
        again["added"], 2,
        "the initiative, filled again, and its check: {again}"
    );
    let list = b.json(&["list", "--json"]);
    assert_eq!(list[0]["id"], saved["id"]);
    assert_eq!(list[0]["initiative"]["name"], "Buurtkamer Oost");
    assert_eq!(b.json(&["stats", "--json"])["checks"], 1);
}
