//! `wijkkompas`: the core on the command line, for scripts, tests and municipal staff.
//! Every command prints readable text, or with `--json` a stable JSON shape (see docs/cli.md).
//! Here in the library (feature `cli`) so that the app's binary can also be the command line:
//! installed as `wijkkompas` it runs [`main`] (see `src-tauri/src/main.rs`).
//!
//! The rooms: the arguments (`args`), what goes wrong (`error`), the database and files a command
//! uses (`database`, `files`), how it prints (`output`), and the commands by capability:
//! `builtin`, `self_checks`, `municipality`, `exchange`, `sync` and `safety`. Here only [`main`]
//! and `run`, which chooses the command.
use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

mod args;
mod builtin;
mod database;
mod docs;
mod error;
mod exchange;
mod files;
mod municipality;
mod output;
mod safety;
mod secrets;
mod self_checks;
mod sync;

use crate::content::problem::Explain;
use args::{cli_lang, Cli, Command, ExportFormat, OnOff, SettingsArgs, StatsArgs};
use database::{open_store, open_store_for_reading, OpenStore};
pub use docs::app_command;
use error::CliError;
use files::{read_limited, write_output};
use municipality::known_municipality;
use output::{print_json, score_text};

/// The command line: parses the arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`wijkkompas cases | head`) is the reader's choice, not a failure.
        Err(CliError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            // Worded in the language asked for (--lang), from the same wording the app uses.
            eprintln!("wijkkompas: {}", e.problem().words(cli_lang(&cli)));
            ExitCode::FAILURE
        }
    }
}

/// Runs the command asked for, writing to standard output.
fn run(cli: &Cli) -> Result<(), CliError> {
    let lang = cli_lang(cli);
    let mut out = std::io::stdout().lock();
    // One function per command, in the room of its capability: `run` only chooses.
    match &cli.command {
        Command::Cases => builtin::cases(cli, lang, &mut out),
        Command::Lessons => builtin::lessons(cli, lang, &mut out),
        Command::Locate { lat, lon } => builtin::locate(cli, &mut out, lat, lon),
        Command::Places { query, limit } => builtin::places(cli, lang, &mut out, query, limit),
        Command::Check { input } => self_checks::check(cli, lang, &mut out, input),
        Command::History { initiative_id } => self_checks::history(cli, &mut out, initiative_id),
        Command::Chart { check_id, output } => {
            self_checks::chart(cli, lang, &mut out, check_id, output)
        }
        Command::Guide { output } => self_checks::guide(cli, lang, &mut out, output),
        Command::Export {
            format,
            municipality,
            output,
            encrypt_to,
        } => exchange::export(cli, &mut out, format, municipality, output, encrypt_to),
        Command::Import { file, identity } => exchange::import(cli, &mut out, file, identity),
        Command::Review {
            initiative_ids,
            status,
            by,
            note,
        } => municipality::review(cli, &mut out, initiative_ids, status, by, note),
        Command::Reviews { initiative_id } => municipality::reviews(cli, &mut out, initiative_id),
        Command::Stats(which) => municipality::stats_command(cli, &mut out, which),
        Command::Report {
            check_id,
            municipality,
            output,
        } => municipality::report(cli, lang, &mut out, check_id, municipality, output),
        Command::Keygen { output } => exchange::keygen(cli, &mut out, output),
        Command::Sync {
            postgres,
            municipality,
            send_only,
        } => sync::sync(
            cli,
            lang,
            &mut out,
            postgres.as_deref(),
            municipality.as_deref(),
            *send_only,
        ),
        Command::Settings(change) => safety::settings(cli, &mut out, change),
        Command::Purge { pretend_now } => safety::purge(cli, &mut out, pretend_now),
        Command::Erase { id, reason } => safety::erase(cli, &mut out, id, reason),
        Command::Backup { output } => safety::backup(cli, &mut out, output.as_deref()),
        Command::Backups => safety::backups(cli, &mut out),
        Command::Restore { file } => safety::restore(cli, &mut out, file),
        Command::List { municipality } => self_checks::list(cli, &mut out, municipality),
        Command::Completions { shell } => {
            docs::completions(*shell, &mut out);
            Ok(())
        }
        Command::ManPages { dir } => {
            for page in docs::man_pages(dir)? {
                writeln!(out, "{}", page.display())?;
            }
            Ok(())
        }
    }
}
