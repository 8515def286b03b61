/*! The one place where answers become scores, the same for the app, the CLI and reports.

An answer a in 1..=5 scores (a−1)/4·100; a reverse statement scores 100 minus that; "don't know"
is skipped. A lesson scores the mean of its answered statements, a strategy the mean of its
lessons that have a score. */
use crate::content::catalog::Catalog;
use crate::model::{Answers, Assessment, LessonScore, Strategy, StrategyScores};

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

/// Scores answers against the catalog. Statements without an answer count as "don't know".
pub fn score(catalog: &Catalog, answers: &Answers) -> Assessment {
    let lessons: Vec<LessonScore> = catalog
        .lessons
        .iter()
        .map(|lesson| {
            // Retired statements too: a check made with an older set is scored on what it asked.
            let values = lesson.all_statements().filter_map(|s| {
                let a = (*answers.get(&s.id)?)?;
                let agreement = f64::from(a - 1) / 4.0 * 100.0;
                Some(if s.reverse {
                    100.0 - agreement
                } else {
                    agreement
                })
            });
            LessonScore {
                id: lesson.id.clone(),
                strategy: lesson.strategy,
                score: mean(values),
            }
        })
        .collect();
    with_strategies(lessons)
}

/// Scores a group: each respondent's lesson scores by [`score`], then per lesson the mean over
/// the respondents who have one; strategies from the lessons as for one person. One respondent
/// scores exactly as [`score`].
pub fn score_group<'a>(
    catalog: &Catalog,
    respondents: impl IntoIterator<Item = &'a Answers>,
) -> Assessment {
    let each: Vec<Assessment> = respondents.into_iter().map(|a| score(catalog, a)).collect();
    let lessons: Vec<LessonScore> = catalog
        .lessons
        .iter()
        .enumerate()
        .map(|(i, lesson)| LessonScore {
            id: lesson.id.clone(),
            strategy: lesson.strategy,
            score: mean(each.iter().filter_map(|a| a.lessons[i].score)),
        })
        .collect();
    with_strategies(lessons)
}

/// The assessment of these lesson scores: each strategy the mean of its lessons that have a score.
fn with_strategies(lessons: Vec<LessonScore>) -> Assessment {
    let mut strategies = StrategyScores::default();
    for s in Strategy::ALL {
        let scores = lessons.iter().filter(|l| l.strategy == s);
        strategies.set(s, mean(scores.filter_map(|l| l.score)));
    }
    Assessment {
        strategies,
        lessons,
    }
}
