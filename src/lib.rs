/*! Wijkkompas core: the lessons and cases of Movisie's *Wij in de Wijk*, the self-check and its
scoring, the Dutch geography, and the per-user store.

The desktop shell (`src-tauri/`) and the CLI (`src/cli/`) are both thin layers over this
crate; it never depends on Tauri. The folders are its capabilities (ARCHITECTURE.md has the map);
each module is reached through its folder (`wijkkompas::content::catalog`), so that every path
shows the direction of the dependency. */
#[cfg(feature = "cli")]
pub mod cli;
pub mod content;
pub mod exchange;
mod explain;
pub mod geo;
pub mod model;
pub mod municipality;
pub mod printing;
pub mod reports;
pub mod safety;
pub mod selfcheck;
pub mod store;
pub mod sync;
