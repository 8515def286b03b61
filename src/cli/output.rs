/*! How a command prints: JSON for scripts (`--json`), and the scores as text. */
use std::io::Write;

use serde::Serialize;

use super::CliError;

/// Prints `value` as pretty JSON on standard output, with a newline after it.
pub(super) fn print_json(value: &impl Serialize) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// A score with one decimal, or a dash when there is none.
pub(super) fn score_text(score: Option<f64>) -> String {
    score.map_or_else(|| "–".to_string(), |s| format!("{s:.1}"))
}
