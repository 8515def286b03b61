/*! The municipal report: the municipality's figures beside its map, the part per wijk, then a
table of every initiative over as many pages as it needs. */
use std::fmt::Write;

use super::layout::{ellipsize, esc, pages_to_pdf, wrap, Page, ReportError, BOTTOM};
use super::municipal_map::{area_map, marker, marker_colour};
use super::paper::{MARGIN, W};
use super::pdf::{LaidPage, Role};
use super::report_words::{day_in_words, number, strategy_name, words};
use super::trend_section::trend_section;
use super::wijk_section::wijk_section;

use crate::content::catalog::catalog;
use crate::model::{Lang, Strategy};
use crate::municipality::area::{InitiativeRow, MunicipalityOverview};
use crate::municipality::stats::Summary;

/// The municipal report as a PDF.
pub fn municipality_report_pdf(
    o: &MunicipalityOverview,
    lang: Lang,
) -> Result<Vec<u8>, ReportError> {
    pages_to_pdf(
        &municipality_report_pages(o, lang),
        &format!(
            "Wijkkompas · {} · {}",
            words(lang).municipality_title,
            o.municipality.name
        ),
        lang,
    )
}

fn status_name(s: crate::model::ReviewStatus, lang: Lang) -> &'static str {
    use crate::model::ReviewStatus::*;
    match (s, lang) {
        (New, Lang::Nl) => "nieuw",
        (InReview, Lang::Nl) => "in beoordeling",
        (Published, Lang::Nl) => "gepubliceerd",
        (NeedsInfo, Lang::Nl) => "informatie nodig",
        (Archived, Lang::Nl) => "gearchiveerd",
        (New, Lang::En) => "new",
        (InReview, Lang::En) => "in review",
        (Published, Lang::En) => "published",
        (NeedsInfo, Lang::En) => "needs information",
        (Archived, Lang::En) => "archived",
    }
}

/// The municipal report as A4 pages: the figures, the map and the wijken first, then every
/// initiative.
pub(crate) fn municipality_report_pages(o: &MunicipalityOverview, lang: Lang) -> Vec<LaidPage> {
    let w = words(lang);
    let mut p = Page::new();
    p.footer(w.source); // on every page
    header(&mut p, o, lang);
    // Aggregates (left) and map (right), side by side; the aggregates are a table.
    let top = p.y + 10.0;
    let below_figures = figures_table(&mut p, o, lang, top);
    map_figure(&mut p, o, lang, top);
    p.y = below_figures.max(top + 16.0 + 220.0 + 10.0 + 3.0 * 10.0 + 4.0) + 6.0; // below the map and its legend
    wijk_section(&mut p, o, lang, 6);
    trend_section(&mut p, o, lang);
    initiatives_table(&mut p, o, lang);
    p.finish_all()
}

/// The title lines, the counts, and why there are no averages when the group is small.
fn header(p: &mut Page, o: &MunicipalityOverview, lang: Lang) {
    let w = words(lang);
    p.text(
        &format!("Wijkkompas · {}", w.municipality_title),
        10.0,
        false,
        "#4a4a4a",
    );
    p.title(
        1,
        &format!("{} ({})", o.municipality.name, o.municipality.code),
        20.0,
        "#154273",
    );
    p.text(
        &w.made_on.replace("{date}", &day_in_words(&o.made_at, lang)),
        9.5,
        false,
        "#1a1a1a",
    );
    p.text(
        &w.counts
            .replace("{i}", &o.stats.initiatives.to_string())
            .replace("{c}", &o.stats.checks.to_string()),
        9.5,
        false,
        "#4a4a4a",
    );
    if o.stats.initiatives < o.stats.min_group {
        p.text(w.small_group, 9.0, false, "#8a4b00");
    }
}

/// Where the columns of the figures' table start: the part, this municipality, all data.
const FIGURE_COLUMNS: [f64; 3] = [MARGIN, MARGIN + 166.0, MARGIN + 234.0];

/// A cell of the figures' table: its text, font size, boldness and indent.
type FigureCell = (String, f64, bool, f64);

/// The mean scores per strategy and lesson, here and over all data, as a table from `top` on.
/// Returns the baseline of its last row.
fn figures_table(p: &mut Page, o: &MunicipalityOverview, lang: Lang, top: f64) -> f64 {
    let w = words(lang);
    let mut y = top + 10.0;
    let table = p.group();
    let mut row = 0;
    figures_row(
        p,
        (table, row),
        y,
        [
            (w.part.to_string(), 8.5, true, 0.0),
            (w.here.to_string(), 8.5, true, 0.0),
            (w.all.to_string(), 8.5, true, 0.0),
        ],
        true,
    );
    let cell = |s: Option<&Summary>| {
        s.map_or("–".to_string(), |s| {
            format!("{} (n {})", number(s.mean, lang), s.n)
        })
    };
    for s in Strategy::ALL {
        y += 13.0;
        row += 1;
        figures_row(
            p,
            (table, row),
            y,
            [
                (strategy_name(s, lang).to_string(), 8.0, true, 0.0),
                (cell(o.stats.strategies.get(s.as_str())), 8.5, false, 0.0),
                (cell(o.national.strategies.get(s.as_str())), 8.5, false, 0.0),
            ],
            false,
        );
        for l in catalog().lessons.iter().filter(|l| l.strategy == s) {
            y += 11.0;
            row += 1;
            let title = ellipsize(l.title.get(lang), 30);
            figures_row(
                p,
                (table, row),
                y,
                [
                    (format!("{}. {title}", l.number), 7.5, false, 6.0),
                    (cell(o.stats.lessons.get(&l.id)), 7.5, false, 0.0),
                    (cell(o.national.lessons.get(&l.id)), 7.5, false, 0.0),
                ],
                false,
            );
        }
    }
    // Under the table, what its comparison column and its n are: a clerk must not read this
    // machine's data as a national benchmark.
    let note = p.group();
    for line in wrap(w.all_note, 7.5, FIGURE_COLUMNS[2] + 70.0 - MARGIN) {
        y += 10.0;
        p.draw_in(
            Role::Paragraph,
            note,
            format!(
                r##"<text x="{MARGIN}" y="{y:.1}" font-size="7.5" fill="#4a4a4a">{}</text>"##,
                esc(&line)
            ),
        );
    }
    y
}

/// One row of the figures' table at baseline `y`: its first cell heads the row, and every cell
/// of the header row heads its column.
fn figures_row(
    p: &mut Page,
    (table, row): (usize, usize),
    y: f64,
    texts: [FigureCell; 3],
    header_row: bool,
) {
    for (c, (text, size, bold, dx)) in texts.into_iter().enumerate() {
        let weight = if bold { "bold" } else { "normal" };
        let svg = format!(
            r##"<text x="{}" y="{y}" font-size="{size}" font-weight="{weight}">{}</text>"##,
            FIGURE_COLUMNS[c] + dx,
            esc(&text)
        );
        p.draw(
            Role::Cell {
                table,
                row,
                header: header_row || c == 0,
                row_header: !header_row && c == 0,
            },
            svg,
        );
    }
}

/// The map with its heading and the markers' legend, right of the figures from `top` on.
fn map_figure(p: &mut Page, o: &MunicipalityOverview, lang: Lang, top: f64) {
    let w = words(lang);
    let map_x = MARGIN + 314.0;
    let map_w = W - MARGIN - map_x;
    p.draw(
        Role::Paragraph,
        format!(
            r##"<text x="{map_x}" y="{}" font-size="8.5" font-weight="bold">{}</text>"##,
            top + 10.0,
            esc(w.map)
        ),
    );
    // The map and the markers' legend (shape and colour per weakest strategy, with words): one
    // figure, said in words.
    let mut figure = area_map(o, map_x, top + 16.0, map_w, 220.0);
    let items: Vec<(Option<Strategy>, &str)> = Strategy::ALL
        .iter()
        .map(|s| (Some(*s), strategy_name(*s, lang)))
        .chain([(None, w.no_answer)])
        .collect();
    for (i, (s, label)) in items.iter().enumerate() {
        // One to a row, under the map (two to a row ran "linking" into the next label).
        let (lx, ly) = (map_x, top + 16.0 + 220.0 + 10.0 + i as f64 * 10.0);
        let _ = write!(
            figure,
            r##"{} fill="{}" stroke="#ffffff" stroke-width="1"/><text x="{:.1}" y="{:.1}" font-size="7">{}</text>"##,
            marker(*s, lx + 5.0, ly),
            marker_colour(*s),
            lx + 12.0,
            ly + 2.5,
            esc(label)
        );
    }
    p.draw(Role::Figure(map_alt(o, lang, &items)), figure);
}

/// The map in words: what it shows, and each marker's shape and colour with its meaning.
fn map_alt(o: &MunicipalityOverview, lang: Lang, items: &[(Option<Strategy>, &str)]) -> String {
    let w = words(lang);
    let shapes = if lang == Lang::Nl {
        [
            "blauwe cirkel",
            "oranje vierkant",
            "groene ruit",
            "grijze driehoek",
        ]
    } else {
        [
            "blue circle",
            "orange square",
            "green diamond",
            "grey triangle",
        ]
    };
    let legend: Vec<String> = items
        .iter()
        .zip(shapes)
        .map(|((_, label), shape)| format!("{shape}: {label}"))
        .collect();
    w.map_alt
        .replace("{name}", &o.municipality.name)
        .replace("{n}", &o.rows.len().to_string())
        .replace("{list}", &legend.join("; "))
}

/// Where the initiatives table's columns of scores and of status start.
const SCORE_X: f64 = MARGIN + 240.0;
const STATUS_X: f64 = MARGIN + 400.0;

/// Every initiative with its scores and status. The table runs over as many pages as it needs,
/// its header on each (read once: later copies are decoration).
fn initiatives_table(p: &mut Page, o: &MunicipalityOverview, lang: Lang) {
    p.heading(words(lang).initiatives);
    let table = p.group();
    initiatives_header(p, lang, table, true);
    for (n, r) in o.rows.iter().enumerate() {
        let lines = wrap(&r.initiative.name, 8.5, SCORE_X - MARGIN - 10.0);
        let height = lines.len() as f64 * 10.5 + 1.5;
        if p.y + height > BOTTOM {
            p.new_page();
            initiatives_header(p, lang, table, false);
        }
        initiative_row(p, (table, n + 1), r, &lines, lang);
        p.y += height;
    }
}

/// The initiatives table's header; on a page after the first, decoration.
fn initiatives_header(p: &mut Page, lang: Lang, table: usize, first: bool) {
    let w = words(lang);
    p.y += 11.0;
    for (x, text) in [
        (MARGIN, w.initiative),
        (SCORE_X, w.scores_header),
        (STATUS_X, w.status_header),
    ] {
        let svg = format!(
            r##"<text x="{x}" y="{:.1}" font-size="8" font-weight="bold">{}</text>"##,
            p.y,
            esc(text)
        );
        let role = if first {
            Role::Cell {
                table,
                row: 0,
                header: true,
                row_header: false,
            }
        } else {
            Role::Artifact
        };
        p.draw(role, svg);
    }
    p.y += 2.0;
}

/// One initiative's row: its name (in `lines`, heading the row), its scores and its status.
fn initiative_row(
    p: &mut Page,
    (table, row): (usize, usize),
    r: &InitiativeRow,
    lines: &[String],
    lang: Lang,
) {
    let scores: Vec<String> = Strategy::ALL
        .iter()
        .map(|s| number(r.scores.get(*s), lang))
        .collect();
    let first = p.y + 10.5;
    let mut name = String::new();
    for (i, line) in lines.iter().enumerate() {
        let _ = write!(
            name,
            r##"<text x="{MARGIN}" y="{:.1}" font-size="8.5">{}</text>"##,
            first + i as f64 * 10.5,
            esc(line)
        );
    }
    let cell = |header: bool| Role::Cell {
        table,
        row,
        header,
        row_header: header,
    };
    p.draw(cell(true), name);
    p.draw(
        cell(false),
        format!(
            r##"<text x="{SCORE_X}" y="{first:.1}" font-size="8.5">{}</text>"##,
            scores.join("  /  ")
        ),
    );
    p.draw(
        cell(false),
        format!(
            r##"<text x="{STATUS_X}" y="{first:.1}" font-size="8.5">{}</text>"##,
            status_name(r.status, lang)
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The map legend's labels ran into each other two to a row ("Verbinden met instanties
    /// (linking)" over "geen antwoord"): each has a line of its own.
    #[test]
    fn the_map_legend_gives_each_label_a_line_of_its_own() {
        let store = crate::store::Store::open_in_memory().unwrap();
        let o = crate::municipality::area::overview(&store, "GM0344").unwrap();
        let page = municipality_report_pages(&o, Lang::Nl).remove(0).svg();
        let ys: Vec<&str> = page
            .split(r#"<text x=""#)
            .filter(|t| t.contains(r#"font-size="7">"#))
            .filter_map(|t| t.split(r#"y=""#).nth(1).and_then(|r| r.split('"').next()))
            .collect();
        assert_eq!(ys.len(), 4, "four labels: {ys:?}");
        let mut distinct = ys.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 4, "one line each: {ys:?}");
    }
}
