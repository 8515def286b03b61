//! Issue 32: a self-check's result starts in words, the same in the CLI's JSON and in the PDF:
//! two or three sentences, the tips for every role that answered, the scores in bands, what
//! changed since last time (under 10 points "about the same"), and the statements nobody answered.
use std::process::Command;

use serde_json::{json, Value};
use wijkkompas::content::catalog::catalog;

use crate::util::Sandbox;

/// Every current statement answered `value`, but those of `lesson` answered `low`.
fn answers(value: u8, lesson: &str, low: u8) -> serde_json::Map<String, Value> {
    catalog()
        .lessons
        .iter()
        .flat_map(|l| l.statements.iter().map(move |s| (l, s)))
        .map(|(l, s)| {
            let v = if l.id == lesson { low } else { value };
            // A reverse statement measures a risk: the same score needs the mirrored answer.
            let v = if s.reverse { 6 - v } else { v };
            (s.id.clone(), json!(v))
        })
        .collect()
}

fn first_statement(lesson: &str) -> String {
    catalog().lesson(lesson).unwrap().statements[0].id.clone()
}

/// Text as a reader gets it: whitespace folded to single spaces.
fn pdf_words(sb: &Sandbox, check_id: &str, lang: &str) -> String {
    let path = sb.dir.path().join(format!("{check_id}-{lang}.pdf"));
    let out = sb.run(&[
        "report",
        check_id,
        "-o",
        path.to_str().unwrap(),
        "--lang",
        lang,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = Command::new("pdftotext")
        .args([path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed by `make test`");
    fold(&String::from_utf8(text.stdout).unwrap())
}

fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

/// A resident's first check, then a repeat: a 2.8-point dip reads "about the same", a rise of
/// 75 points "higher"; skipped statements are named; the figures come in bands.
#[test]
fn a_single_check_and_its_repeat_read_in_words() {
    let sb = Sandbox::new();
    let mut first = answers(4, "linking-3", 1);
    let skipped = first_statement("bridging-2");
    first.remove(&skipped);
    first.insert(first_statement("bridging-3"), Value::Null);
    let input = json!({"initiative": {"name": "Buurttuin De Bron", "lat": 52.979, "lon": 6.483, "role": "resident"}, "answers": first});
    let f = sb.file("first.json", &input.to_string());
    let r1 = sb.json(&["check", "--input", f.to_str().unwrap(), "--json"]);

    let summary = strings(&r1["summary"]);
    assert!((2..=3).contains(&summary.len()), "{summary:?}");
    assert!(summary[0].starts_with("Dit gaat goed"), "{summary:?}");
    assert!(
        summary[1].contains(catalog().lesson("linking-3").unwrap().title.nl.as_str()),
        "{summary:?}"
    );
    assert!(summary[2].starts_with("Een eerste stap: "), "{summary:?}");
    assert_eq!(r1["tip_roles"], json!(["resident"]));
    assert!(r1["advice"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["role"] == "resident"));
    assert_eq!(
        r1["bands"]["strategies"],
        json!([
            {"id": "bonding", "score": 75.0, "band": "strong"},
            {"id": "bridging", "score": 75.0, "band": "strong"},
            {"id": "linking", "score": 50.0, "band": "on_the_way"},
        ])
    );
    assert_eq!(
        r1["bands"]["lessons"][8],
        json!({"id": "linking-3", "score": 0.0, "band": "just_starting"})
    );
    let named: Vec<&str> = r1["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(named, [skipped.as_str(), &first_statement("bridging-3")]);
    assert_eq!(r1["since_last"], Value::Null);

    // The repeat: one bonding-1 statement a point lower (bonding 75 → 72.2), linking-3 up.
    let mut second = answers(4, "none", 4);
    let dip = first_statement("bonding-1");
    second.insert(dip, json!(3));
    let input =
        json!({"initiative": {"id": r1["initiative_id"], "role": "resident"}, "answers": second});
    let f = sb.file("repeat.json", &input.to_string());
    let r2 = sb.json(&[
        "check",
        "--input",
        f.to_str().unwrap(),
        "--json",
        "--lang",
        "en",
    ]);
    let since = &r2["since_last"];
    assert_eq!(since["previous_id"], r1["id"]);
    let strategies = since["comparison"]["strategies"].as_array().unwrap();
    assert_eq!(strategies[0]["before"], json!(75.0));
    assert_eq!(strategies[0]["after"], json!(72.2));
    let directions: Vec<&str> = strategies
        .iter()
        .map(|c| c["direction"].as_str().unwrap())
        .collect();
    assert_eq!(directions, ["same", "same", "up"]);
    assert_eq!(
        strings(&since["sentences"]),
        [
            "Bonding: about the same (now strong).",
            "Bridging: about the same (now strong).",
            "Linking: higher than last time (now strong).",
        ]
    );
    assert!(r2["skipped"].as_array().unwrap().is_empty());

    // The text output speaks first, with bands.
    let text = String::from_utf8(
        sb.run(&["check", "--input", f.to_str().unwrap(), "--lang", "en"])
            .stdout,
    )
    .unwrap();
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s} in {text}"));
    assert!(at("This goes well") < at("bonding 72.2 (strong)"), "{text}");
    assert!(
        text.contains("since last time: Bonding: about the same"),
        "{text}"
    );

    // The PDF, in both languages: words first, then tips, bands, and the figures last.
    let nl = pdf_words(&sb, r1["id"].as_str().unwrap(), "nl");
    let at = |s: &str| nl.find(s).unwrap_or_else(|| panic!("{s} in {nl}"));
    assert!(at("In het kort") < at(&fold(&summary[0])), "{nl}");
    assert!(at(&fold(&summary[1])) < at("Tips voor jou als bewoner"));
    assert!(at("Tips voor jou als bewoner") < at("Zo sta je ervoor"));
    assert!(at("Zo sta je ervoor") < at("De cijfers"));
    assert!(
        nl.contains("Verbinden met instanties (linking): op weg"),
        "{nl}"
    );
    assert!(
        nl.contains("Zonder geld geen vaste plek in de wijk: nog weinig"),
        "{nl}"
    );
    assert!(at("Niet beantwoord") > at("De cijfers"));
    let skipped_text = catalog().statement(&skipped).unwrap().1.text.nl.clone();
    assert!(nl.contains(&fold(&skipped_text)), "{nl}");
    assert!(
        !nl.contains("Wat veranderde sinds"),
        "a first check has no change"
    );

    let en = pdf_words(&sb, r2["id"].as_str().unwrap(), "en");
    let at = |s: &str| en.find(s).unwrap_or_else(|| panic!("{s} in {en}"));
    assert!(
        at("In short") < at("What changed since the last check"),
        "{en}"
    );
    assert!(at("Bonding: about the same (now strong).") < at("Tips for you as a resident"));
    assert!(en.contains("Linking: higher than last time"), "{en}");
    assert!(!en.contains("Not answered"), "{en}");
}

/// Issue 32: a group of two residents and a professional got only the professional's tips, in
/// "you" to one person. Now it gets both roles' tips, and the words speak to the group.
#[test]
fn a_groups_result_speaks_to_the_group_with_every_roles_tips() {
    let sb = Sandbox::new();
    let member =
        |role: &str, low: u8| json!({"role": role, "answers": answers(4, "bridging-1", low)});
    let input = json!({
        "initiative": {"name": "Buurtkamer", "lat": 52.09, "lon": 5.12, "role": "professional"},
        "respondents": [member("resident", 1), member("professional", 2), member("resident", 1)]
    });
    let f = sb.file("group.json", &input.to_string());
    let r = sb.json(&["check", "--input", f.to_str().unwrap(), "--json"]);
    assert_eq!(r["tip_roles"], json!(["resident", "professional"]));
    let advice = r["advice"].as_array().unwrap();
    assert_eq!(advice.len(), 6, "three lessons, two roles each");
    assert_eq!(advice[0]["lesson"], "bridging-1");
    assert_eq!(
        advice[0]["tip"],
        catalog()
            .lesson("bridging-1")
            .unwrap()
            .tips
            .resident
            .nl
            .as_str()
    );
    assert_eq!(advice[1]["role"], "professional");
    let summary = strings(&r["summary"]);
    assert!(summary.iter().any(|s| s.contains("jullie")), "{summary:?}");
    // The sentences the core words (the first step quotes a tip, which speaks to one reader).
    assert!(
        summary[..2]
            .iter()
            .all(|s| !s.contains(" je ") && !s.contains(" jou ")),
        "{summary:?}"
    );

    let nl = pdf_words(&sb, r["id"].as_str().unwrap(), "nl");
    let at = |s: &str| nl.find(s).unwrap_or_else(|| panic!("{s} in {nl}"));
    assert!(at("In het kort") < at("Tips voor jullie groep"), "{nl}");
    assert!(nl.contains("(voor de bewoner)") && nl.contains("(voor de professional)"));
    assert!(!nl.contains("voor jou als"), "{nl}");
    assert!(at("Zo staan jullie ervoor") < at("De cijfers"));
    let en = pdf_words(&sb, r["id"].as_str().unwrap(), "en");
    assert!(
        en.contains("Tips for your group") && en.contains("(for the resident)"),
        "{en}"
    );
    assert!(en.contains("Where your group stands"), "{en}");
}
