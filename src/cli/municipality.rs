/*! The commands of a municipality's work: reviews of initiatives, figures (per municipality,
wijk and quarter) and PDF reports. */
use std::io::Write;
use std::path::Path;

use super::{open_store, open_store_for_reading, print_json, score_text, write_output};
use super::{Cli, CliError, StatsArgs};
use crate::geo::geography;
use crate::model::Lang;
use crate::municipality::area::AreaError;
use crate::reports::report::ReportSubject;
use crate::selfcheck;

/// `wijkkompas review`.
pub(super) fn review(
    cli: &Cli,
    out: &mut impl Write,
    initiative_ids: &[String],
    status: &str,
    by: &str,
    note: &str,
) -> Result<(), CliError> {
    let to = crate::model::ReviewStatus::parse(status).ok_or_else(|| {
        crate::municipality::review::ReviewError::UnknownStatus(status.to_owned())
    })?;
    let mut store = open_store(cli)?;
    let entries = crate::municipality::review::add(&mut store, initiative_ids, to, by, note)?;
    if cli.json {
        // One initiative: its entry, as always; several: the list.
        return match entries.as_slice() {
            [one] => print_json(one),
            all => print_json(&all),
        };
    }
    for entry in &entries {
        writeln!(
            out,
            "{}: {} → {} by {}",
            entry.initiative_id,
            entry.from.as_str(),
            entry.to.as_str(),
            entry.reviewer
        )?;
    }
    Ok(())
}

/// `wijkkompas reviews`.
pub(super) fn reviews(
    cli: &Cli,
    out: &mut impl Write,
    initiative_id: &str,
) -> Result<(), CliError> {
    let store = open_store_for_reading(cli)?;
    if store.initiative(initiative_id)?.is_none() {
        return Err(CliError::UnknownInitiative(initiative_id.to_owned()));
    }
    let log = store.reviews(initiative_id)?;
    if cli.json {
        return print_json(&log);
    }
    for e in log {
        writeln!(
            out,
            "{}  {} → {}  {}: {}",
            e.created_at,
            e.from.as_str(),
            e.to.as_str(),
            e.reviewer,
            e.note
        )?;
    }
    Ok(())
}

/// `wijkkompas stats`: the figures its options choose.
pub(super) fn stats_command(
    cli: &Cli,
    out: &mut impl Write,
    which: &StatsArgs,
) -> Result<(), CliError> {
    let StatsArgs {
        municipality,
        by_wijk,
        wijk,
        by_quarter,
    } = which;
    if *by_quarter {
        return quarter_stats(cli, out, municipality.as_deref(), wijk.as_deref());
    }
    match (wijk, by_wijk) {
        (Some(code), _) => wijk_stats(cli, out, code),
        (None, true) => stats_by_wijk(cli, out, municipality.as_deref().unwrap_or_default()),
        (None, false) => stats(cli, out, municipality),
    }
}

/// `wijkkompas stats` of everything or of a municipality.
fn stats(cli: &Cli, out: &mut impl Write, municipality: &Option<String>) -> Result<(), CliError> {
    known_municipality(municipality.as_deref())?;
    let store = open_store_for_reading(cli)?;
    let stats = crate::municipality::stats::stats(&store, municipality.as_deref())?;
    if cli.json {
        return print_json(&stats);
    }
    print_stats(out, &stats)
}

/// The counts, then mean, sd and n per strategy and lesson.
fn print_stats(
    out: &mut impl Write,
    stats: &crate::municipality::stats::Stats,
) -> Result<(), CliError> {
    writeln!(
        out,
        "{} initiatives, {} checks",
        stats.initiatives, stats.checks
    )?;
    for (id, s) in stats.strategies.iter().chain(&stats.lessons) {
        writeln!(
            out,
            "  {:<11} mean {:>5}  sd {:>5}  n {}",
            id,
            score_text(s.mean),
            score_text(s.sd),
            s.n
        )?;
    }
    Ok(())
}

/// `wijkkompas stats --wijk`.
fn wijk_stats(cli: &Cli, out: &mut impl Write, code: &str) -> Result<(), CliError> {
    if !geography().has_wijken() {
        return Err(CliError::NoWijken);
    }
    let (wijk, _) = geography()
        .wijk(code)
        .ok_or_else(|| CliError::UnknownWijk(code.to_string()))?;
    let store = open_store_for_reading(cli)?;
    let stats = crate::municipality::stats::wijk_stats(&store, &wijk.code)?;
    if cli.json {
        return print_json(&stats);
    }
    write!(out, "{} ({}): ", wijk.name, wijk.code)?;
    print_stats(out, &stats)
}

/// A `--municipality` code must name a municipality: a misspelt one would otherwise give empty
/// figures or an empty list as if there were nothing.
pub(super) fn known_municipality(code: Option<&str>) -> Result<(), CliError> {
    match code {
        Some(code) => geography()
            .known_municipality(code)
            .map(drop)
            .map_err(|_| CliError::UnknownMunicipality(code.to_string())),
        None => Ok(()),
    }
}

/// `wijkkompas stats --by-quarter` (of a municipality, a wijk, or everything).
fn quarter_stats(
    cli: &Cli,
    out: &mut impl Write,
    municipality: Option<&str>,
    wijk: Option<&str>,
) -> Result<(), CliError> {
    known_municipality(municipality)?;
    let wijk = match wijk {
        Some(_) if !geography().has_wijken() => return Err(CliError::NoWijken),
        Some(code) => Some(
            geography()
                .wijk(code)
                .ok_or_else(|| CliError::UnknownWijk(code.to_string()))?
                .0
                .code,
        ),
        None => None,
    };
    let store = open_store_for_reading(cli)?;
    let trend = crate::municipality::stats::quarter_trend(&store, municipality, wijk.as_deref())?;
    if cli.json {
        return print_json(&trend);
    }
    writeln!(
        out,
        "{:<8} {:>11}  bonding bridging linking",
        "quarter", "initiatives"
    )?;
    for q in &trend {
        let mean = |s: &str| score_text(q.strategies.get(s).and_then(|s| s.mean));
        writeln!(
            out,
            "{:<8} {:>11}  {:>7} {:>8} {:>7}",
            q.quarter,
            q.initiatives,
            mean("bonding"),
            mean("bridging"),
            mean("linking")
        )?;
    }
    Ok(())
}

/// `wijkkompas stats --municipality CODE --by-wijk`.
fn stats_by_wijk(cli: &Cli, out: &mut impl Write, municipality: &str) -> Result<(), CliError> {
    if !geography().has_wijken() {
        return Err(CliError::NoWijken);
    }
    known_municipality(Some(municipality))?;
    let store = open_store_for_reading(cli)?;
    let table = crate::municipality::stats::stats_by_wijk(&store, municipality)?;
    if cli.json {
        return print_json(&table.wijken);
    }
    writeln!(
        out,
        "{:<10} {:<32} {:>11} {:>6}  bonding bridging linking",
        "wijk", "", "initiatives", "checks"
    )?;
    for w in &table.wijken {
        let mean = |s: &str| score_text(w.strategies.get(s).and_then(|s| s.mean));
        writeln!(
            out,
            "{:<10} {:<32} {:>11} {:>6}  {:>7} {:>8} {:>7}",
            w.wijk.code,
            w.wijk.name,
            w.initiatives,
            w.checks,
            mean("bonding"),
            mean("bridging"),
            mean("linking")
        )?;
    }
    if table.outside_wijken > 0 {
        writeln!(
            out,
            "{} initiatives lie outside every wijk",
            table.outside_wijken
        )?;
    }
    Ok(())
}

/// `wijkkompas report`.
pub(super) fn report(
    cli: &Cli,
    lang: Lang,
    out: &mut impl Write,
    check_id: &Option<String>,
    municipality: &Option<String>,
    output: &Path,
) -> Result<(), CliError> {
    let store = open_store_for_reading(cli)?;
    let pdf = match ReportSubject::from_choice(check_id.as_deref(), municipality.as_deref())? {
        ReportSubject::Check(id) => {
            let result =
                selfcheck::stored_result(&store, &id, lang)?.ok_or(CliError::UnknownCheck(id))?;
            crate::reports::report::check_report_pdf(&result, lang)?
        }
        ReportSubject::Municipality(code) => {
            let overview =
                crate::municipality::area::overview(&store, &code).map_err(|e| match e {
                    AreaError::UnknownMunicipality(code) => CliError::UnknownMunicipality(code),
                    other => CliError::Area(other),
                })?;
            crate::reports::report::municipality_report_pdf(&overview, lang)?
        }
    };
    write_output(cli, &store, output, &pdf)?;
    if !cli.json {
        writeln!(out, "wrote {}", output.display())?;
    }
    Ok(())
}
