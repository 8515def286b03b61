//! The store at national scale: importing a bundle of self-checks against a raw rusqlite insert of
//! the same rows (the practical limit), the municipality statistics over a full database, and what
//! the municipality view asks of a city with thousands of initiatives.
mod support;

use std::collections::BTreeMap;
use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use rusqlite::{params, Connection};
use wijkkompas::content::catalog::catalog;
use wijkkompas::exchange::{self, Bundle};
use wijkkompas::geo::geography;
use wijkkompas::municipality::area::{self, RowQuery, RowSort};
use wijkkompas::municipality::stats;
use wijkkompas::store::Store;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

/// A bundle of `checks` self-checks over half as many initiatives spread over the country.
fn bundle(checks: usize) -> Bundle {
    bundle_at(
        &support::points_in_the_netherlands(checks.div_ceil(2), 7),
        checks,
    )
}

/// A bundle of `checks` self-checks spread evenly over one initiative at each place.
fn bundle_at(places: &[(f64, f64)], checks: usize) -> Bundle {
    // As a community centre's machine writes it: its records remember where they came from.
    let machine = wijkkompas::store::provenance::Machine {
        id: "5e1f0a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b".into(),
        name: "Buurthuis De Kolk".into(),
    };
    support::bundle_of(
        places,
        checks,
        |kind, n| format!("{kind:08x}-0000-4000-8000-{n:012}"),
        machine,
        &mut support::Sequence::new(checks as u64),
    )
}

/// An initiative as a plain row: id, name, description, lat, lon, municipality and province
/// (code and name), target groups, created at.
type InitiativeRow = (
    String,
    String,
    Option<String>,
    f64,
    f64,
    Option<(String, String)>,
    Option<(String, String)>,
    String,
    String,
);

/// A self-check as a plain row: id, initiative, role, created at, scores, answers.
type CheckRow = (
    String,
    String,
    String,
    String,
    [Option<f64>; 3],
    Vec<(String, Option<i64>)>,
);

/// The bundle's records as plain rows, with everything the core derives worked out beforehand.
struct Rows {
    initiatives: Vec<InitiativeRow>,
    checks: Vec<CheckRow>,
}

fn rows(b: &Bundle) -> Rows {
    Rows {
        initiatives: b
            .initiatives
            .iter()
            .map(|i| {
                let at = geography().locate(i.lat, i.lon).unwrap();
                (
                    i.id.clone(),
                    i.name.clone(),
                    i.description.clone(),
                    i.lat,
                    i.lon,
                    at.municipality.map(|a| (a.code, a.name)),
                    at.province.map(|a| (a.code, a.name)),
                    serde_json::to_string(&i.target_groups).unwrap(),
                    i.created_at.clone(),
                )
            })
            .collect(),
        checks: b
            .self_checks
            .iter()
            .map(|c| {
                let answers =
                    wijkkompas::selfcheck::assess::validate(catalog(), &c.answers).unwrap();
                let s = wijkkompas::content::scoring::score(catalog(), &answers).strategies;
                (
                    c.id.clone(),
                    c.initiative_id.clone(),
                    c.role.clone(),
                    c.created_at.clone(),
                    [s.bonding, s.bridging, s.linking],
                    c.answers.iter().map(|(k, v)| (k.clone(), *v)).collect(),
                )
            })
            .collect(),
    }
}

/// The practical limit: the same rows through prepared statements in one transaction, into the
/// same schema with the store's settings (WAL, synchronous FULL, foreign keys checked, a 32 MiB
/// page cache).
fn raw_insert(path: &Path, rows: &Rows) {
    let mut conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    conn.pragma_update(None, "cache_size", -32_768).unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut initiative = tx
            .prepare("INSERT INTO initiatives (id, name, description, lat, lon, gm_code, gm_name, pv_code, pv_name, target_groups, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
            .unwrap();
        for (id, name, description, lat, lon, gm, pv, groups, at) in &rows.initiatives {
            let gm = gm.as_ref();
            let pv = pv.as_ref();
            initiative
                .execute(params![
                    id,
                    name,
                    description,
                    lat,
                    lon,
                    gm.map(|a| &a.0),
                    gm.map(|a| &a.1),
                    pv.map(|a| &a.0),
                    pv.map(|a| &a.1),
                    groups,
                    at
                ])
                .unwrap();
        }
        let mut check = tx
            .prepare("INSERT INTO self_checks (id, initiative_id, role, created_at, score_bonding, score_bridging, score_linking) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
            .unwrap();
        // Since schema 10 every check has its respondents (one here) and answers per respondent.
        let mut respondent = tx
            .prepare("INSERT INTO respondents (check_id, respondent, role) VALUES (?1, 1, ?2)")
            .unwrap();
        let mut answer = tx.prepare("INSERT INTO answers (check_id, respondent, statement_id, value) VALUES (?1, 1, ?2, ?3)").unwrap();
        for (id, initiative_id, role, at, scores, answers) in &rows.checks {
            check
                .execute(params![
                    id,
                    initiative_id,
                    role,
                    at,
                    scores[0],
                    scores[1],
                    scores[2]
                ])
                .unwrap();
            respondent.execute(params![id, role]).unwrap();
            for (statement, value) in answers {
                answer.execute(params![id, statement, value]).unwrap();
            }
        }
    }
    tx.commit().unwrap();
}

/// The baseline: the same rows by [`raw_insert`], each time into an empty database.
fn bench_raw_insert(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: BenchmarkId,
    plain: &Rows,
    dir: &tempfile::TempDir,
) {
    group.bench_with_input(id, plain, |bench, plain| {
        bench.iter_batched(
            || empty_database(dir),
            |path| {
                raw_insert(&path, plain);
                std::fs::remove_file(&path).ok();
            },
            BatchSize::PerIteration,
        )
    });
}

fn empty_database(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = dir
        .path()
        .join(format!("bench-{}.db", uuid::Uuid::new_v4()));
    drop(Store::open(&path).unwrap());
    path
}

fn import(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    for size in SIZES {
        let b = bundle(size);
        let text = serde_json::to_string(&b).unwrap();
        let plain = rows(&b);
        group.throughput(Throughput::Elements(size as u64));
        // The same bundle from memory (as the app sends it) and as a file on disk, streamed from
        // there (as the CLI imports).
        let file = dir.path().join(format!("bundle-{size}.json"));
        std::fs::write(&file, &text).unwrap();
        let from_memory = |store: &mut Store| exchange::import_bundle(store, &text, &mut |_, _| {});
        let from_file =
            |store: &mut Store| exchange::import_file(store, &file, None, &mut |_, _| {});
        type Import<'a> =
            &'a dyn Fn(&mut Store) -> Result<exchange::ImportSummary, exchange::ExchangeError>;
        let sources: [(&str, Import); 2] = [("bundle", &from_memory), ("file", &from_file)];
        for (name, import) in sources {
            group.bench_function(BenchmarkId::new(name, size), |bench| {
                // Opening the store (and its daily backup) is set-up, as the raw insert's schema is.
                bench.iter_batched(
                    || {
                        let path = empty_database(&dir);
                        let store = Store::open(&path).unwrap();
                        (path, store)
                    },
                    |(path, mut store)| {
                        let summary = import(&mut store).unwrap();
                        assert_eq!(summary.added as usize, size + size.div_ceil(2));
                        drop(store);
                        std::fs::remove_file(&path).ok();
                    },
                    BatchSize::PerIteration,
                )
            });
        }
        bench_raw_insert(
            &mut group,
            BenchmarkId::new("raw-insert", size),
            &plain,
            &dir,
        );
    }
    group.finish();
}

/// A municipality's week: a folder of 200 bundles from 200 community centres (each its own
/// machine), 100,000 self-checks in all, imported file by file, against the raw insert of the
/// same rows.
fn folder(c: &mut Criterion) {
    const FILES: usize = 200;
    const CHECKS: usize = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("bundles");
    std::fs::create_dir(&folder).unwrap();
    let whole = bundle(CHECKS);
    let per_file = whole.initiatives.len().div_ceil(FILES);
    for (k, initiatives) in whole.initiatives.chunks(per_file).enumerate() {
        let ids: std::collections::HashSet<&str> =
            initiatives.iter().map(|i| i.id.as_str()).collect();
        let part = Bundle {
            machine: Some(wijkkompas::store::provenance::Machine {
                id: format!("{k:08x}-0000-4000-8000-000000000000"),
                name: format!("Buurthuis {k}"),
            }),
            initiatives: initiatives.to_vec(),
            self_checks: whole
                .self_checks
                .iter()
                .filter(|c| ids.contains(c.initiative_id.as_str()))
                .cloned()
                .collect(),
            ..whole.clone()
        };
        std::fs::write(
            folder.join(format!("centre-{k:03}.json")),
            serde_json::to_string(&part).unwrap(),
        )
        .unwrap();
    }
    let plain = rows(&whole);
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.throughput(Throughput::Elements(CHECKS as u64));
    group.bench_function(BenchmarkId::new("folder", CHECKS), |bench| {
        bench.iter_batched(
            || {
                let path = empty_database(&dir);
                let store = Store::open(&path).unwrap();
                (path, store)
            },
            |(path, mut store)| {
                let summary =
                    exchange::folder::import_folder(&mut store, &folder, None, &mut |_| {})
                        .unwrap();
                assert_eq!(
                    (
                        summary.files.len(),
                        summary.rejected,
                        summary.added as usize
                    ),
                    (FILES, 0, CHECKS + whole.initiatives.len())
                );
                drop(store);
                std::fs::remove_file(&path).ok();
            },
            BatchSize::PerIteration,
        )
    });
    bench_raw_insert(
        &mut group,
        BenchmarkId::new("raw-insert-folder", CHECKS),
        &plain,
        &dir,
    );
    group.finish();
    if selected(&format!("import/folder/{CHECKS}")) {
        paired_runs(
            &folder,
            &plain,
            &dir,
            FILES,
            CHECKS + whole.initiatives.len(),
        );
    }
}

/// Whether this run's filter (if any; a regular expression, as criterion reads it) selects the
/// benchmark `id`.
fn selected(id: &str) -> bool {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    filters.is_empty()
        || filters
            .iter()
            .any(|f| regex::Regex::new(f).is_ok_and(|r| r.is_match(id)))
}

/// The folder import and the raw insert of its rows, timed in turns (ABBA), each into an empty
/// database. The machine's speed drifts by up to a fifth between minutes here, and criterion times
/// the two one after the other, so their ratio moves with the drift; a pair timed back to back
/// does not. Prints each pair and the median ratio, and writes it to
/// target/bench-extra/import-folder-ratio.txt.
fn paired_runs(folder: &Path, plain: &Rows, dir: &tempfile::TempDir, files: usize, records: usize) {
    const PAIRS: usize = 4;
    let time_folder = || {
        let path = empty_database(dir);
        let mut store = Store::open(&path).unwrap();
        let started = std::time::Instant::now();
        let summary =
            exchange::folder::import_folder(&mut store, folder, None, &mut |_| {}).unwrap();
        drop(store);
        let took = started.elapsed().as_secs_f64();
        assert_eq!(
            (
                summary.files.len(),
                summary.rejected,
                summary.added as usize
            ),
            (files, 0, records)
        );
        std::fs::remove_file(&path).ok();
        took
    };
    let time_raw = || {
        let path = empty_database(dir);
        let started = std::time::Instant::now();
        raw_insert(&path, plain);
        let took = started.elapsed().as_secs_f64();
        std::fs::remove_file(&path).ok();
        took
    };
    let mut ratios = Vec::new();
    let mut lines = Vec::new();
    for pair in 0..PAIRS {
        let (import, raw) = if pair % 2 == 0 {
            let import = time_folder();
            (import, time_raw())
        } else {
            let raw = time_raw();
            (time_folder(), raw)
        };
        ratios.push(import / raw);
        lines.push(format!(
            "pair {}: folder import {import:.2} s, raw insert {raw:.2} s, ratio {:.2}",
            pair + 1,
            import / raw
        ));
        println!("import/folder paired {}", lines.last().unwrap());
    }
    ratios.sort_by(f64::total_cmp);
    let median = (ratios[PAIRS / 2 - 1] + ratios[PAIRS / 2]) / 2.0;
    lines.push(format!("median ratio {median:.2} (goal: at most 2)"));
    println!("import/folder paired: median ratio {median:.2}");
    std::fs::write(
        support::extra_dir().join("import-folder-ratio.txt"),
        lines.join("\n") + "\n",
    )
    .unwrap();
}

fn aggregates(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("stats");
    for size in SIZES {
        let path = empty_database(&dir);
        let mut store = Store::open(&path).unwrap();
        exchange::import_bundle(
            &mut store,
            &serde_json::to_string(&bundle(size)).unwrap(),
            &mut |_, _| {},
        )
        .unwrap();
        // The municipality with the most initiatives in this database.
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for (lat, lon) in support::points_in_the_netherlands(size.div_ceil(2), 7) {
            *counts
                .entry(
                    geography()
                        .locate(lat, lon)
                        .unwrap()
                        .municipality
                        .unwrap()
                        .code,
                )
                .or_default() += 1;
        }
        let busiest = counts
            .iter()
            .max_by_key(|(_, n)| **n)
            .map(|(code, _)| code.clone())
            .unwrap();
        assert_eq!(stats::stats(&store, None).unwrap().checks as usize, size);
        group.bench_function(BenchmarkId::new("country", size), |b| {
            b.iter(|| stats::stats(&store, None).unwrap())
        });
        group.bench_function(BenchmarkId::new("municipality", size), |b| {
            b.iter(|| stats::stats(&store, Some(&busiest)).unwrap())
        });
    }
    group.finish();
}

/// The municipality view of a city holding N initiatives (one self-check each): the summary it
/// opens with (aggregates, a map point per initiative, the first table page) and a later page
/// (sorted on a score, filtered on a word, further down).
fn municipality_view(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("municipality-view");
    for size in SIZES {
        let path = empty_database(&dir);
        let mut store = Store::open(&path).unwrap();
        let places = support::points_in_municipality(size, "GM0344", 11);
        exchange::import_bundle(
            &mut store,
            &serde_json::to_string(&bundle_at(&places, size)).unwrap(),
            &mut |_, _| {},
        )
        .unwrap();
        let first = RowQuery {
            sort: RowSort::Name,
            descending: false,
            status: None,
            text: String::new(),
            wijk: None,
            source: None,
            offset: 0,
            limit: 100,
        };
        let later = RowQuery {
            sort: RowSort::Bonding,
            descending: true,
            text: "1".into(),
            offset: 100,
            ..first.clone()
        };
        // The slowest kind: sorted on a column without an index, filtered, near the end.
        let last = RowQuery {
            sort: RowSort::Latest,
            descending: true,
            status: Some(wijkkompas::model::ReviewStatus::New),
            offset: u32::MAX,
            ..first.clone()
        };
        assert_eq!(
            area::summary(&store, "GM0344", &first)
                .unwrap()
                .points
                .len(),
            size
        );
        assert_eq!(
            area::rows_page(&store, "GM0344", &later)
                .unwrap()
                .rows
                .len(),
            100
        );
        assert_eq!(
            area::rows_page(&store, "GM0344", &last).unwrap().matching as usize,
            size
        );
        group.bench_function(BenchmarkId::new("summary", size), |b| {
            b.iter(|| area::summary(&store, "GM0344", &first).unwrap())
        });
        group.bench_function(BenchmarkId::new("page", size), |b| {
            b.iter(|| area::rows_page(&store, "GM0344", &later).unwrap())
        });
        group.bench_function(BenchmarkId::new("first-page", size), |b| {
            b.iter(|| area::rows_page(&store, "GM0344", &first).unwrap())
        });
        group.bench_function(BenchmarkId::new("last-page", size), |b| {
            b.iter(|| area::rows_page(&store, "GM0344", &last).unwrap())
        });
        // The worst case: the page in the middle, sorted on a score.
        let middle = RowQuery {
            sort: RowSort::Bridging,
            offset: size as u32 / 2,
            ..first.clone()
        };
        group.bench_function(BenchmarkId::new("middle-page", size), |b| {
            b.iter(|| area::rows_page(&store, "GM0344", &middle).unwrap())
        });
        // What crosses the IPC: the summary as JSON.
        let bytes = serde_json::to_string(&area::summary(&store, "GM0344", &first).unwrap())
            .unwrap()
            .len();
        std::fs::write(
            support::extra_dir().join(format!("summary-bytes-{size}.txt")),
            bytes.to_string(),
        )
        .unwrap();
    }
    group.finish();
}

criterion_group!(benches, import, folder, aggregates, municipality_view);
criterion_main!(benches);
