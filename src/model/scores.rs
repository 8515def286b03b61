/*! Answers and the scores made of them: per lesson and per strategy, unrounded; [`round1`] is
for output only. How answers become scores is `content::scoring`. */
use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

use super::Strategy;

/// Answers by statement id: 1..=5, or None for "don't know / not applicable".
pub type Answers = BTreeMap<String, Option<u8>>;

/// Scores per strategy, in axis order; None where nothing was answered.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, TS)]
#[ts(export)]
pub struct StrategyScores {
    pub bonding: Option<f64>,
    pub bridging: Option<f64>,
    pub linking: Option<f64>,
}

impl StrategyScores {
    pub fn get(&self, s: Strategy) -> Option<f64> {
        match s {
            Strategy::Bonding => self.bonding,
            Strategy::Bridging => self.bridging,
            Strategy::Linking => self.linking,
        }
    }

    pub(crate) fn set(&mut self, s: Strategy, v: Option<f64>) {
        match s {
            Strategy::Bonding => self.bonding = v,
            Strategy::Bridging => self.bridging = v,
            Strategy::Linking => self.linking = v,
        }
    }

    /// The same scores rounded for output.
    pub fn rounded(&self) -> StrategyScores {
        StrategyScores {
            bonding: self.bonding.map(round1),
            bridging: self.bridging.map(round1),
            linking: self.linking.map(round1),
        }
    }

    /// The lowest-scoring strategy; ties go to the first in axis order.
    pub fn weakest(&self) -> Option<Strategy> {
        Strategy::ALL
            .into_iter()
            .filter_map(|s| self.get(s).map(|v| (s, v)))
            .fold(None, |best: Option<(Strategy, f64)>, (s, v)| match best {
                Some((_, b)) if b <= v => best,
                _ => Some((s, v)),
            })
            .map(|(s, _)| s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LessonScore {
    pub id: String,
    pub strategy: Strategy,
    pub score: Option<f64>,
}

/// The outcome of scoring one set of answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub strategies: StrategyScores,
    /// In catalog order (bonding-1 … linking-3).
    pub lessons: Vec<LessonScore>,
}

/// One decimal, half away from zero. The nudge absorbs binary error in values such as 12.45,
/// which are exact halves in decimal but not in floating point.
pub fn round1(x: f64) -> f64 {
    let scaled = x * 10.0;
    (scaled + scaled.signum() * 1e-9).round() / 10.0
}

/// Ids of the `n` lowest-scoring lessons that have a score; a stable sort keeps lesson order on ties.
pub fn weakest_lessons(assessment: &Assessment, n: usize) -> Vec<&str> {
    let mut scored: Vec<(&str, f64)> = assessment
        .lessons
        .iter()
        .filter_map(|l| Some((l.id.as_str(), l.score?)))
        .collect();
    scored.sort_by(|a, b| a.1.total_cmp(&b.1));
    scored.into_iter().take(n).map(|(id, _)| id).collect()
}

/// A lesson counts as a strength from this score on.
pub const STRENGTH_THRESHOLD: f64 = 62.5;

/// Ids of up to `n` highest-scoring lessons that reach [`STRENGTH_THRESHOLD`] (ties in lesson order).
pub fn strongest_lessons(assessment: &Assessment, n: usize) -> Vec<&str> {
    let mut scored: Vec<(&str, f64)> = assessment
        .lessons
        .iter()
        .filter_map(|l| Some((l.id.as_str(), l.score?)))
        .filter(|(_, s)| *s >= STRENGTH_THRESHOLD)
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    scored.into_iter().take(n).map(|(id, _)| id).collect()
}
