//! Encrypted bundles, the kiosk's export rule and the machine's settings.
use serde_json::{json, Value};

use crate::util::{file_bytes, Sandbox};

fn save(sb: &Sandbox, name: &str) -> Value {
    let f = sb.file(&format!("{name}.json"), &json!({"initiative": {"name": name, "lat": 52.09, "lon": 5.12, "role": "resident"}, "answers": {"bonding-1-a": 4}}).to_string());
    sb.json(&["check", "--input", f.to_str().unwrap(), "--json"])
}

fn keygen(sb: &Sandbox, name: &str) -> (std::path::PathBuf, String) {
    let path = sb.dir.path().join(name);
    let out = sb.run(&["keygen", "-o", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let public = text.lines().last().unwrap().trim().to_string();
    assert!(
        public.starts_with("age1"),
        "the public key is the last line: {text}"
    );
    (path, public)
}

#[test]
fn keygen_writes_an_owner_only_key_and_prints_the_public_key_last() {
    let sb = Sandbox::new();
    let (path, public) = keygen(&sb, "gemeente.key");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("AGE-SECRET-KEY-1") && text.contains(&public));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    assert!(
        sb.error(&["keygen", "-o", path.to_str().unwrap()])
            .contains("Cannot write the key file"),
        "never overwrites a key"
    );
}

#[test]
fn an_encrypted_bundle_round_trips_only_with_the_right_key() {
    let centre = Sandbox::new();
    let first = save(&centre, "Buurtkamer");
    let town = Sandbox::new();
    let (identity, public) = keygen(&town, "gemeente.key");
    let bundle = centre.dir.path().join("bundle.age");
    assert!(centre
        .run(&[
            "export",
            "--format",
            "bundle",
            "--encrypt-to",
            &public,
            "-o",
            bundle.to_str().unwrap()
        ])
        .status
        .success());
    let bytes = file_bytes(&bundle);
    assert!(bytes.starts_with(b"age-encryption.org/v1"));
    assert!(
        !String::from_utf8_lossy(&bytes).contains("Buurtkamer"),
        "nothing readable in the file"
    );

    assert!(town
        .error(&["import", bundle.to_str().unwrap()])
        .contains("This bundle is encrypted. The municipality's private key is needed"));
    let (other, _) = keygen(&town, "other.key");
    assert!(town
        .error(&[
            "import",
            bundle.to_str().unwrap(),
            "--identity",
            other.to_str().unwrap()
        ])
        .contains("encrypted for another key"));
    assert!(
        town.json(&["list", "--json"])
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing imported without the key"
    );

    let summary = town.json(&[
        "import",
        bundle.to_str().unwrap(),
        "--identity",
        identity.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(summary, json!({"added": 2, "skipped": 0, "conflicts": []}));
    assert_eq!(town.json(&["list", "--json"])[0]["id"], first["id"]);
}

#[test]
fn a_kiosk_with_a_key_never_exports_a_plain_bundle() {
    let centre = Sandbox::new();
    save(&centre, "Buurtkamer");
    let (_, public) = keygen(&centre, "gemeente.key");
    let s = centre.json_with(
        &[
            "settings",
            "--kiosk",
            "on",
            "--public-key",
            &public,
            "--new-pin",
            "--json",
        ],
        &[("WIJKKOMPAS_NEW_PIN", "2468")],
    );
    assert_eq!(
        (s["kiosk"].as_bool(), s["has_pin"].as_bool()),
        (Some(true), Some(true))
    );
    assert!(s.get("pin_hash").is_none(), "the PIN's hash is never shown");
    let bundle = centre.dir.path().join("b.json");
    assert!(centre
        .run(&[
            "export",
            "--format",
            "bundle",
            "-o",
            bundle.to_str().unwrap()
        ])
        .status
        .success());
    assert!(
        file_bytes(&bundle).starts_with(b"age-encryption.org/v1"),
        "encrypted to the stored key"
    );
    let pins = [("WIJKKOMPAS_PIN", "2468"), ("WIJKKOMPAS_NEW_PIN", "12")];
    assert!(centre
        .error_with(&["settings", "--public-key", "nope"], &pins)
        .contains("not a public key"));
    assert!(centre
        .error_with(&["settings", "--new-pin"], &pins)
        .contains("4 to 12 digits"));
}

fn later(days: i64) -> String {
    (time::OffsetDateTime::now_utc() + time::Duration::days(days))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

#[test]
fn retention_marks_then_removes_and_an_old_bundle_cannot_bring_a_check_back() {
    let sb = Sandbox::new();
    let kept_for_export = save(&sb, "Oud");
    let bundle = sb.dir.path().join("old.json");
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
    assert!(sb.error(&["purge"]).contains("No retention period"));
    sb.json(&["settings", "--retention", "1", "--json"]);

    let now = sb.json(&["purge", "--json"]);
    assert_eq!(
        now,
        json!({"marked": 0, "removed": 0}),
        "nothing is old yet"
    );
    let marked = sb.json(&["purge", "--pretend-now", &later(40), "--json"]);
    assert_eq!(marked, json!({"marked": 1, "removed": 0}));
    assert!(
        sb.json(&["list", "--json"]).as_array().unwrap().is_empty(),
        "a marked check is hidden at once"
    );
    assert_eq!(sb.json(&["stats", "--json"])["checks"], 0);
    let removed = sb.json(&["purge", "--pretend-now", &later(40 + 15), "--json"]);
    assert_eq!(removed, json!({"marked": 0, "removed": 1}));

    let conn = rusqlite::Connection::open(sb.db()).unwrap();
    let (n, tomb): (i64, String) = conn
        .query_row("SELECT (SELECT count(*) FROM self_checks), (SELECT id FROM tombstones WHERE kind = 'self_check')", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(
        (n, tomb.as_str()),
        (0, kept_for_export["id"].as_str().unwrap())
    );
    let logged: i64 = conn
        .query_row("SELECT count(*) FROM purge_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(logged, 3);
    let answers: i64 = conn
        .query_row("SELECT count(*) FROM answers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(answers, 0, "the answers are gone too");

    let mut old: Value = serde_json::from_slice(&std::fs::read(&bundle).unwrap()).unwrap();
    // As another machine passes it on: a file that says this machine exported it is refused.
    old["machine"]["id"] = json!(uuid::Uuid::new_v4().to_string());
    std::fs::write(&bundle, old.to_string()).unwrap();
    let again = sb.json(&["import", bundle.to_str().unwrap(), "--json"]);
    assert_eq!(again["added"], 0);
    assert!(
        sb.json(&["list", "--json"]).as_array().unwrap().is_empty(),
        "the purged check stays purged"
    );
}

#[test]
fn kiosk_checks_get_a_return_code_rounding_and_consent_are_honoured() {
    let sb = Sandbox::new();
    let plain = save(&sb, "Gewoon");
    assert_eq!(
        plain["return_code"],
        Value::Null,
        "no codes outside kiosk mode"
    );
    sb.json_with(
        &[
            "settings",
            "--kiosk",
            "on",
            "--new-pin",
            "--round-location",
            "on",
            "--json",
        ],
        &[("WIJKKOMPAS_NEW_PIN", "2468")],
    );
    let input = sb.file("k.json", &json!({"initiative": {"name": "Kiosk", "lat": 52.091234, "lon": 5.123456, "role": "resident"}, "answers": {}}).to_string());
    let r = sb.json(&["check", "--input", input.to_str().unwrap(), "--json"]);
    let code = r["return_code"].as_str().unwrap();
    assert!(
        code.len() == 9 && code.chars().nth(4) == Some('-'),
        "{code}"
    );
    let conn = rusqlite::Connection::open(sb.db()).unwrap();
    let (lat, lon): (f64, f64) = conn
        .query_row(
            "SELECT lat, lon FROM initiatives WHERE name = 'Kiosk'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert_eq!((lat, lon), (52.091, 5.123), "stored to about 100 m");
    assert_eq!(r["municipality"]["code"], "GM0344");
    let codes: i64 = conn
        .query_row(
            "SELECT count(*) FROM return_codes WHERE code_hash NOT LIKE '%' || ?1 || '%'",
            [code],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(codes, 1, "only a hash of the code is kept");

    let with_contact = sb.file("c.json", &json!({"initiative": {"name": "Contact", "lat": 52.09, "lon": 5.12, "role": "resident", "contact": "06-12345678", "consent": true}, "answers": {}}).to_string());
    assert!(
        sb.error(&["check", "--input", with_contact.to_str().unwrap()])
            .contains("explicit consent"),
        "not asked on this machine"
    );
}

#[test]
fn the_purge_removes_a_group_check_with_its_respondents_notes_plan_and_open_rounds() {
    let sb = Sandbox::new();
    let input = json!({
        "initiative": {"name": "Buurtkamer", "lat": 52.09, "lon": 5.12},
        "respondents": [{"role": "resident", "answers": {"bonding-1-a": 5}}, {"role": "resident", "answers": {"bonding-1-a": 1}}],
        "notes": {"bonding-1": {"good": "Gezellig", "better": "Te klein"}},
        "actions": [{"text": "Grotere ruimte zoeken", "due": "2027-03-01", "lesson": "bonding-1"}]
    });
    let f = sb.file("group.json", &input.to_string());
    sb.json(&["check", "--input", f.to_str().unwrap(), "--json"]);
    {
        // An open round as well (started in the app), with one member's answers.
        let store = wijkkompas::store::Store::open(&sb.db()).unwrap();
        store
            .start_session(None, Some("{}"), wijkkompas::model::Role::Resident, "[]")
            .unwrap();
    }
    sb.json(&["settings", "--retention", "1", "--json"]);
    sb.json(&["purge", "--pretend-now", &later(40), "--json"]);
    sb.json(&["purge", "--pretend-now", &later(40 + 15), "--json"]);
    let conn = rusqlite::Connection::open(sb.db()).unwrap();
    for table in [
        "self_checks",
        "respondents",
        "answers",
        "lesson_notes",
        "actions",
        "action_outcomes",
        "sessions",
        "session_members",
    ] {
        let n: i64 = conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0, "{table} is empty after the purge");
    }
}

/// The backups in the database's backup folder, as the CLI lists them.
fn backups(sb: &Sandbox) -> Vec<String> {
    sb.json(&["backups", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["path"].as_str().unwrap().to_string())
        .collect()
}

/// Whether any backup still holds a record with this id (in any table that keeps ids).
fn in_a_backup(sb: &Sandbox, id: &str) -> bool {
    backups(sb).iter().any(|path| {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM self_checks WHERE id = ?1 OR initiative_id = ?1)
                 OR EXISTS (SELECT 1 FROM initiatives WHERE id = ?1 AND name <> '–')",
            [id],
            |r| r.get::<_, bool>(0),
        )
        .unwrap()
    })
}

#[test]
fn a_removal_for_good_leaves_no_copy_in_the_backups() {
    let sb = Sandbox::new();
    let old = save(&sb, "Oud");
    sb.json(&["backup", "--json"]);
    sb.json(&["settings", "--retention", "1", "--json"]);
    sb.json(&["purge", "--pretend-now", &later(40), "--json"]);
    assert!(
        in_a_backup(&sb, old["id"].as_str().unwrap()),
        "while only marked, a backup can still undo a mistaken setting"
    );
    sb.json(&["purge", "--pretend-now", &later(55), "--json"]);
    assert!(!in_a_backup(&sb, old["id"].as_str().unwrap()));
    assert!(!in_a_backup(&sb, old["initiative_id"].as_str().unwrap()));
    assert_eq!(
        backups(&sb).len(),
        1,
        "one backup of the state after the removal"
    );

    let kept = save(&sb, "Blijft");
    let erased = save(&sb, "Weg");
    sb.json(&["backup", "--json"]);
    let id = erased["initiative_id"].as_str().unwrap();
    sb.json(&[
        "erase",
        id,
        "--reason",
        "Verzoek van de deelnemer",
        "--json",
    ]);
    assert!(!in_a_backup(&sb, id), "an erasure reaches the backups too");
    assert!(
        in_a_backup(&sb, kept["id"].as_str().unwrap()),
        "the rest is kept"
    );
}

#[test]
fn a_new_check_for_an_initiative_whose_details_were_removed_is_refused() {
    let sb = Sandbox::new();
    let first = save(&sb, "Oud");
    let initiative = first["initiative_id"].as_str().unwrap();
    // Another machine that has the initiative adds a check to it and sends a bundle.
    let other = Sandbox::new();
    let bundle = sb.dir.path().join("first.json");
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
    other.json(&["import", bundle.to_str().unwrap(), "--json"]);
    let repeat = json!({"initiative": {"id": initiative, "role": "resident"}, "answers": {"bonding-1-a": 5}});
    other.json(&[
        "check",
        "--input",
        other.file("r.json", &repeat.to_string()).to_str().unwrap(),
        "--json",
    ]);
    let later_bundle = other.dir.path().join("later.json");
    assert!(other
        .run(&[
            "export",
            "--format",
            "bundle",
            "-o",
            later_bundle.to_str().unwrap()
        ])
        .status
        .success());

    sb.json(&["settings", "--retention", "1", "--json"]);
    sb.json(&["purge", "--pretend-now", &later(40), "--json"]);
    sb.json(&["purge", "--pretend-now", &later(55), "--json"]);
    let typed = sb.file("repeat.json", &repeat.to_string());
    let message = sb.error(&["check", "--input", typed.to_str().unwrap()]);
    assert!(
        message.contains("were removed on this computer"),
        "{message}"
    );
    let imported = sb.json(&["import", later_bundle.to_str().unwrap(), "--json"]);
    assert_eq!(imported["added"], 0, "{imported}");
    assert!(
        imported["conflicts"]
            .to_string()
            .contains("details were removed"),
        "said, not silently kept: {imported}"
    );
    assert!(sb.json(&["list", "--json"]).as_array().unwrap().is_empty());
    assert_eq!(sb.json(&["stats", "--json"])["checks"], 0);
    let conn = rusqlite::Connection::open(sb.db()).unwrap();
    let stored: i64 = conn
        .query_row("SELECT count(*) FROM self_checks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 0, "no hidden record that the lists leave out");
}

#[test]
fn an_erasure_needs_a_reason_and_a_record_that_is_here_and_changes_nothing_otherwise() {
    let sb = Sandbox::new();
    let saved = save(&sb, "Blijft");
    let id = saved["id"].as_str().unwrap();
    assert!(sb
        .error(&["erase", id, "--reason", "  "])
        .contains("Say why"));
    assert!(sb
        .error(&["erase", id, "--reason", &"x".repeat(501)])
        .contains("the limit is 500"));
    assert!(sb
        .error(&["erase", id, "--reason", "a\u{202e}b"])
        .contains("reading direction"));
    assert!(sb
        .error(&[
            "erase",
            "8d4c2a43-34b4-4b7e-a3c9-0f1b1c1d1e1f",
            "--reason",
            "Test"
        ])
        .contains("neither an initiative nor a self-check"));
    assert_eq!(sb.json(&["list", "--json"]).as_array().unwrap().len(), 1);
    sb.json_with(
        &["settings", "--kiosk", "on", "--new-pin", "--json"],
        &[("WIJKKOMPAS_NEW_PIN", "2468")],
    );
    let message = sb.error_with(
        &["erase", id, "--reason", "Verzoek", "--lang", "en"],
        &[("WIJKKOMPAS_PIN", "1357")],
    );
    assert!(
        message.contains("PIN"),
        "a kiosk erases only with the PIN: {message}"
    );
    assert_eq!(sb.json(&["list", "--json"]).as_array().unwrap().len(), 1);
    let erased = sb.json_with(
        &["erase", id, "--reason", "Verzoek", "--json"],
        &[("WIJKKOMPAS_PIN", "2468")],
    );
    assert_eq!(erased["removed"], 1);
}
