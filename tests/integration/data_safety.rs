//! Data safety: each test reproduces a defect once found (restores, backups, output files, foreign
//! files, purges, imports) and shows that a person's data is neither lost, half-written nor left
//! behind, and that "nothing was changed" is said only where nothing was.
use std::path::{Path, PathBuf};
use std::process::Command;

use rusqlite::Connection;
use serde_json::{json, Value};

use crate::util::{file_bytes, Sandbox};

fn save(sb: &Sandbox, name: &str) -> Value {
    let f = sb.file(&format!("{name}.json"), &json!({"initiative": {"name": name, "lat": 52.09, "lon": 5.12, "role": "resident"}, "answers": {"bonding-1-a": 4}}).to_string());
    sb.json(&["check", "--input", f.to_str().unwrap(), "--json"])
}

fn backup_dir(sb: &Sandbox) -> PathBuf {
    sb.dir.path().join("backups")
}

/// The backups folder as (name, bytes) pairs, sorted: to compare before and after.
fn backup_set(sb: &Sandbox) -> Vec<(String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(backup_dir(sb)) else {
        return Vec::new();
    };
    let mut set: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                file_bytes(&e.path()),
            )
        })
        .collect();
    set.sort();
    set
}

fn checks_in(db: &Path) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM self_checks", [], |r| r.get(0))
        .unwrap()
}

/// A file's content with SQLite's sidecars folded in: what a reader of the database would see.
fn settled(db: &Path) -> Vec<u8> {
    Connection::open(db)
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    file_bytes(db)
}

#[test]
fn restoring_a_foreign_sqlite_file_changes_neither_the_database_nor_the_backups() {
    let sb = Sandbox::new();
    save(&sb, "Echte gegevens");
    let before_db = settled(&sb.db());
    let before_backups = backup_set(&sb);
    for version in 1..=4 {
        let foreign = sb.dir.path().join(format!("foreign-{version}.db"));
        Connection::open(&foreign)
            .unwrap()
            .execute_batch(&format!(
                "CREATE TABLE notes(x); PRAGMA user_version = {version};"
            ))
            .unwrap();
        let err = sb.error(&["restore", foreign.to_str().unwrap()]);
        assert!(err.contains("not a usable Wijkkompas backup"), "{err}");
        assert_eq!(
            settled(&sb.db()),
            before_db,
            "the live database is untouched (v{version})"
        );
        assert_eq!(
            backup_set(&sb),
            before_backups,
            "the backup set is untouched (v{version})"
        );
    }
    // An empty SQLite file with a plausible version and no tables at all.
    let bare = sb.dir.path().join("bare.db");
    Connection::open(&bare)
        .unwrap()
        .execute_batch("PRAGMA user_version = 3;")
        .unwrap();
    assert!(sb
        .error(&["restore", bare.to_str().unwrap()])
        .contains("not a usable Wijkkompas backup"));
    assert_eq!(
        sb.json(&["list", "--json"]).as_array().unwrap().len(),
        1,
        "the data is all still there"
    );
    assert_eq!(backup_set(&sb), before_backups);
}

#[test]
fn a_restore_that_cannot_be_completed_leaves_the_backup_set_as_it_was() {
    let sb = Sandbox::new();
    save(&sb, "Een");
    let good = sb.json(&["backup", "--json"])["path"]
        .as_str()
        .unwrap()
        .to_string();
    // A backup of ours whose schema a migration cannot bring up to date: it passes every check on
    // its face (our tables, an old version) but fails the rehearsal on a copy.
    let broken = sb.dir.path().join("broken.db");
    std::fs::copy(&good, &broken).unwrap();
    Connection::open(&broken)
        .unwrap()
        .execute_batch("DROP TABLE score_sums; PRAGMA user_version = 4;")
        .unwrap();
    let before_db = settled(&sb.db());
    let before_backups = backup_set(&sb);
    let err = sb.error(&["restore", broken.to_str().unwrap()]);
    assert!(err.contains("not a usable Wijkkompas backup"), "{err}");
    assert_eq!(settled(&sb.db()), before_db);
    assert_eq!(backup_set(&sb), before_backups);
    // The good one still restores.
    save(&sb, "Twee");
    sb.json(&["restore", &good, "--json"]);
    assert_eq!(sb.json(&["list", "--json"]).as_array().unwrap().len(), 1);
}

/// Backups named as if made in 2099 (a clock that ran ahead), ten of them.
fn future_backups(sb: &Sandbox) {
    let real = sb.json(&["backup", "--json"])["path"]
        .as_str()
        .unwrap()
        .to_string();
    for i in 0..10 {
        std::fs::copy(
            &real,
            backup_dir(sb).join(format!("wijkkompas-20990101-0000{i:02}-000-manual.db")),
        )
        .unwrap();
    }
}

#[test]
fn backups_dated_in_the_future_never_make_a_new_backup_prune_itself() {
    let sb = Sandbox::new();
    save(&sb, "Een");
    future_backups(&sb);
    let made = sb.json(&["backup", "--json"])["path"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(Path::new(&made).exists(), "the backup it names exists");
    // The restore keeps the copy it promised.
    let restored = sb.json(&["restore", &made, "--json"]);
    let before = restored["previous_state"].as_str().unwrap();
    assert!(
        Path::new(before).exists(),
        "the state before the restore is kept"
    );
    assert_eq!(checks_in(Path::new(before)), 1);
    assert!(Path::new(&made).exists());
}

#[test]
fn pruning_goes_by_the_time_in_the_name_not_the_file_time() {
    let sb = Sandbox::new();
    save(&sb, "Een");
    for _ in 0..3 {
        sb.json(&["backup", "--json"]);
    }
    let names: Vec<String> = backup_set(&sb).into_iter().map(|(n, _)| n).collect();
    // The oldest by name gets a brand-new file time, the newest an old one.
    let set_mtime = |name: &str, secs: i64| {
        let path = backup_dir(&sb).join(name);
        let status = Command::new("touch")
            .arg("-d")
            .arg(format!("@{secs}"))
            .arg(&path)
            .status()
            .unwrap();
        assert!(status.success());
    };
    set_mtime(&names[0], 4_102_444_800); // 2100
    set_mtime(names.last().unwrap(), 0); // 1970
                                         // Files that are no backups: empty, or not a database. They do not count and are not listed.
    std::fs::write(
        backup_dir(&sb).join("wijkkompas-20300101-000000-000-manual.db"),
        b"",
    )
    .unwrap();
    std::fs::write(
        backup_dir(&sb).join("wijkkompas-20300101-000001-000-manual.db"),
        b"half a file",
    )
    .unwrap();
    let listed: Vec<String> = sb
        .json(&["backups", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            b["path"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    let mut expected = names.clone();
    expected.reverse();
    assert_eq!(
        listed, expected,
        "newest first by the time in the name; empty and unreadable files are not backups"
    );
    for _ in 0..12 {
        sb.json(&["backup", "--json"]);
    }
    let kept: Vec<String> = sb
        .json(&["backups", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kept.len(), wijkkompas::store::backup::KEEP);
    assert!(
        !kept.iter().any(|k| k.ends_with(&names[0])),
        "the oldest by name went, whatever its file time"
    );
}

#[test]
fn output_is_never_written_onto_the_database_its_sidecars_or_a_backup() {
    let sb = Sandbox::new();
    let check = save(&sb, "Een");
    let id = check["id"].as_str().unwrap();
    let backup = sb.json(&["backup", "--json"])["path"]
        .as_str()
        .unwrap()
        .to_string();
    let db = sb.db();
    let before = settled(&db);
    let wal = format!("{}-wal", db.display());
    for target in [db.to_str().unwrap(), &wal, &backup] {
        let err = sb.error(&["chart", id, "-o", target, "--force"]);
        assert!(err.contains("database"), "{err}");
        let err = sb.error(&["export", "--format", "csv", "-o", target, "--force"]);
        assert!(err.contains("database"), "{err}");
    }
    // The same file by another name.
    let alias = sb.dir.path().join("sub").join("..").join("wijkkompas.db");
    std::fs::create_dir_all(sb.dir.path().join("sub")).unwrap();
    assert!(sb
        .error(&[
            "export",
            "--format",
            "geojson",
            "-o",
            alias.to_str().unwrap(),
            "--force"
        ])
        .contains("database"));
    assert_eq!(settled(&db), before);
    assert_eq!(sb.json(&["list", "--json"]).as_array().unwrap().len(), 1);
}

#[test]
fn an_existing_file_is_overwritten_only_with_force_and_never_half_written() {
    let sb = Sandbox::new();
    let check = save(&sb, "Een");
    let id = check["id"].as_str().unwrap();
    let out = sb.file("mine.svg", "my own drawing");
    let err = sb.error(&["chart", id, "-o", out.to_str().unwrap()]);
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "my own drawing");
    assert!(sb
        .run(&["chart", id, "-o", out.to_str().unwrap(), "--force"])
        .status
        .success());
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("<svg"));
    // No temporary files are left beside the output.
    let strays: Vec<_> = std::fs::read_dir(sb.dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(strays.is_empty(), "{strays:?}");
    // A folder that does not exist: refused, nothing made.
    let missing = sb.dir.path().join("nope").join("x.csv");
    assert!(!sb
        .error(&["export", "--format", "csv", "-o", missing.to_str().unwrap()])
        .is_empty());
    assert!(!missing.exists());
}

fn run_with_db(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wijkkompas"))
        .args(["--db", db.to_str().unwrap()])
        .args(args)
        .env_remove("WIJKKOMPAS_DB")
        .output()
        .unwrap()
}

#[test]
fn someone_elses_file_is_refused_untouched() {
    let sb = Sandbox::new();
    let text = sb.file("notes.txt", "my shopping list");
    let out = run_with_db(&text, &["list"]);
    assert!(!out.status.success());
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(
        msg.contains("geen database van Wijkkompas") && msg.contains("niet veranderd"),
        "{msg}"
    );
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "my shopping list");
    let names: Vec<_> = std::fs::read_dir(sb.dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("damaged")),
        "nothing moved aside: {names:?}"
    );

    let foreign = sb.dir.path().join("other-app.sqlite");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE recipes(name TEXT); INSERT INTO recipes VALUES ('soep');")
        .unwrap();
    let before = file_bytes(&foreign);
    let out = run_with_db(&foreign, &["list"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("geen database van Wijkkompas"));
    assert_eq!(
        file_bytes(&foreign),
        before,
        "no tables, no WAL, no version added"
    );
    assert!(!Path::new(&format!("{}-wal", foreign.display())).exists());
    // Our own files open: a new one, an empty one, and one made by an older version.
    let empty = sb.file("empty.db", "");
    assert!(run_with_db(&empty, &["list"]).status.success());
    assert!(run_with_db(&sb.dir.path().join("new.db"), &["list"])
        .status
        .success());
    let id: i32 = Connection::open(&empty)
        .unwrap()
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        id,
        wijkkompas::store::APPLICATION_ID,
        "a database of ours says so in its header"
    );
}

#[test]
fn only_a_damaged_database_of_ours_is_moved_aside() {
    let sb = Sandbox::new();
    save(&sb, "Een");
    let db = sb.db();
    settled(&db);
    std::fs::remove_file(format!("{}-wal", db.display())).ok();
    std::fs::remove_file(format!("{}-shm", db.display())).ok();
    // Damage the first page after its header: still recognisably ours, but no longer sound.
    let mut bytes = file_bytes(&db);
    for b in bytes.iter_mut().take(4096).skip(100) {
        *b = 0x5a;
    }
    std::fs::write(&db, &bytes).unwrap();
    let out = sb.run(&["list", "--json"]);
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{msg}");
    assert!(
        msg.contains("was damaged") && msg.contains("moved to"),
        "{msg}"
    );
    let aside: Vec<_> = std::fs::read_dir(sb.dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name().to_string_lossy().contains(".damaged-")
                && !e.file_name().to_string_lossy().contains("-wal")
                && !e.file_name().to_string_lossy().contains("-shm")
        })
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(file_bytes(&aside[0].path()), bytes, "kept as it was");
}

#[test]
fn reading_does_not_wait_for_a_writer() {
    let sb = Sandbox::new();
    save(&sb, "Een");
    // Another process holds the write lock, as a long import does.
    let conn = Connection::open(sb.db()).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE; INSERT INTO settings (key, value) VALUES ('x', 'y');")
        .unwrap();
    let started = std::time::Instant::now();
    for args in [
        &["list", "--json"][..],
        &["stats", "--json"],
        &[
            "export",
            "--format",
            "csv",
            "-o",
            sb.dir.path().join("a.csv").to_str().unwrap(),
        ],
    ] {
        let out = sb.run(args);
        assert!(
            out.status.success(),
            "{args:?} while another process writes: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "no command waited for the lock"
    );
    conn.execute_batch("ROLLBACK").unwrap();
}

/// Makes the backups folder unwritable for the CLI. Root ignores permission bits, so the folder is
/// replaced by a file of the same name: nothing can be made inside it, for anyone.
fn block_backups(sb: &Sandbox) {
    let dir = backup_dir(sb);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::write(&dir, b"not a folder").unwrap();
}

#[test]
fn a_failing_daily_backup_does_not_fail_the_save() {
    let sb = Sandbox::new();
    sb.json(&["list", "--json"]); // a database, before any backup exists
    block_backups(&sb);
    let f = sb.file("c.json", &json!({"initiative": {"name": "Een", "lat": 52.09, "lon": 5.12, "role": "resident"}, "answers": {"bonding-1-a": 4}}).to_string());
    let out = sb.run(&["check", "--input", f.to_str().unwrap(), "--json"]);
    assert!(
        out.status.success(),
        "the save happened and says so: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(result["id"].is_string());
    assert_eq!(
        result["backup_failed"],
        json!(true),
        "the result says the backup failed, for the app to show"
    );
    let warning = String::from_utf8_lossy(&out.stderr);
    assert!(
        warning.contains("backup"),
        "a warning that the backup failed: {warning}"
    );
    assert_eq!(
        sb.json(&["list", "--json"]).as_array().unwrap().len(),
        1,
        "stored once"
    );
    // Reading still works with the backups blocked.
    assert!(sb.run(&["stats", "--json"]).status.success());
}

#[test]
fn a_backup_that_fails_for_lack_of_space_leaves_no_file_and_reading_still_works() {
    let sb = Sandbox::new();
    for i in 0..30 {
        save(&sb, &format!("Initiatief {i}"));
    }
    std::fs::remove_dir_all(backup_dir(&sb)).unwrap();
    settled(&sb.db());
    // A full disk, as a file-size limit: a file can be made but not grow. SIGXFSZ is ignored so
    // that the write fails with an error instead of ending the process.
    let limited = |args: &str| {
        Command::new("sh")
            .arg("-c")
            .arg(format!("trap '' XFSZ; ulimit -f 8; exec \"$0\" {args}"))
            .arg(env!("CARGO_BIN_EXE_wijkkompas"))
            .env("WIJKKOMPAS_DB", sb.db())
            .output()
            .unwrap()
    };
    let out = limited("backup");
    assert!(
        !out.status.success(),
        "a backup cannot be made on a full disk"
    );
    let left: Vec<_> = std::fs::read_dir(backup_dir(&sb))
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "no half-made backup is left: {left:?}");
    let out = limited("list --json");
    assert!(
        out.status.success(),
        "reading works on a full disk: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 30);
}

#[test]
fn settings_are_checked_whole_and_showing_them_writes_nothing() {
    let sb = Sandbox::new();
    sb.json(&["list", "--json"]);
    let rows = || -> i64 {
        Connection::open(sb.db())
            .unwrap()
            .query_row("SELECT count(*) FROM settings", [], |r| r.get(0))
            .unwrap()
    };
    let before = rows();
    sb.json(&["settings", "--json"]);
    assert_eq!(rows(), before, "showing the settings writes nothing");
    // A bad PIN with kiosk on: refused, and kiosk mode is not switched on either.
    assert!(sb
        .error_with(
            &["settings", "--kiosk", "on", "--new-pin"],
            &[("WIJKKOMPAS_NEW_PIN", "12")]
        )
        .contains("PIN"));
    assert_eq!(sb.json(&["settings", "--json"])["kiosk"], json!(false));
    // Kiosk mode needs a PIN, in the CLI as in the app.
    assert!(sb.error(&["settings", "--kiosk", "on"]).contains("PIN"));
    assert_eq!(sb.json(&["settings", "--json"])["kiosk"], json!(false));
    let on = sb.json_with(
        &["settings", "--kiosk", "on", "--new-pin", "--json"],
        &[("WIJKKOMPAS_NEW_PIN", "2468")],
    );
    assert_eq!(
        (on["kiosk"].clone(), on["has_pin"].clone()),
        (json!(true), json!(true))
    );
}

#[test]
fn a_purge_time_far_in_the_past_is_refused_without_a_panic() {
    let sb = Sandbox::new();
    save(&sb, "Een");
    sb.json(&["settings", "--retention", "120", "--json"]);
    for time in ["0005-01-01T00:00:00Z", "0000-01-01T00:00:00Z"] {
        let out = sb.run(&["purge", "--pretend-now", time]);
        let msg = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && !msg.contains("panicked"), "{msg}");
        assert!(msg.contains("te ver van vandaag"), "{msg}");
    }
    assert_eq!(sb.json(&["list", "--json"]).as_array().unwrap().len(), 1);
}

fn later(days: i64) -> String {
    (time::OffsetDateTime::now_utc() + time::Duration::days(days))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// Every byte of the database and its write-ahead log.
fn raw_bytes(db: &Path) -> Vec<u8> {
    let mut all = file_bytes(db);
    if let Ok(wal) = std::fs::read(format!("{}-wal", db.display())) {
        all.extend(wal);
    }
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn a_purged_check_and_its_initiative_leave_nothing_readable() {
    let sb = Sandbox::new();
    let f = sb.file("c.json", &json!({"initiative": {"name": "GeheimeNaamXQ", "description": "Beschrijving vol persoonlijke details ZQW", "lat": 52.091234, "lon": 5.121234, "role": "resident"}, "answers": {"bonding-1-a": 4}}).to_string());
    sb.json(&["check", "--input", f.to_str().unwrap(), "--json"]);
    sb.json(&["settings", "--retention", "1", "--json"]);
    sb.json(&["purge", "--pretend-now", &later(40), "--json"]);
    assert_eq!(
        sb.json(&["purge", "--pretend-now", &later(40 + 15), "--json"])["removed"],
        1
    );
    let raw = raw_bytes(&sb.db());
    assert!(
        !contains(&raw, "GeheimeNaamXQ") && !contains(&raw, "ZQW"),
        "the name and description are not in the file's free pages either"
    );
    let csv = sb.dir.path().join("out.csv");
    assert!(sb
        .run(&["export", "--format", "csv", "-o", csv.to_str().unwrap()])
        .status
        .success());
    assert!(!std::fs::read_to_string(&csv)
        .unwrap()
        .contains("GeheimeNaam"));
    let bundle = sb.dir.path().join("out.json");
    assert!(sb
        .run(&[
            "export",
            "--format",
            "bundle",
            "-o",
            bundle.to_str().unwrap()
        ])
        .status
        .success());
    assert!(!std::fs::read_to_string(&bundle)
        .unwrap()
        .contains("GeheimeNaam"));
    let codes: i64 = Connection::open(sb.db())
        .unwrap()
        .query_row("SELECT count(*) FROM return_codes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(codes, 0);
}

/// A bundle exported from a sandbox with one check, as JSON to change.
fn exported(sb: &Sandbox) -> Value {
    let p = sb.dir.path().join("export.json");
    assert!(sb
        .run(&[
            "export",
            "--format",
            "bundle",
            "-o",
            p.to_str().unwrap(),
            "--force"
        ])
        .status
        .success());
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn import_into(sb: &Sandbox, bundle: &str) -> std::process::Output {
    let p = sb.file("in.json", bundle);
    sb.run(&["import", p.to_str().unwrap(), "--json", "--lang", "en"])
}

#[test]
fn times_from_a_file_are_normalised_and_far_future_ones_refused() {
    let source = Sandbox::new();
    save(&source, "Een");
    let mut b = exported(&source);
    let target = Sandbox::new();
    b["self_checks"][0]["created_at"] = json!("9999-01-01T00:00:00Z");
    let out = import_into(&target, &b.to_string());
    assert!(
        !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("future"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        target.json(&["list", "--json"]).as_array().unwrap().len(),
        0,
        "nothing imported"
    );
    // Offsets, a space, lower case, a long fraction: all stored as UTC with Z.
    for (n, time) in [
        "2026-03-01T10:00:00+01:00",
        "2026-03-01t09:00:00.123456789012345678z",
        "2026-03-01T09:00:00+00:00",
    ]
    .iter()
    .enumerate()
    {
        let mut b = exported(&source);
        b["initiatives"][0]["id"] = json!(format!("00000000-0000-4000-8000-00000000000{n}"));
        b["self_checks"][0]["initiative_id"] = b["initiatives"][0]["id"].clone();
        b["self_checks"][0]["id"] = json!(format!("00000000-0000-4000-8000-00000000010{n}"));
        b["self_checks"][0]["created_at"] = json!(time);
        b["review_log"] = json!([]);
        let out = import_into(&target, &b.to_string());
        assert!(
            out.status.success(),
            "{time}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for row in target.json(&["list", "--json"]).as_array().unwrap() {
        let at = row["created_at"].as_str().unwrap();
        assert!(
            at.starts_with("2026-03-01T09:00:00") && at.ends_with('Z'),
            "{at}"
        );
    }
}

#[test]
fn a_review_entry_must_follow_the_log() {
    let source = Sandbox::new();
    let check = save(&source, "Een");
    let id = check["initiative_id"].as_str().unwrap();
    source.json(&[
        "review",
        id,
        "--status",
        "in_review",
        "--by",
        "Anna",
        "--json",
    ]);
    let mut b = exported(&source);
    // Claims to start from "published", which the log never reached.
    b["review_log"][0]["from"] = json!("published");
    b["review_log"][0]["to"] = json!("archived");
    let target = Sandbox::new();
    let out = import_into(&target, &b.to_string());
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap_or(json!(null));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        summary["conflicts"].as_array().unwrap().len(),
        1,
        "{summary}"
    );
    assert!(target
        .json(&["reviews", id, "--json"])
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn importing_a_check_in_its_grace_period_skips_it() {
    let sb = Sandbox::new();
    save(&sb, "Een");
    let mut b = exported(&sb);
    // As another machine passes it on: a file that says this machine exported it is refused.
    b["machine"]["id"] = json!(uuid::Uuid::new_v4().to_string());
    sb.json(&["settings", "--retention", "1", "--json"]);
    assert_eq!(
        sb.json(&["purge", "--pretend-now", &later(40), "--json"])["marked"],
        1
    );
    let out = import_into(&sb, &b.to_string());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            summary["added"].clone(),
            summary["conflicts"].as_array().unwrap().len()
        ),
        (json!(0), 0),
        "{summary}"
    );
}

#[test]
fn control_characters_and_direction_overrides_are_refused() {
    let sb = Sandbox::new();
    for name in [
        "Bel\u{0007}",
        "\u{1b}[2Jweg",
        "abc\u{202E}cba",
        "\u{200B}\u{200B}",
    ] {
        let f = sb.file("c.json", &json!({"initiative": {"name": name, "lat": 52.09, "lon": 5.12, "role": "resident"}, "answers": {}}).to_string());
        let msg = sb.error(&["check", "--input", f.to_str().unwrap()]);
        assert!(msg.contains("name"), "{name:?}: {msg}");
    }
    let f = sb.file("c.json", &json!({"initiative": {"name": "Goed", "description": "twee\nregels", "lat": 52.09, "lon": 5.12, "role": "resident"}, "answers": {}}).to_string());
    sb.json(&["check", "--input", f.to_str().unwrap(), "--json"]);
    let mut b = exported(&sb);
    b["initiatives"][0]["name"] = json!("Bel\u{0007}");
    let target = Sandbox::new();
    let out = import_into(&target, &b.to_string());
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("control character"));
}

#[test]
fn one_uuid_has_one_spelling_in_a_file() {
    let source = Sandbox::new();
    save(&source, "Een");
    let b = exported(&source);
    let id = b["self_checks"][0]["id"].as_str().unwrap().to_string();
    let simple = id.replace('-', "");
    for spelling in [
        id.to_uppercase(),
        format!("{{{id}}}"),
        format!("urn:uuid:{id}"),
        simple,
    ] {
        let mut changed = b.clone();
        changed["self_checks"][0]["id"] = json!(spelling);
        let target = Sandbox::new();
        import_into(&target, &b.to_string());
        let out = import_into(&target, &changed.to_string());
        assert!(!out.status.success(), "{spelling} is refused");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("must be written as"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            target.json(&["list", "--json"]).as_array().unwrap().len(),
            1
        );
    }
}

#[test]
fn duplicate_keys_and_numbers_that_do_not_survive_are_refused() {
    let source = Sandbox::new();
    save(&source, "Een");
    let text = serde_json::to_string(&exported(&source)).unwrap();
    let target = Sandbox::new();
    let doubled = text.replacen("\"format\":", "\"version\":1,\"format\":", 1);
    let out = import_into(&target, &doubled);
    assert!(
        !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("appears twice"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tiny = text.replacen("\"lat\":", "\"lat\":1e-400,\"x\":", 1);
    assert!(!import_into(&target, &tiny).status.success());
    assert_eq!(
        target.json(&["list", "--json"]).as_array().unwrap().len(),
        0
    );
    let f = source.file("dup.json", r#"{"initiative": {"name": "A", "name": "B", "lat": 52.09, "lon": 5.12, "role": "resident"}, "answers": {}}"#);
    assert!(source
        .error(&["check", "--input", f.to_str().unwrap()])
        .contains("appears twice"));
}

#[test]
fn oversized_inputs_are_refused_before_they_are_read() {
    let sb = Sandbox::new();
    let big = sb.dir.path().join("big.json");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(wijkkompas::selfcheck::MAX_INPUT_BYTES + 1)
        .unwrap();
    let msg = sb.error(&["check", "--input", big.to_str().unwrap()]);
    assert!(msg.contains("at most"), "{msg}");
    let huge = sb.dir.path().join("huge.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(wijkkompas::exchange::MAX_BUNDLE_BYTES + 1)
        .unwrap();
    let msg = sb.error(&["import", huge.to_str().unwrap()]);
    assert!(msg.contains("at most"), "{msg}");
}

#[test]
fn a_bundle_of_too_many_records_is_refused_before_it_is_built_up() {
    let sb = Sandbox::new();
    // Valid records, so that it is their number that is refused.
    let records: Vec<String> = (0..=wijkkompas::exchange::MAX_RECORDS)
        .map(|n| format!(r#"{{"id":"{}","initiative_id":"00000000-0000-4000-8000-000000000001","role":"resident","created_at":"2025-01-01T00:00:00Z","answers":{{}}}}"#, uuid::Uuid::from_u128(n as u128 + 2)))
        .collect();
    let text = format!(
        r#"{{"format":"wijkkompas-bundle","version":1,"exported_at":"x","municipality":null,"initiatives":[],"self_checks":[{}],"review_log":[]}}"#,
        records.join(",")
    );
    let out = import_into(&sb, &text);
    assert!(!out.status.success());
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(msg.contains("more than 300000 records"), "{msg}");
    assert_eq!(sb.json(&["list", "--json"]).as_array().unwrap().len(), 0);
}

/// A file rewritten on disk while it is imported: what was checked is not what is read, so
/// nothing may be imported from it, whether the new content is sound or not. Only a file too
/// large to be read into memory once is streamed (and read twice from disk).
#[test]
fn a_file_that_changes_while_it_is_streamed_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bundle.json");
    let mut text = crate::large_bundles::bundle_text(200, 5);
    // Trailing white space makes it large without making the test slow.
    text.push_str(&" ".repeat(wijkkompas::exchange::READ_AT_ONCE_BYTES as usize + 1 - text.len()));
    let db = dir.path().join("db.sqlite");
    let mut store = wijkkompas::store::Store::open(&db).unwrap();
    // Rewritten as long as it was, so that the reading goes on in the new content: once with
    // other answers (a sound bundle), once with a role no bundle may hold.
    for (from, to) in [(": 3,", ": 4,"), ("\"resident\"", "\"residenT\"")] {
        std::fs::write(&path, &text).unwrap();
        let mut rewritten = false;
        let result = wijkkompas::exchange::import_file(&mut store, &path, None, &mut |done, _| {
            if done == 500 && !rewritten {
                std::fs::write(&path, text.replace(from, to)).unwrap();
                rewritten = true;
            }
        });
        assert!(rewritten, "the import read the file a second time");
        let err = result.unwrap_err();
        assert!(
            matches!(err, wijkkompas::exchange::ExchangeError::Changed),
            "{to}: {err}"
        );
        let n: i64 = Connection::open(&db)
            .unwrap()
            .query_row("SELECT count(*) FROM initiatives", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0, "nothing was imported");
    }
    // The same file, left alone, imports whole.
    std::fs::write(&path, &text).unwrap();
    let summary =
        wijkkompas::exchange::import_file(&mut store, &path, None, &mut |_, _| {}).unwrap();
    assert_eq!(summary.added, 1200);
}

/// A file small enough to be read into memory is read from disk once: rewriting it during the
/// import changes nothing, and exactly what was checked is imported.
#[test]
fn a_small_file_is_read_once_and_imports_what_was_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bundle.json");
    let text = crate::large_bundles::bundle_text(200, 5);
    assert!((text.len() as u64) < wijkkompas::exchange::READ_AT_ONCE_BYTES);
    std::fs::write(&path, &text).unwrap();
    let mut store = wijkkompas::store::Store::open(&dir.path().join("db.sqlite")).unwrap();
    let mut rewritten = false;
    let summary = wijkkompas::exchange::import_file(&mut store, &path, None, &mut |done, _| {
        if done == 500 && !rewritten {
            std::fs::write(&path, text.replace(": 3,", ": 4,")).unwrap();
            rewritten = true;
        }
    })
    .unwrap();
    assert!(rewritten);
    assert_eq!((summary.added, summary.conflicts.len()), (1200, 0));
    // The original content is what is stored: importing it again finds every record the same.
    let again =
        wijkkompas::exchange::import_bytes(&mut store, text.as_bytes(), None, &mut |_, _| {})
            .unwrap();
    assert_eq!(
        (again.added, again.skipped, again.conflicts.len()),
        (0, 1200, 0)
    );
}

/// A bundle's lists may come in any order: self-checks listed before the initiatives they belong
/// to import the same as in the usual order, whether the file is small (its records kept in
/// memory from the checking reading and imported from there) or large (streamed, list by list).
#[test]
fn lists_in_any_order_import_the_same_small_or_streamed() {
    let text = crate::large_bundles::bundle_text(200, 5);
    let (initiatives, checks, review) = (
        text.find("  \"initiatives\"").unwrap(),
        text.find("  \"self_checks\"").unwrap(),
        text.find("  \"review_log\"").unwrap(),
    );
    let reversed = format!(
        "{}  \"review_log\": [],\n{}{}\n}}\n",
        &text[..initiatives],
        &text[checks..review],
        text[initiatives..checks].trim_end().trim_end_matches(',')
    );
    assert!(reversed.find("\"self_checks\"") < reversed.find("\"initiatives\""));
    let padded = |t: &str| {
        t.to_string() + &" ".repeat(wijkkompas::exchange::READ_AT_ONCE_BYTES as usize + 1 - t.len())
    };
    let dir = tempfile::tempdir().unwrap();
    // What a database holds after the import: the records, the running sums and the table's facts.
    let imported = |name: &str, content: String| {
        let (path, db) = (
            dir.path().join(format!("{name}.json")),
            dir.path().join(format!("{name}.sqlite")),
        );
        std::fs::write(&path, content).unwrap();
        let mut store = wijkkompas::store::Store::open(&db).unwrap();
        let summary =
            wijkkompas::exchange::import_file(&mut store, &path, None, &mut |_, _| {}).unwrap();
        assert_eq!(
            (summary.added, summary.conflicts.len()),
            (1200, 0),
            "{name}"
        );
        let conn = Connection::open(&db).unwrap();
        let rows = |sql: &str| -> Vec<String> {
            conn.prepare(sql)
                .unwrap()
                .query_map([], |r| r.get::<_, String>(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        (
            rows("SELECT id || ' ' || initiative_id || ' ' || score_bonding || ' ' || score_linking FROM self_checks ORDER BY id"),
            rows("SELECT gm_code || ' ' || part || ' ' || n || ' ' || total FROM score_sums ORDER BY gm_code, part"),
            rows("SELECT initiative_id || ' ' || checks || ' ' || latest_at || ' ' || bonding FROM initiative_facts ORDER BY initiative_id"),
        )
    };
    let usual = imported("usual", text.clone());
    assert_eq!(usual.0.len(), 1000);
    assert!(!usual.1.is_empty() && usual.2.len() == 200);
    assert_eq!(
        imported("reversed", reversed.clone()),
        usual,
        "a small file, lists reversed"
    );
    assert_eq!(
        imported("reversed-large", padded(&reversed)),
        usual,
        "a streamed file, lists reversed"
    );
    assert_eq!(
        imported("usual-large", padded(&text)),
        usual,
        "a streamed file"
    );
}
