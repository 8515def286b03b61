/*! The review log: append-only entries, the latest of which is an initiative's status; several
initiatives move in one transaction, all or none. */

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use uuid::Uuid;

use super::{facts, now_rfc3339, provenance, Store, StoreError};
use crate::model::{ReviewEntry, ReviewStatus};

/// Inserts a review entry; `stamp` says where an imported one came from.
pub(crate) fn insert_review(
    conn: &Connection,
    e: &ReviewEntry,
    stamp: Option<&provenance::Stamp>,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO review_log (id, initiative_id, from_status, to_status, reviewer, note, created_at, import_id, made_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![e.id, e.initiative_id, e.from.as_str(), e.to.as_str(), e.reviewer, e.note, e.created_at, stamp.map(|s| s.import_id), stamp.and_then(|s| s.made_on.as_deref())])?;
    Ok(())
}

pub(crate) fn reviews_where(
    conn: &Connection,
    clause: &str,
    param: &str,
) -> Result<Vec<ReviewEntry>, StoreError> {
    let sql = format!(
        "SELECT id, initiative_id, from_status, to_status, reviewer, note, created_at FROM review_log
         WHERE {clause} ORDER BY created_at, rowid"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([param], |r| {
        let status = |i: usize| -> rusqlite::Result<ReviewStatus> {
            let s: String = r.get(i)?;
            Ok(ReviewStatus::parse(&s).unwrap_or(ReviewStatus::New))
        };
        Ok(ReviewEntry {
            id: r.get(0)?,
            initiative_id: r.get(1)?,
            from: status(2)?,
            to: status(3)?,
            reviewer: r.get(4)?,
            note: r.get(5)?,
            created_at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

impl Store {
    /// The current review status of an initiative: its latest log entry's, or `new`.
    pub fn review_status(&self, initiative_id: &str) -> Result<ReviewStatus, StoreError> {
        Self::review_status_in(&self.conn, initiative_id)
    }

    /// Where an initiative's review log ends: its status and the time of its last entry.
    pub(crate) fn review_head_in(
        conn: &Connection,
        initiative_id: &str,
    ) -> Result<(ReviewStatus, Option<String>), StoreError> {
        let head: Option<(String, String)> = conn
            .query_row(
                "SELECT to_status, created_at FROM review_log WHERE initiative_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT 1",
                [initiative_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(match head {
            Some((status, at)) => (
                ReviewStatus::parse(&status).unwrap_or(ReviewStatus::New),
                Some(at),
            ),
            None => (ReviewStatus::New, None),
        })
    }

    pub(super) fn review_status_in(
        conn: &Connection,
        initiative_id: &str,
    ) -> Result<ReviewStatus, StoreError> {
        let status: Option<String> = conn
            .query_row(
                "SELECT to_status FROM review_log WHERE initiative_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT 1",
                [initiative_id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(status
            .as_deref()
            .and_then(ReviewStatus::parse)
            .unwrap_or(ReviewStatus::New))
    }

    /// Records a change of review status, if the workflow allows it.
    pub fn add_review(
        &mut self,
        initiative_id: &str,
        to: ReviewStatus,
        reviewer: &str,
        note: &str,
    ) -> Result<ReviewEntry, StoreError> {
        let mut entries = self.add_reviews(&[initiative_id], to, reviewer, note)?;
        Ok(entries.remove(0))
    }

    /// Moves several initiatives to one status with one reviewer and note, in one transaction:
    /// all of them, or — when one move is not allowed — none, and the error names that initiative.
    pub fn add_reviews<S: AsRef<str>>(
        &mut self,
        initiative_ids: &[S],
        to: ReviewStatus,
        reviewer: &str,
        note: &str,
    ) -> Result<Vec<ReviewEntry>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = now_rfc3339();
        let mut seen = std::collections::HashSet::new();
        let mut entries = Vec::new();
        for id in initiative_ids
            .iter()
            .map(AsRef::as_ref)
            .filter(|id| seen.insert(*id))
        {
            let Some(initiative) = Self::initiative_in(&tx, id)? else {
                return Err(StoreError::UnknownInitiative(id.to_string()));
            };
            let from = Self::review_status_in(&tx, id)?;
            if !from.can_move_to(to) {
                return Err(if initiative_ids.len() > 1 {
                    StoreError::NotAllowedFor {
                        name: initiative.name.clone(),
                        from,
                        to,
                    }
                } else {
                    StoreError::NotAllowed { from, to }
                });
            }
            let entry = ReviewEntry {
                id: Uuid::new_v4().to_string(),
                initiative_id: id.to_string(),
                from,
                to,
                reviewer: reviewer.trim().to_string(),
                note: note.to_string(),
                created_at: now.clone(),
            };
            insert_review(&tx, &entry, None)?;
            facts::refresh(&tx, &[id])?;
            entries.push(entry);
        }
        tx.commit()?;
        Ok(entries)
    }

    /// An initiative's review log, oldest first.
    pub fn reviews(&self, initiative_id: &str) -> Result<Vec<ReviewEntry>, StoreError> {
        reviews_where(&self.conn, "initiative_id = ?1", initiative_id)
    }
}
