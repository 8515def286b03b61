/*! Text flowed onto A4 pages: wrapping and shortening text, and `Page`, which lays out headings,
paragraphs, lists, writing lines and figures from top to bottom as SVG pieces, each with its
role, and starts a new page when one is full; then the pages as one tagged PDF. Both reports
and the guide are built from these pieces. */
use thiserror::Error;

use super::glyphs;
use super::paper::{H, MARGIN, W};
use super::pdf::{self, Block, LaidPage, Role};

use crate::model::Lang;

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

/// Laid-out pages as one tagged PDF with its title and language (see `pdf.rs`).
pub(super) fn pages_to_pdf(
    pages: &[LaidPage],
    title: &str,
    lang: Lang,
) -> Result<Vec<u8>, ReportError> {
    Ok(pdf::to_pdf(pages, title, lang)?)
}

/// At most `max` characters: cut at a word and ended with "…" when it is longer.
pub(super) fn ellipsize(text: &str, max: usize) -> String {
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

pub(super) fn viewbox(svg: &str) -> Option<(f64, f64)> {
    let start = svg.find("viewBox=\"")? + 9;
    let end = start + svg[start..].find('"')?;
    let parts: Vec<f64> = svg[start..end]
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect();
    Some((*parts.get(2)?, *parts.get(3)?))
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
}
