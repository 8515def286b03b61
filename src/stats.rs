/*! Aggregates for a municipality (or the whole database) over each initiative's latest check.

Groups smaller than [`MIN_GROUP`] initiatives show counts but no averages, so that no resident's
answers can be read back from a mean. The standard deviation is the sample one (n − 1). */
use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

use crate::assess::{self, round1, StrategyScores};
use crate::catalog::{catalog, Area, Strategy};
use crate::geo::geography;
use crate::review::ReviewStatus;
use crate::store::{self, Initiative, Store, StoreError, StoredCheck};

/// Below this many initiatives, no mean or standard deviation is shown.
pub const MIN_GROUP: u32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Summary {
    /// Rounded to one decimal; None below the minimum group size.
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    /// Initiatives with a score for this part.
    pub n: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct WeakestCount {
    pub lesson: String,
    /// How many initiatives have this among their three weakest lessons.
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Stats {
    pub initiatives: u32,
    pub checks: u32,
    pub strategies: BTreeMap<String, Summary>,
    pub lessons: BTreeMap<String, Summary>,
    /// Lessons most often among an initiative's three weakest, most often first.
    pub weakest_lessons: Vec<WeakestCount>,
    pub min_group: u32,
}

fn summary(values: &[f64]) -> Summary {
    let n = values.len() as u32;
    if n < MIN_GROUP {
        return Summary { mean: None, sd: None, n };
    }
    let mean = values.iter().sum::<f64>() / f64::from(n);
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / f64::from(n - 1);
    Summary { mean: Some(round1(mean)), sd: Some(round1(var.sqrt())), n }
}

/// Each initiative's latest self-check in scope, and the number of checks in scope.
pub fn latest_checks(store: &Store, municipality: Option<&str>) -> Result<(Vec<StoredCheck>, u32), StoreError> {
    let mut latest = Vec::new();
    let mut all = 0;
    for id in store.initiative_ids(municipality)? {
        let checks = store::checks_where(store.connection(), "initiative_id = ?1", &id)?;
        all += checks.len() as u32;
        if let Some(last) = checks.into_iter().last() {
            latest.push(last);
        }
    }
    Ok((latest, all))
}

pub fn stats(store: &Store, municipality: Option<&str>) -> Result<Stats, StoreError> {
    let initiatives = store.initiative_ids(municipality)?.len() as u32;
    let (latest, checks) = latest_checks(store, municipality)?;
    let assessed: Vec<assess::Assessment> = latest.iter().map(|c| assess::score(catalog(), &c.answers)).collect();
    let strategies = Strategy::ALL
        .iter()
        .map(|s| {
            let values: Vec<f64> = assessed.iter().filter_map(|a| a.strategies.get(*s)).collect();
            (s.as_str().to_string(), summary(&values))
        })
        .collect();
    let lessons = catalog()
        .lessons
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let values: Vec<f64> = assessed.iter().filter_map(|a| a.lessons[i].score).collect();
            (l.id.clone(), summary(&values))
        })
        .collect();
    let mut weakest: BTreeMap<&str, u32> = BTreeMap::new();
    for a in &assessed {
        for id in assess::weakest_lessons(a, 3) {
            *weakest.entry(catalog().lesson(id).map(|l| l.id.as_str()).unwrap_or(id)).or_default() += 1;
        }
    }
    let mut weakest_lessons: Vec<WeakestCount> =
        weakest.into_iter().map(|(lesson, count)| WeakestCount { lesson: lesson.to_string(), count }).collect();
    let order = |id: &str| catalog().lessons.iter().position(|l| l.id == id).unwrap_or(usize::MAX);
    weakest_lessons.sort_by(|a, b| b.count.cmp(&a.count).then(order(&a.lesson).cmp(&order(&b.lesson))));
    Ok(Stats { initiatives, checks, strategies, lessons, weakest_lessons, min_group: MIN_GROUP })
}

/// An initiative as the municipality sees it: latest scores and review status.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct InitiativeRow {
    pub initiative: Initiative,
    pub checks: u32,
    pub latest_at: Option<String>,
    /// Of the latest check, rounded.
    pub scores: StrategyScores,
    pub weakest_strategy: Option<Strategy>,
    pub status: ReviewStatus,
}

/// What the municipality view shows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MunicipalityOverview {
    pub municipality: Area,
    pub province: Option<Area>,
    pub rows: Vec<InitiativeRow>,
    pub stats: Stats,
    /// The same aggregates over the whole database, to compare with.
    pub national: Stats,
    /// Initiatives whose status is new or in review.
    pub needs_review: u32,
}

pub fn overview(store: &Store, code: &str) -> Result<Option<MunicipalityOverview>, StoreError> {
    let Some((municipality, province)) = geography().municipality(code) else { return Ok(None) };
    let mut rows = Vec::new();
    for id in store.initiative_ids(Some(code))? {
        let Some(initiative) = store.initiative(&id)? else { continue };
        let checks = store::checks_where(store.connection(), "initiative_id = ?1", &id)?;
        let latest = checks.last().map(|c| assess::score(catalog(), &c.answers).strategies);
        rows.push(InitiativeRow {
            checks: checks.len() as u32,
            latest_at: checks.last().map(|c| c.created_at.clone()),
            scores: latest.map(|s| s.rounded()).unwrap_or_default(),
            weakest_strategy: latest.and_then(|s| s.weakest()),
            status: store.review_status(&id)?,
            initiative,
        });
    }
    let needs_review = rows.iter().filter(|r| r.status.needs_review()).count() as u32;
    Ok(Some(MunicipalityOverview {
        municipality,
        province,
        rows,
        stats: stats(store, Some(code))?,
        national: stats(store, None)?,
        needs_review,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_groups_get_counts_but_no_averages() {
        assert_eq!(summary(&[10.0, 20.0, 30.0, 40.0]), Summary { mean: None, sd: None, n: 4 });
        let s = summary(&[10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(s.mean, Some(30.0));
        assert_eq!(s.sd, Some(15.8)); // sqrt(250) = 15.81…
        assert_eq!(s.n, 5);
    }
}
