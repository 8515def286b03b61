/*! The files a command reads and writes beside the database: inputs of limited size, and output
files that never land on the database, over a file without --force, or half. */
use super::{Cli, CliError, OpenStore};

/// Reads a file of at most `limit` bytes; a larger one is refused before it is read (a file that
/// grows while it is read is cut off at the limit and refused all the same).
pub(super) fn read_limited(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, CliError> {
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
pub(super) fn write_output(
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
