/*! The review log sheet: one row per change of an initiative's review status. */
use crate::model::Lang;
use crate::model::ReviewEntry;
use crate::store::Db;
use crate::store::{provenance, Initiative, StoreError};

use super::sheet::{col, headers, source_cells, text, with_source, Cell, Column};

pub(super) const REVIEWS: &[Column] = &[
    col(
        "id",
        "id",
        "Vaste code van de regel (UUID).",
        "The entry's permanent code (UUID).",
    ),
    col(
        "initiatief_id",
        "initiative_id",
        "Het initiatief.",
        "The initiative.",
    ),
    col(
        "initiatief",
        "initiative",
        "Naam van het initiatief.",
        "Name of the initiative.",
    ),
    col(
        "van",
        "from",
        "Status voor de wijziging.",
        "Status before the change.",
    ),
    col(
        "naar",
        "to",
        "Status na de wijziging.",
        "Status after the change.",
    ),
    col("door", "by", "Wie beoordeelde.", "Who reviewed."),
    col(
        "notitie",
        "note",
        "Notitie bij de beoordeling.",
        "Note with the review.",
    ),
    col(
        "datum",
        "date",
        "Wanneer (Nederlandse tijd).",
        "When (Dutch time).",
    ),
];

pub(super) fn columns(lang: Lang) -> Vec<(String, bool)> {
    let mut columns = headers(with_source(REVIEWS), lang);
    columns[6].1 = true;
    columns
}

/// A review's row: the change, who made it and why, when, and its source.
pub(super) fn row(
    db: Db<'_>,
    here: &provenance::Machine,
    i: &Initiative,
    e: &ReviewEntry,
) -> Result<Vec<Cell>, StoreError> {
    let mut row = vec![
        text(&e.id),
        text(&i.id),
        text(&i.name),
        text(e.from.as_str()),
        text(e.to.as_str()),
        text(&e.reviewer),
        text(&e.note),
        Cell::Time(e.created_at.clone()),
    ];
    row.extend(source_cells(db, here, provenance::Record::Review, &e.id)?);
    Ok(row)
}
