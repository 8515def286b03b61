//! Issue 13: every text in data/ is Wijkkompas's own wording. Movisie's texts (the seeds in
//! ../shared/seeds/) may be paraphrased and credited, never copied: no text shares a run of six
//! or more consecutive words with them, after lower-casing and removing punctuation. Names of
//! things (initiatives, places, publications, "Wij in de Wijk") are exempt.
use std::collections::HashSet;
use std::path::Path;

use serde_json::Value;

const RUN: usize = 6;

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c.is_whitespace() {
                c
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// Every run of six words in the seeds, with names cut out (a name splits a run).
struct Seeds {
    runs: HashSet<Vec<String>>,
    names: Vec<Vec<String>>,
}

impl Seeds {
    fn new(texts: &[String], names: &[String]) -> Seeds {
        let names: Vec<Vec<String>> = names
            .iter()
            .map(|n| words(n))
            .filter(|n| !n.is_empty())
            .collect();
        let mut seeds = Seeds {
            runs: HashSet::new(),
            names,
        };
        for text in texts {
            for part in seeds.without_names(&words(text)) {
                for run in part.windows(RUN) {
                    seeds.runs.insert(run.to_vec());
                }
            }
        }
        seeds
    }

    /// The stretches of words between names.
    fn without_names(&self, words: &[String]) -> Vec<Vec<String>> {
        let mut parts = vec![Vec::new()];
        let mut i = 0;
        while i < words.len() {
            if let Some(name) = self.names.iter().find(|n| words[i..].starts_with(n)) {
                i += name.len();
                parts.push(Vec::new());
            } else {
                parts.last_mut().unwrap().push(words[i].clone());
                i += 1;
            }
        }
        parts
    }

    /// The first run of six words this text shares with the seeds.
    fn shared_run(&self, text: &str) -> Option<String> {
        self.without_names(&words(text))
            .iter()
            .flat_map(|p| p.windows(RUN))
            .find(|run| self.runs.contains(*run))
            .map(|run| run.join(" "))
    }
}

fn seed_texts() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the seed texts are needed to check our wording: {}: {e}",
            dir.display()
        )
    });
    let texts: Vec<String> = entries
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(texts.len() >= 3, "the three seed texts");
    texts
}

/// Names of things in the content: exempt wherever they stand.
fn names() -> Vec<String> {
    let mut names = vec!["Wij in de Wijk".to_string()];
    let cases: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/cases.json"))
            .unwrap(),
    )
    .unwrap();
    for case in cases["cases"].as_array().unwrap() {
        for field in ["name", "neighbourhood", "place"] {
            names.extend(case[field].as_str().map(str::to_string));
        }
    }
    names
}

/// Every text of a JSON file with where it is, leaving out fields that hold names or citations.
fn texts(value: &Value, at: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::String(s) => out.push((at, s.clone())),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| texts(v, format!("{at}[{i}]"), out)),
        Value::Object(fields) => {
            for (key, v) in fields {
                if !matches!(
                    key.as_str(),
                    "id" | "name"
                        | "neighbourhood"
                        | "place"
                        | "municipality"
                        | "province"
                        | "source"
                        | "sources"
                ) {
                    texts(v, format!("{at}.{key}"), out);
                }
            }
        }
        _ => {}
    }
}

#[test]
fn no_text_in_data_copies_six_words_in_a_row_from_movisie() {
    let seeds = Seeds::new(&seed_texts(), &names());
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut found = Vec::new();
    for file in [
        "lessons.json",
        "cases.json",
        "place-aliases.json",
        "problems.json",
        "target-groups.json",
    ] {
        let mut all = Vec::new();
        texts(
            &serde_json::from_str(&std::fs::read_to_string(data.join(file)).unwrap()).unwrap(),
            file.to_string(),
            &mut all,
        );
        assert!(!all.is_empty());
        for (at, text) in all {
            if let Some(run) = seeds.shared_run(&text) {
                found.push(format!("{at}: \"{run}\""));
            }
        }
    }
    assert!(
        found.is_empty(),
        "texts that copy Movisie's wording:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_overlap_check_catches_copied_and_near_copied_sentences() {
    let seeds = Seeds::new(&seed_texts(), &names());
    // Sentences copied from the seed, as issue 13 lists them.
    for copied in [
        "Begroet mensen uit jouw wijk die je nog niet goed kent en maak een praatje.",
        "Overbruggend contact ontstaat wanneer er ruimte is voor toeval en spontaniteit.",
        "Let op dat de ontmoetingsplek ruimte biedt aan verschillende activiteiten die tegelijkertijd kunnen plaatsvinden.",
        "Bonding: het samenbinden van mensen die zich in elkaar herkennen of een bepaald belang delen.",
        "Bridging: het maken van contact met personen buiten je eigen groep.",
        "Sluit aan bij bewonersinitiatieven. Weet wanneer je aan zet bent en wanneer je wat meer op afstand moet blijven.",
        "Zorg voor een duidelijk verhaal over jouw initiatief in de wijk en welke impact het op welke doelgroep heeft.",
    ] {
        assert!(seeds.shared_run(copied).is_some(), "not caught: {copied}");
    }
    // Our own earlier texts that followed the seed too closely.
    for near in [
        "Groet buurtgenoten die je nog niet goed kent en maak eens een praatje.",
        "Contact tussen groepen ontstaat vaak vanzelf, als er ruimte is voor toeval en spontaniteit.",
        "Wie echt iets wil veranderen in de wijk, heeft goede relaties nodig tussen het initiatief, de gemeente, het welzijnswerk en de woningcorporatie.",
        "Mensen samenbrengen die zich in elkaar herkennen of iets gemeen hebben.",
    ] {
        assert!(seeds.shared_run(near).is_some(), "not caught: {near}");
    }
    // Names do not count: "Wij in de Wijk" in a sentence of our own.
    assert_eq!(
        seeds.shared_run("De casusbundels van Wij in de Wijk laten zien hoe het kan."),
        None
    );
}

/// Issue 13 §2: the questionnaire changed (statement set 2). A bundle made with set 1 (exported
/// before the change, tests/fixtures/bundle-statement-set-1.json) still imports, its checks keep
/// their scores, and a check with the new set is compared with an old one on what both asked.
#[test]
fn checks_made_with_the_first_statement_set_import_score_and_compare_after_the_change() {
    use crate::util::Sandbox;
    use serde_json::json;
    let sb = Sandbox::new();
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bundle-statement-set-1.json");
    let summary = sb.json(&["import", fixture.to_str().unwrap(), "--json"]);
    assert_eq!(summary["added"], 3, "{summary}");
    let bundle: Value = serde_json::from_str(&std::fs::read_to_string(&fixture).unwrap()).unwrap();
    assert!(
        bundle["self_checks"][0]["answers"]
            .get("bonding-1-b")
            .is_some(),
        "the fixture answers a retired statement"
    );
    let initiative = bundle["initiatives"][0]["id"].as_str().unwrap();
    let history = sb.json(&["history", initiative, "--json"]);
    // The scores these checks had when they were made (read from the app before the change).
    assert_eq!(
        history[0]["scores"],
        json!({"bonding": 56.9, "bridging": 58.3, "linking": 41.7})
    );
    assert_eq!(
        history[1]["scores"],
        json!({"bonding": 54.2, "bridging": 38.9, "linking": 50.0})
    );
    assert_eq!(
        (
            history[0]["statement_set"].clone(),
            history[1]["statement_set"].clone()
        ),
        (json!(1), json!(1))
    );

    // A new check with the current set: every current statement answered 4, so each lesson
    // scores 75 on the statements it asks (the reverse one 25).
    let current: serde_json::Map<String, Value> = wijkkompas::content::catalog::catalog()
        .statements()
        .map(|s| (s.id.clone(), json!(4)))
        .collect();
    let input = sb.file(
        "new.json",
        &json!({"initiative": {"id": initiative, "role": "resident"}, "answers": current})
            .to_string(),
    );
    sb.json(&["check", "--input", input.to_str().unwrap(), "--json"]);
    let history = sb.json(&["history", initiative, "--json"]);
    assert_eq!(history[2]["statement_set"], 2);
    let core = wijkkompas::content::catalog::catalog();
    let answers_of = |h: &Value| -> wijkkompas::model::Answers {
        let id = h["id"].as_str().unwrap();
        let check = bundle["self_checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id);
        match check {
            Some(c) => c["answers"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_u64().map(|v| v as u8)))
                .collect(),
            None => current.iter().map(|(k, _)| (k.clone(), Some(4))).collect(),
        }
    };
    let cmp = wijkkompas::selfcheck::assess::compare_answers(
        core,
        &answers_of(&history[1]),
        &answers_of(&history[2]),
    );
    assert_eq!((cmp.before_set, cmp.after_set), (1, 2));
    // bonding-1 is compared on bonding-1-a and -c only (both sets ask them): the old check
    // answered them 2 and 4 → (25 + 75) / 2 = 50; bonding-1-b (retired) and -d (new) are left out.
    let old = &bundle["self_checks"][1]["answers"];
    let expected_before = (f64::from((old["bonding-1-a"].as_u64().unwrap() - 1) as u32)
        + f64::from((old["bonding-1-c"].as_u64().unwrap() - 1) as u32))
        / 8.0
        * 100.0;
    let bonding_1 = cmp.lessons.iter().find(|c| c.id == "bonding-1").unwrap();
    assert_eq!(
        bonding_1.before,
        Some(wijkkompas::model::round1(expected_before))
    );
    assert_eq!(bonding_1.after, Some(75.0));
    // bonding-3: the reverse statement changed (3-a retired, 3-d new): only 3-b and 3-c count.
    let bonding_3 = cmp.lessons.iter().find(|c| c.id == "bonding-3").unwrap();
    assert_eq!(bonding_3.after, Some(75.0));
    // The CLI's history says which sets the comparison spans.
    let text = sb.run(&["history", initiative]);
    let out = String::from_utf8_lossy(&text.stdout);
    assert!(
        out.contains("statement set 1") && out.contains("statement set 2"),
        "{out}"
    );
}

/// A check may not mix the sets: answers to a retired and a new statement in one check.
#[test]
fn one_check_answers_one_statement_set() {
    let mut mixed = std::collections::BTreeMap::new();
    mixed.insert("bonding-1-b".to_string(), Some(3));
    mixed.insert("bonding-1-d".to_string(), Some(3));
    let e =
        wijkkompas::selfcheck::assess::validate(wijkkompas::content::catalog::catalog(), &mixed)
            .unwrap_err();
    assert!(
        matches!(
            e,
            wijkkompas::selfcheck::assess::AssessError::MixedStatementSets
        ),
        "{e}"
    );
    mixed.remove("bonding-1-d");
    assert!(
        wijkkompas::selfcheck::assess::validate(wijkkompas::content::catalog::catalog(), &mixed)
            .is_ok(),
        "an old check alone is fine"
    );
}

/// Issue 13 §3: the core's problems are worded in the language asked for, from one catalogue.
#[test]
fn the_cli_words_a_problem_in_the_language_asked_for() {
    use crate::util::Sandbox;
    let sb = Sandbox::new();
    let nl = sb.error(&["--lang", "nl", "locate", "123", "5"]);
    assert!(nl.contains("123 is geen geldige breedtegraad"), "{nl}");
    let en = sb.error(&["--lang", "en", "locate", "123", "5"]);
    assert!(en.contains("123 is not a valid latitude"), "{en}");
    // Dutch is the default, as on the screen.
    let out = sb.run(&["locate", "123", "5"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("geen geldige breedtegraad"));
    // A field's name is worded too.
    let long = "x".repeat(201);
    let f = sb.file("long.json", &serde_json::json!({"initiative": {"name": long, "lat": 52.09, "lon": 5.12, "role": "resident"}, "answers": {}}).to_string());
    let nl = sb.error(&["--lang", "nl", "check", "--input", f.to_str().unwrap()]);
    assert!(
        nl.contains("De naam is 201 tekens lang; de grens is 200."),
        "{nl}"
    );
}
