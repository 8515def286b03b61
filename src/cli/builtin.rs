/*! The commands that show what is built into the program, without a database: the cases, the
lessons, and the geography (a point's municipality, a search for places). */
use std::io::Write;

use super::{print_json, Cli, CliError};
use crate::content::catalog::catalog;
use crate::geo::geography;
use crate::model::Lang;

/// `wijkkompas cases`.
pub(super) fn cases(cli: &Cli, lang: Lang, out: &mut impl Write) -> Result<(), CliError> {
    let cases = &catalog().cases;
    if cli.json {
        return print_json(cases);
    }
    for c in cases {
        let name = c.label.get(lang);
        let strategies: Vec<&str> = c.strategies.iter().map(|s| s.as_str()).collect();
        let place = c
            .municipality
            .as_ref()
            .map_or("online", |m| m.name.as_str());
        writeln!(
            out,
            "{:<46} {:<22} bundel {} ({})  {}",
            c.id,
            place,
            c.bundle,
            c.year,
            strategies.join(", ")
        )?;
        writeln!(out, "    {name}")?;
    }
    Ok(())
}

/// `wijkkompas lessons`.
pub(super) fn lessons(cli: &Cli, lang: Lang, out: &mut impl Write) -> Result<(), CliError> {
    let lessons = &catalog().lessons;
    if cli.json {
        return print_json(lessons);
    }
    for l in lessons {
        writeln!(out, "{}  {}", l.id, l.title.get(lang))?;
        writeln!(out, "    {}", l.summary.get(lang))?;
        for s in &l.statements {
            writeln!(
                out,
                "    - [{}{}] {}",
                s.id,
                if s.reverse { ", reverse" } else { "" },
                s.text.get(lang)
            )?;
        }
    }
    Ok(())
}

/// `wijkkompas locate`.
pub(super) fn locate(
    cli: &Cli,
    out: &mut impl Write,
    lat: &f64,
    lon: &f64,
) -> Result<(), CliError> {
    let location = geography().locate(*lat, *lon)?;
    if cli.json {
        return print_json(&location);
    }
    match (&location.municipality, &location.province) {
        (Some(m), Some(p)) => writeln!(
            out,
            "{} ({}), {} ({}){}",
            m.name,
            m.code,
            p.name,
            p.code,
            if location.approximate {
                " — approximate"
            } else {
                ""
            }
        )?,
        (None, Some(p)) => writeln!(out, "{} ({})", p.name, p.code)?,
        _ => writeln!(out, "outside the Netherlands")?,
    }
    if let Some(w) = &location.wijk {
        writeln!(out, "wijk: {} ({})", w.name, w.code)?;
    } else if location.municipality.is_some() && !geography().has_wijken() {
        writeln!(out, "wijk: not known (this build has no wijk boundaries)")?;
    }
    Ok(())
}

/// `wijkkompas places`.
pub(super) fn places(
    cli: &Cli,
    lang: Lang,
    out: &mut impl Write,
    query: &str,
    limit: &usize,
) -> Result<(), CliError> {
    let hits = geography().search(query, *limit, lang);
    if cli.json {
        return print_json(&hits);
    }
    for h in hits {
        writeln!(
            out,
            "{:<48} {:<13} {:.5}, {:.5}  {}",
            h.label,
            format!("{:?}", h.kind).to_lowercase(),
            h.lat,
            h.lon,
            h.province.name
        )?;
    }
    Ok(())
}
