//! What the benchmarks share: reproducible inputs and a place for figures criterion does not keep.
#![allow(dead_code)]

use std::path::PathBuf;

use wijkkompas::content::catalog::catalog;
use wijkkompas::exchange::{self, Bundle, BundleCheck, BundleInitiative};
use wijkkompas::geo::geography;
use wijkkompas::store::provenance::Machine;

/// A small, fixed pseudo-random sequence (xorshift64), so every run measures the same inputs.
pub struct Sequence(u64);

impl Sequence {
    pub fn new(seed: u64) -> Sequence {
        Sequence(seed.max(1))
    }

    /// Uniform in [0, 1).
    pub fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() * n as f64) as usize
    }
}

/// `n` random points (lat, lon) that fall inside a Dutch municipality.
pub fn points_in_the_netherlands(n: usize, seed: u64) -> Vec<(f64, f64)> {
    let mut seq = Sequence::new(seed);
    let mut points = Vec::with_capacity(n);
    while points.len() < n {
        let (lat, lon) = (50.75 + seq.next() * 2.8, 3.35 + seq.next() * 3.9);
        if geography()
            .locate(lat, lon)
            .is_ok_and(|l| l.municipality.is_some())
        {
            points.push((lat, lon));
        }
    }
    points
}

/// `n` random points inside one municipality (CBS code), drawn within its bounding box.
pub fn points_in_municipality(n: usize, code: &str, seed: u64) -> Vec<(f64, f64)> {
    let outline = geography()
        .municipality_outlines()
        .find(|(a, _)| a.code == code)
        .expect("a known municipality")
        .1;
    let bbox = geo::BoundingRect::bounding_rect(outline).expect("a non-empty outline");
    let mut seq = Sequence::new(seed);
    let mut points = Vec::with_capacity(n);
    while points.len() < n {
        let (lat, lon) = (
            bbox.min().y + seq.next() * bbox.height(),
            bbox.min().x + seq.next() * bbox.width(),
        );
        if geography()
            .locate(lat, lon)
            .is_ok_and(|l| l.municipality.is_some_and(|m| m.code == code))
        {
            points.push((lat, lon));
        }
    }
    points
}

/// `target/bench-extra/`: figures measured outside criterion (the shapely baseline).
pub fn extra_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-extra");
    std::fs::create_dir_all(&dir).expect("target/ is writable");
    dir
}

/// A bundle of `checks` self-checks spread evenly over one initiative at each place, made on
/// `machine`; `uuid(kind, n)` names the n-th initiative (kind 1) or check (kind 2).
pub fn bundle_of(
    places: &[(f64, f64)],
    checks: usize,
    uuid: impl Fn(u32, usize) -> String,
    machine: Machine,
    seq: &mut Sequence,
) -> Bundle {
    let statements: Vec<&str> = catalog()
        .lessons
        .iter()
        .flat_map(|l| &l.statements)
        .map(|s| s.id.as_str())
        .collect();
    let initiatives: Vec<BundleInitiative> = places
        .iter()
        .enumerate()
        .map(|(n, (lat, lon))| BundleInitiative {
            id: uuid(1, n),
            name: format!("Buurtinitiatief {n}"),
            description: Some("Bewoners ontmoeten elkaar elke week in het buurthuis.".into()),
            lat: *lat,
            lon: *lon,
            target_groups: vec!["buurtbewoners".into()],
            created_at: "2025-03-01T10:00:00Z".into(),
            made_on: None,
            hash: None,
        })
        .collect();
    let self_checks = (0..checks)
        .map(|n| BundleCheck {
            id: uuid(2, n),
            initiative_id: uuid(1, n * places.len() / checks),
            role: ["resident", "professional", "policy"][n % 3].into(),
            created_at: format!(
                "2025-{:02}-{:02}T12:00:00Z",
                4 + n % 2 * 3,
                1 + seq.below(28)
            ),
            answers: statements
                .iter()
                .map(|s| {
                    (
                        s.to_string(),
                        (seq.next() > 0.1).then(|| 1 + seq.below(5) as i64),
                    )
                })
                .collect(),
            respondents: None,
            notes: None,
            actions: None,
            previous_actions: None,
            made_on: None,
            hash: None,
        })
        .collect();
    Bundle {
        format: exchange::FORMAT.into(),
        version: exchange::VERSION,
        exported_at: "2025-12-01T09:00:00Z".into(),
        municipality: None,
        machine: Some(machine),
        machines: vec![],
        initiatives,
        self_checks,
        review_log: vec![],
        group_rounds: vec![],
    }
}
