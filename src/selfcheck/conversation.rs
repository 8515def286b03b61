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

/// An action's date as the person wrote it (day-month-year), in the stored form (YYYY-MM-DD).
fn due_date(text: &str) -> Result<String, SelfCheckError> {
    if text.trim().is_empty() {
        return Err(SelfCheckError::DueDateMissing);
    }
    crate::content::calendar::parse_day(text)
        .map(crate::content::calendar::day_stored)
        .ok_or_else(|| SelfCheckError::BadDueDate(text.trim().to_string()))
}

fn action_text(a: &ActionInput) -> Result<String, SelfCheckError> {
    optional_text("action", Some(&a.text), ACTION_TEXT_CHARS, Lines::One)?
        .ok_or(SelfCheckError::ActionTextMissing)
}

fn action_who(a: &ActionInput) -> Result<Option<String>, SelfCheckError> {
    optional_text("who", a.who.as_deref(), ACTION_WHO_CHARS, Lines::One)
}

fn action_lesson(a: &ActionInput) -> Result<(), SelfCheckError> {
    if a.lesson.trim().is_empty() {
        return Err(SelfCheckError::ActionLessonMissing);
    }
    known_lesson(&a.lesson)
}

/// What is wrong with a field of action `n` (counted from 1), named by the action and the field
/// the person must change.
fn in_action(n: usize, field: &'static str) -> impl Fn(SelfCheckError) -> SelfCheckError {
    move |e| SelfCheckError::InAction {
        n,
        field,
        source: Box::new(e),
    }
}

/// One action checked, or its first wrong field.
fn action(n: usize, a: &ActionInput) -> Result<Action, SelfCheckError> {
    let text = action_text(a).map_err(in_action(n, "text"))?;
    let who = action_who(a).map_err(in_action(n, "who"))?;
    let due = due_date(&a.due).map_err(in_action(n, "due"))?;
    action_lesson(a).map_err(in_action(n, "lesson"))?;
    Ok(Action {
        id: uuid::Uuid::new_v4().to_string(),
        text,
        who,
        due,
        lesson: a.lesson.clone(),
    })
}

/// Everything wrong with a plan's actions at once, field by field (what a form shows beside
/// each field and in its summary); empty when every action can be stored.
pub fn action_faults(actions: &[ActionInput]) -> Vec<SelfCheckError> {
    let mut faults = Vec::new();
    for (i, a) in actions.iter().enumerate() {
        let n = i + 1;
        faults.extend(action_text(a).err().map(in_action(n, "text")));
        faults.extend(action_who(a).err().map(in_action(n, "who")));
        faults.extend(due_date(&a.due).err().map(in_action(n, "due")));
        faults.extend(action_lesson(a).err().map(in_action(n, "lesson")));
    }
    if actions.len() > ACTIONS {
        faults.push(SelfCheckError::TooManyActions);
    }
    faults
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
        .enumerate()
        .map(|(i, a)| action(i + 1, a))
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
    fn an_action_date_is_written_day_month_year_and_stored_as_iso() {
        assert_eq!(due_date("1-3-2027").unwrap(), "2027-03-01");
        assert_eq!(due_date(" 29-2-2028 ").unwrap(), "2028-02-29");
        assert_eq!(due_date("2027-03-01").unwrap(), "2027-03-01");
        assert!(matches!(
            due_date("  "),
            Err(SelfCheckError::DueDateMissing)
        ));
        assert!(
            matches!(due_date("29-2-2027"), Err(SelfCheckError::BadDueDate(d)) if d == "29-2-2027")
        );
        assert!(matches!(
            due_date("1 maart"),
            Err(SelfCheckError::BadDueDate(_))
        ));
    }

    #[test]
    fn every_wrong_field_of_every_action_is_named_with_its_action() {
        let a = |text: &str, due: &str, lesson: &str| ActionInput {
            text: text.into(),
            who: None,
            due: due.into(),
            lesson: lesson.into(),
        };
        let plan = [
            a("Koffie-ochtend", "1-3-2027", "linking-1"),
            a("", "", ""),
            a("Buurtfeest", "31-2-2027", "bonding-2"),
        ];
        let faults: Vec<(usize, &str, String)> = action_faults(&plan)
            .into_iter()
            .map(|f| match f {
                SelfCheckError::InAction { n, field, source } => (n, field, source.to_string()),
                other => panic!("{other}"),
            })
            .collect();
        let named: Vec<(usize, &str)> = faults.iter().map(|(n, f, _)| (*n, *f)).collect();
        assert_eq!(
            named,
            [(2, "text"), (2, "due"), (2, "lesson"), (3, "due")],
            "{faults:?}"
        );
        assert!(matches!(
            check(&LessonNotes::new(), &plan, &[]),
            Err(SelfCheckError::InAction {
                n: 2,
                field: "text",
                ..
            })
        ));
        assert!(action_faults(&plan[..1]).is_empty());
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
            Err(SelfCheckError::InAction { n: 1, field: "text", source }) if matches!(*source, SelfCheckError::ActionTextMissing)
        ));
        assert!(matches!(
            check(
                &LessonNotes::new(),
                &[action("x", "maart", "linking-1")],
                &[]
            ),
            Err(SelfCheckError::InAction { field: "due", .. })
        ));
        assert!(matches!(
            check(
                &LessonNotes::new(),
                &[action("x", "2027-03-01", "linking-7")],
                &[]
            ),
            Err(SelfCheckError::InAction {
                field: "lesson",
                ..
            })
        ));
        let four = vec![action("x", "2027-03-01", "linking-1"); 4];
        assert!(matches!(
            check(&LessonNotes::new(), &four, &[]),
            Err(SelfCheckError::TooManyActions)
        ));
    }
}
