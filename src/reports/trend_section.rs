/*! The municipal report's trend: how the initiatives' scores changed from quarter to quarter,
first in words (per strategy, from the first quarter with an average to the last), then the
figures as a table. */
use super::layout::{esc, wrap, Page};
use super::paper::MARGIN;
use super::pdf::Role;
use super::report_words::{number, strategy_name, words};

use crate::model::Direction;
use crate::model::{Lang, Strategy};
use crate::municipality::area::MunicipalityOverview;
use crate::municipality::stats::QuarterPoint;

/// Where the trend table's columns start: the quarter, the initiatives, one per strategy.
const COLUMNS: [f64; 5] = [
    MARGIN,
    MARGIN + 100.0,
    MARGIN + 200.0,
    MARGIN + 300.0,
    MARGIN + 400.0,
];
/// A column's width: a longer text (a strategy's full name) wraps within it.
const COLUMN_W: f64 = 92.0;

/// The trend in words and figures, drawn from `p.y` on.
pub(super) fn trend_section(p: &mut Page, o: &MunicipalityOverview, lang: Lang) {
    let w = words(lang);
    p.heading(w.trend);
    if o.trend.is_empty() {
        p.text(w.trend_empty, 9.0, false, "#1a1a1a");
        return;
    }
    p.text(
        &w.trend_intro.replace("{n}", &o.stats.min_group.to_string()),
        8.5,
        false,
        "#4a4a4a",
    );
    p.gap(3.0);
    for s in Strategy::ALL {
        p.bullet(&strategy_sentence(&o.trend, s, lang), 9.0);
    }
    p.gap(4.0);
    trend_table(p, &o.trend, lang);
}

/// A quarter as a reader says it: "2e kwartaal 2026", "Q2 2026".
pub(super) fn quarter_words(quarter: &str, lang: Lang) -> String {
    match quarter.split_once("-Q") {
        Some((year, q)) if lang == Lang::Nl => format!("{q}e kwartaal {year}"),
        Some((year, q)) => format!("Q{q} {year}"),
        None => quarter.to_string(),
    }
}

/// One strategy's change in words: from its first quarter with an average to its last.
fn strategy_sentence(trend: &[QuarterPoint], s: Strategy, lang: Lang) -> String {
    let w = words(lang);
    let means: Vec<(&str, f64)> = trend
        .iter()
        .filter_map(|q| {
            let m = q.strategies.get(s.as_str())?.mean?;
            Some((q.quarter.as_str(), m))
        })
        .collect();
    let name = strategy_name(s, lang);
    let (Some(first), Some(last)) = (means.first(), means.last()) else {
        return w.trend_no_mean.replace("{strategy}", name);
    };
    if means.len() == 1 {
        return w
            .trend_once
            .replace("{strategy}", name)
            .replace("{value}", &number(Some(first.1), lang))
            .replace("{quarter}", &quarter_words(first.0, lang));
    }
    // The same rule as a repeat check's result: under ten points reads "about the same".
    let points = number(Some((last.1 - first.1).abs()), lang);
    let how = match Direction::of(Some(first.1), Some(last.1)) {
        Direction::Up => w.trend_higher.replace("{points}", &points),
        Direction::Down => w.trend_lower.replace("{points}", &points),
        Direction::Same | Direction::Unknown => w.trend_same.replace("{points}", &points),
    };
    w.trend_change
        .replace("{strategy}", name)
        .replace("{from}", &number(Some(first.1), lang))
        .replace("{first}", &quarter_words(first.0, lang))
        .replace("{to}", &number(Some(last.1), lang))
        .replace("{last}", &quarter_words(last.0, lang))
        .replace("{how}", &how)
}

/// The figures per quarter: how many initiatives had a check, and the average per strategy.
fn trend_table(p: &mut Page, trend: &[QuarterPoint], lang: Lang) {
    let w = words(lang);
    let table = p.group();
    let header = [
        w.quarter.to_string(),
        w.trend_initiatives.to_string(),
        strategy_name(Strategy::Bonding, lang).to_string(),
        strategy_name(Strategy::Bridging, lang).to_string(),
        strategy_name(Strategy::Linking, lang).to_string(),
    ];
    p.room(48.0);
    p.y += 11.0;
    trend_row(p, (table, 0), header, true);
    p.y += 2.0;
    for (i, q) in trend.iter().enumerate() {
        let mean = |s: Strategy| number(q.strategies.get(s.as_str()).and_then(|m| m.mean), lang);
        p.room(12.0);
        p.y += 11.0;
        trend_row(
            p,
            (table, i + 1),
            [
                quarter_words(&q.quarter, lang),
                q.initiatives.to_string(),
                mean(Strategy::Bonding),
                mean(Strategy::Bridging),
                mean(Strategy::Linking),
            ],
            false,
        );
    }
    p.y += 4.0;
}

/// One row at baseline `p.y`; a cell's text wraps within its column, and the row is as tall as
/// its tallest cell (`p.y` ends on its last line).
fn trend_row(p: &mut Page, (table, row): (usize, usize), cells: [String; 5], header_row: bool) {
    let mut lines_max = 1;
    for (c, text) in cells.into_iter().enumerate() {
        let weight = if header_row || c == 0 {
            "bold"
        } else {
            "normal"
        };
        let lines = wrap(&text, 8.5, COLUMN_W);
        lines_max = lines_max.max(lines.len());
        let svg: String = lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                format!(
                    r##"<text x="{}" y="{:.1}" font-size="8.5" font-weight="{weight}">{}</text>"##,
                    COLUMNS[c],
                    p.y + i as f64 * 10.5,
                    esc(line)
                )
            })
            .collect();
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
    p.y += (lines_max - 1) as f64 * 10.5;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::municipality::stats::Summary;

    fn quarter(quarter: &str, bonding: f64) -> QuarterPoint {
        let summary = Summary {
            mean: Some(bonding),
            sd: None,
            n: 5,
        };
        QuarterPoint {
            quarter: quarter.into(),
            initiatives: 5,
            strategies: [("bonding".to_string(), summary)].into(),
        }
    }

    #[test]
    fn a_change_under_ten_points_reads_about_the_same_as_on_a_result() {
        let small = [quarter("2025-Q1", 62.5), quarter("2025-Q3", 59.7)];
        let nl = strategy_sentence(&small, Strategy::Bonding, Lang::Nl);
        assert!(
            nl.ends_with("ongeveer gelijk (2,8 punten verschil)."),
            "{nl}"
        );
        let en = strategy_sentence(&small, Strategy::Bonding, Lang::En);
        assert!(en.ends_with("about the same (2.8 points apart)."), "{en}");
        let big = [quarter("2025-Q1", 62.5), quarter("2025-Q3", 52.5)];
        let nl = strategy_sentence(&big, Strategy::Bonding, Lang::Nl);
        assert!(nl.ends_with("10,0 punten lager."), "{nl}");
    }
}
