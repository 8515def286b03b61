/*! PDF reports, made in Rust: a one-page A4 report of a self-check for the resident, and a
municipal report. Each page is composed here as an A4 SVG (so the result chart is the very SVG
the app shows) and converted with svg2pdf, which embeds subsets of the bundled DejaVu fonts:
the PDF looks the same on every machine and needs no webview. */
use std::fmt::Write;
use std::sync::{Arc, OnceLock};

use ::geo::{BoundingRect, MultiPolygon};
use svg2pdf::usvg;
use thiserror::Error;

use crate::catalog::{catalog, Lang, Strategy};
use crate::chart::{self, result_svg};
use crate::geo::geography;
use crate::selfcheck::CheckResult;
use crate::area::MunicipalityOverview;
use crate::stats::Summary;

pub(super) const W: f64 = 595.0; // A4 in points
pub(super) const H: f64 = 842.0;
pub(super) const MARGIN: f64 = 48.0;
const FONT: &str = "DejaVu Sans";

#[derive(Debug, Error)]
pub enum ReportError {
    #[error("the report could not be laid out: {0}")]
    Svg(String),
    #[error("the report could not be converted to PDF: {0}")]
    Pdf(String),
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
    pub fn from_choice(check_id: Option<&str>, municipality: Option<&str>) -> Result<ReportSubject, ReportError> {
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

fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(include_bytes!("../../data/fonts/DejaVuSans.ttf").to_vec());
        db.load_font_data(include_bytes!("../../data/fonts/DejaVuSans-Bold.ttf").to_vec());
        Arc::new(db)
    })
    .clone()
}

/// Converts one A4 SVG page to a PDF with the bundled fonts embedded.
pub fn svg_to_pdf(svg: &str) -> Result<Vec<u8>, ReportError> {
    let options = usvg::Options { fontdb: fonts(), font_family: FONT.into(), ..Default::default() };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| ReportError::Svg(e.to_string()))?;
    svg2pdf::to_pdf(&tree, svg2pdf::ConversionOptions::default(), svg2pdf::PageOptions::default()).map_err(|e| ReportError::Pdf(format!("{e:?}")))
}

/// Converts A4 SVG pages to one PDF, with a title and a language in the document's metadata
/// (so that a reader announces them). Each page is a form XObject made by svg2pdf.
pub fn pages_to_pdf(pages: &[String], title: &str, lang: Lang) -> Result<Vec<u8>, ReportError> {
    use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, TextStr};
    let options = usvg::Options { fontdb: fonts(), font_family: FONT.into(), ..Default::default() };
    let mut alloc = Ref::new(1);
    let (catalog_id, tree_id, info_id) = (alloc.bump(), alloc.bump(), alloc.bump());
    let mut pdf = Pdf::new();
    let mut page_ids = Vec::new();
    for svg in pages {
        let tree = usvg::Tree::from_str(svg, &options).map_err(|e| ReportError::Svg(e.to_string()))?;
        let (chunk, root) = svg2pdf::to_chunk(&tree, svg2pdf::ConversionOptions::default()).map_err(|e| ReportError::Pdf(format!("{e:?}")))?;
        let mut map = std::collections::HashMap::new();
        let chunk = chunk.renumber(|old| *map.entry(old).or_insert_with(|| alloc.bump()));
        let svg_id = map[&root];
        let (page_id, content_id) = (alloc.bump(), alloc.bump());
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, W as f32, H as f32));
        page.parent(tree_id);
        page.contents(content_id);
        page.resources().x_objects().pair(Name(b"P"), svg_id);
        page.finish();
        let mut content = Content::new();
        content.transform([W as f32, 0.0, 0.0, H as f32, 0.0, 0.0]).x_object(Name(b"P"));
        pdf.stream(content_id, &content.finish());
        pdf.extend(&chunk);
        page_ids.push(page_id);
    }
    pdf.catalog(catalog_id).pages(tree_id).lang(TextStr(lang_tag(lang)));
    pdf.pages(tree_id).kids(page_ids.iter().copied()).count(page_ids.len() as i32);
    pdf.document_info(info_id).title(TextStr(title)).creator(TextStr("Wijkkompas"));
    Ok(pdf.finish())
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
    let at_word = cut.rfind(' ').filter(|i| *i > max / 2).map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end_matches([',', ':', ';']))
}

pub(super) fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Greedy word wrap by an average glyph width (DejaVu Sans is about 0.58 em wide on average).
pub(super) fn wrap(text: &str, size: f64, width: f64) -> Vec<String> {
    let max = ((width / (size * 0.58)) as usize).max(10);
    let mut lines = Vec::new();
    let mut line = String::new();
    // A word longer than a line (a long one-word name) is broken over lines, never clipped.
    let pieces = text.split_whitespace().flat_map(|word| {
        let chars: Vec<char> = word.chars().collect();
        chars.chunks(max).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>()
    });
    for word in pieces {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Pages being laid out from top to bottom: what does not fit goes on to a new page.
pub(super) struct Page {
    pub(super) svg: String,
    pub(super) y: f64,
    /// The pages already full.
    done: Vec<String>,
    /// Written at the foot of every page.
    footer: Option<String>,
}

/// Where the text of a page ends (room for the footer below).
const BOTTOM: f64 = H - 44.0;

fn page_start() -> String {
    format!(r##"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="{FONT}"><rect width="{W}" height="{H}" fill="#ffffff"/>"##)
}

impl Page {
    pub(super) fn new() -> Page {
        Page { svg: page_start(), y: MARGIN, done: Vec::new(), footer: None }
    }

    /// Starts a new page unless `h` more points fit on this one.
    pub(super) fn room(&mut self, h: f64) {
        if self.y + h > BOTTOM {
            self.new_page();
        }
    }

    pub(super) fn new_page(&mut self) {
        let full = std::mem::replace(&mut self.svg, page_start());
        self.done.push(self.close(full));
        self.y = MARGIN;
    }

    pub(super) fn close(&self, mut svg: String) -> String {
        if let Some(f) = &self.footer {
            let _ = write!(svg, r##"<text x="{MARGIN}" y="{}" font-size="8" fill="#4a4a4a">{}</text>"##, H - 24.0, esc(f));
        }
        svg.push_str("</svg>");
        svg
    }

    pub(super) fn text(&mut self, text: &str, size: f64, bold: bool, colour: &str) {
        self.text_at(MARGIN, text, size, bold, colour);
    }

    pub(super) fn text_at(&mut self, x: f64, text: &str, size: f64, bold: bool, colour: &str) {
        for line in wrap(text, size, W - MARGIN - x) {
            self.room(size * 1.25);
            self.y += size * 1.25;
            let weight = if bold { "bold" } else { "normal" };
            let _ = write!(self.svg, r##"<text x="{x}" y="{:.1}" font-size="{size}" font-weight="{weight}" fill="{colour}">{}</text>"##, self.y, esc(&line));
        }
    }

    pub(super) fn gap(&mut self, h: f64) {
        self.y += h;
    }

    pub(super) fn heading(&mut self, text: &str) {
        // A heading never ends a page: it keeps a few lines of what it heads with it.
        self.room(60.0);
        self.gap(8.0);
        self.text(text, 13.0, true, "#154273");
        self.gap(2.0);
    }

    pub(super) fn bullet(&mut self, text: &str, size: f64) {
        let lines = wrap(text, size, W - 2.0 * MARGIN - 14.0);
        for (i, line) in lines.iter().enumerate() {
            self.room(size * 1.3);
            self.y += size * 1.3;
            if i == 0 {
                let _ = write!(self.svg, r##"<text x="{MARGIN}" y="{:.1}" font-size="{size}" fill="#1a1a1a">•</text>"##, self.y);
            }
            let _ = write!(self.svg, r##"<text x="{}" y="{:.1}" font-size="{size}" fill="#1a1a1a">{}</text>"##, MARGIN + 14.0, self.y, esc(line));
        }
    }

    /// Writing lines: room to write by hand.
    pub(super) fn lines(&mut self, n: usize) {
        for _ in 0..n {
            self.room(20.0);
            self.y += 20.0;
            let _ = write!(self.svg, r##"<line x1="{MARGIN}" y1="{:.1}" x2="{}" y2="{:.1}" stroke="#9a9a9a" stroke-width="0.6"/>"##, self.y, W - MARGIN, self.y);
        }
    }

    /// Places another SVG (the result chart) scaled into the page's width.
    pub(super) fn embed(&mut self, inner: &str, width: f64) {
        let (vw, vh) = viewbox(inner).unwrap_or((width, width / 2.0));
        let height = width * vh / vw;
        self.room(height);
        let body = inner.replacen("<svg ", &format!(r#"<svg x="{MARGIN}" y="{:.1}" "#, self.y), 1);
        let body = body.replacen(&format!(r#"width="{vw}" height="{vh}""#), &format!(r#"width="{width:.1}" height="{height:.1}""#), 1);
        self.svg.push_str(&body);
        self.y += height;
    }

    pub(super) fn footer(&mut self, text: &str) {
        self.footer = Some(text.to_string());
    }

    pub(super) fn finish_all(mut self) -> Vec<String> {
        let last = std::mem::take(&mut self.svg);
        let last = self.close(last);
        self.done.push(last);
        self.done
    }
}

fn viewbox(svg: &str) -> Option<(f64, f64)> {
    let start = svg.find("viewBox=\"")? + 9;
    let end = start + svg[start..].find('"')?;
    let parts: Vec<f64> = svg[start..end].split_whitespace().filter_map(|p| p.parse().ok()).collect();
    Some((*parts.get(2)?, *parts.get(3)?))
}

struct Words {
    check_title: &'static str,
    snapshot: &'static str,
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
    catalog().strategies.iter().find(|i| i.id == s).map(|i| i.name.get(lang)).unwrap_or(s.as_str())
}

/// The report of a self-check as A4 SVG pages: one page, more when the group wrote much.
pub fn check_report_pages(r: &CheckResult, lang: Lang) -> Vec<String> {
    let w = words(lang);
    let cat = catalog();
    let title = |id: &str| cat.lesson(id).map(|l| l.title.get(lang).to_string()).unwrap_or_else(|| id.to_string());
    let score = |id: &str| r.lessons.iter().find(|l| l.id == id).and_then(|l| l.score);
    let mut p = Page::new();
    p.footer(w.source); // on every page
    p.text(&format!("Wijkkompas · {}", w.check_title), 10.0, false, "#4a4a4a");
    p.text(&r.initiative_name, 20.0, true, "#154273");
    let wijk = match (&r.wijk, &r.municipality) {
        (Some(wijk), _) => format!("{} {}, ", w.wijk, wijk.name),
        (None, Some(_)) if !geography().has_wijken() => format!("{}, ", w.wijk_unknown),
        _ => String::new(),
    };
    let place = r.municipality.as_ref().map_or(w.outside.to_string(), |m| format!("{wijk}{}, {}", m.name, r.province.as_ref().map_or("", |p| p.name.as_str())));
    let mut about = format!("{place} · {} · {}", r.created_at.get(..10).unwrap_or(&r.created_at), r.role.name(lang));
    if r.respondents > 1 {
        about.push_str(&format!(" · {}", w.respondents.replace("{n}", &r.respondents.to_string())));
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
    p.embed(&result_svg(r, lang), W - 2.0 * MARGIN);
    let range = |id: &str| r.spread.lessons.iter().find(|l| l.id == id);
    if !r.disagreement.is_empty() {
        p.heading(w.to_talk_about);
        for id in &r.disagreement {
            let Some(l) = range(id) else { continue };
            p.bullet(&format!("{}: {}", title(id), w.range.replace("{min}", &number(l.min, lang)).replace("{max}", &number(l.max, lang))), 9.5);
        }
    }
    if r.respondents > 1 {
        p.heading(w.group_scores);
        for l in &r.lessons {
            let Some(sp) = range(&l.id) else { continue };
            p.bullet(&format!("{}: {} ({} – {})", title(&l.id), number(l.score, lang), number(sp.min, lang), number(sp.max, lang)), 9.0);
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
        p.bullet(&format!("{} ({}): {}", title(&a.lesson), number(score(&a.lesson), lang), a.tip), 9.5);
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
                crate::conversation::Outcome::Done => w.outcome_done,
                crate::conversation::Outcome::Partly => w.outcome_partly,
                crate::conversation::Outcome::Not => w.outcome_not,
            };
            let note = a.note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
            p.bullet(&format!("{}: {outcome}{note}", a.action.text), 9.5);
        }
    }
    if !r.actions.is_empty() {
        p.heading(w.actions);
        for a in &r.actions {
            let who = a.who.as_deref().map(|who| format!(" — {who}")).unwrap_or_default();
            p.bullet(&format!("{}{who} — {} {} ({})", a.text, w.by, a.due, title(&a.lesson)), 9.5);
        }
    }
    if !r.similar_cases.is_empty() {
        p.heading(w.cases);
        for s in &r.similar_cases {
            let Some(c) = cat.case(&s.id) else { continue };
            let place = c.municipality.as_ref().map_or("online", |m| m.name.as_str());
            let name = c.label.get(lang);
            let reason = match s.reason {
                crate::assess::SimilarReason::Nearby => format!("{}, {} km", w.nearby, s.distance_km.map_or(0.0, f64::round)),
                crate::assess::SimilarReason::Strategy => format!("{} {}", w.strong_in, r.weakest_strategy.map_or("", |st| strategy_name(st, lang))),
            };
            // An unnamed case's label already names its place ("Initiatief in Overvecht (Utrecht)").
            let name = if c.name.is_some() { format!("{name} ({place})") } else { name.to_string() };
            p.bullet(&format!("{name} — {reason}"), 9.0);
        }
    }
    p.finish_all()
}

/// The report of a self-check as a PDF.
pub fn check_report_pdf(r: &CheckResult, lang: Lang) -> Result<Vec<u8>, ReportError> {
    pages_to_pdf(&check_report_pages(r, lang), &format!("Wijkkompas · {} · {}", words(lang).check_title, r.initiative_name), lang)
}

/// The municipal report as a PDF.
pub fn municipality_report_pdf(o: &MunicipalityOverview, lang: Lang) -> Result<Vec<u8>, ReportError> {
    pages_to_pdf(&municipality_report_pages(o, lang), &format!("Wijkkompas · {} · {}", words(lang).municipality_title, o.municipality.name), lang)
}

fn status_name(s: crate::review::ReviewStatus, lang: Lang) -> &'static str {
    use crate::review::ReviewStatus::*;
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
/// fit), then the wijken without an initiative; returns the SVG and the height it takes.
fn wijk_section(o: &MunicipalityOverview, lang: Lang, x: f64, y: f64, rows_max: usize) -> (String, f64) {
    let w = words(lang);
    let table = &o.wijken;
    let mut svg = String::new();
    let mut yy = y;
    if !table.known {
        yy += 11.0;
        let _ = write!(svg, r##"<text x="{x}" y="{yy:.1}" font-size="8.5" fill="#8a4b00">{}</text>"##, esc(w.no_wijken));
        return (svg, yy - y + 4.0);
    }
    if table.wijken.is_empty() {
        return (svg, 0.0);
    }
    // Legend: a swatch per class with its range.
    yy += 11.0;
    let _ = write!(svg, r##"<text x="{x}" y="{yy:.1}" font-size="8" font-weight="bold">{}</text>"##, esc(w.wijk_legend));
    let mut lx = x + 150.0;
    let labels = std::iter::once(w.wijk_none.to_string()).chain(table.count_classes.iter().map(|r| if r.from == r.to { format!("{}", r.from) } else { format!("{}–{}", r.from, r.to) }));
    for (i, label) in labels.enumerate() {
        let _ = write!(svg, r##"<rect x="{lx:.1}" y="{:.1}" width="9" height="9" fill="{}" stroke="#1a1a1a" stroke-width="0.6"/><text x="{:.1}" y="{yy:.1}" font-size="8">{}</text>"##, yy - 8.0, WIJK_FILLS[i], lx + 12.0, esc(&label));
        lx += 20.0 + label.chars().count() as f64 * 4.6;
    }
    let _ = write!(svg, r##"<text x="{:.1}" y="{yy:.1}" font-size="7" fill="#4a4a4a">{}</text>"##, W - MARGIN - 150.0, esc(w.wijk_credit));
    // The table, in two columns.
    yy += 15.0;
    let _ = write!(svg, r##"<text x="{x}" y="{yy:.1}" font-size="10.5" font-weight="bold" fill="#154273">{}</text>"##, esc(w.wijken));
    yy += 11.0;
    let col_w = (W - 2.0 * MARGIN) / 2.0;
    let mut with: Vec<&crate::stats::WijkFigures> = table.wijken.iter().filter(|f| f.initiatives > 0).collect();
    with.sort_by(|a, b| b.initiatives.cmp(&a.initiatives).then(a.wijk.name.cmp(&b.wijk.name)));
    let per_column = rows_max.max(1);
    let columns = if with.len() > per_column { 2 } else { 1 };
    for c in 0..columns {
        let _ = write!(svg, r##"<text x="{:.1}" y="{yy:.1}" font-size="7.5" font-weight="bold">{}</text>"##, x + c as f64 * col_w, esc(w.wijk_header));
    }
    let shown = with.len().min(per_column * 2);
    for (i, f) in with.iter().take(shown).enumerate() {
        let (cx, row) = (x + (i / per_column) as f64 * col_w, (i % per_column) as f64);
        let means: Vec<String> = Strategy::ALL.iter().map(|s| number(f.strategies.get(s.as_str()).and_then(|m| m.mean), lang)).collect();
        let name: String = f.wijk.name.chars().take(26).collect();
        let name = if name.chars().count() < f.wijk.name.chars().count() { format!("{name}…") } else { name };
        let _ = write!(svg, r##"<text x="{cx:.1}" y="{:.1}" font-size="7.5">{} · {} · {}</text>"##, yy + 10.0 * (row + 1.0), esc(&name), f.initiatives, means.join(" / "));
    }
    yy += 10.0 * shown.min(per_column) as f64;
    if shown < with.len() {
        yy += 10.0;
        let _ = write!(svg, r##"<text x="{x}" y="{yy:.1}" font-size="7.5" fill="#4a4a4a">{}</text>"##, esc(&w.wijken_more.replace("{n}", &(with.len() - shown).to_string())));
    }
    let without: Vec<&str> = table.without_initiatives().map(|w| w.name.as_str()).collect();
    if !without.is_empty() {
        let text = format!("{} {}", w.wijken_without.replace("{n}", &without.len().to_string()), without.join(", "));
        for line in wrap(&text, 7.5, W - 2.0 * MARGIN).into_iter().take(2) {
            yy += 10.0;
            let _ = write!(svg, r##"<text x="{x}" y="{yy:.1}" font-size="7.5">{}</text>"##, esc(&line));
        }
    }
    (svg, yy - y + 6.0)
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
    let mut points: Vec<(f64, f64)> = o.rows.iter().map(|r| (r.initiative.lon, r.initiative.lat)).collect();
    if let Some(rect) = outline.and_then(|m| m.bounding_rect()) {
        points.push(rect.min().x_y());
        points.push(rect.max().x_y());
    }
    if points.is_empty() {
        return String::new();
    }
    let (min_x, max_x) = points.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (min_y, max_y) = points.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let k = ((min_y + max_y) / 2.0).to_radians().cos(); // longitude degrees are shorter here
    let span_x = ((max_x - min_x) * k).max(0.01);
    let span_y = (max_y - min_y).max(0.01);
    let scale = (width / span_x).min(height / span_y) * 0.92;
    let ox = x + (width - span_x * scale) / 2.0;
    let oy = y + (height - span_y * scale) / 2.0;
    let project = |lon: f64, lat: f64| (ox + (lon - min_x) * k * scale, oy + (max_y - lat) * scale);
    let mut svg = format!(r##"<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="#dbe8f1" stroke="#b4b4b4"/>"##);
    if let Some(mp) = outline {
        let _ = write!(svg, r##"<path d="{}" fill="#f3f1ea" stroke="#1a1a1a" stroke-width="1.2" fill-rule="evenodd"/>"##, path_of(mp, &project));
    }
    // The wijken, filled by their number of initiatives (the legend and table below say the values).
    for (area, municipality, _, shape) in geography().wijk_outlines() {
        if municipality != o.municipality.code {
            continue;
        }
        let initiatives = o.wijken.wijken.iter().find(|f| f.wijk.code == area.code).map_or(0, |f| f.initiatives);
        let _ = write!(svg, r##"<path d="{}" fill="{}" stroke="#1a1a1a" stroke-width="0.5" fill-rule="evenodd"/>"##, path_of(shape, &project), WIJK_FILLS[o.wijken.count_class(initiatives)]);
    }
    for r in &o.rows {
        let (px, py) = project(r.initiative.lon, r.initiative.lat);
        let _ = write!(svg, r##"{} fill="{}" stroke="#ffffff" stroke-width="1"/>"##, marker(r.weakest_strategy, px, py), marker_colour(r.weakest_strategy));
    }
    svg
}

/// An initiative's marker on the municipal map: its weakest strategy's shape (colour is never
/// alone), without its closing attributes.
fn marker(weakest: Option<Strategy>, px: f64, py: f64) -> String {
    match weakest {
        Some(Strategy::Bonding) => format!(r#"<circle cx="{px:.1}" cy="{py:.1}" r="4.5""#),
        Some(Strategy::Bridging) => format!(r#"<rect x="{:.1}" y="{:.1}" width="8.5" height="8.5""#, px - 4.25, py - 4.25),
        Some(Strategy::Linking) => format!(r#"<path d="M{px:.1},{:.1} L{:.1},{py:.1} L{px:.1},{:.1} L{:.1},{py:.1} Z""#, py - 5.5, px + 5.5, py + 5.5, px - 5.5),
        None => format!(r#"<path d="M{px:.1},{:.1} L{:.1},{:.1} L{:.1},{:.1} Z""#, py - 5.0, px + 5.0, py + 4.0, px - 5.0, py + 4.0),
    }
}

fn marker_colour(weakest: Option<Strategy>) -> &'static str {
    weakest.map_or("#535353", chart::colour)
}

/// The municipal report as A4 SVG pages: the figures, the map and the wijken first, then every
/// initiative.
pub fn municipality_report_pages(o: &MunicipalityOverview, lang: Lang) -> Vec<String> {
    let w = words(lang);
    let cat = catalog();
    let mut p = Page::new();
    p.footer(w.source); // on every page
    p.text(&format!("Wijkkompas · {}", w.municipality_title), 10.0, false, "#4a4a4a");
    p.text(&format!("{} ({})", o.municipality.name, o.municipality.code), 20.0, true, "#154273");
    p.text(&w.counts.replace("{i}", &o.stats.initiatives.to_string()).replace("{c}", &o.stats.checks.to_string()), 9.5, false, "#4a4a4a");
    if o.stats.initiatives < o.stats.min_group {
        p.text(w.small_group, 9.0, false, "#8a4b00");
    }
    // Aggregates (left) and map (right), side by side.
    let top = p.y + 10.0;
    let col = [MARGIN, MARGIN + 166.0, MARGIN + 234.0];
    let mut y = top + 10.0;
    let _ = write!(p.svg, r##"<text x="{}" y="{y}" font-size="8.5" font-weight="bold">{}</text><text x="{}" y="{y}" font-size="8.5" font-weight="bold">{}</text><text x="{}" y="{y}" font-size="8.5" font-weight="bold">{}</text>"##, col[0], w.part, col[1], w.here, col[2], w.all);
    let cell = |s: Option<&Summary>| s.map_or("–".to_string(), |s| format!("{} (n {})", number(s.mean, lang), s.n));
    for s in Strategy::ALL {
        y += 13.0;
        let _ = write!(p.svg, r##"<text x="{}" y="{y}" font-size="8" font-weight="bold">{}</text><text x="{}" y="{y}" font-size="8.5">{}</text><text x="{}" y="{y}" font-size="8.5">{}</text>"##, col[0], esc(strategy_name(s, lang)), col[1], cell(o.stats.strategies.get(s.as_str())), col[2], cell(o.national.strategies.get(s.as_str())));
        for l in cat.lessons.iter().filter(|l| l.strategy == s) {
            y += 11.0;
            let title = ellipsize(l.title.get(lang), 30);
            let _ = write!(p.svg, r##"<text x="{}" y="{y}" font-size="7.5">{}. {}</text><text x="{}" y="{y}" font-size="7.5">{}</text><text x="{}" y="{y}" font-size="7.5">{}</text>"##, col[0] + 6.0, l.number, esc(&title), col[1], cell(o.stats.lessons.get(&l.id)), col[2], cell(o.national.lessons.get(&l.id)));
        }
    }
    let map_x = MARGIN + 314.0;
    let map_w = W - MARGIN - map_x;
    let _ = write!(p.svg, r##"<text x="{map_x}" y="{}" font-size="8.5" font-weight="bold">{}</text>"##, top + 10.0, esc(w.map));
    p.svg.push_str(&area_map(o, map_x, top + 16.0, map_w, 220.0));
    // The markers' legend: shape and colour per weakest strategy, with words.
    let items = Strategy::ALL.iter().map(|s| (Some(*s), strategy_name(*s, lang))).chain([(None, w.no_answer)]);
    for (i, (s, label)) in items.enumerate() {
        // Two to a row, under the map.
        let (lx, ly) = (map_x + (i % 2) as f64 * map_w / 2.0, top + 16.0 + 220.0 + 10.0 + (i / 2) as f64 * 11.0);
        let _ = write!(p.svg, r##"{} fill="{}" stroke="#ffffff" stroke-width="1"/><text x="{:.1}" y="{:.1}" font-size="7">{}</text>"##, marker(s, lx + 5.0, ly), marker_colour(s), lx + 12.0, ly + 2.5, esc(label));
    }
    p.y = (y).max(top + 266.0) + 6.0; // below the map and its legend
    let (wijken, height) = wijk_section(o, lang, MARGIN, p.y, 6);
    p.svg.push_str(&wijken);
    p.y += height;
    p.heading(w.initiatives);
    // The table runs over as many pages as it needs, its header on each.
    let (score_x, status_x) = (MARGIN + 240.0, MARGIN + 400.0);
    let header = |p: &mut Page| {
        p.y += 11.0;
        let _ = write!(p.svg, r##"<text x="{MARGIN}" y="{:.1}" font-size="8" font-weight="bold">{}</text><text x="{score_x}" y="{:.1}" font-size="8" font-weight="bold">{}</text><text x="{status_x}" y="{:.1}" font-size="8" font-weight="bold">{}</text>"##, p.y, w.initiative, p.y, w.scores_header, p.y, w.status_header);
        p.y += 2.0;
    };
    header(&mut p);
    for r in &o.rows {
        let lines = wrap(&r.initiative.name, 8.5, score_x - MARGIN - 10.0);
        let height = lines.len() as f64 * 10.5 + 1.5;
        if p.y + height > BOTTOM {
            p.new_page();
            header(&mut p);
        }
        let scores: Vec<String> = Strategy::ALL.iter().map(|s| number(r.scores.get(*s), lang)).collect();
        let first = p.y + 10.5;
        let _ = write!(p.svg, r##"<text x="{score_x}" y="{first:.1}" font-size="8.5">{}</text><text x="{status_x}" y="{first:.1}" font-size="8.5">{}</text>"##, scores.join("  /  "), status_name(r.status, lang));
        for (i, line) in lines.iter().enumerate() {
            let _ = write!(p.svg, r##"<text x="{MARGIN}" y="{:.1}" font-size="8.5">{}</text>"##, first + i as f64 * 10.5, esc(line));
        }
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

    #[test]
    fn a_title_that_does_not_fit_ends_in_an_ellipsis_at_a_word() {
        assert_eq!(ellipsize("Een eigen kring als basis", 30), "Een eigen kring als basis");
        assert_eq!(ellipsize("Ontmoetingsplekken waar groepen elkaar tegenkomen", 30), "Ontmoetingsplekken waar…");
    }

    #[test]
    fn an_svg_page_becomes_a_pdf_with_embedded_fonts() {
        let mut p = Page::new();
        p.text("Zelfcheck — één test", 12.0, true, "#000");
        let pdf = svg_to_pdf(&p.finish_all().remove(0)).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/FontFile2"), "the font is embedded");
        assert!(text.contains("DejaVuSans"));
    }
}

