/*! The report of a self-check for the resident or the group, words first: who and where, the
result in a few sentences, what changed since last time, the tips for every role that answered,
what to talk about, the scores in bands, then the figures (chart and group ranges), the
statements nobody answered, notes, agreements, and initiatives to learn from. */
use super::layout::{pages_to_pdf, Page, ReportError};
use super::paper::{MARGIN, W};
use super::pdf::LaidPage;
use super::report_words::{number, strategy_name, words};

use crate::content::catalog::catalog;
use crate::geo::geography;
use crate::model::{Lang, Strategy};
use crate::reports::chart::result_svg;
use crate::selfcheck::CheckResult;

/// The report of a self-check as A4 SVG pages: two (words, then figures), more when the group
/// wrote much.
pub(crate) fn check_report_pages(r: &CheckResult, lang: Lang) -> Vec<LaidPage> {
    let w = words(lang);
    let mut p = Page::new();
    p.footer(w.source); // on every page
    header(&mut p, r, lang);
    in_short(&mut p, r, lang);
    since_last(&mut p, r, lang);
    tips(&mut p, r, lang);
    disagreement(&mut p, r, lang);
    bands(&mut p, r, lang);
    result_chart(&mut p, r, lang);
    group_ranges(&mut p, r, lang);
    skipped(&mut p, r, lang);
    notes(&mut p, r, lang);
    previous_actions(&mut p, r, lang);
    actions(&mut p, r, lang);
    similar_cases(&mut p, r, lang);
    p.finish_all()
}

/// A lesson's title in `lang` (its id when the catalogue does not know it).
fn lesson_title(id: &str, lang: Lang) -> String {
    catalog()
        .lesson(id)
        .map(|l| l.title.get(lang).to_string())
        .unwrap_or_else(|| id.to_string())
}

/// The title lines, who and where, the return code and the note that this is a snapshot.
fn header(p: &mut Page, r: &CheckResult, lang: Lang) {
    let w = words(lang);
    p.text(
        &format!("Wijkkompas · {}", w.check_title),
        10.0,
        false,
        "#4a4a4a",
    );
    p.title(1, &r.initiative_name, 20.0, "#154273");
    p.text(&about(r, lang), 9.5, false, "#4a4a4a");
    if let Some(code) = &r.return_code {
        p.gap(4.0);
        p.text(&format!("{} {code}", w.return_code), 10.5, true, "#1a1a1a");
    }
    p.gap(4.0);
    p.text(w.snapshot, 10.0, false, "#1a1a1a");
    p.gap(8.0);
}

/// The line under the name: the place, the date, the role, and how many answered and how.
fn about(r: &CheckResult, lang: Lang) -> String {
    let w = words(lang);
    let wijk = match (&r.wijk, &r.municipality) {
        (Some(wijk), _) => format!("{} {}, ", w.wijk, wijk.name),
        (None, Some(_)) if !geography().has_wijken() => format!("{}, ", w.wijk_unknown),
        _ => String::new(),
    };
    let place = r.municipality.as_ref().map_or(w.outside.to_string(), |m| {
        format!(
            "{wijk}{}, {}",
            m.name,
            r.province.as_ref().map_or("", |p| p.name.as_str())
        )
    });
    let mut about = format!(
        "{place} · {} · {}",
        r.created_at.get(..10).unwrap_or(&r.created_at),
        r.role.name(lang)
    );
    if r.respondents > 1 {
        about.push_str(&format!(
            " · {}",
            w.respondents.replace("{n}", &r.respondents.to_string())
        ));
    }
    if r.on_paper {
        about.push_str(&format!(" · {}", w.on_paper));
    }
    about
}

/// The result chart, as the app shows it, with its figures in words.
fn result_chart(p: &mut Page, r: &CheckResult, lang: Lang) {
    let w = words(lang);
    let figures: Vec<String> = Strategy::ALL
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                strategy_name(*s, lang),
                number(r.scores.get(*s), lang)
            )
        })
        .collect();
    let svg = result_svg(r, lang);
    // The heading stays with its chart: both on one page.
    let width = W - 2.0 * MARGIN;
    let (vw, vh) = super::layout::viewbox(&svg).unwrap_or((width, width / 2.0));
    p.room(width * vh / vw + 60.0);
    p.heading(w.figures);
    p.embed(
        &svg,
        W - 2.0 * MARGIN,
        &w.chart_alt.replace("{list}", &figures.join("; ")),
    );
}

/// The result in two or three plain sentences.
fn in_short(p: &mut Page, r: &CheckResult, lang: Lang) {
    p.heading(words(lang).in_short);
    for sentence in &r.summary {
        p.text(sentence, 11.0, false, "#1a1a1a");
        p.gap(3.0);
    }
}

/// For a repeat: per strategy, what changed since the check before.
fn since_last(p: &mut Page, r: &CheckResult, lang: Lang) {
    let Some(since) = &r.since_last else { return };
    let date = since.previous_at.get(..10).unwrap_or(&since.previous_at);
    p.heading(&words(lang).since_last.replace("{date}", date));
    for sentence in &since.sentences {
        p.bullet(sentence, 10.0);
    }
}

/// The tips on the weakest lessons: for one person their role's, for a group every role's.
fn tips(p: &mut Page, r: &CheckResult, lang: Lang) {
    let w = words(lang);
    if r.advice.is_empty() {
        return;
    }
    let group = r.respondents > 1;
    if group {
        p.heading(w.tips_for_group);
    } else {
        p.heading(&w.tips_for_one.replace("{role}", r.role.name(lang)));
    }
    for a in &r.advice {
        let title = lesson_title(&a.lesson, lang);
        let text = if group {
            let whose = w.tip_for_role.replace("{role}", a.role.name(lang));
            format!("{title} ({whose}): {}", a.tip)
        } else {
            format!("{title}: {}", a.tip)
        };
        p.bullet(&text, 10.0);
    }
}

/// For a group: the lessons the members disagree on.
fn disagreement(p: &mut Page, r: &CheckResult, lang: Lang) {
    let w = words(lang);
    let range = |id: &str| r.spread.lessons.iter().find(|l| l.id == id);
    if r.disagreement.is_empty() {
        return;
    }
    p.heading(w.to_talk_about);
    for id in &r.disagreement {
        let Some(l) = range(id) else { continue };
        p.bullet(
            &format!(
                "{}: {}",
                lesson_title(id, lang),
                w.range
                    .replace("{min}", &number(l.min, lang))
                    .replace("{max}", &number(l.max, lang))
            ),
            9.5,
        );
    }
}

/// The scores in bands: per strategy its band, then its lessons' bands, in words.
fn bands(p: &mut Page, r: &CheckResult, lang: Lang) {
    let w = words(lang);
    p.heading(if r.respondents > 1 {
        w.where_group
    } else {
        w.where_one
    });
    p.text(w.band_rule, 9.0, false, "#4a4a4a");
    let band =
        |b: &crate::selfcheck::reading::Banded| b.band.map_or(w.no_answer, |band| band.words(lang));
    for s in &r.bands.strategies {
        let Some(strategy) = Strategy::ALL.into_iter().find(|x| x.as_str() == s.id) else {
            continue;
        };
        let lessons: Vec<String> = r
            .bands
            .lessons
            .iter()
            .filter(|l| {
                catalog()
                    .lesson(&l.id)
                    .is_some_and(|lesson| lesson.strategy == strategy)
            })
            .map(|l| format!("{}: {}", lesson_title(&l.id, lang), band(l)))
            .collect();
        p.bullet(
            &format!(
                "{}: {}. {}.",
                strategy_name(strategy, lang),
                band(s),
                lessons.join("; ")
            ),
            9.5,
        );
    }
}

/// For a group: each lesson's score with the lowest and highest score of a member.
fn group_ranges(p: &mut Page, r: &CheckResult, lang: Lang) {
    let w = words(lang);
    if r.respondents < 2 {
        return;
    }
    p.text(w.group_scores, 10.0, true, "#1a1a1a");
    for l in &r.lessons {
        let Some(sp) = r.spread.lessons.iter().find(|s| s.id == l.id) else {
            continue;
        };
        p.bullet(
            &format!(
                "{}: {} ({} – {})",
                lesson_title(&l.id, lang),
                number(l.score, lang),
                number(sp.min, lang),
                number(sp.max, lang)
            ),
            9.0,
        );
    }
}

/// The statements nobody answered: they do not count in the scores.
fn skipped(p: &mut Page, r: &CheckResult, lang: Lang) {
    if r.skipped.is_empty() {
        return;
    }
    p.heading(words(lang).skipped);
    for s in &r.skipped {
        p.bullet(
            &format!("{} ({})", s.text, lesson_title(&s.lesson, lang)),
            9.0,
        );
    }
}

/// What goes well and what could be better, per lesson, as the group wrote it.
fn notes(p: &mut Page, r: &CheckResult, lang: Lang) {
    let w = words(lang);
    let title = |id: &str| lesson_title(id, lang);
    if !r.notes.is_empty() {
        p.heading(w.notes);
        for (id, note) in &r.notes {
            p.room(40.0);
            p.text(&title(id), 10.0, true, "#1a1a1a");
            if let Some(good) = &note.good {
                p.bullet(&format!("{} {good}", w.good), 9.5);
            }
            if let Some(better) = &note.better {
                p.bullet(&format!("{} {better}", w.better), 9.5);
            }
        }
    }
}

/// What came of the agreements of the check before.
fn previous_actions(p: &mut Page, r: &CheckResult, lang: Lang) {
    let w = words(lang);
    if !r.previous_actions.is_empty() {
        p.heading(w.previous);
        for a in &r.previous_actions {
            let outcome = match a.outcome {
                crate::model::Outcome::Done => w.outcome_done,
                crate::model::Outcome::Partly => w.outcome_partly,
                crate::model::Outcome::Not => w.outcome_not,
            };
            let note = a
                .note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            p.bullet(&format!("{}: {outcome}{note}", a.action.text), 9.5);
        }
    }
}

/// The agreements made in this check: what, who, by when, for which lesson.
fn actions(p: &mut Page, r: &CheckResult, lang: Lang) {
    let w = words(lang);
    let title = |id: &str| lesson_title(id, lang);
    if !r.actions.is_empty() {
        p.heading(w.actions);
        for a in &r.actions {
            let who = a
                .who
                .as_deref()
                .map(|who| format!(" — {who}"))
                .unwrap_or_default();
            p.bullet(
                &format!(
                    "{}{who} — {} {} ({})",
                    a.text,
                    w.by,
                    a.due,
                    title(&a.lesson)
                ),
                9.5,
            );
        }
    }
}

/// Initiatives to learn from: nearby ones, or ones strong where this one is weakest.
fn similar_cases(p: &mut Page, r: &CheckResult, lang: Lang) {
    let w = words(lang);
    let cat = catalog();
    if !r.similar_cases.is_empty() {
        p.heading(w.cases);
        for s in &r.similar_cases {
            let Some(c) = cat.case(&s.id) else { continue };
            let place = c
                .municipality
                .as_ref()
                .map_or("online", |m| m.name.as_str());
            let name = c.label.get(lang);
            let reason = match s.reason {
                crate::selfcheck::assess::SimilarReason::Nearby => {
                    format!("{}, {} km", w.nearby, s.distance_km.map_or(0.0, f64::round))
                }
                crate::selfcheck::assess::SimilarReason::Strategy => format!(
                    "{} {}",
                    w.strong_in,
                    r.weakest_strategy.map_or("", |st| strategy_name(st, lang))
                ),
            };
            // An unnamed case's label already names its place ("Initiatief in Overvecht (Utrecht)").
            let name = if c.name.is_some() {
                format!("{name} ({place})")
            } else {
                name.to_string()
            };
            p.bullet(&format!("{name} — {reason}"), 9.0);
        }
    }
}

/// The report of a self-check as a PDF.
pub fn check_report_pdf(r: &CheckResult, lang: Lang) -> Result<Vec<u8>, ReportError> {
    pages_to_pdf(
        &check_report_pages(r, lang),
        &format!(
            "Wijkkompas · {} · {}",
            words(lang).check_title,
            r.initiative_name
        ),
        lang,
    )
}
