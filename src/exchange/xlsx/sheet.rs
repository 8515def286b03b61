/*! What every sheet is made of: columns described in both languages, cells by what they hold,
where a record came from, and writing one sheet with its header, widths, frozen row and filter. */
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Worksheet, XlsxError};
use time::OffsetDateTime;

use crate::model::Lang;
use crate::store::Db;
use crate::store::{provenance, StoreError};

/// One column: its header and what it means, in both languages (the dictionary sheet lists them).
pub(super) struct Column {
    pub(super) nl: &'static str,
    pub(super) en: &'static str,
    pub(super) meaning_nl: &'static str,
    pub(super) meaning_en: &'static str,
}

pub(super) const fn col(
    nl: &'static str,
    en: &'static str,
    meaning_nl: &'static str,
    meaning_en: &'static str,
) -> Column {
    Column {
        nl,
        en,
        meaning_nl,
        meaning_en,
    }
}

/// A cell's value, by what it is.
pub(super) enum Cell {
    Text(String),
    Number(f64),
    /// A UTC time from the store (RFC 3339), shown in Dutch time.
    Time(String),
    Empty,
}

pub(super) fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

pub(super) fn number(v: Option<f64>) -> Cell {
    v.map_or(Cell::Empty, Cell::Number)
}

/// Where a record came from (on each sheet of records).
const SOURCE: &[Column] = &[
    col("bron", "source", "Naam van de computer waarop het is gemaakt (zoals ingesteld daar); leeg als het bestand dat niet zei.", "Name of the computer it was made on (as set there); empty when the file did not say."),
    col("bron_id", "source_id", "Vaste code van die computer (UUID).", "That computer's permanent code (UUID)."),
    col("bron_bestand", "source_file", "Het bundelbestand waaruit het is geïmporteerd; leeg als het hier is gemaakt.", "The bundle file it was imported from; empty when it was made here."),
    col("geexporteerd", "exported", "Wanneer dat bestand is geëxporteerd (Nederlandse tijd).", "When that file was exported (Dutch time)."),
    col("geimporteerd", "imported", "Wanneer het hier is geïmporteerd (Nederlandse tijd).", "When it was imported here (Dutch time)."),
];

pub(super) fn source_cells(
    db: Db<'_>,
    here: &provenance::Machine,
    record: provenance::Record,
    id: &str,
) -> Result<Vec<Cell>, StoreError> {
    let s = db.source_of(here, record, id)?;
    let opt = |v: Option<String>| v.filter(|v| !v.is_empty()).map_or(Cell::Empty, text);
    Ok(vec![
        opt(s.machine_name.clone()),
        opt(s.machine_id.clone()),
        opt(s.file),
        s.exported_at.map_or(Cell::Empty, Cell::Time),
        s.imported_at.map_or(Cell::Empty, Cell::Time),
    ])
}

pub(super) fn with_source(columns: &[Column]) -> Vec<&Column> {
    columns.iter().chain(SOURCE).collect()
}

pub(super) fn headers<'a>(
    columns: impl IntoIterator<Item = &'a Column>,
    lang: Lang,
) -> Vec<(String, bool)> {
    columns
        .into_iter()
        .map(|c| {
            (
                if lang == Lang::Nl { c.nl } else { c.en }.to_string(),
                false,
            )
        })
        .collect()
}

fn excel_time(rfc3339: &str) -> Option<ExcelDateTime> {
    let utc =
        OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339).ok()?;
    let t = crate::content::calendar::amsterdam_time(utc);
    ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day())
        .and_then(|d| d.and_hms(t.hour() as u16, t.minute(), f64::from(t.second())))
        .ok()
}

pub(super) struct Formats {
    header: Format,
    date: Format,
    wrap: Format,
}

impl Formats {
    pub(super) fn new(lang: Lang) -> Formats {
        Formats {
            header: Format::new().set_bold().set_background_color("#DDE6F0"),
            date: Format::new()
                .set_num_format(if lang == Lang::Nl {
                    "dd-mm-yyyy hh:mm"
                } else {
                    "dd/mm/yyyy hh:mm"
                })
                .set_align(FormatAlign::Left),
            wrap: Format::new().set_text_wrap(),
        }
    }
}

pub(super) fn write_sheet(
    sheet: &mut Worksheet,
    columns: &[(String, bool)],
    rows: &[Vec<Cell>],
    f: &Formats,
) -> Result<(), XlsxError> {
    // Each column as wide as what it holds (within reason), so that ids and names read whole.
    for (c, (header, wraps)) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, header, &f.header)?;
        let widest = rows
            .iter()
            .filter_map(|r| match r.get(c) {
                Some(Cell::Text(t)) => Some(t.chars().count()),
                Some(Cell::Time(_)) => Some(16),
                Some(Cell::Number(n)) => Some(format!("{n}").len()),
                _ => None,
            })
            .chain([header.chars().count()])
            .max()
            .unwrap_or(8);
        let limit = if *wraps { 50 } else { 60 };
        sheet.set_column_width(c as u16, (widest + 2).clamp(8, limit) as f64)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                // Always a string cell: never read as a number, a date or a formula.
                Cell::Text(s) if columns[c as usize].1 => {
                    sheet.write_string_with_format(r, c, s, &f.wrap)?
                }
                Cell::Text(s) => sheet.write_string(r, c, s)?,
                Cell::Number(n) => sheet.write_number(r, c, *n)?,
                Cell::Time(t) => match excel_time(t) {
                    Some(d) => sheet.write_datetime_with_format(r, c, &d, &f.date)?,
                    None => sheet.write_string(r, c, t)?,
                },
                Cell::Empty => sheet,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, (columns.len().max(1) - 1) as u16)?;
    Ok(())
}
