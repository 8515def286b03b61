/*! What is printed: the PDF reports (report, the facilitator's guide) laid out as SVG pieces,
made into an accessible PDF (pdf), and the result chart (chart). */
pub mod chart;
mod glyphs;
pub mod guide;
pub(crate) mod pdf;
pub mod report;
