/*! What a machine remembers of its syncs with shared databases (`crate::sync`): the log that
numbers every record as it arrives here (`sync_log`, filled by triggers, migration 13), and per
server how far it sent and received (`sync_servers`). */
use rusqlite::{params, Connection, OptionalExtension};

use super::{Store, StoreError};

/// A row of a shared database as a machine remembers it: its number there, its id and when the
/// server took it in (`sent_at`, in UTC to the microsecond).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub id: String,
    pub sent_at: String,
}

/// A logged record: its number here, kind (`initiative`, `self_check`, `review`, `tombstone`) and id.
pub struct Logged {
    pub seq: i64,
    pub kind: String,
    pub id: String,
}

impl Store {
    /// How far this machine sent to and received from a server (by its key): (sent, received).
    pub fn sync_marks(&self, server: &str) -> Result<(i64, i64), StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT sent, received FROM sync_servers WHERE server = ?1",
                [server],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .unwrap_or((0, 0)))
    }

    /// Records logged here after number `after`, in order.
    pub fn logged_since(&self, after: i64) -> Result<Vec<Logged>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, kind, id FROM sync_log WHERE seq > ?1 ORDER BY seq")?;
        let rows = stmt.query_map([after], |r| {
            Ok(Logged {
                seq: r.get(0)?,
                kind: r.get(1)?,
                id: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Whether an initiative lies in a municipality (CBS code).
    pub fn initiative_in_municipality(
        &self,
        initiative: &str,
        code: &str,
    ) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM initiatives WHERE id = ?1 AND gm_code = ?2")?
            .exists(params![initiative, code])?)
    }

    /// An erasure's kind and time: the only tombstones a sync sends (a retention tombstone is
    /// this machine's own policy and stays here).
    pub fn erasure(&self, id: &str) -> Result<Option<(String, String)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT kind, purged_at FROM tombstones WHERE id = ?1 AND cause = 'erasure'",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Notes that everything logged up to `through` reached the server.
    pub fn mark_sent(&mut self, server: &str, through: i64) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO sync_servers (server, sent, synced_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (server) DO UPDATE SET sent = max(sent, ?2), synced_at = ?3",
                params![server, through, super::now_rfc3339()],
            )?;
            Ok(())
        })
    }

    /// The server's newest row as this machine saw it at the end of its last sync with it.
    pub fn sync_checkpoint(&self, server_id: &str) -> Result<Option<Checkpoint>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT seq, id, sent_at FROM sync_checkpoints WHERE server = ?1",
                [server_id],
                |r| {
                    Ok(Checkpoint {
                        seq: r.get(0)?,
                        id: r.get(1)?,
                        sent_at: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Remembers the server's newest row (none: it holds nothing).
    pub fn set_sync_checkpoint(
        &mut self,
        server_id: &str,
        newest: Option<&Checkpoint>,
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            match newest {
                Some(c) => tx.execute(
                    "INSERT INTO sync_checkpoints (server, seq, id, sent_at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (server) DO UPDATE SET seq = ?2, id = ?3, sent_at = ?4",
                    params![server_id, c.seq, c.id, c.sent_at],
                )?,
                None => tx.execute("DELETE FROM sync_checkpoints WHERE server = ?1", [server_id])?,
            };
            Ok(())
        })
    }

    /// Forgets how far this machine sent to and received from a server, in every scope: the
    /// next sync sends all it holds and receives all there is (each record is known by its id,
    /// so nothing is doubled).
    pub fn forget_sync_marks(&mut self, server_id: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "UPDATE sync_servers SET sent = 0, received = 0 WHERE server = ?1 OR substr(server, 1, length(?1) + 1) = ?1 || '/'",
                [server_id],
            )?;
            tx.execute("DELETE FROM sync_checkpoints WHERE server = ?1", [server_id])?;
            Ok(())
        })
    }

    /// Notes what was received from a server, up to its number `through` (nothing changes when
    /// nothing came).
    pub fn mark_received(&mut self, server: &str, through: Option<i64>) -> Result<(), StoreError> {
        self.write(|tx| note_received(tx, server, through))
    }

    /// The rows of a server (by its key) that syncs left out: (table, id, number, reason as JSON).
    pub fn sync_skipped(&self, server: &str) -> Result<Vec<SkippedRow>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT kind, id, seq, reason FROM sync_skipped WHERE server = ?1 ORDER BY seq, kind, id",
        )?;
        let rows = stmt.query_map([server], |r| {
            Ok(SkippedRow {
                kind: r.get(0)?,
                id: r.get(1)?,
                seq: r.get(2)?,
                reason: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Notes what was received up to `through` and which rows were left out, together.
    pub fn mark_received_skipping(
        &mut self,
        server: &str,
        through: Option<i64>,
        skipped: &[SkippedRow],
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            note_received(tx, server, through)?;
            note_skipped(tx, server, skipped)
        })
    }
}

/// A server's row that a sync left out because it breaks a rule of import.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedRow {
    /// The server's table: `initiatives`, `self_checks` or `review_log`.
    pub kind: String,
    pub id: String,
    /// Its number on the server.
    pub seq: i64,
    /// The rule it breaks (a problem, as JSON).
    pub reason: String,
}

/// Replaces the list of a server's rows left out: each sync looks at all of them again, so what
/// it left out now is the whole list.
pub(crate) fn note_skipped(
    conn: &Connection,
    server: &str,
    skipped: &[SkippedRow],
) -> Result<(), StoreError> {
    conn.execute("DELETE FROM sync_skipped WHERE server = ?1", [server])?;
    let mut insert = conn.prepare_cached(
        "INSERT OR REPLACE INTO sync_skipped (server, kind, id, seq, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for row in skipped {
        insert.execute(params![server, row.kind, row.id, row.seq, row.reason])?;
    }
    Ok(())
}

/// The last number in the sync log (0 when it is empty).
pub(crate) fn last_logged(conn: &Connection) -> Result<i64, StoreError> {
    Ok(
        conn.query_row("SELECT coalesce(max(seq), 0) FROM sync_log", [], |r| {
            r.get(0)
        })?,
    )
}

fn note_received(conn: &Connection, server: &str, through: Option<i64>) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO sync_servers (server, received, synced_at) VALUES (?1, coalesce(?2, 0), ?3)
         ON CONFLICT (server) DO UPDATE SET received = max(received, coalesce(?2, received)), synced_at = ?3",
        params![server, through, super::now_rfc3339()],
    )?;
    Ok(())
}

/// In the transaction that took in what a server sent (up to its number `through`): notes it as
/// received, and, when nothing was logged here between this machine's send and that transaction
/// (`logged_before` is still `sent`), moves the sent mark past what came in, which need not go
/// back. Anything else logged in between keeps the mark where it was, so that it is sent.
pub(crate) fn note_received_after(
    conn: &Connection,
    server: &str,
    through: Option<i64>,
    sent: i64,
    logged_before: i64,
) -> Result<(), StoreError> {
    note_received(conn, server, through)?;
    if logged_before == sent {
        conn.execute(
            "UPDATE sync_servers SET sent = max(sent, ?2) WHERE server = ?1",
            params![server, last_logged(conn)?],
        )?;
    }
    Ok(())
}
