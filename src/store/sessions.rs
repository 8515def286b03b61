/*! The SQL of a group round in progress: members' answers wait in `sessions` and
`session_members`, out of every list and figure, until the round is closed into one self-check
(with the session's id) or cancelled. */
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{
    now_rfc3339, save_check_in, CheckTarget, Initiative, NewCheck, Store, StoreError, StoredCheck,
};
use crate::content::limits::RESPONDENTS;
use crate::model::Answers;
use crate::model::Role;

/// One member's answers, as they wait for the close of the round.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionMember {
    pub id: String,
    pub role: Role,
    pub on_paper: bool,
    pub answers: Answers,
    pub created_at: String,
}

/// A round in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenSession {
    pub id: String,
    /// The initiative of a repeat; None for a new one, whose details wait in `new_initiative`.
    pub initiative_id: Option<String>,
    /// The new initiative's details as submitted (JSON), checked again at the close.
    pub new_initiative: Option<String>,
    pub role: Role,
    /// The outcomes of last time's actions (JSON), as the group gave them at the start.
    pub outcomes: String,
    pub created_at: String,
    pub members: Vec<SessionMember>,
}

fn role_of(text: String) -> Role {
    Role::parse(&text).unwrap_or(Role::Resident)
}

fn session_in(conn: &Connection, id: &str) -> Result<Option<OpenSession>, StoreError> {
    let Some(mut session) = conn
        .prepare_cached("SELECT id, initiative_id, new_initiative, role, outcomes, created_at FROM sessions WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(OpenSession {
                id: r.get(0)?,
                initiative_id: r.get(1)?,
                new_initiative: r.get(2)?,
                role: role_of(r.get(3)?),
                outcomes: r.get(4)?,
                created_at: r.get(5)?,
                members: Vec::new(),
            })
        })
        .optional()?
    else {
        return Ok(None);
    };
    let mut members = conn.prepare_cached("SELECT id, role, on_paper, answers, created_at FROM session_members WHERE session_id = ?1 ORDER BY member")?;
    session.members = members
        .query_map([id], |r| {
            Ok((
                r.get(0)?,
                role_of(r.get(1)?),
                r.get(2)?,
                r.get::<_, String>(3)?,
                r.get(4)?,
            ))
        })?
        .map(|row| {
            let (id, role, on_paper, answers, created_at) = row?;
            Ok(SessionMember {
                id,
                role,
                on_paper,
                answers: serde_json::from_str(&answers).unwrap_or_default(),
                created_at,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(Some(session))
}

impl Store {
    /// Opens a round for an existing initiative or a new one (its details as JSON).
    pub fn start_session(
        &self,
        initiative_id: Option<&str>,
        new_initiative: Option<&str>,
        role: Role,
        outcomes: &str,
    ) -> Result<OpenSession, StoreError> {
        if let Some(id) = initiative_id {
            if super::is_purged(&self.conn, id)? {
                return Err(StoreError::InitiativeRemoved(id.to_string()));
            }
            Store::initiative_in(&self.conn, id)?
                .ok_or_else(|| StoreError::UnknownInitiative(id.to_string()))?;
        }
        let id = uuid::Uuid::new_v4().to_string();
        self.conn.execute(
            "INSERT INTO sessions (id, initiative_id, new_initiative, role, outcomes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, initiative_id, new_initiative, role.as_str(), outcomes, now_rfc3339()],
        )?;
        session_in(&self.conn, &id)?.ok_or(StoreError::UnknownSession(id))
    }

    pub fn session(&self, id: &str) -> Result<Option<OpenSession>, StoreError> {
        session_in(&self.conn, id)
    }

    /// The rounds open on this machine, oldest first.
    pub fn open_sessions(&self) -> Result<Vec<OpenSession>, StoreError> {
        let ids = session_ids(&self.conn)?;
        ids.iter()
            .filter_map(|id| session_in(&self.conn, id).transpose())
            .collect()
    }

    /// Adds a member's answers to a round; returns how many members have answered.
    pub fn add_session_member(
        &mut self,
        id: &str,
        member: &SessionMember,
    ) -> Result<usize, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let count = add_member_in(&tx, id, member)?;
        tx.commit()?;
        Ok(count)
    }

    /// Closes a round: its members become one self-check with the session's id, and the round
    /// is gone; in one transaction.
    pub fn close_session(
        &mut self,
        id: &str,
        target: CheckTarget<'_>,
        check: &NewCheck,
    ) -> Result<(Initiative, StoredCheck), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if session_in(&tx, id)?.is_none() {
            return Err(StoreError::UnknownSession(id.to_string()));
        }
        let saved = save_check_in(&tx, target, check, Some(id))?;
        delete_session(&tx, id)?;
        tx.commit()?;
        self.daily_backup_or_warn();
        Ok(saved)
    }

    /// Ends a round without saving: its members' answers are gone.
    pub fn cancel_session(&mut self, id: &str) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if !delete_session(&tx, id)? {
            return Err(StoreError::UnknownSession(id.to_string()));
        }
        tx.commit()?;
        Ok(())
    }
}

/// Adds a member to a round inside the caller's transaction; returns the number of members.
pub(crate) fn add_member_in(
    conn: &Connection,
    id: &str,
    member: &SessionMember,
) -> Result<usize, StoreError> {
    let count: Option<i64> = conn
        .query_row("SELECT (SELECT count(*) FROM session_members WHERE session_id = ?1) FROM sessions WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    let count = count.ok_or_else(|| StoreError::UnknownSession(id.to_string()))? as usize;
    if count >= RESPONDENTS {
        return Err(StoreError::SessionFull(RESPONDENTS));
    }
    conn.execute(
        "INSERT INTO session_members (session_id, member, id, role, on_paper, answers, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![id, count as i64 + 1, member.id, member.role.as_str(), member.on_paper, serde_json::to_string(&member.answers).expect("answers serialize"), member.created_at],
    )?;
    Ok(count + 1)
}

/// Creates a round exactly as given (id and time included), without members: for import.
pub(crate) fn insert_session(conn: &Connection, s: &OpenSession) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO sessions (id, initiative_id, new_initiative, role, outcomes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![s.id, s.initiative_id, s.new_initiative, s.role.as_str(), s.outcomes, s.created_at],
    )?;
    Ok(())
}

pub(crate) fn session_of(conn: &Connection, id: &str) -> Result<Option<OpenSession>, StoreError> {
    session_in(conn, id)
}

/// The ids of the rounds open on this machine, oldest first.
pub(crate) fn session_ids(conn: &Connection) -> Result<Vec<String>, StoreError> {
    Ok(conn
        .prepare("SELECT id FROM sessions ORDER BY created_at, id")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?)
}

/// Whether any round is open on this machine.
pub(crate) fn any_open(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM sessions)", [], |r| r.get(0))?)
}

/// Ends a round without saving it (a check with its id arrived from elsewhere); true if there was one.
pub(crate) fn end_session_in(conn: &Connection, id: &str) -> Result<bool, StoreError> {
    // Asked for every imported check: one cached look, the deletes only when there is a round.
    if conn
        .prepare_cached("SELECT 1 FROM sessions WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_none()
    {
        return Ok(false);
    }
    delete_session(conn, id)
}

fn delete_session(conn: &Connection, id: &str) -> Result<bool, StoreError> {
    conn.execute("DELETE FROM session_members WHERE session_id = ?1", [id])?;
    Ok(conn.execute("DELETE FROM sessions WHERE id = ?1", [id])? == 1)
}
