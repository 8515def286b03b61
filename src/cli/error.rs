/*! What can go wrong in a command, and which problem it is (worded in nl and en like the app's). */
use std::path::PathBuf;

use thiserror::Error;

use crate::content::problem::{Explain, Kind, Problem};
use crate::geo::GeoError;
use crate::municipality::area::AreaError;
use crate::selfcheck::SelfCheckError;
use crate::store::StoreError;

/// What went wrong in a command: its own refusals, and the core's errors it passes on.
#[derive(Debug, Error)]
pub(super) enum CliError {
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
