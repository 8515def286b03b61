//! Point → municipality: the core's grid lookup against a naive loop over all polygons with
//! `geo::Contains`, and against shapely 2's vectorised STRtree bulk query on the same points and
//! polygons (run from here, so all three are measured in one run).
mod support;

use std::io::Write;
use std::process::Command;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use geo::{Contains, Point};
use wijkkompas::geo::geography;

const POINTS: usize = 100_000;
/// The naive loop is slow enough that a tenth of the points gives a steady figure.
const NAIVE_POINTS: usize = 10_000;

fn shapely_baseline(points: &[(f64, f64)]) {
    let Some(python) = std::env::var_os("SHAPELY_PYTHON") else {
        eprintln!("SHAPELY_PYTHON is not set: the shapely baseline is skipped (make bench sets it)");
        return;
    };
    let dir = support::extra_dir();
    let points_file = dir.join("points.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&points_file).unwrap());
    for (lat, lon) in points {
        writeln!(out, "{lon},{lat}").unwrap();
    }
    drop(out);
    let polygons = std::env::var("WIJKKOMPAS_GEODATA").map(std::path::PathBuf::from).unwrap_or_else(|_| {
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/geodata")
    });
    let result = dir.join("shapely.json");
    let status = Command::new(python)
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/shapely_locate.py"))
        .arg(polygons.join("gemeenten-2024.geojson"))
        .arg(&points_file)
        .arg(&result)
        .status()
        .expect("the shapely script runs");
    assert!(status.success(), "the shapely baseline failed");
    // The same answers, or the comparison means nothing.
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&result).unwrap()).unwrap();
    let codes = report["codes"].as_array().unwrap();
    let ours: Vec<Option<String>> = points.iter().map(|(lat, lon)| geography().locate(*lat, *lon).unwrap().municipality.map(|a| a.code)).collect();
    let differ = codes.iter().zip(&ours).filter(|(s, o)| s.as_str() != o.as_deref()).count();
    println!(
        "shapely {}: {:.1} ms for {} points ({:.0} points/s); answers that differ from ours: {differ}",
        report["shapely"].as_str().unwrap_or("?"),
        report["seconds"].as_f64().unwrap() * 1000.0,
        points.len(),
        points.len() as f64 / report["seconds"].as_f64().unwrap(),
    );
    assert_eq!(differ, 0, "shapely and the core disagree on some points");
}

fn locate(c: &mut Criterion) {
    let geo = geography();
    assert!(geo.is_official(), "this benchmark needs the official boundaries (../shared/geodata)");
    let points = support::points_in_the_netherlands(POINTS, 42);
    shapely_baseline(&points);

    let mut group = c.benchmark_group("locate");
    group.sample_size(20);
    group.throughput(Throughput::Elements(POINTS as u64));
    group.bench_function(BenchmarkId::new("grid", POINTS), |b| {
        b.iter(|| points.iter().filter(|(lat, lon)| geo.locate(*lat, *lon).unwrap().municipality.is_some()).count())
    });
    let outlines: Vec<_> = geo.municipality_outlines().collect();
    group.throughput(Throughput::Elements(NAIVE_POINTS as u64));
    group.sample_size(10);
    group.bench_function(BenchmarkId::new("naive-contains", NAIVE_POINTS), |b| {
        b.iter(|| {
            points[..NAIVE_POINTS]
                .iter()
                .filter(|(lat, lon)| outlines.iter().any(|(_, shape)| shape.contains(&Point::new(*lon, *lat))))
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, locate);
criterion_main!(benches);
