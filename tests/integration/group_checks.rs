//! The self-check as a group conversation, through the CLI: several respondents, their spread,
//! notes per lesson, an action plan, and the next check asking what came of it.
use serde_json::{json, Value};

use crate::util::Sandbox;

const UTRECHT: (f64, f64) = (52.0907, 5.1214);

/// Three respondents, scored by hand:
/// A: bonding-1 (5,5) = 100; bridging-1 (1,1) = 0.
/// B: bonding-1 (1,3) = 25; bridging-1 only "don't know": no score.
/// C: bonding-1 (4) = 75; bridging-1 (2,3) = 37.5.
/// Group: bonding-1 (100+25+75)/3 = 66.7; bridging-1 (0+37.5)/2 = 18.75 → 18.8.
/// Spread: bonding-1 25–100 (75 apart: "om over te praten"); bridging-1 0–37.5 (not).
fn group_input() -> Value {
    json!({
        "initiative": {"name": "Buurtkamer De Linde", "lat": UTRECHT.0, "lon": UTRECHT.1},
        "respondents": [
            {"role": "resident", "answers": {"bonding-1-a": 5, "bonding-1-c": 5, "bridging-1-a": 1, "bridging-1-b": 1}},
            {"role": "resident", "answers": {"bonding-1-a": 1, "bonding-1-c": 3, "bridging-1-a": null}},
            {"role": "professional", "answers": {"bonding-1-a": 4, "bridging-1-a": 2, "bridging-1-b": 3}}
        ],
        "notes": {"bonding-1": {"good": "We kennen elkaar van de koffieochtend", "better": "Nieuwe buren vinden ons nog niet"}},
        "actions": [
            {"text": "Welkomstpakket voor nieuwe buren", "who": "Fatima", "due": "2027-03-01", "lesson": "bonding-1"},
            {"text": "Gesprek met de wijkagent", "due": "2027-04-15", "lesson": "linking-1"}
        ]
    })
}

fn check(sb: &Sandbox, input: &Value) -> Value {
    let f = sb.file("input.json", &input.to_string());
    sb.json(&["check", "--input", f.to_str().unwrap(), "--json"])
}

fn lesson<'a>(result: &'a Value, list: &str, id: &str) -> &'a Value {
    result[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {list}"))
}

#[test]
fn a_group_check_gives_group_scores_spread_disagreement_notes_and_actions() {
    let sb = Sandbox::new();
    let r = check(&sb, &group_input());
    assert_eq!(r["respondents"], 3);
    assert_eq!(r["role"], "resident", "the role most members have");
    assert_eq!(lesson(&r, "lessons", "bonding-1")["score"], 66.7);
    assert_eq!(lesson(&r, "lessons", "bridging-1")["score"], 18.8);
    assert_eq!(
        r["scores"],
        json!({"bonding": 66.7, "bridging": 18.8, "linking": null})
    );
    let spread = &r["spread"];
    assert_eq!(
        lesson(spread, "lessons", "bonding-1").clone(),
        json!({"id": "bonding-1", "min": 25.0, "max": 100.0, "n": 3})
    );
    assert_eq!(
        lesson(spread, "lessons", "bridging-1").clone(),
        json!({"id": "bridging-1", "min": 0.0, "max": 37.5, "n": 2})
    );
    assert_eq!(
        lesson(spread, "lessons", "linking-1").clone(),
        json!({"id": "linking-1", "min": null, "max": null, "n": 0})
    );
    assert_eq!(
        lesson(spread, "statements", "bonding-1-a").clone(),
        json!({"id": "bonding-1-a", "counts": [1, 0, 0, 1, 1], "dont_know": 0})
    );
    assert_eq!(
        lesson(spread, "statements", "bridging-1-a").clone(),
        json!({"id": "bridging-1-a", "counts": [1, 1, 0, 0, 0], "dont_know": 1})
    );
    assert_eq!(r["disagreement"], json!(["bonding-1"]));
    assert_eq!(
        r["notes"]["bonding-1"]["better"],
        "Nieuwe buren vinden ons nog niet"
    );
    let actions = r["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 2);
    assert_eq!(
        (actions[0]["who"].as_str(), actions[1]["who"].as_str()),
        (Some("Fatima"), None)
    );
    assert!(uuid::Uuid::parse_str(actions[0]["id"].as_str().unwrap()).is_ok());
    // Never a person's answers: the result holds counts and ranges only.
    let text = r.to_string();
    assert!(!text.contains("\"answers\""), "{text}");

    // The same group as one person's check each, one by one, gives each person's own scores.
    let single = check(
        &sb,
        &json!({"initiative": {"name": "A alleen", "lat": UTRECHT.0, "lon": UTRECHT.1, "role": "resident"},
        "answers": {"bonding-1-a": 5, "bonding-1-c": 5, "bridging-1-a": 1, "bridging-1-b": 1}}),
    );
    assert_eq!(single["respondents"], 1);
    assert_eq!(
        single["scores"],
        json!({"bonding": 100.0, "bridging": 0.0, "linking": null})
    );
    assert_eq!(single["disagreement"], json!([]));
}

#[test]
fn the_next_check_says_what_came_of_the_plan_and_history_shows_it() {
    let sb = Sandbox::new();
    let first = check(&sb, &group_input());
    let id = first["initiative_id"].as_str().unwrap();
    let (a1, a2) = (
        first["actions"][0]["id"].as_str().unwrap(),
        first["actions"][1]["id"].as_str().unwrap(),
    );
    let repeat = check(
        &sb,
        &json!({
            "initiative": {"id": id, "role": "resident"},
            "answers": {"bonding-1-a": 4},
            "previous_actions": [{"id": a1, "outcome": "done", "note": "Twaalf pakketten rondgebracht"}, {"id": a2, "outcome": "not"}]
        }),
    );
    let previous = repeat["previous_actions"].as_array().unwrap();
    assert_eq!(previous.len(), 2);
    assert_eq!(
        previous[0]["action"]["text"],
        "Welkomstpakket voor nieuwe buren"
    );
    assert_eq!(
        (
            previous[0]["outcome"].as_str(),
            previous[1]["outcome"].as_str()
        ),
        (Some("done"), Some("not"))
    );
    assert_eq!(previous[0]["note"], "Twaalf pakketten rondgebracht");
    assert_eq!(previous[0]["agreed_at"], first["created_at"]);

    let history = sb.json(&["history", id, "--json"]);
    let checks = history.as_array().unwrap();
    assert_eq!(checks.len(), 2);
    assert_eq!(checks[0]["respondents"], 3);
    assert_eq!(
        checks[0]["notes"]["bonding-1"]["good"],
        "We kennen elkaar van de koffieochtend"
    );
    assert_eq!(checks[0]["actions"].as_array().unwrap().len(), 2);
    assert_eq!(checks[1]["previous_actions"][0]["outcome"], "done");
    assert_eq!(checks[1]["respondents"], 1);
    let text = String::from_utf8(sb.run(&["history", id]).stdout).unwrap();
    assert!(
        text.contains("3 respondents")
            && text.contains("last time: Welkomstpakket voor nieuwe buren (bonding-1): done"),
        "{text}"
    );
}

#[test]
fn bad_group_input_is_refused_with_one_line_and_nothing_stored() {
    let sb = Sandbox::new();
    let first = check(&sb, &group_input());
    let other = check(
        &sb,
        &json!({"initiative": {"name": "Ander initiatief", "lat": UTRECHT.0, "lon": UTRECHT.1, "role": "resident"}, "answers": {}}),
    );
    let action_of_first = first["actions"][0]["id"].as_str().unwrap().to_string();
    let count = |sb: &Sandbox| sb.json(&["list", "--json"]).as_array().unwrap().len();
    let before = count(&sb);
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = group_input();
        f(&mut v);
        v
    };
    let respondent = json!({"role": "resident", "answers": {"bonding-1-a": 3}});
    let cases: Vec<(&str, Value, String)> = vec![
        (
            "empty respondents",
            with(&|v| v["respondents"] = json!([])),
            "The list of respondents is empty".into(),
        ),
        (
            "31 respondents",
            with(&|v| v["respondents"] = json!(vec![respondent.clone(); 31])),
            "There are 31 respondents; a group check has at most 30".into(),
        ),
        (
            "answers and respondents",
            with(&|v| v["answers"] = json!({"bonding-1-a": 3})),
            "not both".into(),
        ),
        (
            "a note over the limit",
            with(&|v| v["notes"]["bonding-1"]["good"] = json!("é".repeat(1001))),
            "1001 characters long; the limit is 1000".into(),
        ),
        (
            "a note for no lesson",
            with(&|v| v["notes"] = json!({"bonding-9": {"good": "x"}})),
            "Lesson \"bonding-9\" does not exist".into(),
        ),
        (
            "a due date that is not a date",
            with(&|v| v["actions"][0]["due"] = json!("1 maart")),
            "\"1 maart\" is not a date".into(),
        ),
        (
            "a due date that does not exist",
            with(&|v| v["actions"][0]["due"] = json!("2027-02-30")),
            "\"2027-02-30\" is not a date".into(),
        ),
        (
            "an action for an unknown lesson",
            with(&|v| v["actions"][1]["lesson"] = json!("linking-4")),
            "Lesson \"linking-4\" does not exist".into(),
        ),
        (
            "four actions",
            with(&|v| v["actions"] = json!(vec![v["actions"][0].clone(); 4])),
            "at most 3 actions".into(),
        ),
        (
            "an action without text",
            with(&|v| v["actions"][0]["text"] = json!("  ")),
            "An action needs a description".into(),
        ),
        (
            "an unknown outcome",
            json!({"initiative": {"id": first["initiative_id"], "role": "resident"}, "previous_actions": [{"id": action_of_first, "outcome": "half"}]}),
            "unknown variant".into(),
        ),
        (
            "an outcome for an action of another initiative",
            json!({"initiative": {"id": other["initiative_id"], "role": "resident"}, "answers": {}, "previous_actions": [{"id": action_of_first, "outcome": "done"}]}),
            format!("No action with id {action_of_first}"),
        ),
        (
            "an outcome for a new initiative",
            json!({"initiative": {"name": "Nieuw", "lat": UTRECHT.0, "lon": UTRECHT.1, "role": "resident"}, "answers": {}, "previous_actions": [{"id": action_of_first, "outcome": "done"}]}),
            format!("No action with id {action_of_first}"),
        ),
        (
            "a single check without a role",
            json!({"initiative": {"name": "x", "lat": UTRECHT.0, "lon": UTRECHT.1}, "answers": {}}),
            "Give the role".into(),
        ),
    ];
    for (name, input, expected) in cases {
        let f = sb.file("bad.json", &input.to_string());
        let msg = sb.error(&["check", "--input", f.to_str().unwrap()]);
        assert!(
            msg.contains(&expected),
            "{name}: expected \"{expected}\" in: {msg}"
        );
        assert_eq!(count(&sb), before, "{name}: something was stored");
    }
    // Dutch too.
    let f = sb.file(
        "bad.json",
        &with(&|v| v["respondents"] = json!([])).to_string(),
    );
    assert!(sb
        .error(&["check", "--input", f.to_str().unwrap(), "--lang", "nl"])
        .contains("De lijst met deelnemers (respondents) is leeg"));
}

#[test]
fn a_group_check_counts_once_per_initiative_with_its_respondents_in_the_exports() {
    let sb = Sandbox::new();
    let r = check(&sb, &group_input());
    let list = sb.json(&["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["respondents"], 3);
    let code = r["municipality"]["code"].as_str().unwrap();
    let stats = sb.json(&["stats", "--municipality", code, "--json"]);
    assert_eq!(stats["initiatives"], 1, "{stats}");
    assert_eq!(
        stats["strategies"]["bonding"]["n"], 1,
        "the n of 5 rule counts initiatives, not respondents"
    );
    let csv_path = sb.dir.path().join("out.csv");
    assert!(sb
        .run(&[
            "export",
            "--format",
            "csv",
            "-o",
            csv_path.to_str().unwrap()
        ])
        .status
        .success());
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "one row per check, not per person");
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][at("respondents")], "3");
    assert_eq!(&rows[0][at("bonding")], "66,7");
    let geo_path = sb.dir.path().join("out.geojson");
    assert!(sb
        .run(&[
            "export",
            "--format",
            "geojson",
            "-o",
            geo_path.to_str().unwrap()
        ])
        .status
        .success());
    let geo: Value = serde_json::from_str(&std::fs::read_to_string(&geo_path).unwrap()).unwrap();
    assert_eq!(geo["features"][0]["properties"]["respondents"], 3);
}

#[test]
fn a_group_check_with_its_notes_and_plan_travels_in_a_bundle() {
    let a = Sandbox::new();
    let first = check(&a, &group_input());
    let id = first["initiative_id"].as_str().unwrap();
    let a1 = first["actions"][0]["id"].as_str().unwrap();
    check(
        &a,
        &json!({"initiative": {"id": id, "role": "resident"}, "on_paper": true, "answers": {"bonding-1-a": 2}, "previous_actions": [{"id": a1, "outcome": "partly"}]}),
    );
    let path = a.dir.path().join("bundle.json");
    assert!(a
        .run(&["export", "--format", "bundle", "-o", path.to_str().unwrap()])
        .status
        .success());
    let bundle: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(bundle["version"], 3);
    let checks = bundle["self_checks"].as_array().unwrap();
    assert_eq!(checks[0]["respondents"].as_array().unwrap().len(), 3);
    assert!(checks[0].get("answers").is_none());
    assert_eq!(checks[1]["respondents"][0]["on_paper"], true);
    assert_eq!(checks[1]["previous_actions"][0]["outcome"], "partly");

    let b = Sandbox::new();
    let summary = b.json(&["import", path.to_str().unwrap(), "--json"]);
    assert_eq!(
        (
            summary["added"].as_u64(),
            summary["conflicts"].as_array().unwrap().len()
        ),
        (Some(3), 0)
    );
    let again = b.json(&["import", path.to_str().unwrap(), "--json"]);
    assert_eq!(
        (again["added"].as_u64(), again["skipped"].as_u64()),
        (Some(0), Some(3))
    );
    assert_eq!(
        b.json(&["history", id, "--json"]),
        a.json(&["history", id, "--json"]),
        "the same history on both machines"
    );
    let result = b.json(&["history", id, "--json"]);
    assert_eq!(result[1]["on_paper"], true);

    // Changed content under the same id is a conflict, not an overwrite.
    let mut changed = bundle.clone();
    changed["self_checks"][0]["notes"]["bonding-1"]["good"] = json!("Iets anders");
    let f = b.file("changed.json", &changed.to_string());
    let summary = b.json(&["import", f.to_str().unwrap(), "--json"]);
    assert_eq!(
        summary["conflicts"].as_array().unwrap().len(),
        1,
        "{summary}"
    );
}

#[test]
fn a_version_1_bundle_still_imports() {
    let sb = Sandbox::new();
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bundle-v1.json");
    let bundle: Value = serde_json::from_str(&std::fs::read_to_string(&fixture).unwrap()).unwrap();
    assert_eq!(bundle["version"], 1);
    let summary = sb.json(&["import", fixture.to_str().unwrap(), "--json"]);
    let records = ["initiatives", "self_checks", "review_log"]
        .iter()
        .map(|k| bundle[k].as_array().unwrap().len() as u64)
        .sum::<u64>();
    assert_eq!(
        (
            summary["added"].as_u64(),
            summary["conflicts"].as_array().unwrap().len()
        ),
        (Some(records), 0)
    );
    // Exported again (version 2), the same checks hash the same: importing that into a copy of
    // the first database skips them all.
    let out = sb.dir.path().join("v2.json");
    assert!(sb
        .run(&["export", "--format", "bundle", "-o", out.to_str().unwrap()])
        .status
        .success());
    let v2: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    for (old, new) in bundle["self_checks"]
        .as_array()
        .unwrap()
        .iter()
        .zip(v2["self_checks"].as_array().unwrap())
    {
        assert_eq!(old["hash"], new["hash"], "a version 1 check keeps its hash");
        assert_eq!(old["answers"], new["answers"]);
    }
    let mut passed_on = v2.clone();
    // As another machine passes it on: a file that says this machine exported it is refused.
    passed_on["machine"]["id"] = json!(uuid::Uuid::new_v4().to_string());
    let passed_on = sb.file("v2-passed-on.json", &passed_on.to_string());
    let again = sb.json(&["import", passed_on.to_str().unwrap(), "--json"]);
    assert_eq!(again["added"], 0);
    let list = sb.json(&["list", "--json"]);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["respondents"] == 1));
}

#[test]
fn a_member_answers_on_another_machine_and_joins_the_round_by_bundle() {
    use wijkkompas::exchange::{export_bytes, import_bytes};
    use wijkkompas::model::Lang;
    use wijkkompas::selfcheck::{session, InitiativeInput, RespondentInput};
    use wijkkompas::store::Store;

    let (a_dir, b_dir) = (Sandbox::new(), Sandbox::new());
    let mut a = Store::open(&a_dir.db()).unwrap();
    let mut b = Store::open(&b_dir.db()).unwrap();
    let initiative = InitiativeInput {
        id: None,
        name: Some("Buurtkamer De Linde".into()),
        description: None,
        lat: Some(UTRECHT.0),
        lon: Some(UTRECHT.1),
        role: Some("resident".into()),
        target_groups: None,
        contact: None,
        consent: None,
    };
    let round = session::start(
        &a,
        &session::SessionStart {
            initiative,
            previous_actions: None,
        },
    )
    .unwrap();
    let member = |v: i64| RespondentInput {
        role: "resident".into(),
        answers: [("bonding-1-a".to_string(), Some(v))].into(),
        on_paper: None,
    };
    session::add_member(&mut a, &round.id, &member(5)).unwrap();
    let none = &mut |_: usize, _: usize| {};

    // A's bundle carries the open round with its one member; B takes it up.
    let from_a = export_bytes(&a, None, None).unwrap();
    let carried: Value = serde_json::from_slice(&from_a).unwrap();
    assert_eq!(carried["group_rounds"][0]["id"], round.id.as_str());
    assert_eq!(
        carried["group_rounds"][0]["members"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    import_bytes(&mut b, &from_a, None, none).unwrap();
    let on_b = session::open(&b).unwrap();
    assert_eq!(
        (
            on_b.len(),
            on_b[0].members,
            on_b[0].initiative_name.as_str()
        ),
        (1, 1, "Buurtkamer De Linde")
    );

    // A member answers on B; B's bundle brings the answers back to A's round, once.
    session::add_member(&mut b, &round.id, &member(1)).unwrap();
    let from_b = export_bytes(&b, None, None).unwrap();
    let summary = import_bytes(&mut a, &from_b, None, none).unwrap();
    assert_eq!(
        (summary.added, summary.conflicts.len()),
        (1, 0),
        "{summary:?}"
    );
    assert_eq!(session::session_status(&a, &round.id).unwrap().members, 2);
    let again = import_bytes(&mut a, &from_b, None, none).unwrap();
    assert_eq!(
        (again.added, again.skipped, again.conflicts.len()),
        (0, 1, 0)
    );
    assert_eq!(
        session::session_status(&a, &round.id).unwrap().members,
        2,
        "nobody counted twice"
    );

    // A closes the round: one group check of 100 and 0.
    let result = session::close(
        &mut a,
        &round.id,
        &session::SessionClose::default(),
        Lang::Nl,
    )
    .unwrap();
    assert_eq!(
        (result.id.as_str(), result.respondents),
        (round.id.as_str(), 2)
    );
    assert_eq!(result.lessons[0].score, Some(50.0));
    assert_eq!(result.disagreement, vec!["bonding-1".to_string()]);

    // B receives the closed round as a check: its own copy of the round ends.
    let closed = export_bytes(&a, None, None).unwrap();
    import_bytes(&mut b, &closed, None, none).unwrap();
    assert!(session::open(&b).unwrap().is_empty());
    assert_eq!(b.check(&round.id).unwrap().unwrap().1.respondents.len(), 2);
    // Answers that arrive after the close are reported, not slipped in.
    let late = import_bytes(&mut a, &from_b, None, none).unwrap();
    assert_eq!(late.conflicts.len(), 1, "{late:?}");
    assert!(late.conflicts[0].reason.contains("closed"));
}

/// A round open on this machine whose members answered the current statements, and a member
/// who answered the older set elsewhere: the round could never close into a check that imports,
/// so the bundle is refused as a whole, and what this machine exports keeps importing.
#[test]
fn a_round_never_mixes_statement_sets_and_this_machines_export_always_imports() {
    use wijkkompas::content::problem::Kind;
    use wijkkompas::exchange::{export_bytes, import_bytes, ExchangeError};
    use wijkkompas::model::Lang;
    use wijkkompas::selfcheck::{session, InitiativeInput, RespondentInput};
    use wijkkompas::store::Store;

    let a_dir = Sandbox::new();
    let mut a = Store::open(&a_dir.db()).unwrap();
    let initiative = InitiativeInput {
        id: None,
        name: Some("Buurtkamer De Linde".into()),
        description: None,
        lat: Some(UTRECHT.0),
        lon: Some(UTRECHT.1),
        role: Some("resident".into()),
        target_groups: None,
        contact: None,
        consent: None,
    };
    let round = session::start(
        &a,
        &session::SessionStart {
            initiative,
            previous_actions: None,
        },
    )
    .unwrap();
    let none = &mut |_: usize, _: usize| {};
    // The round as it left for a machine with the older questionnaire, still without members.
    let mut from_old: Value =
        serde_json::from_slice(&export_bytes(&a, None, None).unwrap()).unwrap();
    // It comes back as that machine passes it on (a file that says this machine made it is refused).
    from_old["machine"]["id"] = json!(uuid::Uuid::new_v4().to_string());
    // Here a member answers the current set: bonding-1-d is asked since set 2.
    let current = RespondentInput {
        role: "resident".into(),
        answers: [
            ("bonding-1-a".to_string(), Some(4)),
            ("bonding-1-d".to_string(), Some(5)),
        ]
        .into(),
        on_paper: None,
    };
    session::add_member(&mut a, &round.id, &current).unwrap();
    // There a member answered set 1: bonding-1-b was retired in set 2.
    from_old["group_rounds"][0]["members"] = json!([{
        "id": "5b0f3c52-7d0e-4c4e-9a57-0c7d1f0e2a11",
        "role": "resident",
        "on_paper": false,
        "answers": {"bonding-1-a": 2, "bonding-1-b": 1},
        "created_at": "2026-12-01T10:00:00Z"
    }]);
    // Both kinds of member in one file's round: refused wherever it arrives.
    let mut both = from_old.clone();
    both["group_rounds"][0]["members"]
        .as_array_mut()
        .unwrap()
        .push(json!({
            "id": "0d6a4c1e-93b2-4f7e-8c55-2f4e8e9b7a01",
            "role": "resident",
            "on_paper": false,
            "answers": {"bonding-1-d": 3},
            "created_at": "2026-12-01T10:05:00Z"
        }));
    let fresh = Sandbox::new();
    let mut fresh = Store::open(&fresh.db()).unwrap();
    match import_bytes(&mut fresh, both.to_string().as_bytes(), None, none) {
        Err(ExchangeError::Invalid { at, rule }) => assert_eq!(
            (at.as_str(), rule.kind),
            ("group_rounds[0].members", Kind::mixed_statement_sets)
        ),
        other => panic!("a round mixing sets in the file was not refused: {other:?}"),
    }
    let refused = import_bytes(&mut a, from_old.to_string().as_bytes(), None, none);
    match &refused {
        Err(ExchangeError::Invalid { at, rule }) => {
            assert_eq!(at, "group_rounds[0]");
            assert_eq!(rule.kind, Kind::round_mixed_statement_sets, "{rule:?}");
        }
        other => panic!("the mixed round was not refused: {other:?}"),
    }
    assert_eq!(
        session::session_status(&a, &round.id).unwrap().members,
        1,
        "nothing of the refused bundle joined the round"
    );

    // This machine's own export imports on a fresh machine, with the round open and once closed.
    let reimports = |bytes: &[u8]| {
        let c_dir = Sandbox::new();
        let mut c = Store::open(&c_dir.db()).unwrap();
        let summary = import_bytes(&mut c, bytes, None, &mut |_: usize, _: usize| {})
            .unwrap_or_else(|e| panic!("this machine's own export was refused: {e}"));
        assert!(summary.conflicts.is_empty(), "{summary:?}");
    };
    reimports(&export_bytes(&a, None, None).unwrap());
    let second = RespondentInput {
        answers: [("bonding-1-d".to_string(), Some(2))].into(),
        ..current
    };
    session::add_member(&mut a, &round.id, &second).unwrap();
    session::close(
        &mut a,
        &round.id,
        &session::SessionClose::default(),
        Lang::Nl,
    )
    .unwrap();
    reimports(&export_bytes(&a, None, None).unwrap());
}

/// The workbook a clerk opens holds only group figures for a group: per statement how many gave
/// each answer, never a row per member (nor a member's role beside answers). A check by one
/// person is that person's own result and keeps its row per answer.
#[test]
fn a_group_checks_answers_in_the_workbook_are_counts_per_statement_never_per_member() {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let sb = Sandbox::new();
    let group = check(&sb, &group_input());
    let single = check(
        &sb,
        &json!({"initiative": {"name": "Repair Café", "lat": UTRECHT.0 + 0.01, "lon": UTRECHT.1, "role": "professional"},
            "answers": {"bonding-1-a": 4, "bonding-1-c": null}}),
    );
    let path = sb.dir.path().join("out.xlsx");
    assert!(sb
        .run(&["export", "--format", "xlsx", "-o", path.to_str().unwrap()])
        .status
        .success());
    let bytes = std::fs::read(&path).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let answers = book.worksheet_range("Antwoorden").unwrap();
    let header: Vec<String> = answers
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let at = |h: &str| {
        header
            .iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("{h} in {header:?}"))
    };
    let rows_of = |id: &str| -> Vec<Vec<Data>> {
        answers
            .rows()
            .skip(1)
            .filter(|r| r[at("check_id")] == Data::String(id.into()))
            .map(|r| r.to_vec())
            .collect()
    };
    let group_rows = rows_of(group["id"].as_str().unwrap());
    assert_eq!(
        group_rows.len(),
        4,
        "one row per statement the group answered, not one per member and statement"
    );
    for r in &group_rows {
        assert_eq!(r[at("deelnemer")], Data::Empty, "no member numbers: {r:?}");
        assert_eq!(r[at("rol")], Data::Empty, "no member's role: {r:?}");
        assert_eq!(r[at("antwoord")], Data::Empty, "no one's answer: {r:?}");
    }
    let counts = |statement: &str| -> Vec<f64> {
        let r = group_rows
            .iter()
            .find(|r| r[at("stelling_id")] == Data::String(statement.into()))
            .unwrap_or_else(|| panic!("{statement} in {group_rows:?}"));
        [
            "aantal_1",
            "aantal_2",
            "aantal_3",
            "aantal_4",
            "aantal_5",
            "aantal_weet_niet",
        ]
        .iter()
        .map(|h| match &r[at(h)] {
            Data::Float(v) => *v,
            other => panic!("{h} is a number: {other:?}"),
        })
        .collect()
    };
    assert_eq!(counts("bonding-1-a"), [1.0, 0.0, 0.0, 1.0, 1.0, 0.0]);
    assert_eq!(counts("bridging-1-a"), [1.0, 1.0, 0.0, 0.0, 0.0, 1.0]);

    let single_rows = rows_of(single["id"].as_str().unwrap());
    assert_eq!(
        single_rows.len(),
        2,
        "one person's answers stay as they were"
    );
    assert!(single_rows
        .iter()
        .all(|r| r[at("deelnemer")] == Data::Float(1.0)
            && r[at("rol")] == Data::String("professional".into())));
    assert!(single_rows
        .iter()
        .any(|r| r[at("antwoord")] == Data::Float(4.0)));
    let dictionary = book.worksheet_range("Woordenlijst").unwrap();
    for h in &header {
        assert!(
            dictionary
                .rows()
                .any(|r| r[0] == Data::String("Antwoorden".into())
                    && r[1] == Data::String(h.clone())),
            "{h} is explained"
        );
    }

    // CSV and GeoJSON carry the group's figures and how many answered, no answers at all.
    for format in ["csv", "geojson"] {
        let out = sb.dir.path().join(format!("out.{format}"));
        assert!(sb
            .run(&["export", "--format", format, "-o", out.to_str().unwrap()])
            .status
            .success());
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(
            !text.contains("bonding-1-a") && !text.contains("bridging-1-b"),
            "{format} names no statement, so holds no answers"
        );
    }
}

/// A round whose members already mix statement sets (let in before imports refused that) can
/// neither close into a check nor travel: it could only make a file that no machine imports.
#[test]
fn a_round_that_mixes_sets_already_neither_closes_nor_leaves_in_an_export() {
    use wijkkompas::exchange::{export_bytes, import_bytes};
    use wijkkompas::model::Lang;
    use wijkkompas::selfcheck::assess::AssessError;
    use wijkkompas::selfcheck::{session, InitiativeInput, RespondentInput, SelfCheckError};
    use wijkkompas::store::Store;

    let a_dir = Sandbox::new();
    let mut a = Store::open(&a_dir.db()).unwrap();
    let initiative = InitiativeInput {
        id: None,
        name: Some("Buurtkamer De Linde".into()),
        description: None,
        lat: Some(UTRECHT.0),
        lon: Some(UTRECHT.1),
        role: Some("resident".into()),
        target_groups: None,
        contact: None,
        consent: None,
    };
    let round = session::start(
        &a,
        &session::SessionStart {
            initiative,
            previous_actions: None,
        },
    )
    .unwrap();
    let current = RespondentInput {
        role: "resident".into(),
        answers: [("bonding-1-d".to_string(), Some(5))].into(),
        on_paper: None,
    };
    session::add_member(&mut a, &round.id, &current).unwrap();
    // The member that an earlier import let in: set 1 only.
    rusqlite::Connection::open(a_dir.db())
        .unwrap()
        .execute(
            "INSERT INTO session_members (session_id, member, id, role, on_paper, answers, created_at) VALUES (?1, 2, '5b0f3c52-7d0e-4c4e-9a57-0c7d1f0e2a11', 'resident', 0, '{\"bonding-1-b\":1}', '2026-12-01T10:00:00Z')",
            [&round.id],
        )
        .unwrap();
    assert_eq!(session::session_status(&a, &round.id).unwrap().members, 2);

    let mixed = |r: Result<wijkkompas::selfcheck::CheckResult, SelfCheckError>| {
        matches!(
            r,
            Err(SelfCheckError::Answer(AssessError::MixedStatementSets))
        )
    };
    assert!(
        mixed(session::preview(&a, &round.id, Lang::Nl)),
        "no result of mixed sets is shown"
    );
    assert!(
        mixed(session::close(
            &mut a,
            &round.id,
            &session::SessionClose::default(),
            Lang::Nl,
        )),
        "a mixed round does not close into a check"
    );
    let export: Value = serde_json::from_slice(&export_bytes(&a, None, None).unwrap()).unwrap();
    assert!(
        export["group_rounds"]
            .as_array()
            .map_or(true, Vec::is_empty),
        "the mixed round stays here: {export}"
    );
    let c_dir = Sandbox::new();
    let mut c = Store::open(&c_dir.db()).unwrap();
    import_bytes(
        &mut c,
        export.to_string().as_bytes(),
        None,
        &mut |_: usize, _: usize| {},
    )
    .expect("this machine's own export imports");
    session::cancel(&mut a, &round.id).unwrap();
}

/// A group check that an older build let close with members of different questionnaire versions
/// is scored per version (each member's answers by their own version's statements, pooled per
/// lesson): this machine's export of it is never refused elsewhere.
#[test]
fn a_closed_check_whose_members_answered_different_versions_still_travels() {
    let a = Sandbox::new();
    let made = check(
        &a,
        &json!({
            "initiative": {"name": "Buurtkamer De Linde", "lat": UTRECHT.0, "lon": UTRECHT.1},
            "respondents": [
                {"role": "resident", "answers": {"bonding-1-a": 4, "bonding-1-d": 5}},
                {"role": "resident", "answers": {"bonding-1-a": 2}}
            ]
        }),
    );
    let id = made["id"].as_str().unwrap();
    // What the older build stored: the second member answered bonding-1-b, which set 2 retired.
    rusqlite::Connection::open(a.db())
        .unwrap()
        .execute(
            "INSERT INTO answers (check_id, respondent, statement_id, value) VALUES (?1, 2, 'bonding-1-b', 1)",
            [id],
        )
        .unwrap();
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
    let imported = b.json(&["import", bundle.to_str().unwrap(), "--json"]);
    assert_eq!(imported["added"], 2, "{imported}");
    let history = b.json(&["history", made["initiative_id"].as_str().unwrap(), "--json"]);
    assert_eq!(history[0]["respondents"], 2);
    assert!(history[0]["scores"]["bonding"].is_number(), "{history}");
}
