/*! The municipal report's part per wijk: the legend of the map's wijk colours, the table of the
wijken with initiatives (most first, as many as fit), and the wijken without one. */
use std::fmt::Write;

use super::layout::{esc, wrap, Page};
use super::municipal_map::WIJK_FILLS;
use super::paper::{MARGIN, W};
use super::pdf::Role;
use super::report_words::{number, words};

use crate::model::{Lang, Strategy};
use crate::municipality::area::MunicipalityOverview;
use crate::municipality::stats::{WijkFigures, WijkTable};

/// The wijk map's legend and the table per wijk (those with initiatives, most first, as many as
/// fit), then the wijken without an initiative, drawn from `p.y` on.
pub(super) fn wijk_section(p: &mut Page, o: &MunicipalityOverview, lang: Lang, rows_max: usize) {
    let w = words(lang);
    let table = &o.wijken;
    let x = MARGIN;
    if !table.known {
        p.y += 11.0;
        p.draw(
            Role::Paragraph,
            format!(
                r##"<text x="{x}" y="{:.1}" font-size="8.5" fill="#8a4b00">{}</text>"##,
                p.y,
                esc(w.no_wijken)
            ),
        );
        p.y += 4.0;
        return;
    }
    if table.wijken.is_empty() {
        return;
    }
    legend(p, table, lang);
    figures_per_wijk(p, table, lang, rows_max);
    without_initiatives(p, table, lang);
    p.y += 6.0;
}

/// The legend of the wijk colours: a swatch per class with its range; a figure with its words
/// for a reader. Beside it, where the boundaries come from.
fn legend(p: &mut Page, table: &WijkTable, lang: Lang) {
    let w = words(lang);
    let x = MARGIN;
    p.y += 11.0;
    let yy = p.y;
    let mut legend = format!(
        r##"<text x="{x}" y="{yy:.1}" font-size="8" font-weight="bold">{}</text>"##,
        esc(w.wijk_legend)
    );
    let mut lx = x + 150.0;
    let labels: Vec<String> = std::iter::once(w.wijk_none.to_string())
        .chain(table.count_classes.iter().map(|r| {
            if r.from == r.to {
                format!("{}", r.from)
            } else {
                format!("{}–{}", r.from, r.to)
            }
        }))
        .collect();
    for (i, label) in labels.iter().enumerate() {
        let _ = write!(
            legend,
            r##"<rect x="{lx:.1}" y="{:.1}" width="9" height="9" fill="{}" stroke="#1a1a1a" stroke-width="0.6"/><text x="{:.1}" y="{yy:.1}" font-size="8">{}</text>"##,
            yy - 8.0,
            WIJK_FILLS[i],
            lx + 12.0,
            esc(label)
        );
        lx += 20.0 + label.chars().count() as f64 * 4.6;
    }
    let named: Vec<String> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{} {l}", shade_name(i, lang)))
        .collect();
    p.draw(
        Role::Figure(w.wijk_legend_alt.replace("{list}", &named.join(", "))),
        legend,
    );
    p.draw(
        Role::Paragraph,
        format!(
            r##"<text x="{:.1}" y="{yy:.1}" font-size="7" fill="#4a4a4a">{}</text>"##,
            W - MARGIN - 150.0,
            esc(w.wijk_credit)
        ),
    );
}

/// The name of the colour of count class `i` (0: none), for the legend's words.
fn shade_name(i: usize, lang: Lang) -> &'static str {
    let shades = [
        "wit",
        "lichtblauw",
        "blauw",
        "middenblauw",
        "donkerblauw",
        "diepblauw",
    ];
    let shades_en = [
        "white",
        "light blue",
        "blue",
        "mid blue",
        "dark blue",
        "deep blue",
    ];
    if lang == Lang::Nl {
        shades[i.min(5)]
    } else {
        shades_en[i.min(5)]
    }
}

/// The table of the wijken with initiatives, most first, in two columns of at most `rows_max`
/// rows; how many more there are when they do not all fit.
fn figures_per_wijk(p: &mut Page, table: &WijkTable, lang: Lang, rows_max: usize) {
    let w = words(lang);
    let x = MARGIN;
    p.y += 4.0;
    p.title(2, w.wijken, 10.5, "#154273");
    p.y += 11.0;
    let yy = p.y;
    let col_w = (W - 2.0 * MARGIN) / 2.0;
    let mut with: Vec<&WijkFigures> = table.wijken.iter().filter(|f| f.initiatives > 0).collect();
    with.sort_by(|a, b| {
        b.initiatives
            .cmp(&a.initiatives)
            .then(a.wijk.name.cmp(&b.wijk.name))
    });
    let per_column = rows_max.max(1);
    let columns = if with.len() > per_column { 2 } else { 1 };
    for c in 0..columns {
        // The second column's header repeats the first: decoration for a reader.
        let role = if c == 0 {
            Role::Paragraph
        } else {
            Role::Artifact
        };
        p.draw(
            role,
            format!(
                r##"<text x="{:.1}" y="{yy:.1}" font-size="7.5" font-weight="bold">{}</text>"##,
                x + c as f64 * col_w,
                esc(w.wijk_header)
            ),
        );
    }
    let shown = with.len().min(per_column * 2);
    for (i, f) in with.iter().take(shown).enumerate() {
        let (cx, row) = (x + (i / per_column) as f64 * col_w, (i % per_column) as f64);
        let means: Vec<Option<f64>> = Strategy::ALL
            .iter()
            .map(|s| f.strategies.get(s.as_str()).and_then(|m| m.mean))
            .collect();
        // A row of dashes says nothing to a reader: too few initiatives is said in words.
        let figures = if means.iter().all(Option::is_none) {
            w.wijk_too_few.to_string()
        } else {
            let means: Vec<String> = means.into_iter().map(|m| number(m, lang)).collect();
            means.join(" / ")
        };
        let name: String = f.wijk.name.chars().take(26).collect();
        let name = if name.chars().count() < f.wijk.name.chars().count() {
            format!("{name}…")
        } else {
            name
        };
        p.draw(
            Role::Paragraph,
            format!(
                r##"<text x="{cx:.1}" y="{:.1}" font-size="7.5">{} · {} · {}</text>"##,
                yy + 10.0 * (row + 1.0),
                esc(&name),
                f.initiatives,
                esc(&figures)
            ),
        );
    }
    p.y = yy + 10.0 * shown.min(per_column) as f64;
    if shown < with.len() {
        p.y += 10.0;
        p.draw(
            Role::Paragraph,
            format!(
                r##"<text x="{x}" y="{:.1}" font-size="7.5" fill="#4a4a4a">{}</text>"##,
                p.y,
                esc(&w
                    .wijken_more
                    .replace("{n}", &(with.len() - shown).to_string()))
            ),
        );
    }
}

/// The wijken without an initiative, named on at most two lines.
fn without_initiatives(p: &mut Page, table: &WijkTable, lang: Lang) {
    let w = words(lang);
    let x = MARGIN;
    let without: Vec<&str> = table
        .without_initiatives()
        .map(|w| w.name.as_str())
        .collect();
    if !without.is_empty() {
        let text = format!(
            "{} {}",
            w.wijken_without.replace("{n}", &without.len().to_string()),
            without.join(", ")
        );
        let group = p.group();
        for line in wrap(&text, 7.5, W - 2.0 * MARGIN).into_iter().take(2) {
            p.y += 10.0;
            let svg = format!(
                r##"<text x="{x}" y="{:.1}" font-size="7.5">{}</text>"##,
                p.y,
                esc(&line)
            );
            p.draw_in(Role::Paragraph, group, svg);
        }
    }
}
