/*! The answers sheet: a row per answer of one person's check, and for a group's check only how
many gave each answer per statement. */
use crate::model::Lang;
use crate::store::StoredCheck;

use super::sheet::{col, headers, text, Cell, Column};

pub(super) const ANSWERS: &[Column] = &[
    col(
        "check_id",
        "check_id",
        "De zelfcheck (zie blad Zelfchecks).",
        "The self-check (see the Self-checks sheet).",
    ),
    col(
        "deelnemer",
        "respondent",
        "1 bij een check van één persoon. Leeg bij een groep: de rij telt dan de antwoorden van de hele groep, per persoon staat er niets.",
        "1 for a check by one person. Empty for a group: the row then counts the whole group's answers, nothing is given per person.",
    ),
    col(
        "rol",
        "role",
        "Rol van de deelnemer bij een check van één persoon; leeg bij een groep.",
        "Role of the respondent of a check by one person; empty for a group.",
    ),
    col(
        "stelling_id",
        "statement_id",
        "Code van de stelling.",
        "Code of the statement.",
    ),
    col("stelling", "statement", "De stelling.", "The statement."),
    col(
        "antwoord",
        "answer",
        "Bij een check van één persoon: 1 (helemaal oneens) tot 5 (helemaal eens), leeg: weet niet. Leeg bij een groep (zie de aantallen).",
        "For a check by one person: 1 (strongly disagree) to 5 (strongly agree), empty: don't know. Empty for a group (see the counts).",
    ),
    col(
        "aantal_1",
        "count_1",
        "Hoeveel deelnemers 1 (helemaal oneens) antwoordden.",
        "How many respondents answered 1 (strongly disagree).",
    ),
    col(
        "aantal_2",
        "count_2",
        "Hoeveel deelnemers 2 antwoordden.",
        "How many respondents answered 2.",
    ),
    col(
        "aantal_3",
        "count_3",
        "Hoeveel deelnemers 3 antwoordden.",
        "How many respondents answered 3.",
    ),
    col(
        "aantal_4",
        "count_4",
        "Hoeveel deelnemers 4 antwoordden.",
        "How many respondents answered 4.",
    ),
    col(
        "aantal_5",
        "count_5",
        "Hoeveel deelnemers 5 (helemaal eens) antwoordden.",
        "How many respondents answered 5 (strongly agree).",
    ),
    col(
        "aantal_weet_niet",
        "count_dont_know",
        "Hoeveel deelnemers weet niet antwoordden.",
        "How many respondents answered don't know.",
    ),
];

pub(super) fn columns(lang: Lang) -> Vec<(String, bool)> {
    headers(ANSWERS, lang)
}

/// A check's rows on the answers sheet. One person's check is that person's own result: a row
/// per answer. A group's is a row per statement with how many gave each answer, and nothing per
/// member (no number, no role), so the sheet never shows what one person of a group answered.
pub(super) fn rows(c: &StoredCheck, statement_text: &dyn Fn(&str) -> String) -> Vec<Vec<Cell>> {
    // Index 0–4 for the answers 1–5, 5 for "don't know".
    let slot = |value: Option<u8>| value.map_or(5, |v| usize::from(v.clamp(1, 5)) - 1);
    let counted = |counts: [u32; 6]| counts.map(|n| Cell::Number(f64::from(n)));
    if let [one] = c.respondents.as_slice() {
        return one
            .answers
            .iter()
            .map(|(statement, value)| {
                let mut counts = [0; 6];
                counts[slot(*value)] = 1;
                let mut row = vec![
                    text(&c.id),
                    Cell::Number(1.0),
                    text(one.role.as_str()),
                    text(statement),
                    text(statement_text(statement)),
                    value.map_or(Cell::Empty, |v| Cell::Number(f64::from(v))),
                ];
                row.extend(counted(counts));
                row
            })
            .collect();
    }
    let mut per_statement: std::collections::BTreeMap<&String, [u32; 6]> = Default::default();
    for (statement, value) in c.respondents.iter().flat_map(|r| &r.answers) {
        per_statement.entry(statement).or_default()[slot(*value)] += 1;
    }
    per_statement
        .into_iter()
        .map(|(statement, counts)| {
            let mut row = vec![
                text(&c.id),
                Cell::Empty,
                Cell::Empty,
                text(statement),
                text(statement_text(statement)),
                Cell::Empty,
            ];
            row.extend(counted(counts));
            row
        })
        .collect()
}
