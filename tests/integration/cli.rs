//! The CLI's JSON shapes and its behaviour on bad input (docs/cli.md documents both).
use serde_json::{json, Value};
use wijkkompas::content::catalog::catalog;
use wijkkompas::geo::geography;

use crate::util::Sandbox;

fn all_answers(value: u8) -> Value {
    Value::Object(
        catalog()
            .statements()
            .map(|s| (s.id.clone(), json!(value)))
            .collect(),
    )
}

fn check_input(answers: Value) -> String {
    json!({
        "initiative": {"name": "Buurttuin De Bron", "description": "Samen tuinieren", "lat": 52.979, "lon": 6.483,
                       "role": "resident", "target_groups": ["ouderen", "kinderen"]},
        "answers": answers
    })
    .to_string()
}

fn list_len(sb: &Sandbox) -> usize {
    sb.json(&["list", "--json"]).as_array().unwrap().len()
}

#[test]
fn cases_lists_all_29_with_the_documented_keys() {
    let sb = Sandbox::new();
    let cases = sb.json(&["cases", "--json"]);
    let cases = cases.as_array().unwrap();
    assert_eq!(cases.len(), 29);
    for c in cases {
        for key in [
            "id",
            "bundle",
            "year",
            "name",
            "neighbourhood",
            "place",
            "municipality",
            "province",
            "lat",
            "lon",
            "online",
            "strategies",
            "confidence",
            "sources",
        ] {
            assert!(c.get(key).is_some(), "{key} missing in {}", c["id"]);
        }
    }
    let polka = cases
        .iter()
        .find(|c| c["id"] == "b3-polka-den-haag")
        .unwrap();
    assert_eq!(
        polka["municipality"],
        json!({"code": "GM0518", "name": "'s-Gravenhage"})
    );
    let online = cases.iter().find(|c| c["online"] == true).unwrap();
    assert_eq!(
        (online["lat"].clone(), online["municipality"].clone()),
        (Value::Null, Value::Null)
    );
    assert!(!sb.db().exists(), "read-only commands create no database");
}

#[test]
fn lessons_lists_nine_with_tips_and_statements() {
    let lessons = Sandbox::new().json(&["lessons", "--json"]);
    let lessons = lessons.as_array().unwrap();
    assert_eq!(lessons.len(), 9);
    let l = &lessons[2];
    assert_eq!(
        (
            l["id"].as_str(),
            l["strategy"].as_str(),
            l["number"].as_u64()
        ),
        (Some("bonding-3"), Some("bonding"), Some(3))
    );
    for role in ["policy", "professional", "resident"] {
        assert!(l["tips"][role]["nl"].is_string() && l["tips"][role]["en"].is_string());
    }
    assert!(l["statements"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["reverse"] == true));
    assert!(l["title"]["nl"].is_string() && l["summary"]["en"].is_string());
}

#[test]
fn locate_answers_with_municipality_and_province() {
    let sb = Sandbox::new();
    let loc = sb.json(&["locate", "52.979", "6.483", "--json"]);
    if geography().is_official() {
        assert_eq!(
            loc["municipality"],
            json!({"code": "GM1731", "name": "Midden-Drenthe"})
        );
    }
    assert_eq!(loc["province"], json!({"code": "PV22", "name": "Drenthe"}));
    assert_eq!(loc["approximate"], json!(!geography().is_official()));
    let paris = sb.json(&["locate", "48.8566", "2.3522", "--json"]);
    assert_eq!(
        (paris["municipality"].clone(), paris["province"].clone()),
        (Value::Null, Value::Null)
    );
    let south = sb.json(&["locate", "-33.9", "-70.6", "--json"]);
    assert_eq!(south["municipality"], Value::Null);
    assert!(sb
        .error(&["locate", "95", "5"])
        .contains("95 is not a valid latitude"));
    assert!(sb
        .error(&["locate", "52", "181"])
        .contains("181 is not a valid longitude"));
}

#[test]
fn places_finds_everyday_names_best_first() {
    let sb = Sandbox::new();
    let hits = sb.json(&["places", "den haag", "--limit", "3", "--json"]);
    let hits = hits.as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 3);
    if geography().is_official() {
        assert_eq!(hits[0]["name"], "'s-Gravenhage");
    }
    assert_eq!(hits[0]["municipality"]["code"], "GM0518");
    for key in ["name", "kind", "lat", "lon", "municipality", "province"] {
        assert!(hits[0].get(key).is_some(), "{key}");
    }
    assert!(sb
        .json(&["places", "xqzxqz", "--json"])
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn check_stores_and_answers_with_scores_advice_and_cases() {
    let sb = Sandbox::new();
    let mut answers = all_answers(4); // 75 everywhere …
    answers["linking-3-a"] = json!(1); // … but linking-3: (0 + 75) / 2 = 37.5
    answers["bonding-3-d"] = json!(5); // reverse: 0; bonding-3 = (0 + 75 + 75) / 3 = 50
    answers["bridging-2-b"] = Value::Null; // don't know: bridging-2 = 75
    let input = sb.file("check.json", &check_input(answers));
    let r = sb.json(&[
        "check",
        "--input",
        input.to_str().unwrap(),
        "--json",
        "--lang",
        "en",
    ]);
    if geography().is_official() {
        assert_eq!(
            r["municipality"],
            json!({"code": "GM1731", "name": "Midden-Drenthe"})
        );
    }
    // bonding (75 + 75 + 50) / 3 = 66.666… → 66.7; linking (75 + 75 + 37.5) / 3 = 62.5
    assert_eq!(
        r["scores"],
        json!({"bonding": 66.7, "bridging": 75.0, "linking": 62.5})
    );
    let lessons = r["lessons"].as_array().unwrap();
    assert_eq!(lessons.len(), 9);
    assert_eq!(lessons[2], json!({"id": "bonding-3", "score": 50.0}));
    assert_eq!(lessons[8], json!({"id": "linking-3", "score": 37.5}));
    // weakest three: linking-3 (37.5), bonding-3 (50), then the first 75 in lesson order: bonding-1
    let advice: Vec<&str> = r["advice"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["lesson"].as_str().unwrap())
        .collect();
    assert_eq!(advice, ["linking-3", "bonding-3", "bonding-1"]);
    assert_eq!(
        r["advice"][0]["tip"],
        catalog()
            .lesson("linking-3")
            .unwrap()
            .tips
            .resident
            .en
            .as_str()
    );
    let similar = r["similar_cases"].as_array().unwrap();
    assert_eq!(
        similar[0],
        json!({"id": "b4-bovensmilde", "reason": "nearby", "distance_km": similar[0]["distance_km"]})
    );
    assert!(similar.iter().filter(|s| s["reason"] == "strategy").count() <= 3);
    // weakest strategy is linking (62.5): strategy cases are classified under linking
    for s in similar.iter().filter(|s| s["reason"] == "strategy") {
        let case = catalog().case(s["id"].as_str().unwrap()).unwrap();
        assert!(case.strategies.iter().any(|st| st.as_str() == "linking"));
    }

    let list = sb.json(&["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let row = &list[0];
    assert_eq!(row["id"], r["id"]);
    assert_eq!(row["initiative_id"], r["initiative_id"]);
    assert_eq!(row["initiative"]["name"], "Buurttuin De Bron");
    assert_eq!(row["scores"], r["scores"]);
    let created = row["created_at"].as_str().unwrap();
    assert!(
        time::OffsetDateTime::parse(created, &time::format_description::well_known::Rfc3339)
            .is_ok(),
        "{created}"
    );
    assert!(created.ends_with('Z'));
    assert!(uuid::Uuid::parse_str(r["id"].as_str().unwrap()).is_ok());
}

#[test]
fn a_repeat_check_joins_its_initiative() {
    let sb = Sandbox::new();
    let first = sb.file("first.json", &check_input(all_answers(2)));
    let r1 = sb.json(&["check", "--input", first.to_str().unwrap(), "--json"]);
    let repeat = json!({"initiative": {"id": r1["initiative_id"], "role": "professional"}, "answers": all_answers(5)});
    let second = sb.file("repeat.json", &repeat.to_string());
    let r2 = sb.json(&["check", "--input", second.to_str().unwrap(), "--json"]);
    assert_eq!(r2["initiative_id"], r1["initiative_id"]);
    assert_ne!(r2["id"], r1["id"]);
    // all 5: bridging and linking 100; bonding-3-d is reverse (0), so bonding-3 = 66.67 and bonding = 88.9
    assert_eq!(
        r2["scores"],
        json!({"bonding": 88.9, "bridging": 100.0, "linking": 100.0})
    );
    let code = r1["municipality"]["code"].as_str().unwrap();
    let by_municipality = sb.json(&["list", "--municipality", code, "--json"]);
    assert_eq!(by_municipality.as_array().unwrap().len(), 2);
    assert!(sb
        .json(&["list", "--municipality", "GM0363", "--json"])
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn a_point_outside_the_netherlands_is_stored_without_municipality() {
    let sb = Sandbox::new();
    let input = json!({"initiative": {"name": "Over de grens", "lat": 50.85, "lon": 4.35, "role": "policy"}, "answers": {}});
    let f = sb.file("abroad.json", &input.to_string());
    let r = sb.json(&["check", "--input", f.to_str().unwrap(), "--json"]);
    assert_eq!(r["municipality"], Value::Null);
    assert_eq!(
        r["scores"],
        json!({"bonding": null, "bridging": null, "linking": null})
    );
    assert!(r["advice"].as_array().unwrap().is_empty());
}

#[test]
fn bad_input_fails_with_one_line_and_stores_nothing() {
    let sb = Sandbox::new();
    let valid: Value = serde_json::from_str(&check_input(all_answers(3))).unwrap();
    let with = |path: &[&str], v: Value| {
        let mut input = valid.clone();
        let mut slot = &mut input;
        for p in &path[..path.len() - 1] {
            slot = &mut slot[*p];
        }
        slot[path[path.len() - 1]] = v;
        input.to_string()
    };
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "malformed",
            "{\"initiative\": ".to_string(),
            "not a valid self-check file",
        ),
        (
            "unknown-statement",
            with(&["answers", "bonding-9-z"], json!(3)),
            "Unknown statement \"bonding-9-z\"",
        ),
        (
            "answer-too-high",
            with(&["answers", "bonding-1-a"], json!(6)),
            "out of range",
        ),
        (
            "answer-zero",
            with(&["answers", "bonding-1-a"], json!(0)),
            "out of range",
        ),
        (
            "answer-fraction",
            with(&["answers", "bonding-1-a"], json!(2.5)),
            "not a valid self-check file",
        ),
        (
            "latitude",
            with(&["initiative", "lat"], json!(91.0)),
            "91 is not a valid latitude",
        ),
        (
            "longitude",
            with(&["initiative", "lon"], json!(-200.0)),
            "-200 is not a valid longitude",
        ),
        (
            "role",
            with(&["initiative", "role"], json!("mayor")),
            "Role \"mayor\"",
        ),
        (
            "no-name",
            with(&["initiative", "name"], json!("  ")),
            "needs a name",
        ),
        (
            "long-name",
            with(&["initiative", "name"], json!("x".repeat(201))),
            "201 characters",
        ),
        (
            "long-description",
            with(&["initiative", "description"], json!("é".repeat(2001))),
            "2001 characters",
        ),
        (
            "no-point",
            with(&["initiative", "lat"], Value::Null),
            "needs a place on the map",
        ),
        (
            "unknown-initiative",
            with(
                &["initiative", "id"],
                json!("8d4c2a43-34b4-4b7e-a3c9-0f1b1c1d1e1f"),
            ),
            "no initiative with id",
        ),
        (
            "bad-id",
            with(&["initiative", "id"], json!("not-a-uuid")),
            "not a valid initiative id",
        ),
        ("typo-key", with(&["anwsers"], json!({})), "unknown field"),
    ];
    for (name, contents, expected) in cases {
        let f = sb.file(&format!("{name}.json"), &contents);
        let msg = sb.error(&["check", "--input", f.to_str().unwrap(), "--json"]);
        assert!(
            msg.contains(expected),
            "{name}: expected \"{expected}\" in: {msg}"
        );
    }
    let missing = sb.error(&[
        "check",
        "--input",
        sb.dir.path().join("nope.json").to_str().unwrap(),
    ]);
    assert!(missing.contains("Cannot read"), "{missing}");
    // Nothing was stored by any of them (the list itself creates an empty database).
    assert_eq!(list_len(&sb), 0);
}

#[test]
fn the_database_option_and_variable_choose_the_file() {
    let sb = Sandbox::new();
    let other = sb.dir.path().join("elsewhere.db");
    let f = sb.file("c.json", &check_input(all_answers(3)));
    sb.json(&[
        "--db",
        other.to_str().unwrap(),
        "check",
        "--input",
        f.to_str().unwrap(),
        "--json",
    ]);
    assert!(other.exists());
    assert_eq!(list_len(&sb), 0, "WIJKKOMPAS_DB's database is untouched");
    assert_eq!(
        sb.json(&["--db", other.to_str().unwrap(), "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn text_output_is_readable_dutch_by_default() {
    let sb = Sandbox::new();
    let out = sb.run(&["cases"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Initiatief in Heerlen-Noord") && text.contains("bundel 3"),
        "{text}"
    );
    let out = String::from_utf8(sb.run(&["locate", "52.979", "6.483"]).stdout).unwrap();
    if geography().is_official() {
        let expected = if geography().has_wijken() {
            "Midden-Drenthe (GM1731), Drenthe (PV22)\nwijk: Bovensmilde (WK173107)"
        } else {
            "Midden-Drenthe (GM1731), Drenthe (PV22)"
        };
        assert_eq!(out.trim_end(), expected);
    } else {
        assert!(out.contains("Drenthe (PV22) — approximate"), "{out}");
    }
}

#[test]
fn history_lists_checks_and_chart_writes_the_apps_svg() {
    let sb = Sandbox::new();
    let first = sb.file("first.json", &check_input(all_answers(2)));
    let r1 = sb.json(&["check", "--input", first.to_str().unwrap(), "--json"]);
    let id = r1["initiative_id"].as_str().unwrap();
    let repeat = sb.file(
        "repeat.json",
        &json!({"initiative": {"id": id, "role": "resident"}, "answers": all_answers(4)})
            .to_string(),
    );
    let r2 = sb.json(&["check", "--input", repeat.to_str().unwrap(), "--json"]);

    let history = sb.json(&["history", id, "--json"]);
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["id"], r1["id"]);
    assert_eq!(history[1]["id"], r2["id"]);
    assert_eq!(history[1]["scores"], r2["scores"]);
    assert_eq!(history[0]["lessons"], r1["lessons"]);
    let text = String::from_utf8(sb.run(&["history", id]).stdout).unwrap();
    assert!(
        text.contains("latest against the one before") && text.contains("Up"),
        "{text}"
    );

    let svg_path = sb.dir.path().join("chart.svg");
    let out = sb.run(&[
        "chart",
        r2["id"].as_str().unwrap(),
        "-o",
        svg_path.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    let store = wijkkompas::store::Store::open(&sb.db()).unwrap();
    let (initiative, check) = store.check(r2["id"].as_str().unwrap()).unwrap().unwrap();
    let expected = wijkkompas::reports::chart::result_svg(
        &wijkkompas::selfcheck::result(&store, &initiative, &check, wijkkompas::model::Lang::Nl)
            .unwrap(),
        wijkkompas::model::Lang::Nl,
    );
    assert_eq!(svg, expected);

    assert!(sb
        .error(&["history", "8d4c2a43-34b4-4b7e-a3c9-0f1b1c1d1e1f"])
        .contains("no initiative"));
    assert!(sb
        .error(&["chart", "nope", "-o", svg_path.to_str().unwrap()])
        .contains("no self-check"));
}

/// Issue 17: an unknown or malformed municipality code wrote an empty file (or empty figures)
/// and exited 0; it is refused as `report` refuses it, and nothing is written.
#[test]
fn unknown_or_malformed_municipality_codes_are_refused() {
    let sb = Sandbox::new();
    let input = sb.file("c.json", r#"{"initiative": {"name": "Buurtkamer", "lat": 52.09, "lon": 5.12, "role": "resident"}, "answers": {}}"#);
    sb.json(&["check", "--input", input.to_str().unwrap(), "--json"]);
    for code in ["GM9999", "gm0344", "0344", ""] {
        let out = sb.dir.path().join(format!("out-{code}.csv"));
        for format in ["csv", "geojson", "bundle"] {
            let msg = sb.error(&[
                "export",
                "--format",
                format,
                "--municipality",
                code,
                "-o",
                out.to_str().unwrap(),
            ]);
            assert!(
                msg.contains(&format!("There is no municipality with code {code}")),
                "{format} {code}: {msg}"
            );
            assert!(!out.exists(), "{format} {code}: no file is written");
        }
        for args in [
            vec!["stats", "--municipality", code],
            vec!["stats", "--municipality", code, "--by-wijk"],
            vec!["list", "--municipality", code],
        ] {
            let msg = sb.error(&args);
            assert!(
                msg.contains(&format!("There is no municipality with code {code}")),
                "{args:?}: {msg}"
            );
        }
    }
    assert!(sb
        .error(&[
            "export",
            "--format",
            "csv",
            "--municipality",
            "GM9999",
            "-o",
            "x.csv",
            "--lang",
            "nl"
        ])
        .contains("Er is geen gemeente met code GM9999"));
    // A known code still works, with or without initiatives.
    assert_eq!(
        sb.json(&["stats", "--municipality", "GM0344", "--json"])["initiatives"],
        1
    );
    assert_eq!(
        sb.json(&["stats", "--municipality", "GM0363", "--json"])["initiatives"],
        0
    );
}

/// Issue 17: the trend per quarter, on hand-made dates (a bundle made here): over the latest
/// check of each initiative in the quarter, counted in Dutch time, no mean below 5 initiatives.
#[test]
fn the_quarter_trend_counts_each_initiatives_latest_check_in_dutch_time() {
    let sb = Sandbox::new();
    let initiative = |n: u32| {
        json!({"id": format!("00000000-0000-4000-8000-{n:012}"), "name": format!("Initiatief {n}"), "description": null,
               "lat": 52.09 + f64::from(n) * 0.002, "lon": 5.12, "target_groups": [], "created_at": "2025-01-01T10:00:00Z"})
    };
    let mut k = 0;
    let mut check = |n: u32, at: &str, v: u8| {
        k += 1;
        json!({"id": format!("10000000-0000-4000-8000-{k:012}"), "initiative_id": format!("00000000-0000-4000-8000-{n:012}"),
               "role": "resident", "created_at": at, "answers": {"bonding-1-a": v}})
    };
    let checks = vec![
        // 2025-Q1: initiative 1's latest is March (100), not January (0): 100, 75, 50, 25, 100 → 70.
        check(1, "2025-01-10T09:00:00Z", 1),
        check(1, "2025-03-10T09:00:00Z", 5),
        check(2, "2025-02-10T09:00:00Z", 4),
        check(3, "2025-02-11T09:00:00Z", 3),
        check(4, "2025-02-12T09:00:00Z", 2),
        check(5, "2025-02-13T09:00:00Z", 5),
        // 2025-Q2: 31 March 22:30 UTC is 1 April 00:30 in Amsterdam. Three initiatives: no mean.
        check(6, "2025-03-31T22:30:00Z", 1),
        check(2, "2025-05-01T09:00:00Z", 5),
        check(3, "2025-06-01T09:00:00Z", 5),
    ];
    let bundle = json!({"format": "wijkkompas-bundle", "version": 2, "exported_at": "2025-07-01T00:00:00Z", "municipality": null,
        "initiatives": (1..=6).map(initiative).collect::<Vec<_>>(), "self_checks": checks, "review_log": []});
    let f = sb.file("quarters.json", &bundle.to_string());
    sb.json(&["import", f.to_str().unwrap(), "--json"]);
    let trend = sb.json(&[
        "stats",
        "--municipality",
        "GM0344",
        "--by-quarter",
        "--json",
    ]);
    assert_eq!(trend.as_array().unwrap().len(), 2, "{trend}");
    assert_eq!(trend[0]["quarter"], "2025-Q1");
    assert_eq!(trend[0]["initiatives"], 5);
    assert_eq!(
        trend[0]["strategies"]["bonding"],
        json!({"mean": 70.0, "sd": 32.6, "n": 5})
    );
    assert_eq!(
        trend[0]["strategies"]["linking"],
        json!({"mean": null, "sd": null, "n": 0})
    );
    assert_eq!(trend[1]["quarter"], "2025-Q2");
    assert_eq!(trend[1]["initiatives"], 3);
    assert_eq!(
        trend[1]["strategies"]["bonding"],
        json!({"mean": null, "sd": null, "n": 3}),
        "no mean below 5"
    );
    // The same per wijk, and refused for an unknown municipality.
    let wijk = sb.json(&["list", "--json"])[0]["wijk"]["code"]
        .as_str()
        .unwrap()
        .to_string();
    let per_wijk = sb.json(&["stats", "--wijk", &wijk, "--by-quarter", "--json"]);
    assert!(per_wijk
        .as_array()
        .unwrap()
        .iter()
        .all(|q| q["initiatives"].as_u64().unwrap() <= 5));
    assert!(sb
        .error(&["stats", "--municipality", "GM9999", "--by-quarter"])
        .contains("GM9999"));
    let text = String::from_utf8(
        sb.run(&["stats", "--municipality", "GM0344", "--by-quarter"])
            .stdout,
    )
    .unwrap();
    assert!(text.contains("2025-Q1") && text.contains("70.0"), "{text}");
}

/// The package's man pages come from the CLI itself: a page for it, for the app and for every
/// command, each a valid page that names its command.
#[test]
fn man_pages_cover_every_command_and_the_app() {
    let sb = Sandbox::new();
    let dir = sb.dir.path().join("man");
    let out = sb.run(&["man-pages", dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let help = String::from_utf8(sb.run(&["--help"]).stdout).unwrap();
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        commands.contains(&"import") && commands.contains(&"sync"),
        "{commands:?}"
    );
    assert!(
        !commands.contains(&"man-pages"),
        "the packaging command stays out of the help"
    );
    for name in commands
        .iter()
        .map(|c| format!("wijkkompas-{c}"))
        .chain(["wijkkompas".into(), "wijkkompas-app".into()])
    {
        let page = std::fs::read_to_string(dir.join(format!("{name}.1")))
            .unwrap_or_else(|e| panic!("{name}.1: {e}"));
        assert!(
            page.starts_with(".ie") || page.contains(".TH"),
            "{name}.1 is a man page"
        );
        assert!(
            page.contains(".SH NAME") && page.contains(&name.replace('-', "\\-")),
            "{name}.1 names its command"
        );
    }
    let app = std::fs::read_to_string(dir.join("wijkkompas-app.1")).unwrap();
    assert!(
        app.contains("WIJKKOMPAS_DB") && app.contains("\\-\\-version"),
        "the app's page: its environment and options"
    );
    assert!(!sb.db().exists(), "making the pages opens no database");
}

/// docs/cli.md, the reference people read, has a section for every command that `--help` lists,
/// and each section names every option of that command's `--help` (the options every command
/// takes are named once, under "Options"): a command or option cannot be added undocumented.
#[test]
fn the_cli_reference_documents_every_command_and_option() {
    let sb = Sandbox::new();
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cli.md")).unwrap();
    let help = |args: &[&str]| String::from_utf8(sb.run(args).stdout).unwrap();
    // The long options of a help text: the first `--name` of each line that begins with a dash.
    let long_options = |help: &str| -> Vec<String> {
        help.lines()
            .skip_while(|l| !l.starts_with("Options:"))
            .map(str::trim_start)
            .filter(|l| l.starts_with('-'))
            .filter_map(|l| l.split([' ', ',']).find(|w| w.starts_with("--")))
            .filter(|o| !["--help", "--version"].contains(o))
            .map(str::to_string)
            .collect()
    };
    // Whether `text` names `option` whole (`--by` is not found in `--by-wijk`).
    let names = |text: &str, option: &str| {
        text.match_indices(option).any(|(i, _)| {
            !text[i + option.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '-')
        })
    };
    // A section: from its heading to the next heading of the same or a higher level.
    let section = |heading: &str| -> &str {
        let start = doc
            .find(&format!("\n{heading}\n"))
            .unwrap_or_else(|| panic!("docs/cli.md has no heading \"{heading}\""));
        let rest = &doc[start + heading.len() + 2..];
        let end = ["\n### ", "\n## "]
            .iter()
            .filter_map(|h| rest.find(h))
            .min()
            .unwrap_or(rest.len());
        &rest[..end]
    };

    let top = help(&["--help"]);
    let global = long_options(&top);
    assert!(global.contains(&"--db".to_string()), "{global:?}");
    for option in &global {
        assert!(
            names(section("### Options"), option),
            "docs/cli.md, Options: {option} is missing"
        );
    }
    let commands: Vec<&str> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() > 20, "{commands:?}");
    for command in commands {
        let text = section(&format!("### {command}"));
        for option in long_options(&help(&[command, "--help"])) {
            if !global.contains(&option) {
                assert!(
                    names(text, &option),
                    "docs/cli.md, {command}: {option} is missing"
                );
            }
        }
    }
}

#[test]
fn completions_are_printed_for_each_shell() {
    let sb = Sandbox::new();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef wijkkompas"),
        ("fish", "complete -c wijkkompas"),
    ] {
        let out = sb.run(&["completions", shell]);
        assert!(
            out.status.success(),
            "{shell}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(
            script.contains(marker),
            "{shell}: {}",
            &script[..script.len().min(200)]
        );
        assert!(
            script.contains("import") && script.contains("--municipality"),
            "{shell}: commands and options are completed"
        );
    }
    assert!(
        !sb.run(&["completions", "tcsh"]).status.success(),
        "an unknown shell is refused"
    );
}
