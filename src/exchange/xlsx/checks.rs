/*! The self-checks sheet: one row per check, with its scores per strategy, its source, and a
column per lesson. */
use crate::content::catalog::catalog;
use crate::model::{Lang, Strategy};
use crate::store::Db;
use crate::store::{provenance, Initiative, StoreError, StoredCheck};

use super::sheet::{col, headers, number, source_cells, text, with_source, Cell, Column};

pub(super) const CHECKS_FIXED: &[Column] = &[
    col(
        "check_id",
        "check_id",
        "Vaste code van de zelfcheck (UUID).",
        "The self-check's permanent code (UUID).",
    ),
    col(
        "initiatief_id",
        "initiative_id",
        "Het initiatief (zie blad Initiatieven).",
        "The initiative (see the Initiatives sheet).",
    ),
    col(
        "initiatief",
        "initiative",
        "Naam van het initiatief.",
        "Name of the initiative.",
    ),
    col(
        "datum",
        "date",
        "Wanneer de check is opgeslagen (Nederlandse tijd).",
        "When the check was saved (Dutch time).",
    ),
    col(
        "rol",
        "role",
        "Wiens tips de check geeft: resident, professional, policy.",
        "Whose tips the check gives: resident, professional, policy.",
    ),
    col(
        "deelnemers",
        "respondents",
        "Aantal mensen dat de check invulde (groepscheck: meer dan 1).",
        "Number of people who answered (group check: more than 1).",
    ),
    col(
        "op_papier",
        "on_paper",
        "1 als (een deel) op papier is ingevuld, anders 0.",
        "1 when (some of) it was answered on paper, else 0.",
    ),
    col(
        "binden",
        "bonding",
        "Score binden (0–100; groep: gemiddelde over de lessen).",
        "Bonding score (0–100; group: mean over the lessons).",
    ),
    col(
        "overbruggen",
        "bridging",
        "Score overbruggen (0–100).",
        "Bridging score (0–100).",
    ),
    col(
        "verbinden",
        "linking",
        "Score verbinden met instanties (0–100).",
        "Linking score (0–100).",
    ),
];

pub(super) const LESSON_COLUMN: Column = col(
    "les",
    "lesson",
    "Score van de les (0–100; leeg: niets beantwoord).",
    "Score of the lesson (0–100; empty: nothing answered).",
);

/// The fixed columns with the source's, then a column per lesson (named by its id).
pub(super) fn columns(lang: Lang) -> Vec<(String, bool)> {
    let lesson_columns: Vec<(String, bool)> = catalog()
        .lessons
        .iter()
        .map(|l| (l.id.clone(), false))
        .collect();
    let mut columns = headers(with_source(CHECKS_FIXED), lang);
    columns.extend(lesson_columns);
    columns
}

/// A check's row: what it is, its scores, its source, then its score per lesson.
pub(super) fn row(
    db: Db<'_>,
    here: &provenance::Machine,
    i: &Initiative,
    c: &StoredCheck,
) -> Result<Vec<Cell>, StoreError> {
    let a = c.assessment();
    let mut row = vec![
        text(&c.id),
        text(&i.id),
        text(&i.name),
        Cell::Time(c.created_at.clone()),
        text(c.role.as_str()),
        Cell::Number(c.respondents.len() as f64),
        Cell::Number(if c.on_paper() { 1.0 } else { 0.0 }),
    ];
    row.extend(
        Strategy::ALL
            .iter()
            .map(|s| number(a.strategies.get(*s).map(crate::model::round1))),
    );
    row.extend(source_cells(db, here, provenance::Record::Check, &c.id)?);
    row.extend(
        a.lessons
            .iter()
            .map(|l| number(l.score.map(crate::model::round1))),
    );
    Ok(row)
}
