//! Crashes, damaged files, backups and restores: no save reported as done is ever lost, and no
//! user data is ever deleted by the app.
use std::process::{Command, Stdio};
use std::time::Duration;

use rusqlite::Connection;
use serde_json::{json, Value};
use wijkkompas::store::{Store, SCHEMA_VERSION};

use crate::util::{file_bytes, Sandbox};

fn save(sb: &Sandbox, name: &str) -> Value {
    let f = sb.file(&format!("{name}.json"), &json!({"initiative": {"name": name, "lat": 52.09, "lon": 5.12, "role": "resident"}, "answers": {"bonding-1-a": 4}}).to_string());
    sb.json(&["check", "--input", f.to_str().unwrap(), "--json"])
}

fn backups(sb: &Sandbox) -> Vec<String> {
    sb.json(&["backups", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn killing_the_writer_never_loses_a_reported_save_or_damages_the_file() {
    let sb = Sandbox::new();
    let input = sb.file("c.json", &json!({"initiative": {"name": "Crash", "lat": 52.09, "lon": 5.12, "role": "resident"}, "answers": {"bonding-1-a": 4, "linking-3-b": 2}}).to_string());
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15 ^ std::process::id() as u64;
    let mut random = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let (mut reported, mut killed) = (Vec::new(), 0);
    for _ in 0..120 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wijkkompas"))
            .args(["check", "--input", input.to_str().unwrap(), "--json"])
            .env("WIJKKOMPAS_DB", sb.db())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        if random(3) > 0 {
            // kill -9 at a random moment: before, during or after the save
            std::thread::sleep(Duration::from_micros(random(60_000)));
            if child.kill().is_ok() {
                killed += 1;
            }
        }
        let out = child.wait_with_output().unwrap();
        if let Ok(v) = serde_json::from_slice::<Value>(&out.stdout) {
            reported.push(v["id"].as_str().unwrap().to_string()); // it said the save was done
        }
    }
    assert!(killed >= 40, "only {killed} kills");
    assert!(!reported.is_empty());
    let conn = Connection::open(sb.db()).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let stored: Vec<String> = sb
        .json(&["list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    for id in &reported {
        assert!(stored.contains(id), "reported save {id} is missing");
    }
}

#[test]
fn a_damaged_database_is_moved_aside_and_a_new_one_started() {
    let sb = Sandbox::new();
    // A database of ours (its header says so) whose first page was overwritten.
    Store::open(&sb.db()).unwrap();
    Connection::open(sb.db())
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    let mut damaged = file_bytes(&sb.db());
    damaged[100..4096].fill(0x5a);
    std::fs::write(sb.db(), &damaged).unwrap();
    let before = file_bytes(&sb.db());
    let out = sb.run(&["list", "--json"]);
    assert!(out.status.success());
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        json!([])
    );
    let msg = String::from_utf8(out.stderr).unwrap();
    assert!(
        msg.contains("was damaged") && msg.contains("moved to"),
        "{msg}"
    );
    let aside: Vec<_> = std::fs::read_dir(sb.dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".damaged-"))
        .collect();
    assert_eq!(
        aside.len(),
        1,
        "the damaged file is kept beside the new one"
    );
    assert_eq!(file_bytes(&aside[0].path()), before);
    assert!(msg.contains(&aside[0].path().display().to_string()));
    save(&sb, "Na herstel");
    assert_eq!(sb.json(&["list", "--json"]).as_array().unwrap().len(), 1);
}

#[test]
fn an_upgrade_is_preceded_by_a_backup_of_the_old_version() {
    let sb = Sandbox::new();
    Connection::open(sb.db())
        .unwrap()
        .execute_batch(include_str!("../fixtures/schema-v1.sql"))
        .unwrap();
    drop(Store::open(&sb.db()).unwrap());
    let made = backups(&sb);
    let before = made
        .iter()
        .find(|p| p.contains("before-migration-v1"))
        .expect("a backup before the upgrade");
    let old = Connection::open(before).unwrap();
    let version: i64 = old
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1);
    let rows: i64 = old
        .query_row("SELECT count(*) FROM self_checks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1);
}

#[test]
fn a_backup_restores_and_the_state_before_is_kept() {
    let sb = Sandbox::new();
    let first = save(&sb, "Eerste");
    let manual = sb.json(&["backup", "--json"])["path"]
        .as_str()
        .unwrap()
        .to_string();
    save(&sb, "Tweede");
    assert_eq!(sb.json(&["list", "--json"]).as_array().unwrap().len(), 2);
    let restored = sb.json(&["restore", &manual, "--json"]);
    let list = sb.json(&["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], first["id"]);
    // The state before the restore is itself a backup, with both checks.
    let before = restored["previous_state"].as_str().unwrap();
    let n: i64 = Connection::open(before)
        .unwrap()
        .query_row("SELECT count(*) FROM self_checks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
}

#[test]
fn a_bad_backup_is_refused_and_changes_nothing() {
    let sb = Sandbox::new();
    save(&sb, "Blijft");
    let junk = sb.file("junk.db", "not a database");
    assert!(sb
        .error(&["restore", junk.to_str().unwrap()])
        .contains("not a usable Wijkkompas backup"));
    let newer = sb.dir.path().join("newer.db");
    Store::open(&newer).unwrap();
    Connection::open(&newer)
        .unwrap()
        .execute_batch(&format!("PRAGMA user_version = {};", SCHEMA_VERSION + 1))
        .unwrap();
    assert!(sb
        .error(&["restore", newer.to_str().unwrap()])
        .contains("schema version"));
    assert_eq!(sb.json(&["list", "--json"]).as_array().unwrap().len(), 1);
}

#[test]
fn a_daily_backup_is_made_once_a_day_and_old_ones_are_pruned() {
    let sb = Sandbox::new();
    save(&sb, "Een");
    let after_first = backups(&sb).len();
    assert_eq!(
        after_first, 1,
        "the first save of the day makes the daily backup"
    );
    save(&sb, "Twee");
    assert_eq!(backups(&sb).len(), 1, "not again on the same day");
    for _ in 0..12 {
        sb.json(&["backup", "--json"]);
    }
    assert_eq!(
        backups(&sb).len(),
        wijkkompas::store::backup::KEEP,
        "only the newest are kept"
    );
}
