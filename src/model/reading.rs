/*! How a result is read in words, the same on the screen, in the CLI and in the PDF: a score's
band ("nog weinig", "op weg", "sterk"), whether a change between two checks is worth a word,
and whose tips a check gives. One place for each rule, so no face can read a score its own way. */
use serde::Serialize;
use ts_rs::TS;

use super::{Lang, Role};

/// A score read in words: exact figures hide how little a few points mean on a handful of
/// statements, so the result speaks in three bands and keeps the figures one click away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// Below [`Band::ON_THE_WAY_FROM`].
    JustStarting,
    OnTheWay,
    /// From [`Band::STRONG_FROM`].
    Strong,
}

impl Band {
    pub const ON_THE_WAY_FROM: f64 = 40.0;
    pub const STRONG_FROM: f64 = 70.0;

    /// The band of a score (0–100), as unrounded or rounded as it is shown.
    pub fn of(score: f64) -> Band {
        if score >= Band::STRONG_FROM {
            Band::Strong
        } else if score >= Band::ON_THE_WAY_FROM {
            Band::OnTheWay
        } else {
            Band::JustStarting
        }
    }

    /// The band as a person reads it.
    pub fn words(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Band::JustStarting, Lang::Nl) => "nog weinig",
            (Band::OnTheWay, Lang::Nl) => "op weg",
            (Band::Strong, Lang::Nl) => "sterk",
            (Band::JustStarting, Lang::En) => "just starting",
            (Band::OnTheWay, Lang::En) => "on the way",
            (Band::Strong, Lang::En) => "strong",
        }
    }
}

/// How a score moved between two self-checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Up,
    Down,
    /// Less than [`Direction::NOTABLE_POINTS`] apart: "ongeveer gelijk".
    Same,
    /// One of the two has no score.
    Unknown,
}

impl Direction {
    /// A change from this many points on is a change; less is within what a different mood or
    /// one answer more or less makes on a few statements, and reads "about the same".
    pub const NOTABLE_POINTS: f64 = 10.0;

    /// The direction from `before` to `after` (both as shown, rounded to one decimal).
    pub fn of(before: Option<f64>, after: Option<f64>) -> Direction {
        match (before, after) {
            (Some(b), Some(a)) if a - b >= Direction::NOTABLE_POINTS - 1e-9 => Direction::Up,
            (Some(b), Some(a)) if b - a >= Direction::NOTABLE_POINTS - 1e-9 => Direction::Down,
            (Some(_), Some(_)) => Direction::Same,
            _ => Direction::Unknown,
        }
    }

    /// The change as a person reads it.
    pub fn words(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Direction::Up, Lang::Nl) => "hoger dan vorige keer",
            (Direction::Down, Lang::Nl) => "lager dan vorige keer",
            (Direction::Same, Lang::Nl) => "ongeveer gelijk",
            (Direction::Unknown, Lang::Nl) => "niet te vergelijken",
            (Direction::Up, Lang::En) => "higher than last time",
            (Direction::Down, Lang::En) => "lower than last time",
            (Direction::Same, Lang::En) => "about the same",
            (Direction::Unknown, Lang::En) => "cannot be compared",
        }
    }
}

/// Whose tips a check gives: the role of every person who answered, the most common first
/// (ties in the order resident, professional, policy). One person gets their own role's tips; a
/// group of two residents and a professional gets the residents' tips and the professional's.
pub fn tip_roles(members: impl IntoIterator<Item = Role>) -> Vec<Role> {
    let members: Vec<Role> = members.into_iter().collect();
    let mut present: Vec<(Role, usize)> = [Role::Resident, Role::Professional, Role::Policy]
        .into_iter()
        .map(|role| (role, members.iter().filter(|m| **m == role).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    // A stable sort keeps the fixed order among equal counts.
    present.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    present.into_iter().map(|(role, _)| role).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_turn_at_40_and_70() {
        assert_eq!(Band::of(0.0), Band::JustStarting);
        assert_eq!(Band::of(39.9), Band::JustStarting);
        assert_eq!(Band::of(40.0), Band::OnTheWay);
        assert_eq!(Band::of(69.9), Band::OnTheWay);
        assert_eq!(Band::of(70.0), Band::Strong);
        assert_eq!(Band::of(100.0), Band::Strong);
        assert_eq!(Band::of(39.9).words(Lang::Nl), "nog weinig");
        assert_eq!(Band::of(40.0).words(Lang::Nl), "op weg");
        assert_eq!(Band::of(70.0).words(Lang::En), "strong");
    }

    #[test]
    fn a_change_under_ten_points_is_about_the_same() {
        assert_eq!(Direction::of(Some(50.0), Some(59.9)), Direction::Same);
        assert_eq!(Direction::of(Some(50.0), Some(60.0)), Direction::Up);
        assert_eq!(Direction::of(Some(60.0), Some(50.1)), Direction::Same);
        assert_eq!(Direction::of(Some(60.0), Some(50.0)), Direction::Down);
        // The dip issue 32 saw flagged red: 2.8 points.
        assert_eq!(Direction::of(Some(83.4), Some(80.6)), Direction::Same);
        // Figures as rounded for the screen, whose difference is 10 in decimal but not in binary.
        assert_eq!(Direction::of(Some(66.7), Some(76.7)), Direction::Up);
        assert_eq!(Direction::of(None, Some(50.0)), Direction::Unknown);
        assert_eq!(Direction::Same.words(Lang::Nl), "ongeveer gelijk");
        assert_eq!(Direction::Same.words(Lang::En), "about the same");
    }

    #[test]
    fn every_role_present_gets_its_tips_the_most_common_first() {
        use Role::*;
        assert_eq!(tip_roles([Professional]), [Professional]);
        assert_eq!(
            tip_roles([Professional, Resident, Resident]),
            [Resident, Professional]
        );
        assert_eq!(
            tip_roles([Policy, Professional, Professional, Resident]),
            [Professional, Resident, Policy]
        );
        assert_eq!(tip_roles([Policy, Resident]), [Resident, Policy]);
        assert!(tip_roles([]).is_empty());
    }
}
