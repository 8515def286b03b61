/*! Counting tries (wrong PINs, wrong return codes) where several processes may try at once: the
app, a CLI run beside it, or a script starting forty. Reading the count, deciding and writing
the new count happen in one IMMEDIATE transaction, which takes SQLite's write lock at its start:
two tries can never both read the same count, so none slips past a lock-out. */
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior};

use super::{Store, StoreError};

/// The settings rows as one IMMEDIATE transaction sees them; what it sets is written only when
/// the decision is complete.
pub(crate) struct SettingsTx<'a> {
    tx: Transaction<'a>,
}

impl SettingsTx<'_> {
    pub(crate) fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .tx
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub(crate) fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}

impl Store {
    /// Runs `decide` holding the database's write lock from its first read to its last write,
    /// and keeps what it set when it returns `Ok` (a refusal it decided on is an `Ok` too: the
    /// count it raised must stay). The lock is held only for these few rows: slow work, such as
    /// hashing a PIN, is done before.
    pub(crate) fn decide_on_settings<T>(
        &self,
        decide: impl FnOnce(&SettingsTx<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let settings = SettingsTx { tx };
        let decided = decide(&settings)?;
        settings.tx.commit()?;
        Ok(decided)
    }
}
