/*! Return codes as the store keeps them: only a code's hash, with the initiative and check it was
given for. Making and checking codes is `safety::kiosk`'s work. */
use rusqlite::{params, OptionalExtension};

use super::{now_rfc3339, Store, StoreError};

/// A stored return code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnCode {
    pub initiative_id: String,
    /// The check the code was given for; codes from before schema 6 name none.
    pub check_id: Option<String>,
    /// When the code was made (RFC 3339, UTC).
    pub created_at: String,
}

impl Store {
    /// Keeps the hash of a new return code, made now.
    pub fn add_return_code(
        &self,
        code_hash: &str,
        initiative_id: &str,
        check_id: &str,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO return_codes (code_hash, initiative_id, check_id, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![code_hash, initiative_id, check_id, now_rfc3339()],
        )?;
        Ok(())
    }

    /// The return code with this hash, if one is kept.
    pub fn return_code(&self, code_hash: &str) -> Result<Option<ReturnCode>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT initiative_id, check_id, created_at FROM return_codes WHERE code_hash = ?1",
                [code_hash],
                |r| {
                    Ok(ReturnCode {
                        initiative_id: r.get(0)?,
                        check_id: r.get(1)?,
                        created_at: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// When a self-check was made, if it is still there (marked ones included: a code's owner
    /// may still be shown what the code opens until the check is removed).
    pub fn check_made_at(&self, check_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT created_at FROM self_checks WHERE id = ?1",
                [check_id],
                |r| r.get(0),
            )
            .optional()?)
    }
}
