/*! Which problem each error of the core is: the one place that words every error, so that one
file shows what each says, and the errors' own modules stay free of wording.

It stands above every module whose errors it words (and nothing but the faces stands above it);
the kinds of problem and their wording in each language are `content::problem`. */
use crate::content::problem::{Explain, Kind, Problem};
use crate::content::text::TextError;
use crate::exchange::export::ExportError;
use crate::exchange::{ExchangeError, NotRegularFile, MAX_BUNDLE_BYTES, MAX_RECORDS, VERSION};
use crate::geo::GeoError;
use crate::municipality::area::AreaError;
use crate::municipality::review::{ReviewError, MAX_NOTE_CHARS, MAX_REVIEWER_CHARS};
use crate::printing::PrintError;
use crate::reports::report::ReportError;
use crate::safety::crypto::CryptoError;
use crate::safety::erasure::ErasureError;
use crate::safety::kiosk::KioskError;
use crate::safety::output::OutputError;
use crate::safety::retention::RetentionError;
use crate::safety::settings::SettingsError;
use crate::selfcheck::assess::AssessError;
use crate::selfcheck::{SelfCheckError, MAX_TARGET_GROUPS};
use crate::store::backup::BackupError;
use crate::store::StoreError;
use crate::sync::SyncError;

fn path(p: &std::path::Path) -> String {
    p.display().to_string()
}

/// An operating system's error in the person's words: the key of a term in
/// `data/problems.json` ("detail" is a term placeholder), never the system's English.
fn io_detail(e: &std::io::Error) -> &'static str {
    let ours = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<NotRegularFile>());
    if ours.is_some() {
        return "io_not_a_regular_file";
    }
    io_kind_detail(e.kind())
}

fn io_kind_detail(kind: std::io::ErrorKind) -> &'static str {
    use std::io::ErrorKind::*;
    match kind {
        NotFound => "io_not_found",
        PermissionDenied => "io_permission_denied",
        ConnectionRefused => "io_connection_refused",
        TimedOut | WouldBlock => "io_timed_out",
        ConnectionReset | ConnectionAborted | NotConnected | BrokenPipe | UnexpectedEof => {
            "io_connection_lost"
        }
        HostUnreachable | NetworkUnreachable | NetworkDown | AddrNotAvailable => "io_unreachable",
        AlreadyExists => "io_already_exists",
        StorageFull | QuotaExceeded | FileTooLarge => "io_storage_full",
        ReadOnlyFilesystem => "io_read_only",
        IsADirectory => "io_is_a_folder",
        NotADirectory => "io_not_a_folder",
        InvalidFilename => "io_invalid_name",
        ResourceBusy | ExecutableFileBusy | Deadlock => "io_busy",
        OutOfMemory => "io_out_of_memory",
        _ => "io_other",
    }
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
                .with("detail", io_detail(source)),
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
                .with("detail", io_detail(source)),
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
                .with("max", crate::municipality::area::MAX_PAGE),
            AreaError::FilterTooLong => Problem::new(Kind::filter_too_long)
                .with("max", crate::municipality::area::MAX_FILTER_CHARS),
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
                .with("detail", io_detail(source)),
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
            StoreError::NotAllowed { from, to } => Problem::new(Kind::status_not_allowed)
                .with("from", from.as_str())
                .with("to", to.as_str()),
            StoreError::Backup(e) => e.problem(),
            StoreError::NotOurs { path: p, why } => Problem::new(Kind::store_not_ours)
                .with("path", path(p))
                .because(why.problem()),
            StoreError::MoveAside { path: p, source } => Problem::new(Kind::store_move_aside)
                .with("path", path(p))
                .with("detail", io_detail(source)),
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
                .with("detail", io_detail(source)),
        }
    }
}

impl Explain for PrintError {
    fn problem(&self) -> Problem {
        match self {
            PrintError::NoPrinterChosen => Problem::new(Kind::printer_not_chosen),
            PrintError::NoCups => Problem::new(Kind::printing_unavailable),
            PrintError::PrinterGone(p) => Problem::new(Kind::printer_gone).with("printer", p),
            // CUPS's own words stay in the log (Display); the person gets ours.
            PrintError::Refused { .. } | PrintError::Io(_) => Problem::new(Kind::print_failed),
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
            SettingsError::PrinterName(p) => Problem::new(Kind::printer_name).with("printer", p),
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
                .with("max", crate::content::limits::RESPONDENTS),
            SelfCheckError::UnknownLesson(id) => Problem::new(Kind::unknown_lesson).with("id", id),
            SelfCheckError::TooManyActions => {
                Problem::new(Kind::too_many_actions).with("max", crate::content::limits::ACTIONS)
            }
            SelfCheckError::ActionTextMissing => Problem::new(Kind::action_text_missing),
            SelfCheckError::BadDueDate(d) => Problem::new(Kind::bad_due_date).with("date", d),
            SelfCheckError::DueDateMissing => Problem::new(Kind::due_date_missing),
            SelfCheckError::ActionLessonMissing => Problem::new(Kind::action_lesson_missing),
            SelfCheckError::InAction { n, field, source } => Problem::new(Kind::in_action)
                .with("n", n)
                .with("field", field)
                .because(source.problem()),
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
            ReviewError::Store(e) => e.problem(),
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
                .with("detail", io_detail(source)),
            ExchangeError::Changed => Problem::new(Kind::bundle_changed),
            ExchangeError::Store(e) => e.problem(),
        }
    }
}

impl Explain for SyncError {
    fn problem(&self) -> Problem {
        match self {
            SyncError::Url => Problem::new(Kind::sync_url),
            SyncError::Connect { detail, io } => Problem::new(Kind::sync_connect).with(
                "detail",
                io.map_or(detail.clone(), |k| io_kind_detail(k).into()),
            ),
            SyncError::Server(detail) => Problem::new(Kind::sync_server).with("detail", detail),
            SyncError::Busy(detail) => Problem::new(Kind::sync_busy).with("detail", detail),
            SyncError::TooNew { found, supported } => Problem::new(Kind::sync_schema_too_new)
                .with("found", found)
                .with("supported", supported),
            SyncError::NoSchema => Problem::new(Kind::sync_no_schema),
            SyncError::NoPostgis => Problem::new(Kind::sync_no_postgis),
            SyncError::MachineTaken { role } => {
                Problem::new(Kind::sync_machine_taken).with("role", role)
            }
            SyncError::Certificate(detail) => {
                Problem::new(Kind::sync_certificate).with("detail", detail)
            }
            SyncError::RootCertificate(detail) => {
                Problem::new(Kind::sync_root_certificate).with("detail", detail)
            }
            SyncError::Place(e) => e.problem(),
            SyncError::Store(e) => e.problem(),
            SyncError::Exchange(e) => e.problem(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    /// Issue 32: an operating system's error reached people as its English ("Connection refused
    /// (os error 111)"). Each kind a clerk meets is worded in both languages, and the rest too.
    #[test]
    fn operating_system_errors_are_worded_in_the_persons_language() {
        let refused = std::net::TcpStream::connect("127.0.0.1:1").unwrap_err();
        let sync = SyncError::connect(&refused).problem();
        for (lang, words) in [
            (Lang::Nl, "de server neemt niet op"),
            (Lang::En, "the server does not answer the call"),
        ] {
            let text = sync.words(lang);
            assert!(text.contains(words), "{text}");
            assert!(!text.contains("os error"), "{text}");
        }
        use std::io::ErrorKind::*;
        for (kind, nl) in [
            (TimedOut, "te lang geen antwoord"),
            (NotFound, "bestaat niet"),
            (PermissionDenied, "geen toestemming"),
            (ConnectionReset, "verbroken"),
            (StorageFull, "schijf is vol"),
            (Other, "een fout die Wijkkompas niet kent"),
        ] {
            let e = OutputError::Write {
                path: "/x/rapport.pdf".into(),
                source: std::io::Error::new(kind, "the system's own words"),
            };
            let p = e.problem();
            assert!(
                p.words(Lang::Nl).contains(nl),
                "{kind:?}: {}",
                p.words(Lang::Nl)
            );
            for lang in [Lang::Nl, Lang::En] {
                let text = p.words(lang);
                assert!(!text.contains("the system's own words"), "{text}");
                assert!(!text.contains("io_"), "a term's key left unworded: {text}");
            }
        }
        // A cause without a system error underneath keeps its own detail.
        let tls = SyncError::Connect {
            detail: "unexpected message from server".into(),
            io: None,
        };
        assert!(tls.problem().words(Lang::En).contains("unexpected message"));
    }
}
