/*! The self-check as a conversation: what the group noted per lesson, the actions it agreed, and
at the next check what came of them. Input is checked here; the store keeps it with the check. */
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalog::catalog;
use crate::limits::{ACTIONS, ACTION_TEXT_CHARS, ACTION_WHO_CHARS, LESSON_NOTE_CHARS};
use crate::text::Lines;

use super::SelfCheckError;

/// What goes well and what could be better for one lesson.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct LessonNote {
    #[serde(default)]
    pub good: Option<String>,
    #[serde(default)]
    pub better: Option<String>,
}

/// Notes by lesson id.
pub type LessonNotes = BTreeMap<String, LessonNote>;

/// One agreed action: what, who (optional), by when, and the lesson it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Action {
    pub id: String,
    pub text: String,
    pub who: Option<String>,
    /// YYYY-MM-DD.
    pub due: String,
    pub lesson: String,
}

/// An action as submitted (its id is given when it is stored).
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    pub text: String,
    #[serde(default)]
    pub who: Option<String>,
    pub due: String,
    pub lesson: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Done,
    Partly,
    /// Not (yet).
    Not,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Partly => "partly",
            Outcome::Not => "not",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "done" => Some(Outcome::Done),
            "partly" => Some(Outcome::Partly),
            "not" => Some(Outcome::Not),
            _ => None,
        }
    }
}

/// What a later check says came of an earlier action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct OutcomeInput {
    /// The action's id.
    pub id: String,
    pub outcome: Outcome,
    #[serde(default)]
    pub note: Option<String>,
}

/// An earlier action with what this check says came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ActionWithOutcome {
    pub action: Action,
    /// When the check that agreed it was made.
    pub agreed_at: String,
    pub outcome: Outcome,
    pub note: Option<String>,
}

/// The conversation of one check, checked and ready to store.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Conversation {
    pub notes: LessonNotes,
    pub actions: Vec<Action>,
    /// Outcomes of earlier actions (of the same initiative).
    pub outcomes: Vec<OutcomeInput>,
}

/// A trimmed text, None when empty; refused when it breaks the text rules or is too long.
pub(crate) fn optional_text(
    field: &'static str,
    value: Option<&str>,
    max: usize,
    lines: Lines,
) -> Result<Option<String>, SelfCheckError> {
    let Some(v) = value else { return Ok(None) };
    crate::text::check(field, v, lines)?;
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let length = v.chars().count();
    if length > max {
        return Err(SelfCheckError::TooLong { field, length, max });
    }
    Ok(Some(v.to_string()))
}

fn known_lesson(id: &str) -> Result<(), SelfCheckError> {
    catalog()
        .lesson(id)
        .map(drop)
        .ok_or_else(|| SelfCheckError::UnknownLesson(id.to_string()))
}

/// A calendar date written YYYY-MM-DD.
pub fn is_date(text: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    text.len() == 10 && time::Date::parse(text, &format).is_ok()
}

/// Checks notes, actions and outcomes as submitted; the outcomes' actions are checked against
/// the initiative when the check is stored.
pub fn check(
    notes: &LessonNotes,
    actions: &[ActionInput],
    outcomes: &[OutcomeInput],
) -> Result<Conversation, SelfCheckError> {
    let mut checked = LessonNotes::new();
    for (lesson, note) in notes {
        known_lesson(lesson)?;
        let note = LessonNote {
            good: optional_text("good", note.good.as_deref(), LESSON_NOTE_CHARS, Lines::Many)?,
            better: optional_text(
                "better",
                note.better.as_deref(),
                LESSON_NOTE_CHARS,
                Lines::Many,
            )?,
        };
        if note != LessonNote::default() {
            checked.insert(lesson.clone(), note);
        }
    }
    if actions.len() > ACTIONS {
        return Err(SelfCheckError::TooManyActions);
    }
    let actions = actions
        .iter()
        .map(|a| {
            let text = optional_text("action", Some(&a.text), ACTION_TEXT_CHARS, Lines::One)?
                .ok_or(SelfCheckError::ActionTextMissing)?;
            let who = optional_text("who", a.who.as_deref(), ACTION_WHO_CHARS, Lines::One)?;
            if !is_date(a.due.trim()) {
                return Err(SelfCheckError::BadDueDate(a.due.clone()));
            }
            known_lesson(&a.lesson)?;
            Ok(Action {
                id: uuid::Uuid::new_v4().to_string(),
                text,
                who,
                due: a.due.trim().to_string(),
                lesson: a.lesson.clone(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut seen = std::collections::BTreeSet::new();
    let outcomes = outcomes
        .iter()
        .map(|o| {
            let id = uuid::Uuid::parse_str(&o.id)
                .map_err(|_| SelfCheckError::UnknownAction(o.id.clone()))?
                .to_string();
            if !seen.insert(id.clone()) {
                return Err(SelfCheckError::DuplicateOutcome(id));
            }
            Ok(OutcomeInput {
                id,
                outcome: o.outcome,
                note: optional_text(
                    "outcome_note",
                    o.note.as_deref(),
                    LESSON_NOTE_CHARS,
                    Lines::Many,
                )?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Conversation {
        notes: checked,
        actions,
        outcomes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_real_calendar_days() {
        assert!(is_date("2027-03-01"));
        assert!(is_date("2028-02-29"));
        assert!(!is_date("2027-02-29"));
        assert!(!is_date("2027-3-1"));
        assert!(!is_date("1 maart"));
        assert!(!is_date("2027-03-01T00:00:00Z"));
    }

    #[test]
    fn empty_notes_are_dropped_and_long_ones_refused() {
        let notes: LessonNotes = [(
            "bonding-1".to_string(),
            LessonNote {
                good: Some("  ".into()),
                better: None,
            },
        )]
        .into();
        assert!(check(&notes, &[], &[]).unwrap().notes.is_empty());
        let long: LessonNotes = [(
            "bonding-1".to_string(),
            LessonNote {
                good: Some("x".repeat(LESSON_NOTE_CHARS + 1)),
                better: None,
            },
        )]
        .into();
        assert!(matches!(
            check(&long, &[], &[]),
            Err(SelfCheckError::TooLong { field: "good", .. })
        ));
        let unknown: LessonNotes = [("bonding-9".to_string(), LessonNote::default())].into();
        assert!(matches!(
            check(&unknown, &[], &[]),
            Err(SelfCheckError::UnknownLesson(_))
        ));
    }

    #[test]
    fn actions_need_a_text_a_date_and_a_known_lesson_and_at_most_three() {
        let action = |text: &str, due: &str, lesson: &str| ActionInput {
            text: text.into(),
            who: None,
            due: due.into(),
            lesson: lesson.into(),
        };
        assert!(check(
            &LessonNotes::new(),
            &[action("Koffie-ochtend", "2027-03-01", "linking-1")],
            &[]
        )
        .is_ok());
        assert!(matches!(
            check(
                &LessonNotes::new(),
                &[action(" ", "2027-03-01", "linking-1")],
                &[]
            ),
            Err(SelfCheckError::ActionTextMissing)
        ));
        assert!(matches!(
            check(
                &LessonNotes::new(),
                &[action("x", "maart", "linking-1")],
                &[]
            ),
            Err(SelfCheckError::BadDueDate(_))
        ));
        assert!(matches!(
            check(
                &LessonNotes::new(),
                &[action("x", "2027-03-01", "linking-7")],
                &[]
            ),
            Err(SelfCheckError::UnknownLesson(_))
        ));
        let four = vec![action("x", "2027-03-01", "linking-1"); 4];
        assert!(matches!(
            check(&LessonNotes::new(), &four, &[]),
            Err(SelfCheckError::TooManyActions)
        ));
    }
}
