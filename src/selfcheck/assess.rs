/*! Advice on scored answers: which answers are valid, how a group's answers spread, the tips
for the weakest lessons, cases to learn from, and what changed since an earlier check. The
scoring itself is `content::scoring`; the scores are `model::scores`. */
use std::collections::BTreeMap;

use serde::Serialize;
use thiserror::Error;
use ts_rs::TS;

use crate::content::catalog::{Case, Catalog};
use crate::content::scoring::{score, score_group};
use crate::geo::distance_km;
use crate::model::{round1, weakest_lessons, Answers, Assessment, Lang, Role, Strategy};

#[derive(Debug, Error, PartialEq)]
pub enum AssessError {
    #[error("unknown statement id \"{0}\"")]
    UnknownStatement(String),
    #[error("answer {value} to statement \"{statement}\" is out of range: answers are 1 to 5, or null for \"don't know\"")]
    AnswerOutOfRange { statement: String, value: i64 },
    #[error("the answers mix statements of different versions of the questionnaire; one self-check answers one version")]
    MixedStatementSets,
}

/// Checks that every answer belongs to a known statement and lies in 1..=5.
pub fn validate(
    catalog: &Catalog,
    answers: &BTreeMap<String, Option<i64>>,
) -> Result<Answers, AssessError> {
    check_answers(catalog, answers)?;
    Ok(answers
        .iter()
        .map(|(id, value)| (id.clone(), value.map(|v| v as u8)))
        .collect())
}

/// [`validate`]'s rules without making the answers: what the first reading of an import asks of
/// every check (one lookup per answer, nothing copied).
pub fn check_answers(
    catalog: &Catalog,
    answers: &BTreeMap<String, Option<i64>>,
) -> Result<(), AssessError> {
    // The versions of the questionnaire that ask every statement so far.
    let mut sets: Vec<u32> = (1..=catalog.statement_set).collect();
    for (id, value) in answers {
        let Some((_, statement)) = catalog.statement(id) else {
            return Err(AssessError::UnknownStatement(id.clone()));
        };
        sets.retain(|set| statement.in_set(*set));
        if let Some(v) = value.filter(|v| !(1..=5).contains(v)) {
            return Err(AssessError::AnswerOutOfRange {
                statement: id.clone(),
                value: v,
            });
        }
    }
    if sets.is_empty() {
        return Err(AssessError::MixedStatementSets);
    }
    Ok(())
}

/// Respondents' lesson scores this far apart or more: the group disagrees on the lesson.
pub const DISAGREEMENT_POINTS: f64 = 50.0;

/// How far a group's respondents lie apart on one lesson (rounded as shown).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct LessonSpread {
    pub id: String,
    /// The lowest and highest respondent score; None when nobody answered the lesson.
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// How many respondents have a score for the lesson.
    pub n: u32,
}

/// How many respondents chose each point of the scale for one statement.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct StatementCounts {
    pub id: String,
    /// Counts for the answers 1 to 5, in that order.
    pub counts: [u32; 5],
    /// "Don't know" or no answer.
    pub dont_know: u32,
}

/// The spread of a group's answers: only counts and ranges, never who answered what.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Spread {
    /// Per strategy (id `bonding`, …): the lowest and highest respondent strategy score.
    pub strategies: Vec<LessonSpread>,
    pub lessons: Vec<LessonSpread>,
    pub statements: Vec<StatementCounts>,
}

fn range_of(id: &str, scores: Vec<f64>) -> LessonSpread {
    LessonSpread {
        id: id.to_string(),
        min: scores.iter().copied().reduce(f64::min).map(round1),
        max: scores.iter().copied().reduce(f64::max).map(round1),
        n: scores.len() as u32,
    }
}

/// The spread of these respondents' answers over the statements of the set they answered.
pub fn spread(catalog: &Catalog, respondents: &[&Answers]) -> Spread {
    let each: Vec<Assessment> = respondents.iter().map(|a| score(catalog, a)).collect();
    let lessons = catalog
        .lessons
        .iter()
        .enumerate()
        .map(|(i, lesson)| {
            range_of(
                &lesson.id,
                each.iter().filter_map(|a| a.lessons[i].score).collect(),
            )
        })
        .collect();
    let strategies = Strategy::ALL
        .iter()
        .map(|s| {
            range_of(
                s.as_str(),
                each.iter().filter_map(|a| a.strategies.get(*s)).collect(),
            )
        })
        .collect();
    let set = catalog
        .statement_set_of(respondents.iter().flat_map(|a| a.keys()))
        .unwrap_or(catalog.statement_set);
    let statements = catalog
        .lessons
        .iter()
        .flat_map(|l| l.all_statements())
        .filter(|s| s.in_set(set))
        .map(|s| {
            let mut counts = [0u32; 5];
            for a in respondents {
                if let Some(Some(v @ 1..=5)) = a.get(&s.id) {
                    counts[usize::from(*v) - 1] += 1;
                }
            }
            let answered: u32 = counts.iter().sum();
            StatementCounts {
                id: s.id.clone(),
                counts,
                dont_know: respondents.len() as u32 - answered,
            }
        })
        .collect();
    Spread {
        strategies,
        lessons,
        statements,
    }
}

/// Lessons on which respondents' scores lie [`DISAGREEMENT_POINTS`] or more apart, in lesson order.
pub fn disagreement(spread: &Spread) -> Vec<String> {
    spread
        .lessons
        .iter()
        .filter(
            |l| matches!((l.min, l.max), (Some(lo), Some(hi)) if hi - lo >= DISAGREEMENT_POINTS),
        )
        .map(|l| l.id.clone())
        .collect()
}

/// A tip for one of the weakest lessons, for one role.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Advice {
    pub lesson: String,
    /// Whose tip it is: a group gets the tips of every role among its members.
    pub role: Role,
    pub tip: String,
}

/// Tips on the three lowest-scoring lessons (ties in lesson order), for each of `roles` (see
/// `model::tip_roles`): per lesson, the roles in the order given.
pub fn advice(
    catalog: &Catalog,
    assessment: &Assessment,
    roles: &[Role],
    lang: Lang,
) -> Vec<Advice> {
    weakest_lessons(assessment, 3)
        .into_iter()
        .filter_map(|id| catalog.lesson(id))
        .flat_map(|l| {
            roles.iter().map(move |role| Advice {
                lesson: l.id.clone(),
                role: *role,
                tip: l.tips.for_role(*role).get(lang).to_string(),
            })
        })
        .collect()
}

/// Why a case is suggested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum SimilarReason {
    /// One of the nearest cases.
    Nearby,
    /// Classified under the strategy where this initiative is weakest.
    Strategy,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SimilarCase {
    pub id: String,
    pub reason: SimilarReason,
    /// Distance from the initiative, where both have a point.
    pub distance_km: Option<f64>,
}

/// Up to three nearest cases, then up to three other cases strong where this initiative is weakest
/// (nearest first among those, so the suggestions stay relevant to the place).
pub fn similar_cases(
    catalog: &Catalog,
    assessment: &Assessment,
    point: Option<(f64, f64)>,
) -> Vec<SimilarCase> {
    let distance = |c: &Case| Some(distance_km(point?, c.point()?));
    let by_distance = |a: &&Case, b: &&Case| {
        let (da, db) = (
            distance(a).unwrap_or(f64::INFINITY),
            distance(b).unwrap_or(f64::INFINITY),
        );
        da.total_cmp(&db).then(a.id.cmp(&b.id))
    };
    let mut out = Vec::new();
    if point.is_some() {
        let mut mapped: Vec<&Case> = catalog
            .cases
            .iter()
            .filter(|c| c.point().is_some())
            .collect();
        mapped.sort_by(by_distance);
        out.extend(mapped.into_iter().take(3).map(|c| SimilarCase {
            id: c.id.clone(),
            reason: SimilarReason::Nearby,
            distance_km: distance(c),
        }));
    }
    if let Some(weakest) = assessment.strategies.weakest() {
        let mut strong: Vec<&Case> = catalog
            .cases
            .iter()
            .filter(|c| c.strategies.contains(&weakest) && !out.iter().any(|s| s.id == c.id))
            .collect();
        strong.sort_by(by_distance);
        out.extend(strong.into_iter().take(3).map(|c| SimilarCase {
            id: c.id.clone(),
            reason: SimilarReason::Strategy,
            distance_km: distance(c),
        }));
    }
    out
}

/// How a score moved: the rule is `model::Direction`'s, here where comparisons are made.
pub use crate::model::Direction;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Change {
    /// A strategy (`bonding`) or a lesson id (`bonding-1`).
    pub id: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub direction: Direction,
}

/// Per strategy and per lesson, how `after` differs from `before` (rounded as shown).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Comparison {
    pub strategies: Vec<Change>,
    pub lessons: Vec<Change>,
    /// The statement sets (questionnaire versions) the two checks used. When they differ, both
    /// are scored on the statements both sets ask, and the screen says so.
    pub before_set: u32,
    pub after_set: u32,
}

fn change(id: &str, before: Option<f64>, after: Option<f64>) -> Change {
    let (before, after) = (before.map(round1), after.map(round1));
    let direction = Direction::of(before, after);
    Change {
        id: id.to_string(),
        before,
        after,
        direction,
    }
}

/// Compares two checks' answers. Checks made with different statement sets are compared on
/// what both measured: the statements that both sets ask.
pub fn compare_answers(catalog: &Catalog, before: &Answers, after: &Answers) -> Comparison {
    compare_groups(catalog, &[before], &[after])
}

/// Compares two checks by their group scores (one respondent each for a single check), on the
/// statements both checks' sets ask.
pub fn compare_groups(catalog: &Catalog, before: &[&Answers], after: &[&Answers]) -> Comparison {
    let set_of = |g: &[&Answers]| {
        catalog
            .statement_set_of(g.iter().flat_map(|a| a.keys()))
            .unwrap_or(catalog.statement_set)
    };
    let (before_set, after_set) = (set_of(before), set_of(after));
    let shared = |a: &Answers| -> Answers {
        a.iter()
            .filter(|(id, _)| {
                catalog
                    .statement(id)
                    .is_some_and(|(_, s)| s.in_set(before_set) && s.in_set(after_set))
            })
            .map(|(id, v)| (id.clone(), *v))
            .collect()
    };
    let mut c = if before_set == after_set {
        compare(
            &score_group(catalog, before.iter().copied()),
            &score_group(catalog, after.iter().copied()),
        )
    } else {
        let (b, a): (Vec<Answers>, Vec<Answers>) = (
            before.iter().map(|x| shared(x)).collect(),
            after.iter().map(|x| shared(x)).collect(),
        );
        compare(&score_group(catalog, &b), &score_group(catalog, &a))
    };
    (c.before_set, c.after_set) = (before_set, after_set);
    c
}

pub fn compare(before: &Assessment, after: &Assessment) -> Comparison {
    let set = crate::content::catalog::catalog().statement_set;
    Comparison {
        before_set: set,
        after_set: set,
        strategies: Strategy::ALL
            .iter()
            .map(|s| {
                change(
                    s.as_str(),
                    before.strategies.get(*s),
                    after.strategies.get(*s),
                )
            })
            .collect(),
        lessons: before
            .lessons
            .iter()
            .zip(&after.lessons)
            .map(|(b, a)| change(&a.id, b.score, a.score))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::catalog::catalog;
    use crate::model::strongest_lessons;

    fn answers(pairs: &[(&str, Option<u8>)]) -> Answers {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn comparison_says_up_down_same_or_unknown() {
        let before = score(
            catalog(),
            &answers(&[
                ("bonding-1-a", Some(2)),
                ("bridging-1-a", Some(4)),
                ("linking-1-a", Some(3)),
            ]),
        );
        let after = score(
            catalog(),
            &answers(&[
                ("bonding-1-a", Some(4)),
                ("bridging-1-a", Some(3)),
                ("linking-1-a", Some(3)),
            ]),
        );
        let c = compare(&before, &after);
        let dirs: Vec<Direction> = c.strategies.iter().map(|s| s.direction).collect();
        assert_eq!(dirs, [Direction::Up, Direction::Down, Direction::Same]);
        assert_eq!(c.lessons[0].before, Some(25.0));
        assert_eq!(c.lessons[0].after, Some(75.0));
        assert_eq!(c.lessons[1].direction, Direction::Unknown);
    }

    /// Three respondents on the first lesson's statements (hand-computed below).
    fn group_of_three() -> Vec<Answers> {
        let c = catalog();
        let l = &c.lessons[0];
        let (s0, s1) = (&l.statements[0].id, &l.statements[1].id);
        assert!(
            !l.statements[0].reverse && !l.statements[1].reverse,
            "the example assumes plain statements"
        );
        vec![
            // 5 and 5 → 100
            answers(&[(s0, Some(5)), (s1, Some(5))]),
            // 1 and 3 → (0 + 50) / 2 = 25
            answers(&[(s0, Some(1)), (s1, Some(3))]),
            // nothing answered for this lesson: no score, not counted
            answers(&[(s0, None)]),
        ]
    }

    #[test]
    fn a_group_scores_the_mean_of_its_respondents_lesson_scores() {
        let c = catalog();
        let group = group_of_three();
        let a = score_group(c, &group);
        // (100 + 25) / 2: the respondent without a score for the lesson is left out.
        assert_eq!(a.lessons[0].score, Some(62.5));
        assert!(a.lessons[1..].iter().all(|l| l.score.is_none()));
        assert_eq!(a.strategies.get(c.lessons[0].strategy), Some(62.5));
        // One respondent scores exactly as a single check.
        assert_eq!(score_group(c, &group[1..2]), score(c, &group[1]));
    }

    #[test]
    fn the_spread_gives_ranges_and_counts_and_disagreement_from_50_points() {
        let c = catalog();
        let group = group_of_three();
        let refs: Vec<&Answers> = group.iter().collect();
        let s = spread(c, &refs);
        assert_eq!(
            (s.lessons[0].min, s.lessons[0].max, s.lessons[0].n),
            (Some(25.0), Some(100.0), 2)
        );
        assert_eq!(
            (s.lessons[1].min, s.lessons[1].max, s.lessons[1].n),
            (None, None, 0)
        );
        // The strategy of the first lesson: each respondent's strategy score is that lesson's here.
        let st = s
            .strategies
            .iter()
            .find(|x| x.id == c.lessons[0].strategy.as_str())
            .unwrap();
        assert_eq!((st.min, st.max, st.n), (Some(25.0), Some(100.0), 2));
        let first = s
            .statements
            .iter()
            .find(|x| x.id == c.lessons[0].statements[0].id)
            .unwrap();
        assert_eq!((first.counts, first.dont_know), ([1, 0, 0, 0, 1], 1));
        assert_eq!(disagreement(&s), vec![c.lessons[0].id.clone()]);
        // 75 points apart is disagreement; 49.9 is not, 50 is.
        let l = &c.lessons[0];
        let pair = |a: u8, b: u8, x: u8, y: u8| {
            vec![
                answers(&[
                    (&l.statements[0].id, Some(a)),
                    (&l.statements[1].id, Some(b)),
                ]),
                answers(&[
                    (&l.statements[0].id, Some(x)),
                    (&l.statements[1].id, Some(y)),
                ]),
            ]
        };
        let fifty = pair(1, 3, 3, 5); // 25 and 75
        assert_eq!(
            disagreement(&spread(c, &fifty.iter().collect::<Vec<_>>())),
            vec![l.id.clone()]
        );
        let less = pair(1, 3, 2, 5); // 25 and 62.5
        assert!(disagreement(&spread(c, &less.iter().collect::<Vec<_>>())).is_empty());
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round1(12.45), 12.5);
        assert_eq!(round1(41.666_666), 41.7);
        assert_eq!(round1(6.25), 6.3);
        assert_eq!(round1(-6.25), -6.3);
        assert_eq!(round1(0.0), 0.0);
    }

    #[test]
    fn a_lesson_is_the_mean_of_its_answered_statements() {
        // bonding-1: 5 → 100, 2 → 25, don't know skipped: (100 + 25) / 2 = 62.5
        let a = score(
            catalog(),
            &answers(&[
                ("bonding-1-a", Some(5)),
                ("bonding-1-b", Some(2)),
                ("bonding-1-c", None),
            ]),
        );
        assert_eq!(a.lessons[0].score, Some(62.5));
        assert_eq!(a.strategies.bonding, Some(62.5));
        assert_eq!(a.strategies.bridging, None);
    }

    #[test]
    fn a_reverse_statement_counts_agreement_as_risk() {
        // bonding-3-a is reverse: fully agreeing (5) scores 0; bonding-3-b 4 → 75: mean 37.5
        let a = score(
            catalog(),
            &answers(&[("bonding-3-a", Some(5)), ("bonding-3-b", Some(4))]),
        );
        assert_eq!(a.lessons[2].score, Some(37.5));
    }

    #[test]
    fn validation_names_the_problem() {
        let bad: BTreeMap<String, Option<i64>> = [("bonding-1-a".to_string(), Some(6))].into();
        assert_eq!(
            validate(catalog(), &bad),
            Err(AssessError::AnswerOutOfRange {
                statement: "bonding-1-a".into(),
                value: 6
            })
        );
        let unknown: BTreeMap<String, Option<i64>> = [("nope".to_string(), Some(3))].into();
        assert_eq!(
            validate(catalog(), &unknown),
            Err(AssessError::UnknownStatement("nope".into()))
        );
    }

    #[test]
    fn ties_in_weakness_follow_lesson_order() {
        let all_three: Answers = catalog()
            .statements()
            .map(|s| (s.id.clone(), Some(3)))
            .collect();
        let a = score(catalog(), &all_three);
        assert_eq!(
            weakest_lessons(&a, 3),
            ["bonding-1", "bonding-2", "bonding-3"]
        );
        assert_eq!(a.strategies.weakest(), Some(Strategy::Bonding));
    }

    #[test]
    fn strengths_are_the_best_lessons_above_the_threshold() {
        let a = score(
            catalog(),
            &answers(&[
                ("bridging-1-a", Some(5)),
                ("linking-2-a", Some(4)),
                ("bonding-1-a", Some(4)),
                ("bonding-2-a", Some(3)),
            ]),
        );
        assert_eq!(
            strongest_lessons(&a, 3),
            ["bridging-1", "bonding-1", "linking-2"]
        );
        assert_eq!(strongest_lessons(&a, 1), ["bridging-1"]);
    }

    #[test]
    fn advice_gives_the_role_its_own_tips() {
        let a = score(catalog(), &answers(&[("linking-3-a", Some(1))]));
        let tips = advice(catalog(), &a, &[Role::Policy], Lang::En);
        assert_eq!(tips.len(), 1);
        assert_eq!(tips[0].lesson, "linking-3");
        assert_eq!(
            tips[0].tip,
            catalog().lesson("linking-3").unwrap().tips.policy.en
        );
        let both = advice(catalog(), &a, &[Role::Resident, Role::Policy], Lang::Nl);
        let roles: Vec<Role> = both.iter().map(|t| t.role).collect();
        assert_eq!(roles, [Role::Resident, Role::Policy]);
        assert_eq!(
            both[0].tip,
            catalog().lesson("linking-3").unwrap().tips.resident.nl
        );
    }

    #[test]
    fn similar_cases_are_nearby_first_then_strong_where_weak() {
        let a = score(
            catalog(),
            &answers(&[("linking-1-a", Some(1)), ("bonding-1-a", Some(5))]),
        );
        let s = similar_cases(catalog(), &a, Some((52.09, 5.12))); // Utrecht
        let nearby: Vec<_> = s
            .iter()
            .filter(|c| c.reason == SimilarReason::Nearby)
            .collect();
        let strategy: Vec<_> = s
            .iter()
            .filter(|c| c.reason == SimilarReason::Strategy)
            .collect();
        assert_eq!(nearby.len(), 3);
        assert!(nearby.iter().all(|c| catalog()
            .case(&c.id)
            .unwrap()
            .municipality
            .as_ref()
            .unwrap()
            .name
            == "Utrecht"));
        assert_eq!(strategy.len(), 3);
        for c in strategy {
            assert!(catalog()
                .case(&c.id)
                .unwrap()
                .strategies
                .contains(&Strategy::Linking));
        }
    }
}
