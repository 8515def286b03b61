//! What the file system can put in an import's way: folders holding links, subfolders, FIFOs,
//! devices, unreadable files and names that are no UTF-8 or hold escape sequences.
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wijkkompas::content::catalog::catalog;

use crate::util::Sandbox;

/// A sandbox with one self-check, and its bundle written to `to`.
pub(crate) fn bundle_at(to: &Path) -> Sandbox {
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

pub(crate) fn os(s: &str) -> &OsStr {
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
    // In the person's words, not the system's "Permission denied".
    assert!(message.contains("no permission to read"), "{message}");
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

pub(crate) fn mode(path: &Path) -> u32 {
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
