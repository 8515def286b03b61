/*! An Excel workbook for a municipality's clerk: one sheet each for the initiatives, the
self-checks (scores), the answers (of a group only counts per statement) and the review log, and
a data dictionary that explains every column. Unlike CSV, a workbook says what each cell is: numbers are numbers, dates are dates (in
Dutch time), and text is text — a name like `=1+1` or `0612345678` stays exactly that, never a
formula or a number. Headers and the dictionary are in the chosen language. */
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};
use thiserror::Error;
use time::OffsetDateTime;

use crate::content::catalog::catalog;
use crate::geo::rd::to_rd;
use crate::model::{Lang, Strategy};
use crate::store::Db;
use crate::store::{self, provenance, Store, StoreError};

#[derive(Debug, Error)]
pub enum XlsxExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the Excel file: {0}")]
    Xlsx(#[from] XlsxError),
}

/// One column: its header and what it means, in both languages (the dictionary sheet lists them).
struct Column {
    nl: &'static str,
    en: &'static str,
    meaning_nl: &'static str,
    meaning_en: &'static str,
}

const fn col(
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
enum Cell {
    Text(String),
    Number(f64),
    /// A UTC time from the store (RFC 3339), shown in Dutch time.
    Time(String),
    Empty,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn number(v: Option<f64>) -> Cell {
    v.map_or(Cell::Empty, Cell::Number)
}

const INITIATIVES: &[Column] = &[
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

const CHECKS_FIXED: &[Column] = &[
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

/// Where a record came from (on each sheet of records).
const SOURCE: &[Column] = &[
    col("bron", "source", "Naam van de computer waarop het is gemaakt (zoals ingesteld daar); leeg als het bestand dat niet zei.", "Name of the computer it was made on (as set there); empty when the file did not say."),
    col("bron_id", "source_id", "Vaste code van die computer (UUID).", "That computer's permanent code (UUID)."),
    col("bron_bestand", "source_file", "Het bundelbestand waaruit het is geïmporteerd; leeg als het hier is gemaakt.", "The bundle file it was imported from; empty when it was made here."),
    col("geexporteerd", "exported", "Wanneer dat bestand is geëxporteerd (Nederlandse tijd).", "When that file was exported (Dutch time)."),
    col("geimporteerd", "imported", "Wanneer het hier is geïmporteerd (Nederlandse tijd).", "When it was imported here (Dutch time)."),
];

fn source_cells(
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

fn with_source(columns: &[Column]) -> Vec<&Column> {
    columns.iter().chain(SOURCE).collect()
}

const LESSON_COLUMN: Column = col(
    "les",
    "lesson",
    "Score van de les (0–100; leeg: niets beantwoord).",
    "Score of the lesson (0–100; empty: nothing answered).",
);

const ANSWERS: &[Column] = &[
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

const REVIEWS: &[Column] = &[
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

fn excel_time(rfc3339: &str) -> Option<ExcelDateTime> {
    let utc =
        OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339).ok()?;
    let t = crate::content::calendar::amsterdam_time(utc);
    ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day())
        .and_then(|d| d.and_hms(t.hour() as u16, t.minute(), f64::from(t.second())))
        .ok()
}

struct Formats {
    header: Format,
    date: Format,
    wrap: Format,
}

fn write_sheet(
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

fn headers<'a>(columns: impl IntoIterator<Item = &'a Column>, lang: Lang) -> Vec<(String, bool)> {
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

/// The workbook of everything (or one municipality), with headers in `lang`.
pub fn xlsx(
    store: &Store,
    municipality: Option<&str>,
    lang: Lang,
) -> Result<Vec<u8>, XlsxExportError> {
    let names = sheet_names(lang);
    let f = Formats {
        header: Format::new().set_bold().set_background_color("#DDE6F0"),
        date: Format::new()
            .set_num_format(if lang == Lang::Nl {
                "dd-mm-yyyy hh:mm"
            } else {
                "dd/mm/yyyy hh:mm"
            })
            .set_align(FormatAlign::Left),
        wrap: Format::new().set_text_wrap(),
    };
    let db = store.db();
    let here = db.this_machine()?;
    let (mut initiatives, mut checks, mut answers, mut reviews) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
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
        let latest = stored.last();
        let latest_scores = latest.map(|c| c.assessment().strategies);
        let (x, y) = to_rd(i.lat, i.lon);
        let area = |a: &Option<crate::model::Area>, code: bool| {
            a.as_ref()
                .map(|a| text(if code { &a.code } else { &a.name }.clone()))
                .unwrap_or(Cell::Empty)
        };
        initiatives.push(vec![
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
        ]);
        initiatives
            .last_mut()
            .expect("just pushed")
            .extend(source_cells(
                db,
                &here,
                provenance::Record::Initiative,
                &i.id,
            )?);
        for c in &stored {
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
            row.extend(source_cells(db, &here, provenance::Record::Check, &c.id)?);
            row.extend(
                a.lessons
                    .iter()
                    .map(|l| number(l.score.map(crate::model::round1))),
            );
            checks.push(row);
            answers.extend(answer_rows(c, &statement_text));
        }
        for e in store.reviews(&i.id)? {
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
            row.extend(source_cells(db, &here, provenance::Record::Review, &e.id)?);
            reviews.push(row);
        }
    }

    let lesson_columns: Vec<(String, bool)> = catalog()
        .lessons
        .iter()
        .map(|l| (l.id.clone(), false))
        .collect();
    let mut check_columns = headers(with_source(CHECKS_FIXED), lang);
    check_columns.extend(lesson_columns);
    let mut initiative_columns = headers(with_source(INITIATIVES), lang);
    initiative_columns[2].1 = true; // the description wraps
    let mut review_columns = headers(with_source(REVIEWS), lang);
    review_columns[6].1 = true;

    let mut book = Workbook::new();
    write_sheet(
        book.add_worksheet().set_name(names[0])?,
        &initiative_columns,
        &initiatives,
        &f,
    )?;
    write_sheet(
        book.add_worksheet().set_name(names[1])?,
        &check_columns,
        &checks,
        &f,
    )?;
    write_sheet(
        book.add_worksheet().set_name(names[2])?,
        &headers(ANSWERS, lang),
        &answers,
        &f,
    )?;
    write_sheet(
        book.add_worksheet().set_name(names[3])?,
        &review_columns,
        &reviews,
        &f,
    )?;

    // The dictionary: every column of every sheet, with what it means.
    let describe = |sheet: &str, columns: Vec<&Column>| -> Vec<Vec<Cell>> {
        columns
            .into_iter()
            .map(|c| {
                let (name, meaning) = if lang == Lang::Nl {
                    (c.nl, c.meaning_nl)
                } else {
                    (c.en, c.meaning_en)
                };
                vec![text(sheet), text(name), text(meaning)]
            })
            .collect()
    };
    let lesson_meaning = if lang == Lang::Nl {
        LESSON_COLUMN.meaning_nl
    } else {
        LESSON_COLUMN.meaning_en
    };
    let mut dictionary = describe(names[0], with_source(INITIATIVES));
    dictionary.extend(describe(names[1], with_source(CHECKS_FIXED)));
    dictionary.extend(catalog().lessons.iter().map(|l| {
        vec![
            text(names[1]),
            text(&l.id),
            text(format!("{}. {lesson_meaning}", l.title.get(lang))),
        ]
    }));
    dictionary.extend(describe(names[2], ANSWERS.iter().collect()));
    dictionary.extend(describe(names[3], with_source(REVIEWS)));
    let dictionary_columns: Vec<(String, bool)> = match lang {
        Lang::Nl => vec![
            ("blad".into(), false),
            ("kolom".into(), false),
            ("betekenis".into(), false),
        ],
        Lang::En => vec![
            ("sheet".into(), false),
            ("column".into(), false),
            ("meaning".into(), false),
        ],
    };
    write_sheet(
        book.add_worksheet().set_name(names[4])?,
        &dictionary_columns,
        &dictionary,
        &f,
    )?;
    Ok(book.save_to_buffer()?)
}

/// A check's rows on the answers sheet. One person's check is that person's own result: a row
/// per answer. A group's is a row per statement with how many gave each answer, and nothing per
/// member (no number, no role), so the sheet never shows what one person of a group answered.
fn answer_rows(c: &store::StoredCheck, statement_text: &dyn Fn(&str) -> String) -> Vec<Vec<Cell>> {
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
