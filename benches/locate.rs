//! Point → municipality and point → wijk: the core's grid lookups against a naive loop over all
//! polygons with `geo::Contains`, and against shapely 2's vectorised STRtree bulk query on the same
//! points and polygons (run from here, so all are measured in one run). `locate/grid` is the
//! public `locate`, which since the wijken answers municipality, province and wijk in one call.
mod support;

use std::io::Write;
use std::process::Command;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use geo::{Contains, Point};
use wijkkompas::geo::geography;

const POINTS: usize = 100_000;
/// The naive loop is slow enough that a tenth of the points gives a steady figure.
const NAIVE_POINTS: usize = 10_000;

/// Which areas a shapely run compares: the file, its code property, the rule among overlapping
/// hits, and the core's answer for a point.
struct Baseline {
    name: &'static str,
    file: &'static str,
    key: &'static str,
    rule: &'static str,
    ours: fn(f64, f64) -> Option<String>,
}

const MUNICIPALITIES: Baseline = Baseline {
    name: "municipalities",
    file: "gemeenten-2024.geojson",
    key: "gm_code",
    rule: "lowest",
    ours: |lat, lon| {
        geography()
            .municipality_at(lat, lon)
            .map(|a| a.code.clone())
    },
};

/// The raw wijk polygons, as shapely sees them (the app's `locate` then keeps the wijk within the
/// point's municipality: `src/geo/wijken.rs`).
const WIJKEN: Baseline = Baseline {
    name: "wijken",
    file: "wijken-2024.geojson",
    key: "wk_code",
    rule: "smallest",
    ours: |lat, lon| {
        geography()
            .wijk_polygon_at(lat, lon)
            .map(|a| a.code.clone())
    },
};

fn shapely_baseline(points: &[(f64, f64)], baseline: &Baseline) {
    let Some(python) = std::env::var_os("SHAPELY_PYTHON") else {
        eprintln!(
            "SHAPELY_PYTHON is not set: the shapely baseline is skipped (make bench sets it)"
        );
        return;
    };
    let dir = support::extra_dir();
    let points_file = dir.join("points.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&points_file).unwrap());
    for (lat, lon) in points {
        writeln!(out, "{lon},{lat}").unwrap();
    }
    drop(out);
    let polygons = std::env::var("WIJKKOMPAS_GEODATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/geodata")
        });
    let result = dir.join(if baseline.name == "municipalities" {
        "shapely.json".to_string()
    } else {
        format!("shapely-{}.json", baseline.name)
    });
    let status = Command::new(python)
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/benches/shapely_locate.py"
        ))
        .arg(polygons.join(baseline.file))
        .arg(&points_file)
        .arg(&result)
        .arg(baseline.key)
        .arg(baseline.rule)
        .status()
        .expect("the shapely script runs");
    assert!(status.success(), "the shapely baseline failed");
    // The same answers, or the comparison means nothing.
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&result).unwrap()).unwrap();
    let codes = report["codes"].as_array().unwrap();
    let ours: Vec<Option<String>> = points
        .iter()
        .map(|(lat, lon)| (baseline.ours)(*lat, *lon))
        .collect();
    let differ = codes
        .iter()
        .zip(&ours)
        .filter(|(s, o)| s.as_str() != o.as_deref())
        .count();
    println!(
        "{}: shapely {}: {:.1} ms (best of 5; median {:.1} ms) for {} points ({:.0} points/s); answers that differ from ours: {differ}",
        baseline.name,
        report["shapely"].as_str().unwrap_or("?"),
        report["seconds"].as_f64().unwrap() * 1000.0,
        report["median_seconds"].as_f64().unwrap_or(f64::NAN) * 1000.0,
        points.len(),
        points.len() as f64 / report["seconds"].as_f64().unwrap(),
    );
    assert_eq!(differ, 0, "shapely and the core disagree on some points");
}

fn locate(c: &mut Criterion) {
    let geo = geography();
    assert!(
        geo.is_official(),
        "this benchmark needs the official boundaries (../shared/geodata)"
    );
    let points = support::points_in_the_netherlands(POINTS, 42);
    shapely_baseline(&points, &MUNICIPALITIES);
    shapely_baseline(&points, &WIJKEN);

    let mut group = c.benchmark_group("locate");
    group.sample_size(20);
    group.throughput(Throughput::Elements(POINTS as u64));
    group.bench_function(BenchmarkId::new("grid", POINTS), |b| {
        b.iter(|| {
            points
                .iter()
                .filter(|(lat, lon)| geo.locate(*lat, *lon).unwrap().municipality.is_some())
                .count()
        })
    });
    // The municipality alone, as `locate` answered before the wijken (and as shapely is asked).
    group.bench_function(BenchmarkId::new("municipality-grid", POINTS), |b| {
        b.iter(|| {
            points
                .iter()
                .filter(|(lat, lon)| geo.municipality_at(*lat, *lon).is_some())
                .count()
        })
    });
    let outlines: Vec<_> = geo.municipality_outlines().collect();
    group.throughput(Throughput::Elements(NAIVE_POINTS as u64));
    group.sample_size(10);
    group.bench_function(BenchmarkId::new("naive-contains", NAIVE_POINTS), |b| {
        b.iter(|| {
            points[..NAIVE_POINTS]
                .iter()
                .filter(|(lat, lon)| {
                    outlines
                        .iter()
                        .any(|(_, shape)| shape.contains(&Point::new(*lon, *lat)))
                })
                .count()
        })
    });
    group.finish();

    let mut group = c.benchmark_group("wijk");
    group.sample_size(20);
    group.throughput(Throughput::Elements(POINTS as u64));
    group.bench_function(BenchmarkId::new("grid", POINTS), |b| {
        b.iter(|| {
            points
                .iter()
                .filter(|(lat, lon)| geo.wijk_polygon_at(*lat, *lon).is_some())
                .count()
        })
    });
    let wijken: Vec<_> = geo.wijk_outlines().map(|(_, _, _, shape)| shape).collect();
    group.throughput(Throughput::Elements(NAIVE_POINTS as u64));
    group.sample_size(10);
    group.bench_function(BenchmarkId::new("naive-contains", NAIVE_POINTS), |b| {
        b.iter(|| {
            points[..NAIVE_POINTS]
                .iter()
                .filter(|(lat, lon)| {
                    wijken
                        .iter()
                        .any(|shape| shape.contains(&Point::new(*lon, *lat)))
                })
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, locate);
criterion_main!(benches);
