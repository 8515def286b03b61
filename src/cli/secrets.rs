//! PINs and passwords on the command line: never taken from the arguments, which everyone on the
//! machine can read in the process list and which shells keep in their history.
//!
//! A PIN comes, in this order, from its environment variable (`WIJKKOMPAS_PIN` for the current
//! one, `WIJKKOMPAS_NEW_PIN` for a new one); else, when standard input is a terminal, from a
//! prompt that does not show what is typed (a new PIN is typed twice); else from one line of
//! standard input, the current PIN's line before the new one's. A database address that holds a
//! password is refused: the password comes from `PGPASSWORD`.
use std::io::{BufRead, IsTerminal};

use crate::model::Lang;

use super::CliError;

pub(super) const PIN_VAR: &str = "WIJKKOMPAS_PIN";
pub(super) const NEW_PIN_VAR: &str = "WIJKKOMPAS_NEW_PIN";

/// Where the PINs come from, as the help of `settings` and `sync` says it.
pub(super) const PIN_HELP: &str =
    "PINs are never given as arguments. The coordinator's current PIN \
    (asked while kiosk mode is on) comes from $WIJKKOMPAS_PIN, a new one (--new-pin) from \
    $WIJKKOMPAS_NEW_PIN. When the variable is not set, the PIN is asked for on the terminal \
    without showing it (a new one twice), or, when standard input is not a terminal, read as \
    one line from it: the current PIN's line first, then the new one's. A database's password \
    comes only from $PGPASSWORD: an address that holds one is refused.";

/// Which PIN is asked for.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Pin {
    Current,
    New,
}

impl Pin {
    fn variable(self) -> &'static str {
        match self {
            Pin::Current => PIN_VAR,
            Pin::New => NEW_PIN_VAR,
        }
    }

    fn prompt(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Pin::Current, Lang::Nl) => "Pincode van de coördinator: ",
            (Pin::Current, Lang::En) => "Coordinator PIN: ",
            (Pin::New, Lang::Nl) => "Nieuwe pincode: ",
            (Pin::New, Lang::En) => "New PIN: ",
        }
    }
}

/// Reads a PIN from where [`PIN_HELP`] says; a PIN that is empty or cannot be read is missing.
pub(super) fn read_pin(which: Pin, lang: Lang) -> Result<String, CliError> {
    let missing = || CliError::PinMissing {
        variable: which.variable(),
    };
    let pin = match std::env::var(which.variable()) {
        Ok(pin) => pin,
        Err(_) if std::io::stdin().is_terminal() => {
            let pin = rpassword::prompt_password(which.prompt(lang)).map_err(|_| missing())?;
            if which == Pin::New {
                let again = match lang {
                    Lang::Nl => "Nog een keer: ",
                    Lang::En => "Again: ",
                };
                if rpassword::prompt_password(again).map_err(|_| missing())? != pin {
                    return Err(CliError::PinsDiffer);
                }
            }
            pin
        }
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|_| missing())?;
            line
        }
    };
    let pin = pin.trim();
    if pin.is_empty() {
        return Err(missing());
    }
    Ok(pin.to_string())
}

/// Refuses a database address that holds a password, without repeating the address: the
/// password would stay in the process list and the shell's history. One that cannot be read at
/// all is left to the sync, which says so without repeating it either.
pub(super) fn refuse_password_in_url(url: &str) -> Result<(), CliError> {
    match url.parse::<postgres::Config>() {
        Ok(config) if config.get_password().is_some() => Err(CliError::PasswordInUrl),
        _ => Ok(()),
    }
}
