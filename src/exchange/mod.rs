/*! Moving self-checks between machines as a bundle: one readable UTF-8 JSON file.

Every record keeps the UUID it got where it was made. Import never overwrites: a record whose id
is new is added; one whose id exists with the same content (by our own hash) is skipped; one whose
id exists with other content is a conflict, reported, and the existing record stays. The file is
checked as a whole before anything is written ([`checking`]), then imported in one transaction
([`importing`]): a rejected file leaves the database exactly as it was. Both read the file as a
stream ([`reading`]), so a large file is never held as records. The format is documented in
docs/bundle-format.md. */
mod bundle;
mod checking;
pub mod export;
mod field_rules;
pub mod folder;
mod hashing;
mod importing;
mod keeping;
mod reading;
mod record_rules;
pub(crate) use record_rules::RecordRules;
mod writing;
pub mod xlsx;

use std::path::Path;

use thiserror::Error;

use crate::safety::crypto::CryptoError;
use crate::store::aggregates::Known;
use crate::store::provenance::{ImportOrigin, Machine};
use crate::store::Db;
use crate::store::{Store, StoreError};
pub use bundle::{
    Bundle, BundleAction, BundleCheck, BundleInitiative, BundleMember, BundleRespondent,
    BundleReview, BundleRound, Conflict, ImportSummary,
};
use checking::Checker;
use importing::Importer;
use keeping::{Keeping, Kept};
pub use reading::{BundleFile, NotRegularFile};
use reading::{Section, Source};
pub(crate) use writing::Outgoing;
pub use writing::{export_bundle, export_bytes};

pub const FORMAT: &str = "wijkkompas-bundle";
/// The version written. Version 2 added group checks (respondents), notes per lesson, action
/// plans and their outcomes; version 3 the machines records were made on (provenance). An older
/// file is a newer one without those, and still imports.
pub const VERSION: u64 = 3;
/// The oldest version read.
pub const OLDEST_VERSION: u64 = 1;

/// The largest bundle file read (after decryption): about three times the largest real export
/// (100,000 self-checks are some 80 MB). A larger file is refused before it is read.
pub const MAX_BUNDLE_BYTES: u64 = 256 * 1024 * 1024;
/// A bundle file up to this size (a community centre's file is well under 1 MB) is read into
/// memory once, decrypted once and parsed once: the records that were checked are kept and
/// imported (a few times the file's size in memory), and the file cannot change in between. A
/// larger file is streamed twice, so that memory does not grow with it (`tests/import_memory`).
pub const READ_AT_ONCE_BYTES: u64 = 4 * 1024 * 1024;
/// The most records (initiatives, self-checks and review entries together) in one bundle.
pub const MAX_RECORDS: usize = 300_000;

#[derive(Debug, Error)]
pub enum ExchangeError {
    #[error("the file is not a Wijkkompas bundle: {0}")]
    NotABundle(String),
    #[error("this bundle has format version {0}; this Wijkkompas reads versions {OLDEST_VERSION} to {VERSION}. Update Wijkkompas to import it")]
    UnsupportedVersion(u64),
    /// Where in the file (a record and field, e.g. `self_checks[3].answers`; empty for the file
    /// as a whole) and which rule it breaks.
    #[error("the bundle was rejected, nothing was imported: {at}{}{}", if at.is_empty() { "" } else { ": " }, rule.words(crate::model::Lang::En))]
    Invalid {
        at: String,
        rule: crate::content::problem::Problem,
    },
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error("the file is not UTF-8 text, so it is not a Wijkkompas bundle")]
    NotText,
    #[error(
        "the file is {0} bytes; a bundle is at most {MAX_BUNDLE_BYTES} bytes. Nothing was imported"
    )]
    TooLarge(u64),
    #[error("the bundle holds more than {MAX_RECORDS} records, the most imported from one file. Export per municipality for smaller files. Nothing was imported")]
    TooManyRecords,
    #[error("cannot read {path}: {source}. Nothing was imported")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the file changed while it was being imported; nothing was imported. Import it again when it is complete")]
    Changed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Imports a bundle file from disk, read as a stream (see [`reading`]); `identity` decrypts an
/// encrypted one. Calls `progress(done, total)` as it goes; all in one transaction.
pub fn import_file(
    store: &mut Store,
    path: &Path,
    identity: Option<&age::x25519::Identity>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportSummary, ExchangeError> {
    import_path(store, path, identity, None, progress)
}

/// A file from disk under its own name. With `of_folder`, its initiatives' running sums and
/// facts are only noted, to be settled at the folder's end (`store.catch_up_facts`), so that 200
/// files do not each rewrite them.
pub(crate) fn import_path(
    store: &mut Store,
    path: &Path,
    identity: Option<&age::x25519::Identity>,
    of_folder: Option<&mut Known>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportSummary, ExchangeError> {
    // Stored as the records' source and listed: a name from outside, shown escaped.
    let name = path.file_name().map(crate::store::paths::shown_name);
    import(
        store,
        BundleFile::Path(path),
        name,
        identity,
        of_folder,
        progress,
    )
}

/// Imports a bundle file's bytes, decrypting with `identity` when the file is encrypted.
pub fn import_bytes(
    store: &mut Store,
    bytes: &[u8],
    identity: Option<&age::x25519::Identity>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportSummary, ExchangeError> {
    import(
        store,
        BundleFile::Bytes(bytes),
        None,
        identity,
        None,
        progress,
    )
}

/// Imports a bundle file's bytes under the file's name (the app has the bytes, and the name the
/// person chose), which its records then remember as their source.
pub fn import_named_bytes(
    store: &mut Store,
    bytes: &[u8],
    file_name: &str,
    identity: Option<&age::x25519::Identity>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportSummary, ExchangeError> {
    let name = std::path::Path::new(file_name)
        .file_name()
        .map(crate::store::paths::shown_name)
        .filter(|n| !n.is_empty());
    import(
        store,
        BundleFile::Bytes(bytes),
        name,
        identity,
        None,
        progress,
    )
}

/// Imports a bundle's text.
pub fn import_bundle(
    store: &mut Store,
    text: &str,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportSummary, ExchangeError> {
    import_bytes(store, text.as_bytes(), None, progress)
}

/// Checks the whole file first (a reading that writes nothing), then imports it in one
/// transaction: a small file's records as they were kept from that reading, a larger file's in a
/// second reading (or one per list when the file gives them in another order).
/// A file of a folder (`of_folder`) leaves the sums and facts to the folder's end, and adds
/// what it scored to what the folder knows once the file is committed.
fn import(
    store: &mut Store,
    file: BundleFile,
    file_name: Option<String>,
    identity: Option<&age::x25519::Identity>,
    of_folder: Option<&mut Known>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportSummary, ExchangeError> {
    import_then(store, file, file_name, identity, of_folder, progress, None)
}

/// What a caller does in the import's own transaction once the records are in: given the
/// transaction and the last number of this machine's sync log before the import began.
pub(crate) type InTransaction<'a> = &'a mut dyn FnMut(Db<'_>, i64) -> Result<(), StoreError>;

/// A bundle received in a sync ([`crate::sync`]), named `file_name`; `then` runs in the same
/// transaction, so that nothing written elsewhere can come between the records and it.
pub(crate) fn import_received(
    store: &mut Store,
    bytes: &[u8],
    file_name: &str,
    then: InTransaction<'_>,
) -> Result<ImportSummary, ExchangeError> {
    import_then(
        store,
        BundleFile::Bytes(bytes),
        Some(crate::store::paths::shown_name(file_name.as_ref())),
        None,
        None,
        &mut |_, _| {},
        Some(then),
    )
}

fn import_then(
    store: &mut Store,
    file: BundleFile,
    file_name: Option<String>,
    identity: Option<&age::x25519::Identity>,
    of_folder: Option<&mut Known>,
    progress: &mut dyn FnMut(usize, usize),
    mut then: Option<InTransaction<'_>>,
) -> Result<ImportSummary, ExchangeError> {
    let mut source = Source::open(file, identity)?;
    let now = time::OffsetDateTime::now_utc();
    let mut checker = Checker::new(now);
    // A small file's records are kept as they are checked and imported from memory; a larger
    // one is read again.
    let kept = if source.is_small_in_memory() {
        let mut keeping = Keeping {
            checker: &mut checker,
            kept: Kept::default(),
        };
        source.read(&mut keeping, true)?;
        Some(keeping.kept)
    } else {
        source.read(&mut checker, true)?;
        None
    };
    checker.finish()?;
    let origin = own_machine_kept(
        ImportOrigin {
            file: file_name,
            ..checker.origin()
        },
        &store.db().this_machine()?,
    )?;
    let defer_facts = of_folder.is_some();
    let (summary, known) = store.in_transaction(|db| {
        let logged_before = match then {
            Some(_) => db.last_logged()?,
            None => 0,
        };
        let mut importer = Importer::new(
            db,
            now,
            &checker.initiatives,
            checker.records,
            origin,
            progress,
        );
        importer.defer_facts = defer_facts;
        match kept {
            Some(kept) => kept.replay(&mut importer)?,
            None => {
                // One reading in import order, or one per list when the file gives them in another.
                let readings: Vec<Vec<Section>> = if checker.in_import_order() {
                    vec![Section::ALL.to_vec()]
                } else {
                    Section::ALL
                        .iter()
                        .filter(|s| checker.order.contains(s))
                        .map(|s| vec![*s])
                        .collect()
                };
                for sections in readings {
                    importer.sections = sections;
                    source.read(&mut importer, false)?;
                }
            }
        }
        let done = importer.finish()?;
        if let Some(then) = then.as_mut() {
            then(db, logged_before)?;
        }
        Ok::<_, ExchangeError>(done)
    })?;
    if let Some(folder) = of_folder {
        folder.merge(known);
    }
    Ok(summary)
}

/// A file that says this machine exported it did not come from here (this machine never imports
/// what it exported: its records are here, or were removed on purpose), so it is refused; one that
/// passes on records made here does not rename this machine.
fn own_machine_kept(
    mut origin: ImportOrigin,
    here: &Machine,
) -> Result<ImportOrigin, ExchangeError> {
    if origin.machine.as_ref().is_some_and(|m| m.id == here.id) {
        return Err(field_rules::invalid(
            "machine.id".into(),
            crate::content::problem::Problem::new(
                crate::content::problem::Kind::bundle_from_this_machine,
            )
            .with("machine", &here.id),
        ));
    }
    for m in origin.machines.iter_mut().filter(|m| m.id == here.id) {
        m.name = here.name.clone();
    }
    Ok(origin)
}

/// serde_json's message without " at line L column C": the message names the field already.
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}
