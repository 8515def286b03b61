//! The wijk level: every initiative in its CBS wijk, from the point, in lists, exports and
//! figures per wijk. Without wijk boundaries (the fallback build) the wijk is null everywhere and
//! figures per wijk are refused with a clear message.
use serde_json::{json, Value};
use wijkkompas::content::catalog::catalog;
use wijkkompas::geo::geography;

use crate::util::{file_bytes, Sandbox};

/// Points in three Utrecht wijken: Overvecht (6), Binnenstad (2), Zuidwest/Kanaleneiland (1).
const POINTS: [(f64, f64); 9] = [
    (52.116, 5.111),
    (52.117, 5.112),
    (52.118, 5.113),
    (52.119, 5.110),
    (52.115, 5.114),
    (52.1165, 5.1125),
    (52.0907, 5.1214),
    (52.0915, 5.1200),
    (52.074, 5.096),
];

fn check(sb: &Sandbox, k: usize, lat: f64, lon: f64) -> Value {
    let answers: Value = catalog()
        .statements()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), json!(((i * 7 + k * 3) % 5 + 1) as u8)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let input = json!({"initiative": {"name": format!("Initiatief {k}"), "lat": lat, "lon": lon, "role": "resident"}, "answers": answers});
    let f = sb.file(&format!("c{k}.json"), &input.to_string());
    sb.json(&["check", "--input", f.to_str().unwrap(), "--json"])
}

fn utrecht() -> Sandbox {
    let sb = Sandbox::new();
    for (k, (lat, lon)) in POINTS.iter().enumerate() {
        check(&sb, k, *lat, *lon);
    }
    sb
}

#[test]
fn locate_names_the_wijk_or_null() {
    let sb = Sandbox::new();
    let here = sb.json(&["locate", "52.116", "5.111", "--json"]);
    let outside = sb.json(&["locate", "48.85", "2.35", "--json"]);
    assert_eq!(outside["wijk"], Value::Null);
    if geography().has_wijken() {
        assert_eq!(
            here["wijk"],
            json!({"code": "WK034403", "name": "Overvecht"})
        );
    } else {
        assert_eq!(
            here["wijk"],
            Value::Null,
            "the fallback build has no wijken"
        );
    }
}

#[test]
fn every_check_lists_and_exports_its_wijk() {
    if !geography().has_wijken() {
        return;
    }
    let sb = utrecht();
    let list = sb.json(&["list", "--json"]);
    let wijken: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["wijk"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        wijken.iter().filter(|w| **w == "WK034403").count(),
        6,
        "{wijken:?}"
    );
    assert_eq!(
        wijken.iter().filter(|w| **w == "WK034406").count(),
        2,
        "{wijken:?}"
    );
    assert_eq!(
        wijken.iter().filter(|w| **w == "WK034408").count(),
        1,
        "{wijken:?}"
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
    let bytes = file_bytes(&csv_path);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let header = reader.headers().unwrap().clone();
    let (code, name) = (
        header.iter().position(|h| h == "wk_code").unwrap(),
        header.iter().position(|h| h == "wk_name").unwrap(),
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows
        .iter()
        .any(|r| &r[code] == "WK034403" && &r[name] == "Overvecht"));

    let geojson_path = sb.dir.path().join("out.geojson");
    assert!(sb
        .run(&[
            "export",
            "--format",
            "geojson",
            "-o",
            geojson_path.to_str().unwrap()
        ])
        .status
        .success());
    let fc: geojson::FeatureCollection = std::fs::read_to_string(&geojson_path)
        .unwrap()
        .parse()
        .unwrap();
    assert!(fc
        .features
        .iter()
        .any(|f| f.property("wk_code").unwrap() == "WK034408"
            && f.property("wk_name").unwrap() == "Zuidwest"));
}

#[test]
fn figures_per_wijk_count_every_wijk_and_keep_the_rule_of_five() {
    if !geography().has_wijken() {
        let sb = Sandbox::new();
        assert!(sb
            .error(&["stats", "--municipality", "GM0344", "--by-wijk", "--json"])
            .contains("no wijk boundaries"));
        return;
    }
    let sb = utrecht();
    let table = sb.json(&["stats", "--municipality", "GM0344", "--by-wijk", "--json"]);
    let rows = table.as_array().unwrap();
    assert_eq!(
        rows.len(),
        10,
        "every wijk of Utrecht, those without initiatives too"
    );
    let row = |code: &str| {
        rows.iter()
            .find(|r| r["wijk"]["code"] == code)
            .unwrap()
            .clone()
    };
    let overvecht = row("WK034403");
    assert_eq!(
        (
            overvecht["wijk"]["name"].as_str(),
            overvecht["initiatives"].as_u64(),
            overvecht["checks"].as_u64()
        ),
        (Some("Overvecht"), Some(6), Some(6))
    );
    assert!(
        overvecht["strategies"]["bonding"]["mean"].is_number(),
        "six initiatives: a mean"
    );
    let binnenstad = row("WK034406");
    assert_eq!(binnenstad["initiatives"], 2);
    assert_eq!(
        binnenstad["strategies"]["bonding"]["mean"],
        Value::Null,
        "two initiatives: no mean"
    );
    assert_eq!(binnenstad["strategies"]["bonding"]["n"], 2);
    assert_eq!(row("WK034401")["initiatives"], 0);
    let total: u64 = rows
        .iter()
        .map(|r| r["initiatives"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 9);

    // One wijk's figures are the municipal figures' shape, and agree with the table.
    let one = sb.json(&["stats", "--wijk", "WK034403", "--json"]);
    assert_eq!(one["initiatives"], 6);
    assert_eq!(one["strategies"], overvecht["strategies"]);
    assert!(one["lessons"].is_object() && one["min_group"] == 5);
    // The wijk's mean is the mean of its initiatives' latest scores.
    let list = sb.json(&["list", "--json"]);
    let bonding: Vec<f64> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["wijk"]["code"] == "WK034403")
        .map(|r| r["scores"]["bonding"].as_f64().unwrap())
        .collect();
    let mean = bonding.iter().sum::<f64>() / bonding.len() as f64;
    assert!(
        (one["strategies"]["bonding"]["mean"].as_f64().unwrap() - mean).abs() < 0.11,
        "{one} vs {mean}"
    );

    assert!(sb
        .error(&["stats", "--wijk", "WK999999"])
        .contains("WK999999"));
    assert!(sb
        .error(&["stats", "--municipality", "GM9999", "--by-wijk"])
        .contains("GM9999"));
}

#[test]
fn an_imported_initiative_gets_its_wijk_from_its_point() {
    if !geography().has_wijken() {
        return;
    }
    let a = Sandbox::new();
    check(&a, 0, 52.074, 5.096);
    let path = a.dir.path().join("a.json");
    assert!(a
        .run(&["export", "--format", "bundle", "-o", path.to_str().unwrap()])
        .status
        .success());
    let b = Sandbox::new();
    b.json(&["import", path.to_str().unwrap(), "--json"]);
    assert_eq!(
        b.json(&["list", "--json"])[0]["wijk"],
        json!({"code": "WK034408", "name": "Zuidwest"})
    );

    // A file that claims a wijk is not believed: such a field is refused, and nothing changes.
    let mut bundle: Value = serde_json::from_slice(&file_bytes(&path)).unwrap();
    bundle["initiatives"][0]["wijk"] = json!({"code": "WK036301", "name": "Elders"});
    let forged = a.file("forged.json", &bundle.to_string());
    let c = Sandbox::new();
    assert!(!c
        .run(&["import", forged.to_str().unwrap()])
        .status
        .success());
    assert_eq!(c.json(&["list", "--json"]), json!([]));
}

#[test]
fn an_older_database_gets_the_wijk_of_every_initiative() {
    let sb = Sandbox::new();
    rusqlite::Connection::open(sb.db())
        .unwrap()
        .execute_batch(include_str!("../fixtures/schema-v1.sql"))
        .unwrap();
    let list = sb.json(&["list", "--json"]);
    let expected = geography().locate(52.09, 5.12).unwrap().wijk;
    assert_eq!(list[0]["wijk"], serde_json::to_value(&expected).unwrap());
    if geography().has_wijken() {
        assert_eq!(
            list[0]["wijk"]["code"], "WK034406",
            "Buurtkamer Oost lies in the Binnenstad"
        );
        let one = sb.json(&["stats", "--wijk", "WK034406", "--json"]);
        assert_eq!(
            (one["initiatives"].as_u64(), one["checks"].as_u64()),
            (Some(1), Some(1)),
            "the figures per wijk are computed too"
        );
    }
}
