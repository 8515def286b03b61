//! PINs and passwords on the command line: never in its arguments, and on a kiosk the settings
//! are the coordinator's.
use rusqlite::Connection;
use serde_json::{json, Value};

use crate::util::Sandbox;

const PIN: (&str, &str) = ("WIJKKOMPAS_PIN", "2468");

/// A machine in kiosk mode with the coordinator's PIN 2468, set as a new PIN is.
fn kiosk() -> Sandbox {
    let sb = Sandbox::new();
    let on = sb.json_with(
        &["settings", "--kiosk", "on", "--new-pin", "--json"],
        &[("WIJKKOMPAS_NEW_PIN", "2468")],
    );
    assert_eq!((&on["kiosk"], &on["has_pin"]), (&json!(true), &json!(true)));
    sb
}

/// The settings rows as stored, to show that a refused change wrote nothing.
fn stored(sb: &Sandbox) -> Vec<(String, String)> {
    let conn = Connection::open(sb.db()).unwrap();
    let mut rows = conn
        .prepare("SELECT key, value FROM settings WHERE key NOT LIKE 'pin_%' ORDER BY key")
        .unwrap();
    let rows = rows
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    rows
}

#[test]
fn a_pin_is_never_taken_from_the_arguments() {
    let sb = Sandbox::new();
    for args in [
        &["settings", "--kiosk", "on", "--pin", "2468"][..],
        &[
            "sync",
            "--postgres",
            "postgres://u@127.0.0.1:1/db",
            "--pin",
            "2468",
        ],
    ] {
        let out = sb.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?} is not understood");
    }
    assert_eq!(sb.json(&["settings", "--json"])["has_pin"], json!(false));
}

#[test]
fn a_new_pin_comes_from_the_environment_or_one_line_of_standard_input() {
    let sb = kiosk();
    // The current PIN's line first, then the new one's.
    let out = sb.run_with(
        &["settings", "--new-pin", "--json"],
        &[],
        Some("2468\n1357\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(sb
        .error_with(&["settings", "--timeout", "3"], &[PIN])
        .contains("not right"));
    let s = sb.json_with(
        &["settings", "--timeout", "3", "--json"],
        &[("WIJKKOMPAS_PIN", "1357")],
    );
    assert_eq!(s["timeout_minutes"], json!(3));
}

/// The refusals the issue names: switching kiosk mode off and changing the PIN, without the
/// current PIN or with a wrong one; each is read back to show nothing changed.
#[test]
fn on_a_kiosk_the_settings_change_only_with_the_current_pin() {
    let sb = kiosk();
    let before = stored(&sb);
    let hash = || -> String {
        Connection::open(sb.db())
            .unwrap()
            .query_row(
                "SELECT value FROM settings WHERE key = 'pin_hash'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let first_hash = hash();
    let msg = sb.error(&["settings", "--kiosk", "off"]);
    assert!(msg.contains("WIJKKOMPAS_PIN"), "{msg}");
    let msg = sb.error_with(
        &["settings", "--new-pin"],
        &[("WIJKKOMPAS_NEW_PIN", "1111")],
    );
    assert!(msg.contains("WIJKKOMPAS_PIN"), "{msg}");
    let msg = sb.error_with(
        &["settings", "--kiosk", "off", "--name", "Elders"],
        &[("WIJKKOMPAS_PIN", "1111")],
    );
    assert!(msg.contains("not right"), "{msg}");
    assert_eq!(stored(&sb), before, "nothing changed");
    assert_eq!(hash(), first_hash, "the PIN neither");
    let s: Value = sb.json(&["settings", "--json"]);
    assert_eq!(s["kiosk"], json!(true), "showing needs no PIN");

    let off = sb.json_with(&["settings", "--kiosk", "off", "--json"], &[PIN]);
    assert_eq!(off["kiosk"], json!(false));
}

#[test]
fn a_database_address_with_a_password_is_refused_without_repeating_it() {
    let sb = Sandbox::new();
    let msg = sb.error(&[
        "sync",
        "--postgres",
        "postgres://wijk:hunter2@127.0.0.1:1/wijkkompas",
    ]);
    assert!(
        msg.contains("PGPASSWORD") && !msg.contains("hunter2"),
        "{msg}"
    );
    let msg = sb.error(&[
        "sync",
        "--postgres",
        "host=127.0.0.1 port=1 user=wijk password=hunter2 dbname=wijkkompas",
    ]);
    assert!(
        msg.contains("PGPASSWORD") && !msg.contains("hunter2"),
        "{msg}"
    );
}

#[test]
fn a_kiosk_syncs_only_with_the_pin_from_the_environment() {
    let sb = kiosk();
    // The PIN is asked before the server is: refused without it, and nothing is tried.
    let msg = sb.error(&[
        "sync",
        "--postgres",
        "postgres://wijk@127.0.0.1:1/wijkkompas",
    ]);
    assert!(msg.contains("WIJKKOMPAS_PIN"), "{msg}");
    // With it, the sync goes on to the (absent) server.
    let msg = sb.error_with(
        &[
            "sync",
            "--postgres",
            "postgres://wijk@127.0.0.1:1/wijkkompas",
        ],
        &[PIN],
    );
    assert!(!msg.contains("PIN"), "{msg}");
}

/// Forty CLI processes at once with a wrong PIN, on one database: four are told how many tries
/// are left, the other thirty-six that PIN entry is locked; none changed anything.
#[test]
fn forty_processes_with_a_wrong_pin_pass_neither_the_count_nor_the_lock() {
    let sb = kiosk();
    sb.json(&["settings", "--json"]); // the day's backup, made before the race
    let before = stored(&sb);
    let messages: Vec<String> = std::thread::scope(|s| {
        let runs: Vec<_> = (0..40)
            .map(|i| {
                let sb = &sb;
                s.spawn(move || {
                    let pin = format!("{:04}", 1000 + i);
                    let out = sb.run_with(
                        &["settings", "--kiosk", "off", "--lang", "en"],
                        &[("WIJKKOMPAS_PIN", &pin)],
                        None,
                    );
                    assert!(!out.status.success());
                    String::from_utf8_lossy(&out.stderr).into_owned()
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let left = messages.iter().filter(|m| m.contains("tries left")).count();
    let locked = messages
        .iter()
        .filter(|m| m.contains("Too many wrong PINs"))
        .count();
    assert_eq!((left, locked), (4, 36), "{messages:#?}");
    assert_eq!(stored(&sb), before, "nothing changed");
    assert!(sb
        .error_with(&["settings", "--kiosk", "off"], &[PIN])
        .contains("Too many wrong PINs"));
}
