/*! What is printed: the PDF reports (report: the self-check's in check_report, the municipal one
in municipal_report with its map and wijk part; the facilitator's guide) laid out on A4 (paper)
as SVG pieces (layout), made into an accessible PDF (pdf), and the result chart (chart). */
pub mod chart;
mod check_report;
mod glyphs;
pub mod guide;
mod layout;
mod municipal_map;
mod municipal_report;
mod paper;
pub(crate) mod pdf;
pub mod report;
mod report_words;
mod trend_section;
mod wijk_section;
