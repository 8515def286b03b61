/*! The map's commands: borders, locating a point, place search and the list of municipalities,
all from the embedded geography (they need no store and no session). */
use wijkkompas::geo::{self, geography, Location, PlaceHit};
use wijkkompas::model::{Area, Lang};

use super::{problem, Reply};

/// The full-detail provinces and municipal borders, which the first screen does not draw: the UI
/// asks for them once, after start-up (at once if a map is zoomed in sooner). The embedded
/// GeoJSON goes out as the reply's JSON itself, so the webview parses 0.9 MB once rather than a
/// string and then its content. `null` in a build without the official boundaries.
#[tauri::command]
pub fn detailed_borders() -> tauri::ipc::Response {
    tauri::ipc::Response::new(geo::detailed_borders().unwrap_or("null").to_owned())
}

/// The names the maps write (provinces, municipalities, towns, wijken) with the zooms where each
/// kind is written, most important first. Asked for by the first map that shows names, never at
/// start-up; sent as the JSON made once by the core.
#[tauri::command]
pub fn map_labels() -> tauri::ipc::Response {
    tauri::ipc::Response::new(geo::map_labels_json().to_owned())
}

/// One municipality's wijk borders as GeoJSON (properties `code` and `name`), asked for when its
/// view opens: never part of start-up. An empty collection in a build without wijken.
#[tauri::command]
pub fn wijk_borders(municipality: String) -> tauri::ipc::Response {
    tauri::ipc::Response::new(geography().wijk_borders(&municipality))
}

#[tauri::command]
pub fn locate(lat: f64, lon: f64) -> Reply<Location> {
    geography().locate(lat, lon).map_err(problem)
}

#[tauri::command]
pub fn search_places(query: String, limit: Option<usize>, lang: Lang) -> Vec<PlaceHit> {
    // Suggestions come from the embedded gazetteer only, never from what residents typed.
    geography().suggest(&query, limit, lang)
}

#[tauri::command]
pub fn municipalities() -> Vec<Area> {
    geography().municipalities()
}
