//! Issue 12: bundles with random damage (records dropped, duplicated or shuffled, values changed,
//! odd times and ids) keep the import's promises: a rejected file changes nothing, an accepted
//! one is imported completely, importing it twice adds nothing, and export → import round-trips.
use proptest::prelude::*;
use serde_json::{json, Value};
use wijkkompas::exchange::{export_bundle, import_bundle, import_file, Bundle};
use wijkkompas::store::Store;

/// Everything a store holds that a bundle carries, for comparing two states.
fn snapshot(store: &Store) -> Value {
    let mut b = serde_json::to_value(export_bundle(store, None).unwrap()).unwrap();
    b["exported_at"] = json!(null);
    // Where records came from differs by machine (tests/integration/provenance.rs): the content not.
    let o = b.as_object_mut().unwrap();
    o.remove("machine");
    o.remove("machines");
    for l in LISTS {
        for r in b[l].as_array_mut().unwrap() {
            r.as_object_mut().unwrap().remove("made_on");
        }
    }
    b
}

fn import(store: &mut Store, text: &str) -> Result<wijkkompas::exchange::ImportSummary, String> {
    import_bundle(store, text, &mut |_, _| {}).map_err(|e| e.to_string())
}

/// A sound bundle: a few initiatives around Utrecht, each with checks and a review entry or two.
fn sound_bundle(seed: u64, initiatives: usize) -> Value {
    let statements: Vec<String> = wijkkompas::content::catalog::catalog()
        .statements()
        .map(|s| s.id.clone())
        .collect();
    let mut b = json!({"format": "wijkkompas-bundle", "version": 1, "exported_at": "2026-11-01T12:00:00Z", "municipality": null,
                       "initiatives": [], "self_checks": [], "review_log": []});
    for i in 0..initiatives as u64 {
        let id = uuid::Uuid::from_u64_pair(seed, i).hyphenated().to_string();
        b["initiatives"].as_array_mut().unwrap().push(json!({
            "id": id, "name": format!("Initiatief {i}"), "description": if i % 2 == 0 { json!("Samen koken") } else { json!(null) },
            "lat": 52.05 + (i as f64) * 0.01, "lon": 5.08 + (i as f64) * 0.01, "target_groups": ["ouderen"],
            "created_at": format!("2025-0{}-01T10:00:00Z", 1 + i % 9)}));
        for c in 0..(1 + (seed + i) % 3) {
            let answers: serde_json::Map<String, Value> = statements
                .iter()
                .enumerate()
                .filter(|(k, _)| (seed as usize + *k + c as usize) % 3 != 0)
                .map(|(k, s)| {
                    (
                        s.clone(),
                        if (k + c as usize) % 7 == 0 {
                            json!(null)
                        } else {
                            json!(1 + (seed as usize + k) % 5)
                        },
                    )
                })
                .collect();
            let role = ["resident", "professional", "policy"][((seed + c) % 3) as usize];
            b["self_checks"].as_array_mut().unwrap().push(json!({
                "id": uuid::Uuid::from_u64_pair(seed ^ 0xC0FFEE, i * 16 + c).hyphenated().to_string(), "initiative_id": id,
                "role": role, "created_at": format!("2025-1{c}-0{}T08:30:00Z", 1 + i % 9),
                "answers": answers}));
        }
        if i % 2 == 1 {
            b["review_log"].as_array_mut().unwrap().push(json!({
                "id": uuid::Uuid::from_u64_pair(seed ^ 0xBEEF, i).hyphenated().to_string(), "initiative_id": id,
                "from": "new", "to": "in_review", "reviewer": "Anna", "note": "", "created_at": "2026-01-05T09:00:00Z"}));
        }
    }
    b
}

#[derive(Debug, Clone)]
enum Damage {
    Drop(&'static str, usize),
    Duplicate(&'static str, usize),
    Shuffle(u64),
    Name(usize, String),
    Time(&'static str, usize, &'static str),
    Id(&'static str, usize, u8),
    Answer(usize, i64),
    Lat(usize, f64),
}

const LISTS: [&str; 3] = ["initiatives", "self_checks", "review_log"];
const ODD_TIMES: [&str; 8] = [
    "9999-01-01T00:00:00Z",
    "2026-01-01T10:00:00+05:00",
    "2026-01-01t10:00:00z",
    "2026-01-01 10:00:00Z",
    "2026-02-30T10:00:00Z",
    "yesterday",
    "2026-01-01T10:00:00.12345678901234567890Z",
    "0001-01-01T00:00:00Z",
];

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (prop::sample::select(&LISTS[..]), 0..8usize).prop_map(|(l, i)| Damage::Drop(l, i)),
        (prop::sample::select(&LISTS[..]), 0..8usize).prop_map(|(l, i)| Damage::Duplicate(l, i)),
        any::<u64>().prop_map(Damage::Shuffle),
        (
            0..8usize,
            prop_oneof![
                Just(String::new()),
                Just("Bel\u{7}".to_string()),
                Just("x".repeat(201)),
                Just("Gewoon".to_string()),
                Just("\u{202E}abc".to_string())
            ]
        )
            .prop_map(|(i, n)| Damage::Name(i, n)),
        (
            prop::sample::select(&LISTS[..]),
            0..8usize,
            prop::sample::select(&ODD_TIMES[..])
        )
            .prop_map(|(l, i, t)| Damage::Time(l, i, t)),
        (prop::sample::select(&LISTS[..]), 0..8usize, 0..4u8)
            .prop_map(|(l, i, k)| Damage::Id(l, i, k)),
        (0..8usize, -1..8i64).prop_map(|(i, v)| Damage::Answer(i, v)),
        (
            0..8usize,
            prop_oneof![
                Just(0.0),
                Just(-0.0),
                Just(52.1),
                Just(91.0),
                Just(51.999_999_9)
            ]
        )
            .prop_map(|(i, v)| Damage::Lat(i, v)),
    ]
}

fn apply(b: &mut Value, d: &Damage) {
    let pick = |b: &mut Value, list: &str, i: usize| -> Option<usize> {
        let n = b[list].as_array().map_or(0, Vec::len);
        (n > 0).then(|| i % n)
    };
    match d {
        Damage::Drop(l, i) => {
            if let Some(k) = pick(b, l, *i) {
                b[*l].as_array_mut().unwrap().remove(k);
            }
        }
        Damage::Duplicate(l, i) => {
            if let Some(k) = pick(b, l, *i) {
                let r = b[*l][k].clone();
                b[*l].as_array_mut().unwrap().push(r);
            }
        }
        Damage::Shuffle(seed) => {
            for l in LISTS {
                let a = b[l].as_array_mut().unwrap();
                let n = a.len();
                for k in (1..n).rev() {
                    a.swap(
                        k,
                        (seed.wrapping_mul(k as u64 + 7) % (k as u64 + 1)) as usize,
                    );
                }
            }
        }
        Damage::Name(i, n) => {
            if let Some(k) = pick(b, "initiatives", *i) {
                b["initiatives"][k]["name"] = json!(n);
            }
        }
        Damage::Time(l, i, t) => {
            if let Some(k) = pick(b, l, *i) {
                b[*l][k]["created_at"] = json!(t);
            }
        }
        Damage::Id(l, i, kind) => {
            if let Some(k) = pick(b, l, *i) {
                let id = b[*l][k]["id"].as_str().unwrap().to_string();
                b[*l][k]["id"] = json!(match kind {
                    0 => id.to_uppercase(),
                    1 => format!("{{{id}}}"),
                    2 => id.replace('-', ""),
                    _ => "not-a-uuid".into(),
                });
            }
        }
        Damage::Answer(i, v) => {
            if let Some(k) = pick(b, "self_checks", *i) {
                let key = b["self_checks"][k]["answers"]
                    .as_object()
                    .and_then(|a| a.keys().next().cloned());
                if let Some(key) = key {
                    b["self_checks"][k]["answers"][key] = json!(v);
                }
            }
        }
        Damage::Lat(i, v) => {
            if let Some(k) = pick(b, "initiatives", *i) {
                b["initiatives"][k]["lat"] = json!(v);
            }
        }
    }
}

fn records(b: &Value) -> usize {
    LISTS
        .iter()
        .map(|l| b[*l].as_array().map_or(0, Vec::len))
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn damaged_bundles_keep_the_import_promises(seed in 1..u64::MAX, initiatives in 1..5usize, already in 0..3usize, damages in prop::collection::vec(damage(), 0..4)) {
        let sound = sound_bundle(seed, initiatives);
        let prepared = || {
            let mut store = Store::open_in_memory().unwrap();
            // Part of the data may already be there, as after an earlier exchange.
            if already > 0 {
                let mut part = sound.clone();
                for l in LISTS { let a = part[l].as_array_mut().unwrap(); a.truncate(already.min(a.len())); }
                let ids: Vec<Value> = part["initiatives"].as_array().unwrap().iter().map(|i| i["id"].clone()).collect();
                for l in ["self_checks", "review_log"] { part[l].as_array_mut().unwrap().retain(|r| ids.contains(&r["initiative_id"])); }
                import(&mut store, &part.to_string()).expect("a sound part imports");
            }
            store
        };
        let mut target = prepared();
        let mut file = sound.clone();
        for d in &damages { apply(&mut file, d); }
        // serde_json writes keys in alphabetical order: "review_log" before "self_checks", so
        // these files also take the import's path for lists in another order.
        let text = file.to_string();
        let before = snapshot(&target);
        let outcome = import(&mut target, &text);
        // The same file streamed from disk (the CLI's way) comes to the same answer and state.
        let mut twin = prepared();
        let on_disk = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(on_disk.path(), &text).unwrap();
        let streamed = import_file(&mut twin, on_disk.path(), None, &mut |_, _| {}).map_err(|e| e.to_string());
        prop_assert_eq!(&streamed, &outcome, "from a file as from bytes");
        prop_assert_eq!(snapshot(&twin), snapshot(&target));
        match outcome {
            Err(_) => prop_assert_eq!(snapshot(&target), before, "a rejected file changes nothing"),
            Ok(summary) => {
                prop_assert_eq!(summary.added as usize + summary.skipped as usize + summary.conflicts.len(), records(&file), "every record is accounted for");
                // Completely: every record of the file that was not a conflict is now there.
                let after = snapshot(&target);
                let conflicted: Vec<&str> = summary.conflicts.iter().map(|c| c.id.as_str()).collect();
                for l in LISTS {
                    for r in file[l].as_array().unwrap() {
                        let id = r["id"].as_str().unwrap();
                        if conflicted.contains(&id) { continue; }
                        prop_assert!(after[l].as_array().unwrap().iter().any(|x| x["id"] == r["id"]), "{} {} was imported", l, id);
                    }
                }
                let again = import(&mut target, &text).expect("the same file imports again");
                prop_assert_eq!(again.added, 0, "importing twice adds nothing");
                prop_assert_eq!(snapshot(&target), after);
            }
        }
        // Export → import into an empty store → export: the same.
        let exported = serde_json::to_string(&export_bundle(&target, None).unwrap()).unwrap();
        let mut copy = Store::open_in_memory().unwrap();
        import(&mut copy, &exported).expect("an export imports");
        prop_assert_eq!(snapshot(&copy), snapshot(&target), "export → import round-trips");
        let _: Bundle = serde_json::from_str(&exported).unwrap();
    }
}
