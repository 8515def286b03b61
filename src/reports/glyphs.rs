/*! What the embedded fonts can draw, and a visible stand-in for what they cannot.

The PDFs embed DejaVu Sans (regular and bold) and are made PDF/A-2a and PDF/UA-1, which forbid
drawing the `.notdef` glyph (what a font shows for a character it lacks), mapping a glyph to a
private-use character, and a glyph with no text at all; krilla refuses such a PDF. A name like
"Buurttuin 🌻" made every report of its municipality fail: DejaVu has no sunflower (and a letter
with two marks, "ȩ́", left a glyph without text). So every piece of text is drawn in a form the fonts can draw:
each character cluster (a letter with its marks, an emoji sequence, a flag) the font lacks is
drawn as one white square, while the text a reader copies or a screen reader speaks stays the
original (`pdf.rs` gives the piece that text as its ActualText).

Three rules keep what krilla writes valid and readable:
- a cluster is drawn only as one character of the font (after NFC), so that every glyph stands
  for a whole cluster: a letter with marks that has no precomposed form is drawn as the square
  (shaped, its base glyph would carry no text);
- invisible format characters (zero-width spaces and joiners, direction marks, variation
  selectors, the soft hyphen) are not drawn: shaping would turn them into space glyphs that
  claim to be those characters;
- a glyph that several characters share (space and no-break space, micro sign and mu) is always
  drawn through the same one, so that no glyph's text differs from one use to the next (krilla
  would mark such a glyph with an ActualText of its own, nested in the piece's, and readers do
  not agree on what a nested ActualText means).
*/
use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

pub(super) const REGULAR: &[u8] = include_bytes!("../../data/fonts/DejaVuSans.ttf");
pub(super) const BOLD: &[u8] = include_bytes!("../../data/fonts/DejaVuSans-Bold.ttf");

/// The layout's average letter, in ems (DejaVu Sans's is about this).
pub(super) const AVERAGE_EM: f64 = 0.58;

/// Drawn for a cluster the font lacks (U+25A1 WHITE SQUARE, which both fonts have: a test
/// checks).
pub(super) const STAND_IN: char = '\u{25A1}';

/// One font's characters, each with the character its glyph is drawn through.
struct Charset {
    through: HashMap<char, char>,
}

impl Charset {
    fn of(font: &[u8]) -> Charset {
        let mut pairs: Vec<(char, u16)> = Vec::new();
        if let Some(cmap) = ttf_parser::Face::parse(font, 0)
            .ok()
            .and_then(|face| face.tables().cmap)
        {
            for table in cmap.subtables.into_iter().filter(|t| t.is_unicode()) {
                table.codepoints(|code| {
                    let glyph = table.glyph_index(code).map_or(0, |g| g.0);
                    match char::from_u32(code) {
                        Some(c) if glyph != 0 && may_map_to(c) => pairs.push((c, glyph)),
                        _ => {}
                    }
                });
            }
        }
        let mut first: HashMap<u16, char> = HashMap::new();
        for &(c, glyph) in &pairs {
            let lowest = first.entry(glyph).or_insert(c);
            *lowest = (*lowest).min(c);
        }
        let through = pairs.iter().map(|&(c, glyph)| (c, first[&glyph])).collect();
        Charset { through }
    }
}

/// The regular font's space: its glyph and its advance (in ems).
pub(super) fn space() -> Option<(u16, f32)> {
    let face = ttf_parser::Face::parse(REGULAR, 0).ok()?;
    let glyph = face.glyph_index(' ')?;
    let advance = f32::from(face.glyph_hor_advance(glyph)?) / f32::from(face.units_per_em());
    Some((glyph.0, advance))
}

/// How wide `text` is drawn, in average letters: every letter counts as one, every stand-in
/// as the wider square it is (the layout wraps by this).
pub(super) fn letters(text: &str) -> f64 {
    static SQUARE: OnceLock<f64> = OnceLock::new();
    let square = *SQUARE.get_or_init(|| {
        [REGULAR, BOLD]
            .iter()
            .filter_map(|font| {
                let face = ttf_parser::Face::parse(font, 0).ok()?;
                let advance = face.glyph_hor_advance(face.glyph_index(STAND_IN)?)?;
                Some(f64::from(advance) / f64::from(face.units_per_em()) / AVERAGE_EM)
            })
            .fold(1.0, f64::max)
    });
    drawable(text, false)
        .chars()
        .map(|c| if c == STAND_IN { square } else { 1.0 })
        .sum()
}

fn charset(bold: bool) -> &'static Charset {
    static SETS: OnceLock<[Charset; 2]> = OnceLock::new();
    let sets = SETS.get_or_init(|| [Charset::of(REGULAR), Charset::of(BOLD)]);
    &sets[usize::from(bold)]
}

/// A character a glyph may stand for in the PDF's text layer: not a control, a noncharacter,
/// U+FEFF, or private use (whose meaning no reader knows; PDF/A-2a refuses it).
fn may_map_to(c: char) -> bool {
    let code = c as u32;
    !(c.is_control()
        || ignorable(c)
        || matches!(code, 0xE000..=0xF8FF | 0xF0000.. | 0xFDD0..=0xFDEF)
        || code & 0xFFFE == 0xFFFE)
}

/// Unicode's default-ignorable characters: nothing to see.
fn ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// Whether `c` belongs to the cluster before it: a mark, a joiner and what it joins, a
/// variation selector, a skin tone, an emoji tag, the second half of a flag.
pub(super) fn continues(cluster: &str, c: char) -> bool {
    let regional = |c: char| matches!(c as u32, 0x1F1E6..=0x1F1FF);
    let last = cluster.chars().next_back();
    is_combining_mark(c)
        || c == '\u{200D}'
        || last == Some('\u{200D}')
        || matches!(c as u32, 0xFE00..=0xFE0F | 0xE0100..=0xE01EF | 0x1F3FB..=0x1F3FF | 0xE0020..=0xE007F)
        || (regional(c) && cluster.chars().count() == 1 && last.is_some_and(regional))
}

/// The text cut into what is drawn as one: close to Unicode's grapheme clusters, without their
/// tables (a cut too many only draws one square more).
fn clusters(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let mut chars = rest.char_indices();
        let (_, first) = chars.next()?;
        let mut end = first.len_utf8();
        for (i, c) in chars {
            if !continues(&rest[..i], c) {
                break;
            }
            end = i + c.len_utf8();
        }
        let (cluster, tail) = rest.split_at(end);
        rest = tail;
        Some(cluster)
    })
}

/// `text` as the regular (or bold) font draws it: every character it has, the rest as
/// [`STAND_IN`]; whitespace as a space the font has. The same text when nothing needed changing.
pub(super) fn drawable(text: &str, bold: bool) -> String {
    let set = charset(bold);
    let mut out = String::with_capacity(text.len());
    for cluster in clusters(text) {
        let mut visible = cluster.chars().filter(|c| !ignorable(*c)).nfc();
        match (visible.next(), visible.next()) {
            (None, _) => {}
            (Some(c), None) if c.is_whitespace() => {
                out.push(set.through.get(&c).copied().unwrap_or(' '))
            }
            (Some(c), None) => out.push(set.through.get(&c).copied().unwrap_or(STAND_IN)),
            (Some(_), Some(_)) => out.push(STAND_IN),
        }
    }
    out
}

/// A piece of a page made drawable.
pub(super) struct Drawable {
    /// The SVG with every `<text>` element's words made [`drawable`] in its weight.
    pub svg: String,
    /// The original words of those elements (in order, whitespace folded), when any had to
    /// change.
    pub actual: Option<String>,
    /// The first `<text>` element's baseline and font size, on the page.
    pub first_line: Option<(f32, f32)>,
}

pub(super) fn drawable_svg(svg: &str) -> Drawable {
    let mut out = String::with_capacity(svg.len());
    let mut originals: Vec<String> = Vec::new();
    let mut changed = false;
    let mut first_line = None;
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        let Some(open_end) = rest[start..].find('>').map(|i| start + i + 1) else {
            break;
        };
        let Some(close) = rest[open_end..].find("</text>").map(|i| open_end + i) else {
            break;
        };
        let open = &rest[start..open_end];
        let bold = open.contains(r#"font-weight="bold""#);
        if first_line.is_none() {
            // SVG's default size is 12.
            first_line =
                attribute(open, "y").map(|y| (y, attribute(open, "font-size").unwrap_or(12.0)));
        }
        out.push_str(&rest[..open_end]);
        let mut original = String::new();
        let mut drawn = String::new();
        // Text between any inner tags (a `<tspan>`), each run on its own.
        let mut inner = &rest[open_end..close];
        while !inner.is_empty() {
            let run_end = inner.find('<').unwrap_or(inner.len());
            let words = unescape(&inner[..run_end]);
            let shown = drawable(&words, bold);
            original.push_str(&words);
            drawn.push_str(&shown);
            out.push_str(&escape(&shown));
            let tag_end = inner[run_end..]
                .find('>')
                .map_or(inner.len(), |i| run_end + i + 1);
            out.push_str(&inner[run_end..tag_end]);
            inner = &inner[tag_end..];
        }
        let folded = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        changed |= folded(&original) != folded(&drawn);
        originals.push(folded(&original));
        rest = &rest[close..];
    }
    out.push_str(rest);
    Drawable {
        svg: out,
        actual: changed.then(|| originals.join(" ")),
        first_line,
    }
}

/// A number-valued attribute of an element's opening tag.
fn attribute(open: &str, name: &str) -> Option<f32> {
    let key = format!(" {name}=\"");
    let from = open.find(&key)? + key.len();
    let to = from + open[from..].find('"')?;
    open[from..to].parse().ok()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// XML's five named entities and numeric references (what the layout writes, and more).
fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let entity = rest[at..].find(';').map(|end| &rest[at + 1..at + end]);
        let c = entity.and_then(|e| match e {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => e
                .strip_prefix("#x")
                .map(|h| u32::from_str_radix(h, 16))
                .or_else(|| e.strip_prefix('#').map(str::parse))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        });
        match (c, entity) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[at + e.len() + 2..];
            }
            _ => {
                out.push('&');
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;
    use crate::reports::layout::Page;
    use crate::reports::pdf::to_pdf;
    use proptest::prelude::*;

    /// Every kind of text a person can type, the fonts' own and not.
    const EVERY_KIND: [&str; 16] = [
        "Buurttuin 🌻",
        "社区花园",
        "सामुदायिक",
        "ＡＢＣ",
        "𝐁𝐮𝐮𝐫𝐭",
        "e\u{301}\u{327}",
        "\u{E000}\u{F8FF}\u{F0000}",
        "\u{FFFF}\u{FFFE}\u{FDD0}\u{0}\u{1B}\u{85}",
        "👨\u{200D}👩\u{200D}👧 🇳🇱 👍🏽 ❤\u{FE0F}",
        "a\u{200B}b\u{00AD}c\u{FEFF}d\u{200E}e\u{2060}",
        "שלום עולם مرحبا بالعالم",
        "Taalcafé Zuilen — één ïdee, ëën 5\u{A0}km \u{B5} \u{3BC} \u{2126} \u{3A9}",
        "한국어 ไทย ქართული አማርኛ",
        "e\u{301} a\u{308} \u{301}\u{327}",
        "& < > \" ' &amp;",
        "\t\n\r  meer  ruimte ",
    ];

    fn pdf_of(texts: &[&str]) -> Result<Vec<u8>, crate::reports::pdf::PdfError> {
        let mut p = Page::new();
        for t in texts {
            p.title(2, t, 13.0, "#154273");
            p.text(t, 9.5, false, "#1a1a1a");
            p.text(t, 9.5, true, "#1a1a1a");
            p.bullet(t, 9.5);
        }
        to_pdf(&p.finish_all(), &texts.concat(), Lang::Nl)
    }

    #[test]
    fn the_stand_in_is_in_both_fonts() {
        for bold in [false, true] {
            assert_eq!(charset(bold).through.get(&STAND_IN), Some(&STAND_IN));
            assert_eq!(drawable("□", bold), "□");
        }
    }

    #[test]
    fn what_the_fonts_have_is_drawn_as_it_is() {
        for bold in [false, true] {
            for text in [
                "Taalcafé Zuilen — één ïdee, ëën",
                "Ærø, Łódź, İzmir, Ωμέγα, Мир",
            ] {
                assert_eq!(drawable(text, bold), text, "{text}");
            }
            // Decomposed letters (as some keyboards and files give them) are drawn composed.
            assert_eq!(drawable("Cafe\u{301} e\u{308}e\u{308}n", bold), "Café ëën");
        }
    }

    #[test]
    fn what_the_fonts_lack_is_one_square_per_cluster() {
        for (text, drawn) in [
            ("Buurttuin 🌻", "Buurttuin □"),
            ("社区花园", "□□□□"),
            ("ＡＢＣ", "□□□"),
            ("𝐁𝐮𝐮𝐫𝐭", "□□□□□"),
            ("e\u{301}\u{327}", "□"),
            ("\u{E000}x\u{FFFF}", "□x□"),
            ("👨\u{200D}👩\u{200D}👧", "□"),
            ("🇳🇱🇧🇪", "□□"),
            ("👍🏽", "□"),
            ("a\u{200B}b\u{00AD}c\u{FEFF}d", "abcd"),
            ("a\tb\nc", "a b c"),
            ("x\u{0}y", "x□y"),
        ] {
            assert_eq!(drawable(text, false), drawn, "{text:?}");
        }
    }

    #[test]
    fn a_piece_keeps_its_original_words_when_any_had_to_change() {
        let plain = r##"<text x="48" y="60.0" font-size="9.5" font-weight="normal" fill="#000">Taalcaf&#233; &amp; co</text>"##;
        let drawn = drawable_svg(plain);
        assert_eq!(drawn.svg, plain.replace("&#233;", "é"));
        assert_eq!(drawn.actual, None);
        let svg = r##"<rect/><text x="48" y="60.5" font-size="9.5" font-weight="bold">Tuin &lt;🌻&gt;</text><text x="48" y="72">社区  花园</text>"##;
        let drawn = drawable_svg(svg);
        assert!(
            drawn.svg.contains(">Tuin &lt;□&gt;</text>") && drawn.svg.contains(">□□  □□</text>"),
            "{}",
            drawn.svg
        );
        assert_eq!(drawn.actual.as_deref(), Some("Tuin <🌻> 社区 花园"));
        assert_eq!(drawn.first_line, Some((60.5, 9.5)));
    }

    /// Every character either font has, in both weights, and every kind of text: the PDF is
    /// made (krilla refuses a PDF/A or PDF/UA breach, so this is the rules' check too).
    #[test]
    fn every_character_of_the_fonts_and_every_kind_of_text_make_a_valid_pdf() {
        let mut all: Vec<char> = charset(false).through.keys().copied().collect();
        all.extend(charset(true).through.keys());
        all.sort_unstable();
        all.dedup();
        let lines: Vec<String> = all
            .chunks(60)
            .map(|c| c.iter().collect::<String>())
            .collect();
        let mut texts: Vec<&str> = lines.iter().map(String::as_str).collect();
        texts.extend(EVERY_KIND);
        // A blank heading too: krilla refuses a heading without a title.
        texts.extend(["", " \u{200B} "]);
        let pdf = pdf_of(&texts);
        assert!(pdf.is_ok(), "{}", pdf.unwrap_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn no_text_makes_the_pdf_fail(
            chars in prop::collection::vec(any::<char>(), 0..24),
            known in prop::sample::select(EVERY_KIND.to_vec()),
        ) {
            let random: String = chars.into_iter().collect();
            let mixed = format!("{known}{random}");
            let pdf = pdf_of(&[&random, &mixed]);
            prop_assert!(pdf.is_ok(), "{random:?}: {}", pdf.unwrap_err());
        }
    }
}
