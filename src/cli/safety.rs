/*! The commands that keep a machine's data safe: its settings (kiosk mode and PIN, retention),
purging and erasing, and backups. */
use std::io::Write;
use std::path::Path;

use super::{cli_lang, open_store, open_store_for_reading, print_json, secrets};
use super::{Cli, CliError, OnOff, SettingsArgs};

/// `wijkkompas settings`.
pub(super) fn settings(
    cli: &Cli,
    out: &mut impl Write,
    change: &SettingsArgs,
) -> Result<(), CliError> {
    let SettingsArgs {
        name,
        kiosk,
        new_pin,
        public_key,
        timeout,
        retention,
        round_location,
        printer,
    } = change;
    let new_pin = *new_pin;
    let store = open_store(cli)?;
    let mut s = crate::safety::settings::load(&store)?;
    let changes = name.is_some()
        || kiosk.is_some()
        || new_pin
        || public_key.is_some()
        || timeout.is_some()
        || retention.is_some()
        || round_location.is_some()
        || printer.is_some();
    if let Some(n) = name {
        s.machine_name = n.clone();
    }
    if let Some(k) = kiosk {
        s.kiosk = *k == OnOff::On;
    }
    if let Some(k) = public_key {
        s.public_key = Some(k.clone()).filter(|k| !k.trim().is_empty());
    }
    if let Some(t) = timeout {
        s.timeout_minutes = *t;
    }
    if let Some(r) = retention {
        s.retention_months = Some(*r).filter(|r| *r > 0);
    }
    if let Some(r) = round_location {
        s.round_location = *r == OnOff::On;
    }
    if let Some(p) = printer {
        s.printer = Some(p.trim().to_string()).filter(|p| !p.is_empty());
    }
    // Showing the settings writes nothing; a change is checked whole, then written at once. On a
    // kiosk it is the coordinator's: the current PIN first (read before the new one).
    if changes {
        if crate::safety::settings::load(&store)?.kiosk {
            let pin = secrets::read_pin(secrets::Pin::Current, cli_lang(cli))?;
            crate::safety::settings::verify_pin(&store, &pin)?;
        }
        let pin = match new_pin {
            true => Some(secrets::read_pin(secrets::Pin::New, cli_lang(cli))?),
            false => None,
        };
        crate::safety::settings::apply(&store, &s, pin.as_deref())?;
    }
    let s = crate::safety::settings::load(&store)?;
    if cli.json {
        return print_json(&s);
    }
    writeln!(out, "machine {} ({}), kiosk {}, PIN {}, timeout {} min, retention {}, rounded locations {}, printer {}, public key {}", if s.machine_name.is_empty() { "without a name" } else { s.machine_name.as_str() }, s.machine_id, if s.kiosk { "on" } else { "off" }, if s.has_pin { "set" } else { "not set" }, s.timeout_minutes, s.retention_months.map_or("none".into(), |m| format!("{m} months")), if s.round_location { "on" } else { "off" }, s.printer.as_deref().unwrap_or("none"), s.public_key.as_deref().unwrap_or("none"))?;
    Ok(())
}

/// `wijkkompas purge`.
pub(super) fn purge(
    cli: &Cli,
    out: &mut impl Write,
    pretend_now: &Option<String>,
) -> Result<(), CliError> {
    let mut store = open_store(cli)?;
    let months = crate::safety::settings::load(&store)?
        .retention_months
        .ok_or(CliError::NoRetention)?;
    let now = match pretend_now {
        Some(t) => time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
            .map_err(|_| CliError::BadTime(t.clone()))?,
        None => time::OffsetDateTime::now_utc(),
    };
    let report = crate::safety::retention::purge(&mut store, months, now)?;
    if cli.json {
        return print_json(&report);
    }
    writeln!(
        out,
        "marked {}, removed {} (retention {} months)",
        report.marked, report.removed, months
    )?;
    Ok(())
}

/// `wijkkompas erase`: on a kiosk only with the coordinator's PIN (`WIJKKOMPAS_PIN`).
pub(super) fn erase(
    cli: &Cli,
    out: &mut impl Write,
    id: &str,
    reason: &str,
) -> Result<(), CliError> {
    let mut store = open_store(cli)?;
    if crate::safety::settings::load(&store)?.kiosk {
        let pin = secrets::read_pin(secrets::Pin::Current, cli_lang(cli))?;
        crate::safety::settings::verify_pin(&store, &pin)?;
    }
    let report = crate::safety::erasure::erase(&mut store, id, reason)?;
    if cli.json {
        return print_json(&report);
    }
    writeln!(
        out,
        "erased {} {}: {} record(s) removed here; the next sync removes it on the shared database and every machine",
        report.kind.replace('_', "-"),
        report.id,
        report.removed
    )?;
    Ok(())
}

/// `wijkkompas backup`: into the backups folder, or with `-o` to a file of the person's choice
/// (never over the database or a backup; an existing file only with --force; never half).
pub(super) fn backup(
    cli: &Cli,
    out: &mut impl Write,
    output: Option<&Path>,
) -> Result<(), CliError> {
    let store = open_store_for_reading(cli)?;
    let path = match output {
        Some(to) => {
            crate::safety::output::write_with(to, Some(&store.path), cli.force, |temp| {
                store.copy_into(temp.path()).map_err(std::io::Error::other)
            })?;
            to.to_path_buf()
        }
        None => store.backup_now("manual")?,
    };
    if cli.json {
        return print_json(&serde_json::json!({ "path": path.display().to_string() }));
    }
    writeln!(out, "wrote {}", path.display())?;
    Ok(())
}

/// `wijkkompas backups`.
pub(super) fn backups(cli: &Cli, out: &mut impl Write) -> Result<(), CliError> {
    let store = open_store_for_reading(cli)?;
    let list = store.backups()?;
    if cli.json {
        return print_json(&list);
    }
    for b in list {
        writeln!(out, "{}  {:>9} bytes  {}", b.made_at, b.bytes, b.path)?;
    }
    Ok(())
}

/// `wijkkompas restore`.
pub(super) fn restore(cli: &Cli, out: &mut impl Write, file: &Path) -> Result<(), CliError> {
    let mut store = open_store(cli)?;
    let before = store.restore_from(file)?;
    if cli.json {
        return print_json(
            &serde_json::json!({ "restored": file.display().to_string(), "previous_state": before.display().to_string() }),
        );
    }
    writeln!(
        out,
        "restored {}; the previous state is kept in {}",
        file.display(),
        before.display()
    )?;
    Ok(())
}
