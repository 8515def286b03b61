//! Scoring by hand-computed examples (the rule is in src/content/scoring.rs and docs/cli.md).
use wijkkompas::content::catalog::catalog;
use wijkkompas::content::scoring::score;
use wijkkompas::model::{round1, Answers};

fn answers(pairs: &[(&str, Option<u8>)]) -> Answers {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

#[test]
fn a_full_example_by_hand() {
    let a = score(
        catalog(),
        &answers(&[
            // bonding-1: 4 → 75, 5 → 100, 3 → 50: mean 75
            ("bonding-1-a", Some(4)),
            ("bonding-1-b", Some(5)),
            ("bonding-1-c", Some(3)),
            // bonding-2: 2 → 25, don't know: 25
            ("bonding-2-a", Some(2)),
            ("bonding-2-b", None),
            // bonding-3: reverse 4 → 100 − 75 = 25; 3 → 50; 1 → 0: mean 25
            ("bonding-3-a", Some(4)),
            ("bonding-3-b", Some(3)),
            ("bonding-3-c", Some(1)),
            // bridging-1: 5, 4 → 100, 75: 87.5; bridging-2 and -3 unanswered
            ("bridging-1-a", Some(5)),
            ("bridging-1-b", Some(4)),
            // linking-3: 1, 2 → 0, 25: 12.5
            ("linking-3-a", Some(1)),
            ("linking-3-b", Some(2)),
        ]),
    );
    let lesson = |id: &str| a.lessons.iter().find(|l| l.id == id).unwrap().score;
    assert_eq!(lesson("bonding-1"), Some(75.0));
    assert_eq!(lesson("bonding-2"), Some(25.0));
    assert_eq!(lesson("bonding-3"), Some(25.0));
    assert_eq!(lesson("bridging-1"), Some(87.5));
    assert_eq!(lesson("bridging-2"), None);
    assert_eq!(lesson("linking-3"), Some(12.5));
    // bonding: (75 + 25 + 25) / 3 = 41.666… → 41.7; bridging: 87.5 (only one lesson); linking: 12.5
    assert_eq!(a.strategies.bonding.map(round1), Some(41.7));
    assert_eq!(a.strategies.bridging, Some(87.5));
    assert_eq!(a.strategies.linking, Some(12.5));
}

#[test]
fn no_answers_no_scores() {
    let a = score(catalog(), &Answers::new());
    assert!(a.lessons.iter().all(|l| l.score.is_none()));
    assert_eq!(
        (
            a.strategies.bonding,
            a.strategies.bridging,
            a.strategies.linking
        ),
        (None, None, None)
    );
}

#[test]
fn strategy_scores_are_computed_from_unrounded_lessons() {
    // bonding-1: 4, 4, 5 → (75 + 75 + 100) / 3 = 83.333…; bonding-2: 5, 4 → 87.5; bonding-3 reverse 1 → 100
    // strategy = (83.333… + 87.5 + 100) / 3 = 90.2777…, from the unrounded lesson score
    let a = score(
        catalog(),
        &answers(&[
            ("bonding-1-a", Some(4)),
            ("bonding-1-b", Some(4)),
            ("bonding-1-c", Some(5)),
            ("bonding-2-a", Some(5)),
            ("bonding-2-b", Some(4)),
            ("bonding-3-a", Some(1)),
        ]),
    );
    let bonding = a.strategies.bonding.unwrap();
    assert!((bonding - 90.277_777).abs() < 1e-4, "{bonding}");
    assert_eq!(round1(bonding), 90.3);
}
