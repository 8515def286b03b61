/*! The sync command: both ways with a shared PostgreSQL/PostGIS database. */
use std::io::Write;

use super::{cli_lang, open_store, print_json, secrets, Cli, CliError};
use crate::model::Lang;

/// `wijkkompas sync`: both ways with a shared database; a kiosk only with the coordinator's PIN.
pub(super) fn sync(
    cli: &Cli,
    lang: Lang,
    out: &mut impl Write,
    url: Option<&str>,
    municipality: Option<&str>,
    send_only: bool,
) -> Result<(), CliError> {
    if let Some(url) = url {
        secrets::refuse_password_in_url(url)?;
    }
    let mut store = open_store(cli)?;
    let s = crate::safety::settings::load(&store)?;
    if s.kiosk {
        let pin = secrets::read_pin(secrets::Pin::Current, cli_lang(cli))?;
        crate::safety::settings::verify_pin(&store, &pin)?;
    }
    let url = match url {
        Some(u) => u.to_string(),
        None if !s.sync_url.is_empty() => s.sync_url,
        None => return Err(CliError::NoSyncUrl),
    };
    let password = std::env::var("PGPASSWORD").ok();
    let summary = crate::sync::sync(
        &mut store,
        &url,
        crate::sync::SyncOptions {
            municipality,
            password: password.as_deref(),
            send_only,
        },
    )?;
    if cli.json {
        return print_json(&summary);
    }
    let (sent, received) = (&summary.sent, &summary.received);
    if summary.healed {
        writeln!(out, "the server had gone back in time (restored from an older backup?): everything here was sent again and everything there received again; nothing was lost or doubled")?;
    }
    writeln!(
        out,
        "sent: added {}, skipped {}, conflicts {}, erasures {}\nreceived: added {}, skipped {}, conflicts {}; removed here (erased elsewhere) {}",
        sent.added,
        sent.skipped,
        sent.conflicts.len(),
        sent.tombstones,
        received.added,
        received.skipped,
        received.conflicts.len(),
        summary.removed
    )?;
    for c in sent.conflicts.iter().chain(&received.conflicts) {
        writeln!(out, "  conflict {}: {}", c.id, c.reason)?;
    }
    if !summary.skipped.is_empty() {
        writeln!(
            out,
            "not received, because each breaks a rule (listed again on every sync until it is corrected on the server): {}",
            summary.skipped.len()
        )?;
    }
    for s in &summary.skipped {
        let what = match s.table.as_str() {
            "initiatives" => "initiative",
            "self_checks" => "self-check",
            _ => "review entry",
        };
        writeln!(
            out,
            "  {what} {} (number {} in the server's table {}): {}",
            s.id,
            s.seq,
            s.table,
            s.reason.words(lang)
        )?;
    }
    Ok(())
}
