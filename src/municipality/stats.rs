/*! Aggregates for a municipality (or the whole database) over each initiative's latest check.

Groups smaller than [`MIN_GROUP`] initiatives show counts but no averages, so that no resident's
answers can be read back from a mean. The standard deviation is the sample one (n − 1). */
use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

use crate::content::catalog::catalog;
use crate::model::round1;
use crate::model::{Area, Strategy};
use crate::store::aggregates::PartSums;
use crate::store::{Store, StoreError, StoredCheck};

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

/// Each initiative's latest self-check in scope, and the number of checks in scope.
pub fn latest_checks(
    store: &Store,
    municipality: Option<&str>,
) -> Result<(Vec<StoredCheck>, u32), StoreError> {
    let mut latest = Vec::new();
    let mut all = 0;
    for id in store.initiative_ids(municipality)? {
        let checks = store.db().checks_of(&id)?;
        all += checks.len() as u32;
        if let Some(last) = checks.into_iter().last() {
            latest.push(last);
        }
    }
    Ok((latest, all))
}

/// Mean and sample standard deviation from running sums; None below the minimum group size.
fn summary_of(sums: Option<&PartSums>) -> Summary {
    let Some(s) = sums.filter(|s| s.n > 0) else {
        return Summary {
            mean: None,
            sd: None,
            n: 0,
        };
    };
    if s.n < MIN_GROUP {
        return Summary {
            mean: None,
            sd: None,
            n: s.n,
        };
    }
    let n = f64::from(s.n);
    let mean = s.total / n;
    // Sums of squares lose a little precision to cancellation; never below zero.
    let var = ((s.squares - s.total * mean) / (n - 1.0)).max(0.0);
    Summary {
        mean: Some(round1(mean)),
        sd: Some(round1(var.sqrt())),
        n: s.n,
    }
}

/// Aggregates over each initiative's latest check, for one municipality or the whole database.
/// They come from the store's running sums, so a whole country costs the same as one village.
pub fn stats(store: &Store, municipality: Option<&str>) -> Result<Stats, StoreError> {
    let db = store.db();
    let (initiatives, checks) = db.visible_counts(municipality)?;
    Ok(stats_from(
        initiatives,
        checks,
        &db.score_sums(municipality)?,
    ))
}

/// One quarter of a trend: over the latest check each initiative made in that quarter.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct QuarterPoint {
    /// `2026-Q3`, in Dutch time.
    pub quarter: String,
    /// Initiatives with a check in the quarter.
    pub initiatives: u32,
    /// Per strategy the mean, sd and n; no mean below [`MIN_GROUP`] initiatives.
    pub strategies: BTreeMap<String, Summary>,
}

/// Per quarter (oldest first), the mean per strategy over the latest check of each initiative in
/// that quarter, of one municipality or (with `wijk`) one wijk. Quarters without a check are left out.
pub fn quarter_trend(
    store: &Store,
    municipality: Option<&str>,
    wijk: Option<&str>,
) -> Result<Vec<QuarterPoint>, StoreError> {
    // quarter → initiative → its latest scores in that quarter (rows come oldest first)
    let mut quarters: BTreeMap<String, BTreeMap<String, crate::model::StrategyScores>> =
        BTreeMap::new();
    for (initiative, created_at, scores) in store.db().visible_check_scores(municipality, wijk)? {
        if let Some(q) = crate::content::calendar::quarter_of(&created_at) {
            quarters.entry(q).or_default().insert(initiative, scores);
        }
    }
    Ok(quarters
        .into_iter()
        .map(|(quarter, latest)| {
            let strategies = Strategy::ALL
                .iter()
                .map(|s| {
                    let values: Vec<f64> = latest.values().filter_map(|sc| sc.get(*s)).collect();
                    let sums = PartSums {
                        n: values.len() as u32,
                        total: values.iter().sum(),
                        squares: values.iter().map(|v| v * v).sum(),
                        weakest: 0,
                    };
                    (s.as_str().to_string(), summary_of(Some(&sums)))
                })
                .collect();
            QuarterPoint {
                quarter,
                initiatives: latest.len() as u32,
                strategies,
            }
        })
        .collect())
}

/// The same aggregates for one wijk (CBS code, WK034403).
pub fn wijk_stats(store: &Store, wijk: &str) -> Result<Stats, StoreError> {
    let db = store.db();
    let (initiatives, checks) = db.visible_counts_of_wijk(wijk)?;
    Ok(stats_from(initiatives, checks, &db.wijk_score_sums(wijk)?))
}

/// Mean, sd and n per strategy from running sums.
fn strategy_summaries(sums: &BTreeMap<String, PartSums>) -> BTreeMap<String, Summary> {
    Strategy::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), summary_of(sums.get(s.as_str()))))
        .collect()
}

fn stats_from(initiatives: u32, checks: u32, sums: &BTreeMap<String, PartSums>) -> Stats {
    let strategies = strategy_summaries(sums);
    let lessons = catalog()
        .lessons
        .iter()
        .map(|l| (l.id.clone(), summary_of(sums.get(&l.id))))
        .collect();
    let mut weakest_lessons: Vec<WeakestCount> = catalog()
        .lessons
        .iter()
        .filter_map(|l| {
            let count = sums.get(&l.id).map_or(0, |s| s.weakest);
            (count > 0).then(|| WeakestCount {
                lesson: l.id.clone(),
                count,
            })
        })
        .collect();
    // Most often first; a stable sort keeps ties in catalog order.
    weakest_lessons.sort_by_key(|l| std::cmp::Reverse(l.count));
    Stats {
        initiatives,
        checks,
        strategies,
        lessons,
        weakest_lessons,
        min_group: MIN_GROUP,
    }
}

/// One wijk's row in a municipality's table.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct WijkFigures {
    pub wijk: Area,
    pub initiatives: u32,
    pub checks: u32,
    /// Per strategy, as in [`Stats`]: no mean below [`MIN_GROUP`] initiatives.
    pub strategies: BTreeMap<String, Summary>,
}

/// A municipality's figures per wijk: every wijk (those without initiatives too, with 0), by
/// code, and how many of its initiatives lie outside every wijk.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct WijkTable {
    pub wijken: Vec<WijkFigures>,
    /// Initiatives whose point lies in no wijk (open water, a border strip).
    pub outside_wijken: u32,
    /// False in a build without wijk boundaries: the table is then empty.
    pub known: bool,
    pub min_group: u32,
    /// The classes a map colours the wijken by, lowest first: for the number of initiatives
    /// (after the class of wijken without any) and for a strategy's mean.
    pub count_classes: Vec<Range>,
    pub mean_classes: Vec<Range>,
}

/// A class of values from `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Range {
    pub from: f64,
    pub to: f64,
}

impl Range {
    pub fn holds(&self, value: f64) -> bool {
        value >= self.from && value <= self.to
    }
}

/// Up to four classes for the wijken's numbers of initiatives (the wijken without one are a
/// class of their own): cut at the quartiles of the non-zero counts, so that a village and a
/// city of 10,000 initiatives both get a readable map.
pub fn count_classes(counts: impl IntoIterator<Item = u32>) -> Vec<Range> {
    let mut positive: Vec<u32> = counts.into_iter().filter(|n| *n > 0).collect();
    positive.sort_unstable();
    let Some(&max) = positive.last() else {
        return Vec::new();
    };
    let mut uppers: Vec<u32> = [0.25, 0.5, 0.75]
        .iter()
        .map(|q| positive[(q * (positive.len() - 1) as f64) as usize])
        .filter(|u| *u < max)
        .collect();
    uppers.push(max);
    uppers.dedup();
    let mut from = 1;
    uppers
        .into_iter()
        .map(|to| {
            let range = Range {
                from: f64::from(from),
                to: f64::from(to),
            };
            from = to + 1;
            range
        })
        .collect()
}

/// Five classes of 20 points for a strategy's mean (scores run from 0 to 100).
pub fn mean_classes() -> Vec<Range> {
    (0..5)
        .map(|i| Range {
            from: f64::from(i * 20),
            to: f64::from(i * 20 + 20),
        })
        .collect()
}

impl WijkTable {
    /// The class (index into `count_classes`, plus one; 0 for none) of a number of initiatives.
    pub fn count_class(&self, initiatives: u32) -> usize {
        if initiatives == 0 {
            return 0;
        }
        self.count_classes
            .iter()
            .position(|r| r.holds(f64::from(initiatives)))
            .map_or(0, |i| i + 1)
    }
}

impl WijkTable {
    /// The wijken with no initiative at all.
    pub fn without_initiatives(&self) -> impl Iterator<Item = &Area> {
        self.wijken
            .iter()
            .filter(|w| w.initiatives == 0)
            .map(|w| &w.wijk)
    }
}

/// Figures per wijk of one municipality (CBS code), from the running sums.
pub fn stats_by_wijk(store: &Store, municipality: &str) -> Result<WijkTable, StoreError> {
    let counts = store.db().visible_counts_by_wijk(municipality)?;
    wijk_table(store, municipality, &counts)
}

/// The same, with the initiatives and visible checks per wijk ("" for none) already counted (the
/// municipality view has every row at hand and need not ask the store again).
pub fn wijk_table(
    store: &Store,
    municipality: &str,
    counts: &BTreeMap<String, (u32, u32)>,
) -> Result<WijkTable, StoreError> {
    let db = store.db();
    let geo = crate::geo::geography();
    let mut wijken = Vec::new();
    for wijk in geo.wijken_of(municipality) {
        let (initiatives, checks) = counts.get(&wijk.code).copied().unwrap_or_default();
        let sums = if initiatives > 0 {
            db.wijk_score_sums(&wijk.code)?
        } else {
            BTreeMap::new()
        };
        let strategies = strategy_summaries(&sums);
        wijken.push(WijkFigures {
            wijk,
            initiatives,
            checks,
            strategies,
        });
    }
    let outside_wijken = counts.get("").map_or(0, |c| c.0);
    let count_classes = count_classes(wijken.iter().map(|w| w.initiatives));
    Ok(WijkTable {
        wijken,
        outside_wijken,
        known: geo.has_wijken(),
        min_group: MIN_GROUP,
        count_classes,
        mean_classes: mean_classes(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::scoring;
    use crate::model;
    use crate::model::Area;

    fn summary(values: &[f64]) -> Summary {
        let sums = PartSums {
            n: values.len() as u32,
            total: values.iter().sum(),
            squares: values.iter().map(|v| v * v).sum(),
            weakest: 0,
        };
        summary_of(Some(&sums))
    }

    #[test]
    fn count_classes_cover_every_count_once() {
        assert_eq!(count_classes([0, 0]), vec![]);
        assert_eq!(
            count_classes([0, 3, 3, 3]),
            vec![Range { from: 1.0, to: 3.0 }]
        );
        let counts = [0, 1, 1, 2, 3, 5, 8, 13, 21, 40];
        let classes = count_classes(counts);
        assert!(
            classes.len() <= 4 && classes[0].from == 1.0 && classes.last().unwrap().to == 40.0,
            "{classes:?}"
        );
        for n in 1..=40 {
            assert_eq!(
                classes.iter().filter(|r| r.holds(f64::from(n))).count(),
                1,
                "{n} in {classes:?}"
            );
        }
        assert!(classes.windows(2).all(|w| w[0].to + 1.0 == w[1].from));
    }

    #[test]
    fn small_groups_get_counts_but_no_averages() {
        assert_eq!(
            summary(&[10.0, 20.0, 30.0, 40.0]),
            Summary {
                mean: None,
                sd: None,
                n: 4
            }
        );
        let s = summary(&[10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(s.mean, Some(30.0));
        assert_eq!(s.sd, Some(15.8)); // sqrt(250) = 15.81…
        assert_eq!(s.n, 5);
    }

    /// The aggregates as first written: every latest check read and scored on each call.
    fn recomputed(store: &Store, municipality: Option<&str>) -> Stats {
        let (latest, checks) = latest_checks(store, municipality).unwrap();
        let assessed: Vec<model::Assessment> = latest.iter().map(|c| c.assessment()).collect();
        let sums_of = |values: Vec<f64>| PartSums {
            n: values.len() as u32,
            total: values.iter().sum(),
            squares: values.iter().map(|v| v * v).sum(),
            weakest: 0,
        };
        let strategies = Strategy::ALL
            .iter()
            .map(|s| {
                (
                    s.as_str().to_string(),
                    summary_of(Some(&sums_of(
                        assessed
                            .iter()
                            .filter_map(|a| a.strategies.get(*s))
                            .collect(),
                    ))),
                )
            })
            .collect();
        let lessons = catalog()
            .lessons
            .iter()
            .enumerate()
            .map(|(i, l)| {
                (
                    l.id.clone(),
                    summary_of(Some(&sums_of(
                        assessed.iter().filter_map(|a| a.lessons[i].score).collect(),
                    ))),
                )
            })
            .collect();
        let mut weakest_lessons: Vec<WeakestCount> = catalog()
            .lessons
            .iter()
            .map(|l| WeakestCount {
                lesson: l.id.clone(),
                count: assessed
                    .iter()
                    .filter(|a| model::weakest_lessons(a, 3).contains(&l.id.as_str()))
                    .count() as u32,
            })
            .filter(|w| w.count > 0)
            .collect();
        weakest_lessons.sort_by_key(|l| std::cmp::Reverse(l.count));
        Stats {
            initiatives: store.initiative_ids(municipality).unwrap().len() as u32,
            checks,
            strategies,
            lessons,
            weakest_lessons,
            min_group: MIN_GROUP,
        }
    }

    #[test]
    fn running_sums_match_a_full_recount_through_repeats_imports_and_purges() {
        use crate::model::Role;
        use crate::store::Initiative;
        let mut store = Store::open_in_memory().unwrap();
        let statements: Vec<String> = catalog()
            .lessons
            .iter()
            .flat_map(|l| &l.statements)
            .map(|s| s.id.clone())
            .collect();
        let mut seed = 7u32;
        let mut next = move |m: u32| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) % m
        };
        store
            .in_transaction(|db| {
                for i in 0..40 {
                    let gm = ["GM0344", "GM0363", "GM0518"][i % 3];
                    let initiative = Initiative {
                        id: format!("00000000-0000-4000-8000-{i:012}"),
                        name: format!("Initiatief {i}"),
                        description: None,
                        lat: 52.0,
                        lon: 5.0,
                        municipality: Some(Area {
                            code: gm.into(),
                            name: gm.into(),
                        }),
                        province: None,
                        wijk: None,
                        target_groups: vec![],
                        created_at: "2024-01-01T00:00:00Z".into(),
                    };
                    db.insert_initiative(&initiative, None).unwrap();
                    for n in 0..=next(3) {
                        let answers: model::Answers = statements
                            .iter()
                            .map(|s| (s.clone(), (next(6) > 0).then(|| next(5) as u8 + 1)))
                            .collect();
                        let scores = scoring::score(catalog(), &answers).strategies;
                        let check = StoredCheck {
                            id: format!("10000000-0000-4000-8000-{:06}{:06}", i, n),
                            initiative_id: initiative.id.clone(),
                            role: Role::Resident,
                            // Some checks old enough to be purged, so that an older latest takes over.
                            created_at: format!(
                                "20{}-0{}-01T00:00:00Z",
                                [19, 25, 26][n as usize],
                                1 + next(8)
                            ),
                            respondents: vec![crate::store::Respondent::new(
                                Role::Resident,
                                answers,
                            )],
                            scores,
                            conversation: Default::default(),
                        };
                        db.insert_check(&check, None).unwrap();
                    }
                    db.refresh_sums(&[&initiative.id], &Default::default())
                        .unwrap();
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        for scope in [None, Some("GM0344"), Some("GM0518"), Some("GM9999")] {
            assert_eq!(
                stats(&store, scope).unwrap(),
                recomputed(&store, scope),
                "{scope:?}"
            );
        }
        let now = time::macros::datetime!(2026-11-01 0:00 UTC);
        crate::safety::retention::purge(&mut store, 24, now).unwrap();
        assert!(
            store
                .connection()
                .query_row("SELECT count(*) FROM purge_marks", [], |r| r
                    .get::<_, i64>(0))
                .unwrap()
                > 0
        );
        for scope in [None, Some("GM0344"), Some("GM0363")] {
            assert_eq!(
                stats(&store, scope).unwrap(),
                recomputed(&store, scope),
                "after the purge marks, {scope:?}"
            );
        }
        crate::safety::retention::purge(&mut store, 24, now + time::Duration::days(400)).unwrap();
        for scope in [None, Some("GM0344"), Some("GM0363")] {
            assert_eq!(
                stats(&store, scope).unwrap(),
                recomputed(&store, scope),
                "after the removal, {scope:?}"
            );
        }
        let before = stats(&store, None).unwrap();
        store
            .write(|tx| crate::store::aggregates::rebuild(tx))
            .unwrap();
        assert_eq!(stats(&store, None).unwrap(), before);
    }
}
