/*! One municipality's initiatives, as its review view and report show them.

A large city may hold tens of thousands of initiatives. The view therefore never receives them
all as table rows: it gets a [`MunicipalitySummary`] (aggregates, one small [`MapPoint`] per
initiative for the map and the review queue, and the table's first page) and then asks for the
table one sorted, filtered [`RowPage`] at a time. The PDF report still reads the whole
[`MunicipalityOverview`]. */

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

use crate::geo::geography;
use crate::model::ReviewStatus;
use crate::model::StrategyScores;
use crate::model::{Area, Strategy};
use crate::municipality::stats::{
    quarter_trend, stats, wijk_table, QuarterPoint, Stats, WijkTable,
};
use crate::store::facts::{Filter, Order};
use crate::store::provenance::{Source, SourceCount};
use crate::store::{Initiative, Store, StoreError};

/// The most rows one page may hold: enough for a screen, little enough to render at once.
pub const MAX_PAGE: u32 = 500;
/// The longest filter text taken (longer input is a mistake, not a search).
pub use crate::content::limits::FILTER_CHARS as MAX_FILTER_CHARS;

#[derive(Debug, Error)]
pub enum AreaError {
    #[error("there is no municipality with code {0}")]
    UnknownMunicipality(String),
    #[error("a page holds 1 to {MAX_PAGE} rows, not {0}")]
    PageSize(u32),
    #[error("the filter text is longer than {MAX_FILTER_CHARS} characters")]
    FilterTooLong,
    #[error(transparent)]
    Store(#[from] StoreError),
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
    /// How many people answered the latest check (a group check counts once, with its group
    /// scores); 0 without a check.
    pub respondents: u32,
    pub status: ReviewStatus,
    /// Where the initiative came from: this machine, or the machine and file it was imported from.
    pub source: Source,
}

/// Everything about one municipality, every initiative included (the PDF report).
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
    /// The figures per wijk, every wijk of the municipality included.
    pub wijken: WijkTable,
    /// Per quarter (oldest first), the mean per strategy: how the scores changed over time.
    pub trend: Vec<QuarterPoint>,
    /// When these figures were read (UTC, RFC 3339): the report's date.
    pub made_at: String,
}

/// What the map (and the review queue) needs of one initiative, and no more.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MapPoint {
    pub id: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub weakest_strategy: Option<Strategy>,
    pub status: ReviewStatus,
    /// The statuses the review workflow allows next (the UI keeps no copy of the workflow).
    pub next: Vec<ReviewStatus>,
    /// Whether it waits in the "needs review" queue.
    pub needs_review: bool,
}

/// What the municipality view opens with: aggregates, one point per initiative (oldest first) and
/// one page of the table.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MunicipalitySummary {
    pub municipality: Area,
    pub province: Option<Area>,
    pub points: Vec<MapPoint>,
    pub page: RowPage,
    pub stats: Stats,
    pub national: Stats,
    pub needs_review: u32,
    /// The figures per wijk, every wijk of the municipality included (empty without wijken).
    pub wijken: WijkTable,
    /// The machines its initiatives came from (the table's source filter), this one first.
    pub sources: Vec<SourceCount>,
}

/// The table's columns that can be sorted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum RowSort {
    Name,
    Checks,
    Latest,
    Bonding,
    Bridging,
    Linking,
    Status,
}

/// Which rows of the table to show: sorted, filtered, one page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct RowQuery {
    pub sort: RowSort,
    pub descending: bool,
    /// Only initiatives with this review status.
    pub status: Option<ReviewStatus>,
    /// Words that must all occur in the name (case does not matter).
    pub text: String,
    /// Only initiatives in this wijk (CBS code); "" for those outside every wijk.
    #[serde(default)]
    pub wijk: Option<String>,
    /// Only initiatives that came from this machine (its id, this machine's own included); ""
    /// for those from files that did not name their machine.
    #[serde(default)]
    pub source: Option<String>,
    /// The first row of the page, counted in the filtered, sorted rows.
    pub offset: u32,
    pub limit: u32,
}

/// One page of the table. An offset past the end gives the last page.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RowPage {
    /// Rows that pass the filter (all pages).
    pub matching: u32,
    /// The offset actually used.
    pub offset: u32,
    pub rows: Vec<InitiativeRow>,
}

fn table_row(r: crate::store::AreaRow) -> InitiativeRow {
    InitiativeRow {
        checks: r.checks,
        latest_at: r.latest_at,
        scores: r.scores.map(|s| s.rounded()).unwrap_or_default(),
        weakest_strategy: r.scores.and_then(|s| s.weakest()),
        respondents: r.respondents,
        status: r.status,
        source: r.source,
        initiative: r.initiative,
    }
}

fn rows_of(store: &Store, code: &str) -> Result<Vec<InitiativeRow>, StoreError> {
    Ok(store.area_rows(code)?.into_iter().map(table_row).collect())
}

/// Initiatives and visible checks per wijk ("" for none), counted from rows already read.
fn counts_by_wijk(rows: &[InitiativeRow]) -> std::collections::BTreeMap<String, (u32, u32)> {
    let mut counts = std::collections::BTreeMap::new();
    for r in rows {
        let entry: &mut (u32, u32) = counts
            .entry(
                r.initiative
                    .wijk
                    .as_ref()
                    .map_or(String::new(), |w| w.code.clone()),
            )
            .or_default();
        entry.0 += 1;
        entry.1 += r.checks;
    }
    counts
}

fn known(code: &str) -> Result<(Area, Option<Area>), AreaError> {
    geography()
        .municipality(code)
        .ok_or_else(|| AreaError::UnknownMunicipality(code.to_string()))
}

fn needs_review<'a>(statuses: impl Iterator<Item = &'a ReviewStatus>) -> u32 {
    statuses.filter(|s| s.needs_review()).count() as u32
}

/// Everything about one municipality, every row included.
pub fn overview(store: &Store, code: &str) -> Result<MunicipalityOverview, AreaError> {
    let (municipality, province) = known(code)?;
    let rows = rows_of(store, code)?;
    Ok(MunicipalityOverview {
        municipality,
        province,
        needs_review: needs_review(rows.iter().map(|r| &r.status)),
        wijken: wijk_table(store, code, &counts_by_wijk(&rows))?,
        rows,
        stats: stats(store, Some(code))?,
        national: stats(store, None)?,
        trend: quarter_trend(store, Some(code), None)?,
        made_at: time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
    })
}

/// The municipality view's aggregates, map points and the table's page that `query` asks for
/// (one read of the rows serves both).
pub fn summary(
    store: &Store,
    code: &str,
    query: &RowQuery,
) -> Result<MunicipalitySummary, AreaError> {
    let (municipality, province) = known(code)?;
    check(query)?;
    let rows = rows_of(store, code)?;
    let wijken = wijk_table(store, code, &counts_by_wijk(&rows))?;
    let points: Vec<MapPoint> = rows
        .iter()
        .map(|r| MapPoint {
            id: r.initiative.id.clone(),
            name: r.initiative.name.clone(),
            lat: r.initiative.lat,
            lon: r.initiative.lon,
            weakest_strategy: r.weakest_strategy,
            status: r.status,
            next: r.status.next().to_vec(),
            needs_review: r.status.needs_review(),
        })
        .collect();
    Ok(MunicipalitySummary {
        municipality,
        province,
        needs_review: needs_review(points.iter().map(|p| &p.status)),
        points,
        page: page(store, code, query)?,
        stats: stats(store, Some(code))?,
        national: stats(store, None)?,
        wijken,
        sources: store.db().source_counts(code)?,
    })
}

/// One page of the municipality's table: filtered, sorted and cut out in SQL over the kept
/// facts, so that a page reads only its own rows.
pub fn rows_page(store: &Store, code: &str, query: &RowQuery) -> Result<RowPage, AreaError> {
    known(code)?;
    check(query)?;
    page(store, code, query)
}

fn check(query: &RowQuery) -> Result<(), AreaError> {
    if query.limit == 0 || query.limit > MAX_PAGE {
        return Err(AreaError::PageSize(query.limit));
    }
    if query.text.chars().count() > MAX_FILTER_CHARS {
        return Err(AreaError::FilterTooLong);
    }
    Ok(())
}

/// The machines a municipality's initiatives came from, with how many each (this machine
/// first): the choices of the table's source filter.
pub fn sources(store: &Store, code: &str) -> Result<Vec<SourceCount>, AreaError> {
    known(code)?;
    Ok(store.db().source_counts(code)?)
}

/// Where one initiative came from, for the review panel (which may open it from the map or the
/// queue, where no table row carries its source).
pub fn initiative_source(store: &Store, id: &str) -> Result<Source, AreaError> {
    let db = store.db();
    let here = db.this_machine()?;
    Ok(db.source_of(&here, crate::store::provenance::Record::Initiative, id)?)
}

fn facts_filter<'a>(code: &'a str, query: &'a RowQuery) -> Filter<'a> {
    Filter {
        municipality: code,
        status: query.status,
        wijk: query.wijk.as_deref(),
        source: query.source.as_deref(),
        words: query
            .text
            .split_whitespace()
            .map(str::to_lowercase)
            .collect(),
    }
}

/// The ids of every initiative the query's filter shows, on all pages (to review them at once).
pub fn matching_ids(store: &Store, code: &str, query: &RowQuery) -> Result<Vec<String>, AreaError> {
    known(code)?;
    check(query)?;
    Ok(store
        .db()
        .initiative_ids_where(&facts_filter(code, query))?)
}

/// Filters, sorts and cuts out one page. An offset past the end gives the last page. Ties come
/// oldest first; descending is the exact reverse of ascending, ties included.
fn page(store: &Store, code: &str, query: &RowQuery) -> Result<RowPage, AreaError> {
    let db = store.db();
    let filter = facts_filter(code, query);
    let matching = db.count_initiatives(&filter)?;
    let last_page = matching.saturating_sub(1) / query.limit * query.limit;
    let offset = query.offset.min(last_page);
    let order = match query.sort {
        RowSort::Name => Order::Name,
        RowSort::Checks => Order::Checks,
        RowSort::Latest => Order::Latest,
        RowSort::Bonding => Order::Score(Strategy::Bonding),
        RowSort::Bridging => Order::Score(Strategy::Bridging),
        RowSort::Linking => Order::Score(Strategy::Linking),
        RowSort::Status => Order::Status,
    };
    let rows = db
        .initiative_page(
            &filter,
            order,
            query.descending,
            offset,
            query.limit,
            matching,
        )?
        .into_iter()
        .map(table_row)
        .collect();
    Ok(RowPage {
        matching,
        offset,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        n: u32,
        name: &str,
        checks: u32,
        bonding: Option<f64>,
        status: ReviewStatus,
    ) -> InitiativeRow {
        InitiativeRow {
            initiative: Initiative {
                id: format!("00000000-0000-4000-8000-{n:012}"),
                name: name.into(),
                description: None,
                lat: 52.0,
                lon: 5.0,
                municipality: None,
                province: None,
                wijk: None,
                target_groups: vec![],
                created_at: format!("2025-01-{:02}T00:00:00Z", n + 1),
            },
            checks,
            latest_at: (checks > 0).then(|| format!("2025-02-{:02}T00:00:00Z", n + 1)),
            scores: StrategyScores {
                bonding,
                bridging: None,
                linking: None,
            },
            weakest_strategy: bonding.map(|_| Strategy::Bonding),
            respondents: checks.min(1),
            status,
            // Every third came from another machine.
            source: if n % 3 == 2 {
                Source {
                    machine_id: Some("kolk".into()),
                    ..Source::default()
                }
            } else {
                Source {
                    here: true,
                    machine_id: Some("here".into()),
                    ..Source::default()
                }
            },
        }
    }

    fn rows() -> Vec<InitiativeRow> {
        use ReviewStatus::*;
        vec![
            row(0, "Buurttuin Oost", 2, Some(60.0), New),
            row(1, "buurtkamer", 1, Some(40.0), Published),
            row(2, "Taalcafé", 0, None, InReview),
            row(3, "Moestuin Zuid", 1, Some(40.0), New),
            row(4, "Buurtkeuken", 3, Some(80.0), NeedsInfo),
        ]
    }

    fn query(sort: RowSort, descending: bool) -> RowQuery {
        RowQuery {
            sort,
            descending,
            status: None,
            text: String::new(),
            wijk: None,
            source: None,
            offset: 0,
            limit: 100,
        }
    }

    /// A store holding exactly these rows (as initiatives of Utrecht with these facts), and the
    /// page the query asks of it. A query for source "here" asks for this machine's own.
    fn page_of(rows: Vec<InitiativeRow>, q: &RowQuery) -> RowPage {
        let store = Store::open_in_memory().unwrap();
        let conn = store.connection();
        for r in &rows {
            let i = &r.initiative;
            conn.execute(
                "INSERT INTO initiatives (id, name, lat, lon, gm_code, gm_name, target_groups, created_at) VALUES (?1, ?2, 52.0, 5.0, 'GM0344', 'Utrecht', '[]', ?3)",
                rusqlite::params![i.id, i.name, i.created_at],
            )
            .unwrap();
            let source = if r.source.here {
                None
            } else {
                r.source.machine_id.clone()
            };
            conn.execute(
                "INSERT INTO initiative_facts (initiative_id, gm_code, wk_code, name_key, created_at, checks, latest_at, bonding, bridging, linking, respondents, status, status_rank, source)
                 VALUES (?1, 'GM0344', NULL, ?2, ?3, ?4, ?5, ?6, NULL, NULL, ?7, ?8, ?9, ?10)",
                rusqlite::params![i.id, i.name.to_lowercase(), i.created_at, r.checks, r.latest_at, r.scores.bonding, r.respondents, r.status.as_str(), crate::store::facts::workflow_rank(r.status), source],
            )
            .unwrap();
        }
        let here = store.db().this_machine().unwrap().id;
        let q = RowQuery {
            source: q.source.as_deref().map(|k| {
                if k == "here" {
                    here.clone()
                } else {
                    k.to_string()
                }
            }),
            ..q.clone()
        };
        rows_page(&store, "GM0344", &q).unwrap()
    }

    fn names(p: &RowPage) -> Vec<&str> {
        p.rows.iter().map(|r| r.initiative.name.as_str()).collect()
    }

    #[test]
    fn sorts_on_each_column_with_ties_in_their_own_order_both_ways() {
        assert_eq!(
            names(&page_of(rows(), &query(RowSort::Name, false))),
            [
                "buurtkamer",
                "Buurtkeuken",
                "Buurttuin Oost",
                "Moestuin Zuid",
                "Taalcafé"
            ]
        );
        // Descending is the exact reverse, ties (one check each) included.
        assert_eq!(
            names(&page_of(rows(), &query(RowSort::Checks, true))),
            [
                "Buurtkeuken",
                "Buurttuin Oost",
                "Moestuin Zuid",
                "buurtkamer",
                "Taalcafé"
            ]
        );
        // No score sorts below every score; equal scores (40) come oldest first.
        assert_eq!(
            names(&page_of(rows(), &query(RowSort::Bonding, false))),
            [
                "Taalcafé",
                "buurtkamer",
                "Moestuin Zuid",
                "Buurttuin Oost",
                "Buurtkeuken"
            ]
        );
        assert_eq!(
            names(&page_of(rows(), &query(RowSort::Bonding, true))),
            [
                "Buurtkeuken",
                "Buurttuin Oost",
                "Moestuin Zuid",
                "buurtkamer",
                "Taalcafé"
            ]
        );
        assert_eq!(
            names(&page_of(rows(), &query(RowSort::Status, false))),
            [
                "Buurttuin Oost",
                "Moestuin Zuid",
                "Taalcafé",
                "Buurtkeuken",
                "buurtkamer"
            ]
        );
        assert_eq!(
            names(&page_of(rows(), &query(RowSort::Latest, true)))[4],
            "Taalcafé"
        );
    }

    #[test]
    fn filters_on_status_and_on_every_word_of_the_text() {
        let q = RowQuery {
            status: Some(ReviewStatus::New),
            ..query(RowSort::Name, false)
        };
        assert_eq!(
            names(&page_of(rows(), &q)),
            ["Buurttuin Oost", "Moestuin Zuid"]
        );
        let q = RowQuery {
            text: "  TUIN  buurt ".into(),
            ..query(RowSort::Name, false)
        };
        let p = page_of(rows(), &q);
        assert_eq!((names(&p), p.matching), (vec!["Buurttuin Oost"], 1));
        let q = RowQuery {
            text: "nergens".into(),
            ..query(RowSort::Name, false)
        };
        let p = page_of(rows(), &q);
        assert_eq!((p.rows.len(), p.matching, p.offset), (0, 0, 0));
    }

    #[test]
    fn filters_on_the_machine_an_initiative_came_from() {
        let q = RowQuery {
            source: Some("kolk".into()),
            ..query(RowSort::Name, false)
        };
        assert_eq!(names(&page_of(rows(), &q)), ["Taalcafé"]);
        let q = RowQuery {
            source: Some("here".into()),
            ..query(RowSort::Name, false)
        };
        assert_eq!(page_of(rows(), &q).matching, 4);
        let q = RowQuery {
            source: Some(String::new()),
            ..query(RowSort::Name, false)
        };
        assert_eq!(
            page_of(rows(), &q).matching,
            0,
            "none came from a file that named no machine"
        );
    }

    #[test]
    fn pages_cover_every_row_once_and_an_offset_past_the_end_gives_the_last_page() {
        let many: Vec<InitiativeRow> = (0..23)
            .map(|n| {
                row(
                    n,
                    &format!("Initiatief {n:02}"),
                    n % 3,
                    Some(f64::from(n % 4)),
                    ReviewStatus::New,
                )
            })
            .collect();
        for sort in [RowSort::Name, RowSort::Checks, RowSort::Bonding] {
            for descending in [false, true] {
                let mut seen = Vec::new();
                for offset in (0..23).step_by(10) {
                    let p = page_of(
                        many.clone(),
                        &RowQuery {
                            offset,
                            limit: 10,
                            ..query(sort, descending)
                        },
                    );
                    assert_eq!((p.matching, p.offset), (23, offset));
                    seen.extend(p.rows.into_iter().map(|r| r.initiative.id));
                }
                seen.sort();
                seen.dedup();
                assert_eq!(seen.len(), 23, "{sort:?} {descending}");
            }
        }
        let p = page_of(
            many.clone(),
            &RowQuery {
                offset: 999,
                limit: 10,
                ..query(RowSort::Name, false)
            },
        );
        assert_eq!((p.offset, p.rows.len()), (20, 3));
        // Pages in the second half are read from the other end: the same rows, in the same order,
        // as one long page shows them.
        for sort in [
            RowSort::Name,
            RowSort::Checks,
            RowSort::Latest,
            RowSort::Bonding,
            RowSort::Status,
        ] {
            for descending in [false, true] {
                let whole: Vec<String> = page_of(
                    many.clone(),
                    &RowQuery {
                        limit: 100,
                        ..query(sort, descending)
                    },
                )
                .rows
                .into_iter()
                .map(|r| r.initiative.id)
                .collect();
                let mut paged = Vec::new();
                for offset in (0..23).step_by(4) {
                    paged.extend(
                        page_of(
                            many.clone(),
                            &RowQuery {
                                offset,
                                limit: 4,
                                ..query(sort, descending)
                            },
                        )
                        .rows
                        .into_iter()
                        .map(|r| r.initiative.id),
                    );
                }
                assert_eq!(paged, whole, "{sort:?} {descending}");
                let mut reversed = page_of(
                    many.clone(),
                    &RowQuery {
                        limit: 100,
                        ..query(sort, !descending)
                    },
                )
                .rows
                .into_iter()
                .map(|r| r.initiative.id)
                .collect::<Vec<_>>();
                reversed.reverse();
                assert_eq!(reversed, whole, "{sort:?}: descending is the exact reverse");
            }
        }
    }

    #[test]
    fn a_bad_query_is_refused() {
        let store = Store::open_in_memory().unwrap();
        let q = query(RowSort::Name, false);
        assert!(matches!(
            rows_page(&store, "GM9999", &q),
            Err(AreaError::UnknownMunicipality(_))
        ));
        assert!(matches!(
            rows_page(
                &store,
                "GM0344",
                &RowQuery {
                    limit: 0,
                    ..q.clone()
                }
            ),
            Err(AreaError::PageSize(0))
        ));
        assert!(matches!(
            rows_page(
                &store,
                "GM0344",
                &RowQuery {
                    limit: MAX_PAGE + 1,
                    ..q.clone()
                }
            ),
            Err(AreaError::PageSize(_))
        ));
        assert!(matches!(
            rows_page(
                &store,
                "GM0344",
                &RowQuery {
                    text: "x".repeat(201),
                    ..q.clone()
                }
            ),
            Err(AreaError::FilterTooLong)
        ));
        assert!(matches!(
            summary(
                &store,
                "GM0344",
                &RowQuery {
                    limit: 0,
                    ..q.clone()
                }
            ),
            Err(AreaError::PageSize(0))
        ));
        let empty = rows_page(&store, "GM0344", &q).unwrap();
        assert_eq!((empty.matching, empty.offset, empty.rows.len()), (0, 0, 0));
        let s = summary(&store, "GM0344", &q).unwrap();
        assert_eq!(
            (
                s.municipality.name.as_str(),
                s.points.len(),
                s.page.matching
            ),
            ("Utrecht", 0, 0)
        );
    }
}
