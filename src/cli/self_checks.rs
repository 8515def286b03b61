/*! The commands of self-checks: storing one, an initiative's history, a check's chart, the list of
stored checks, and the facilitator's guide for a group session. */
use std::io::Write;
use std::path::Path;

use super::{
    known_municipality, open_store, open_store_for_reading, print_json, read_limited, score_text,
    write_output, Cli, CliError,
};
use crate::model::Lang;
use crate::selfcheck::{self, CheckInput, CheckResult};
use crate::store::paths;

/// `wijkkompas check`.
pub(super) fn check(
    cli: &Cli,
    lang: Lang,
    out: &mut impl Write,
    input: &Path,
) -> Result<(), CliError> {
    let parsed = read_check_input(input)?;
    let mut store = open_store(cli)?;
    let result = selfcheck::submit(&mut store, &parsed, lang)?;
    if result.backup_failed {
        eprintln!("wijkkompas: warning: the self-check was saved, but the daily backup could not be made (see `wijkkompas backup`)");
    }
    if cli.json {
        return print_json(&result);
    }
    print_check_result(out, &result, lang)
}

/// A self-check file, read as strictly as a bundle: of limited size, UTF-8 text, no key twice and
/// no number that does not survive reading (`strict_json`), and of the input's shape.
fn read_check_input(input: &Path) -> Result<CheckInput, CliError> {
    let text = read_limited(input, selfcheck::MAX_INPUT_BYTES)?;
    let text = String::from_utf8(text).map_err(|_| CliError::NotText(input.to_owned()))?;
    crate::content::strict_json::check(&text).map_err(|why| CliError::Strict {
        path: input.to_owned(),
        why,
    })?;
    serde_json::from_str(&text).map_err(|source| CliError::Input {
        path: input.to_owned(),
        source,
    })
}

/// A stored self-check as text: where it is, the result in words, what changed since last time,
/// its scores with their bands, what to talk about, the tips, the statements nobody answered,
/// how last time's actions went and the new actions.
fn print_check_result(
    out: &mut impl Write,
    result: &CheckResult,
    lang: Lang,
) -> Result<(), CliError> {
    writeln!(
        out,
        "saved self-check {} of initiative {}",
        result.id, result.initiative_id
    )?;
    if let Some(m) = &result.municipality {
        writeln!(out, "municipality: {} ({})", m.name, m.code)?;
    }
    if let Some(w) = &result.wijk {
        writeln!(out, "wijk: {} ({})", w.name, w.code)?;
    }
    print_result_words(out, result, lang)?;
    if result.respondents > 1 {
        writeln!(out, "respondents: {}", result.respondents)?;
    }
    if result.on_paper {
        writeln!(out, "answered on paper")?;
    }
    if !result.disagreement.is_empty() {
        writeln!(
            out,
            "to talk about (50 points or more apart): {}",
            result.disagreement.join(", ")
        )?;
    }
    for a in &result.advice {
        writeln!(out, "tip ({}, {}): {}", a.lesson, a.role.as_str(), a.tip)?;
    }
    for s in &result.skipped {
        writeln!(out, "not answered ({}): {}", s.id, s.text)?;
    }
    for p in &result.previous_actions {
        writeln!(
            out,
            "last time: {} ({}): {}{}",
            p.action.text,
            p.action.lesson,
            p.outcome.as_str(),
            p.note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default()
        )?;
    }
    for a in &result.actions {
        writeln!(
            out,
            "action {}: {} ({}by {}, {})",
            a.id,
            a.text,
            a.who
                .as_deref()
                .map(|w| format!("{w}, "))
                .unwrap_or_default(),
            a.due,
            a.lesson
        )?;
    }
    Ok(())
}

/// The result's sentences, what changed since last time, and the scores with their bands.
fn print_result_words(
    out: &mut impl Write,
    result: &CheckResult,
    lang: Lang,
) -> Result<(), CliError> {
    for sentence in &result.summary {
        writeln!(out, "{sentence}")?;
    }
    if let Some(since) = &result.since_last {
        for sentence in &since.sentences {
            writeln!(out, "since last time: {sentence}")?;
        }
    }
    let band = |id: &str| {
        result
            .bands
            .strategies
            .iter()
            .find(|b| b.id == id)
            .and_then(|b| b.band)
            .map_or("–", |b| b.words(lang))
    };
    writeln!(
        out,
        "bonding {} ({})  bridging {} ({})  linking {} ({})",
        score_text(result.scores.bonding),
        band("bonding"),
        score_text(result.scores.bridging),
        band("bridging"),
        score_text(result.scores.linking),
        band("linking")
    )?;
    Ok(())
}

/// `wijkkompas history`.
pub(super) fn history(
    cli: &Cli,
    out: &mut impl Write,
    initiative_id: &str,
) -> Result<(), CliError> {
    let store = open_store_for_reading(cli)?;
    let history = selfcheck::history(&store, initiative_id)?
        .ok_or_else(|| CliError::UnknownInitiative(initiative_id.to_owned()))?;
    if cli.json {
        return print_json(&history.checks);
    }
    writeln!(
        out,
        "{} ({})",
        history.initiative.name, history.initiative.id
    )?;
    for c in &history.checks {
        writeln!(
            out,
            "{}  {}  {:<12} bonding {}  bridging {}  linking {}",
            c.created_at,
            c.id,
            c.role.as_str(),
            score_text(c.scores.bonding),
            score_text(c.scores.bridging),
            score_text(c.scores.linking)
        )?;
        if c.respondents > 1 {
            writeln!(out, "    {} respondents", c.respondents)?;
        }
        for p in &c.previous_actions {
            writeln!(
                out,
                "    last time: {} ({}): {}",
                p.action.text,
                p.action.lesson,
                p.outcome.as_str()
            )?;
        }
        for a in &c.actions {
            writeln!(
                out,
                "    action {}: {} (by {}, {})",
                a.id, a.text, a.due, a.lesson
            )?;
        }
    }
    if let Some(cmp) = &history.comparison {
        writeln!(out, "latest against the one before:")?;
        if cmp.before_set != cmp.after_set {
            writeln!(
                out,
                "  (made with statement set {} and statement set {}: compared on the statements both ask)",
                cmp.before_set, cmp.after_set
            )?;
        }
        for ch in cmp.strategies.iter().chain(&cmp.lessons) {
            writeln!(
                out,
                "  {:<11} {:>5} → {:<5} {:?}",
                ch.id,
                score_text(ch.before),
                score_text(ch.after),
                ch.direction
            )?;
        }
    }
    Ok(())
}

/// `wijkkompas chart`.
pub(super) fn chart(
    cli: &Cli,
    lang: Lang,
    out: &mut impl Write,
    check_id: &str,
    output: &Path,
) -> Result<(), CliError> {
    let store = open_store_for_reading(cli)?;
    let result = selfcheck::stored_result(&store, check_id, lang)?
        .ok_or_else(|| CliError::UnknownCheck(check_id.to_owned()))?;
    let svg = crate::reports::chart::result_svg(&result, lang);
    write_output(cli, &store, output, svg.as_bytes())?;
    if !cli.json {
        writeln!(out, "wrote {}", output.display())?;
    }
    Ok(())
}

/// `wijkkompas guide`: needs no database, but never writes over it.
pub(super) fn guide(
    cli: &Cli,
    lang: Lang,
    out: &mut impl Write,
    output: &Path,
) -> Result<(), CliError> {
    let pdf = crate::reports::guide::guide_pdf(lang)?;
    let db = cli.db.clone().or_else(paths::default_db_path);
    crate::safety::output::write(output, &pdf, db.as_deref(), cli.force)?;
    if !cli.json {
        writeln!(out, "wrote {}", output.display())?;
    }
    Ok(())
}

/// `wijkkompas list`.
pub(super) fn list(
    cli: &Cli,
    out: &mut impl Write,
    municipality: &Option<String>,
) -> Result<(), CliError> {
    known_municipality(municipality.as_deref())?;
    let store = open_store_for_reading(cli)?;
    let checks = store.list_checks(municipality.as_deref())?;
    if cli.json {
        return print_json(&checks);
    }
    for c in checks {
        writeln!(
            out,
            "{}  {:<30} {:<20} {}  {} / {} / {}",
            c.id,
            c.initiative.name,
            c.municipality.as_ref().map_or("-", |m| m.name.as_str()),
            c.created_at,
            score_text(c.scores.bonding),
            score_text(c.scores.bridging),
            score_text(c.scores.linking)
        )?;
    }
    Ok(())
}
