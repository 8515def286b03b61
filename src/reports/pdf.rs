/*! Laid-out pages into an accessible PDF: tagged (PDF/UA-1) and archivable (PDF/A-2a), made
with krilla. The reports are laid out as SVG (`layout.rs`, used by the reports and `guide.rs`); every piece of a page
says what it is ([`Role`]: a heading, a paragraph, a list item, a table cell, a figure with its
alternative text, or decoration), and is drawn on its own, marked as that. The pieces become the
document's structure in reading order: headings (also the outline a reader jumps by), lists,
tables with header cells, figures that a screen reader announces by their text. Decoration, the
footer and a table header repeated on a later page are artifacts, which a reader skips. */
use std::num::NonZeroU16;
use std::sync::{Arc, OnceLock};

use krilla::color::rgb;
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder, ValidationError};
use krilla::destination::XyzDestination;
use krilla::error::KrillaError;
use krilla::geom::{Point, Size, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, ListNumbering, Node, SpanTag, TableHeaderScope, Tag,
    TagGroup, TagTree,
};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::Data;
use krilla::{Document, SerializeSettings};
use krilla_svg::{SurfaceExt, SvgSettings};

use super::glyphs;
use crate::model::Lang;

/// What a piece of a page is, for a reader that follows the structure rather than the picture.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Role {
    /// Background, rules, the footer, a table header repeated on a later page: not read.
    Artifact,
    /// A heading of this level (1 is the document's title line), with its text.
    Heading(u16, String),
    Paragraph,
    /// One item of a bulleted list; items in a row form one list.
    Item,
    /// A picture (the chart, the map) with the words a reader says instead.
    Figure(String),
    /// A cell of the table `table`, in its row `row`; a header cell heads its column (or, with
    /// `row_header`, its row).
    Cell {
        table: usize,
        row: usize,
        header: bool,
        row_header: bool,
    },
}

/// A piece of a page: its role, the logical element it belongs to (pieces of one paragraph or
/// list item that a page break split share it), and its SVG.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub role: Role,
    pub group: usize,
    pub svg: String,
}

/// One laid-out page: its pieces in reading order.
#[derive(Debug, Clone, Default)]
pub(crate) struct LaidPage {
    pub blocks: Vec<Block>,
}

/// What can go wrong making the PDF, in words a person can pass on (never a dump of krilla's
/// values: those reached people before).
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("a page could not be laid out ({0})")]
    Svg(String),
    #[error("a piece of a page could not be drawn")]
    Draw,
    #[error("the settings for an accessible, archivable PDF do not fit together")]
    Settings,
    #[error("a font could not be embedded ({0})")]
    Font(String),
    #[error(
        "the PDF would break the rules for accessible, archivable PDF (PDF/UA-1, PDF/A-2a): {0}"
    )]
    Rules(String),
    #[error("the PDF could not be written ({0})")]
    Write(String),
}

impl From<KrillaError> for PdfError {
    fn from(e: KrillaError) -> PdfError {
        match e {
            KrillaError::Font(_, why) => PdfError::Font(why),
            KrillaError::Validation(broken) => {
                let mut rules: Vec<String> = broken.iter().map(|(e, _)| rule(e)).collect();
                rules.dedup();
                let more = rules.len().saturating_sub(5);
                rules.truncate(5);
                if more > 0 {
                    rules.push(format!("{more} more"));
                }
                PdfError::Rules(rules.join("; "))
            }
            other => PdfError::Write(other.to_string()),
        }
    }
}

/// A broken rule in words, with the characters it concerns.
fn rule(e: &ValidationError) -> String {
    let codes = |text: &str| {
        text.chars()
            .map(|c| format!("U+{:04X}", c as u32))
            .collect::<Vec<_>>()
            .join(" ")
    };
    match e {
        ValidationError::ContainsNotDefGlyph(_, _, text) => {
            format!("a character the embedded fonts lack ({})", codes(text))
        }
        ValidationError::NoCodepointMapping(..) => "a glyph that stands for no text".into(),
        ValidationError::InvalidCodepointMapping(_, _, c, _) => {
            format!("a glyph that stands for {}", codes(&c.to_string()))
        }
        ValidationError::UnicodePrivateArea(_, _, c, _) => {
            format!("a private-use character ({})", codes(&c.to_string()))
        }
        ValidationError::MissingAltText(_) => "a figure without words for it".into(),
        ValidationError::MissingHeadingTitle => "a heading without a title".into(),
        ValidationError::NoDocumentLanguage => "no language".into(),
        ValidationError::NoDocumentTitle => "no title".into(),
        _ => "a rule of the standards".into(),
    }
}

impl LaidPage {
    /// The whole page as one SVG (what it looks like; tests read it).
    #[cfg(test)]
    pub(crate) fn svg(&self) -> String {
        let mut svg = page_open();
        for b in &self.blocks {
            svg.push_str(&b.svg);
        }
        svg.push_str("</svg>");
        svg
    }
}

fn page_open() -> String {
    let (w, h, font) = (super::paper::W, super::paper::H, super::paper::FONT);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{font}">"##
    )
}

fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(glyphs::REGULAR.to_vec());
        db.load_font_data(glyphs::BOLD.to_vec());
        Arc::new(db)
    })
    .clone()
}

/// A piece's SVG as a tree of its own, on the page's coordinates.
fn tree_of(fragment: &str) -> Result<usvg::Tree, PdfError> {
    let options = usvg::Options {
        fontdb: fonts(),
        font_family: super::paper::FONT.into(),
        ..Default::default()
    };
    usvg::Tree::from_str(&format!("{}{fragment}</svg>", page_open()), &options)
        .map_err(|e| PdfError::Svg(e.to_string()))
}

/// How wide a piece's SVG is drawn, in points (for the layout's tests).
#[cfg(test)]
pub(super) fn drawn_width(fragment: &str) -> f32 {
    let drawn = glyphs::drawable_svg(fragment);
    tree_of(&drawn.svg).map_or(0.0, |t| t.root().abs_bounding_box().width())
}

/// The tag tree as it is built: the open list and table, so that items and cells join them.
/// Rows of a table or groups of a list being filled: (index, the nodes in it).
type Rows = Vec<(usize, Vec<Node>)>;

#[derive(Default)]
struct Structure {
    top: Vec<Node>,
    /// The list being filled: its items by group.
    list: Option<Rows>,
    /// The table being filled: its id and rows (row index, cells).
    table: Option<(usize, Rows)>,
    /// The paragraph being filled (a paragraph split by a page break is one).
    paragraph: Option<(usize, Vec<Node>)>,
    /// The headings, for the outline: level, title, page, y.
    headings: Vec<(u16, String, usize, f32)>,
}

impl Structure {
    fn close_list(&mut self) {
        if let Some(items) = self.list.take() {
            let mut list = TagGroup::new(Tag::L(ListNumbering::Circle));
            for (_, content) in items {
                let body = TagGroup::with_children(Tag::LBody, content);
                list.push(TagGroup::with_children(Tag::LI, vec![body.into()]));
            }
            self.top.push(list.into());
        }
    }

    fn close_table(&mut self) {
        if let Some((_, rows)) = self.table.take() {
            let mut table = TagGroup::new(Tag::Table);
            for (_, cells) in rows {
                table.push(TagGroup::with_children(Tag::TR, cells));
            }
            self.top.push(table.into());
        }
    }

    fn close_paragraph(&mut self) {
        if let Some((_, content)) = self.paragraph.take() {
            self.top
                .push(TagGroup::with_children(Tag::P, content).into());
        }
    }

    /// Closes what `role` does not continue. Decoration is outside the structure and closes
    /// nothing (a list's bullets, a repeated table header, the footer between two halves of a
    /// paragraph).
    fn close_others(&mut self, role: &Role, group: usize) {
        if matches!(role, Role::Artifact) {
            return;
        }
        if !matches!(role, Role::Item) {
            self.close_list();
        }
        if !matches!(role, Role::Cell { table, .. } if self.table.as_ref().is_some_and(|t| t.0 == *table))
        {
            self.close_table();
        }
        if !(matches!(role, Role::Paragraph)
            && self.paragraph.as_ref().is_some_and(|p| p.0 == group))
        {
            self.close_paragraph();
        }
    }

    fn add(&mut self, role: &Role, group: usize, id: Node, page: usize, y: f32) {
        match role {
            Role::Artifact => {}
            // A heading without words (a blank name) is no heading: a paragraph of its own.
            Role::Heading(_, title) if title.trim().is_empty() => {
                self.top
                    .push(TagGroup::with_children(Tag::P, vec![id]).into());
            }
            Role::Heading(level, title) => {
                let level = NonZeroU16::new(*level).unwrap_or(NonZeroU16::MIN);
                self.top.push(
                    TagGroup::with_children(Tag::Hn(level, Some(title.clone())), vec![id]).into(),
                );
                self.headings.push((level.get(), title.clone(), page, y));
            }
            Role::Paragraph => match &mut self.paragraph {
                Some((g, content)) if *g == group => content.push(id),
                _ => self.paragraph = Some((group, vec![id])),
            },
            Role::Item => {
                let items = self.list.get_or_insert_with(Vec::new);
                match items.last_mut() {
                    Some((g, content)) if *g == group => content.push(id),
                    _ => items.push((group, vec![id])),
                }
            }
            Role::Figure(alt) => {
                self.top
                    .push(TagGroup::with_children(Tag::Figure(Some(alt.clone())), vec![id]).into());
            }
            Role::Cell {
                table,
                row,
                header,
                row_header,
            } => {
                let rows = &mut self.table.get_or_insert_with(|| (*table, Vec::new())).1;
                let cell: Node = if *header {
                    let scope = if *row_header {
                        TableHeaderScope::Row
                    } else {
                        TableHeaderScope::Column
                    };
                    TagGroup::with_children(Tag::TH(scope), vec![id]).into()
                } else {
                    TagGroup::with_children(Tag::TD, vec![id]).into()
                };
                match rows.last_mut() {
                    Some((r, cells)) if *r == *row => cells.push(cell),
                    _ => rows.push((*row, vec![cell])),
                }
            }
        }
    }

    fn finish(mut self) -> Vec<Node> {
        self.close_list();
        self.close_table();
        self.close_paragraph();
        self.top
    }
}

/// The outline: the headings, each under the last heading of a higher level before it.
fn outline(headings: &[(u16, String, usize, f32)]) -> Outline {
    fn take(
        headings: &[(u16, String, usize, f32)],
        at: &mut usize,
        level: u16,
    ) -> Vec<OutlineNode> {
        let mut nodes = Vec::new();
        while let Some((l, title, page, y)) = headings.get(*at) {
            if *l < level {
                break;
            }
            *at += 1;
            let mut node = OutlineNode::new(
                title.clone(),
                XyzDestination::new(*page, Point::from_xy(0.0, (*y - 20.0).max(0.0))),
            );
            for child in take(headings, at, l + 1) {
                node.push_child(child);
            }
            nodes.push(node);
        }
        nodes
    }
    let mut outline = Outline::new();
    let mut at = 0;
    while at < headings.len() {
        let level = headings[at].0;
        for node in take(headings, &mut at, level) {
            outline.push_child(node);
        }
    }
    outline
}

/// An invisible space drawn where a piece with an ActualText begins and ends. poppler places
/// an ActualText by the coordinates of the first and last glyph inside it, read in the
/// coordinates that hold when the span closes; krilla-svg draws every glyph at the origin of a
/// transform of its own, so without these the words would read back at the page's corner, out
/// of their order. The marker is drawn in the page's own coordinates.
struct Marker {
    font: Font,
    space: GlyphId,
    advance: f32,
}

impl Marker {
    fn new() -> Option<Marker> {
        let (space, advance) = glyphs::space()?;
        let font = Font::new(Data::from(glyphs::REGULAR), 0)?;
        Some(Marker {
            font,
            space: GlyphId::new(u32::from(space)),
            advance,
        })
    }

    /// A space at `x` on the baseline `y` (page coordinates, y down), drawn fully transparent.
    fn mark(&self, surface: &mut Surface, x: f32, y: f32, font_size: f32) {
        let h = super::paper::H as f32;
        // Undoes krilla's flip of the page, so that the glyph's coordinates are the page's.
        surface.push_transform(&Transform::from_row(1.0, 0.0, 0.0, -1.0, 0.0, h));
        let (fill, stroke) = (surface.get_fill().cloned(), surface.get_stroke().cloned());
        surface.set_fill(Some(Fill {
            paint: rgb::Color::black().into(),
            opacity: NormalizedF32::ZERO,
            rule: FillRule::default(),
        }));
        surface.set_stroke(None);
        let glyph = KrillaGlyph::new(self.space, self.advance, 0.0, 0.0, 0.0, 0..1, None);
        surface.draw_glyphs(
            Point::from_xy(x, h - y),
            &[glyph],
            self.font.clone(),
            " ",
            font_size,
            false,
        );
        surface.set_fill(fill);
        surface.set_stroke(stroke);
        surface.pop();
    }
}

/// The pages as one tagged PDF (PDF/UA-1 and PDF/A-2a), with its title and language.
pub(crate) fn to_pdf(pages: &[LaidPage], title: &str, lang: Lang) -> Result<Vec<u8>, PdfError> {
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_A)
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|_| PdfError::Settings)?;
    let settings = SerializeSettings {
        configuration,
        enable_tagging: true,
        ..SerializeSettings::default()
    };
    let mut document = Document::new_with(settings);
    let size = Size::from_wh(super::paper::W as f32, super::paper::H as f32).expect("A4 is a size");
    let svg_settings = SvgSettings {
        embed_text: true,
        ..SvgSettings::default()
    };
    let mut structure = Structure::default();
    let marker = Marker::new();
    for (index, laid) in pages.iter().enumerate() {
        let mut page = document.start_page_with(PageSettings::new(size));
        let mut surface = page.surface();
        for block in &laid.blocks {
            // What the fonts lack is drawn as a stand-in; a reader gets the original words.
            let drawn = glyphs::drawable_svg(&block.svg);
            let tree = tree_of(&drawn.svg)?;
            structure.close_others(&block.role, block.group);
            let actual = drawn.actual.as_deref();
            let tag = match &block.role {
                Role::Artifact => ContentTag::Artifact(Artifact::with_kind(ArtifactType::Layout)),
                Role::Figure(_) => ContentTag::Other,
                _ => ContentTag::Span(SpanTag::empty().with_actual_text(actual)),
            };
            let id = surface.start_tagged(tag);
            let line = actual.and(drawn.first_line);
            let bounds = tree.root().abs_bounding_box();
            if let (Some((baseline, font_size)), Some(marker)) = (line, &marker) {
                marker.mark(&mut surface, bounds.left(), baseline, font_size);
            }
            // The span is closed before a failure returns: krilla panics on an open one.
            let drawn_ok = surface.draw_svg(&tree, size, svg_settings);
            if let (Some((baseline, font_size)), Some(marker)) = (line, &marker) {
                marker.mark(&mut surface, bounds.right(), baseline, font_size);
            }
            surface.end_tagged();
            drawn_ok.ok_or(PdfError::Draw)?;
            let top = tree.root().abs_bounding_box().top();
            structure.add(&block.role, block.group, id.into(), index, top);
        }
        surface.finish();
        page.finish();
    }
    let headings = std::mem::take(&mut structure.headings);
    let tree =
        TagTree::from(structure.finish()).with_lang(Some(super::paper::lang_tag(lang).to_string()));
    document.set_tag_tree(tree);
    document.set_outline(outline(&headings));
    document.set_metadata(
        Metadata::new()
            .title(title.to_string())
            .language(super::paper::lang_tag(lang).to_string())
            .creator("Wijkkompas".to_string())
            .creation_date(creation_date()),
    );
    Ok(document.finish()?)
}

/// Now, for the document's metadata (PDF/A wants a date).
fn creation_date() -> krilla::metadata::DateTime {
    let now = time::OffsetDateTime::now_utc();
    krilla::metadata::DateTime::new(now.year() as u16)
        .month(now.month() as u8)
        .day(now.day())
        .hour(now.hour())
        .minute(now.minute())
        .second(now.second())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::problem::Explain;
    use crate::reports::layout::ReportError;

    fn page(role: Role) -> Vec<LaidPage> {
        let svg = r##"<text x="48" y="60" font-size="10">Buurttuin 🌻</text>"##.to_string();
        vec![LaidPage {
            blocks: vec![Block {
                role,
                group: 1,
                svg,
            }],
        }]
    }

    /// krilla's refusal reached people as a dump of its values ("Validation([(ContainsNotDefGlyph(
    /// Font {..}, None, \"🌻\"), Validators { a: Some(A2_A) …"): now the rule, in words.
    #[test]
    fn a_broken_rule_is_said_in_words_never_as_a_dump() {
        for (pages, title, rule) in [
            (page(Role::Paragraph), "", "no title"),
            (
                page(Role::Figure(String::new())),
                "Verslag",
                "a figure without words for it",
            ),
        ] {
            let Err(e) = to_pdf(&pages, title, Lang::En) else {
                panic!("{rule}: made")
            };
            let problem = ReportError::Tagged(e).problem();
            assert_eq!(
                problem.words(Lang::En),
                format!(
                    "The report would break the rules for an accessible PDF ({rule}). No PDF was made."
                )
            );
            assert!(
                problem
                    .words(Lang::Nl)
                    .starts_with("Het verslag zou niet voldoen"),
                "in the person's language"
            );
        }
    }
}
