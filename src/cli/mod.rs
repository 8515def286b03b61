//! `wijkkompas`: the core on the command line, for scripts, tests and municipal staff.
//! Every command prints readable text, or with `--json` a stable JSON shape (see docs/cli.md).
//! Here in the library (feature `cli`) so that the app's binary can also be the command line:
//! installed as `wijkkompas` it runs [`main`] (see `src-tauri/src/main.rs`).
use crate::content::problem::{Explain, Kind, Problem};
use crate::reports::report::ReportSubject;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod docs;
mod secrets;
pub use docs::app_command;
use serde::Serialize;
use thiserror::Error;

use crate::content::catalog::catalog;
use crate::geo::{geography, GeoError};
use crate::model::Lang;
use crate::municipality::area::AreaError;
use crate::selfcheck::{self, CheckInput, SelfCheckError};
use crate::store::paths;
use crate::store::{Store, StoreError};

#[derive(Parser)]
#[command(
    name = "wijkkompas",
    version,
    about = "Wijkkompas: Movisie's Wij in de Wijk lessons and cases, and self-checks of neighbourhood initiatives",
    long_about = "The command line of Wijkkompas, beside the app (wijkkompas-app) and on the same database: the \
                  lessons and cases of Movisie's Wij in de Wijk, self-checks of neighbourhood initiatives, and a \
                  municipality's work with them: importing the bundles of community centres (a file or a folder), \
                  syncing with a shared PostgreSQL/PostGIS database, reviews, figures, reports and exports. Every \
                  command prints readable text, or with --json a stable JSON shape for scripts."
)]
struct Cli {
    /// Database file (default: the app's per-user database, or $WIJKKOMPAS_DB)
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Language of texts and tips
    #[arg(long, global = true, value_enum, default_value = "nl")]
    lang: LangArg,
    /// Print JSON instead of text
    #[arg(long, global = true)]
    json: bool,
    /// Replace an output file (-o) that already exists
    #[arg(long, global = true)]
    force: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Nl,
    En,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum OnOff {
    On,
    Off,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Bundle,
    Csv,
    Geojson,
    Xlsx,
}

#[derive(Subcommand)]
enum Command {
    /// The 29 cases of the Wij in de Wijk bundles
    Cases,
    /// The nine lessons with their tips and statements
    Lessons,
    /// Municipality and province of a point (WGS84 degrees)
    #[command(allow_negative_numbers = true)]
    Locate { lat: f64, lon: f64 },
    /// Search Dutch places, municipalities and neighbourhoods
    Places {
        query: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
    /// Store a self-check from a JSON file and print its result
    Check {
        #[arg(long, value_name = "FILE")]
        input: PathBuf,
    },
    /// An initiative's self-checks over time, with the latest compared to the one before
    History {
        /// The initiative's id (a UUID)
        initiative_id: String,
    },
    /// Write the result chart of a self-check as SVG (the same picture the app shows)
    Chart {
        /// The self-check's id (a UUID)
        check_id: String,
        #[arg(short = 'o', long = "output", value_name = "FILE.svg")]
        output: PathBuf,
    },
    /// Print the facilitator's guide for a group session with the paper answer form, as PDF
    Guide {
        #[arg(short = 'o', long = "output", value_name = "FILE.pdf")]
        output: PathBuf,
    },
    /// Export self-checks as a bundle (to import elsewhere), an Excel workbook, CSV or GeoJSON (QGIS)
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Only this municipality (CBS code)
        #[arg(long, value_name = "CODE")]
        municipality: Option<String>,
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        /// Encrypt the bundle to this public key (age1…)
        #[arg(long, value_name = "PUBLIC_KEY")]
        encrypt_to: Option<String>,
    },
    /// Import a bundle (the whole file or nothing, never overwriting), or every bundle in a folder
    /// (each file on its own; the exit status says whether any was rejected)
    Import {
        /// A bundle file, or a folder of them (`.json`, `.age`)
        file: PathBuf,
        /// The private key file, for an encrypted bundle
        #[arg(long, value_name = "KEYFILE")]
        identity: Option<PathBuf>,
    },
    /// Sync with a shared PostgreSQL/PostGIS database: send this machine's new records and receive
    /// the others', by the rules of import (docs/postgis-schema.md)
    #[command(after_long_help = secrets::PIN_HELP)]
    Sync {
        /// The database, as postgres://USER@HOST:PORT/DATABASE?sslmode=require (default: the one
        /// set in the app's settings); an address with a password in it is refused: the password
        /// comes from $PGPASSWORD, and is never stored or printed
        #[arg(long, value_name = "URL")]
        postgres: Option<String>,
        /// Only this municipality's initiatives (CBS code, GM0344), both ways
        #[arg(long, value_name = "CODE")]
        municipality: Option<String>,
        /// Only send this machine's records, receive none (a community centre's machine that
        /// should hold no one else's data)
        #[arg(long)]
        send_only: bool,
    },
    /// Make a key pair: the private key goes to KEYFILE (owner-only), the public key is printed last
    Keygen {
        #[arg(short = 'o', long = "output", value_name = "KEYFILE")]
        output: PathBuf,
    },
    /// Show or change this machine's settings (name, kiosk mode, PIN, public key, timeout, retention);
    /// while kiosk mode is on, a change needs the coordinator's current PIN
    #[command(after_long_help = secrets::PIN_HELP)]
    Settings {
        /// This machine's name, carried by its bundles (e.g. "Buurthuis De Kolk"; empty to remove)
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        #[arg(long, value_name = "on|off")]
        kiosk: Option<OnOff>,
        /// Set a new coordinator PIN (4 to 12 digits), read from $WIJKKOMPAS_NEW_PIN, the terminal
        /// or standard input (never an argument)
        #[arg(long)]
        new_pin: bool,
        /// The municipality's public key for encrypted bundles (empty to remove)
        #[arg(long, value_name = "PUBLIC_KEY")]
        public_key: Option<String>,
        /// Inactivity timeout in minutes
        #[arg(long, value_name = "MINUTES")]
        timeout: Option<u32>,
        /// Purge self-checks older than this many months (0 keeps everything)
        #[arg(long, value_name = "MONTHS")]
        retention: Option<u32>,
        #[arg(long, value_name = "on|off")]
        round_location: Option<OnOff>,
    },
    /// Change an initiative's review status
    Review {
        /// One or more initiatives' ids: all move, or none
        #[arg(required = true, num_args = 1..)]
        initiative_ids: Vec<String>,
        #[arg(long, value_name = "STATE")]
        status: String,
        #[arg(long, value_name = "NAME")]
        by: String,
        #[arg(long, value_name = "TEXT", default_value = "")]
        note: String,
    },
    /// An initiative's review log, oldest first
    Reviews { initiative_id: String },
    /// Aggregates over each initiative's latest check (means only for groups of 5 or more)
    Stats {
        #[arg(long, value_name = "CODE")]
        municipality: Option<String>,
        /// One row per wijk of the municipality (wijken without initiatives included)
        #[arg(long, requires = "municipality")]
        by_wijk: bool,
        /// The figures of one wijk (CBS code, e.g. WK034403)
        #[arg(long, value_name = "WKCODE", conflicts_with_all = ["municipality", "by_wijk"])]
        wijk: Option<String>,
        /// Per quarter: the mean per strategy over each initiative's latest check in that quarter
        #[arg(long, conflicts_with = "by_wijk")]
        by_quarter: bool,
    },
    /// A PDF report: of one self-check, or with --municipality of a municipality
    Report {
        /// The self-check's id (leave out with --municipality)
        check_id: Option<String>,
        #[arg(long, value_name = "CODE", conflicts_with = "check_id")]
        municipality: Option<String>,
        #[arg(short = 'o', long = "output", value_name = "FILE.pdf")]
        output: PathBuf,
    },
    /// Purge self-checks past the retention period set with `settings --retention`
    Purge {
        /// Purge as if the clock said this time (RFC 3339): it really purges, as it would then
        #[arg(long, value_name = "TIME")]
        pretend_now: Option<String>,
    },
    /// Erase an initiative (with all its self-checks) or one self-check, here and, at the next
    /// sync, on the shared database and every machine; older backups are replaced
    Erase {
        /// The initiative's or the self-check's id
        id: String,
        /// Why it must go (who asked, or why it should never have been kept); kept on this machine only
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Make a backup of the database now (backups are also made daily and before upgrades)
    Backup {
        /// Write the copy to this file (on another disk, say) instead of the backups folder
        #[arg(short = 'o', long = "output", value_name = "FILE.db")]
        output: Option<PathBuf>,
    },
    /// List the backups, newest first
    Backups,
    /// Replace the database's content with a backup (the current state is backed up first)
    Restore { file: PathBuf },
    /// Print the completion script for a shell (bash, zsh, fish, elvish, powershell)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the manual pages of both programs into a folder (for packaging)
    #[command(hide = true)]
    ManPages {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Stored self-checks, oldest first
    List {
        /// Only this municipality (CBS code, e.g. GM0344)
        #[arg(long, value_name = "CODE")]
        municipality: Option<String>,
    },
}

#[derive(Debug, Error)]
enum CliError {
    #[error("{rejected} of {files} files were rejected; nothing of those was imported")]
    FilesRejected { rejected: u32, files: u32 },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a valid self-check file: {source}")]
    Input {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{path} is not a valid self-check file: {why}")]
    Strict { path: PathBuf, why: String },
    #[error("{0} is not UTF-8 text")]
    NotText(PathBuf),
    #[error("{path} is {size} bytes; at most {limit} are read. Nothing was changed")]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("no initiative with id {0}")]
    UnknownInitiative(String),
    #[error("no self-check with id {0}")]
    UnknownCheck(String),
    #[error(transparent)]
    Write(#[from] crate::safety::output::OutputError),
    #[error("no municipality with code {0}")]
    UnknownMunicipality(String),
    #[error("there is no wijk with code {0}")]
    UnknownWijk(String),
    #[error("this build has no wijk boundaries")]
    NoWijken,
    #[error(transparent)]
    Report(#[from] crate::reports::report::ReportError),
    #[error("no database location: set --db or WIJKKOMPAS_DB")]
    NoDatabase,
    #[error(transparent)]
    Geo(#[from] GeoError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Area(AreaError),
    #[error(transparent)]
    SelfCheck(#[from] SelfCheckError),
    #[error(transparent)]
    Exchange(#[from] crate::exchange::ExchangeError),
    #[error(transparent)]
    Export(#[from] crate::exchange::export::ExportError),
    #[error(transparent)]
    Review(#[from] crate::municipality::review::ReviewError),
    #[error(transparent)]
    Crypto(#[from] crate::safety::crypto::CryptoError),
    #[error(transparent)]
    Retention(#[from] crate::safety::retention::RetentionError),
    #[error(transparent)]
    Erasure(#[from] crate::safety::erasure::ErasureError),
    #[error("no retention period is set: use `settings --retention MONTHS`")]
    NoRetention,
    #[error("\"{0}\" is not an RFC 3339 time")]
    BadTime(String),
    #[error(transparent)]
    Settings(#[from] crate::safety::settings::SettingsError),
    #[error(transparent)]
    Sync(#[from] crate::sync::SyncError),
    #[error("no shared database: give --postgres URL, or set one in the app's settings")]
    NoSyncUrl,
    #[error("no PIN was given: set {variable}, or type it when asked (never as an argument)")]
    PinMissing { variable: &'static str },
    #[error("the two new PINs differ")]
    PinsDiffer,
    #[error("the database address holds a password: leave it out and set PGPASSWORD")]
    PasswordInUrl,
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
}

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

fn cli_lang(cli: &Cli) -> Lang {
    match cli.lang {
        LangArg::Nl => Lang::Nl,
        LangArg::En => Lang::En,
    }
}

impl Explain for CliError {
    fn problem(&self) -> Problem {
        let path = |p: &std::path::Path| p.display().to_string();
        match self {
            CliError::Read { path: p, source } => Problem::new(Kind::read_file)
                .with("path", path(p))
                .with("detail", source),
            CliError::FilesRejected { rejected, files } => Problem::new(Kind::files_rejected)
                .with("rejected", rejected)
                .with("files", files),
            CliError::Input { path: p, source } => Problem::new(Kind::input_invalid)
                .with("path", path(p))
                .with("detail", source),
            CliError::Strict { path: p, why } => Problem::new(Kind::input_invalid)
                .with("path", path(p))
                .with("detail", why),
            CliError::NotText(p) => Problem::new(Kind::input_not_text).with("path", path(p)),
            CliError::TooLarge {
                path: p,
                size,
                limit,
            } => Problem::new(Kind::input_too_large)
                .with("path", path(p))
                .with("size", size)
                .with("max", limit),
            CliError::UnknownInitiative(id) => {
                Problem::new(Kind::unknown_initiative).with("id", id)
            }
            CliError::UnknownCheck(id) => Problem::new(Kind::unknown_check).with("id", id),
            CliError::Write(e) => e.problem(),
            CliError::UnknownMunicipality(code) => {
                Problem::new(Kind::unknown_municipality).with("code", code)
            }
            CliError::UnknownWijk(code) => Problem::new(Kind::unknown_wijk).with("code", code),
            CliError::NoWijken => Problem::new(Kind::no_wijken),
            CliError::Report(e) => e.problem(),
            CliError::NoDatabase => Problem::new(Kind::store_no_location),
            CliError::Geo(e) => e.problem(),
            CliError::Store(e) => e.problem(),
            CliError::Sync(e) => e.problem(),
            CliError::NoSyncUrl => Problem::new(Kind::sync_not_set),
            CliError::PinMissing { variable } => {
                Problem::new(Kind::pin_missing).with("variable", variable)
            }
            CliError::PinsDiffer => Problem::new(Kind::pins_differ),
            CliError::PasswordInUrl => Problem::new(Kind::url_password),
            CliError::Area(e) => e.problem(),
            CliError::SelfCheck(e) => e.problem(),
            CliError::Exchange(e) => e.problem(),
            CliError::Export(e) => e.problem(),
            CliError::Review(e) => e.problem(),
            CliError::Crypto(e) => e.problem(),
            CliError::Retention(e) => e.problem(),
            CliError::Erasure(e) => e.problem(),
            CliError::NoRetention => Problem::new(Kind::retention_not_set),
            CliError::BadTime(time) => Problem::new(Kind::bad_time).with("time", time),
            CliError::Settings(e) => e.problem(),
            CliError::Output(e) => Problem::new(Kind::write_output).with("detail", e),
        }
    }
}

/// The store a command works on. What went wrong beside the command (a daily backup that could
/// not be made) is said on standard error when the command is done with it: the command itself
/// succeeded, and says so.
struct OpenStore {
    store: Store,
    path: PathBuf,
    lang: Lang,
}

impl std::ops::Deref for OpenStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

impl std::ops::DerefMut for OpenStore {
    fn deref_mut(&mut self) -> &mut Store {
        &mut self.store
    }
}

impl Drop for OpenStore {
    fn drop(&mut self) {
        for warning in self.store.take_warnings() {
            eprintln!(
                "wijkkompas: warning: {}",
                warning.problem().words(self.lang)
            );
        }
    }
}

fn db_path(cli: &Cli) -> Result<PathBuf, CliError> {
    cli.db
        .clone()
        .or_else(paths::default_db_path)
        .ok_or(CliError::NoDatabase)
}

/// The store for a command that saves.
fn open_store(cli: &Cli) -> Result<OpenStore, CliError> {
    opened(cli, Store::open_or_recover)
}

/// The store for a command that only reads: opened read-only, so that it never waits for a
/// running import, settles nothing, makes no daily backup, and works on a read-only medium.
fn open_store_for_reading(cli: &Cli) -> Result<OpenStore, CliError> {
    opened(cli, Store::open_for_reading_or_recover)
}

/// How a command opens the store: the store, and where a damaged database was moved to.
type Opening = fn(&Path) -> Result<(Store, Option<PathBuf>), StoreError>;

fn opened(cli: &Cli, open: Opening) -> Result<OpenStore, CliError> {
    let path = db_path(cli)?;
    let (store, moved) = open(&path)?;
    if let Some(aside) = moved {
        eprintln!("wijkkompas: the database {} was damaged; it was moved to {} and a new, empty database was started", path.display(), aside.display());
    }
    Ok(OpenStore {
        store,
        path,
        lang: cli_lang(cli),
    })
}

/// Reads a file of at most `limit` bytes; a larger one is refused before it is read (a file that
/// grows while it is read is cut off at the limit and refused all the same).
fn read_limited(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, CliError> {
    use std::io::Read;
    let read_err = |source| CliError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_err)?;
    let size = file.metadata().map_err(read_err)?.len();
    if size > limit {
        return Err(CliError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > limit {
        return Err(CliError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Writes a command's output file: never onto the database or its backups, never over an
/// existing file without --force, never half.
fn write_output(
    cli: &Cli,
    store: &OpenStore,
    path: &std::path::Path,
    bytes: &[u8],
) -> Result<(), CliError> {
    Ok(crate::safety::output::write(
        path,
        bytes,
        Some(&store.path),
        cli.force,
    )?)
}

fn print_json(value: &impl Serialize) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

fn score_text(score: Option<f64>) -> String {
    score.map_or_else(|| "–".to_string(), |s| format!("{s:.1}"))
}

fn run(cli: &Cli) -> Result<(), CliError> {
    let lang = cli_lang(cli);
    let mut out = std::io::stdout().lock();
    // One function per command, below: `run` only chooses.
    match &cli.command {
        Command::Cases => cases(cli, lang, &mut out),
        Command::Lessons => lessons(cli, lang, &mut out),
        Command::Locate { lat, lon } => locate(cli, &mut out, lat, lon),
        Command::Places { query, limit } => places(cli, lang, &mut out, query, limit),
        Command::Check { input } => check(cli, lang, &mut out, input),
        Command::History { initiative_id } => history(cli, &mut out, initiative_id),
        Command::Chart { check_id, output } => chart(cli, lang, &mut out, check_id, output),
        Command::Guide { output } => guide(cli, lang, &mut out, output),
        Command::Export {
            format,
            municipality,
            output,
            encrypt_to,
        } => export(cli, &mut out, format, municipality, output, encrypt_to),
        Command::Import { file, identity } => import(cli, &mut out, file, identity),
        Command::Review {
            initiative_ids,
            status,
            by,
            note,
        } => review(cli, &mut out, initiative_ids, status, by, note),
        Command::Reviews { initiative_id } => reviews(cli, &mut out, initiative_id),
        Command::Stats {
            municipality,
            wijk,
            by_quarter: true,
            ..
        } => quarter_stats(cli, &mut out, municipality.as_deref(), wijk.as_deref()),
        Command::Stats {
            municipality,
            by_wijk,
            wijk,
            by_quarter: false,
        } => match (wijk, by_wijk) {
            (Some(code), _) => wijk_stats(cli, &mut out, code),
            (None, true) => {
                stats_by_wijk(cli, &mut out, municipality.as_deref().unwrap_or_default())
            }
            (None, false) => stats(cli, &mut out, municipality),
        },
        Command::Report {
            check_id,
            municipality,
            output,
        } => report(cli, lang, &mut out, check_id, municipality, output),
        Command::Keygen { output } => keygen(cli, &mut out, output),
        Command::Sync {
            postgres,
            municipality,
            send_only,
        } => sync(
            cli,
            lang,
            &mut out,
            postgres.as_deref(),
            municipality.as_deref(),
            *send_only,
        ),
        Command::Settings {
            name,
            kiosk,
            new_pin,
            public_key,
            timeout,
            retention,
            round_location,
        } => settings(
            cli,
            &mut out,
            name,
            kiosk,
            *new_pin,
            public_key,
            timeout,
            retention,
            round_location,
        ),
        Command::Purge { pretend_now } => purge(cli, &mut out, pretend_now),
        Command::Erase { id, reason } => erase(cli, &mut out, id, reason),
        Command::Backup { output } => backup(cli, &mut out, output.as_deref()),
        Command::Backups => backups(cli, &mut out),
        Command::Restore { file } => restore(cli, &mut out, file),
        Command::List { municipality } => list(cli, &mut out, municipality),
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

/// `wijkkompas cases`.
fn cases(cli: &Cli, lang: Lang, out: &mut impl Write) -> Result<(), CliError> {
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
fn lessons(cli: &Cli, lang: Lang, out: &mut impl Write) -> Result<(), CliError> {
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
fn locate(cli: &Cli, out: &mut impl Write, lat: &f64, lon: &f64) -> Result<(), CliError> {
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
fn places(
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

/// `wijkkompas check`.
fn check(cli: &Cli, lang: Lang, out: &mut impl Write, input: &Path) -> Result<(), CliError> {
    let text = read_limited(input, selfcheck::MAX_INPUT_BYTES)?;
    let text = String::from_utf8(text).map_err(|_| CliError::NotText(input.to_owned()))?;
    crate::content::strict_json::check(&text).map_err(|why| CliError::Strict {
        path: input.to_owned(),
        why,
    })?;
    let parsed: CheckInput = serde_json::from_str(&text).map_err(|source| CliError::Input {
        path: input.to_owned(),
        source,
    })?;
    let mut store = open_store(cli)?;
    let result = selfcheck::submit(&mut store, &parsed, lang)?;
    if result.backup_failed {
        eprintln!("wijkkompas: warning: the self-check was saved, but the daily backup could not be made (see `wijkkompas backup`)");
    }
    if cli.json {
        return print_json(&result);
    }
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
    writeln!(
        out,
        "bonding {}  bridging {}  linking {}",
        score_text(result.scores.bonding),
        score_text(result.scores.bridging),
        score_text(result.scores.linking)
    )?;
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
        writeln!(out, "tip ({}): {}", a.lesson, a.tip)?;
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

/// `wijkkompas history`.
fn history(cli: &Cli, out: &mut impl Write, initiative_id: &str) -> Result<(), CliError> {
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
fn chart(
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

/// `wijkkompas export`.
fn export(
    cli: &Cli,
    out: &mut impl Write,
    format: &ExportFormat,
    municipality: &Option<String>,
    output: &Path,
    encrypt_to: &Option<String>,
) -> Result<(), CliError> {
    let store = open_store_for_reading(cli)?;
    let code = municipality.as_deref();
    let format = match format {
        ExportFormat::Bundle => crate::exchange::export::ExportFormat::Bundle,
        ExportFormat::Csv => crate::exchange::export::ExportFormat::Csv,
        ExportFormat::Geojson => crate::exchange::export::ExportFormat::Geojson,
        ExportFormat::Xlsx => crate::exchange::export::ExportFormat::Xlsx,
    };
    let file = crate::exchange::export::export_file(
        &store,
        format,
        code,
        encrypt_to.as_deref(),
        cli_lang(cli),
    )?;
    write_output(cli, &store, output, &file.bytes)?;
    if !cli.json {
        writeln!(out, "wrote {}", output.display())?;
    }
    Ok(())
}

/// `wijkkompas import`.
/// `wijkkompas sync`: both ways with a shared database; a kiosk only with the coordinator's PIN.
fn sync(
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

fn import(
    cli: &Cli,
    out: &mut impl Write,
    file: &Path,
    identity: &Option<PathBuf>,
) -> Result<(), CliError> {
    let identity = match identity {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
                path: path.clone(),
                source,
            })?;
            Some(crate::safety::crypto::parse_identity(&text)?)
        }
        None => None,
    };
    let mut store = open_store(cli)?;
    let show_progress = !cli.json && std::io::IsTerminal::is_terminal(&std::io::stderr());
    if file.is_dir() {
        return import_folder(cli, out, &mut store, file, identity.as_ref(), show_progress);
    }
    let summary =
        crate::exchange::import_file(&mut store, file, identity.as_ref(), &mut |done, total| {
            if show_progress {
                eprint!("\rimporting {done}/{total}");
            }
        })?;
    if show_progress {
        eprintln!();
    }
    if cli.json {
        return print_json(&summary);
    }
    writeln!(
        out,
        "added {}, skipped {}, conflicts {}",
        summary.added,
        summary.skipped,
        summary.conflicts.len()
    )?;
    for c in &summary.conflicts {
        writeln!(out, "  conflict {}: {}", c.id, c.reason)?;
    }
    Ok(())
}

/// `wijkkompas import DIR`: every bundle in the folder, each file on its own.
fn import_folder(
    cli: &Cli,
    out: &mut impl Write,
    store: &mut OpenStore,
    dir: &std::path::Path,
    identity: Option<&age::x25519::Identity>,
    show_progress: bool,
) -> Result<(), CliError> {
    use crate::exchange::folder::{import_folder, FileResult, LeftAlone};
    let lang = cli_lang(cli);
    let summary = import_folder(store, dir, identity, &mut |p| {
        if show_progress && p.file < p.files {
            eprint!(
                "\rfile {}/{}: {}/{} records   ",
                p.file + 1,
                p.files,
                p.done,
                p.total
            );
        }
    })?;
    if show_progress {
        eprintln!();
    }
    if cli.json {
        // The problem as data, and worded in --lang for a person reading the JSON.
        let mut value = serde_json::to_value(&summary).map_err(std::io::Error::from)?;
        for (f, o) in value["files"]
            .as_array_mut()
            .into_iter()
            .flatten()
            .zip(&summary.files)
        {
            f["message"] = o
                .problem
                .as_ref()
                .map(|p| serde_json::Value::String(p.words(lang)))
                .unwrap_or(serde_json::Value::Null);
        }
        print_json(&value)?;
    } else {
        for f in &summary.files {
            match f.result {
                FileResult::Rejected => writeln!(
                    out,
                    "rejected          {}: {}",
                    f.file,
                    f.problem
                        .as_ref()
                        .map(|p| p.words(lang))
                        .unwrap_or_default()
                )?,
                result => writeln!(
                    out,
                    "{:<17} {} (added {}, skipped {}, conflicts {})",
                    if result == FileResult::Imported {
                        "imported"
                    } else {
                        "already present"
                    },
                    f.file,
                    f.added,
                    f.skipped,
                    f.conflicts.len()
                )?,
            }
            for c in &f.conflicts {
                writeln!(out, "  conflict {}: {}", c.id, c.reason)?;
            }
        }
        for entry in &summary.ignored {
            let (what, why) = match entry.reason {
                LeftAlone::NotABundle => ("not a bundle", "left alone"),
                LeftAlone::Subfolder => ("subfolder", "not imported"),
                LeftAlone::SymbolicLink => ("symbolic link", "not followed"),
                LeftAlone::Special => ("not a file", "a FIFO, device or socket: not opened"),
                LeftAlone::Unreadable => ("unreadable", "not imported"),
            };
            writeln!(out, "{what:<17} {} ({why})", entry.name)?;
        }
        if let Some(later) = &summary.figures_later {
            writeln!(out, "{}", later.words(lang))?;
        }
        writeln!(
            out,
            "{} files: added {}, skipped {}, conflicts {}, rejected {}",
            summary.files.len(),
            summary.added,
            summary.skipped,
            summary.conflicts,
            summary.rejected
        )?;
    }
    if summary.rejected > 0 {
        return Err(CliError::FilesRejected {
            rejected: summary.rejected,
            files: summary.files.len() as u32,
        });
    }
    Ok(())
}

/// `wijkkompas review`.
fn review(
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
fn reviews(cli: &Cli, out: &mut impl Write, initiative_id: &str) -> Result<(), CliError> {
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

/// `wijkkompas stats`.
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
fn known_municipality(code: Option<&str>) -> Result<(), CliError> {
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
fn report(
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

/// `wijkkompas guide`: needs no database, but never writes over it.
fn guide(cli: &Cli, lang: Lang, out: &mut impl Write, output: &Path) -> Result<(), CliError> {
    let pdf = crate::reports::guide::guide_pdf(lang)?;
    let db = cli.db.clone().or_else(paths::default_db_path);
    crate::safety::output::write(output, &pdf, db.as_deref(), cli.force)?;
    if !cli.json {
        writeln!(out, "wrote {}", output.display())?;
    }
    Ok(())
}

/// `wijkkompas keygen`.
fn keygen(cli: &Cli, out: &mut impl Write, output: &Path) -> Result<(), CliError> {
    let public = crate::safety::crypto::keygen(output)?;
    if cli.json {
        return print_json(
            &serde_json::json!({ "identity": output.display().to_string(), "public_key": public }),
        );
    }
    writeln!(
        out,
        "wrote the private key to {} (keep it safe; only its owner can read it)",
        output.display()
    )?;
    writeln!(out, "public key (give this to community centres):")?;
    writeln!(out, "{public}")?;
    Ok(())
}

/// `wijkkompas settings`.
#[allow(clippy::too_many_arguments)]
fn settings(
    cli: &Cli,
    out: &mut impl Write,
    name: &Option<String>,
    kiosk: &Option<OnOff>,
    new_pin: bool,
    public_key: &Option<String>,
    timeout: &Option<u32>,
    retention: &Option<u32>,
    round_location: &Option<OnOff>,
) -> Result<(), CliError> {
    let store = open_store(cli)?;
    let mut s = crate::safety::settings::load(&store)?;
    let changes = name.is_some()
        || kiosk.is_some()
        || new_pin
        || public_key.is_some()
        || timeout.is_some()
        || retention.is_some()
        || round_location.is_some();
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
    writeln!(out, "machine {} ({}), kiosk {}, PIN {}, timeout {} min, retention {}, rounded locations {}, public key {}", if s.machine_name.is_empty() { "without a name" } else { s.machine_name.as_str() }, s.machine_id, if s.kiosk { "on" } else { "off" }, if s.has_pin { "set" } else { "not set" }, s.timeout_minutes, s.retention_months.map_or("none".into(), |m| format!("{m} months")), if s.round_location { "on" } else { "off" }, s.public_key.as_deref().unwrap_or("none"))?;
    Ok(())
}

/// `wijkkompas purge`.
fn purge(cli: &Cli, out: &mut impl Write, pretend_now: &Option<String>) -> Result<(), CliError> {
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
fn erase(cli: &Cli, out: &mut impl Write, id: &str, reason: &str) -> Result<(), CliError> {
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
fn backup(cli: &Cli, out: &mut impl Write, output: Option<&Path>) -> Result<(), CliError> {
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
fn backups(cli: &Cli, out: &mut impl Write) -> Result<(), CliError> {
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
fn restore(cli: &Cli, out: &mut impl Write, file: &Path) -> Result<(), CliError> {
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

/// `wijkkompas list`.
fn list(cli: &Cli, out: &mut impl Write, municipality: &Option<String>) -> Result<(), CliError> {
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
