/*! What a machine remembers of its syncs with shared databases (`crate::sync`): the log that
numbers every record as it arrives here (`sync_log`, filled by triggers, migration 13), and per
server how far it sent and received (`sync_servers`). */
use rusqlite::{params, OptionalExtension};

use super::{Store, StoreError};

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
            .query_row("SELECT sent, received FROM sync_servers WHERE server = ?1", [server], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .unwrap_or((0, 0)))
    }

    /// Records logged here after number `after`, in order.
    pub fn logged_since(&self, after: i64) -> Result<Vec<Logged>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT seq, kind, id FROM sync_log WHERE seq > ?1 ORDER BY seq")?;
        let rows = stmt.query_map([after], |r| Ok(Logged { seq: r.get(0)?, kind: r.get(1)?, id: r.get(2)? }))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Whether an initiative lies in a municipality (CBS code).
    pub fn initiative_in_municipality(&self, initiative: &str, code: &str) -> Result<bool, StoreError> {
        Ok(self.conn.prepare_cached("SELECT 1 FROM initiatives WHERE id = ?1 AND gm_code = ?2")?.exists(params![initiative, code])?)
    }

    /// A tombstone's kind and time.
    pub fn tombstone(&self, id: &str) -> Result<Option<(String, String)>, StoreError> {
        Ok(self.conn.query_row("SELECT kind, purged_at FROM tombstones WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?)
    }

    /// Notes that everything logged up to `through` reached the server.
    pub fn mark_sent(&mut self, server: &str, through: i64) -> Result<(), StoreError> {
        self.in_transaction(|tx| {
            tx.execute(
                "INSERT INTO sync_servers (server, sent, synced_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (server) DO UPDATE SET sent = max(sent, ?2), synced_at = ?3",
                params![server, through, super::now_rfc3339()],
            )?;
            Ok(())
        })
    }

    /// Notes what was received (up to the server's number `through`, if anything came); what
    /// came in is here now and need not go back, so the sent mark moves past it too.
    pub fn mark_received(&mut self, server: &str, through: Option<i64>) -> Result<(), StoreError> {
        self.in_transaction(|tx| {
            let last_here: i64 = tx.query_row("SELECT coalesce(max(seq), 0) FROM sync_log", [], |r| r.get(0))?;
            tx.execute(
                "INSERT INTO sync_servers (server, sent, received, synced_at) VALUES (?1, ?2, coalesce(?3, 0), ?4)
                 ON CONFLICT (server) DO UPDATE SET sent = max(sent, ?2), received = max(received, coalesce(?3, received)), synced_at = ?4",
                params![server, last_here, through, super::now_rfc3339()],
            )?;
            Ok(())
        })
    }
}
