/*! The commands that move self-checks between machines as files: export, import (a file or a
folder of them) and the key pair for encrypted bundles. */
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{cli_lang, open_store, open_store_for_reading, print_json, write_output};
use super::{Cli, CliError, ExportFormat, OpenStore};
use crate::exchange::folder::{FileResult, FolderSummary, LeftAlone};
use crate::model::Lang;

/// `wijkkompas export`.
pub(super) fn export(
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

/// `wijkkompas import`: a bundle file, or a folder of them.
pub(super) fn import(
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
    use crate::exchange::folder::import_folder;
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
        print_folder_json(&summary, lang)?;
    } else {
        print_folder_text(out, &summary, lang)?;
    }
    if summary.rejected > 0 {
        return Err(CliError::FilesRejected {
            rejected: summary.rejected,
            files: summary.files.len() as u32,
        });
    }
    Ok(())
}

/// A folder's import as JSON: the problem of each rejected file as data, and worded in --lang for
/// a person reading the JSON.
fn print_folder_json(summary: &FolderSummary, lang: Lang) -> Result<(), CliError> {
    let mut value = serde_json::to_value(summary).map_err(std::io::Error::from)?;
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
    print_json(&value)
}

/// A folder's import as text: a line per file (and its conflicts), a line per entry left alone,
/// then the totals.
fn print_folder_text(
    out: &mut impl Write,
    summary: &FolderSummary,
    lang: Lang,
) -> Result<(), CliError> {
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
    Ok(())
}

/// `wijkkompas keygen`.
pub(super) fn keygen(cli: &Cli, out: &mut impl Write, output: &Path) -> Result<(), CliError> {
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
