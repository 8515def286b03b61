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
    let s = centre.json(&[
        "settings",
        "--kiosk",
        "on",
        "--public-key",
        &public,
        "--pin",
        "2468",
        "--json",
    ]);
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
    assert!(centre
        .error(&["settings", "--public-key", "nope"])
        .contains("not a public key"));
    assert!(centre
        .error(&["settings", "--pin", "12"])
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
    sb.json(&[
        "settings",
        "--kiosk",
        "on",
        "--pin",
        "2468",
        "--round-location",
        "on",
        "--json",
    ]);
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
            .start_session(None, Some("{}"), wijkkompas::catalog::Role::Resident, "[]")
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
