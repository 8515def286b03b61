/*! Erasure: a record removed everywhere, at once, on request (a person who asks for their data to
go, a record that never should have existed). It differs from retention (`safety::retention`) in
three ways: there is no grace period; the tombstone says `erasure`, so a sync carries it to the
shared database, which removes the record there and passes the erasure on to every machine; and
the reason is kept in this machine's tombstone (never sent: it may name the person who asked).

An initiative is erased with every self-check of it; its review log stays, as the municipality's
own administration (docs/privacy.md), but no longer shows a name or a place. */
use serde::Serialize;
use thiserror::Error;
use ts_rs::TS;

use crate::store::purging::Erased;
use crate::store::{Store, StoreError};

#[derive(Debug, Error)]
pub enum ErasureError {
    #[error("give a reason for the erasure (who asked, or why the record must go)")]
    NoReason,
    #[error("the reason is {length} characters long; the limit is {max}")]
    ReasonTooLong { length: usize, max: usize },
    #[error(transparent)]
    Text(#[from] crate::content::text::TextError),
    #[error("{0} is neither an initiative nor a self-check in this database")]
    Unknown(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What an erasure removed.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ErasureReport {
    pub id: String,
    /// `initiative` or `self_check`.
    pub kind: String,
    /// Records removed: the self-checks, and the initiative's details when it was one.
    pub removed: u32,
}

/// Erases the initiative or self-check `id` here now, and everywhere at the next sync.
pub fn erase(store: &mut Store, id: &str, reason: &str) -> Result<ErasureReport, ErasureError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ErasureError::NoReason);
    }
    let length = reason.chars().count();
    if length > crate::content::limits::ERASURE_REASON_CHARS {
        return Err(ErasureError::ReasonTooLong {
            length,
            max: crate::content::limits::ERASURE_REASON_CHARS,
        });
    }
    crate::content::text::check("reason", reason, crate::content::text::Lines::Many)?;
    let id = id.trim().to_ascii_lowercase();
    let (erased, removed) = store.erase(&id, reason, &crate::store::now_rfc3339())?;
    let kind = match erased {
        Erased::Initiative => "initiative",
        Erased::SelfCheck => "self_check",
        Erased::Unknown => return Err(ErasureError::Unknown(id)),
    };
    // As after a purge's removal: the write-ahead log and the older backups still hold it.
    store.checkpoint()?;
    store.replace_backups_after_removal()?;
    Ok(ErasureReport {
        id,
        kind: kind.into(),
        removed,
    })
}
