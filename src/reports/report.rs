/*! PDF reports, made in Rust: the report of a self-check for the resident, and a municipal
report. Each page is laid out here as A4 SVG pieces (so the result chart is the very SVG the app
shows), each piece saying what it is; `pdf.rs` turns them into a tagged, accessible PDF with
subsets of the bundled DejaVu fonts embedded: the PDF looks the same on every machine, needs no
webview, and a screen reader reads its headings, lists and tables. */
use std::fmt::Write;

use ::geo::{BoundingRect, MultiPolygon};
use thiserror::Error;

use super::glyphs;
use super::pdf::{self, Block, LaidPage, Role};

use crate::content::catalog::catalog;
use crate::geo::geography;
use crate::model::{Lang, Strategy};
use crate::municipality::area::MunicipalityOverview;
use crate::municipality::stats::Summary;
use crate::reports::chart::{self, result_svg};
use crate::selfcheck::CheckResult;

pub(super) const W: f64 = 595.0; // A4 in points
pub(super) const H: f64 = 842.0;
pub(super) const MARGIN: f64 = 48.0;
pub(super) const FONT: &str = "DejaVu Sans";

#[derive(Debug, Error)]
pub enum ReportError {
    #[error("the report could not be laid out: {0}")]
    Svg(String),
    #[error("the report could not be converted to PDF: {0}")]
    Pdf(String),
    #[error(transparent)]
    Tagged(#[from] pdf::PdfError),
    #[error("choose a self-check or a municipality for the report")]
    NoSubject,
}

/// What a report is of: one self-check, or one municipality. Both faces choose it the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportSubject {
    Check(String),
    Municipality(String),
}

impl ReportSubject {
    /// From a face's two optional choices: exactly one of them.
    pub fn from_choice(
        check_id: Option<&str>,
        municipality: Option<&str>,
    ) -> Result<ReportSubject, ReportError> {
        match (check_id, municipality) {
            (Some(id), None) => Ok(ReportSubject::Check(id.to_string())),
            (None, Some(code)) => Ok(ReportSubject::Municipality(code.to_string())),
            _ => Err(ReportError::NoSubject),
        }
    }

    /// The name a save dialog proposes.
    pub fn file_name(&self) -> String {
        match self {
            ReportSubject::Check(_) => "wijkkompas-zelfcheck.pdf".to_string(),
            ReportSubject::Municipality(code) => format!("wijkkompas-{code}.pdf"),
        }
    }
}

/// Laid-out pages as one tagged PDF with its title and language (see `pdf.rs`).
pub(super) fn pages_to_pdf(
    pages: &[LaidPage],
    title: &str,
    lang: Lang,
) -> Result<Vec<u8>, ReportError> {
    Ok(pdf::to_pdf(pages, title, lang)?)
}

pub(super) fn lang_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "nl-NL",
        Lang::En => "en-GB",
    }
}

/// At most `max` characters: cut at a word and ended with "…" when it is longer.
fn ellipsize(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    let at_word = cut
        .rfind(' ')
        .filter(|i| *i > max / 2)
        .map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end_matches([',', ':', ';']))
}

pub(super) fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Greedy word wrap by an average glyph width (DejaVu Sans is about 0.58 em wide on average;
/// what the fonts lack counts as the wider square drawn for it).
pub(super) fn wrap(text: &str, size: f64, width: f64) -> Vec<String> {
    let max = ((width / (size * glyphs::AVERAGE_EM)) as usize).max(10) as f64;
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0.0;
    // A word longer than a line (a long one-word name) is broken over lines, never clipped.
    let pieces = text
        .split_whitespace()
        .flat_map(|word| split_word(word, max));
    for (word, wide) in pieces {
        if !line.is_empty() && used + 1.0 + wide > max {
            lines.push(std::mem::take(&mut line));
            used = 0.0;
        }
        if !line.is_empty() {
            line.push(' ');
            used += 1.0;
        }
        line.push_str(&word);
        used += wide;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A word in pieces of at most `max` average letters (the word whole when it fits), each with
/// its width; never cut inside a letter with its marks or an emoji sequence.
fn split_word(word: &str, max: f64) -> Vec<(String, f64)> {
    let mut parts = Vec::new();
    let (mut part, mut used) = (String::new(), 0.0);
    for c in word.chars() {
        let wide = glyphs::letters(c.encode_utf8(&mut [0; 4]));
        if !part.is_empty() && used + wide > max && !glyphs::continues(&part, c) {
            parts.push((std::mem::take(&mut part), used));
            used = 0.0;
        }
        part.push(c);
        used += wide;
    }
    if !part.is_empty() {
        parts.push((part, used));
    }
    parts
}

/// Pages being laid out from top to bottom, piece by piece: what does not fit goes on to a new
/// page. Every piece is drawn with its role (heading, paragraph, list item, table cell, figure,
/// decoration), which the PDF keeps as its structure.
pub(super) struct Page {
    blocks: Vec<Block>,
    pub(super) y: f64,
    /// The pages already full.
    done: Vec<LaidPage>,
    /// Written at the foot of every page.
    footer: Option<String>,
    next_group: usize,
}

/// Where the text of a page ends (room for the footer below).
pub(super) const BOTTOM: f64 = H - 44.0;

fn background() -> Block {
    Block {
        role: Role::Artifact,
        group: 0,
        svg: format!(r##"<rect width="{W}" height="{H}" fill="#ffffff"/>"##),
    }
}

impl Page {
    pub(super) fn new() -> Page {
        Page {
            blocks: vec![background()],
            y: MARGIN,
            done: Vec::new(),
            footer: None,
            next_group: 1,
        }
    }

    /// A new logical element (its pieces may fall on two pages).
    pub(super) fn group(&mut self) -> usize {
        self.next_group += 1;
        self.next_group
    }

    /// Draws a piece of its own.
    pub(super) fn draw(&mut self, role: Role, svg: String) {
        let group = self.group();
        self.draw_in(role, group, svg);
    }

    /// Draws a piece of the logical element `group`.
    pub(super) fn draw_in(&mut self, role: Role, group: usize, svg: String) {
        self.blocks.push(Block { role, group, svg });
    }

    /// Starts a new page unless `h` more points fit on this one.
    pub(super) fn room(&mut self, h: f64) {
        if self.y + h > BOTTOM {
            self.new_page();
        }
    }

    pub(super) fn new_page(&mut self) {
        let full = std::mem::replace(&mut self.blocks, vec![background()]);
        let page = self.close(full);
        self.done.push(page);
        self.y = MARGIN;
    }

    /// The footer: read once (the first page's), decoration after that.
    fn close(&mut self, mut blocks: Vec<Block>) -> LaidPage {
        if let Some(f) = &self.footer {
            let role = if self.done.is_empty() {
                Role::Paragraph
            } else {
                Role::Artifact
            };
            let group = self.next_group + 1;
            self.next_group = group;
            blocks.push(Block {
                role,
                group,
                svg: format!(
                    r##"<text x="{MARGIN}" y="{}" font-size="8" fill="#4a4a4a">{}</text>"##,
                    H - 24.0,
                    esc(f)
                ),
            });
        }
        LaidPage { blocks }
    }

    /// A paragraph.
    pub(super) fn text(&mut self, text: &str, size: f64, bold: bool, colour: &str) {
        self.text_at(MARGIN, text, size, bold, colour);
    }

    pub(super) fn text_at(&mut self, x: f64, text: &str, size: f64, bold: bool, colour: &str) {
        let group = self.group();
        for line in wrap(text, size, W - MARGIN - x) {
            self.room(size * 1.25);
            self.y += size * 1.25;
            let svg = text_svg(x, self.y, &line, size, bold, colour);
            self.draw_in(Role::Paragraph, group, svg);
        }
    }

    /// A heading of `level` (1: the document's title line), kept whole on one page.
    pub(super) fn title(&mut self, level: u16, text: &str, size: f64, colour: &str) {
        let lines = wrap(text, size, W - 2.0 * MARGIN);
        self.room(lines.len() as f64 * size * 1.25);
        let mut svg = String::new();
        for line in &lines {
            self.y += size * 1.25;
            svg.push_str(&text_svg(MARGIN, self.y, line, size, true, colour));
        }
        self.draw(Role::Heading(level, text.to_string()), svg);
    }

    pub(super) fn gap(&mut self, h: f64) {
        self.y += h;
    }

    /// A section's heading (level 2).
    pub(super) fn heading(&mut self, text: &str) {
        // A heading never ends a page: it keeps a few lines of what it heads with it.
        self.room(60.0);
        self.gap(8.0);
        self.title(2, text, 13.0, "#154273");
        self.gap(2.0);
    }

    /// One item of a bulleted list (items in a row make one list).
    pub(super) fn bullet(&mut self, text: &str, size: f64) {
        let lines = wrap(text, size, W - 2.0 * MARGIN - 14.0);
        let group = self.group();
        for (i, line) in lines.iter().enumerate() {
            self.room(size * 1.3);
            self.y += size * 1.3;
            if i == 0 {
                // The bullet is decoration: the list says it is a list.
                self.draw(Role::Artifact, format!(r##"<text x="{MARGIN}" y="{:.1}" font-size="{size}" fill="#1a1a1a">•</text>"##, self.y));
            }
            let svg = text_svg(MARGIN + 14.0, self.y, line, size, false, "#1a1a1a");
            self.draw_in(Role::Item, group, svg);
        }
    }

    /// Writing lines: room to write by hand.
    pub(super) fn lines(&mut self, n: usize) {
        for _ in 0..n {
            self.room(20.0);
            self.y += 20.0;
            let svg = format!(
                r##"<line x1="{MARGIN}" y1="{:.1}" x2="{}" y2="{:.1}" stroke="#9a9a9a" stroke-width="0.6"/>"##,
                self.y,
                W - MARGIN,
                self.y
            );
            self.draw(Role::Artifact, svg);
        }
    }

    /// Places another SVG (the result chart) scaled into the page's width, as a figure that a
    /// reader announces by `alt`.
    pub(super) fn embed(&mut self, inner: &str, width: f64, alt: &str) {
        let (vw, vh) = viewbox(inner).unwrap_or((width, width / 2.0));
        let height = width * vh / vw;
        self.room(height);
        let body = inner.replacen(
            "<svg ",
            &format!(r#"<svg x="{MARGIN}" y="{:.1}" "#, self.y),
            1,
        );
        let body = body.replacen(
            &format!(r#"width="{vw}" height="{vh}""#),
            &format!(r#"width="{width:.1}" height="{height:.1}""#),
            1,
        );
        self.draw(Role::Figure(alt.to_string()), body);
        self.y += height;
    }

    pub(super) fn footer(&mut self, text: &str) {
        self.footer = Some(text.to_string());
    }

    pub(super) fn finish_all(mut self) -> Vec<LaidPage> {
        let last = std::mem::take(&mut self.blocks);
        let last = self.close(last);
        self.done.push(last);
        self.done
    }
}

/// One line of text.
pub(super) fn text_svg(x: f64, y: f64, line: &str, size: f64, bold: bool, colour: &str) -> String {
    let weight = if bold { "bold" } else { "normal" };
    format!(
        r##"<text x="{x}" y="{y:.1}" font-size="{size}" font-weight="{weight}" fill="{colour}">{}</text>"##,
        esc(line)
    )
}

fn viewbox(svg: &str) -> Option<(f64, f64)> {
    let start = svg.find("viewBox=\"")? + 9;
    let end = start + svg[start..].find('"')?;
    let parts: Vec<f64> = svg[start..end]
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect();
    Some((*parts.get(2)?, *parts.get(3)?))
}

struct Words {
    check_title: &'static str,
    snapshot: &'static str,
    /// Alternative texts of the figures ({name}, {n} and a list of figures filled in).
    chart_alt: &'static str,
    map_alt: &'static str,
    wijk_legend_alt: &'static str,
    strengths: &'static str,
    no_strengths: &'static str,
    growth: &'static str,
    return_code: &'static str,
    cases: &'static str,
    nearby: &'static str,
    strong_in: &'static str,
    source: &'static str,
    municipality_title: &'static str,
    counts: &'static str,
    scores_header: &'static str,
    status_header: &'static str,
    small_group: &'static str,
    part: &'static str,
    here: &'static str,
    all: &'static str,
    map: &'static str,
    initiatives: &'static str,
    initiative: &'static str,
    no_answer: &'static str,
    outside: &'static str,
    wijk: &'static str,
    wijk_unknown: &'static str,
    wijken: &'static str,
    wijk_header: &'static str,
    wijk_legend: &'static str,
    wijk_none: &'static str,
    wijken_without: &'static str,
    wijken_more: &'static str,
    wijk_credit: &'static str,
    no_wijken: &'static str,
    respondents: &'static str,
    on_paper: &'static str,
    to_talk_about: &'static str,
    range: &'static str,
    group_scores: &'static str,
    notes: &'static str,
    good: &'static str,
    better: &'static str,
    previous: &'static str,
    outcome_done: &'static str,
    outcome_partly: &'static str,
    outcome_not: &'static str,
    actions: &'static str,
    by: &'static str,
}

const NL: Words = Words {
    check_title: "Zelfcheck",
    snapshot: "Dit is een momentopname, geen oordeel. Het laat zien waar jullie nu staan en waar kansen liggen.",
    chart_alt: "Staafgrafiek van de scores per strategie, van 0 tot 100: {list}.",
    map_alt: "Kaart van {name} met {n} initiatieven als punten. Vorm en kleur van een punt tonen de zwakste strategie van dat initiatief: {list}. De wijken zijn gekleurd naar het aantal initiatieven. De tabel met alle initiatieven volgt verderop.",
    wijk_legend_alt: "Legenda van de wijkkleuren, naar het aantal initiatieven per wijk: {list}.",
    strengths: "Sterke punten",
    no_strengths: "Nog geen les scoort hoog genoeg om een sterk punt te noemen.",
    growth: "Groeipunten en tips",
    return_code: "Jouw terugkomcode (bewaar dit rapport; hiermee herhaal je de check later):",
    cases: "Leer van deze initiatieven",
    nearby: "dichtbij",
    strong_in: "sterk in",
    source: "Bron van de lessen: Movisie, Wij in de Wijk (2019–2022). Gemaakt met Wijkkompas.",
    municipality_title: "Gemeentelijk overzicht",
    counts: "{i} initiatieven, {c} zelfchecks (cijfers over de laatste check per initiatief)",
    scores_header: "Binden / Overbruggen / Verbinden",
    status_header: "Status",
    small_group: "Minder dan 5 initiatieven: geen gemiddelden, zodat niemands antwoorden te herleiden zijn.",
    part: "Onderdeel",
    here: "Gemeente",
    all: "Alle gegevens",
    map: "Kaart (vorm en kleur: zwakste strategie)",
    initiatives: "Initiatieven",
    initiative: "Initiatief",
    no_answer: "geen antwoord",
    outside: "buiten Nederland",
    wijk: "wijk",
    wijk_unknown: "wijk onbekend (deze versie kent geen wijkgrenzen)",
    wijken: "Wijken (gemiddelde vanaf 5 initiatieven)",
    wijk_header: "Wijk · initiatieven · Binden / Overbruggen / Verbinden",
    wijk_legend: "Wijken naar aantal initiatieven:",
    wijk_none: "geen",
    wijken_without: "Zonder initiatief ({n}):",
    wijken_more: "en nog {n} wijken met initiatieven; zie de app of de CSV-export",
    wijk_credit: "Wijkgrenzen: Kadaster / CBS, 2024.",
    no_wijken: "Deze versie van Wijkkompas kent geen wijkgrenzen: geen cijfers per wijk.",
    respondents: "{n} deelnemers",
    on_paper: "op papier ingevuld",
    to_talk_about: "Om over te praten",
    range: "deelnemers geven {min} tot {max}",
    group_scores: "Groepsscore per les (laagste – hoogste score van een deelnemer)",
    notes: "Wat gaat goed, wat kan beter",
    good: "Gaat goed:",
    better: "Kan beter:",
    previous: "Vorige keer spraken jullie af",
    outcome_done: "gedaan",
    outcome_partly: "deels gedaan",
    outcome_not: "(nog) niet gedaan",
    actions: "Afspraken",
    by: "vóór",
};

const EN: Words = Words {
    check_title: "Self-check",
    snapshot: "This is a snapshot, not a judgement. It shows where you stand now and where the opportunities are.",
    chart_alt: "Bar chart of the scores per strategy, from 0 to 100: {list}.",
    map_alt: "Map of {name} with {n} initiatives as points. The shape and colour of a point show that initiative's weakest strategy: {list}. The wijken are coloured by their number of initiatives. The table of all initiatives follows below.",
    wijk_legend_alt: "Legend of the wijk colours, by the number of initiatives per wijk: {list}.",
    strengths: "Strengths",
    no_strengths: "No lesson scores high enough yet to call it a strength.",
    growth: "Growth points and tips",
    return_code: "Your return code (keep this report; with it you can repeat the check later):",
    cases: "Learn from these initiatives",
    nearby: "nearby",
    strong_in: "strong in",
    source: "Source of the lessons: Movisie, Wij in de Wijk (2019–2022). Made with Wijkkompas.",
    municipality_title: "Municipal overview",
    counts: "{i} initiatives, {c} self-checks (figures over each initiative's latest check)",
    scores_header: "Bonding / Bridging / Linking",
    status_header: "Status",
    small_group: "Fewer than 5 initiatives: no averages, so that nobody's answers can be traced.",
    part: "Part",
    here: "Municipality",
    all: "All data",
    map: "Map (shape and colour: weakest strategy)",
    initiatives: "Initiatives",
    initiative: "Initiative",
    no_answer: "no answer",
    outside: "outside the Netherlands",
    wijk: "wijk (district)",
    wijk_unknown: "wijk not known (this build has no wijk boundaries)",
    wijken: "Wijken (districts; averages from 5 initiatives)",
    wijk_header: "Wijk · initiatives · Bonding / Bridging / Linking",
    wijk_legend: "Wijken by number of initiatives:",
    wijk_none: "none",
    wijken_without: "Without an initiative ({n}):",
    wijken_more: "and {n} more wijken with initiatives; see the app or the CSV export",
    wijk_credit: "Wijk boundaries: Kadaster / CBS, 2024.",
    no_wijken: "This build of Wijkkompas has no wijk boundaries: no figures per wijk.",
    respondents: "{n} members",
    on_paper: "answered on paper",
    to_talk_about: "To talk about",
    range: "members give {min} to {max}",
    group_scores: "Group score per lesson (lowest – highest score of a member)",
    notes: "What goes well, what could be better",
    good: "Goes well:",
    better: "Could be better:",
    previous: "Last time you agreed",
    outcome_done: "done",
    outcome_partly: "partly done",
    outcome_not: "not (yet) done",
    actions: "Agreements",
    by: "by",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

fn number(v: Option<f64>, lang: Lang) -> String {
    match v {
        Some(v) if lang == Lang::Nl => format!("{v:.1}").replace('.', ","),
        Some(v) => format!("{v:.1}"),
        None => "–".into(),
    }
}

fn strategy_name(s: Strategy, lang: Lang) -> &'static str {
    catalog()
        .strategies
        .iter()
        .find(|i| i.id == s)
        .map(|i| i.name.get(lang))
        .unwrap_or(s.as_str())
}

/// The report of a self-check as A4 SVG pages: one page, more when the group wrote much.
pub(crate) fn check_report_pages(r: &CheckResult, lang: Lang) -> Vec<LaidPage> {
    let w = words(lang);
    let cat = catalog();
    let title = |id: &str| {
        cat.lesson(id)
            .map(|l| l.title.get(lang).to_string())
            .unwrap_or_else(|| id.to_string())
    };
    let score = |id: &str| r.lessons.iter().find(|l| l.id == id).and_then(|l| l.score);
    let mut p = Page::new();
    p.footer(w.source); // on every page
    p.text(
        &format!("Wijkkompas · {}", w.check_title),
        10.0,
        false,
        "#4a4a4a",
    );
    p.title(1, &r.initiative_name, 20.0, "#154273");
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
    p.text(&about, 9.5, false, "#4a4a4a");
    if let Some(code) = &r.return_code {
        p.gap(4.0);
        p.text(&format!("{} {code}", w.return_code), 10.5, true, "#1a1a1a");
    }
    p.gap(4.0);
    p.text(w.snapshot, 10.0, false, "#1a1a1a");
    p.gap(8.0);
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
    p.embed(
        &result_svg(r, lang),
        W - 2.0 * MARGIN,
        &w.chart_alt.replace("{list}", &figures.join("; ")),
    );
    let range = |id: &str| r.spread.lessons.iter().find(|l| l.id == id);
    if !r.disagreement.is_empty() {
        p.heading(w.to_talk_about);
        for id in &r.disagreement {
            let Some(l) = range(id) else { continue };
            p.bullet(
                &format!(
                    "{}: {}",
                    title(id),
                    w.range
                        .replace("{min}", &number(l.min, lang))
                        .replace("{max}", &number(l.max, lang))
                ),
                9.5,
            );
        }
    }
    if r.respondents > 1 {
        p.heading(w.group_scores);
        for l in &r.lessons {
            let Some(sp) = range(&l.id) else { continue };
            p.bullet(
                &format!(
                    "{}: {} ({} – {})",
                    title(&l.id),
                    number(l.score, lang),
                    number(sp.min, lang),
                    number(sp.max, lang)
                ),
                9.0,
            );
        }
    }
    p.heading(w.strengths);
    if r.strengths.is_empty() {
        p.bullet(w.no_strengths, 9.5);
    }
    for id in &r.strengths {
        p.bullet(&format!("{} ({})", title(id), number(score(id), lang)), 9.5);
    }
    if !r.advice.is_empty() {
        p.heading(w.growth);
    }
    for a in &r.advice {
        p.bullet(
            &format!(
                "{} ({}): {}",
                title(&a.lesson),
                number(score(&a.lesson), lang),
                a.tip
            ),
            9.5,
        );
    }
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
    p.finish_all()
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

/// The fills of the wijk map's classes: none, then the count classes from light to dark (the
/// app's map uses the same scale).
const WIJK_FILLS: [&str; 5] = ["#ffffff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];

/// The wijk map's legend and the table per wijk (those with initiatives, most first, as many as
/// fit), then the wijken without an initiative, drawn from `p.y` on.
fn wijk_section(p: &mut Page, o: &MunicipalityOverview, lang: Lang, rows_max: usize) {
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
    // Legend: a swatch per class with its range; a figure with its words for a reader.
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
    let named: Vec<String> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            format!(
                "{} {l}",
                if lang == Lang::Nl {
                    shades[i.min(5)]
                } else {
                    shades_en[i.min(5)]
                }
            )
        })
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
    // The table, in two columns.
    p.y += 4.0;
    p.title(2, w.wijken, 10.5, "#154273");
    p.y += 11.0;
    let yy = p.y;
    let col_w = (W - 2.0 * MARGIN) / 2.0;
    let mut with: Vec<&crate::municipality::stats::WijkFigures> =
        table.wijken.iter().filter(|f| f.initiatives > 0).collect();
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
        let means: Vec<String> = Strategy::ALL
            .iter()
            .map(|s| number(f.strategies.get(s.as_str()).and_then(|m| m.mean), lang))
            .collect();
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
                means.join(" / ")
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
    p.y += 6.0;
}

/// An SVG path of polygons (holes by the even-odd rule), projected onto the page.
fn path_of(shape: &MultiPolygon<f64>, project: &impl Fn(f64, f64) -> (f64, f64)) -> String {
    let mut d = String::new();
    for poly in &shape.0 {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            for (i, c) in ring.coords().enumerate() {
                let (px, py) = project(c.x, c.y);
                let _ = write!(d, "{}{px:.1},{py:.1} ", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
    }
    d
}

/// A vector map of a municipality's outline with its initiatives, as an SVG fragment in a box.
fn area_map(o: &MunicipalityOverview, x: f64, y: f64, width: f64, height: f64) -> String {
    let outline: Option<&MultiPolygon<f64>> = geography().outline(&o.municipality.code);
    let mut points: Vec<(f64, f64)> = o
        .rows
        .iter()
        .map(|r| (r.initiative.lon, r.initiative.lat))
        .collect();
    if let Some(rect) = outline.and_then(|m| m.bounding_rect()) {
        points.push(rect.min().x_y());
        points.push(rect.max().x_y());
    }
    if points.is_empty() {
        return String::new();
    }
    let (min_x, max_x) = points
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (min_y, max_y) = points
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let k = ((min_y + max_y) / 2.0).to_radians().cos(); // longitude degrees are shorter here
    let span_x = ((max_x - min_x) * k).max(0.01);
    let span_y = (max_y - min_y).max(0.01);
    let scale = (width / span_x).min(height / span_y) * 0.92;
    let ox = x + (width - span_x * scale) / 2.0;
    let oy = y + (height - span_y * scale) / 2.0;
    let project = |lon: f64, lat: f64| (ox + (lon - min_x) * k * scale, oy + (max_y - lat) * scale);
    let mut svg = format!(
        r##"<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="#dbe8f1" stroke="#b4b4b4"/>"##
    );
    if let Some(mp) = outline {
        let _ = write!(
            svg,
            r##"<path d="{}" fill="#f3f1ea" stroke="#1a1a1a" stroke-width="1.2" fill-rule="evenodd"/>"##,
            path_of(mp, &project)
        );
    }
    // The wijken, filled by their number of initiatives (the legend and table below say the values).
    for (area, municipality, _, shape) in geography().wijk_outlines() {
        if municipality != o.municipality.code {
            continue;
        }
        let initiatives = o
            .wijken
            .wijken
            .iter()
            .find(|f| f.wijk.code == area.code)
            .map_or(0, |f| f.initiatives);
        let _ = write!(
            svg,
            r##"<path d="{}" fill="{}" stroke="#1a1a1a" stroke-width="0.5" fill-rule="evenodd"/>"##,
            path_of(shape, &project),
            WIJK_FILLS[o.wijken.count_class(initiatives)]
        );
    }
    for r in &o.rows {
        let (px, py) = project(r.initiative.lon, r.initiative.lat);
        let _ = write!(
            svg,
            r##"{} fill="{}" stroke="#ffffff" stroke-width="1"/>"##,
            marker(r.weakest_strategy, px, py),
            marker_colour(r.weakest_strategy)
        );
    }
    svg
}

/// An initiative's marker on the municipal map: its weakest strategy's shape (colour is never
/// alone), without its closing attributes.
fn marker(weakest: Option<Strategy>, px: f64, py: f64) -> String {
    match weakest {
        Some(Strategy::Bonding) => format!(r#"<circle cx="{px:.1}" cy="{py:.1}" r="4.5""#),
        Some(Strategy::Bridging) => format!(
            r#"<rect x="{:.1}" y="{:.1}" width="8.5" height="8.5""#,
            px - 4.25,
            py - 4.25
        ),
        Some(Strategy::Linking) => format!(
            r#"<path d="M{px:.1},{:.1} L{:.1},{py:.1} L{px:.1},{:.1} L{:.1},{py:.1} Z""#,
            py - 5.5,
            px + 5.5,
            py + 5.5,
            px - 5.5
        ),
        None => format!(
            r#"<path d="M{px:.1},{:.1} L{:.1},{:.1} L{:.1},{:.1} Z""#,
            py - 5.0,
            px + 5.0,
            py + 4.0,
            px - 5.0,
            py + 4.0
        ),
    }
}

fn marker_colour(weakest: Option<Strategy>) -> &'static str {
    weakest.map_or("#535353", chart::colour)
}

/// The municipal report as A4 pages: the figures, the map and the wijken first, then every
/// initiative.
pub(crate) fn municipality_report_pages(o: &MunicipalityOverview, lang: Lang) -> Vec<LaidPage> {
    let w = words(lang);
    let cat = catalog();
    let mut p = Page::new();
    p.footer(w.source); // on every page
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
    // Aggregates (left) and map (right), side by side; the aggregates are a table.
    let top = p.y + 10.0;
    let col = [MARGIN, MARGIN + 166.0, MARGIN + 234.0];
    let mut y = top + 10.0;
    let aggregates = p.group();
    let mut row = 0;
    let cells = |p: &mut Page,
                 y: f64,
                 row: usize,
                 texts: [(String, f64, bool, f64); 3],
                 header_row: bool| {
        for (c, (text, size, bold, dx)) in texts.into_iter().enumerate() {
            let weight = if bold { "bold" } else { "normal" };
            let svg = format!(
                r##"<text x="{}" y="{y}" font-size="{size}" font-weight="{weight}">{}</text>"##,
                col[c] + dx,
                esc(&text)
            );
            p.draw(
                Role::Cell {
                    table: aggregates,
                    row,
                    header: header_row || c == 0,
                    row_header: !header_row && c == 0,
                },
                svg,
            );
        }
    };
    cells(
        &mut p,
        y,
        row,
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
        cells(
            &mut p,
            y,
            row,
            [
                (strategy_name(s, lang).to_string(), 8.0, true, 0.0),
                (cell(o.stats.strategies.get(s.as_str())), 8.5, false, 0.0),
                (cell(o.national.strategies.get(s.as_str())), 8.5, false, 0.0),
            ],
            false,
        );
        for l in cat.lessons.iter().filter(|l| l.strategy == s) {
            y += 11.0;
            row += 1;
            let title = ellipsize(l.title.get(lang), 30);
            cells(
                &mut p,
                y,
                row,
                [
                    (format!("{}. {title}", l.number), 7.5, false, 6.0),
                    (cell(o.stats.lessons.get(&l.id)), 7.5, false, 0.0),
                    (cell(o.national.lessons.get(&l.id)), 7.5, false, 0.0),
                ],
                false,
            );
        }
    }
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
    let alt = w
        .map_alt
        .replace("{name}", &o.municipality.name)
        .replace("{n}", &o.rows.len().to_string())
        .replace("{list}", &legend.join("; "));
    p.draw(Role::Figure(alt), figure);
    p.y = (y).max(top + 16.0 + 220.0 + 10.0 + 3.0 * 10.0 + 4.0) + 6.0; // below the map and its legend
    wijk_section(&mut p, o, lang, 6);
    p.heading(w.initiatives);
    // The table runs over as many pages as it needs, its header on each (read once: later
    // copies are decoration).
    let (score_x, status_x) = (MARGIN + 240.0, MARGIN + 400.0);
    let initiatives = p.group();
    let header = |p: &mut Page, first: bool| {
        p.y += 11.0;
        for (x, text) in [
            (MARGIN, w.initiative),
            (score_x, w.scores_header),
            (status_x, w.status_header),
        ] {
            let svg = format!(
                r##"<text x="{x}" y="{:.1}" font-size="8" font-weight="bold">{}</text>"##,
                p.y,
                esc(text)
            );
            let role = if first {
                Role::Cell {
                    table: initiatives,
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
    };
    header(&mut p, true);
    for (n, r) in o.rows.iter().enumerate() {
        let lines = wrap(&r.initiative.name, 8.5, score_x - MARGIN - 10.0);
        let height = lines.len() as f64 * 10.5 + 1.5;
        if p.y + height > BOTTOM {
            p.new_page();
            header(&mut p, false);
        }
        let row = n + 1;
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
            table: initiatives,
            row,
            header,
            row_header: header,
        };
        p.draw(cell(true), name);
        p.draw(
            cell(false),
            format!(
                r##"<text x="{score_x}" y="{first:.1}" font-size="8.5">{}</text>"##,
                scores.join("  /  ")
            ),
        );
        p.draw(
            cell(false),
            format!(
                r##"<text x="{status_x}" y="{first:.1}" font-size="8.5">{}</text>"##,
                status_name(r.status, lang)
            ),
        );
        p.y += height;
    }
    p.finish_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_word_within_the_width() {
        let text = "een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien";
        let lines = wrap(text, 10.0, 100.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), text);
        assert!(lines.iter().all(|l| l.chars().count() <= 17));
        // A word longer than a line is broken over lines, whole.
        let long = "Wijkontmoetingscentrumvrijwilligersondersteuningsproject";
        let lines = wrap(long, 10.0, 100.0);
        assert!(lines.len() > 1 && lines.iter().all(|l| l.chars().count() <= 17));
        assert_eq!(lines.concat(), long);
    }

    /// What the fonts lack is drawn as a square wider than the average letter the wrapping
    /// counted with: a Chinese name ran a third past its column, into the scores beside it.
    #[test]
    fn a_line_of_stand_ins_stays_within_its_width() {
        for text in [
            "社区花园".repeat(20),
            "🌻 ".repeat(40),
            "Buurttuin 社区花园 ".repeat(6),
            "Taalcafé Zuilen, één ïdee ".repeat(6),
        ] {
            for line in wrap(&text, 10.0, 200.0) {
                let width = pdf::drawn_width(&text_svg(0.0, 20.0, &line, 10.0, false, "#000"));
                assert!(width <= 200.0, "{width} points: {line}");
            }
        }
    }

    #[test]
    fn a_title_that_does_not_fit_ends_in_an_ellipsis_at_a_word() {
        assert_eq!(
            ellipsize("Een eigen kring als basis", 30),
            "Een eigen kring als basis"
        );
        assert_eq!(
            ellipsize("Ontmoetingsplekken waar groepen elkaar tegenkomen", 30),
            "Ontmoetingsplekken waar…"
        );
    }

    #[test]
    fn laid_out_pages_become_a_tagged_pdf_with_embedded_fonts() {
        let mut p = Page::new();
        p.title(1, "Zelfcheck — één test", 16.0, "#000");
        p.text("Een alinea.", 12.0, false, "#000");
        p.bullet("Een punt", 10.0);
        let pdf = pages_to_pdf(&p.finish_all(), "Test", Lang::Nl).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/FontFile2"), "the font is embedded");
        assert!(text.contains("DejaVuSans"));
        assert!(
            text.contains("/StructTreeRoot") && text.contains("/MarkInfo"),
            "tagged"
        );
    }

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
