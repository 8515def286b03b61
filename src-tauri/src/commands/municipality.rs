/*! The coordinator's view of a municipality: its overview and table, reviews, the quarterly
trend, and erasing an initiative. */
use tauri::State;
use wijkkompas::municipality::review;

use wijkkompas::geo::geography;
use wijkkompas::model::{ReviewEntry, ReviewStatus};
use wijkkompas::municipality::area::{self, MunicipalitySummary, RowPage, RowQuery};
use wijkkompas::municipality::stats::QuarterPoint;
use wijkkompas::safety::erasure::{self, ErasureReport};
use wijkkompas::store::provenance::Source;

use super::state::AppState;
use super::{problem, Reply};

/// A municipality's aggregates, map points and first table page; further pages come one at a time.
#[tauri::command]
pub fn municipality_overview(
    state: State<'_, AppState>,
    code: String,
    query: RowQuery,
) -> Reply<MunicipalitySummary> {
    state.coordinator(|s| area::summary(s, &code, &query).map_err(problem))
}

#[tauri::command]
pub fn municipality_rows(
    state: State<'_, AppState>,
    code: String,
    query: RowQuery,
) -> Reply<RowPage> {
    state.coordinator(|s| area::rows_page(s, &code, &query).map_err(problem))
}

#[tauri::command]
pub fn add_review(
    state: State<'_, AppState>,
    initiative_id: String,
    to: ReviewStatus,
    reviewer: String,
    note: String,
) -> Reply<ReviewEntry> {
    state.coordinator(|s| {
        review::add(s, &[&initiative_id], to, &reviewer, &note)
            .map(|mut entries| entries.remove(0))
            .map_err(problem)
    })
}

/// Moves several initiatives to one status: all of them, or none (the problem names the one).
#[tauri::command]
pub fn add_reviews(
    state: State<'_, AppState>,
    initiative_ids: Vec<String>,
    to: ReviewStatus,
    reviewer: String,
    note: String,
) -> Reply<Vec<ReviewEntry>> {
    state.coordinator(|s| review::add(s, &initiative_ids, to, &reviewer, &note).map_err(problem))
}

/// Per quarter, the mean per strategy over each initiative's latest check in that quarter.
#[tauri::command]
pub fn quarter_trend(state: State<'_, AppState>, code: String) -> Reply<Vec<QuarterPoint>> {
    state.coordinator(|s| {
        geography().known_municipality(&code).map_err(problem)?;
        wijkkompas::municipality::stats::quarter_trend(s, Some(&code), None).map_err(problem)
    })
}

/// Every initiative the table's filter shows, on all pages.
#[tauri::command]
pub fn matching_ids(
    state: State<'_, AppState>,
    code: String,
    query: RowQuery,
) -> Reply<Vec<String>> {
    state.coordinator(|s| area::matching_ids(s, &code, &query).map_err(problem))
}

/// Erases an initiative with all its self-checks here now, and at the next sync on the shared
/// database and every machine (a person's own request, or a record that must go everywhere).
#[tauri::command]
pub fn erase(state: State<'_, AppState>, id: String, reason: String) -> Reply<ErasureReport> {
    state.coordinator(|s| erasure::erase(s, &id, &reason).map_err(problem))
}

#[tauri::command]
pub fn reviews(state: State<'_, AppState>, initiative_id: String) -> Reply<Vec<ReviewEntry>> {
    state.coordinator(|s| s.reviews(&initiative_id).map_err(problem))
}

/// Where one initiative came from (this machine, or the machine and file of its import).
#[tauri::command]
pub fn initiative_source(state: State<'_, AppState>, initiative_id: String) -> Reply<Source> {
    state.coordinator(|s| area::initiative_source(s, &initiative_id).map_err(problem))
}
