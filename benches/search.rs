//! Place suggestions as a person types: a three-letter prefix over the whole gazetteer.
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use wijkkompas::geo::geography;

fn search(c: &mut Criterion) {
    let geo = geography();
    let mut group = c.benchmark_group("search");
    for prefix in ["ams", "utr", "gro", "zui", "'s-"] {
        assert!(
            !geo.search(prefix, 8, wijkkompas::model::Lang::Nl)
                .is_empty(),
            "{prefix} finds places"
        );
        group.bench_function(BenchmarkId::new("prefix", prefix), |b| {
            b.iter(|| geo.search(prefix, 8, wijkkompas::model::Lang::Nl))
        });
    }
    group.finish();
}

criterion_group!(benches, search);
criterion_main!(benches);
