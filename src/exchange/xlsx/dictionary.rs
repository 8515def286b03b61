/*! The data dictionary sheet: every column of every other sheet, with what it means. */
use crate::content::catalog::catalog;
use crate::model::Lang;

use super::answers::ANSWERS;
use super::checks::{CHECKS_FIXED, LESSON_COLUMN};
use super::initiatives::INITIATIVES;
use super::reviews::REVIEWS;
use super::sheet::{text, with_source, Cell, Column};

pub(super) fn columns(lang: Lang) -> Vec<(String, bool)> {
    match lang {
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
    }
}

/// The dictionary's rows: the sheet (by its name in `names`), the column and its meaning.
pub(super) fn rows(names: &[&str; 5], lang: Lang) -> Vec<Vec<Cell>> {
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
    dictionary
}
