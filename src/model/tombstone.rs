/*! The mark a removed record leaves, so that the removal reaches every machine that held it. */

/// A tombstone as the server passes it on and the store applies it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tombstone {
    pub id: String,
    /// `self_check` or `initiative`.
    pub kind: String,
    pub purged_at: String,
}
