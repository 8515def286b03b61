//! Bundles between machines, exports for Excel and QGIS, statistics and the review workflow.
use serde_json::{json, Value};
use wijkkompas::content::catalog::catalog;

use crate::util::{file_bytes, Sandbox};

/// Fills a sandbox with `n` initiatives (two checks for the first) in Utrecht, and a review.
fn populated(n: usize) -> (Sandbox, Vec<String>) {
    let sb = Sandbox::new();
    let mut ids = Vec::new();
    for k in 0..n {
        let answers: Value = catalog()
            .statements()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), json!(((i + k) % 5 + 1) as u8)))
            .collect::<serde_json::Map<_, _>>()
            .into();
        let input = json!({"initiative": {"name": format!("Initiatief {k}"), "lat": 52.09 + k as f64 * 0.001, "lon": 5.12, "role": "resident", "target_groups": ["ouderen"]}, "answers": answers});
        let f = sb.file(&format!("c{k}.json"), &input.to_string());
        let r = sb.json(&["check", "--input", f.to_str().unwrap(), "--json"]);
        ids.push(r["initiative_id"].as_str().unwrap().to_string());
    }
    let repeat = json!({"initiative": {"id": ids[0], "role": "professional"}, "answers": {"bonding-1-a": 2, "linking-3-b": null}});
    let f = sb.file("repeat.json", &repeat.to_string());
    sb.json(&["check", "--input", f.to_str().unwrap(), "--json"]);
    sb.json(&[
        "review",
        &ids[0],
        "--status",
        "in_review",
        "--by",
        "Anna de Vries",
        "--note",
        "Eerste blik",
        "--json",
    ]);
    (sb, ids)
}

fn export_bundle(sb: &Sandbox, name: &str) -> (std::path::PathBuf, Value) {
    let path = sb.dir.path().join(name);
    let out = sb.run(&["export", "--format", "bundle", "-o", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&file_bytes(&path)).unwrap();
    (path, v)
}

/// A bundle's content: without its time and without where its records came from (which names
/// the machines, and so differs between them).
fn without_time(mut v: Value) -> Value {
    let o = v.as_object_mut().unwrap();
    for key in ["exported_at", "machine", "machines"] {
        o.remove(key);
    }
    for list in ["initiatives", "self_checks", "review_log"] {
        for r in v[list].as_array_mut().unwrap() {
            r.as_object_mut().unwrap().remove("made_on");
        }
    }
    v
}

/// The database's bytes and its log's; an empty log (which a reading command leaves, and the
/// next writer's close removes) holds nothing and counts as none.
fn db_files(sb: &Sandbox) -> (Vec<u8>, Option<Vec<u8>>) {
    let wal = sb.dir.path().join("wijkkompas.db-wal");
    (
        file_bytes(&sb.db()),
        wal.exists()
            .then(|| file_bytes(&wal))
            .filter(|b| !b.is_empty()),
    )
}

#[test]
fn a_bundle_round_trips_and_a_second_import_changes_nothing() {
    let (a, _) = populated(2);
    let (path, original) = export_bundle(&a, "a.json");
    assert_eq!(original["format"], "wijkkompas-bundle");
    assert_eq!(original["version"], 3);
    assert_eq!(original["initiatives"].as_array().unwrap().len(), 2);
    assert_eq!(original["self_checks"].as_array().unwrap().len(), 3);
    assert_eq!(original["review_log"].as_array().unwrap().len(), 1);

    let b = Sandbox::new();
    let first = b.json(&["import", path.to_str().unwrap(), "--json"]);
    assert_eq!(first, json!({"added": 6, "skipped": 0, "conflicts": []}));
    let (_, copy) = export_bundle(&b, "b.json");
    assert_eq!(
        without_time(copy),
        without_time(original.clone()),
        "the same data on the other machine"
    );
    let content = |mut list: Value| {
        list.as_array_mut()
            .unwrap()
            .iter_mut()
            .for_each(|c| drop(c.as_object_mut().unwrap().remove("source")));
        list
    };
    assert_eq!(
        content(b.json(&["list", "--json"])),
        content(a.json(&["list", "--json"])),
        "the same checks; their sources differ (tests/integration/provenance.rs)"
    );

    let before = db_files(&b);
    let again = b.json(&["import", path.to_str().unwrap(), "--json"]);
    assert_eq!(again, json!({"added": 0, "skipped": 6, "conflicts": []}));
    let (_, after) = export_bundle(&b, "b2.json");
    assert_eq!(without_time(after), without_time(original));
    assert_eq!(db_files(&b).0.len(), before.0.len());
}

#[test]
fn a_tampered_record_is_a_conflict_and_the_original_stays() {
    let (a, ids) = populated(1);
    let (_, mut bundle) = export_bundle(&a, "a.json");
    // As another machine passes it on: a file that says this machine exported it is refused.
    bundle["machine"]["id"] = json!(uuid::Uuid::new_v4().to_string());
    bundle["initiatives"][0]["name"] = json!("Iemand anders");
    bundle["self_checks"][0]["answers"]["bonding-1-a"] = json!(4); // it was 1
    let tampered = a.file("tampered.json", &bundle.to_string());
    let summary = a.json(&["import", tampered.to_str().unwrap(), "--json"]);
    let conflicts: Vec<&str> = summary["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        conflicts,
        [
            ids[0].as_str(),
            bundle["self_checks"][0]["id"].as_str().unwrap()
        ]
    );
    assert_eq!(summary["added"], 0);
    assert_eq!(
        summary["skipped"], 2,
        "the untouched check and the review entry"
    );
    let list = a.json(&["list", "--json"]);
    assert_eq!(list[0]["initiative"]["name"], "Initiatief 0");
}

#[test]
fn malformed_bundles_are_rejected_whole_and_change_nothing() {
    let (sb, _) = populated(1);
    let (_, mut good) = export_bundle(&sb, "good.json");
    // As another machine passes it on: a file that says this machine exported it is refused.
    good["machine"]["id"] = json!(uuid::Uuid::new_v4().to_string());
    let mutate = |f: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        f(&mut v);
        v.to_string()
    };
    let long = "x".repeat(201);
    let new_id = "0b6f8a9e-5d1c-4e7b-9a2f-3c4d5e6f7a8b";
    let corpus: Vec<(&str, String, &str)> = vec![
        (
            "broken JSON",
            "{\"format\": \"wijkkompas-bundle\", ".into(),
            "broken JSON",
        ),
        ("empty file", "".into(), "broken JSON"),
        ("an array", "[]".into(), "not an object"),
        (
            "wrong format",
            mutate(&|v| v["format"] = json!("other-bundle")),
            "\"format\"",
        ),
        (
            "no version",
            mutate(&|v| {
                v.as_object_mut().unwrap().remove("version");
            }),
            "version",
        ),
        (
            "future version",
            mutate(&|v| v["version"] = json!(4)),
            "version 4",
        ),
        (
            "version as text",
            mutate(&|v| v["version"] = json!("1")),
            "version",
        ),
        (
            "missing list",
            mutate(&|v| {
                v.as_object_mut().unwrap().remove("self_checks");
            }),
            "self_checks",
        ),
        (
            "unknown field",
            mutate(&|v| v["initiatives"][0]["colour"] = json!("red")),
            "unknown field",
        ),
        (
            "name is a number",
            mutate(&|v| v["initiatives"][0]["name"] = json!(42)),
            "invalid type",
        ),
        (
            "empty name",
            mutate(&|v| v["initiatives"][0]["name"] = json!(" ")),
            "initiatives[0].name: The name is empty",
        ),
        (
            "oversize name",
            mutate(&|v| v["initiatives"][0]["name"] = json!(long)),
            "201 characters",
        ),
        (
            "oversize description",
            mutate(&|v| v["initiatives"][0]["description"] = json!("é".repeat(2001))),
            "2001 characters",
        ),
        (
            "latitude out of range",
            mutate(&|v| v["initiatives"][0]["lat"] = json!(91.5)),
            "91.5 is not a valid latitude",
        ),
        (
            "longitude out of range",
            mutate(&|v| v["initiatives"][0]["lon"] = json!(-181)),
            "-181 is not a valid longitude",
        ),
        (
            "id not a uuid",
            mutate(&|v| v["initiatives"][0]["id"] = json!("abc")),
            "not a UUID",
        ),
        (
            "duplicated id",
            mutate(&|v| {
                let c = v["self_checks"][0].clone();
                v["self_checks"].as_array_mut().unwrap().push(c);
            }),
            "more than once",
        ),
        (
            "answer out of range",
            mutate(&|v| v["self_checks"][0]["answers"]["bonding-1-a"] = json!(9)),
            "out of range",
        ),
        (
            "answer as text",
            mutate(&|v| v["self_checks"][0]["answers"]["bonding-1-a"] = json!("5")),
            "invalid type",
        ),
        (
            "unknown statement",
            mutate(&|v| v["self_checks"][0]["answers"]["bonding-7-z"] = json!(3)),
            "Unknown statement",
        ),
        (
            "unknown role",
            mutate(&|v| v["self_checks"][0]["role"] = json!("mayor")),
            "\"mayor\"",
        ),
        (
            "bad time",
            mutate(&|v| v["self_checks"][0]["created_at"] = json!("yesterday")),
            "RFC 3339",
        ),
        (
            "unknown status",
            mutate(&|v| v["review_log"][0]["to"] = json!("done")),
            "\"done\"",
        ),
        (
            "forbidden transition",
            mutate(&|v| v["review_log"][0]["to"] = json!("new")),
            "cannot go from new to new",
        ),
        (
            "orphan self-check",
            mutate(&|v| {
                v["self_checks"][0]["id"] = json!(new_id);
                v["self_checks"][0]["initiative_id"] =
                    json!("9d3e2c1b-0a9f-4e8d-8c7b-6a5f4e3d2c1b");
            }),
            "neither in the bundle nor in the database",
        ),
        (
            "too many target groups",
            mutate(&|v| v["initiatives"][0]["target_groups"] = json!(vec!["g"; 21])),
            "at most 20 target groups",
        ),
        // Version 2: groups, notes and actions.
        (
            "empty respondents",
            mutate(&|v| {
                v["self_checks"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("answers");
                v["self_checks"][0]["respondents"] = json!([]);
            }),
            "The list of respondents is empty",
        ),
        (
            "answers and respondents",
            mutate(&|v| {
                v["self_checks"][0]["respondents"] = json!([{"role": "resident", "answers": {}}])
            }),
            "not both",
        ),
        (
            "31 respondents",
            mutate(&|v| {
                v["self_checks"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("answers");
                v["self_checks"][0]["respondents"] = json!(vec![
                    json!({"role": "resident", "answers": {"bonding-1-a": 4}});
                    31
                ]);
            }),
            "There are 31 respondents",
        ),
        (
            "respondent's unknown role",
            mutate(&|v| {
                v["self_checks"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("answers");
                v["self_checks"][0]["respondents"] = json!([{"role": "mayor", "answers": {}}]);
            }),
            "respondents[0].role",
        ),
        (
            "note too long",
            mutate(&|v| {
                v["self_checks"][0]["notes"] = json!({"bonding-1": {"good": "x".repeat(1001)}})
            }),
            "1001 characters",
        ),
        (
            "note for an unknown lesson",
            mutate(&|v| v["self_checks"][0]["notes"] = json!({"bonding-4": {"good": "x"}})),
            "Lesson \"bonding-4\" does not exist",
        ),
        (
            "due date not a date",
            mutate(
                &|v| v["self_checks"][0]["actions"] = json!([{"id": "5b0e7a52-9d1c-4f3e-8a2b-1c0d9e8f7a6b", "text": "x", "due": "maart", "lesson": "linking-1"}]),
            ),
            "\"maart\" is not a date",
        ),
        (
            "action for an unknown lesson",
            mutate(
                &|v| v["self_checks"][0]["actions"] = json!([{"id": "5b0e7a52-9d1c-4f3e-8a2b-1c0d9e8f7a6b", "text": "x", "due": "2027-03-01", "lesson": "linking-7"}]),
            ),
            "Lesson \"linking-7\" does not exist",
        ),
        // Version 3: provenance.
        (
            "machine id not a uuid",
            mutate(&|v| v["machine"]["id"] = json!("buurthuis")),
            "machine.id",
        ),
        (
            "machine name too long",
            mutate(&|v| v["machine"]["name"] = json!("k".repeat(101))),
            "101 characters",
        ),
        (
            "machine with a stray field",
            mutate(&|v| v["machine"]["colour"] = json!("red")),
            "unknown field",
        ),
        (
            "machine name with a control character",
            mutate(&|v| v["machine"]["name"] = json!("De\u{7}Kolk")),
            "control character",
        ),
        (
            "machines listed twice",
            mutate(
                &|v| v["machines"] = json!([{"id": "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9", "name": "A"}, {"id": "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9", "name": "B"}]),
            ),
            "more than once",
        ),
        (
            "made on a machine not named",
            mutate(&|v| {
                v["self_checks"][0]["made_on"] = json!("1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9")
            }),
            "not in the bundle's \"machines\" list",
        ),
        (
            "made_on not a uuid",
            mutate(&|v| v["review_log"][0]["made_on"] = json!("elders")),
            "review_log[0].made_on",
        ),
        (
            "outcome not done, partly or not",
            mutate(&|v| {
                v["self_checks"][0]["previous_actions"] =
                    json!([{"id": "5b0e7a52-9d1c-4f3e-8a2b-1c0d9e8f7a6b", "outcome": "maybe"}])
            }),
            "unknown variant",
        ),
    ];
    assert!(corpus.len() >= 20);
    for (name, contents, expected) in corpus {
        let before = db_files(&sb);
        let f = sb.file("bad.json", &contents);
        let msg = sb.error(&["import", f.to_str().unwrap(), "--json"]);
        assert!(
            msg.contains(expected),
            "{name}: expected \"{expected}\" in: {msg}"
        );
        assert!(db_files(&sb) == before, "{name}: the database changed");
    }
}

#[test]
fn csv_opens_in_dutch_excel_and_parses_back() {
    let (sb, _) = populated(2);
    let path = sb.dir.path().join("out.csv");
    assert!(sb
        .run(&["export", "--format", "csv", "-o", path.to_str().unwrap()])
        .status
        .success());
    let bytes = file_bytes(&path);
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 with BOM");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let header = reader.headers().unwrap().clone();
    assert!(header.iter().any(|h| h == "rd_x (EPSG:28992 RD New, m)"));
    assert!(header.iter().any(|h| h == "linking-3"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "one row per self-check");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for r in &rows {
        assert_eq!(&r[col("municipality_code")], "GM0344");
        assert_eq!(&r[col("municipality")], "Utrecht");
        let x: f64 = r[col("rd_x (EPSG:28992 RD New, m)")]
            .replace(',', ".")
            .parse()
            .unwrap();
        assert!((130_000.0..140_000.0).contains(&x), "{x}");
        assert!(
            !r[col("bonding")].contains('.'),
            "decimal comma: {}",
            &r[col("bonding")]
        );
    }
}

#[test]
fn geojson_has_one_flat_feature_per_initiative() {
    let (sb, ids) = populated(2);
    let path = sb.dir.path().join("out.geojson");
    assert!(sb
        .run(&[
            "export",
            "--format",
            "geojson",
            "--municipality",
            "GM0344",
            "-o",
            path.to_str().unwrap()
        ])
        .status
        .success());
    let fc: geojson::FeatureCollection = std::fs::read_to_string(&path).unwrap().parse().unwrap();
    assert_eq!(fc.features.len(), 2);
    for f in &fc.features {
        let props = f.properties.as_ref().unwrap();
        assert!(
            props.values().all(|v| !v.is_object() && !v.is_array()),
            "flat properties"
        );
        match &f.geometry.as_ref().unwrap().value {
            geojson::Value::Point(p) => {
                assert!((p[0] - 5.12).abs() < 1e-9 && (p[1] - 52.0).abs() < 0.2)
            }
            other => panic!("{other:?}"),
        }
        assert!(props.contains_key("rd_y (EPSG:28992 RD New, m)"));
    }
    let first = fc
        .features
        .iter()
        .find(|f| f.property("id").unwrap() == ids[0].as_str())
        .unwrap();
    assert_eq!(first.property("checks").unwrap(), 2);
    assert_eq!(first.property("review_status").unwrap(), "in_review");
    let none = sb.dir.path().join("none.geojson");
    assert!(sb
        .run(&[
            "export",
            "--format",
            "geojson",
            "--municipality",
            "GM0363",
            "-o",
            none.to_str().unwrap()
        ])
        .status
        .success());
    let empty: geojson::FeatureCollection =
        std::fs::read_to_string(&none).unwrap().parse().unwrap();
    assert!(empty.features.is_empty());
}

#[test]
fn stats_give_means_only_for_groups_of_five() {
    let (small, _) = populated(4);
    let s = small.json(&["stats", "--municipality", "GM0344", "--json"]);
    assert_eq!(
        (s["initiatives"].as_u64(), s["checks"].as_u64()),
        (Some(4), Some(5))
    );
    assert_eq!(
        s["strategies"]["bonding"],
        json!({"mean": null, "sd": null, "n": 4})
    );

    let (big, _) = populated(6);
    let s = big.json(&["stats", "--json"]);
    assert_eq!(s["initiatives"], 6);
    let bonding = &s["strategies"]["bonding"];
    assert_eq!(bonding["n"], 6);
    assert!(bonding["mean"].as_f64().unwrap() > 0.0 && bonding["sd"].as_f64().unwrap() >= 0.0);
    assert_eq!(s["lessons"].as_object().unwrap().len(), 9);
    assert!(s["lessons"]["linking-3"]["mean"].is_number());
    let none = big.json(&["stats", "--municipality", "GM0363", "--json"]);
    assert_eq!(
        (none["initiatives"].as_u64(), none["checks"].as_u64()),
        (Some(0), Some(0))
    );
}

#[test]
fn reviews_follow_the_workflow_and_keep_a_log() {
    let (sb, ids) = populated(1);
    let id = ids[0].as_str();
    let msg = sb.error(&["review", id, "--status", "new", "--by", "Anna"]);
    assert!(msg.contains("cannot go from in review to new"), "{msg}");
    assert!(sb
        .error(&["review", id, "--status", "done", "--by", "Anna"])
        .contains("not a review status"));
    assert!(sb
        .error(&["review", id, "--status", "published", "--by", " "])
        .contains("who reviews"));
    sb.json(&[
        "review",
        id,
        "--status",
        "needs_info",
        "--by",
        "Bram",
        "--note",
        "Adres ontbreekt",
        "--json",
    ]);
    sb.json(&[
        "review",
        id,
        "--status",
        "in_review",
        "--by",
        "Bram",
        "--json",
    ]);
    sb.json(&[
        "review",
        id,
        "--status",
        "published",
        "--by",
        "Anna",
        "--json",
    ]);
    let log = sb.json(&["reviews", id, "--json"]);
    let moves: Vec<(String, String)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap().into(),
                e["to"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        moves,
        [
            ("new", "in_review"),
            ("in_review", "needs_info"),
            ("needs_info", "in_review"),
            ("in_review", "published")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(log[1]["reviewer"], "Bram");
    assert_eq!(log[1]["note"], "Adres ontbreekt");
    assert!(sb
        .error(&["reviews", "8d4c2a43-34b4-4b7e-a3c9-0f1b1c1d1e1f"])
        .contains("no initiative"));
}

/// Issue 17: a name from a resident or an imported file became a live formula or link when the
/// CSV was opened in a spreadsheet. Text cells that start with = + - @ a tab or a carriage return
/// get a leading apostrophe; numbers stay numbers.
#[test]
fn csv_cells_never_start_a_formula() {
    let sb = Sandbox::new();
    let names = [
        "=1+1",
        "=HYPERLINK(\"http://example.org\";\"klik\")",
        "+31 20 1234567",
        "-Buurtkamer",
        "@SUM(A1)",
        "Gewone naam",
    ];
    for (i, name) in names.iter().enumerate() {
        let input = json!({"initiative": {"name": name, "lat": 52.09 + i as f64 * 0.001, "lon": 5.12, "role": "resident"}, "answers": {"bonding-1-a": 4}});
        let f = sb.file(&format!("{i}.json"), &input.to_string());
        sb.json(&["check", "--input", f.to_str().unwrap(), "--json"]);
    }
    let path = sb.dir.path().join("out.csv");
    assert!(sb
        .run(&["export", "--format", "csv", "-o", path.to_str().unwrap()])
        .status
        .success());
    let bytes = file_bytes(&path);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let header = reader.headers().unwrap().clone();
    let at = |h: &str| header.iter().position(|x| x == h).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let shown: Vec<&str> = rows.iter().map(|r| &r[at("initiative")]).collect();
    assert_eq!(
        shown,
        [
            "'=1+1",
            "'=HYPERLINK(\"http://example.org\";\"klik\")",
            "'+31 20 1234567",
            "'-Buurtkamer",
            "'@SUM(A1)",
            "Gewone naam"
        ]
    );
    for r in &rows {
        for (i, cell) in r.iter().enumerate() {
            assert!(
                !cell.starts_with(['=', '+', '@', '\t', '\r']),
                "column {}: {cell}",
                &header[i]
            );
            assert!(
                !cell.starts_with('-')
                    || cell.parse::<f64>().is_ok()
                    || cell.replace(',', ".").parse::<f64>().is_ok(),
                "column {}: {cell}",
                &header[i]
            );
        }
        assert_eq!(&r[at("bonding")], "75", "numbers stay numbers");
    }
}

/// Issue 17: a folder of bundles from many community centres. One bad file among good ones, an
/// encrypted one without the key, the same folder twice.
#[test]
fn a_folder_of_bundles_imports_file_by_file_and_lists_every_outcome() {
    let (a, _) = populated(2);
    let (b, _) = populated(3);
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path();
    assert!(a
        .run(&[
            "export",
            "--format",
            "bundle",
            "-o",
            folder.join("01-kolk.json").to_str().unwrap()
        ])
        .status
        .success());
    assert!(b
        .run(&[
            "export",
            "--format",
            "bundle",
            "-o",
            folder.join("02-linde.json").to_str().unwrap()
        ])
        .status
        .success());
    std::fs::write(
        folder.join("03-kapot.json"),
        "{\"format\": \"wijkkompas-bundle\", ",
    )
    .unwrap();
    let key = a.dir.path().join("key.txt");
    let public = String::from_utf8(a.run(&["keygen", "-o", key.to_str().unwrap()]).stdout)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_string();
    assert!(a
        .run(&[
            "export",
            "--format",
            "bundle",
            "--encrypt-to",
            &public,
            "-o",
            folder.join("04-versleuteld.age").to_str().unwrap()
        ])
        .status
        .success());
    std::fs::write(folder.join("leesmij.txt"), "geen bundel").unwrap();

    let sb = Sandbox::new();
    let out = sb.run(&["import", folder.to_str().unwrap(), "--json", "--lang", "en"]);
    assert!(
        !out.status.success(),
        "a rejected file makes the exit status non-zero"
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("2 of the 4 files were rejected"), "{err}");
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results: Vec<(&str, &str)> = summary["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["file"].as_str().unwrap(), f["result"].as_str().unwrap()))
        .collect();
    assert_eq!(
        results,
        [
            ("01-kolk.json", "imported"),
            ("02-linde.json", "imported"),
            ("03-kapot.json", "rejected"),
            ("04-versleuteld.age", "rejected")
        ]
    );
    assert!(
        summary["files"][2]["message"]
            .as_str()
            .unwrap()
            .contains("broken JSON"),
        "{summary}"
    );
    assert!(
        summary["files"][3]["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("key"),
        "{summary}"
    );
    assert_eq!(
        summary["ignored"],
        json!([{"name": "leesmij.txt", "reason": "not_a_bundle"}])
    );
    assert_eq!(summary["rejected"], 2);
    let listed = sb.json(&["list", "--json"]).as_array().unwrap().len();
    assert_eq!(listed, 3 + 4, "the good files' checks are in");

    // Again, with the key: the plain files are already present, the encrypted one is too (same
    // records as 01), the broken one is still refused.
    let again = sb.run(&[
        "import",
        folder.to_str().unwrap(),
        "--identity",
        key.to_str().unwrap(),
        "--json",
    ]);
    let summary: Value = serde_json::from_slice(&again.stdout).unwrap();
    let results: Vec<&str> = summary["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["result"].as_str().unwrap())
        .collect();
    assert_eq!(
        results,
        [
            "already_present",
            "already_present",
            "rejected",
            "already_present"
        ]
    );
    assert_eq!(summary["added"], 0);
    assert_eq!(
        sb.json(&["list", "--json"]).as_array().unwrap().len(),
        listed,
        "nothing twice"
    );

    // Without the broken file, the exit status is 0; in text, every file has its line.
    std::fs::remove_file(folder.join("03-kapot.json")).unwrap();
    let ok = sb.run(&[
        "import",
        folder.to_str().unwrap(),
        "--identity",
        key.to_str().unwrap(),
    ]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let text = String::from_utf8(ok.stdout).unwrap();
    assert!(
        text.contains("already present   01-kolk.json")
            && text.contains("not a bundle      leesmij.txt")
            && text.contains("3 files: added 0"),
        "{text}"
    );
}

/// Issue 17: a real Excel workbook, read back: numbers as numbers, dates as dates in Dutch time,
/// text as text (never a formula, never a number), frozen headers and filters, a dictionary.
#[test]
fn the_excel_export_keeps_every_cell_what_it_is() {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let sb = Sandbox::new();
    for (i, name) in ["=1+1", "0612345678", "12,5", "Maart 3"].iter().enumerate() {
        let input = json!({"initiative": {"name": name, "description": "Regel één\nRegel twee", "lat": 52.09 + i as f64 * 0.001, "lon": 5.12, "role": "resident"},
            "answers": {"bonding-1-a": 4, "bonding-1-c": null}});
        let f = sb.file(&format!("{i}.json"), &input.to_string());
        sb.json(&["check", "--input", f.to_str().unwrap(), "--json"]);
    }
    let first = sb.json(&["list", "--json"])[0].clone();
    sb.json(&[
        "review",
        first["initiative_id"].as_str().unwrap(),
        "--status",
        "in_review",
        "--by",
        "=cmd|' /C calc'!A0",
        "--json",
    ]);
    let path = sb.dir.path().join("out.xlsx");
    assert!(sb
        .run(&["export", "--format", "xlsx", "-o", path.to_str().unwrap()])
        .status
        .success());
    let bytes = file_bytes(&path);
    assert!(bytes.starts_with(b"PK"), "a zip container");
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Initiatieven",
            "Zelfchecks",
            "Antwoorden",
            "Beoordelingslog",
            "Woordenlijst"
        ]
    );

    let initiatives = book.worksheet_range("Initiatieven").unwrap();
    let header: Vec<String> = initiatives
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
    let names: Vec<&Data> = initiatives.rows().skip(1).map(|r| &r[at("naam")]).collect();
    assert_eq!(
        names,
        [
            &Data::String("=1+1".into()),
            &Data::String("0612345678".into()),
            &Data::String("12,5".into()),
            &Data::String("Maart 3".into())
        ]
    );
    let row = initiatives.rows().nth(1).unwrap();
    assert!(
        matches!(row[at("lat")], Data::Float(v) if (v - 52.09).abs() < 1e-9),
        "{:?}",
        row[at("lat")]
    );
    assert!(matches!(row[at("zelfchecks")], Data::Float(v) if v == 1.0));
    assert!(
        matches!(row[at("binden")], Data::Float(v) if v == 75.0),
        "{:?}",
        row[at("binden")]
    );
    assert_eq!(row[at("gemeentecode")], Data::String("GM0344".into()));
    // A date cell, in Dutch time: the check was saved just now (UTC), shown an hour or two later.
    let Data::DateTime(saved) = &row[at("aangemaakt")] else {
        panic!("a date: {:?}", row[at("aangemaakt")])
    };
    let now_days = time::OffsetDateTime::now_utc().unix_timestamp() as f64 / 86_400.0 + 25_569.0; // Excel's epoch
    let hours_ahead = (saved.as_f64() - now_days) * 24.0;
    assert!(
        (0.9..2.1).contains(&hours_ahead),
        "Dutch time is UTC+1 or +2: {hours_ahead} h"
    );
    // No cell anywhere is a formula.
    for sheet in book.sheet_names() {
        let formulas = book.worksheet_formula(&sheet).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{sheet} has a formula"
        );
    }

    let checks = book.worksheet_range("Zelfchecks").unwrap();
    assert_eq!(checks.height(), 5, "a header and four checks");
    let answers = book.worksheet_range("Antwoorden").unwrap();
    assert_eq!(
        answers.height(),
        1 + 8,
        "one row per answer, don't know included (empty)"
    );
    assert!(answers.rows().skip(1).any(|r| r[5] == Data::Empty));
    let reviews = book.worksheet_range("Beoordelingslog").unwrap();
    assert_eq!(
        reviews.rows().nth(1).unwrap()[5],
        Data::String("=cmd|' /C calc'!A0".into())
    );
    let dictionary = book.worksheet_range("Woordenlijst").unwrap();
    let described: Vec<(String, String)> = dictionary
        .rows()
        .skip(1)
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect();
    for (sheet, range) in [
        ("Initiatieven", &initiatives),
        ("Zelfchecks", &checks),
        ("Antwoorden", &answers),
        ("Beoordelingslog", &reviews),
    ] {
        for h in range.rows().next().unwrap() {
            assert!(
                described.contains(&(sheet.to_string(), h.to_string())),
                "{sheet}.{h} is explained"
            );
        }
    }

    // Frozen header and filters, in the sheet's XML.
    let sheet1 = zip_entry(&file_bytes(&path), "xl/worksheets/sheet1.xml");
    assert!(
        sheet1.contains(r#"state="frozen""#) && sheet1.contains("<autoFilter"),
        "frozen header and filter"
    );

    // English headers with --lang en.
    let en = sb.dir.path().join("en.xlsx");
    assert!(sb
        .run(&[
            "export",
            "--format",
            "xlsx",
            "-o",
            en.to_str().unwrap(),
            "--lang",
            "en"
        ])
        .status
        .success());
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(file_bytes(&en))).unwrap();
    assert_eq!(book.sheet_names()[4], "Data dictionary");
    let initiatives = book.worksheet_range("Initiatives").unwrap();
    assert_eq!(
        initiatives.rows().next().unwrap()[1],
        Data::String("name".into())
    );
}

/// One file of a zip container, as text.
fn zip_entry(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// Issue 17: several initiatives moved to one status in one go: all, or none when one move is not
/// allowed (and the message names that one).
#[test]
fn a_bulk_review_moves_all_or_none() {
    let (sb, ids) = populated(3);
    let log_len = |sb: &Sandbox, id: &str| {
        sb.json(&["reviews", id, "--json"])
            .as_array()
            .unwrap()
            .len()
    };
    let before: Vec<usize> = ids.iter().map(|id| log_len(&sb, id)).collect();
    // populated() moved the first one to in_review already: new → in_review is not allowed for it.
    let mut args = vec!["review"];
    args.extend(ids.iter().map(String::as_str));
    args.extend(["--status", "in_review", "--by", "Anna de Vries"]);
    let msg = sb.error(&args);
    assert!(
        msg.contains("Initiatief 0 cannot go from in review to in review; nothing was changed"),
        "{msg}"
    );
    assert_eq!(
        ids.iter().map(|id| log_len(&sb, id)).collect::<Vec<_>>(),
        before,
        "nothing changed"
    );

    // Without that one, both move, with one reviewer and note, in one transaction.
    let moved = sb.json(&[
        "review",
        &ids[1],
        &ids[2],
        &ids[1],
        "--status",
        "in_review",
        "--by",
        "Anna de Vries",
        "--note",
        "Week 48",
        "--json",
    ]);
    let moved = moved.as_array().unwrap();
    assert_eq!(moved.len(), 2, "an id given twice moves once");
    assert!(moved.iter().all(|e| e["to"] == "in_review"
        && e["reviewer"] == "Anna de Vries"
        && e["note"] == "Week 48"));
    assert_eq!(moved[0]["created_at"], moved[1]["created_at"]);
    // An unknown id refuses the whole move too.
    let msg = sb.error(&[
        "review",
        &ids[1],
        "8d4c2a43-34b4-4b7e-a3c9-0f1b1c1d1e1f",
        "--status",
        "published",
        "--by",
        "Anna",
    ]);
    assert!(
        msg.contains("8d4c2a43-34b4-4b7e-a3c9-0f1b1c1d1e1f"),
        "{msg}"
    );
    assert_eq!(
        sb.json(&["reviews", &ids[1], "--json"])
            .as_array()
            .unwrap()
            .last()
            .unwrap()["to"],
        "in_review"
    );
    // One id: its entry as before.
    assert_eq!(
        sb.json(&[
            "review",
            &ids[1],
            "--status",
            "published",
            "--by",
            "Anna",
            "--json"
        ])["to"],
        "published"
    );
}
