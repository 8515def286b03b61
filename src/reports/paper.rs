/*! The sheet every report is printed on: A4 in points, its margin, the typeface, and the
language tag a PDF is marked with. The PDF maker and the layouts share these and nothing else. */
use crate::model::Lang;

pub(super) const W: f64 = 595.0; // A4 in points
pub(super) const H: f64 = 842.0;
pub(super) const MARGIN: f64 = 48.0;
pub(super) const FONT: &str = "DejaVu Sans";

pub(super) fn lang_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "nl-NL",
        Lang::En => "en-GB",
    }
}
