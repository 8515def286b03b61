//! PDF reports, read back with pdftotext (poppler-utils, installed by the Makefile).
use std::process::Command;

use serde_json::{json, Value};
use wijkkompas::content::catalog::catalog;

use crate::util::{file_bytes, Sandbox};

fn pdf_text(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed by `make test`");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn check(sb: &Sandbox, name: &str, k: usize) -> Value {
    let answers: Value = catalog()
        .statements()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), json!(((i * 2 + k) % 5 + 1) as u8)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let input = json!({"initiative": {"name": name, "lat": 52.09 + k as f64 * 0.003, "lon": 5.12, "role": "professional"}, "answers": answers});
    let f = sb.file(&format!("{k}.json"), &input.to_string());
    sb.json(&["check", "--input", f.to_str().unwrap(), "--json"])
}

/// Issue 32: the report leads with words (sentences, tips, bands) and keeps the chart and the
/// cases after them, so a single check now takes two A4 pages, never more.
#[test]
fn the_self_check_report_is_two_a4_pages_with_scores_tips_and_cases() {
    let sb = Sandbox::new();
    let r = check(&sb, "Taalcafé Zuilen", 0);
    let path = sb.dir.path().join("check.pdf");
    let out = sb.run(&[
        "report",
        r["id"].as_str().unwrap(),
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(file_bytes(&path).starts_with(b"%PDF-"));
    let info =
        String::from_utf8(Command::new("pdfinfo").arg(&path).output().unwrap().stdout).unwrap();
    assert!(
        info.contains("Pages:           2") && info.contains("595 x 842"),
        "{info}"
    );
    let fonts =
        String::from_utf8(Command::new("pdffonts").arg(&path).output().unwrap().stdout).unwrap();
    assert!(
        fonts
            .lines()
            .skip(2)
            .all(|l| l.split_whitespace().rev().nth(4) == Some("yes")),
        "all fonts embedded: {fonts}"
    );
    let text = pdf_text(&path);
    assert!(text.contains("Taalcafé Zuilen"));
    assert!(text.contains("momentopname, geen oordeel"));
    assert!(
        text.contains("Binden (bonding)") && text.contains("Verbinden met instanties (linking)")
    );
    let bonding = r["scores"]["bonding"].as_f64().unwrap();
    assert!(
        text.contains(&format!("{bonding:.1}").replace('.', ",")),
        "bonding score {bonding} in: {text}"
    );
    for a in r["advice"].as_array().unwrap() {
        let tip = a["tip"].as_str().unwrap();
        let first_words: String = tip.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
        assert!(
            text.replace('\n', " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains(&first_words),
            "tip \"{first_words}\""
        );
    }
    assert!(
        text.contains("Leer van deze initiatieven") && text.contains("Krachtstation Kanaleneiland")
    );
    assert!(text.contains("Movisie"));
}

#[test]
fn the_municipal_report_has_aggregates_a_map_and_the_table() {
    let sb = Sandbox::new();
    for k in 0..6 {
        check(&sb, &format!("Buurtkamer {k}"), k);
    }
    let path = sb.dir.path().join("gm.pdf");
    let out = sb.run(&[
        "--lang",
        "en",
        "report",
        "--municipality",
        "GM0344",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = pdf_text(&path);
    assert!(text.contains("Utrecht (GM0344)"));
    assert!(text.contains("6 initiatives, 6 self-checks"));
    // The comparison is named for what it is: this machine's data, not a national benchmark.
    assert!(text.contains("Bonding") && text.contains("This computer"));
    assert!(text.contains("Not a national figure"), "{text}");
    assert!(!text.contains("All data"));
    for k in 0..6 {
        assert!(text.contains(&format!("Buurtkamer {k}")));
    }
    assert!(text.contains("Map (shape and colour"));
    assert!(sb
        .error(&[
            "report",
            "--municipality",
            "GM9999",
            "-o",
            path.to_str().unwrap()
        ])
        .contains("no municipality"));
    assert!(sb
        .error(&["report", "-o", path.to_str().unwrap()])
        .contains("Choose a self-check or a municipality"));
}

/// Both reports name the wijk: the check's own, and the municipality's per wijk with its map.
#[test]
fn reports_name_the_wijk_and_the_municipal_one_counts_per_wijk() {
    let sb = Sandbox::new();
    let points = [(52.116, 5.111), (52.117, 5.112), (52.0907, 5.1214)];
    let mut first = None;
    for (k, (lat, lon)) in points.iter().enumerate() {
        let answers: Value = wijkkompas::content::catalog::catalog()
            .statements()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), serde_json::json!(((i + k) % 5 + 1) as u8)))
            .collect::<serde_json::Map<_, _>>()
            .into();
        let input = serde_json::json!({"initiative": {"name": format!("Wijkinitiatief {k}"), "lat": lat, "lon": lon, "role": "resident"}, "answers": answers});
        let f = sb.file(&format!("w{k}.json"), &input.to_string());
        let r = sb.json(&["check", "--input", f.to_str().unwrap(), "--json"]);
        first.get_or_insert(r["id"].as_str().unwrap().to_string());
    }
    let check_pdf = sb.dir.path().join("check.pdf");
    assert!(sb
        .run(&[
            "report",
            first.as_deref().unwrap(),
            "-o",
            check_pdf.to_str().unwrap()
        ])
        .status
        .success());
    let municipal_pdf = sb.dir.path().join("utrecht.pdf");
    assert!(sb
        .run(&[
            "report",
            "--municipality",
            "GM0344",
            "-o",
            municipal_pdf.to_str().unwrap()
        ])
        .status
        .success());
    let (check, municipal) = (pdf_text(&check_pdf), pdf_text(&municipal_pdf));
    if wijkkompas::geo::geography().has_wijken() {
        assert!(check.contains("wijk Overvecht, Utrecht"), "{check}");
        assert!(
            municipal.contains("Wijken (gemiddelde vanaf 5 initiatieven)"),
            "{municipal}"
        );
        assert!(
            municipal.contains("Overvecht · 2 · te weinig voor een gemiddelde"),
            "{municipal}"
        );
        assert!(municipal.contains("Binnenstad · 1"), "{municipal}");
        assert!(municipal.contains("Zonder initiatief (8):"), "{municipal}");
        assert!(
            municipal.contains("Wijkgrenzen: Kadaster / CBS, 2024."),
            "{municipal}"
        );
    } else {
        assert!(check.contains("wijk onbekend"), "{check}");
        assert!(municipal.contains("geen wijkgrenzen"), "{municipal}");
    }
}

#[test]
fn a_group_report_shows_its_members_disagreement_notes_plan_and_last_plan() {
    let sb = Sandbox::new();
    let everything: Vec<String> = catalog().statements().map(|s| s.id.clone()).collect();
    let answers = |v: u8| -> Value {
        everything
            .iter()
            .map(|id| (id.clone(), json!(v)))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    let input = json!({
        "initiative": {"name": "Buurtkamer De Linde", "lat": 52.09, "lon": 5.12},
        "respondents": [{"role": "resident", "answers": answers(1)}, {"role": "resident", "answers": answers(5)}, {"role": "professional", "answers": answers(3), "on_paper": true}],
        "notes": {"bonding-1": {"good": "Iedereen kent elkaar bij naam", "better": "De koffieochtend is vol"}},
        "actions": [{"text": "Tweede koffieochtend op zaterdag", "who": "Kees", "due": "2027-03-01", "lesson": "bonding-1"}]
    });
    let f = sb.file("group.json", &input.to_string());
    let r = sb.json(&["check", "--input", f.to_str().unwrap(), "--json"]);
    let action = r["actions"][0]["id"].as_str().unwrap();
    let repeat = json!({"initiative": {"id": r["initiative_id"], "role": "resident"}, "answers": answers(4),
        "previous_actions": [{"id": action, "outcome": "partly", "note": "Eén keer gelukt"}]});
    let f = sb.file("repeat.json", &repeat.to_string());
    let r2 = sb.json(&["check", "--input", f.to_str().unwrap(), "--json"]);

    let path = sb.dir.path().join("group.pdf");
    assert!(sb
        .run(&[
            "report",
            r["id"].as_str().unwrap(),
            "-o",
            path.to_str().unwrap()
        ])
        .status
        .success());
    let info =
        String::from_utf8(Command::new("pdfinfo").arg(&path).output().unwrap().stdout).unwrap();
    assert!(
        info.contains("Title:           Wijkkompas · Zelfcheck · Buurtkamer De Linde"),
        "{info}"
    );
    let text = pdf_text(&path)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for expected in [
        "3 deelnemers",
        "op papier ingevuld",
        "Om over te praten",
        "deelnemers geven 0,0 tot 100,0",
        "Iedereen kent elkaar bij naam",
        "De koffieochtend is vol",
        "Tweede koffieochtend op zaterdag — Kees — vóór 2027-03-01",
    ] {
        assert!(text.contains(expected), "\"{expected}\" in: {text}");
    }
    let path = sb.dir.path().join("repeat.pdf");
    assert!(sb
        .run(&[
            "report",
            r2["id"].as_str().unwrap(),
            "-o",
            path.to_str().unwrap(),
            "--lang",
            "en"
        ])
        .status
        .success());
    let text = pdf_text(&path)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Last time you agreed")
            && text.contains("Tweede koffieochtend op zaterdag: partly done (Eén keer gelukt)"),
        "{text}"
    );
}

#[test]
fn the_guide_prints_the_lessons_the_statements_and_a_paper_form() {
    let sb = Sandbox::new();
    for (lang, title, form) in [
        ("nl", "Gespreksleidraad", "Antwoordformulier"),
        ("en", "Facilitator's guide", "Answer form"),
    ] {
        let path = sb.dir.path().join(format!("guide-{lang}.pdf"));
        let out = sb.run(&["guide", "-o", path.to_str().unwrap(), "--lang", lang]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = pdf_text(&path)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            text.contains(title) && text.contains(form) && text.contains("Movisie"),
            "{text}"
        );
        let l = if lang == "nl" {
            wijkkompas::model::Lang::Nl
        } else {
            wijkkompas::model::Lang::En
        };
        for s in catalog().statements() {
            let words: String = s
                .text
                .get(l)
                .split_whitespace()
                .take(4)
                .collect::<Vec<_>>()
                .join(" ");
            assert!(text.contains(&words), "{lang}: statement \"{words}\"");
        }
        let info =
            String::from_utf8(Command::new("pdfinfo").arg(&path).output().unwrap().stdout).unwrap();
        assert!(info.contains("595 x 842"), "{info}");
    }
    // It never writes over the database.
    let db = sb.db();
    sb.json(&["lessons", "--json"]);
    assert!(sb
        .error(&["guide", "-o", db.to_str().unwrap(), "--force"])
        .contains("database"));
}

/// Issue 17: the municipal report stopped at about 33 initiatives ("and 12 more; see the CSV"),
/// headed its first column "Part", clipped a long one-word name and cut lesson titles mid-word.
/// Now every initiative is in it, on as many pages as it takes, the table's header repeated.
#[test]
fn the_municipal_report_lists_every_initiative_on_as_many_pages_as_needed() {
    let sb = Sandbox::new();
    let long = "Wijkontmoetingscentrumvrijwilligersondersteuningsprojectgroe"; // 60 characters, one word
    assert_eq!(long.chars().count(), 60);
    // One bundle of 45 initiatives in Utrecht (made here, imported at once: quicker than 45 checks).
    let initiatives: Vec<Value> = (0..45)
        .map(|n| json!({"id": format!("00000000-0000-4000-8000-{n:012}"), "name": if n == 7 { long.to_string() } else { format!("Buurtinitiatief {n:02}") }, "description": null,
            "lat": 52.08 + f64::from(n / 9) * 0.004, "lon": 5.10 + f64::from(n % 9) * 0.006, "target_groups": [], "created_at": "2026-01-01T10:00:00Z"}))
        .collect();
    let checks: Vec<Value> = (0..45)
        .map(|n| json!({"id": format!("10000000-0000-4000-8000-{n:012}"), "initiative_id": format!("00000000-0000-4000-8000-{n:012}"), "role": "resident",
            "created_at": "2026-02-01T10:00:00Z", "answers": {"bonding-1-a": n % 5 + 1}}))
        .collect();
    let bundle = json!({"format": "wijkkompas-bundle", "version": 2, "exported_at": "2026-03-01T00:00:00Z", "municipality": null,
        "initiatives": initiatives, "self_checks": checks, "review_log": []});
    let f = sb.file("many.json", &bundle.to_string());
    sb.json(&["import", f.to_str().unwrap(), "--json"]);
    for lang in ["nl", "en"] {
        let path = sb.dir.path().join(format!("gm-{lang}.pdf"));
        assert!(sb
            .run(&[
                "report",
                "--municipality",
                "GM0344",
                "-o",
                path.to_str().unwrap(),
                "--lang",
                lang
            ])
            .status
            .success());
        let info =
            String::from_utf8(Command::new("pdfinfo").arg(&path).output().unwrap().stdout).unwrap();
        let pages: u32 = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert!(pages >= 2, "{lang}: {pages} pages");
        let text = pdf_text(&path);
        // In reading order (not laid out), the name's lines follow each other.
        let raw = String::from_utf8(
            Command::new("pdftotext")
                .args([path.to_str().unwrap(), "-"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        let joined = raw.split_whitespace().collect::<Vec<_>>().join("");
        for n in (0..45).filter(|n| *n != 7) {
            assert!(
                text.contains(&format!("Buurtinitiatief {n:02}")),
                "{lang}: initiative {n}"
            );
        }
        assert!(
            joined.contains(long),
            "{lang}: the long name whole, over lines if need be"
        );
        assert!(!text.contains("CSV"), "{lang}: no 'see the CSV export'");
        let header = if lang == "nl" {
            "Initiatief"
        } else {
            "Initiative"
        };
        assert!(
            text.matches(header).count() >= pages as usize - 1,
            "{lang}: the table's header on every page it runs over"
        );
        // A title that does not fit ends in "…", never mid-word without it.
        for line in text.lines() {
            let line = line.trim_end();
            if let Some(last) = line.split_whitespace().last() {
                assert!(!last.ends_with('-') || last.len() > 1, "{lang}: {line}");
            }
        }
        accessible(
            &path,
            lang,
            &format!(
                "Wijkkompas · {} · Utrecht",
                if lang == "nl" {
                    "Gemeentelijk overzicht"
                } else {
                    "Municipal overview"
                }
            ),
        );
        // The structure a screen reader follows: the title, the sections, the aggregates and
        // the initiatives as tables with header cells, the map as a figure said in words.
        let tree = structure(&path);
        assert!(
            tree.contains("H1") && tree.matches("H2").count() >= 2,
            "{lang}: {tree}"
        );
        assert!(
            tree.lines()
                .filter(|l| l.trim_start().starts_with("Table"))
                .count()
                >= 2,
            "{lang}: two tables: {tree}"
        );
        let rows = tree
            .lines()
            .filter(|l| l.trim_start().starts_with("TR"))
            .count();
        assert!(
            rows >= 45 + 1 + 1 + 12,
            "{lang}: a row per initiative and per part, headers too: {rows}"
        );
        assert!(
            tree.lines()
                .filter(|l| l.trim_start().starts_with("TH"))
                .count()
                >= 45 + 3 + 3,
            "{lang}: header cells (columns, and each initiative's name for its row)"
        );
        assert!(tree.contains("Figure"), "{lang}: the map is a figure");
        let alt = if lang == "nl" {
            "Kaart van Utrecht met 45 initiatieven"
        } else {
            "Map of Utrecht with 45 initiatives"
        };
        assert!(
            raw_alt_texts(&path).iter().any(|a| a.starts_with(alt)),
            "{lang}: the map's words: {:?}",
            raw_alt_texts(&path)
        );
    }
}

/// What `pdfinfo` says an accessible document must have: tagged, the title shown, the language
/// set, and the PDF/UA-1 and PDF/A-2a identification in its metadata.
fn accessible(path: &std::path::Path, lang: &str, title: &str) {
    let info =
        String::from_utf8(Command::new("pdfinfo").arg(path).output().unwrap().stdout).unwrap();
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains(&format!("Title:           {title}")),
        "{info}"
    );
    let meta = String::from_utf8(
        Command::new("pdfinfo")
            .args(["-meta", path.to_str().unwrap()])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let tag = if lang == "nl" { "nl-NL" } else { "en-GB" };
    assert!(
        meta.contains(&format!("<dc:language><rdf:Bag><rdf:li>{tag}</rdf:li>")),
        "{lang}: language"
    );
    assert!(
        meta.contains("<pdfuaid:part>1</pdfuaid:part>")
            && meta.contains("<pdfaid:part>2</pdfaid:part>")
            && meta.contains("<pdfaid:conformance>A</pdfaid:conformance>"),
        "PDF/UA-1 and PDF/A-2a"
    );
}

/// The structure tree as `pdfinfo -struct` prints it.
fn structure(path: &std::path::Path) -> String {
    String::from_utf8(
        Command::new("pdfinfo")
            .args(["-struct", path.to_str().unwrap()])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
}

/// The figures' alternative texts (`/Alt` of the structure elements, which poppler does not
/// print): read from the file's bytes, literal strings with nested parentheses and escapes, in
/// PDFDocEncoding or UTF-16 with its mark.
fn raw_alt_texts(path: &std::path::Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let mut texts = Vec::new();
    let mut at = 0;
    while let Some(found) = bytes[at..].windows(5).position(|w| w == b"/Alt(") {
        let mut i = at + found + 5;
        let (mut depth, mut raw) = (1, Vec::new());
        while depth > 0 {
            match bytes[i] {
                b'\\' => {
                    i += 1;
                    raw.push(match bytes[i] {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        other => other,
                    });
                }
                b'(' => {
                    depth += 1;
                    raw.push(b'(');
                }
                b')' => {
                    depth -= 1;
                    if depth > 0 {
                        raw.push(b')');
                    }
                }
                other => raw.push(other),
            }
            i += 1;
        }
        texts.push(if raw.starts_with(&[0xfe, 0xff]) {
            String::from_utf16_lossy(
                &raw[2..]
                    .chunks(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect::<Vec<_>>(),
            )
        } else {
            raw.iter().map(|b| char::from(*b)).collect()
        });
        at = i;
    }
    texts
}

/// Issue 17: the self-check's report is tagged too: its title a heading, its sections headings,
/// its tips a list, its chart a figure said in words.
#[test]
fn a_check_report_is_an_accessible_pdf() {
    let sb = Sandbox::new();
    let answers: Value = catalog()
        .statements()
        .map(|s| (s.id.clone(), json!(4)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let input = json!({"initiative": {"name": "Buurtkamer De Linde", "lat": 52.09, "lon": 5.12, "role": "resident"}, "answers": answers});
    let f = sb.file("c.json", &input.to_string());
    let r = sb.json(&["check", "--input", f.to_str().unwrap(), "--json"]);
    for lang in ["nl", "en"] {
        let path = sb.dir.path().join(format!("check-{lang}.pdf"));
        assert!(sb
            .run(&[
                "report",
                r["id"].as_str().unwrap(),
                "-o",
                path.to_str().unwrap(),
                "--lang",
                lang
            ])
            .status
            .success());
        accessible(
            &path,
            lang,
            &format!(
                "Wijkkompas · {} · Buurtkamer De Linde",
                if lang == "nl" {
                    "Zelfcheck"
                } else {
                    "Self-check"
                }
            ),
        );
        let tree = structure(&path);
        assert!(
            tree.contains("H1")
                && tree.contains("H2")
                && tree.contains("LI")
                && tree.contains("Figure"),
            "{lang}: {tree}"
        );
        let alt = if lang == "nl" {
            "Staafgrafiek van de scores per strategie"
        } else {
            "Bar chart of the scores per strategy"
        };
        let decimal = if lang == "nl" { "75,0" } else { "75.0" };
        assert!(
            raw_alt_texts(&path)
                .iter()
                .any(|a| a.starts_with(alt) && a.contains(decimal)),
            "{lang}: {:?}",
            raw_alt_texts(&path)
        );
    }
}

/// Text a person can type that the embedded DejaVu fonts cannot all draw: an emoji, Chinese,
/// Devanagari, full-width letters, mathematical letters, a letter with two combining marks
/// (no precomposed form) and a character of the private use area.
const EVERY_KIND_OF_TEXT: [&str; 7] = [
    "🌻",
    "社区花园",
    "सामुदायिक",
    "ＡＢＣ",
    "𝐁𝐮𝐮𝐫𝐭",
    "e\u{301}\u{327}",
    "\u{E000}",
];

/// Text as a reader gets it: the reading order, whitespace folded to single spaces.
fn read_text(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .args([path.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn report_or_message(sb: &Sandbox, args: &[&str], path: &std::path::Path) {
    let mut args = args.to_vec();
    args.extend(["-o", path.to_str().unwrap()]);
    let out = sb.run(&args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// One initiative named "Buurttuin 🌻" made every PDF of its municipality fail with a debug dump
/// of the PDF library (a glyph the fonts lack). Now every such text prints: a visible stand-in
/// where the fonts have no glyph, the original in the text a reader or a screen reader gets.
#[test]
fn a_self_check_report_prints_every_kind_of_text_and_reads_back_the_original() {
    let sb = Sandbox::new();
    let all = EVERY_KIND_OF_TEXT.join(" ");
    let answers: Value = catalog()
        .statements()
        .map(|s| (s.id.clone(), json!(3)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let input = json!({
        "initiative": {"name": "Buurttuin 🌻 社区花园", "description": all, "lat": 52.09, "lon": 5.12, "role": "resident"},
        "answers": answers,
        "notes": {"bonding-1": {"good": format!("Goed: {all}"), "better": "ＡＢＣ en 𝐁𝐮𝐮𝐫𝐭 e\u{301}\u{327}"}},
        "actions": [{"text": format!("Plan {all}"), "who": "सामुदायिक 🌻", "due": "2027-03-01", "lesson": "bonding-1"}]
    });
    let f = sb.file("c.json", &input.to_string());
    let r = sb.json(&["check", "--input", f.to_str().unwrap(), "--json"]);
    let action = r["actions"][0]["id"].as_str().unwrap();
    let repeat = json!({"initiative": {"id": r["initiative_id"], "role": "resident"}, "answers": answers,
        "previous_actions": [{"id": action, "outcome": "partly", "note": format!("Notitie {all}")}]});
    let f = sb.file("repeat.json", &repeat.to_string());
    let r2 = sb.json(&["check", "--input", f.to_str().unwrap(), "--json"]);
    for (id, lang) in [(&r, "nl"), (&r2, "en")] {
        let path = sb.dir.path().join(format!("check-{lang}.pdf"));
        report_or_message(
            &sb,
            &["report", id["id"].as_str().unwrap(), "--lang", lang],
            &path,
        );
        let text = read_text(&path);
        assert!(text.contains("Buurttuin 🌻 社区花园"), "{lang}: {text}");
        // The words read back in their place: the name under the report's title line, above
        // the chart (they read back at the page's corner when their span had no position).
        let laid_out = pdf_text(&path).to_lowercase();
        let at = |words: &str| laid_out.find(words).unwrap_or(usize::MAX);
        let title = if lang == "nl" {
            "zelfcheck"
        } else {
            "self-check"
        };
        assert!(
            at(&format!("wijkkompas · {title}")) < at("buurttuin 🌻 社区花园")
                && at("buurttuin 🌻 社区花园") < at("bonding"),
            "{lang}: {laid_out}"
        );
        for kind in EVERY_KIND_OF_TEXT {
            assert!(text.contains(kind), "{lang}: {kind:?} in: {text}");
        }
        let title = if lang == "nl" {
            "Zelfcheck"
        } else {
            "Self-check"
        };
        accessible(
            &path,
            lang,
            &format!("Wijkkompas · {title} · Buurttuin 🌻 社区花园"),
        );
    }
}

#[test]
fn a_municipal_report_prints_initiatives_named_in_every_kind_of_text() {
    let sb = Sandbox::new();
    let names: Vec<String> = std::iter::once("Buurttuin 🌻".to_string())
        .chain(EVERY_KIND_OF_TEXT.iter().map(|k| format!("Tuin {k}")))
        .collect();
    for (k, name) in names.iter().enumerate() {
        check(&sb, name, k);
    }
    for lang in ["nl", "en"] {
        let path = sb.dir.path().join(format!("gm-{lang}.pdf"));
        report_or_message(
            &sb,
            &["report", "--municipality", "GM0344", "--lang", lang],
            &path,
        );
        let text = read_text(&path);
        for name in &names {
            assert!(text.contains(name.as_str()), "{lang}: {name:?} in: {text}");
        }
    }
}

/// Issue 32: the municipal report says when it was made, and how the initiatives' scores changed
/// from quarter to quarter, in words and in figures.
#[test]
fn the_municipal_report_is_dated_and_tells_the_trend_per_quarter() {
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
    // Five initiatives at 25 in the first quarter of 2025, and at 75 in the third.
    let mut checks: Vec<Value> = (1..=5)
        .map(|n| check(n, "2025-02-10T09:00:00Z", 2))
        .collect();
    checks.extend((1..=5).map(|n| check(n, "2025-08-10T09:00:00Z", 4)));
    let bundle = json!({"format": "wijkkompas-bundle", "version": 2, "exported_at": "2025-09-01T00:00:00Z", "municipality": null,
        "initiatives": (1..=5).map(initiative).collect::<Vec<_>>(), "self_checks": checks, "review_log": []});
    let f = sb.file("quarters.json", &bundle.to_string());
    sb.json(&["import", f.to_str().unwrap(), "--json"]);
    let today = wijkkompas::content::calendar::amsterdam_time(time::OffsetDateTime::now_utc());
    for (lang, made, months, trend, change, first, last, means) in [
        (
            "nl",
            "Gemaakt op",
            [
                "januari",
                "februari",
                "maart",
                "april",
                "mei",
                "juni",
                "juli",
                "augustus",
                "september",
                "oktober",
                "november",
                "december",
            ],
            "Verloop per kwartaal",
            "van 25,0 in het 1e kwartaal 2025 naar 75,0 in het 3e kwartaal 2025, 50,0 punten hoger",
            "1e kwartaal 2025",
            "3e kwartaal 2025",
            ("25,0", "75,0"),
        ),
        (
            "en",
            "Made on",
            [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ],
            "Change per quarter",
            "from 25.0 in Q1 2025 to 75.0 in Q3 2025, 50.0 points higher",
            "Q1 2025",
            "Q3 2025",
            ("25.0", "75.0"),
        ),
    ] {
        let path = sb.dir.path().join(format!("trend-{lang}.pdf"));
        let out = sb.run(&[
            "--lang",
            lang,
            "report",
            "--municipality",
            "GM0344",
            "-o",
            path.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Without -layout, and with every run of white space one space: a sentence may wrap.
        let raw = read_text(&path);
        let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let date = format!(
            "{} {} {}",
            today.day(),
            months[usize::from(u8::from(today.month())) - 1],
            today.year()
        );
        assert!(
            text.contains(&format!("{made} {date}")),
            "{lang}: the date {date} in {text}"
        );
        assert!(text.contains(trend), "{lang}: {text}");
        assert!(text.contains(change), "{lang}: {text}");
        // The table: a row per quarter with its initiatives and its average (read as laid out).
        let laid = pdf_text(&path);
        for (quarter, mean) in [(first, means.0), (last, means.1)] {
            let row = laid
                .lines()
                .find(|l| l.trim_start().starts_with(quarter))
                .unwrap_or_else(|| panic!("{lang}: no row for {quarter} in {laid}"));
            let cells: Vec<&str> = row
                .split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect();
            assert_eq!(cells[..3], [quarter, "5", mean], "{lang}: {row}");
        }
    }
}
