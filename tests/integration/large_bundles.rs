//! Large, valid bundles written straight as text (no store is needed to make them), for the
//! tests of what the import does with size: limits, streaming, memory.
use std::fmt::Write;

use uuid::Uuid;

/// A bundle of `initiatives` initiatives (spread over Utrecht) with `checks_each` complete
/// self-checks each, as the exporter writes it (pretty JSON).
pub fn bundle_text(initiatives: usize, checks_each: usize) -> String {
    let statements: Vec<String> = wijkkompas::content::catalog::catalog()
        .lessons
        .iter()
        .flat_map(|l| &l.statements)
        .map(|s| s.id.clone())
        .collect();
    let mut text = String::from("{\n  \"format\": \"wijkkompas-bundle\",\n  \"version\": 1,\n  \"exported_at\": \"2025-06-01T12:00:00Z\",\n  \"municipality\": null,\n  \"initiatives\": [\n");
    for n in 0..initiatives {
        let sep = if n + 1 < initiatives { "," } else { "" };
        let (lat, lon) = (
            52.07 + (n % 50) as f64 * 0.001,
            5.09 + (n / 50 % 50) as f64 * 0.001,
        );
        writeln!(text, "    {{\"id\": \"{}\", \"name\": \"Buurtinitiatief {n}\", \"description\": \"Samen koken en eten in de wijk.\", \"lat\": {lat}, \"lon\": {lon}, \"target_groups\": [\"ouderen\"], \"created_at\": \"2025-01-01T10:00:00Z\"}}{sep}", initiative_id(n)).unwrap();
    }
    text.push_str("  ],\n  \"self_checks\": [\n");
    let total = initiatives * checks_each;
    for k in 0..total {
        let sep = if k + 1 < total { "," } else { "" };
        let answers: Vec<String> = statements
            .iter()
            .enumerate()
            .map(|(s, id)| format!("\"{id}\": {}", (s + k) % 5 + 1))
            .collect();
        writeln!(
            text,
            "    {{\"id\": \"{}\", \"initiative_id\": \"{}\", \"role\": \"resident\", \"created_at\": \"2025-02-{:02}T10:00:00Z\", \"answers\": {{{}}}}}{sep}",
            Uuid::from_u128(1 << 64 | k as u128),
            initiative_id(k % initiatives),
            k % 28 + 1,
            answers.join(", ")
        )
        .unwrap();
    }
    text.push_str("  ],\n  \"review_log\": []\n}\n");
    text
}

fn initiative_id(n: usize) -> Uuid {
    Uuid::from_u128(n as u128 + 1)
}
