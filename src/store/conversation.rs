/*! The SQL of a check's conversation: notes per lesson, the agreed actions, and the outcomes a
later check records for earlier actions. Written with the check, in its transaction; never changed. */
use rusqlite::{params, Connection, OptionalExtension};

use super::StoreError;
use crate::model::{Action, ActionWithOutcome, Conversation, LessonNote, Outcome, OutcomeInput};

pub(crate) fn insert(
    conn: &Connection,
    check_id: &str,
    c: &Conversation,
) -> Result<(), StoreError> {
    if c.notes.is_empty() && c.actions.is_empty() && c.outcomes.is_empty() {
        return Ok(()); // most checks: nothing to write
    }
    let mut note = conn.prepare_cached(
        "INSERT INTO lesson_notes (check_id, lesson_id, good, better) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (lesson, n) in &c.notes {
        note.execute(params![check_id, lesson, n.good, n.better])?;
    }
    let mut action = conn.prepare_cached("INSERT INTO actions (id, check_id, position, text, who, due, lesson_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
    for (i, a) in c.actions.iter().enumerate() {
        action.execute(params![
            a.id,
            check_id,
            i as i64 + 1,
            a.text,
            a.who,
            a.due,
            a.lesson
        ])?;
    }
    let mut outcome = conn.prepare_cached(
        "INSERT INTO action_outcomes (check_id, action_id, outcome, note) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for o in &c.outcomes {
        outcome.execute(params![check_id, o.id, o.outcome.as_str(), o.note])?;
    }
    Ok(())
}

fn action_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Action> {
    Ok(Action {
        id: r.get(0)?,
        text: r.get(1)?,
        who: r.get(2)?,
        due: r.get(3)?,
        lesson: r.get(4)?,
    })
}

pub(crate) fn of_check(conn: &Connection, check_id: &str) -> Result<Conversation, StoreError> {
    let notes = conn
        .prepare_cached("SELECT lesson_id, good, better FROM lesson_notes WHERE check_id = ?1 ORDER BY lesson_id")?
        .query_map([check_id], |r| Ok((r.get::<_, String>(0)?, LessonNote { good: r.get(1)?, better: r.get(2)? })))?
        .collect::<Result<_, _>>()?;
    let actions = conn
        .prepare_cached("SELECT id, text, who, due, lesson_id FROM actions WHERE check_id = ?1 ORDER BY position")?
        .query_map([check_id], action_from_row)?
        .collect::<Result<_, _>>()?;
    let outcomes = conn
        .prepare_cached(
            "SELECT action_id, outcome, note FROM action_outcomes WHERE check_id = ?1 ORDER BY action_id",
        )?
        .query_map([check_id], |r| {
            let outcome: String = r.get(1)?;
            Ok(OutcomeInput { id: r.get(0)?, outcome: Outcome::parse(&outcome).unwrap_or(Outcome::Not), note: r.get(2)? })
        })?
        .collect::<Result<_, _>>()?;
    Ok(Conversation {
        notes,
        actions,
        outcomes,
    })
}

/// The initiative whose check agreed this action, if there is such an action.
pub(crate) fn action_initiative(
    conn: &Connection,
    action_id: &str,
) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT c.initiative_id FROM actions a JOIN visible_checks c ON c.id = a.check_id WHERE a.id = ?1")?
        .query_row([action_id], |r| r.get(0))
        .optional()?)
}

/// The actions agreed at an initiative's latest visible check that agreed any, with when.
pub(crate) fn latest_actions(
    conn: &Connection,
    initiative_id: &str,
) -> Result<Vec<(Action, String)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.text, a.who, a.due, a.lesson_id, c.created_at FROM actions a JOIN visible_checks c ON c.id = a.check_id
         WHERE a.check_id = (SELECT c2.id FROM visible_checks c2 WHERE c2.initiative_id = ?1 AND EXISTS (SELECT 1 FROM actions a2 WHERE a2.check_id = c2.id)
                             ORDER BY c2.created_at DESC, c2.id DESC LIMIT 1)
         ORDER BY a.position",
    )?;
    let rows = stmt.query_map([initiative_id], |r| Ok((action_from_row(r)?, r.get(5)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The earlier actions a check's outcomes are about, with the outcomes.
pub(crate) fn outcomes_with_actions(
    conn: &Connection,
    check_id: &str,
) -> Result<Vec<ActionWithOutcome>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.text, a.who, a.due, a.lesson_id, c.created_at, o.outcome, o.note
         FROM action_outcomes o JOIN actions a ON a.id = o.action_id JOIN self_checks c ON c.id = a.check_id
         WHERE o.check_id = ?1 ORDER BY c.created_at, a.position",
    )?;
    let rows = stmt.query_map([check_id], |r| {
        let outcome: String = r.get(6)?;
        Ok(ActionWithOutcome {
            action: action_from_row(r)?,
            agreed_at: r.get(5)?,
            outcome: Outcome::parse(&outcome).unwrap_or(Outcome::Not),
            note: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Removes a check's conversation (the purge, before the check itself). Outcomes that later
/// checks recorded for its actions stay with those checks (which never change) and are no
/// longer shown, as their action is gone.
pub(crate) fn delete_of_check(conn: &Connection, check_id: &str) -> Result<(), StoreError> {
    conn.execute(
        "DELETE FROM action_outcomes WHERE check_id = ?1",
        [check_id],
    )?;
    conn.execute("DELETE FROM actions WHERE check_id = ?1", [check_id])?;
    conn.execute("DELETE FROM lesson_notes WHERE check_id = ?1", [check_id])?;
    Ok(())
}
