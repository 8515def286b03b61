/*! The initiatives sheet: one row per initiative, with its place, its latest check's scores and
its review status. */
use crate::geo::rd::to_rd;
use crate::model::Lang;
use crate::store::{provenance, Initiative, Store, StoreError, StoredCheck};

use super::sheet::{col, headers, number, source_cells, text, with_source, Cell, Column};

pub(super) const INITIATIVES: &[Column] = &[
    col(
        "id",
        "id",
        "Vaste code van het initiatief (UUID).",
        "The initiative's permanent code (UUID).",
    ),
    col("naam", "name", "Naam zoals ingevuld.", "Name as entered."),
    col(
        "beschrijving",
        "description",
        "Beschrijving zoals ingevuld.",
        "Description as entered.",
    ),
    col(
        "gemeentecode",
        "municipality_code",
        "CBS-code van de gemeente (GM…), afgeleid van het punt.",
        "CBS code of the municipality (GM…), derived from the point.",
    ),
    col(
        "gemeente",
        "municipality",
        "Naam van de gemeente.",
        "Name of the municipality.",
    ),
    col(
        "wijkcode",
        "wk_code",
        "CBS-code van de wijk (WK…), afgeleid van het punt.",
        "CBS code of the wijk (WK…), derived from the point.",
    ),
    col("wijk", "wijk", "Naam van de wijk.", "Name of the wijk."),
    col(
        "provincie",
        "province",
        "Naam van de provincie.",
        "Name of the province.",
    ),
    col(
        "lat",
        "lat",
        "Breedtegraad (WGS84, graden).",
        "Latitude (WGS84, degrees).",
    ),
    col(
        "lon",
        "lon",
        "Lengtegraad (WGS84, graden).",
        "Longitude (WGS84, degrees).",
    ),
    col(
        "rd_x",
        "rd_x",
        "X in RD New (EPSG:28992), meter.",
        "X in RD New (EPSG:28992), metres.",
    ),
    col(
        "rd_y",
        "rd_y",
        "Y in RD New (EPSG:28992), meter.",
        "Y in RD New (EPSG:28992), metres.",
    ),
    col(
        "doelgroepen",
        "target_groups",
        "Doelgroepen, gescheiden door ; (ids of other:tekst).",
        "Target groups, separated by ; (ids or other:text).",
    ),
    col(
        "aangemaakt",
        "created",
        "Wanneer het initiatief is vastgelegd (Nederlandse tijd).",
        "When the initiative was recorded (Dutch time).",
    ),
    col(
        "zelfchecks",
        "checks",
        "Aantal zelfchecks.",
        "Number of self-checks.",
    ),
    col(
        "laatste_check",
        "latest_check",
        "Datum van de laatste zelfcheck (Nederlandse tijd).",
        "Date of the latest self-check (Dutch time).",
    ),
    col(
        "deelnemers_laatste_check",
        "respondents_latest_check",
        "Aantal mensen dat de laatste check invulde.",
        "Number of people who answered the latest check.",
    ),
    col(
        "binden",
        "bonding",
        "Score binden (0–100) van de laatste check.",
        "Bonding score (0–100) of the latest check.",
    ),
    col(
        "overbruggen",
        "bridging",
        "Score overbruggen (0–100) van de laatste check.",
        "Bridging score (0–100) of the latest check.",
    ),
    col(
        "verbinden",
        "linking",
        "Score verbinden met instanties (0–100) van de laatste check.",
        "Linking score (0–100) of the latest check.",
    ),
    col(
        "status",
        "status",
        "Beoordelingsstatus: new, in_review, published, needs_info, archived.",
        "Review status: new, in_review, published, needs_info, archived.",
    ),
];

pub(super) fn columns(lang: Lang) -> Vec<(String, bool)> {
    let mut columns = headers(with_source(INITIATIVES), lang);
    columns[2].1 = true; // the description wraps
    columns
}

/// An initiative's row: what it is, where, its latest check and review status, its source.
pub(super) fn row(
    store: &Store,
    here: &provenance::Machine,
    i: &Initiative,
    stored: &[StoredCheck],
) -> Result<Vec<Cell>, StoreError> {
    let latest = stored.last();
    let latest_scores = latest.map(|c| c.assessment().strategies);
    let (x, y) = to_rd(i.lat, i.lon);
    let area = |a: &Option<crate::model::Area>, code: bool| {
        a.as_ref()
            .map(|a| text(if code { &a.code } else { &a.name }.clone()))
            .unwrap_or(Cell::Empty)
    };
    let mut row = vec![
        text(&i.id),
        text(&i.name),
        i.description.clone().map_or(Cell::Empty, text),
        area(&i.municipality, true),
        area(&i.municipality, false),
        area(&i.wijk, true),
        area(&i.wijk, false),
        area(&i.province, false),
        Cell::Number(i.lat),
        Cell::Number(i.lon),
        Cell::Number(x.round()),
        Cell::Number(y.round()),
        text(i.target_groups.join("; ")),
        Cell::Time(i.created_at.clone()),
        Cell::Number(stored.len() as f64),
        latest.map_or(Cell::Empty, |c| Cell::Time(c.created_at.clone())),
        latest.map_or(Cell::Empty, |c| Cell::Number(c.respondents.len() as f64)),
        number(
            latest_scores
                .and_then(|s| s.bonding)
                .map(crate::model::round1),
        ),
        number(
            latest_scores
                .and_then(|s| s.bridging)
                .map(crate::model::round1),
        ),
        number(
            latest_scores
                .and_then(|s| s.linking)
                .map(crate::model::round1),
        ),
        text(store.review_status(&i.id)?.as_str()),
    ];
    row.extend(source_cells(
        store.db(),
        here,
        provenance::Record::Initiative,
        &i.id,
    )?);
    Ok(row)
}
