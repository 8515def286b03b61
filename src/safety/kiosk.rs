/*! Kiosk mode for a shared machine in a community centre. A resident may do a self-check, see and
save their own result, and repeat the check of their own initiative only with the return code
printed on their report. Everything else (lists, other results, the municipality view, imports,
exports, reviews, settings, backups) needs the coordinator's PIN. The shell asks this module
before every command, so the lock holds whatever the UI shows. */
use std::collections::HashMap;

use serde::Serialize;
use sha2::{Digest, Sha256};
use thiserror::Error;
use ts_rs::TS;

use crate::safety::settings::{self, SettingsError};
use crate::store::{ReturnCode, Store, StoreError};

/// Unambiguous characters (no 0/O, 1/I/L): 31 symbols, so 8 of them carry about 39 bits.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Wrong return codes are counted per machine, in the database, as a leaky bucket: each wrong
/// code adds one, and one drains away every [`CODE_DRAIN`]. While the bucket holds
/// `FREE_CODE_TRIES` or more, no code is judged, not even a right one; a try refused then adds
/// nothing. So five wrong codes in a row lock the machine for ten minutes, after which one more
/// try may be made every ten minutes (six an hour: some 50,000 a year against 31^8 codes), and
/// an hour without wrong codes forgives them all. A right code takes nothing out: alternating
/// wrong guesses with one's own code gains nothing. Neither "Klaar" nor a restart empties it.
pub const FREE_CODE_TRIES: u32 = 5;
/// How long one wrong code stays in the bucket.
pub const CODE_DRAIN: time::Duration = time::Duration::minutes(10);
/// When the bucket is empty (RFC 3339): the bucket's level is the time from now to then, in
/// units of `CODE_DRAIN`. One time says it all, so there is no count to fall out of step.
const CODE_EMPTY_AT: &str = "code_tries_empty_at";

#[derive(Debug, Error)]
pub enum KioskError {
    #[error("this machine is in kiosk mode: ask the coordinator to unlock it")]
    Locked,
    #[error("to repeat a check, enter the return code from your report")]
    NeedsCode,
    #[error("this return code is not known; check it on your report")]
    UnknownCode,
    #[error("too many wrong return codes; try again after {until}, or ask the coordinator")]
    TooManyCodes { until: String },
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
    /// The printer a resident's report goes to on a kiosk (None: the kiosk does not print).
    pub printer: Option<String>,
}

/// One sitting at the machine: what this person may reach. Ended by "Klaar" or the timeout.
#[derive(Debug, Default)]
pub struct Session {
    unlocked: bool,
    /// Initiatives this person made a check of or opened with a return code in this session, each
    /// with the time of the first check they may see (the one the code was given for).
    own: HashMap<String, String>,
    /// Group rounds started (or, by the coordinator, resumed) in this session.
    rounds: std::collections::HashSet<String>,
}

fn normalize(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn hash_code(code: &str) -> String {
    Sha256::digest(normalize(code).as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new return code for a self-check, like `K7Q2-M9XD`; only its hash is stored.
pub fn issue_code(
    store: &Store,
    initiative_id: &str,
    check_id: &str,
) -> Result<String, StoreError> {
    let mut bytes = [0u8; 8];
    getrandom_fill(&mut bytes);
    let chars: String = bytes
        .iter()
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect();
    let code = format!("{}-{}", &chars[..4], &chars[4..]);
    store.add_return_code(&hash_code(&code), initiative_id, check_id)?;
    Ok(code)
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .expect("UTC times format")
}

fn parse_time(text: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}

/// The oldest a return code may be under the retention period (None: codes do not expire).
fn oldest_code(store: &Store, now: time::OffsetDateTime) -> Result<Option<String>, KioskError> {
    Ok(settings::load(store)?
        .retention_months
        .map(|months| rfc3339(now - crate::safety::retention::period(months))))
}

/// Judges a try at a return code against the machine's bucket of wrong codes, in one IMMEDIATE
/// transaction: tries made at once (two windows, a script) are judged one by one. `right` is
/// whether the code opened something; returns the refusal, if any.
fn judge_code_try(
    store: &Store,
    right: bool,
    now: time::OffsetDateTime,
) -> Result<Option<KioskError>, KioskError> {
    // The bucket's level may reach this much time above empty before tries wait.
    let free = CODE_DRAIN * (FREE_CODE_TRIES - 1);
    let locked_until =
        |empty_at: time::OffsetDateTime| (empty_at - now > free).then(|| rfc3339(empty_at - free));
    Ok(store.decide_on_settings(|tx| {
        let empty_at = tx
            .get(CODE_EMPTY_AT)?
            .as_deref()
            .and_then(parse_time)
            .filter(|t| *t > now)
            .unwrap_or(now);
        if let Some(until) = locked_until(empty_at) {
            return Ok(Some(KioskError::TooManyCodes { until }));
        }
        if right {
            return Ok(None);
        }
        let empty_at = empty_at + CODE_DRAIN;
        tx.set(CODE_EMPTY_AT, &rfc3339(empty_at))?;
        Ok(Some(match locked_until(empty_at) {
            Some(until) => KioskError::TooManyCodes { until },
            None => KioskError::UnknownCode,
        }))
    })?)
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
            printer: s.printer,
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
        self.rounds.clear();
    }

    /// A group round this session started: its members may answer and it may be closed here.
    pub fn take_round(&mut self, id: &str) {
        self.rounds.insert(id.to_string());
    }

    /// May this session add members to, look at or close this round? On a kiosk only the one
    /// that started it (or the coordinator): a round left open is not the next visitor's.
    pub fn require_round(&self, store: &Store, id: &str) -> Result<(), KioskError> {
        if self.rounds.contains(id) {
            return Ok(());
        }
        self.require_coordinator(store)
    }

    /// For lists, other people's results, the municipality view, import, export, reviews, settings.
    pub fn require_coordinator(&self, store: &Store) -> Result<(), KioskError> {
        if settings::load(store)?.kiosk && !self.unlocked {
            return Err(KioskError::Locked);
        }
        Ok(())
    }

    /// Which of this initiative's checks this session may see: all (None: not a kiosk, or the
    /// coordinator), those from a time on (this person's own), or none (an error).
    pub fn visible_from(
        &self,
        store: &Store,
        initiative_id: &str,
    ) -> Result<Option<String>, KioskError> {
        if self.require_coordinator(store).is_ok() {
            return Ok(None);
        }
        self.own
            .get(initiative_id)
            .cloned()
            .map(Some)
            .ok_or(KioskError::NeedsCode)
    }

    /// May this session repeat this initiative's check (add a check to it)?
    pub fn require_own(&self, store: &Store, initiative_id: &str) -> Result<(), KioskError> {
        self.visible_from(store, initiative_id).map(|_| ())
    }

    /// May this session see this check of this initiative?
    pub fn require_check(
        &self,
        store: &Store,
        initiative_id: &str,
        created_at: &str,
    ) -> Result<(), KioskError> {
        match self.visible_from(store, initiative_id)? {
            Some(from) if created_at < from.as_str() => Err(KioskError::NeedsCode),
            _ => Ok(()),
        }
    }

    /// Marks a check this person just made as theirs: they may see it, and later ones.
    pub fn claim(&mut self, initiative_id: &str, created_at: &str) {
        let from = self
            .own
            .entry(initiative_id.to_string())
            .or_insert_with(|| created_at.to_string());
        if created_at < from.as_str() {
            *from = created_at.to_string();
        }
    }

    /// Opens the check a return code was given for (and later checks of its initiative); returns
    /// the initiative's id. Wrong codes are counted per machine, in the database; a code older
    /// than the retention period has expired with its check.
    pub fn redeem(&mut self, store: &Store, code: &str) -> Result<String, KioskError> {
        self.redeem_at(store, code, time::OffsetDateTime::now_utc())
    }

    /// `redeem` on a clock of the caller's (the tests' injected time).
    fn redeem_at(
        &mut self,
        store: &Store,
        code: &str,
        now: time::OffsetDateTime,
    ) -> Result<String, KioskError> {
        let oldest = oldest_code(store, now)?;
        let found = store.return_code(&hash_code(code))?.filter(|c| {
            oldest
                .as_deref()
                .map_or(true, |o| c.created_at.as_str() >= o)
        });
        let refused = judge_code_try(store, found.is_some(), now)?;
        let ReturnCode {
            initiative_id,
            check_id,
            created_at: issued_at,
        } = match (found, refused) {
            (Some(found), None) => found,
            (_, refused) => return Err(refused.unwrap_or(KioskError::UnknownCode)),
        };
        // The check the code was given for; a code from before schema 6 names none, and opens the
        // checks from a minute before it was made (it was made with its check).
        let check_time: Option<String> = match &check_id {
            Some(id) => store.check_made_at(id)?,
            None => None,
        };
        let from = check_time.unwrap_or_else(|| {
            parse_time(&issued_at).map_or(issued_at.clone(), |t| {
                rfc3339(t - time::Duration::minutes(1))
            })
        });
        self.claim(&initiative_id, &from);
        Ok(initiative_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewCheck;

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
        assert!(matches!(
            session.require_coordinator(&store),
            Err(KioskError::Locked)
        ));
        assert!(matches!(
            session.require_own(&store, "theirs"),
            Err(KioskError::NeedsCode)
        ));
        session.claim("mine", "2026-01-01T00:00:00Z");
        session.require_own(&store, "mine").unwrap();
        assert!(matches!(
            session.unlock(&store, "0000"),
            Err(KioskError::Settings(_))
        ));
        session.unlock(&store, "2468").unwrap();
        session.require_coordinator(&store).unwrap();
        session.end();
        assert!(matches!(
            session.require_coordinator(&store),
            Err(KioskError::Locked)
        ));
        assert!(
            matches!(
                session.require_own(&store, "mine"),
                Err(KioskError::NeedsCode)
            ),
            "Klaar forgets"
        );
    }

    /// An initiative with two checks made a day apart; returns (initiative, first check, second).
    fn two_checks(
        store: &mut Store,
    ) -> (String, crate::store::StoredCheck, crate::store::StoredCheck) {
        use crate::store::{CheckTarget, NewInitiative};
        let new = NewInitiative {
            name: "Buurttuin".into(),
            description: None,
            lat: 52.09,
            lon: 5.12,
            location: crate::geo::Location {
                municipality: None,
                province: None,
                wijk: None,
                approximate: false,
            },
            target_groups: vec![],
        };
        let none = crate::model::Answers::new();
        let (initiative, first) = store
            .save_check(
                CheckTarget::New(&new),
                &NewCheck::single(crate::model::Role::Resident, none.clone()),
            )
            .unwrap();
        store
            .connection()
            .execute(
                "UPDATE initiatives SET created_at = '2026-01-01T00:00:00Z'",
                [],
            )
            .unwrap();
        let (_, second) = store
            .save_check(
                CheckTarget::Existing(&initiative.id),
                &NewCheck::single(crate::model::Role::Resident, none.clone()),
            )
            .unwrap();
        (initiative.id, first, second)
    }

    #[test]
    fn a_return_code_opens_its_own_check_and_later_ones_only() {
        let mut store = kiosk_store();
        let (initiative, first, second) = two_checks(&mut store);
        let code = issue_code(&store, &initiative, &second.id).unwrap();
        assert!(code.len() == 9 && code.as_bytes()[4] == b'-', "{code}");
        let stored: String = store
            .connection()
            .query_row("SELECT code_hash FROM return_codes", [], |r| r.get(0))
            .unwrap();
        assert!(!stored.contains(&code[..4]), "only the hash is kept");
        let mut session = Session::new();
        assert!(matches!(
            session.redeem(&store, "AAAA-BBBB"),
            Err(KioskError::UnknownCode)
        ));
        assert_eq!(
            session
                .redeem(&store, &code.to_lowercase().replace('-', " "))
                .unwrap(),
            initiative
        );
        session.require_own(&store, &initiative).unwrap();
        session
            .require_check(&store, &initiative, &second.created_at)
            .unwrap();
        assert!(first.created_at <= second.created_at);
        if first.created_at < second.created_at {
            assert!(
                matches!(
                    session.require_check(&store, &initiative, &first.created_at),
                    Err(KioskError::NeedsCode)
                ),
                "not the check before, someone else's"
            );
        }
        let from = session.visible_from(&store, &initiative).unwrap();
        let history = crate::selfcheck::history_from(&store, &initiative, from.as_deref())
            .unwrap()
            .unwrap();
        assert!(history
            .checks
            .iter()
            .all(|c| c.created_at >= second.created_at));
        assert!(history.checks.iter().any(|c| c.id == second.id));
    }

    /// A wrong code, then one's own right code, again and again: the right one undoes nothing.
    #[test]
    fn a_right_code_between_wrong_ones_does_not_hold_off_the_lock() {
        let mut store = kiosk_store();
        let (initiative, _, second) = two_checks(&mut store);
        let code = issue_code(&store, &initiative, &second.id).unwrap();
        for _ in 1..FREE_CODE_TRIES {
            assert!(matches!(
                Session::new().redeem(&store, "AAAA-BBBB"),
                Err(KioskError::UnknownCode)
            ));
            assert_eq!(Session::new().redeem(&store, &code).unwrap(), initiative);
        }
        assert!(
            matches!(
                Session::new().redeem(&store, "AAAA-BBBB"),
                Err(KioskError::TooManyCodes { .. })
            ),
            "the wrong codes add up across the right ones"
        );
    }

    /// The leaky bucket on an injected clock: five wrong codes lock, each `CODE_DRAIN` lets
    /// one more try through, and an hour's quiet forgives all five. A new session each time, as
    /// after "Klaar" or a restart: the count is the machine's.
    #[test]
    fn wrong_codes_drain_away_one_per_interval() {
        let mut store = kiosk_store();
        let (initiative, _, second) = two_checks(&mut store);
        let code = issue_code(&store, &initiative, &second.id).unwrap();
        let t0 = time::macros::datetime!(2030-01-01 12:00 UTC);
        let at = |minutes: i64| t0 + time::Duration::minutes(minutes);
        let wrong = |now| Session::new().redeem_at(&store, "AAAA-BBBB", now);
        for _ in 1..FREE_CODE_TRIES {
            assert!(matches!(wrong(t0), Err(KioskError::UnknownCode)));
        }
        let Err(KioskError::TooManyCodes { until }) = wrong(t0) else {
            panic!("the fifth wrong code locks")
        };
        assert_eq!(parse_time(&until), Some(t0 + CODE_DRAIN));
        let drain = CODE_DRAIN.whole_minutes();
        assert!(
            matches!(
                Session::new().redeem_at(&store, &code, at(drain - 1)),
                Err(KioskError::TooManyCodes { .. })
            ),
            "not yet, not even the right code"
        );
        // One interval on: one try gets through; a wrong one locks again for one interval, and
        // a try refused while locked adds nothing.
        assert_eq!(
            Session::new().redeem_at(&store, &code, at(drain)).unwrap(),
            initiative
        );
        assert!(matches!(
            wrong(at(drain)),
            Err(KioskError::TooManyCodes { until }) if parse_time(&until) == Some(at(2 * drain))
        ));
        assert!(matches!(
            wrong(at(drain + 1)),
            Err(KioskError::TooManyCodes { until }) if parse_time(&until) == Some(at(2 * drain))
        ));
        let quiet = at(2 * drain + i64::from(FREE_CODE_TRIES) * drain);
        for _ in 1..FREE_CODE_TRIES {
            assert!(matches!(wrong(quiet), Err(KioskError::UnknownCode)));
        }
        assert_eq!(
            Session::new().redeem_at(&store, &code, quiet).unwrap(),
            initiative
        );
    }

    #[test]
    fn a_return_code_expires_with_the_retention_period() {
        let mut store = kiosk_store();
        let (initiative, _, second) = two_checks(&mut store);
        let code = issue_code(&store, &initiative, &second.id).unwrap();
        let mut s = settings::load(&store).unwrap();
        s.retention_months = Some(1);
        settings::apply(&store, &s, None).unwrap();
        store
            .connection()
            .execute(
                "UPDATE return_codes SET created_at = '2020-01-01T00:00:00Z'",
                [],
            )
            .unwrap();
        assert!(matches!(
            Session::new().redeem(&store, &code),
            Err(KioskError::UnknownCode)
        ));
    }
}
