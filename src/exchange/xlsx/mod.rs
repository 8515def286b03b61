/*! An Excel workbook for a municipality's clerk: one sheet each for the initiatives, the
self-checks (scores), the answers (of a group only counts per statement) and the review log, and
a data dictionary that explains every column. Unlike CSV, a workbook says what each cell is: numbers are numbers, dates are dates (in
Dutch time), and text is text — a name like `=1+1` or `0612345678` stays exactly that, never a
formula or a number. Headers and the dictionary are in the chosen language.

Each sheet has its module (its columns and how a record becomes its rows); `sheet.rs` holds what
they share and writes a sheet. */
mod answers;
mod checks;
mod dictionary;
mod initiatives;
mod reviews;
mod sheet;

use rust_xlsxwriter::{Workbook, XlsxError};
use thiserror::Error;

use crate::content::catalog::catalog;
use crate::model::Lang;
use crate::store::{Store, StoreError};

use sheet::{write_sheet, Cell, Formats};

#[derive(Debug, Error)]
pub enum XlsxExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the Excel file: {0}")]
    Xlsx(#[from] XlsxError),
}

fn sheet_names(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::Nl => [
            "Initiatieven",
            "Zelfchecks",
            "Antwoorden",
            "Beoordelingslog",
            "Woordenlijst",
        ],
        Lang::En => [
            "Initiatives",
            "Self-checks",
            "Answers",
            "Review log",
            "Data dictionary",
        ],
    }
}

/// The rows of the four sheets of records, initiative by initiative in the store's order.
#[derive(Default)]
struct Records {
    initiatives: Vec<Vec<Cell>>,
    checks: Vec<Vec<Cell>>,
    answers: Vec<Vec<Cell>>,
    reviews: Vec<Vec<Cell>>,
}

impl Records {
    fn collect(
        store: &Store,
        municipality: Option<&str>,
        lang: Lang,
    ) -> Result<Records, StoreError> {
        let db = store.db();
        let here = db.this_machine()?;
        let mut records = Records::default();
        let statement_text = |id: &str| {
            catalog()
                .statement(id)
                .map(|(_, s)| s.text.get(lang).to_string())
                .unwrap_or_default()
        };
        for id in store.initiative_ids(municipality)? {
            let Some(i) = store.initiative(&id)? else {
                continue;
            };
            let stored = db.checks_of(&id)?;
            records
                .initiatives
                .push(initiatives::row(store, &here, &i, &stored)?);
            for c in &stored {
                records.checks.push(checks::row(db, &here, &i, c)?);
                records.answers.extend(answers::rows(c, &statement_text));
            }
            for e in store.reviews(&i.id)? {
                records.reviews.push(reviews::row(db, &here, &i, &e)?);
            }
        }
        Ok(records)
    }
}

/// The workbook of everything (or one municipality), with headers in `lang`.
pub fn xlsx(
    store: &Store,
    municipality: Option<&str>,
    lang: Lang,
) -> Result<Vec<u8>, XlsxExportError> {
    let names = sheet_names(lang);
    let f = Formats::new(lang);
    let records = Records::collect(store, municipality, lang)?;
    let sheets = [
        (initiatives::columns(lang), records.initiatives),
        (checks::columns(lang), records.checks),
        (answers::columns(lang), records.answers),
        (reviews::columns(lang), records.reviews),
        (dictionary::columns(lang), dictionary::rows(&names, lang)),
    ];
    let mut book = Workbook::new();
    for (name, (columns, rows)) in names.iter().zip(&sheets) {
        write_sheet(book.add_worksheet().set_name(*name)?, columns, rows, &f)?;
    }
    Ok(book.save_to_buffer()?)
}
