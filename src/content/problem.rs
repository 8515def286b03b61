/*! What went wrong, as data: a kind and its values, never prose. Each face words a problem in the
person's language: the app from its catalogues, the CLI in `--lang`, both from the wording in
`data/problems.json`. Every error type of the core says which problem it is ([`Explain`]); its
English `Display` stays for logs. */
use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{Lang, Localized};

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
    printer_not_chosen,
    printer_gone,
    printing_unavailable,
    print_failed,
    printer_name,
    due_date_missing,
    action_lesson_missing,
    in_action,
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
