/*! PDF reports, made in Rust: the report of a self-check for the resident, and a municipal
report. Each page is laid out here as A4 SVG pieces (so the result chart is the very SVG the app
shows), each piece saying what it is; `pdf.rs` turns them into a tagged, accessible PDF with
subsets of the bundled DejaVu fonts embedded: the PDF looks the same on every machine, needs no
webview, and a screen reader reads its headings, lists and tables.

This module is what the app and the CLI call; the pieces are `paper` (the sheet), `layout`
(text flowed onto pages), `report_words` (the wording), `check_report`, and `municipal_report`
with `municipal_map` and `wijk_section`. */
pub use super::check_report::check_report_pdf;
pub use super::layout::ReportError;
pub use super::municipal_report::municipality_report_pdf;

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
