/*! Wijkkompas core: the lessons and cases of Movisie's *Wij in de Wijk*, the self-check and its
scoring, the Dutch geography, and the per-user store.

The desktop shell (`src-tauri/`) and the CLI (`src/main.rs`) are both thin layers over this
crate; it never depends on Tauri. See ARCHITECTURE.md for the map. */
pub mod area;
pub mod assess;
pub mod backup;
pub mod catalog;
pub mod chart;
pub mod crypto;
pub mod exchange;
pub mod export;
pub mod geo;
pub mod kiosk;
pub mod limits;
pub mod output;
pub mod problem;
pub mod paths;
pub mod report;
pub mod retention;
pub mod rd;
pub mod review;
pub mod selfcheck;
pub mod settings;
pub mod stats;
pub mod strict_json;
pub mod text;
pub mod store;
