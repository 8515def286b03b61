/*! Wijkkompas core: the lessons and cases of Movisie's *Wij in de Wijk*, the self-check and its
scoring, the Dutch geography, and the per-user store.

The desktop shell (`src-tauri/`) and the CLI (`src/cli/`) are both thin layers over this
crate; it never depends on Tauri. The folders are its capabilities (ARCHITECTURE.md has the map);
each module is also reachable at the top (`wijkkompas::catalog`), as the faces name them. */
#[cfg(feature = "cli")]
pub mod cli;
pub mod content;
pub mod exchange;
pub mod geo;
pub mod municipality;
pub mod reports;
pub mod safety;
pub mod selfcheck;
pub mod store;
pub mod sync;

pub use content::{calendar, catalog, limits, problem, strict_json, text};
pub use exchange::{crypto, export};
pub use geo::rd;
pub use municipality::{area, review, stats};
pub use reports::{chart, guide, report};
pub use safety::{backup, erasure, kiosk, output, paths, retention, settings};
pub use selfcheck::{assess, conversation, session};
