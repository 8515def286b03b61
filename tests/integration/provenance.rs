//! Issue 17: where records came from. Each machine has an id and a name; bundles carry them; an
//! imported record remembers the machine it was made on, the file, and when that was exported
//! and imported, also when a machine in between passed it on. Lists, the table's filter and the
//! exports say so.
use serde_json::{json, Value};
use wijkkompas::content::catalog::catalog;
use wijkkompas::municipality::area::{rows_page, sources, RowQuery, RowSort};
use wijkkompas::store::Store;

use crate::util::{file_bytes, Sandbox};

fn named(name: &str) -> (Sandbox, String) {
    let sb = Sandbox::new();
    let s = sb.json(&["settings", "--name", name, "--json"]);
    assert_eq!(s["machine_name"], name);
    let id = s["machine_id"].as_str().unwrap().to_string();
    assert!(
        uuid::Uuid::parse_str(&id)
            .is_ok_and(|u| u.get_version_num() == 4 && u.hyphenated().to_string() == id),
        "{id}"
    );
    (sb, id)
}

fn check(sb: &Sandbox, name: &str, lat: f64) -> Value {
    let answers: Value = catalog()
        .statements()
        .map(|s| (s.id.clone(), json!(3)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let input = json!({"initiative": {"name": name, "lat": lat, "lon": 5.12, "role": "resident"}, "answers": answers});
    let f = sb.file("in.json", &input.to_string());
    sb.json(&["check", "--input", f.to_str().unwrap(), "--json"])
}

fn export(sb: &Sandbox, file: &str) -> (std::path::PathBuf, Value) {
    let path = sb.dir.path().join(file);
    assert!(sb
        .run(&["export", "--format", "bundle", "-o", path.to_str().unwrap()])
        .status
        .success());
    let v = serde_json::from_slice(&file_bytes(&path)).unwrap();
    (path, v)
}

fn import(sb: &Sandbox, path: &std::path::Path) -> Value {
    sb.json(&["import", path.to_str().unwrap(), "--json"])
}

/// The source of each listed check, by initiative name.
fn source_of(sb: &Sandbox, initiative: &str) -> Value {
    let list = sb.json(&["list", "--json"]);
    let found: Vec<&Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["initiative"]["name"] == initiative)
        .collect();
    assert_eq!(found.len(), 1, "one check of {initiative}");
    found[0]["source"].clone()
}

fn query(source: Option<&str>) -> RowQuery {
    RowQuery {
        sort: RowSort::Name,
        descending: false,
        status: None,
        text: String::new(),
        wijk: None,
        source: source.map(str::to_string),
        offset: 0,
        limit: 100,
    }
}

fn table(sb: &Sandbox, source: Option<&str>) -> Vec<(String, String)> {
    let store = Store::open(&sb.db()).unwrap();
    rows_page(&store, "GM0344", &query(source))
        .unwrap()
        .rows
        .into_iter()
        .map(|r| (r.initiative.name, r.source.label()))
        .collect()
}

#[test]
fn an_imported_record_remembers_its_machine_file_and_times_and_the_exports_say_so() {
    let (kolk, kolk_id) = named("Buurthuis De Kolk");
    check(&kolk, "Koffieochtend", 52.09);
    let (path, bundle) = export(&kolk, "kolk-november.json");
    assert_eq!(bundle["version"], 3);
    assert_eq!(
        bundle["machine"],
        json!({"id": kolk_id, "name": "Buurthuis De Kolk"})
    );
    assert!(
        bundle.get("machines").is_none(),
        "nothing passed on: no other machines listed"
    );
    assert!(
        bundle["self_checks"][0].get("made_on").is_none(),
        "made by the exporter: not repeated per record"
    );
    assert_eq!(
        source_of(&kolk, "Koffieochtend"),
        json!({"here": true, "machine_id": kolk_id, "machine_name": "Buurthuis De Kolk", "file": null, "exported_at": null, "imported_at": null})
    );

    let (gemeente, gemeente_id) = named("Gemeente Utrecht, team Wijken");
    check(&gemeente, "Eigen invoer", 52.091);
    assert_eq!(
        import(&gemeente, &path)["added"],
        2,
        "the initiative and its check"
    );
    let imported = source_of(&gemeente, "Koffieochtend");
    assert_eq!(imported["here"], false);
    assert_eq!(imported["machine_id"], kolk_id);
    assert_eq!(imported["machine_name"], "Buurthuis De Kolk");
    assert_eq!(imported["file"], "kolk-november.json");
    assert_eq!(imported["exported_at"], bundle["exported_at"]);
    let at = imported["imported_at"].as_str().unwrap();
    assert!(
        at.ends_with('Z') && at >= bundle["exported_at"].as_str().unwrap(),
        "{at}"
    );
    assert_eq!(
        source_of(&gemeente, "Eigen invoer")["machine_id"],
        gemeente_id
    );

    // The same file again adds nothing and changes no record's source.
    assert_eq!(import(&gemeente, &path)["added"], 0);
    assert_eq!(source_of(&gemeente, "Koffieochtend"), imported);

    // The table filters by source; the filter's choices count per machine, this one first.
    assert_eq!(
        table(&gemeente, Some(&kolk_id)),
        [("Koffieochtend".to_string(), "Buurthuis De Kolk".to_string())]
    );
    assert_eq!(
        table(&gemeente, Some(&gemeente_id)),
        [(
            "Eigen invoer".to_string(),
            "Gemeente Utrecht, team Wijken".to_string()
        )]
    );
    assert_eq!(table(&gemeente, None).len(), 2);
    let store = Store::open(&gemeente.db()).unwrap();
    let counts: Vec<(String, bool, u32)> = sources(&store, "GM0344")
        .unwrap()
        .into_iter()
        .map(|c| (c.label, c.here, c.initiatives))
        .collect();
    assert_eq!(
        counts,
        [
            ("Gemeente Utrecht, team Wijken".to_string(), true, 1),
            ("Buurthuis De Kolk".to_string(), false, 1)
        ]
    );
    drop(store);

    // CSV, GeoJSON and the workbook carry it.
    let csv_path = gemeente.dir.path().join("out.csv");
    assert!(gemeente
        .run(&[
            "export",
            "--format",
            "csv",
            "-o",
            csv_path.to_str().unwrap()
        ])
        .status
        .success());
    let bytes = file_bytes(&csv_path);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let header = reader.headers().unwrap().clone();
    let col = |h: &str| {
        header
            .iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("{h} in {header:?}"))
    };
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let kolk_row = rows
        .iter()
        .find(|r| &r[col("initiative")] == "Koffieochtend")
        .unwrap();
    assert_eq!(
        (
            &kolk_row[col("source")],
            &kolk_row[col("source_machine_id")],
            &kolk_row[col("source_file")]
        ),
        ("Buurthuis De Kolk", kolk_id.as_str(), "kolk-november.json")
    );
    assert_eq!(
        &kolk_row[col("source_exported_at")],
        bundle["exported_at"].as_str().unwrap()
    );
    assert_eq!(&kolk_row[col("imported_at")], at);
    let own_row = rows
        .iter()
        .find(|r| &r[col("initiative")] == "Eigen invoer")
        .unwrap();
    assert_eq!(
        (&own_row[col("source")], &own_row[col("source_file")]),
        ("Gemeente Utrecht, team Wijken", "")
    );

    let geo_path = gemeente.dir.path().join("out.geojson");
    assert!(gemeente
        .run(&[
            "export",
            "--format",
            "geojson",
            "-o",
            geo_path.to_str().unwrap()
        ])
        .status
        .success());
    let geo: Value = serde_json::from_slice(&file_bytes(&geo_path)).unwrap();
    let feature = geo["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["name"] == "Koffieochtend")
        .unwrap();
    assert_eq!(feature["properties"]["source"], "Buurthuis De Kolk");
    assert_eq!(feature["properties"]["source_file"], "kolk-november.json");
    assert_eq!(feature["properties"]["source_machine_id"], kolk_id);

    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let xlsx_path = gemeente.dir.path().join("out.xlsx");
    assert!(gemeente
        .run(&[
            "export",
            "--format",
            "xlsx",
            "--lang",
            "en",
            "-o",
            xlsx_path.to_str().unwrap()
        ])
        .status
        .success());
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(file_bytes(&xlsx_path))).unwrap();
    for sheet in ["Initiatives", "Self-checks"] {
        let range = book.worksheet_range(sheet).unwrap();
        let header: Vec<String> = range
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
                .unwrap_or_else(|| panic!("{h} in {sheet}: {header:?}"))
        };
        let name_col = if sheet == "Initiatives" {
            at("name")
        } else {
            at("initiative")
        };
        let row = range
            .rows()
            .skip(1)
            .find(|r| r[name_col] == Data::String("Koffieochtend".into()))
            .unwrap();
        assert_eq!(
            row[at("source")],
            Data::String("Buurthuis De Kolk".into()),
            "{sheet}"
        );
        assert_eq!(
            row[at("source_file")],
            Data::String("kolk-november.json".into()),
            "{sheet}"
        );
        assert!(
            matches!(row[at("imported")], Data::DateTime(_)),
            "{sheet}: a date, {:?}",
            row[at("imported")]
        );
    }
}

#[test]
fn records_passed_on_by_a_machine_in_between_keep_the_machine_they_were_made_on() {
    let (kolk, kolk_id) = named("Buurthuis De Kolk");
    check(&kolk, "Koffieochtend", 52.09);
    let (from_kolk, _) = export(&kolk, "kolk.json");

    // De Linde collects De Kolk's file, adds its own check, and sends everything on.
    let (linde, linde_id) = named("Wijkcentrum De Linde");
    import(&linde, &from_kolk);
    check(&linde, "Taalcafé", 52.092);
    let (from_linde, bundle) = export(&linde, "linde.json");
    assert_eq!(bundle["machine"]["id"], linde_id);
    assert_eq!(
        bundle["machines"],
        json!([{"id": kolk_id, "name": "Buurthuis De Kolk"}])
    );
    let made_on = |list: &str| -> Vec<Value> {
        bundle[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.get("made_on").cloned().unwrap_or(Value::Null))
            .collect()
    };
    assert_eq!(
        made_on("initiatives"),
        [json!(kolk_id), Value::Null],
        "De Kolk's initiative passed on, De Linde's own"
    );
    assert_eq!(made_on("self_checks"), [json!(kolk_id), Value::Null]);

    let (gemeente, _) = named("Gemeente Utrecht");
    assert_eq!(import(&gemeente, &from_linde)["added"], 4);
    let koffie = source_of(&gemeente, "Koffieochtend");
    assert_eq!(
        (
            &koffie["machine_id"],
            &koffie["machine_name"],
            &koffie["file"]
        ),
        (
            &json!(kolk_id),
            &json!("Buurthuis De Kolk"),
            &json!("linde.json")
        )
    );
    let taal = source_of(&gemeente, "Taalcafé");
    assert_eq!(
        (&taal["machine_id"], &taal["file"]),
        (&json!(linde_id), &json!("linde.json"))
    );
    assert_eq!(table(&gemeente, Some(&kolk_id)).len(), 1);

    // De Kolk gets a new name: its next file tells, and every one of its records shows it.
    kolk.json(&["settings", "--name", "Buurthuis De Kolk (Oost)", "--json"]);
    check(&kolk, "Zomerfeest", 52.093);
    let (again, _) = export(&kolk, "kolk-december.json");
    assert_eq!(
        import(&gemeente, &again)["added"],
        2,
        "only the new initiative and check"
    );
    assert_eq!(
        source_of(&gemeente, "Koffieochtend")["machine_name"],
        "Buurthuis De Kolk (Oost)"
    );
    assert_eq!(
        source_of(&gemeente, "Koffieochtend")["file"],
        "linde.json",
        "the first file that brought it stays its file"
    );
    assert_eq!(
        source_of(&gemeente, "Zomerfeest")["file"],
        "kolk-december.json"
    );
}

#[test]
fn an_older_bundle_names_no_machine_and_its_records_say_so() {
    let gemeente = Sandbox::new();
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bundle-v1.json");
    import(&gemeente, &fixture);
    let list = gemeente.json(&["list", "--json"]);
    let source = &list[0]["source"];
    assert_eq!(
        (
            &source["here"],
            &source["machine_id"],
            &source["machine_name"],
            &source["file"]
        ),
        (
            &json!(false),
            &Value::Null,
            &Value::Null,
            &json!("bundle-v1.json")
        )
    );
    let store = Store::open(&gemeente.db()).unwrap();
    let code = list[0]["municipality"]["code"]
        .as_str()
        .unwrap()
        .to_string();
    let counts = sources(&store, &code).unwrap();
    assert_eq!(
        (
            counts[0].key.as_str(),
            counts[0].label.as_str(),
            counts[0].here
        ),
        ("", "?", false)
    );
    let rows = rows_page(&store, &code, &query(Some(""))).unwrap();
    assert_eq!(
        rows.matching as usize, counts[0].initiatives as usize,
        "the filter's \"unknown machine\" choice shows them"
    );
}

#[test]
fn a_machine_name_is_one_line_of_at_most_100_characters() {
    let sb = Sandbox::new();
    assert!(sb
        .error(&["settings", "--name", &"k".repeat(101), "--lang", "en"])
        .contains("at most 100 characters"));
    assert!(sb
        .error(&["settings", "--name", "De\u{7}Kolk", "--lang", "en"])
        .contains("control character"));
    assert_eq!(
        sb.json(&["settings", "--json"])["machine_name"],
        "",
        "nothing changed"
    );
    let id = sb.json(&["settings", "--json"])["machine_id"].clone();
    assert_eq!(
        sb.json(&["settings", "--json"])["machine_id"],
        id,
        "the id stays"
    );
}
