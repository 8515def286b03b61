/*! The database a command works on: where it is, opened for saving or only for reading, and
what went wrong beside the command said when the command is done. */
use std::path::{Path, PathBuf};

use super::{cli_lang, Cli, CliError};
use crate::content::problem::Explain;
use crate::model::Lang;
use crate::store::paths;
use crate::store::{Store, StoreError};

/// The store a command works on. What went wrong beside the command (a daily backup that could
/// not be made) is said on standard error when the command is done with it: the command itself
/// succeeded, and says so.
pub(super) struct OpenStore {
    store: Store,
    /// Where the database is: output files never go there.
    pub(super) path: PathBuf,
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

pub(super) fn db_path(cli: &Cli) -> Result<PathBuf, CliError> {
    cli.db
        .clone()
        .or_else(paths::default_db_path)
        .ok_or(CliError::NoDatabase)
}

/// The store for a command that saves.
pub(super) fn open_store(cli: &Cli) -> Result<OpenStore, CliError> {
    opened(cli, Store::open_or_recover)
}

/// The store for a command that only reads: opened read-only, so that it never waits for a
/// running import, settles nothing, makes no daily backup, and works on a read-only medium.
pub(super) fn open_store_for_reading(cli: &Cli) -> Result<OpenStore, CliError> {
    opened(cli, Store::open_for_reading_or_recover)
}

/// How a command opens the store: the store, and where a damaged database was moved to.
type Opening = fn(&Path) -> Result<(Store, Option<PathBuf>), StoreError>;

pub(super) fn opened(cli: &Cli, open: Opening) -> Result<OpenStore, CliError> {
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
