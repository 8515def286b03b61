/*! Every limit a person meets, defined once. The core checks them; the faces show them (the app
gets them in its start-up data as `Limits`, so its fields and hints never hold a copy). */
use std::ops::RangeInclusive;

use serde::Serialize;
use ts_rs::TS;

pub const NAME_CHARS: usize = 200;
pub const DESCRIPTION_CHARS: usize = 2000;
pub const CONTACT_CHARS: usize = 200;
pub const TARGET_GROUPS: usize = 20;
pub const TARGET_GROUP_CHARS: usize = 100;
pub const REVIEWER_CHARS: usize = 100;
pub const NOTE_CHARS: usize = 2000;
/// Why a record was erased (kept on the machine that erased it).
pub const ERASURE_REASON_CHARS: usize = 500;
/// A self-check's notes per lesson ("Wat gaat goed?", "Wat kan beter?") and an action's outcome note.
pub const LESSON_NOTE_CHARS: usize = 1000;
/// The action plan: at most three actions, each a short line and an optional who.
pub const ACTIONS: usize = 3;
pub const ACTION_TEXT_CHARS: usize = 300;
pub const ACTION_WHO_CHARS: usize = 80;
/// How many people answer one group self-check at most.
pub const RESPONDENTS: usize = 30;
/// The coordinator's texts in the settings (data controller, retention text).
pub const SETTING_TEXT_CHARS: usize = 200;
/// A machine's name ("Buurthuis De Kolk"), given in the settings and carried by its bundles.
pub const MACHINE_NAME_CHARS: usize = 100;
/// The most machines one bundle names (the exporter and those whose records it passes on).
pub const MACHINES_PER_BUNDLE: usize = 10_000;
pub const FILTER_CHARS: usize = 200;
pub const RETENTION_MONTHS: RangeInclusive<u32> = 1..=120;
pub const TIMEOUT_MINUTES: RangeInclusive<u32> = 1..=60;
pub const PIN_DIGITS: RangeInclusive<usize> = 4..=12;
/// Place suggestions while a person types: how many by default, and at most.
pub const PLACE_SUGGESTIONS: usize = 8;
pub const PLACE_SUGGESTIONS_MAX: usize = 50;
/// A return code as a person may type it: `XXXX-XXXX`, with room for spaces.
pub const RETURN_CODE_CHARS: usize = 12;

/// The limits, for a face to show.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Limits {
    pub name_chars: usize,
    pub description_chars: usize,
    pub contact_chars: usize,
    pub target_groups: usize,
    pub target_group_chars: usize,
    pub reviewer_chars: usize,
    pub note_chars: usize,
    pub setting_text_chars: usize,
    pub filter_chars: usize,
    pub retention_months_max: u32,
    pub timeout_minutes_min: u32,
    pub timeout_minutes_max: u32,
    pub pin_digits_min: usize,
    pub pin_digits_max: usize,
    pub return_code_chars: usize,
    pub lesson_note_chars: usize,
    pub actions: usize,
    pub action_text_chars: usize,
    pub action_who_chars: usize,
    pub respondents: usize,
    pub machine_name_chars: usize,
    pub erasure_reason_chars: usize,
}

pub fn limits() -> Limits {
    Limits {
        name_chars: NAME_CHARS,
        description_chars: DESCRIPTION_CHARS,
        contact_chars: CONTACT_CHARS,
        target_groups: TARGET_GROUPS,
        target_group_chars: TARGET_GROUP_CHARS,
        reviewer_chars: REVIEWER_CHARS,
        note_chars: NOTE_CHARS,
        setting_text_chars: SETTING_TEXT_CHARS,
        filter_chars: FILTER_CHARS,
        retention_months_max: *RETENTION_MONTHS.end(),
        timeout_minutes_min: *TIMEOUT_MINUTES.start(),
        timeout_minutes_max: *TIMEOUT_MINUTES.end(),
        pin_digits_min: *PIN_DIGITS.start(),
        pin_digits_max: *PIN_DIGITS.end(),
        return_code_chars: RETURN_CODE_CHARS,
        lesson_note_chars: LESSON_NOTE_CHARS,
        actions: ACTIONS,
        action_text_chars: ACTION_TEXT_CHARS,
        action_who_chars: ACTION_WHO_CHARS,
        respondents: RESPONDENTS,
        machine_name_chars: MACHINE_NAME_CHARS,
        erasure_reason_chars: ERASURE_REASON_CHARS,
    }
}
