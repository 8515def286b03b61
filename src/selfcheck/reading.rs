/*! A result in words, for a resident who reads little: two or three plain sentences first (what
goes well, where to grow, one first step), the scores in bands, the statements left unanswered,
and for a repeat what changed since last time. The rules (bands, what counts as a change, whose
tips) are `model::reading`'s; this file words them, for one person ("je") or a group ("jullie"). */
use serde::Serialize;
use ts_rs::TS;

use super::assess::{Advice, Comparison, Spread};
use crate::content::catalog::catalog;
use crate::model::{round1, weakest_lessons, Assessment, Band, Lang, Strategy};

/// A score with its band (None when nothing of it was answered).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Banded {
    /// A strategy (`bonding`) or a lesson id (`bonding-1`).
    pub id: String,
    pub score: Option<f64>,
    pub band: Option<Band>,
}

/// The scores in bands: per strategy in axis order, per lesson in lesson order.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Bands {
    pub strategies: Vec<Banded>,
    pub lessons: Vec<Banded>,
}

/// A statement of the check's set that nobody answered (left open or "don't know"): it does not
/// count in the score, and the result names it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SkippedStatement {
    pub id: String,
    pub lesson: String,
    /// The statement in the result's language.
    pub text: String,
}

/// For a repeat check: what changed since the check before it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SinceLast {
    pub previous_id: String,
    pub previous_at: String,
    pub comparison: Comparison,
    /// One sentence per strategy, in axis order ("Binden (bonding): ongeveer gelijk.").
    pub sentences: Vec<String>,
}

fn banded(id: &str, score: Option<f64>) -> Banded {
    // The band of the figure as shown, so that 39.95 (shown 40.0) reads "op weg".
    let score = score.map(round1);
    Banded {
        id: id.to_string(),
        score,
        band: score.map(Band::of),
    }
}

/// The bands of an assessment.
pub fn bands(assessment: &Assessment) -> Bands {
    Bands {
        strategies: Strategy::ALL
            .iter()
            .map(|s| banded(s.as_str(), assessment.strategies.get(*s)))
            .collect(),
        lessons: assessment
            .lessons
            .iter()
            .map(|l| banded(&l.id, l.score))
            .collect(),
    }
}

/// The statements of the check's set that no member answered on the scale, in lesson order.
pub fn skipped(spread: &Spread, lang: Lang) -> Vec<SkippedStatement> {
    spread
        .statements
        .iter()
        .filter(|s| s.counts.iter().sum::<u32>() == 0)
        .filter_map(|s| {
            let (lesson, statement) = catalog().statement(&s.id)?;
            Some(SkippedStatement {
                id: s.id.clone(),
                lesson: lesson.id.clone(),
                text: statement.text.get(lang).to_string(),
            })
        })
        .collect()
}

fn strategy_name(s: Strategy, lang: Lang) -> &'static str {
    catalog()
        .strategies
        .iter()
        .find(|i| i.id == s)
        .map_or(s.as_str(), |i| i.name.get(lang))
}

fn lesson_title(id: &str, lang: Lang) -> &str {
    catalog().lesson(id).map_or(id, |l| l.title.get(lang))
}

/// What changed since the check before, per strategy in words.
pub fn since_last(
    previous_id: &str,
    previous_at: &str,
    comparison: Comparison,
    lang: Lang,
) -> SinceLast {
    let sentences = comparison
        .strategies
        .iter()
        .filter_map(|c| {
            let strategy = Strategy::ALL.into_iter().find(|s| s.as_str() == c.id)?;
            let now = match (c.after.map(Band::of), lang) {
                (Some(band), Lang::Nl) => format!(" (nu {})", band.words(lang)),
                (Some(band), Lang::En) => format!(" (now {})", band.words(lang)),
                (None, _) => String::new(),
            };
            Some(format!(
                "{}: {}{now}.",
                strategy_name(strategy, lang),
                c.direction.words(lang)
            ))
        })
        .collect();
    SinceLast {
        previous_id: previous_id.to_string(),
        previous_at: previous_at.to_string(),
        comparison,
        sentences,
    }
}

/// Who the sentences speak to.
#[derive(Clone, Copy, PartialEq)]
enum Voice {
    One,
    Group,
}

/// The first sentence of a tip as a step; a tip that opens with a question keeps its answer.
fn first_step(tip: &str) -> &str {
    let end = tip
        .char_indices()
        .find(|(i, c)| matches!(c, '.' | '!' | '?') && tip[i + 1..].starts_with(' '))
        .map(|(i, c)| (i + 1, c));
    match end {
        Some((_, '?')) | None => tip,
        Some((i, _)) => &tip[..i],
    }
}

/// Two or three plain sentences that open the result: what goes well, where to grow, and one
/// first step (the start of the first tip on the weakest lesson).
pub fn summary(assessment: &Assessment, advice: &[Advice], group: bool, lang: Lang) -> Vec<String> {
    let voice = if group { Voice::Group } else { Voice::One };
    let mut scored: Vec<(&str, f64)> = assessment
        .lessons
        .iter()
        .filter_map(|l| Some((l.id.as_str(), round1(l.score?))))
        .collect();
    // Best first; a stable sort keeps lesson order among equal scores.
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    let Some(&top) = scored.first() else {
        return nothing_answered(voice, lang);
    };
    let weakest = weakest_lessons(assessment, 1)
        .first()
        .copied()
        .unwrap_or(top.0);
    // When every lesson scores the same, what goes well names another lesson than where to grow.
    let (best, best_score) = scored
        .iter()
        .copied()
        .find(|(id, score)| *id != weakest && *score == top.1)
        .unwrap_or(top);
    let mut out = vec![goes_well(
        lesson_title(best, lang),
        Band::of(best_score),
        voice,
        lang,
    )];
    if weakest != best {
        let low = scored.iter().find(|(id, _)| *id == weakest).map(|s| s.1);
        out.push(to_grow(
            lesson_title(weakest, lang),
            low.map_or(Band::JustStarting, Band::of),
            voice,
            lang,
        ));
    }
    if let Some(tip) = advice.iter().find(|a| a.lesson == weakest) {
        let step = first_step(&tip.tip);
        out.push(match (voice, lang) {
            (Voice::One, Lang::Nl) => format!("Een eerste stap: {step}"),
            (Voice::Group, Lang::Nl) => format!("Een eerste stap voor jullie: {step}"),
            (Voice::One, Lang::En) => format!("One first step: {step}"),
            (Voice::Group, Lang::En) => format!("One first step for your group: {step}"),
        });
    }
    out
}

fn nothing_answered(voice: Voice, lang: Lang) -> Vec<String> {
    let (first, second) = match (voice, lang) {
        (_, Lang::Nl) => (
            "Er is nog geen stelling beantwoord, dus er valt nog niets te lezen.",
            if voice == Voice::One {
                "Beantwoord de stellingen die bij je initiatief passen; dan zie je waar je staat."
            } else {
                "Beantwoord de stellingen die bij jullie initiatief passen; dan zien jullie waar jullie staan."
            },
        ),
        (_, Lang::En) => (
            "No statement has been answered yet, so there is nothing to read yet.",
            if voice == Voice::One {
                "Answer the statements that fit your initiative to see where you stand."
            } else {
                "Answer the statements that fit your group's initiative to see where you stand as a group."
            },
        ),
    };
    vec![first.to_string(), second.to_string()]
}

fn goes_well(title: &str, band: Band, voice: Voice, lang: Lang) -> String {
    match (band, voice, lang) {
        (Band::Strong, Voice::One, Lang::Nl) => format!("Dit gaat goed: ‘{title}’. Daar sta je sterk."),
        (Band::Strong, Voice::Group, Lang::Nl) => format!("Dit gaat goed: ‘{title}’. Daar staan jullie sterk."),
        (Band::OnTheWay, Voice::One, Lang::Nl) => format!("Het best gaat ‘{title}’. Daar ben je goed op weg."),
        (Band::OnTheWay, Voice::Group, Lang::Nl) => format!("Het best gaat ‘{title}’. Daar zijn jullie goed op weg."),
        (Band::JustStarting, Voice::One, Lang::Nl) => "Alles staat nog aan het begin. Dat is een goed moment om te kiezen waar je begint.".into(),
        (Band::JustStarting, Voice::Group, Lang::Nl) => "Alles staat nog aan het begin. Dat is een goed moment om samen te kiezen waar jullie beginnen.".into(),
        (Band::Strong, Voice::One, Lang::En) => format!("This goes well: ‘{title}’. You are strong there."),
        (Band::Strong, Voice::Group, Lang::En) => format!("This goes well: ‘{title}’. Your group is strong there."),
        (Band::OnTheWay, Voice::One, Lang::En) => format!("You do best at ‘{title}’. You are well on the way there."),
        (Band::OnTheWay, Voice::Group, Lang::En) => format!("Your group does best at ‘{title}’. You are well on the way there as a group."),
        (Band::JustStarting, Voice::One, Lang::En) => "Everything is just starting. That is a good moment to choose where to begin.".into(),
        (Band::JustStarting, Voice::Group, Lang::En) => "Everything is just starting. That is a good moment for your group to choose together where to begin.".into(),
    }
}

fn to_grow(title: &str, band: Band, voice: Voice, lang: Lang) -> String {
    match (band, voice, lang) {
        (Band::Strong, Voice::One, Lang::Nl) => {
            format!("Ook je laagste punt, ‘{title}’, is sterk: houd vast wat werkt.")
        }
        (Band::Strong, Voice::Group, Lang::Nl) => {
            format!("Ook jullie laagste punt, ‘{title}’, is sterk: houd vast wat werkt.")
        }
        (_, Voice::One, Lang::Nl) => format!("Hier kun je het meest groeien: ‘{title}’."),
        (_, Voice::Group, Lang::Nl) => format!("Hier kunnen jullie het meest groeien: ‘{title}’."),
        (Band::Strong, Voice::One, Lang::En) => {
            format!("Even your lowest point, ‘{title}’, is strong: keep doing what works.")
        }
        (Band::Strong, Voice::Group, Lang::En) => {
            format!("Even your group's lowest point, ‘{title}’, is strong: keep doing what works.")
        }
        (_, Voice::One, Lang::En) => format!("Where you can grow most: ‘{title}’."),
        (_, Voice::Group, Lang::En) => format!("Where your group can grow most: ‘{title}’."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::scoring::score;
    use crate::model::{Answers, Role};
    use crate::selfcheck::assess::{advice, compare};

    fn answers(pairs: &[(&str, u8)]) -> Answers {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Some(*v)))
            .collect()
    }

    #[test]
    fn the_summary_says_what_goes_well_where_to_grow_and_a_first_step() {
        let a = score(
            catalog(),
            &answers(&[("bonding-1-a", 5), ("bonding-1-b", 5), ("linking-3-a", 1)]),
        );
        let tips = advice(catalog(), &a, &[Role::Resident], Lang::Nl);
        let s = summary(&a, &tips, false, Lang::Nl);
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(
            s[0].contains("Een eigen kring als basis") && s[0].contains("sterk"),
            "{s:?}"
        );
        assert!(
            s[1].contains("Zonder geld geen vaste plek") && s[1].contains("kun je"),
            "{s:?}"
        );
        assert!(s[2].starts_with("Een eerste stap: "), "{s:?}");
        let group = summary(&a, &tips, true, Lang::En);
        assert!(group.iter().all(|x| !x.contains(" you are ")), "{group:?}");
        assert!(group[1].contains("your group"), "{group:?}");
    }

    #[test]
    fn when_all_lessons_score_the_same_growth_names_another_lesson() {
        let all: Answers = catalog()
            .lessons
            .iter()
            .flat_map(|l| &l.statements)
            .map(|s| (s.id.clone(), Some(if s.reverse { 2 } else { 4 })))
            .collect();
        let a = score(catalog(), &all);
        let s = summary(&a, &[], false, Lang::Nl);
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(s[0].contains("Een wijk voor iedereen"), "{s:?}");
        assert!(
            s[1].starts_with("Ook je laagste punt, ‘Een eigen kring als basis’"),
            "{s:?}"
        );
    }

    #[test]
    fn nothing_answered_says_so() {
        let a = score(catalog(), &Answers::new());
        assert_eq!(summary(&a, &[], false, Lang::En).len(), 2);
    }

    #[test]
    fn a_first_step_is_a_tips_first_sentence_unless_it_asks() {
        assert_eq!(first_step("Doe dit. En dat."), "Doe dit.");
        assert_eq!(
            first_step("Merk je dit? Vraag hulp."),
            "Merk je dit? Vraag hulp."
        );
        assert_eq!(first_step("Eén zin"), "Eén zin");
    }

    #[test]
    fn a_small_dip_reads_about_the_same() {
        let before = score(
            catalog(),
            &answers(&[("bonding-1-a", 4), ("bridging-1-a", 2)]),
        );
        let after = score(
            catalog(),
            &answers(&[("bonding-1-a", 4), ("bridging-1-a", 4)]),
        );
        let s = since_last("x", "2026-01-01", compare(&before, &after), Lang::Nl);
        assert_eq!(
            s.sentences[0],
            "Binden (bonding): ongeveer gelijk (nu sterk)."
        );
        assert!(
            s.sentences[1].contains("hoger dan vorige keer"),
            "{:?}",
            s.sentences
        );
    }
}
