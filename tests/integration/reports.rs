//! PDF reports, read back with pdftotext (poppler-utils, installed by the Makefile).
use std::process::Command;

use serde_json::{json, Value};
use wijkkompas::catalog::catalog;

use crate::util::{file_bytes, Sandbox};

fn pdf_text(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext").args(["-layout", path.to_str().unwrap(), "-"]).output().expect("pdftotext (poppler-utils) is installed by `make test`");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn check(sb: &Sandbox, name: &str, k: usize) -> Value {
    let answers: Value = catalog().statements().enumerate().map(|(i, s)| (s.id.clone(), json!(((i * 2 + k) % 5 + 1) as u8))).collect::<serde_json::Map<_, _>>().into();
    let input = json!({"initiative": {"name": name, "lat": 52.09 + k as f64 * 0.003, "lon": 5.12, "role": "professional"}, "answers": answers});
    let f = sb.file(&format!("{k}.json"), &input.to_string());
    sb.json(&["check", "--input", f.to_str().unwrap(), "--json"])
}

#[test]
fn the_self_check_report_is_one_a4_page_with_scores_tips_and_cases() {
    let sb = Sandbox::new();
    let r = check(&sb, "Taalcafé Zuilen", 0);
    let path = sb.dir.path().join("check.pdf");
    let out = sb.run(&["report", r["id"].as_str().unwrap(), "-o", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(file_bytes(&path).starts_with(b"%PDF-"));
    let info = String::from_utf8(Command::new("pdfinfo").arg(&path).output().unwrap().stdout).unwrap();
    assert!(info.contains("Pages:           1") && info.contains("595 x 842"), "{info}");
    let fonts = String::from_utf8(Command::new("pdffonts").arg(&path).output().unwrap().stdout).unwrap();
    assert!(fonts.lines().skip(2).all(|l| l.split_whitespace().rev().nth(4) == Some("yes")), "all fonts embedded: {fonts}");
    let text = pdf_text(&path);
    assert!(text.contains("Taalcafé Zuilen"));
    assert!(text.contains("momentopname, geen oordeel"));
    assert!(text.contains("Binden (bonding)") && text.contains("Verbinden met instanties (linking)"));
    let bonding = r["scores"]["bonding"].as_f64().unwrap();
    assert!(text.contains(&format!("{bonding:.1}").replace('.', ",")), "bonding score {bonding} in: {text}");
    for a in r["advice"].as_array().unwrap() {
        let tip = a["tip"].as_str().unwrap();
        let first_words: String = tip.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
        assert!(text.replace('\n', " ").split_whitespace().collect::<Vec<_>>().join(" ").contains(&first_words), "tip \"{first_words}\"");
    }
    assert!(text.contains("Leer van deze initiatieven") && text.contains("Krachtstation Kanaleneiland"));
    assert!(text.contains("Movisie"));
}

#[test]
fn the_municipal_report_has_aggregates_a_map_and_the_table() {
    let sb = Sandbox::new();
    for k in 0..6 {
        check(&sb, &format!("Buurtkamer {k}"), k);
    }
    let path = sb.dir.path().join("gm.pdf");
    let out = sb.run(&["--lang", "en", "report", "--municipality", "GM0344", "-o", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = pdf_text(&path);
    assert!(text.contains("Utrecht (GM0344)"));
    assert!(text.contains("6 initiatives, 6 self-checks"));
    assert!(text.contains("Bonding") && text.contains("All data"));
    for k in 0..6 {
        assert!(text.contains(&format!("Buurtkamer {k}")));
    }
    assert!(text.contains("Map (shape and colour"));
    assert!(sb.error(&["report", "--municipality", "GM9999", "-o", path.to_str().unwrap()]).contains("no municipality"));
    assert!(sb.error(&["report", "-o", path.to_str().unwrap()]).contains("Choose a self-check or a municipality"));
}
