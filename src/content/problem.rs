/*! What went wrong, as data: a kind and its values, never prose. Each face words a problem in the
person's language: the app from its catalogues, the CLI in `--lang`, both from the wording in
`data/problems.json`. Every error type of the core says which problem it is ([`Explain`]); its
English `Display` stays for logs. */
use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalog::{Lang, Localized};

/// One list makes the kinds, their `ALL` and their keys (a kind missing from the catalogue
/// fails the test below).
macro_rules! kinds {
    ($($kind:ident),* $(,)?) => {
        /// The kinds of problem; each has a Dutch and an English wording in `data/problems.json`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
        #[ts(export)]
        #[allow(non_camel_case_types)]
        pub enum Kind {
            $($kind),*
        }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$kind),*];

            /// The kind's key in the catalogue (and in the JSON the UI gets).
            pub fn key(self) -> &'static str {
                match self {
                    $(Kind::$kind => stringify!($kind)),*
                }
            }
        }
    };
}

kinds! {
    output_is_database,
    output_exists,
    output_write,
    kiosk_locked,
    kiosk_needs_code,
    kiosk_unknown_code,
    kiosk_too_many_codes,
    backup_io,
    backup_copy,
    backup_unusable,
    backup_not_listed,
    text_control,
    text_bidi,
    text_invisible,
    text_too_long,
    geo_latitude,
    geo_longitude,
    unknown_municipality,
    unknown_wijk,
    no_wijken,
    page_size,
    filter_too_long,
    export_csv,
    retention_period,
    erasure_no_reason,
    erasure_reason_too_long,
    erasure_unknown,
    check_initiative_erased,
    retention_not_set,
    purge_time_out_of_range,
    bad_time,
    report_layout,
    report_pdf,
    report_pdf_draw,
    report_pdf_settings,
    report_pdf_font,
    report_pdf_rules,
    store_too_new,
    store_open,
    store_folder,
    store_no_location,
    store_migration,
    store_not_ours,
    store_move_aside,
    store_refused,
    store_read_only,
    store_busy,
    store_disk_full,
    figures_later,
    store_reading_only,
    store_cannot_save_here,
    unknown_initiative,
    unknown_action,
    files_rejected,
    status_not_allowed_for,
    unknown_session,
    session_full,
    session_too_small,
    answers_and_respondents,
    no_respondents,
    too_many_respondents,
    unknown_lesson,
    too_many_actions,
    action_text_missing,
    bad_due_date,
    duplicate_outcome,
    role_missing,
    unknown_check,
    crypto_bad_public_key,
    crypto_bad_identity,
    crypto_needs_key,
    crypto_wrong_key,
    crypto_damaged,
    crypto_write_key,
    read_file,
    pin_format,
    pin_wrong,
    pin_locked,
    pin_not_set,
    kiosk_needs_pin,
    timeout_range,
    setting_too_long,
    unknown_statement,
    answer_out_of_range,
    mixed_statement_sets,
    round_mixed_statement_sets,
    name_missing,
    place_missing,
    too_many_target_groups,
    unknown_role,
    no_consent,
    bad_initiative_id,
    unknown_status,
    status_not_allowed,
    reviewer_missing,
    note_too_long,
    bundle_not_a_bundle,
    bundle_version,
    bundle_invalid,
    bundle_not_text,
    bundle_too_large,
    bundle_too_many_records,
    bundle_read,
    bundle_changed,
    bundle_send_bytes,
    input_invalid,
    input_not_text,
    input_too_large,
    write_output,
    report_needs_choice,
    store_unavailable,
    file_choice,
    bundle_structure,
    missing_field,
    unknown_field,
    must_be_text,
    id_twice,
    not_a_uuid,
    uuid_spelling,
    text_empty,
    time_in_future,
    bundle_unknown_machine,
    bundle_orphan,
    foreign_unreadable,
    foreign_not_sqlite,
    foreign_other_program,
    foreign_other_tables,
    sync_url,
    sync_connect,
    sync_server,
    sync_schema_too_new,
    sync_no_schema,
    sync_record_unreadable,
    sync_orphan,
    sync_busy,
    sync_no_postgis,
    sync_certificate,
    sync_root_certificate,
    sync_machine_taken,
    bundle_from_this_machine,
    sync_url_password,
    sync_not_set,
    pin_missing,
    pins_differ,
    url_password,
}

/// A problem: its kind, and the values its wording needs, by placeholder name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Problem {
    pub kind: Kind,
    pub values: BTreeMap<String, String>,
    /// The more precise problem this one stands on (a bundle rejected because of one rule):
    /// worded in place of `{cause}`.
    pub cause: Option<Box<Problem>>,
}

impl Problem {
    pub fn new(kind: Kind) -> Problem {
        Problem {
            kind,
            values: BTreeMap::new(),
            cause: None,
        }
    }

    pub fn because(mut self, cause: Problem) -> Problem {
        self.cause = Some(Box::new(cause));
        self
    }

    pub fn with(mut self, name: &str, value: impl ToString) -> Problem {
        self.values.insert(name.to_string(), value.to_string());
        self
    }

    /// The problem in words, in `lang`.
    pub fn words(&self, lang: Lang) -> String {
        let c = catalogue();
        let Some(template) = c.problems.get(self.kind.key()) else {
            return self.kind.key().to_string();
        };
        let mut text = template.get(lang).to_string();
        for (name, value) in &self.values {
            let shown = match c.terms.get(value) {
                Some(term) if c.term_placeholders.contains(name) => term.get(lang),
                _ => value.as_str(),
            };
            text = text.replace(&format!("{{{name}}}"), shown);
        }
        if let Some(cause) = &self.cause {
            text = text.replace("{cause}", &cause.words(lang));
        }
        text
    }
}

/// Says which problem an error is.
pub trait Explain {
    fn problem(&self) -> Problem;
}

#[derive(Deserialize)]
struct Catalogue {
    /// The placeholders whose values are keys of `terms` (a field's name, a review status).
    term_placeholders: Vec<String>,
    problems: BTreeMap<String, Localized>,
    terms: BTreeMap<String, Localized>,
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        serde_json::from_str(include_str!("../../data/problems.json"))
            .expect("data/problems.json is valid (checked by its test)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_worded_in_both_languages_and_nothing_else_is() {
        let c = catalogue();
        let keys: Vec<String> = Kind::ALL.iter().map(|k| k.key().to_string()).collect();
        // The key is what serde writes: the UI looks the same key up.
        for k in Kind::ALL {
            assert_eq!(serde_json::to_value(k).unwrap(), k.key(), "{k:?}");
        }
        for key in &keys {
            let text = c
                .problems
                .get(key)
                .unwrap_or_else(|| panic!("{key} has no wording"));
            assert!(
                !text.nl.is_empty() && !text.en.is_empty() && text.nl != text.en,
                "{key}"
            );
            // The same placeholders in both languages.
            let holes = |s: &str| {
                let mut h: Vec<String> = s
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split('}').next())
                    .map(str::to_string)
                    .collect();
                h.sort();
                h
            };
            assert_eq!(holes(&text.nl), holes(&text.en), "{key}");
        }
        assert_eq!(c.problems.len(), keys.len(), "a wording without a kind");
    }

    #[test]
    fn a_problem_is_worded_with_its_values_and_terms() {
        let p = Problem::new(Kind::status_not_allowed)
            .with("from", "new")
            .with("to", "published");
        assert_eq!(
            p.words(Lang::Nl),
            "Een initiatief kan niet van nieuw naar gepubliceerd."
        );
        assert_eq!(
            p.words(Lang::En),
            "An initiative cannot go from new to published."
        );
        let p = Problem::new(Kind::text_too_long)
            .with("field", "name")
            .with("length", 201)
            .with("max", 200);
        assert_eq!(
            p.words(Lang::Nl),
            "De naam is 201 tekens lang; de grens is 200."
        );
    }
}

// Which problem each error of the core is. Kept here, beside the kinds, so that one file shows
// what every error says; the errors' own modules stay free of wording.

use crate::area::AreaError;
use crate::assess::AssessError;
use crate::backup::BackupError;
use crate::crypto::CryptoError;
use crate::erasure::ErasureError;
use crate::exchange::{ExchangeError, MAX_BUNDLE_BYTES, MAX_RECORDS, VERSION};
use crate::export::ExportError;
use crate::geo::GeoError;
use crate::kiosk::KioskError;
use crate::output::OutputError;
use crate::report::ReportError;
use crate::retention::RetentionError;
use crate::review::{ReviewError, MAX_NOTE_CHARS, MAX_REVIEWER_CHARS};
use crate::selfcheck::{SelfCheckError, MAX_TARGET_GROUPS};
use crate::settings::SettingsError;
use crate::store::StoreError;
use crate::text::TextError;

fn path(p: &std::path::Path) -> String {
    p.display().to_string()
}

impl Explain for OutputError {
    fn problem(&self) -> Problem {
        match self {
            OutputError::IsDatabase(p) => {
                Problem::new(Kind::output_is_database).with("path", path(p))
            }
            OutputError::Exists(p) => Problem::new(Kind::output_exists).with("path", path(p)),
            OutputError::Write { path: p, source } => Problem::new(Kind::output_write)
                .with("path", path(p))
                .with("detail", source),
        }
    }
}

impl Explain for KioskError {
    fn problem(&self) -> Problem {
        match self {
            KioskError::Locked => Problem::new(Kind::kiosk_locked),
            KioskError::NeedsCode => Problem::new(Kind::kiosk_needs_code),
            KioskError::UnknownCode => Problem::new(Kind::kiosk_unknown_code),
            KioskError::TooManyCodes { until } => {
                Problem::new(Kind::kiosk_too_many_codes).with("until", until)
            }
            KioskError::Settings(e) => e.problem(),
            KioskError::Store(e) => e.problem(),
        }
    }
}

impl Explain for BackupError {
    fn problem(&self) -> Problem {
        match self {
            BackupError::Io { path: p, source } => Problem::new(Kind::backup_io)
                .with("path", path(p))
                .with("detail", source),
            BackupError::Copy { path: p, source } => Problem::new(Kind::backup_copy)
                .with("path", path(p))
                .with("detail", source),
            BackupError::Unusable(p, why) => Problem::new(Kind::backup_unusable)
                .with("path", path(p))
                .with("detail", why),
            BackupError::NotListed(_) => Problem::new(Kind::backup_not_listed),
        }
    }
}

impl Explain for TextError {
    fn problem(&self) -> Problem {
        match self {
            TextError::Control(field, code) => Problem::new(Kind::text_control)
                .with("field", field)
                .with("code", format!("{code:04X}")),
            TextError::Bidi(field, code) => Problem::new(Kind::text_bidi)
                .with("field", field)
                .with("code", format!("{code:04X}")),
            TextError::Invisible(field) => Problem::new(Kind::text_invisible).with("field", field),
        }
    }
}

impl Explain for GeoError {
    fn problem(&self) -> Problem {
        match self {
            GeoError::InvalidLatitude(v) => Problem::new(Kind::geo_latitude).with("value", v),
            GeoError::InvalidLongitude(v) => Problem::new(Kind::geo_longitude).with("value", v),
            GeoError::UnknownMunicipality(code) => {
                Problem::new(Kind::unknown_municipality).with("code", code)
            }
        }
    }
}

impl Explain for AreaError {
    fn problem(&self) -> Problem {
        match self {
            AreaError::UnknownMunicipality(code) => {
                Problem::new(Kind::unknown_municipality).with("code", code)
            }
            AreaError::PageSize(size) => Problem::new(Kind::page_size)
                .with("size", size)
                .with("max", crate::area::MAX_PAGE),
            AreaError::FilterTooLong => {
                Problem::new(Kind::filter_too_long).with("max", crate::area::MAX_FILTER_CHARS)
            }
            AreaError::Store(e) => e.problem(),
        }
    }
}

impl Explain for ExportError {
    fn problem(&self) -> Problem {
        match self {
            ExportError::Store(e) => e.problem(),
            ExportError::Csv(e) => Problem::new(Kind::export_csv).with("detail", e),
            ExportError::Io(e) => Problem::new(Kind::export_csv).with("detail", e),
            ExportError::Exchange(e) => e.problem(),
            ExportError::Place(e) => e.problem(),
            ExportError::Xlsx(crate::exchange::xlsx::XlsxExportError::Store(e)) => e.problem(),
            ExportError::Xlsx(e) => Problem::new(Kind::export_csv).with("detail", e),
        }
    }
}

impl Explain for RetentionError {
    fn problem(&self) -> Problem {
        match self {
            RetentionError::BadPeriod => Problem::new(Kind::retention_period),
            RetentionError::OutOfRange(time) => {
                Problem::new(Kind::purge_time_out_of_range).with("time", time)
            }
            RetentionError::Store(e) => e.problem(),
        }
    }
}

impl Explain for ErasureError {
    fn problem(&self) -> Problem {
        match self {
            ErasureError::NoReason => Problem::new(Kind::erasure_no_reason),
            ErasureError::ReasonTooLong { length, max } => {
                Problem::new(Kind::erasure_reason_too_long)
                    .with("length", length)
                    .with("max", max)
            }
            ErasureError::Text(e) => e.problem(),
            ErasureError::Unknown(id) => Problem::new(Kind::erasure_unknown).with("id", id),
            ErasureError::Store(e) => e.problem(),
        }
    }
}

impl Explain for ReportError {
    fn problem(&self) -> Problem {
        match self {
            ReportError::Svg(why) => Problem::new(Kind::report_layout).with("detail", why),
            ReportError::Pdf(why) => Problem::new(Kind::report_pdf).with("detail", why),
            ReportError::NoSubject => Problem::new(Kind::report_needs_choice),
            ReportError::Tagged(e) => e.problem(),
        }
    }
}

impl Explain for crate::reports::pdf::PdfError {
    /// Said in the person's language; the library's own words (a font's or a rule's name) stay
    /// as the detail, for whoever looks into it.
    fn problem(&self) -> Problem {
        use crate::reports::pdf::PdfError;
        match self {
            PdfError::Svg(why) => Problem::new(Kind::report_layout).with("detail", why),
            PdfError::Draw => Problem::new(Kind::report_pdf_draw),
            PdfError::Settings => Problem::new(Kind::report_pdf_settings),
            PdfError::Font(why) => Problem::new(Kind::report_pdf_font).with("detail", why),
            PdfError::Rules(why) => Problem::new(Kind::report_pdf_rules).with("detail", why),
            PdfError::Write(why) => Problem::new(Kind::report_pdf).with("detail", why),
        }
    }
}

impl Explain for StoreError {
    fn problem(&self) -> Problem {
        match self {
            StoreError::TooNew {
                path: p,
                found,
                supported,
            } => Problem::new(Kind::store_too_new)
                .with("path", path(p))
                .with("found", found)
                .with("supported", supported),
            StoreError::Open { path: p, source } => Problem::new(Kind::store_open)
                .with("path", path(p))
                .with("detail", source),
            StoreError::Folder { path: p, source } => Problem::new(Kind::store_folder)
                .with("path", path(p))
                .with("detail", source),
            StoreError::Migration(e) => Problem::new(Kind::store_migration).with("detail", e),
            StoreError::UnknownInitiative(id) => {
                Problem::new(Kind::unknown_initiative).with("id", id)
            }
            StoreError::InitiativeRemoved(id) => {
                Problem::new(Kind::check_initiative_erased).with("initiative", id)
            }
            StoreError::UnknownAction(id) => Problem::new(Kind::unknown_action).with("id", id),
            StoreError::NotAllowedFor { name, from, to } => {
                Problem::new(Kind::status_not_allowed_for)
                    .with("name", name)
                    .with("from", from.as_str())
                    .with("to", to.as_str())
            }
            StoreError::UnknownSession(id) => Problem::new(Kind::unknown_session).with("id", id),
            StoreError::SessionFull(max) => Problem::new(Kind::session_full).with("max", max),
            StoreError::Review(e) => e.problem(),
            StoreError::Backup(e) => e.problem(),
            StoreError::NotOurs { path: p, why } => Problem::new(Kind::store_not_ours)
                .with("path", path(p))
                .because(why.problem()),
            StoreError::MoveAside { path: p, source } => Problem::new(Kind::store_move_aside)
                .with("path", path(p))
                .with("detail", source),
            StoreError::ReadOnlyPlace(p) => {
                Problem::new(Kind::store_read_only).with("path", path(p))
            }
            StoreError::ReadingOnly(p) => {
                Problem::new(Kind::store_reading_only).with("path", path(p))
            }
            StoreError::Sqlite(e) => match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                    Problem::new(Kind::store_busy)
                }
                Some(rusqlite::ErrorCode::DiskFull) => Problem::new(Kind::store_disk_full),
                Some(rusqlite::ErrorCode::ReadOnly) => Problem::new(Kind::store_cannot_save_here),
                _ => Problem::new(Kind::store_refused).with("detail", e),
            },
        }
    }
}

impl Explain for crate::store::Foreign {
    fn problem(&self) -> Problem {
        use crate::store::Foreign;
        match self {
            Foreign::Unreadable(e) => Problem::new(Kind::foreign_unreadable).with("detail", e),
            Foreign::NotSqlite => Problem::new(Kind::foreign_not_sqlite),
            Foreign::OtherProgram(id) => {
                Problem::new(Kind::foreign_other_program).with("id", format!("{id:#x}"))
            }
            Foreign::OtherTables => Problem::new(Kind::foreign_other_tables),
        }
    }
}

impl Explain for CryptoError {
    fn problem(&self) -> Problem {
        match self {
            CryptoError::BadPublicKey(key) => {
                Problem::new(Kind::crypto_bad_public_key).with("key", key)
            }
            CryptoError::BadIdentity => Problem::new(Kind::crypto_bad_identity),
            CryptoError::NeedsKey => Problem::new(Kind::crypto_needs_key),
            CryptoError::WrongKey => Problem::new(Kind::crypto_wrong_key),
            CryptoError::Damaged(why) => Problem::new(Kind::crypto_damaged).with("detail", why),
            CryptoError::Write { path: p, source } => Problem::new(Kind::crypto_write_key)
                .with("path", p)
                .with("detail", source),
        }
    }
}

impl Explain for SettingsError {
    fn problem(&self) -> Problem {
        match self {
            SettingsError::BadPin => Problem::new(Kind::pin_format),
            SettingsError::WrongPin { left } => Problem::new(Kind::pin_wrong).with("left", left),
            SettingsError::Locked { until } => Problem::new(Kind::pin_locked).with("until", until),
            SettingsError::NoPin => Problem::new(Kind::pin_not_set),
            SettingsError::KioskNeedsPin => Problem::new(Kind::kiosk_needs_pin),
            SettingsError::BadTimeout => Problem::new(Kind::timeout_range),
            SettingsError::BadRetention => Problem::new(Kind::retention_period),
            SettingsError::MachineName(e) => e.problem(),
            SettingsError::TooLong(field, max) => Problem::new(Kind::setting_too_long)
                .with("field", field)
                .with("max", max),
            SettingsError::SyncUrl => Problem::new(Kind::sync_url),
            SettingsError::SyncUrlWithPassword => Problem::new(Kind::sync_url_password),
            SettingsError::Key(e) => e.problem(),
            SettingsError::Store(e) => e.problem(),
        }
    }
}

impl Explain for AssessError {
    fn problem(&self) -> Problem {
        match self {
            AssessError::UnknownStatement(id) => {
                Problem::new(Kind::unknown_statement).with("id", id)
            }
            AssessError::AnswerOutOfRange { statement, value } => {
                Problem::new(Kind::answer_out_of_range)
                    .with("statement", statement)
                    .with("value", value)
            }
            AssessError::MixedStatementSets => Problem::new(Kind::mixed_statement_sets),
        }
    }
}

impl Explain for SelfCheckError {
    fn problem(&self) -> Problem {
        match self {
            SelfCheckError::Text(e) => e.problem(),
            SelfCheckError::TooLong { field, length, max } => Problem::new(Kind::text_too_long)
                .with("field", field)
                .with("length", length)
                .with("max", max),
            SelfCheckError::NameMissing => Problem::new(Kind::name_missing),
            SelfCheckError::PlaceMissing => Problem::new(Kind::place_missing),
            SelfCheckError::TooManyTargetGroups => {
                Problem::new(Kind::too_many_target_groups).with("max", MAX_TARGET_GROUPS)
            }
            SelfCheckError::UnknownRole(role) => {
                Problem::new(Kind::unknown_role).with("role", role)
            }
            SelfCheckError::NoConsent => Problem::new(Kind::no_consent),
            SelfCheckError::BadId(id) => Problem::new(Kind::bad_initiative_id).with("id", id),
            SelfCheckError::Answer(e) => e.problem(),
            SelfCheckError::Location(e) => e.problem(),
            SelfCheckError::Store(e) => e.problem(),
            SelfCheckError::AnswersAndRespondents => Problem::new(Kind::answers_and_respondents),
            SelfCheckError::NoRespondents => Problem::new(Kind::no_respondents),
            SelfCheckError::TooManyRespondents(n) => Problem::new(Kind::too_many_respondents)
                .with("count", n)
                .with("max", crate::limits::RESPONDENTS),
            SelfCheckError::UnknownLesson(id) => Problem::new(Kind::unknown_lesson).with("id", id),
            SelfCheckError::TooManyActions => {
                Problem::new(Kind::too_many_actions).with("max", crate::limits::ACTIONS)
            }
            SelfCheckError::ActionTextMissing => Problem::new(Kind::action_text_missing),
            SelfCheckError::BadDueDate(d) => Problem::new(Kind::bad_due_date).with("date", d),
            SelfCheckError::UnknownAction(id) => Problem::new(Kind::unknown_action).with("id", id),
            SelfCheckError::DuplicateOutcome(id) => {
                Problem::new(Kind::duplicate_outcome).with("id", id)
            }
            SelfCheckError::RoleMissing => Problem::new(Kind::role_missing),
            SelfCheckError::SessionTooSmall => Problem::new(Kind::session_too_small),
        }
    }
}

impl Explain for ReviewError {
    fn problem(&self) -> Problem {
        match self {
            ReviewError::UnknownStatus(status) => {
                Problem::new(Kind::unknown_status).with("status", status)
            }
            ReviewError::NotAllowed { from, to } => Problem::new(Kind::status_not_allowed)
                .with("from", from.as_str())
                .with("to", to.as_str()),
            ReviewError::Reviewer => {
                Problem::new(Kind::reviewer_missing).with("max", MAX_REVIEWER_CHARS)
            }
            ReviewError::NoteTooLong(n) => Problem::new(Kind::note_too_long)
                .with("length", n)
                .with("max", MAX_NOTE_CHARS),
            ReviewError::Text(e) => e.problem(),
        }
    }
}

impl Explain for ExchangeError {
    fn problem(&self) -> Problem {
        match self {
            ExchangeError::NotABundle(why) => {
                Problem::new(Kind::bundle_not_a_bundle).with("detail", why)
            }
            ExchangeError::UnsupportedVersion(v) => Problem::new(Kind::bundle_version)
                .with("version", v)
                .with("supported", VERSION),
            ExchangeError::Invalid { at, rule } => Problem::new(Kind::bundle_invalid)
                .with(
                    "at",
                    if at.is_empty() {
                        String::new()
                    } else {
                        format!("{at}: ")
                    },
                )
                .because(rule.clone()),
            ExchangeError::Crypto(e) => e.problem(),
            ExchangeError::NotText => Problem::new(Kind::bundle_not_text),
            ExchangeError::TooLarge(size) => Problem::new(Kind::bundle_too_large)
                .with("size", size)
                .with("max", MAX_BUNDLE_BYTES),
            ExchangeError::TooManyRecords => {
                Problem::new(Kind::bundle_too_many_records).with("max", MAX_RECORDS)
            }
            ExchangeError::Read { path: p, source } => Problem::new(Kind::bundle_read)
                .with("path", p)
                .with("detail", source),
            ExchangeError::Changed => Problem::new(Kind::bundle_changed),
            ExchangeError::Store(e) => e.problem(),
        }
    }
}
