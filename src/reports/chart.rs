/*! The result chart as SVG, made in the core so the screen, the CLI and the printed report show
the same picture. Bars run in the fixed order bonding → bridging → linking, each strategy followed
by its three lessons; every bar carries its value as text, so colour never carries meaning alone.
The UI always pairs the chart with a table (its text alternative). */
use std::fmt::Write;

use crate::content::catalog::catalog;
use crate::model::{Lang, Strategy};
use crate::selfcheck::CheckResult;

const WIDTH: f64 = 640.0;
const LABEL_W: f64 = 280.0;
const BAR_W: f64 = 290.0;
const STRATEGY_ROW: f64 = 30.0;
const LESSON_ROW: f64 = 22.0;
const TOP: f64 = 30.0;

/// Bar colours per strategy (the same as the map's markers), dark enough for 3:1 against white.
pub fn colour(s: Strategy) -> &'static str {
    match s {
        Strategy::Bonding => "#01689b",
        Strategy::Bridging => "#b34700",
        Strategy::Linking => "#2f7008",
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A label in lines of at most `max` characters, broken between words, so that no label is
/// cut off however long a lesson's title is in either language.
fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Characters per label line: a lesson's (regular, indented) and a strategy's (bold).
const LESSON_CHARS: usize = 33;
const STRATEGY_CHARS: usize = 28;
/// The height a label's extra lines add to its row.
const LINE_H: f64 = 15.0;

fn row_height(base: f64, lines: usize) -> f64 {
    base + LINE_H * lines.saturating_sub(1) as f64
}

fn value_text(score: Option<f64>, lang: Lang) -> String {
    match (score, lang) {
        (Some(v), Lang::Nl) => format!("{v:.1}").replace('.', ","),
        (Some(v), Lang::En) => format!("{v:.1}"),
        (None, Lang::Nl) => "geen antwoord".into(),
        (None, Lang::En) => "no answer".into(),
    }
}

/// One row of the chart: its label's lines, its score, and whether it is a strategy's.
struct Row {
    lines: Vec<String>,
    score: Option<f64>,
    strategy: Strategy,
    strong: bool,
}

fn rows(result: &CheckResult, lang: Lang) -> Vec<Row> {
    let cat = catalog();
    let mut rows = Vec::new();
    for strategy in Strategy::ALL {
        let name = cat
            .strategies
            .iter()
            .find(|s| s.id == strategy)
            .map(|s| s.name.get(lang))
            .unwrap_or(strategy.as_str());
        rows.push(Row {
            lines: wrap(name, STRATEGY_CHARS),
            score: result.scores.get(strategy),
            strategy,
            strong: true,
        });
        for lesson in cat.lessons.iter().filter(|l| l.strategy == strategy) {
            rows.push(Row {
                lines: wrap(
                    &format!("{}. {}", lesson.number, lesson.title.get(lang)),
                    LESSON_CHARS,
                ),
                score: result
                    .lessons
                    .iter()
                    .find(|l| l.id == lesson.id)
                    .and_then(|l| l.score),
                strategy,
                strong: false,
            });
        }
    }
    rows
}

impl Row {
    fn height(&self) -> f64 {
        row_height(
            if self.strong {
                STRATEGY_ROW
            } else {
                LESSON_ROW
            },
            self.lines.len(),
        )
    }
}

/// The chart of a self-check's result, in `lang`.
pub fn result_svg(result: &CheckResult, lang: Lang) -> String {
    let rows = rows(result, lang);
    let rows_height: f64 = rows.iter().map(Row::height).sum();
    let height = TOP + rows_height + 30.0;
    let (title, desc) = match lang {
        Lang::Nl => ("Scores per strategie en les (0 tot 100)", "Staafdiagram: binden, overbruggen en verbinden met instanties, elk met de drie lessen. De tabel ernaast geeft dezelfde cijfers."),
        Lang::En => ("Scores per strategy and lesson (0 to 100)", "Bar chart: bonding, bridging and linking, each with its three lessons. The table beside it gives the same figures."),
    };
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-labelledby="chart-title chart-desc" font-family="DejaVu Sans, Arial, sans-serif" font-size="13"><title id="chart-title">{}</title><desc id="chart-desc">{}</desc><rect width="100%" height="100%" fill="#ffffff"/>"##,
        escape(title),
        escape(desc)
    );
    // Axis: gridlines at 0, 25, 50, 75 and 100.
    for tick in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let x = LABEL_W + BAR_W * tick / 100.0;
        let _ = write!(
            svg,
            r##"<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="#b4b4b4" stroke-width="1"/><text x="{x}" y="{}" text-anchor="middle" fill="#4a4a4a" font-size="11">{tick}</text>"##,
            TOP - 6.0,
            TOP + rows_height,
            TOP - 10.0
        );
    }
    let mut y = TOP;
    for row in &rows {
        bar(&mut svg, y, row, lang);
        y += row.height();
    }
    svg.push_str("</svg>");
    svg
}

fn bar(svg: &mut String, y: f64, row: &Row, lang: Lang) {
    let (thickness, weight, indent, opacity) = if row.strong {
        (18.0, "bold", 0.0, "1")
    } else {
        (11.0, "normal", 14.0, "0.75")
    };
    let mid = y + row.height() / 2.0;
    // The label's lines centred on the bar.
    let first = mid - LINE_H * (row.lines.len() as f64 - 1.0) / 2.0;
    let _ = write!(
        svg,
        r##"<text x="{}" y="{first}" dominant-baseline="middle" font-weight="{weight}" fill="#1a1a1a">"##,
        4.0 + indent
    );
    for (i, line) in row.lines.iter().enumerate() {
        let dy = if i == 0 { 0.0 } else { LINE_H };
        let _ = write!(
            svg,
            r##"<tspan x="{}" dy="{dy}">{}</tspan>"##,
            4.0 + indent,
            escape(line)
        );
    }
    svg.push_str("</text>");
    let width = row
        .score
        .map_or(0.0, |s| BAR_W * s.clamp(0.0, 100.0) / 100.0);
    if row.score.is_some() {
        let _ = write!(
            svg,
            r##"<rect x="{LABEL_W}" y="{}" width="{width:.1}" height="{thickness}" fill="{}" fill-opacity="{opacity}"/>"##,
            mid - thickness / 2.0,
            colour(row.strategy)
        );
    }
    let _ = write!(
        svg,
        // A white halo under the value, so that a gridline never runs through its digits.
        r##"<text x="{:.1}" y="{mid}" dominant-baseline="middle" font-weight="{weight}" fill="#1a1a1a" stroke="#ffffff" stroke-width="3" paint-order="stroke">{}</text>"##,
        LABEL_W + width + 6.0,
        escape(&value_text(row.score, lang))
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;
    use crate::model::StrategyScores;
    use crate::selfcheck::LessonResult;

    fn result() -> CheckResult {
        CheckResult {
            summary: vec![],
            tip_roles: vec![Role::Resident],
            bands: crate::selfcheck::reading::Bands {
                strategies: vec![],
                lessons: vec![],
            },
            skipped: vec![],
            since_last: None,
            id: "c".into(),
            initiative_id: "i".into(),
            initiative_name: "Test".into(),
            role: Role::Resident,
            created_at: "2026-01-01T00:00:00Z".into(),
            municipality: None,
            province: None,
            wijk: None,
            approximate: false,
            scores: StrategyScores {
                bonding: Some(66.7),
                bridging: None,
                linking: Some(12.5),
            },
            weakest_strategy: Some(Strategy::Linking),
            lessons: catalog()
                .lessons
                .iter()
                .map(|l| LessonResult {
                    id: l.id.clone(),
                    score: Some(50.0),
                })
                .collect(),
            strengths: vec![],
            advice: vec![],
            similar_cases: vec![],
            return_code: None,
            backup_failed: false,
            respondents: 1,
            on_paper: false,
            spread: crate::selfcheck::assess::Spread {
                strategies: vec![],
                lessons: vec![],
                statements: vec![],
            },
            disagreement: vec![],
            notes: Default::default(),
            actions: vec![],
            previous_actions: vec![],
        }
    }

    #[test]
    fn the_axis_order_is_fixed_and_values_are_written_out() {
        let svg = result_svg(&result(), Lang::Nl);
        let bonding = svg.find("Binden").unwrap();
        let bridging = svg.find("Overbruggen").unwrap();
        let linking = svg.find("Verbinden met instanties").unwrap();
        assert!(bonding < bridging && bridging < linking);
        assert!(
            svg.contains(">66,7<") && svg.contains(">12,5<") && svg.contains(">geen antwoord<")
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("role=\"img\"") && svg.contains("<title"));
    }

    #[test]
    fn english_uses_a_decimal_point() {
        let svg = result_svg(&result(), Lang::En);
        assert!(svg.contains(">66.7<") && svg.contains(">no answer<") && svg.contains("Bridging"));
    }

    /// Issue 32: lesson titles were cut off at 30 characters ("Een wijk voor iedereen, niet…").
    #[test]
    fn every_label_is_whole() {
        for lang in [Lang::Nl, Lang::En] {
            let svg = result_svg(&result(), lang);
            assert!(!svg.contains('…'), "{svg}");
            for lesson in &catalog().lessons {
                for word in lesson.title.get(lang).split_whitespace() {
                    assert!(svg.contains(&escape(word)), "{word} missing in {lang:?}");
                }
            }
        }
        let lines = wrap(
            "Een wijk voor iedereen, niet elke activiteit voor iedereen",
            33,
        );
        assert!(lines.len() == 2 && lines.iter().all(|l| l.chars().count() <= 33));
    }

    #[test]
    fn the_same_result_gives_the_same_picture() {
        assert_eq!(
            result_svg(&result(), Lang::Nl),
            result_svg(&result(), Lang::Nl)
        );
    }
}
