/*! The content of Wijkkompas: Movisie's nine lessons with their tips and self-check statements,
and the 29 cases of the *Wij in de Wijk* bundles.

Everything is embedded from `data/` at compile time, so a fresh install needs no files beside
the binary. The data is checked by the tests in this module; a broken file fails the build's
tests, never a user's session. */
use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{Area, Localized, Role, Strategy};

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Tips {
    pub policy: Localized,
    pub professional: Localized,
    pub resident: Localized,
}

impl Tips {
    pub fn for_role(&self, role: Role) -> &Localized {
        match role {
            Role::Policy => &self.policy,
            Role::Professional => &self.professional,
            Role::Resident => &self.resident,
        }
    }
}

/// A self-check statement. A `reverse` statement measures a risk: agreeing lowers the score.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    pub id: String,
    pub text: Localized,
    pub reverse: bool,
    /// The statement set (questionnaire version) that first asked it.
    pub since: u32,
    /// The set that no longer asks it; its answers in older checks still count.
    #[serde(default)]
    pub retired_in: Option<u32>,
}

impl Statement {
    /// Whether statement set `set` asks this statement.
    pub fn in_set(&self, set: u32) -> bool {
        self.since <= set && self.retired_in.map_or(true, |r| set < r)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub id: String,
    pub strategy: Strategy,
    pub number: u8,
    pub title: Localized,
    pub summary: Localized,
    pub tips: Tips,
    /// The statements the current set asks.
    pub statements: Vec<Statement>,
    /// Statements older sets asked: known, so that old checks and bundles keep their answers.
    #[serde(default)]
    pub retired_statements: Vec<Statement>,
}

impl Lesson {
    /// Every statement any set asked, current ones first.
    pub fn all_statements(&self) -> impl Iterator<Item = &Statement> {
        self.statements.iter().chain(&self.retired_statements)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct StrategyInfo {
    pub id: Strategy,
    pub name: Localized,
    pub summary: Localized,
}

/// How sure the research is of an initiative's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum NameConfidence {
    Known,
    Probable,
    Unknown,
}

/// One of the 29 described initiatives.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub id: String,
    /// What the app calls it: its name, or for an unnamed case the place Movisie names
    /// ("Initiatief in Overvecht (Utrecht)"). No two cases share a label.
    pub label: Localized,
    pub bundle: u8,
    pub year: u16,
    /// None where the research could not establish the initiative's name.
    pub name: Option<String>,
    pub name_confidence: NameConfidence,
    pub neighbourhood: Option<Localized>,
    pub place: Option<Localized>,
    pub municipality: Option<Area>,
    pub province: Option<Area>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Coordinates are estimates; this says of what.
    pub coordinates_note: Option<String>,
    pub online: bool,
    /// Empty where the bundle does not classify the case: shown as "not classified".
    pub strategies: Vec<Strategy>,
    /// Those of `strategies` that are Wijkkompas's reading of the bundle's text (from the research
    /// notes); the others are Movisie's own classification of the bundle.
    pub own_reading: Vec<Strategy>,
    pub target_groups: Vec<Localized>,
    pub summary: Localized,
    pub confidence: String,
    pub sources: Vec<String>,
    /// The research notes on the case, in English, for maintainers: never shown in the app.
    pub notes: Option<String>,
}

impl Case {
    pub fn point(&self) -> Option<(f64, f64)> {
        Some((self.lat?, self.lon?))
    }
}

/// A target group an initiative can name, by id (the store and bundles keep the id).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct TargetGroup {
    pub id: String,
    pub label: Localized,
}

/// What a person named as a target group, as the store keeps it: a group's id, or (for a group
/// of their own) `other:` and their text. A group's label in either language, in any case, is
/// its id; so older files and databases that kept labels come out the same.
pub fn target_group_key(text: &str) -> String {
    let text = text.trim();
    if let Some(own) = text.strip_prefix(OTHER_GROUP) {
        return format!("{OTHER_GROUP}{}", own.trim());
    }
    let folded = text.to_lowercase();
    catalog()
        .target_groups
        .iter()
        .find(|g| {
            g.id == text
                || g.label.nl.to_lowercase() == folded
                || g.label.en.to_lowercase() == folded
        })
        .map_or_else(|| format!("{OTHER_GROUP}{text}"), |g| g.id.clone())
}

/// The prefix of a target group a person named themselves.
pub const OTHER_GROUP: &str = "other:";

/// Target groups as the store keeps them, each once, in the order given.
pub fn target_group_keys(texts: &[String]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for key in texts.iter().map(|t| target_group_key(t)) {
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// The file's `about` is for its readers; only the groups are read.
#[derive(Debug, Deserialize)]
struct TargetGroupsFile {
    groups: Vec<TargetGroup>,
}

#[derive(Debug, Deserialize)]
struct LessonsFile {
    source: Localized,
    statement_set: u32,
    strategies: Vec<StrategyInfo>,
    lessons: Vec<Lesson>,
}

#[derive(Debug, Deserialize)]
struct CasesFile {
    source: Localized,
    cases: Vec<Case>,
}

/// All content, parsed once.
#[derive(Debug)]
pub struct Catalog {
    pub lessons_source: Localized,
    /// The version of the questionnaire new self-checks use.
    pub statement_set: u32,
    pub cases_source: Localized,
    pub strategies: Vec<StrategyInfo>,
    pub lessons: Vec<Lesson>,
    pub cases: Vec<Case>,
    pub target_groups: Vec<TargetGroup>,
    /// Where each statement id (current or retired) is: its lesson, and its place among the
    /// lesson's current statements then its retired ones. Every imported answer is looked up.
    statement_places: HashMap<String, (usize, usize)>,
}

impl Catalog {
    fn new(
        lessons_source: Localized,
        statement_set: u32,
        cases_source: Localized,
        strategies: Vec<StrategyInfo>,
        lessons: Vec<Lesson>,
        cases: Vec<Case>,
        target_groups: Vec<TargetGroup>,
    ) -> Catalog {
        let statement_places = lessons
            .iter()
            .enumerate()
            .flat_map(|(l, lesson)| {
                lesson
                    .all_statements()
                    .enumerate()
                    .map(move |(k, s)| (s.id.clone(), (l, k)))
            })
            .collect();
        Catalog {
            lessons_source,
            statement_set,
            cases_source,
            strategies,
            lessons,
            cases,
            target_groups,
            statement_places,
        }
    }

    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id == id)
    }

    pub fn case(&self, id: &str) -> Option<&Case> {
        self.cases.iter().find(|c| c.id == id)
    }

    /// The lesson a statement belongs to, and the statement, current or retired.
    pub fn statement(&self, id: &str) -> Option<(&Lesson, &Statement)> {
        let &(l, k) = self.statement_places.get(id)?;
        let lesson = &self.lessons[l];
        lesson.all_statements().nth(k).map(|s| (lesson, s))
    }

    /// The statements the current set asks.
    pub fn statements(&self) -> impl Iterator<Item = &Statement> {
        self.lessons.iter().flat_map(|l| l.statements.iter())
    }

    /// The newest statement set that asks every one of these statements; None when no set asks
    /// them all (answers from two versions of the questionnaire in one check) or one is unknown.
    pub fn statement_set_of<'a>(&self, ids: impl IntoIterator<Item = &'a String>) -> Option<u32> {
        let mut sets: Vec<u32> = (1..=self.statement_set).collect();
        for id in ids {
            let (_, s) = self.statement(id)?;
            sets.retain(|set| s.in_set(*set));
        }
        sets.last().copied()
    }
}

/// The embedded catalog. The data is validated by this module's tests, so parsing cannot fail
/// in a released binary.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let lessons: LessonsFile = serde_json::from_str(include_str!("../../data/lessons.json"))
            .expect("data/lessons.json is valid (checked by catalog tests)");
        let cases: CasesFile = serde_json::from_str(include_str!("../../data/cases.json"))
            .expect("data/cases.json is valid (checked by catalog tests)");
        let groups: TargetGroupsFile =
            serde_json::from_str(include_str!("../../data/target-groups.json"))
                .expect("data/target-groups.json is valid (checked by catalog tests)");
        Catalog::new(
            lessons.source,
            lessons.statement_set,
            cases.source,
            lessons.strategies,
            lessons.lessons,
            cases.cases,
            groups.groups,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn nine_lessons_three_per_strategy_with_stable_ids() {
        let c = catalog();
        let ids: Vec<&str> = c.lessons.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "bonding-1",
                "bonding-2",
                "bonding-3",
                "bridging-1",
                "bridging-2",
                "bridging-3",
                "linking-1",
                "linking-2",
                "linking-3"
            ]
        );
        for l in &c.lessons {
            assert_eq!(l.id, format!("{}-{}", l.strategy, l.number));
        }
    }

    #[test]
    fn every_lesson_has_two_or_three_statements_with_unique_ids_and_full_texts() {
        let c = catalog();
        let mut seen = HashSet::new();
        for l in &c.lessons {
            assert!((2..=3).contains(&l.statements.len()), "{}", l.id);
            for s in &l.statements {
                assert!(s.id.starts_with(&format!("{}-", l.id)), "{}", s.id);
                assert!(seen.insert(s.id.clone()), "duplicate statement id {}", s.id);
                assert!(!s.text.nl.trim().is_empty() && !s.text.en.trim().is_empty());
            }
            for t in [
                &l.title,
                &l.summary,
                &l.tips.policy,
                &l.tips.professional,
                &l.tips.resident,
            ] {
                assert!(
                    !t.nl.trim().is_empty() && !t.en.trim().is_empty(),
                    "{}",
                    l.id
                );
                assert_ne!(t.nl, t.en, "{}: a text is not translated", l.id);
            }
            // A retired statement keeps its id for good: no current one may take it over.
            for s in &l.retired_statements {
                assert!(
                    seen.insert(s.id.clone()),
                    "retired statement id {} is used again",
                    s.id
                );
                assert_eq!(
                    c.statement(&s.id)
                        .map(|(lesson, found)| (lesson.id.as_str(), found.id.as_str())),
                    Some((l.id.as_str(), s.id.as_str()))
                );
            }
        }
    }

    #[test]
    fn the_power_bloc_lesson_measures_its_risk_in_reverse() {
        let l = catalog().lesson("bonding-3").unwrap();
        assert!(l.statements.iter().any(|s| s.reverse));
        assert!(catalog()
            .lessons
            .iter()
            .filter(|l| l.id != "bonding-3")
            .all(|l| l.statements.iter().all(|s| !s.reverse)));
    }

    #[test]
    fn twenty_nine_cases_one_online_without_a_place_on_the_map() {
        let c = catalog();
        assert_eq!(c.cases.len(), 29);
        let ids: HashSet<_> = c.cases.iter().map(|c| &c.id).collect();
        assert_eq!(ids.len(), 29);
        let online: Vec<_> = c.cases.iter().filter(|c| c.online).collect();
        assert_eq!(online.len(), 1);
        assert!(online[0].point().is_none() && online[0].municipality.is_none());
        for case in c.cases.iter().filter(|c| !c.online) {
            assert!(
                case.point().is_some() && case.municipality.is_some(),
                "{}",
                case.id
            );
            assert!((1..=4).contains(&case.bundle));
            assert!(!case.sources.is_empty());
        }
    }

    #[test]
    fn unknown_names_are_null_never_placeholders() {
        for case in &catalog().cases {
            match &case.name {
                None => assert_eq!(case.name_confidence, NameConfidence::Unknown, "{}", case.id),
                Some(n) => {
                    assert!(
                        !n.to_lowercase().contains("unknown") && !n.contains("(probable)"),
                        "{}",
                        case.id
                    );
                    assert_ne!(case.name_confidence, NameConfidence::Unknown);
                }
            }
        }
    }

    #[test]
    fn every_case_has_its_own_label_in_both_languages_never_a_merged_municipality() {
        let labels: HashSet<&str> = catalog()
            .cases
            .iter()
            .map(|c| c.label.nl.as_str())
            .collect();
        assert_eq!(labels.len(), 29, "no two cases share a label");
        let case = |id: &str| catalog().case(id).unwrap();
        assert_eq!(case("b4-uden-flatwijk").label.nl, "OranjeRijk");
        assert_eq!(
            case("b2-overvecht-unknown").label.nl,
            "Initiatief in Overvecht (Utrecht)"
        );
        assert_eq!(
            case("b2-oud-crooswijk-unknown").label.nl,
            "Initiatief in Oud Crooswijk (Rotterdam)"
        );
        assert_eq!(
            case("b3-online-christelijke-lhbti").label.nl,
            "Online initiatief (landelijk)"
        );
        for c in &catalog().cases {
            assert!(
                !c.label.nl.contains("Maashorst")
                    && !c.label.nl.contains("West Betuwe")
                    && c.label.nl != "Initiatief in online",
                "{}",
                c.id
            );
            assert!(
                c.own_reading.iter().all(|s| c.strategies.contains(s)),
                "{}",
                c.id
            );
            for text in c
                .target_groups
                .iter()
                .chain(&c.neighbourhood)
                .chain(&c.place)
            {
                assert!(!text.nl.is_empty() && !text.en.is_empty(), "{}", c.id);
                assert!(
                    !text.nl.contains("unknown")
                        && !text.nl.contains("probable")
                        && !text.nl.contains("village of"),
                    "{}: {}",
                    c.id,
                    text.nl
                );
            }
        }
        // Bundle 2 carries 2020 as its year (released in January 2021).
        assert!(catalog()
            .cases
            .iter()
            .filter(|c| c.bundle == 2)
            .all(|c| c.year == 2020));
        // Cases that the bundles frame as bridging (1, 2) or bonding (3) are Movisie's; bundle 4
        // classifies none of its cases, so any strategy there is our reading.
        for c in &catalog().cases {
            let movisie: Vec<_> = c
                .strategies
                .iter()
                .filter(|s| !c.own_reading.contains(s))
                .collect();
            match c.bundle {
                1 | 2 => assert!(
                    movisie.iter().all(|s| **s == Strategy::Bridging),
                    "{}",
                    c.id
                ),
                3 => assert!(movisie.iter().all(|s| **s == Strategy::Bonding), "{}", c.id),
                _ => assert!(movisie.is_empty(), "{}", c.id),
            }
        }
    }

    #[test]
    fn den_haag_uses_the_official_municipality() {
        let polka = catalog().case("b3-polka-den-haag").unwrap();
        assert_eq!(polka.municipality.as_ref().unwrap().code, "GM0518");
        assert_eq!(polka.municipality.as_ref().unwrap().name, "'s-Gravenhage");
    }
}
