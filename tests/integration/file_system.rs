//! What the file system can put in an import's way: folders holding links, subfolders, FIFOs,
//! devices, unreadable files and names that are no UTF-8 or hold escape sequences.
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wijkkompas::catalog::catalog;

use crate::util::Sandbox;

/// A sandbox with one self-check, and its bundle written to `to`.
fn bundle_at(to: &Path) -> Sandbox {
    let sb = Sandbox::new();
    let answers: Value = catalog()
        .statements()
        .map(|s| (s.id.clone(), json!(3)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let input = json!({"initiative": {"name": "Buurttuin", "lat": 52.09, "lon": 5.12, "role": "resident"}, "answers": answers});
    let f = sb.file("in.json", &input.to_string());
    sb.json(&["check", "--input", f.to_str().unwrap(), "--json"]);
    let out = sb.run(&["export", "--format", "bundle", "-o", to.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    sb
}

/// Runs the CLI on `sb`'s database, killed (and the test failed) if it has not ended in 60 s:
/// a FIFO opened for reading waits for a writer that never comes.
fn run_in_time(sb: &Sandbox, args: &[&OsStr]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wijkkompas"))
        .args(args)
        .env("WIJKKOMPAS_DB", sb.db())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("{args:?} did not end within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

/// The reasons a folder import gave, by listed name.
fn ignored(summary: &Value) -> Vec<(String, String)> {
    summary["ignored"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["name"].as_str().unwrap().to_string(),
                i["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_folder_import_lists_every_entry_it_left_alone_and_never_waits_on_a_fifo() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    let _source = bundle_at(&folder.join("01-kolk.json"));
    // The same bundle under a name that is no UTF-8: opened by its real name.
    let odd = folder.join(OsStr::from_bytes(b"02-linde-\xff.json"));
    std::fs::copy(folder.join("01-kolk.json"), &odd).unwrap();
    // A bundle outside the folder, reached only by a link: the link is not followed.
    let outside = dir.path().join("elders.json");
    std::fs::copy(folder.join("01-kolk.json"), &outside).unwrap();
    std::os::unix::fs::symlink(&outside, folder.join("link.json")).unwrap();
    std::os::unix::fs::symlink("/dev/null", folder.join("null.json")).unwrap();
    std::fs::create_dir(folder.join("map.json")).unwrap();
    mkfifo(&folder.join("pijp.json"));
    let device = Command::new("mknod")
        .arg(folder.join("apparaat.json"))
        .args(["c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !device {
        eprintln!(
            "skipped: a device in the folder (mknod is not permitted here); the FIFO stands for it"
        );
    }

    let sb = Sandbox::new();
    let out = run_in_time(&sb, &[os("import"), folder.as_os_str(), os("--json")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: Vec<(&str, &str)> = summary["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["file"].as_str().unwrap(), f["result"].as_str().unwrap()))
        .collect();
    assert_eq!(
        files,
        [
            ("01-kolk.json", "imported"),
            ("02-linde-\\xff.json", "already_present")
        ]
    );
    let mut expected = vec![
        ("link.json", "symbolic_link"),
        ("map.json", "subfolder"),
        ("null.json", "symbolic_link"),
        ("pijp.json", "special"),
    ];
    if device {
        expected.insert(0, ("apparaat.json", "special"));
    }
    let expected: Vec<(String, String)> = expected
        .into_iter()
        .map(|(n, r)| (n.to_string(), r.to_string()))
        .collect();
    assert_eq!(ignored(&summary), expected);

    // In text, each with its reason.
    let text = run_in_time(&sb, &[os("import"), folder.as_os_str()]);
    let text = String::from_utf8(text.stdout).unwrap();
    for line in [
        "symbolic link     link.json (not followed)",
        "subfolder         map.json (not imported)",
        "not a file        pijp.json (a FIFO, device or socket: not opened)",
        "already present   02-linde-\\xff.json",
    ] {
        assert!(text.contains(line), "{line:?} in {text}");
    }

    // A FIFO or a device named as the file to import is refused at once, not waited on.
    let mut named = vec![folder.join("pijp.json")];
    if device {
        named.push(folder.join("apparaat.json"));
    }
    for path in named {
        let out = run_in_time(
            &sb,
            &[os("import"), path.as_os_str(), os("--lang"), os("en")],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains("not a regular file"),
            "{err}"
        );
    }
}

/// Runs the CLI as the user nobody: root reads a file whatever its mode, nobody does not.
fn run_as_nobody(sb: &Sandbox, args: &[&OsStr]) -> Output {
    use std::os::unix::process::CommandExt;
    Command::new(env!("CARGO_BIN_EXE_wijkkompas"))
        .args(args)
        .env("WIJKKOMPAS_DB", sb.db())
        .uid(65534)
        .gid(65534)
        .output()
        .unwrap()
}

#[test]
fn an_unreadable_bundle_in_a_folder_is_listed_as_unreadable_and_the_rest_imported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    let _source = bundle_at(&folder.join("01-kolk.json"));
    let secret = folder.join("02-geheim.json");
    std::fs::copy(folder.join("01-kolk.json"), &secret).unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let root = std::fs::File::open(&secret).is_ok();
    let sb = Sandbox::new();
    let args = [
        os("import"),
        folder.as_os_str(),
        os("--json"),
        os("--lang"),
        os("en"),
    ];
    let out = if root {
        // Root ignores the mode: the CLI runs as nobody, in folders nobody may use.
        for d in [dir.path(), &folder, sb.dir.path()] {
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o777)).unwrap();
        }
        std::fs::set_permissions(
            folder.join("01-kolk.json"),
            std::fs::Permissions::from_mode(0o644),
        )
        .unwrap();
        run_as_nobody(&sb, &args)
    } else {
        run_in_time(&sb, &args)
    };
    assert!(
        !out.status.success(),
        "an unreadable bundle is a file not imported"
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["files"][0]["result"], "imported");
    assert_eq!(summary["files"][1]["file"], "02-geheim.json");
    assert_eq!(summary["files"][1]["result"], "rejected");
    let message = summary["files"][1]["message"].as_str().unwrap();
    assert!(message.contains("ermission denied"), "{message}");
}

/// A path with escape sequences and a direction override in its file name.
fn hostile(dir: &Path) -> PathBuf {
    dir.join("kolk-\u{1b}[31mrood\u{1b}[0m-\u{202e}nosj.json")
}

fn assert_clean(what: &str, text: &str) {
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "{what} holds a raw escape or direction override: {text:?}"
    );
}

#[test]
fn a_bundle_file_name_with_escapes_reaches_no_terminal_database_or_export_unescaped() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    let file = hostile(&folder);
    let _source = bundle_at(&file);
    std::fs::write(folder.join("\u{1b}[2Jkapot\n.json"), "{").unwrap();
    mkfifo(&hostile(dir.path()));

    let sb = Sandbox::new();
    for args in [
        vec![os("import"), file.as_os_str()],
        vec![os("import"), folder.as_os_str()],
        vec![os("import"), folder.as_os_str(), os("--json")],
        vec![os("import"), hostile(dir.path()).into_os_string().leak()],
    ] {
        let out = run_in_time(&sb, &args);
        assert_clean("the output", &String::from_utf8_lossy(&out.stdout));
        assert_clean("the error", &String::from_utf8_lossy(&out.stderr));
    }
    let list = sb.json(&["list", "--json"]);
    let shown = list[0]["source"]["file"].as_str().unwrap();
    assert_eq!(shown, "kolk-\\u{1b}[31mrood\\u{1b}[0m-\\u{202e}nosj.json");
    let conn = rusqlite::Connection::open(sb.db()).unwrap();
    let stored: Vec<String> = conn
        .prepare("SELECT file FROM imports")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_clean("the stored file name", &stored[0]);
    let csv = dir.path().join("uit.csv");
    let out = sb.run(&["export", "--format", "csv", "-o", csv.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_clean(
        "the CSV export",
        &String::from_utf8_lossy(&std::fs::read(&csv).unwrap()),
    );
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The database, its sidecars and every backup beside it are the owner's only.
fn assert_owner_only(db: &Path) {
    for side in ["", "-wal", "-shm"] {
        let file = PathBuf::from(format!("{}{side}", db.display()));
        if file.exists() {
            assert_eq!(mode(&file), 0o600, "{}", file.display());
        }
    }
    let backups = db.parent().unwrap().join("backups");
    assert_eq!(mode(&backups), 0o700, "the backups folder");
    let made: Vec<_> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!made.is_empty());
    for b in made {
        assert_eq!(mode(&b), 0o600, "{}", b.display());
    }
}

#[test]
fn the_database_and_its_backups_are_the_owners_only_and_a_chosen_folder_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let input = home.path().join("in.json");
    let answers: Value = catalog()
        .statements()
        .map(|s| (s.id.clone(), json!(3)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    std::fs::write(&input, json!({"initiative": {"name": "Buurttuin", "lat": 52.09, "lon": 5.12, "role": "resident"}, "answers": answers}).to_string()).unwrap();
    // The app's own folder, as the app and the CLI find it without --db.
    let run = |args: &[&OsStr]| {
        let out = Command::new(env!("CARGO_BIN_EXE_wijkkompas"))
            .args(args)
            .env_remove("WIJKKOMPAS_DB")
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", &data)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[os("check"), os("--input"), input.as_os_str()]);
    run(&[os("backup")]);
    let own = data.join("nl.wijkkompas.app");
    // A backup an older version left readable to others is narrowed with the next backup.
    let older = own
        .join("backups")
        .join("wijkkompas-20250101-120000-000-daily.db");
    std::fs::copy(own.join("wijkkompas.db"), &older).unwrap();
    std::fs::set_permissions(&older, std::fs::Permissions::from_mode(0o644)).unwrap();
    run(&[os("backup")]);
    assert_eq!(mode(&own), 0o700, "the app's own data folder");
    assert_owner_only(&own.join("wijkkompas.db"));

    // A folder chosen with --db keeps its mode; the database in it is the owner's.
    let chosen = home.path().join("gedeeld");
    std::fs::create_dir(&chosen).unwrap();
    std::fs::set_permissions(&chosen, std::fs::Permissions::from_mode(0o755)).unwrap();
    let db = chosen.join("wijkkompas.db");
    run(&[
        os("--db"),
        db.as_os_str(),
        os("check"),
        os("--input"),
        input.as_os_str(),
    ]);
    run(&[os("--db"), db.as_os_str(), os("backup")]);
    assert_eq!(mode(&chosen), 0o755, "a folder the person chose");
    assert_owner_only(&db);
}

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
