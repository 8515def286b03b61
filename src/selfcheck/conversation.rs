/*! The self-check as a conversation: what the group noted per lesson, the actions it agreed, and
at the next check what came of them. Input is checked here; the store keeps it with the check. */

use crate::content::catalog::catalog;
use crate::content::limits::{ACTIONS, ACTION_TEXT_CHARS, ACTION_WHO_CHARS, LESSON_NOTE_CHARS};
use crate::content::text::Lines;
use crate::model::{Action, ActionInput, Conversation, LessonNote, LessonNotes, OutcomeInput};

use super::SelfCheckError;

/// A trimmed text, None when empty; refused when it breaks the text rules or is too long.
pub(crate) fn optional_text(
    field: &'static str,
    value: Option<&str>,
    max: usize,
    lines: Lines,
) -> Result<Option<String>, SelfCheckError> {
    let Some(v) = value else { return Ok(None) };
    crate::content::text::check(field, v, lines)?;
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
