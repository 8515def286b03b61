/*! The command line's arguments: the clap definitions of `wijkkompas` and its commands (from
which `--help`, the manual pages and the completions are made, see `docs.rs`), and the language
they ask for. */
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use super::secrets;
use crate::model::Lang;

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
pub(super) struct Cli {
    /// Database file (default: the app's per-user database, or $WIJKKOMPAS_DB)
    #[arg(long, global = true, value_name = "PATH")]
    pub(super) db: Option<PathBuf>,
    /// Language of texts and tips
    #[arg(long, global = true, value_enum, default_value = "nl")]
    pub(super) lang: LangArg,
    /// Print JSON instead of text
    #[arg(long, global = true)]
    pub(super) json: bool,
    /// Replace an output file (-o) that already exists
    #[arg(long, global = true)]
    pub(super) force: bool,
    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum LangArg {
    Nl,
    En,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
pub(super) enum OnOff {
    On,
    Off,
}

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum ExportFormat {
    Bundle,
    Csv,
    Geojson,
    Xlsx,
}

#[derive(Subcommand)]
pub(super) enum Command {
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
    Settings(SettingsArgs),
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
    Stats(StatsArgs),
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

// The arguments of `settings`: what to change (nothing: show the settings). A plain comment,
// not a doc comment: clap would take one for the command's description. The group keeps the
// id the command's own arguments had when they were written in the variant.
#[derive(Args)]
#[group(id = "Settings")]
pub(super) struct SettingsArgs {
    /// This machine's name, carried by its bundles (e.g. "Buurthuis De Kolk"; empty to remove)
    #[arg(long, value_name = "NAME")]
    pub(super) name: Option<String>,
    #[arg(long, value_name = "on|off")]
    pub(super) kiosk: Option<OnOff>,
    /// Set a new coordinator PIN (4 to 12 digits), read from $WIJKKOMPAS_NEW_PIN, the terminal
    /// or standard input (never an argument)
    #[arg(long)]
    pub(super) new_pin: bool,
    /// The municipality's public key for encrypted bundles (empty to remove)
    #[arg(long, value_name = "PUBLIC_KEY")]
    pub(super) public_key: Option<String>,
    /// Inactivity timeout in minutes
    #[arg(long, value_name = "MINUTES")]
    pub(super) timeout: Option<u32>,
    /// Purge self-checks older than this many months (0 keeps everything)
    #[arg(long, value_name = "MONTHS")]
    pub(super) retention: Option<u32>,
    #[arg(long, value_name = "on|off")]
    pub(super) round_location: Option<OnOff>,
    /// The printer (its CUPS name, as `lpstat -e` lists it) a kiosk prints residents' reports on,
    /// without a dialog (empty to remove: the kiosk then offers no printing)
    #[arg(long, value_name = "PRINTER")]
    pub(super) printer: Option<String>,
}

// The arguments of `stats`: which figures (a plain comment, for the same reason).
#[derive(Args)]
#[group(id = "Stats")]
pub(super) struct StatsArgs {
    #[arg(long, value_name = "CODE")]
    pub(super) municipality: Option<String>,
    /// One row per wijk of the municipality (wijken without initiatives included)
    #[arg(long, requires = "municipality")]
    pub(super) by_wijk: bool,
    /// The figures of one wijk (CBS code, e.g. WK034403)
    #[arg(long, value_name = "WKCODE", conflicts_with_all = ["municipality", "by_wijk"])]
    pub(super) wijk: Option<String>,
    /// Per quarter: the mean per strategy over each initiative's latest check in that quarter
    #[arg(long, conflicts_with = "by_wijk")]
    pub(super) by_quarter: bool,
}

/// The language of texts, tips and messages that `--lang` asks for.
pub(super) fn cli_lang(cli: &Cli) -> Lang {
    match cli.lang {
        LangArg::Nl => Lang::Nl,
        LangArg::En => Lang::En,
    }
}
