//! Where the database lives and what that place allows: commands that only read, a read-only
//! medium, a full disk.
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::file_system::{bundle_at, mode, os};
use crate::util::Sandbox;

/// A sandbox with one self-check, made by `check` (a new database: no daily backup yet).
fn with_a_check() -> Sandbox {
    let dir = tempfile::tempdir().unwrap();
    let sb = bundle_at(&dir.path().join("uit.json"));
    let _ = std::fs::remove_dir_all(sb.dir.path().join("backups"));
    sb
}

fn db_state(db: &Path) -> Vec<Option<Vec<u8>>> {
    ["", "-wal"]
        .iter()
        // A reader may leave an empty -wal behind (SQLite's own, without a page in it).
        .map(|side| {
            std::fs::read(format!("{}{side}", db.display()))
                .ok()
                .filter(|b| !b.is_empty())
        })
        .collect()
}

#[test]
fn reading_commands_write_nothing_settle_nothing_and_make_no_backup() {
    let sb = with_a_check();
    // A folder import cut off before its end left an initiative to settle.
    let conn = rusqlite::Connection::open(sb.db()).unwrap();
    conn.execute(
        "INSERT INTO facts_pending (initiative_id) SELECT id FROM initiatives",
        [],
    )
    .unwrap();
    drop(conn);
    let before = db_state(&sb.db());
    let out_dir = tempfile::tempdir().unwrap();
    let csv = out_dir.path().join("uit.csv");
    let copy = out_dir.path().join("kopie.db");
    for args in [
        vec!["list", "--json"],
        vec!["stats", "--json"],
        vec![
            "stats",
            "--municipality",
            "GM0344",
            "--by-quarter",
            "--json",
        ],
        vec!["backups", "--json"],
        vec!["export", "--format", "csv", "-o", csv.to_str().unwrap()],
        vec!["backup", "-o", copy.to_str().unwrap()],
    ] {
        let out = sb.run(&args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            db_state(&sb.db()) == before,
            "{args:?} changed the database"
        );
        assert!(
            !sb.dir.path().join("backups").exists(),
            "{args:?} made a daily backup"
        );
    }
    // The copy is a whole database of ours, the owner's only.
    let copied = rusqlite::Connection::open(&copy).unwrap();
    let n: i64 = copied
        .query_row("SELECT count(*) FROM self_checks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(mode(&copy), 0o600);
    // The next writing command settles and makes the daily backup.
    let again = out_dir.path().join("again.json");
    let out = sb.run(&[
        "export",
        "--format",
        "bundle",
        "-o",
        again.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    // As another machine passes it on (a file that says this machine made it is refused).
    let mut passed_on: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&again).unwrap()).unwrap();
    passed_on["machine"]["id"] = serde_json::json!(uuid::Uuid::new_v4().to_string());
    std::fs::write(&again, passed_on.to_string()).unwrap();
    let out = sb.run(&["import", again.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conn = rusqlite::Connection::open(sb.db()).unwrap();
    let pending: i64 = conn
        .query_row("SELECT count(*) FROM facts_pending", [], |r| r.get(0))
        .unwrap();
    assert_eq!(pending, 0, "settled by the writing command");
    assert!(sb.dir.path().join("backups").exists(), "the daily backup");
}

/// A read-only bind mount of a folder, taken away again when dropped.
struct ReadOnlyMount(PathBuf);

impl ReadOnlyMount {
    fn of(from: &Path, at: &Path) -> Option<ReadOnlyMount> {
        std::fs::create_dir_all(at).unwrap();
        let bind = Command::new("mount")
            .arg("--bind")
            .arg(from)
            .arg(at)
            .stderr(Stdio::null())
            .status();
        if !bind.is_ok_and(|s| s.success()) {
            return None;
        }
        let mount = ReadOnlyMount(at.to_path_buf());
        let ro = Command::new("mount")
            .args(["-o", "remount,bind,ro"])
            .arg(at)
            .stderr(Stdio::null())
            .status();
        ro.is_ok_and(|s| s.success()).then_some(mount)
    }
}

impl Drop for ReadOnlyMount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_database_on_a_read_only_medium_can_be_read_and_exported_and_says_saving_is_not_possible() {
    let sb = with_a_check();
    let outside = tempfile::tempdir().unwrap();
    let at = outside.path().join("stick");
    let Some(_mount) = ReadOnlyMount::of(sb.dir.path(), &at) else {
        eprintln!(
            "skipped: a read-only bind mount is not permitted here (mount --bind needs root)"
        );
        return;
    };
    let db = at.join("wijkkompas.db");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_wijkkompas"))
            .arg("--db")
            .arg(&db)
            .args(["--lang", "en"])
            .args(args)
            .output()
            .unwrap()
    };
    let csv = outside.path().join("uit.csv");
    let copy = outside.path().join("kopie.db");
    for args in [
        vec!["list", "--json"],
        vec!["stats", "--json"],
        vec!["export", "--format", "csv", "-o", csv.to_str().unwrap()],
        vec!["backup", "-o", copy.to_str().unwrap()],
    ] {
        let out = run(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {err}");
        assert!(
            err.contains("cannot save"),
            "{args:?} says saving is not possible: {err}"
        );
    }
    let listed: Value = serde_json::from_slice(&run(&["list", "--json"]).stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(std::fs::read_to_string(&csv).unwrap().contains("Buurttuin"));
    // A command that saves says why it cannot.
    let input = outside.path().join("in.json");
    std::fs::write(&input, "{}").unwrap();
    let out = run(&[
        "review",
        listed[0]["initiative_id"].as_str().unwrap(),
        "--status",
        "in_review",
        "--by",
        "Anna",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("cannot save"),
        "{err}"
    );
}

/// A small tmpfs, unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(at: &Path, size: &str) -> Option<SmallDisk> {
        std::fs::create_dir_all(at).unwrap();
        let made = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status();
        made.is_ok_and(|s| s.success())
            .then(|| SmallDisk(at.to_path_buf()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_during_an_import_is_said_plainly_and_reading_and_copying_still_work() {
    let outside = tempfile::tempdir().unwrap();
    let Some(_disk) = SmallDisk::mount(&outside.path().join("klein"), "2m") else {
        eprintln!("skipped: a small tmpfs cannot be mounted here (mount -t tmpfs needs root)");
        return;
    };
    let db = outside.path().join("klein/wijkkompas.db");
    let folder = outside.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    let _kolk = bundle_at(&folder.join("1-kolk.json"));
    let large = folder.join("2-groot.json");
    std::fs::write(&large, crate::large_bundles::bundle_text(3000, 1)).unwrap();
    let _linde = bundle_at(&folder.join("3-linde.json"));
    let run = |args: &[&OsStr]| {
        Command::new(env!("CARGO_BIN_EXE_wijkkompas"))
            .arg("--db")
            .arg(&db)
            .args(["--lang", "en"])
            .args(args)
            .output()
            .unwrap()
    };
    // The large file alone: refused whole, in plain words.
    let out = run(&[os("import"), large.as_os_str()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the large file does not fit");
    assert!(
        err.contains("The disk is full. None of this was saved"),
        "{err}"
    );

    let out = run(&[os("import"), folder.as_os_str(), os("--json")]);
    assert!(!out.status.success());
    let summary: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let files = summary["files"].as_array().unwrap();
    assert_eq!(files[0]["result"], "imported", "{summary}");
    assert_eq!(files[1]["result"], "rejected", "{summary}");
    assert!(
        files[1]["message"]
            .as_str()
            .unwrap()
            .contains("The disk is full. None of this was saved"),
        "{summary}"
    );
    let imported = files.iter().filter(|f| f["result"] == "imported").count();

    // What was committed is there, and can be read, listed, counted, exported and copied away.
    let out = run(&[os("list"), os("--json")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), imported);
    let out = run(&[os("stats"), os("--json")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = outside.path().join("uit.csv");
    let out = run(&[
        os("export"),
        os("--format"),
        os("csv"),
        os("-o"),
        csv.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read_to_string(&csv).unwrap().contains("Buurttuin"));
    let copy = outside.path().join("kopie.db");
    let out = run(&[os("backup"), os("-o"), copy.as_os_str()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let copied = rusqlite::Connection::open(&copy).unwrap();
    let n: i64 = copied
        .query_row("SELECT count(*) FROM self_checks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n as usize, imported);
}

#[test]
fn an_older_database_on_a_read_only_medium_is_read_through_a_copy_brought_up_to_date() {
    let sb = Sandbox::new();
    rusqlite::Connection::open(sb.db())
        .unwrap()
        .execute_batch(include_str!("../fixtures/schema-v1.sql"))
        .unwrap();
    let before = std::fs::read(sb.db()).unwrap();
    let outside = tempfile::tempdir().unwrap();
    let at = outside.path().join("stick");
    let Some(_mount) = ReadOnlyMount::of(sb.dir.path(), &at) else {
        eprintln!(
            "skipped: a read-only bind mount is not permitted here (mount --bind needs root)"
        );
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_wijkkompas"))
        .arg("--db")
        .arg(at.join("wijkkompas.db"))
        .args(["--lang", "en", "list", "--json"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("cannot save"), "{err}");
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed[0]["initiative"]["name"], "Buurtkamer Oost");
    drop(_mount);
    assert_eq!(
        std::fs::read(sb.db()).unwrap(),
        before,
        "the file is as it was"
    );
}
