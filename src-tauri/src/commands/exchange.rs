/*! Records between machines: importing bundles (one file, or a folder of them) with progress
events, exporting files, syncing with the shared database, and the municipality's key pair. */
use serde::Serialize;
use tauri::ipc::{InvokeBody, Request};
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use wijkkompas::content::problem::{Explain, Kind, Problem};
use wijkkompas::exchange::export::{self, ExportFormat};
use wijkkompas::exchange::folder::FolderSummary;
use wijkkompas::exchange::{self, ImportSummary};
use wijkkompas::model::Lang;
use wijkkompas::safety::crypto;
use wijkkompas::safety::settings;

use super::state::AppState;
use super::{chosen, problem, save_as, Reply};

/// Progress of a running import, sent to the UI as the event `import-progress`.
#[derive(Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    done: u32,
    total: u32,
}

/// Progress of a folder import, sent as the event `import-folder-progress`.
#[derive(Clone, Serialize, TS)]
#[ts(export)]
pub struct FolderImportProgress {
    /// Files done so far, and in all; records of the current file.
    file: u32,
    files: u32,
    done: u32,
    total: u32,
}

/// Asks for a folder and imports every bundle in it, each file on its own; a folder with
/// encrypted bundles asks for the municipality's key file once. None when the dialog is cancelled.
#[tauri::command(async)]
pub fn import_folder(app: AppHandle, state: State<'_, AppState>) -> Reply<Option<FolderSummary>> {
    state.coordinator(|_| Ok(()))?;
    let Some(dir) = app
        .dialog()
        .file()
        .set_title("Map met bundels / folder of bundles")
        .blocking_pick_folder()
    else {
        return Ok(None);
    };
    let dir = dir.into_path().map_err(chosen)?;
    let encrypted = std::fs::read_dir(&dir)
        .map(|entries| {
            entries.filter_map(Result::ok).any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .to_ascii_lowercase()
                    .ends_with(".age")
            })
        })
        .unwrap_or(false);
    let identity = if encrypted {
        match app
            .dialog()
            .file()
            .set_title("Sleutelbestand van de gemeente / municipality key file")
            .blocking_pick_file()
        {
            Some(key) => {
                let path = key.into_path().map_err(chosen)?;
                let key_text = std::fs::read_to_string(&path).map_err(|e| {
                    Problem::new(Kind::read_file)
                        .with("path", path.display())
                        .with("detail", e)
                })?;
                Some(crypto::parse_identity(&key_text).map_err(problem)?)
            }
            // Without the key the encrypted files are listed as rejected; the others still import.
            None => None,
        }
    } else {
        None
    };
    state
        .coordinator(|s| {
            exchange::folder::import_folder(s, &dir, identity.as_ref(), &mut |p| {
                let progress = FolderImportProgress {
                    file: p.file as u32,
                    files: p.files as u32,
                    done: p.done as u32,
                    total: p.total as u32,
                };
                let _ = app.emit("import-folder-progress", progress);
            })
            .map_err(problem)
        })
        .map(Some)
}

/// Imports a bundle file's bytes, sent raw by the UI. An encrypted bundle asks (in a native file
/// dialog) for the municipality's private key file. Runs off the UI thread, in one transaction.
#[tauri::command(async)]
pub fn import_bundle(
    app: AppHandle,
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Reply<ImportSummary> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(Problem::new(Kind::bundle_send_bytes));
    };
    state.coordinator(|_| Ok(()))?;
    let identity = if crypto::is_encrypted(bytes) {
        let Some(key) = app
            .dialog()
            .file()
            .set_title("Sleutelbestand van de gemeente / municipality key file")
            .blocking_pick_file()
        else {
            return Err(crypto::CryptoError::NeedsKey.problem());
        };
        let path = key.into_path().map_err(chosen)?;
        let key_text = std::fs::read_to_string(&path).map_err(|e| {
            Problem::new(Kind::read_file)
                .with("path", path.display())
                .with("detail", e)
        })?;
        Some(crypto::parse_identity(&key_text).map_err(problem)?)
    } else {
        None
    };
    // The name the person chose, which the imported records keep as their source's file.
    let file_name = request
        .headers()
        .get("x-file-name")
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        })
        .unwrap_or_default();
    state.coordinator(|s| {
        exchange::import_named_bytes(
            s,
            bytes,
            &file_name,
            identity.as_ref(),
            &mut |done, total| {
                let _ = app.emit(
                    "import-progress",
                    ImportProgress {
                        done: done as u32,
                        total: total as u32,
                    },
                );
            },
        )
        .map_err(problem)
    })
}

#[tauri::command(async)]
pub fn export_file(
    app: AppHandle,
    state: State<'_, AppState>,
    format: ExportFormat,
    municipality: Option<String>,
    lang: Lang,
) -> Reply<Option<String>> {
    let file = state.coordinator(|s| {
        export::export_file(s, format, municipality.as_deref(), None, lang).map_err(problem)
    })?;
    save_as(&app, &file.file_name, file.extension, &file.bytes)
}

/// Syncs with the shared database set in the settings, both ways; `password` is the one typed
/// for this sync (never stored). Off the UI thread: a server far away takes its time.
#[tauri::command(async)]
pub fn sync_shared(
    state: State<'_, AppState>,
    password: Option<String>,
) -> Reply<wijkkompas::sync::SyncSummary> {
    state.coordinator(|s| {
        let url = settings::load(s).map_err(problem)?.sync_url;
        if url.is_empty() {
            return Err(Problem::new(Kind::sync_not_set));
        }
        let options = wijkkompas::sync::SyncOptions {
            password: password.as_deref().filter(|p| !p.is_empty()),
            ..Default::default()
        };
        wijkkompas::sync::sync(s, &url, options).map_err(problem)
    })
}

/// Makes a key pair for the municipality: the private key is saved where the person chooses
/// (owner-only), the public key is stored to encrypt bundles and returned to hand out.
#[tauri::command(async)]
pub fn generate_key_pair(app: AppHandle, state: State<'_, AppState>) -> Reply<Option<String>> {
    state.coordinator(|_| Ok(()))?;
    let Some(path) = app
        .dialog()
        .file()
        .set_file_name("wijkkompas-gemeente.key")
        .blocking_save_file()
    else {
        return Ok(None);
    };
    let path = path.into_path().map_err(chosen)?;
    let public = crypto::keygen(&path).map_err(problem)?;
    Ok(Some(public))
}
