/*! Kiosk mode for a shared machine in a community centre. A resident may do a self-check, see and
save their own result, and repeat the check of their own initiative only with the return code
printed on their report. Everything else (lists, other results, the municipality view, imports,
exports, reviews, settings, backups) needs the coordinator's PIN. The shell asks this module
before every command, so the lock holds whatever the UI shows. */
use std::collections::HashSet;

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use thiserror::Error;
use ts_rs::TS;

use crate::settings::{self, SettingsError};
use crate::store::{now_rfc3339, Store, StoreError};

/// Unambiguous characters (no 0/O, 1/I/L): 31 symbols, so 8 of them carry about 39 bits.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Wrong return codes a session may try before code entry stops until "Klaar".
pub const MAX_CODE_TRIES: u32 = 10;

#[derive(Debug, Error)]
pub enum KioskError {
    #[error("this machine is in kiosk mode: ask the coordinator to unlock it")]
    Locked,
    #[error("to repeat a check, enter the return code from your report")]
    NeedsCode,
    #[error("this return code is not known; check it on your report")]
    UnknownCode,
    #[error("too many wrong return codes; press Klaar and ask the coordinator")]
    TooManyCodes,
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What the UI needs to know about the lock, in kiosk mode or not.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct KioskStatus {
    pub kiosk: bool,
    /// True when the coordinator unlocked this session (always true outside kiosk mode).
    pub unlocked: bool,
    pub has_pin: bool,
    pub timeout_minutes: u32,
    pub contact_enabled: bool,
    pub controller: String,
    pub contact_retention: String,
}

/// One sitting at the machine: what this person may reach. Ended by "Klaar" or the timeout.
#[derive(Debug, Default)]
pub struct Session {
    unlocked: bool,
    /// Initiatives this person made or unlocked with a return code in this session.
    own: HashSet<String>,
    wrong_codes: u32,
}

fn normalize(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

fn hash_code(code: &str) -> String {
    Sha256::digest(normalize(code).as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A new return code for an initiative, like `K7Q2-M9XD`; only its hash is stored.
pub fn issue_code(store: &Store, initiative_id: &str) -> Result<String, StoreError> {
    let mut bytes = [0u8; 8];
    getrandom_fill(&mut bytes);
    let chars: String = bytes.iter().map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char).collect();
    let code = format!("{}-{}", &chars[..4], &chars[4..]);
    store.connection().execute(
        "INSERT INTO return_codes (code_hash, initiative_id, created_at) VALUES (?1, ?2, ?3)",
        params![hash_code(&code), initiative_id, now_rfc3339()],
    )?;
    Ok(code)
}

fn getrandom_fill(buf: &mut [u8]) {
    // uuid's v4 generator is the crate's existing source of OS randomness.
    let random = uuid::Uuid::new_v4();
    buf.copy_from_slice(&random.as_bytes()[..buf.len()]);
}

impl Session {
    pub fn new() -> Session {
        Session::default()
    }

    pub fn status(&self, store: &Store) -> Result<KioskStatus, KioskError> {
        let s = settings::load(store)?;
        Ok(KioskStatus {
            kiosk: s.kiosk,
            unlocked: !s.kiosk || self.unlocked,
            has_pin: s.has_pin,
            timeout_minutes: s.timeout_minutes,
            contact_enabled: s.contact_enabled,
            controller: s.controller,
            contact_retention: s.contact_retention,
        })
    }

    /// The coordinator unlocks this session with the PIN.
    pub fn unlock(&mut self, store: &Store, pin: &str) -> Result<(), KioskError> {
        settings::verify_pin(store, pin)?;
        self.unlocked = true;
        Ok(())
    }

    /// "Klaar", the timeout, or the coordinator locking again: nothing of this person stays reachable.
    pub fn end(&mut self) {
        self.unlocked = false;
        self.own.clear();
        self.wrong_codes = 0;
    }

    /// For lists, other people's results, the municipality view, import, export, reviews, settings.
    pub fn require_coordinator(&self, store: &Store) -> Result<(), KioskError> {
        if settings::load(store)?.kiosk && !self.unlocked {
            return Err(KioskError::Locked);
        }
        Ok(())
    }

    /// May this session see or extend this initiative's checks?
    pub fn require_own(&self, store: &Store, initiative_id: &str) -> Result<(), KioskError> {
        if self.own.contains(initiative_id) {
            return Ok(());
        }
        self.require_coordinator(store).map_err(|_| KioskError::NeedsCode)
    }

    /// Marks an initiative as this person's (after they saved a check of it).
    pub fn claim(&mut self, initiative_id: &str) {
        self.own.insert(initiative_id.to_string());
    }

    /// Unlocks the initiative a return code belongs to; returns its id.
    pub fn redeem(&mut self, store: &Store, code: &str) -> Result<String, KioskError> {
        if self.wrong_codes >= MAX_CODE_TRIES {
            return Err(KioskError::TooManyCodes);
        }
        let id: Option<String> = store
            .connection()
            .query_row("SELECT initiative_id FROM return_codes WHERE code_hash = ?1", [hash_code(code)], |r| r.get(0))
            .optional()
            .map_err(StoreError::from)?;
        let Some(id) = id else {
            self.wrong_codes += 1;
            return Err(KioskError::UnknownCode);
        };
        self.own.insert(id.clone());
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kiosk_store() -> Store {
        let store = Store::open_in_memory().unwrap();
        let mut s = settings::load(&store).unwrap();
        s.kiosk = true;
        settings::apply(&store, &s, Some("2468")).unwrap();
        store
    }

    #[test]
    fn outside_kiosk_mode_nothing_is_locked() {
        let store = Store::open_in_memory().unwrap();
        let session = Session::new();
        session.require_coordinator(&store).unwrap();
        session.require_own(&store, "any").unwrap();
        assert!(session.status(&store).unwrap().unlocked);
    }

    #[test]
    fn a_kiosk_session_reaches_only_its_own_initiative_until_unlocked() {
        let store = kiosk_store();
        let mut session = Session::new();
        assert!(matches!(session.require_coordinator(&store), Err(KioskError::Locked)));
        assert!(matches!(session.require_own(&store, "theirs"), Err(KioskError::NeedsCode)));
        session.claim("mine");
        session.require_own(&store, "mine").unwrap();
        assert!(matches!(session.unlock(&store, "0000"), Err(KioskError::Settings(_))));
        session.unlock(&store, "2468").unwrap();
        session.require_coordinator(&store).unwrap();
        session.end();
        assert!(matches!(session.require_coordinator(&store), Err(KioskError::Locked)));
        assert!(matches!(session.require_own(&store, "mine"), Err(KioskError::NeedsCode)), "Klaar forgets");
    }

    #[test]
    fn return_codes_are_stored_hashed_and_unlock_one_initiative() {
        let store = kiosk_store();
        store
            .connection()
            .execute("INSERT INTO initiatives (id, name, lat, lon, created_at) VALUES ('i1', 'x', 52.0, 5.0, 't')", [])
            .unwrap();
        let code = issue_code(&store, "i1").unwrap();
        assert!(code.len() == 9 && code.as_bytes()[4] == b'-', "{code}");
        let stored: String = store.connection().query_row("SELECT code_hash FROM return_codes", [], |r| r.get(0)).unwrap();
        assert!(!stored.contains(&code[..4]));
        let mut session = Session::new();
        assert!(matches!(session.redeem(&store, "AAAA-BBBB"), Err(KioskError::UnknownCode)));
        assert_eq!(session.redeem(&store, &code.to_lowercase().replace('-', " ")).unwrap(), "i1");
        session.require_own(&store, "i1").unwrap();
        for _ in 1..MAX_CODE_TRIES {
            let _ = session.redeem(&store, "AAAA-BBBB");
        }
        assert!(matches!(session.redeem(&store, &code), Err(KioskError::TooManyCodes)), "guessing stops");
    }
}
