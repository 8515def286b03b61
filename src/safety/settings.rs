/*! The machine's settings, kept in the database: kiosk mode and its coordinator PIN, the
municipality's public key for encrypted exports, the inactivity timeout, retention and location
rounding. The PIN is stored only as an Argon2 hash; wrong tries are counted and, past a limit,
lock PIN entry for a while. */
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

use crate::content::limits;
use crate::model::Lang;
use crate::safety::crypto;
use crate::store::{Store, StoreError};

/// Wrong PIN tries before PIN entry is locked.
pub const MAX_PIN_TRIES: u32 = 5;
/// How long PIN entry stays locked after too many wrong tries.
pub const PIN_LOCK_MINUTES: i64 = 5;
pub const DEFAULT_TIMEOUT_MINUTES: u32 = 5;

#[derive(Debug, Error)]
pub enum SettingsError {
    #[error("a PIN has 4 to 12 digits")]
    BadPin,
    #[error("the PIN is not right ({left} tries left)")]
    WrongPin { left: u32 },
    #[error("too many wrong PINs; try again after {until}")]
    Locked { until: String },
    #[error("no coordinator PIN has been set")]
    NoPin,
    #[error("set a coordinator PIN before turning kiosk mode on")]
    KioskNeedsPin,
    #[error("the inactivity timeout is 1 to 60 minutes")]
    BadTimeout,
    #[error("the retention period is 1 to 120 months")]
    BadRetention,
    #[error("the machine's name {0}")]
    MachineName(crate::content::text::TextError),
    #[error("{0} is at most {1} characters")]
    TooLong(&'static str, usize),
    #[error("the shared database's address cannot be read")]
    SyncUrl,
    #[error("the shared database's address holds a password: leave it out (it is asked for at each sync)")]
    SyncUrlWithPassword,
    #[error("\"{0}\" is not a printer's name")]
    PrinterName(String),
    #[error(transparent)]
    Key(#[from] crypto::CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Settings as the app shows and edits them (never the PIN or its hash).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Settings {
    pub kiosk: bool,
    pub has_pin: bool,
    pub timeout_minutes: u32,
    /// The municipality's public key; bundles from a kiosk are encrypted to it.
    pub public_key: Option<String>,
    /// Self-checks older than this many months are purged; None keeps everything.
    pub retention_months: Option<u32>,
    /// Store initiatives' locations rounded to about 100 m.
    pub round_location: bool,
    /// Ask for an optional contact, with consent; off by default.
    pub contact_enabled: bool,
    /// Who is responsible for the data (named in the consent text).
    pub controller: String,
    /// How long contact details are kept (named in the consent text).
    pub contact_retention: String,
    /// This machine's name ("Buurthuis De Kolk"), carried by its bundles so that a municipality
    /// sees where records came from.
    pub machine_name: String,
    /// This machine's id, made once; shown, never changed (a change in `save` is ignored).
    pub machine_id: String,
    /// The shared PostgreSQL database this machine syncs with ("" for none): an address without
    /// a password, which is asked for at each sync and never stored.
    pub sync_url: String,
    /// The printer a kiosk prints residents' reports on, by its CUPS name (None: no printing on
    /// a kiosk, and so no file or print dialog for a resident either).
    pub printer: Option<String>,
}

const KIOSK: &str = "kiosk";
const PIN_HASH: &str = "pin_hash";
const PIN_FAILURES: &str = "pin_failures";
const PIN_LOCKED_UNTIL: &str = "pin_locked_until";
const TIMEOUT: &str = "timeout_minutes";
const PUBLIC_KEY: &str = "public_key";
const RETENTION: &str = "retention_months";
const ROUND: &str = "round_location";
const CONTACT: &str = "contact_enabled";
const CONTROLLER: &str = "controller";
const CONTACT_RETENTION: &str = "contact_retention";
const SYNC_URL: &str = "sync_url";
const PRINTER: &str = "printer";

fn flag(store: &Store, key: &str) -> Result<bool, StoreError> {
    Ok(store.setting(key)?.as_deref() == Some("1"))
}

pub fn load(store: &Store) -> Result<Settings, StoreError> {
    Ok(Settings {
        kiosk: flag(store, KIOSK)?,
        has_pin: store.setting(PIN_HASH)?.is_some(),
        timeout_minutes: store
            .setting(TIMEOUT)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_TIMEOUT_MINUTES),
        public_key: store.setting(PUBLIC_KEY)?.filter(|k| !k.is_empty()),
        retention_months: store.setting(RETENTION)?.and_then(|v| v.parse().ok()),
        round_location: flag(store, ROUND)?,
        contact_enabled: flag(store, CONTACT)?,
        controller: store.setting(CONTROLLER)?.unwrap_or_default(),
        contact_retention: store.setting(CONTACT_RETENTION)?.unwrap_or_default(),
        machine_name: store
            .setting(crate::store::provenance::MACHINE_NAME)?
            .unwrap_or_default(),
        machine_id: store.db().this_machine()?.id,
        sync_url: store.setting(SYNC_URL)?.unwrap_or_default(),
        printer: store.setting(PRINTER)?.filter(|p| !p.is_empty()),
    })
}

/// Saves everything but the PIN, checking each value first; all or nothing.
pub fn save(store: &Store, s: &Settings) -> Result<(), SettingsError> {
    apply(store, s, None)
}

/// Sets a new coordinator PIN.
pub fn set_pin(store: &Store, pin: &str) -> Result<(), SettingsError> {
    apply(store, &load(store)?, Some(pin))
}

/// Checks every value, the PIN's form and the rule that a kiosk needs a PIN (set before, or
/// given now), and only then writes them all in one transaction: a refused change changes
/// nothing. The one place both faces change settings through.
pub fn apply(store: &Store, s: &Settings, pin: Option<&str>) -> Result<(), SettingsError> {
    check(s)?;
    let sync_url = s.sync_url.trim();
    let pin_hash = pin.map(hash_pin).transpose()?;
    if s.kiosk && pin_hash.is_none() && store.setting(PIN_HASH)?.is_none() {
        return Err(SettingsError::KioskNeedsPin);
    }
    let flag = |on: bool| if on { "1" } else { "0" };
    let timeout = s.timeout_minutes.to_string();
    let retention = s
        .retention_months
        .map(|m| m.to_string())
        .unwrap_or_default();
    let mut rows: Vec<(&str, &str)> = vec![
        (KIOSK, flag(s.kiosk)),
        (TIMEOUT, &timeout),
        (
            PUBLIC_KEY,
            s.public_key.as_deref().map(str::trim).unwrap_or(""),
        ),
        (RETENTION, &retention),
        (ROUND, flag(s.round_location)),
        (CONTACT, flag(s.contact_enabled)),
        (CONTROLLER, s.controller.trim()),
        (CONTACT_RETENTION, s.contact_retention.trim()),
        (
            crate::store::provenance::MACHINE_NAME,
            s.machine_name.trim(),
        ),
        (SYNC_URL, sync_url),
        (PRINTER, s.printer.as_deref().map(str::trim).unwrap_or("")),
    ];
    if let Some(hash) = &pin_hash {
        rows.push((PIN_HASH, hash));
        rows.push((PIN_FAILURES, "0"));
    }
    store.set_settings(&rows)?;
    Ok(())
}

/// The settings' own rules, each value on its own: ranges, lengths, the key's form, an address
/// without a password.
fn check(s: &Settings) -> Result<(), SettingsError> {
    if !limits::TIMEOUT_MINUTES.contains(&s.timeout_minutes) {
        return Err(SettingsError::BadTimeout);
    }
    if s.retention_months
        .is_some_and(|m| !limits::RETENTION_MONTHS.contains(&m))
    {
        return Err(SettingsError::BadRetention);
    }
    if let Some(k) = &s.public_key {
        crypto::parse_public_key(k)?;
    }
    for (name, text) in [
        ("controller", &s.controller),
        ("contact_retention", &s.contact_retention),
    ] {
        if text.chars().count() > limits::SETTING_TEXT_CHARS {
            return Err(SettingsError::TooLong(name, limits::SETTING_TEXT_CHARS));
        }
    }
    if s.machine_name.chars().count() > limits::MACHINE_NAME_CHARS {
        return Err(SettingsError::TooLong(
            "machine_name",
            limits::MACHINE_NAME_CHARS,
        ));
    }
    crate::content::text::check(
        "machine_name",
        &s.machine_name,
        crate::content::text::Lines::One,
    )
    .map_err(SettingsError::MachineName)?;
    if let Some(p) = s
        .printer
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        if !printer_name_ok(p) {
            return Err(SettingsError::PrinterName(p.to_string()));
        }
    }
    let sync_url = s.sync_url.trim();
    if !sync_url.is_empty() {
        let config: postgres::Config = sync_url.parse().map_err(|_| SettingsError::SyncUrl)?;
        if config.get_password().is_some() {
            return Err(SettingsError::SyncUrlWithPassword);
        }
    }
    Ok(())
}

/// A name CUPS could have given a printer: printable, without spaces, slashes, quotes or '#'
/// (CUPS's own rule), at most 127 bytes, and not starting with '-' (lp would read an option).
pub fn printer_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 127
        && !name.starts_with('-')
        && name.chars().all(|c| {
            !c.is_control() && !c.is_whitespace() && !matches!(c, '/' | '#' | '\\' | '\'' | '"')
        })
}

/// A new PIN's Argon2 hash, once it has the digits a PIN has.
fn hash_pin(pin: &str) -> Result<String, SettingsError> {
    if !limits::PIN_DIGITS.contains(&pin.len()) || !pin.chars().all(|c| c.is_ascii_digit()) {
        return Err(SettingsError::BadPin);
    }
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map_err(|_| SettingsError::BadPin)?
        .to_string())
}

fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .expect("UTC times format")
}

fn locked_until(until: Option<String>, now: time::OffsetDateTime) -> Option<String> {
    until.filter(|u| {
        time::OffsetDateTime::parse(u, &time::format_description::well_known::Rfc3339)
            .is_ok_and(|t| t > now)
    })
}

/// Checks the coordinator PIN, counting wrong tries and locking entry after too many.
///
/// The PIN is hashed first, outside any lock (Argon2 is slow on purpose); then one IMMEDIATE
/// transaction reads the lock and the count, judges the try and writes the new count. Tries made
/// at once (other windows, other processes) therefore queue there one by one: each wrong one is
/// counted, and once the lock is set no try is judged, the right PIN included.
pub fn verify_pin(store: &Store, pin: &str) -> Result<(), SettingsError> {
    let hash = store.setting(PIN_HASH)?.ok_or(SettingsError::NoPin)?;
    // Locked already: refused without the cost of hashing.
    if let Some(until) = locked_until(store.setting(PIN_LOCKED_UNTIL)?, now()) {
        return Err(SettingsError::Locked { until });
    }
    let parsed = PasswordHash::new(&hash).map_err(|_| SettingsError::NoPin)?;
    let right = Argon2::default()
        .verify_password(pin.as_bytes(), &parsed)
        .is_ok();
    store.decide_on_settings(|tx| {
        let now = now();
        if let Some(until) = locked_until(tx.get(PIN_LOCKED_UNTIL)?, now) {
            return Ok(Err(SettingsError::Locked { until }));
        }
        // The PIN may have been changed while this try was hashed: judged against the old one,
        // it is judged by nothing.
        if tx.get(PIN_HASH)?.as_deref() != Some(hash.as_str()) {
            return Ok(Err(SettingsError::WrongPin {
                left: MAX_PIN_TRIES,
            }));
        }
        if right {
            tx.set(PIN_FAILURES, "0")?;
            tx.set(PIN_LOCKED_UNTIL, "")?;
            return Ok(Ok(()));
        }
        let failures = tx
            .get(PIN_FAILURES)?
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
            + 1;
        if failures >= MAX_PIN_TRIES {
            let until = rfc3339(now + time::Duration::minutes(PIN_LOCK_MINUTES));
            tx.set(PIN_FAILURES, "0")?;
            tx.set(PIN_LOCKED_UNTIL, &until)?;
            return Ok(Err(SettingsError::Locked { until }));
        }
        tx.set(PIN_FAILURES, &failures.to_string())?;
        Ok(Err(SettingsError::WrongPin {
            left: MAX_PIN_TRIES - failures,
        }))
    })?
}

/// The key under which the app remembers the screen language.
const LANGUAGE_KEY: &str = "language";

/// The remembered screen language; Dutch when none was chosen.
pub fn language(store: &Store) -> Result<Lang, StoreError> {
    Ok(store
        .setting(LANGUAGE_KEY)?
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_default())
}

/// Remembers the screen language for the next start.
pub fn set_language(store: &Store, lang: Lang) -> Result<(), StoreError> {
    store.set_setting(
        LANGUAGE_KEY,
        match lang {
            Lang::Nl => "nl",
            Lang::En => "en",
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pin_is_hashed_and_wrong_tries_lock_entry() {
        let store = Store::open_in_memory().unwrap();
        assert!(matches!(
            verify_pin(&store, "1234"),
            Err(SettingsError::NoPin)
        ));
        assert!(matches!(
            set_pin(&store, "12a4"),
            Err(SettingsError::BadPin)
        ));
        set_pin(&store, "2468").unwrap();
        let stored = store.setting(PIN_HASH).unwrap().unwrap();
        assert!(stored.starts_with("$argon2") && !stored.contains("2468"));
        verify_pin(&store, "2468").unwrap();
        for left in (1..MAX_PIN_TRIES).rev() {
            assert!(
                matches!(verify_pin(&store, "0000"), Err(SettingsError::WrongPin { left: l }) if l == left)
            );
        }
        assert!(matches!(
            verify_pin(&store, "0000"),
            Err(SettingsError::Locked { .. })
        ));
        assert!(
            matches!(
                verify_pin(&store, "2468"),
                Err(SettingsError::Locked { .. })
            ),
            "even the right PIN waits"
        );
    }

    /// Forty tries at once, each through its own connection to one file (as forty processes
    /// would): every wrong PIN is counted once, and after the limit no try is judged at all.
    #[test]
    fn forty_wrong_pins_at_once_are_each_counted_and_none_passes_the_lock() {
        const TRIES: u32 = 40;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wijkkompas.db");
        set_pin(&Store::open(&path).unwrap(), "2468").unwrap();
        drop(Store::open(&path).unwrap()); // the day's backup, made before the race
        let start = std::sync::Barrier::new(TRIES as usize);
        let outcomes: Vec<Result<(), SettingsError>> = std::thread::scope(|s| {
            let tries: Vec<_> = (0..TRIES)
                .map(|i| {
                    let (path, start) = (&path, &start);
                    s.spawn(move || {
                        let store = Store::open(path).unwrap();
                        start.wait();
                        verify_pin(&store, &format!("{:04}", 1000 + i))
                    })
                })
                .collect();
            tries.into_iter().map(|t| t.join().unwrap()).collect()
        });
        let mut left: Vec<u32> = outcomes
            .iter()
            .filter_map(|o| match o {
                Err(SettingsError::WrongPin { left }) => Some(*left),
                _ => None,
            })
            .collect();
        left.sort_unstable();
        assert_eq!(
            left,
            (1..MAX_PIN_TRIES).collect::<Vec<_>>(),
            "each wrong PIN counted once: {outcomes:?}"
        );
        let locked = outcomes
            .iter()
            .filter(|o| matches!(o, Err(SettingsError::Locked { .. })))
            .count() as u32;
        assert_eq!(locked, TRIES - (MAX_PIN_TRIES - 1), "{outcomes:?}");
        assert!(
            matches!(
                verify_pin(&Store::open(&path).unwrap(), "2468"),
                Err(SettingsError::Locked { .. })
            ),
            "the lock holds, even for the right PIN"
        );
    }

    #[test]
    fn settings_are_checked_and_kept() {
        let store = Store::open_in_memory().unwrap();
        let mut s = load(&store).unwrap();
        assert!(!s.kiosk && s.timeout_minutes == DEFAULT_TIMEOUT_MINUTES && s.public_key.is_none());
        s.timeout_minutes = 0;
        assert!(matches!(save(&store, &s), Err(SettingsError::BadTimeout)));
        s.timeout_minutes = 3;
        s.public_key = Some("not a key".into());
        assert!(matches!(save(&store, &s), Err(SettingsError::Key(_))));
        s.public_key = Some(crypto::generate().1);
        s.kiosk = true;
        s.retention_months = Some(24);
        assert!(
            matches!(save(&store, &s), Err(SettingsError::KioskNeedsPin)),
            "a kiosk needs a PIN"
        );
        assert_eq!(
            load(&store).unwrap(),
            Settings {
                kiosk: false,
                ..load(&store).unwrap()
            },
            "and nothing was written"
        );
        assert_eq!(
            load(&store).unwrap().timeout_minutes,
            DEFAULT_TIMEOUT_MINUTES
        );
        s.printer = Some("-d other".into());
        assert!(matches!(
            save(&store, &s),
            Err(SettingsError::PrinterName(_))
        ));
        s.printer = Some("Buurthuis-Kleur".into());
        apply(&store, &s, Some("2468")).unwrap();
        s.has_pin = true;
        assert_eq!(load(&store).unwrap(), s);
        s.printer = None;
        save(&store, &s).unwrap();
        assert_eq!(
            load(&store).unwrap().printer,
            None,
            "the choice can be undone"
        );
    }
}
