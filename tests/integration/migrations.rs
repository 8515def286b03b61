//! The store's schema moves forward only, atomically, and never touches a newer database.
use rusqlite::Connection;
use wijkkompas::store::{Store, StoreError, SCHEMA_VERSION};

use crate::util::{file_bytes, Sandbox};

fn v1_database(path: &std::path::Path) {
    Connection::open(path).unwrap().execute_batch(include_str!("../fixtures/schema-v1.sql")).unwrap();
}

#[test]
fn an_empty_file_gets_the_latest_schema() {
    let sb = Sandbox::new();
    let store = Store::open(&sb.db()).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let mode: String = Connection::open(sb.db()).unwrap().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
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
    Connection::open(sb.db()).unwrap().execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    let before = (file_bytes(&sb.db()), std::fs::metadata(sb.dir.path().join("wijkkompas.db-wal")).map(|m| m.len()).unwrap_or(0));
    drop(Store::open(&sb.db()).unwrap());
    let after = (file_bytes(&sb.db()), std::fs::metadata(sb.dir.path().join("wijkkompas.db-wal")).map(|m| m.len()).unwrap_or(0));
    assert!(before == after, "the file or its WAL changed");
}

#[test]
fn a_failed_upgrade_leaves_the_old_data_and_version() {
    let sb = Sandbox::new();
    v1_database(&sb.db());
    // A stray table where migration 2 wants to create one makes that migration fail half-way.
    Connection::open(sb.db()).unwrap().execute_batch("CREATE TABLE settings (x INTEGER);").unwrap();
    let err = Store::open(&sb.db()).err().expect("the upgrade must fail");
    assert!(matches!(err, StoreError::Migration(_)), "{err}");
    let conn = Connection::open(sb.db()).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 1);
    let indexes: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'initiatives_by_municipality'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(indexes, 0, "the part of migration 2 that ran was rolled back");
    let rows: i64 = conn.query_row("SELECT count(*) FROM self_checks", [], |r| r.get(0)).unwrap();
    assert_eq!(rows, 1);
}

#[test]
fn a_newer_database_is_refused_and_left_byte_for_byte() {
    let sb = Sandbox::new();
    {
        let conn = Connection::open(sb.db()).unwrap();
        // A database of a later version: ours by its header, with a schema this version does not know.
        conn.execute_batch(&format!("CREATE TABLE future (x); PRAGMA application_id = {}; PRAGMA user_version = 99;", wijkkompas::store::APPLICATION_ID)).unwrap();
    }
    let before = file_bytes(&sb.db());
    let err = Store::open(&sb.db()).err().expect("a newer schema must be refused");
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
    assert!(err.to_string().contains("newer version of Wijkkompas"));
    assert_eq!(file_bytes(&sb.db()), before);
    assert!(!sb.dir.path().join("wijkkompas.db-wal").exists());

    // The CLI says so and exits non-zero, and still leaves the file alone.
    let msg = sb.error(&["list"]);
    assert!(msg.contains("newer version"), "{msg}");
    assert_eq!(file_bytes(&sb.db()), before);
}
