//! Issue 14: rules the shell used to hold, now in the core for both faces: the remembered
//! language, export file names, the restore guard, the review workflow per row, place
//! suggestions and the limits the UI shows.
use wijkkompas::exchange::export::{export_file, ExportFormat};
use wijkkompas::model::Lang;
use wijkkompas::store::Store;

fn store_with_one_check(dir: &std::path::Path) -> Store {
    let mut store = Store::open(&dir.join("db.sqlite")).unwrap();
    let input: wijkkompas::selfcheck::CheckInput = serde_json::from_value(serde_json::json!({
        "initiative": {"name": "Buurtkamer", "lat": 52.09, "lon": 5.12, "role": "resident"}, "answers": {"bonding-1-a": 4}
    }))
    .unwrap();
    wijkkompas::selfcheck::submit(&mut store, &input, Lang::Nl).unwrap();
    store
}

#[test]
fn the_language_is_remembered_in_the_core() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite")).unwrap();
    assert_eq!(
        wijkkompas::safety::settings::language(&store).unwrap(),
        Lang::Nl,
        "Dutch when none was chosen"
    );
    wijkkompas::safety::settings::set_language(&store, Lang::En).unwrap();
    assert_eq!(
        wijkkompas::safety::settings::language(&store).unwrap(),
        Lang::En
    );
}

#[test]
fn export_files_are_named_by_the_core() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_one_check(dir.path());
    let csv = export_file(
        &store,
        ExportFormat::Csv,
        Some("GM0344"),
        None,
        wijkkompas::model::Lang::Nl,
    )
    .unwrap();
    assert_eq!(
        (csv.file_name.as_str(), csv.extension),
        ("wijkkompas-GM0344.csv", "csv")
    );
    let bundle = export_file(
        &store,
        ExportFormat::Bundle,
        None,
        None,
        wijkkompas::model::Lang::Nl,
    )
    .unwrap();
    assert_eq!(bundle.file_name, "wijkkompas-bundel.json");
    let (_, public) = wijkkompas::safety::crypto::generate();
    let sealed = export_file(
        &store,
        ExportFormat::Bundle,
        None,
        Some(&public),
        wijkkompas::model::Lang::Nl,
    )
    .unwrap();
    assert_eq!(
        (sealed.file_name.as_str(), sealed.extension),
        ("wijkkompas-bundel.age", "age")
    );
}

#[test]
fn only_a_listed_backup_is_restored_through_the_guard() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_one_check(dir.path());
    let elsewhere = dir.path().join("copy.sqlite");
    std::fs::copy(dir.path().join("db.sqlite"), &elsewhere).unwrap();
    let e = store.restore_listed(&elsewhere).unwrap_err();
    assert_eq!(
        wijkkompas::content::problem::Explain::problem(&e).kind,
        wijkkompas::content::problem::Kind::backup_not_listed
    );
    let listed = store.backup_now("manual").unwrap();
    store.restore_listed(&listed).unwrap();
}

#[test]
fn each_map_point_carries_its_next_statuses_and_whether_it_waits_for_review() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_one_check(dir.path());
    let query: wijkkompas::municipality::area::RowQuery = serde_json::from_value(serde_json::json!({"sort": "name", "descending": false, "status": null, "text": "", "offset": 0, "limit": 10})).unwrap();
    let summary = wijkkompas::municipality::area::summary(&store, "GM0344", &query).unwrap();
    let p = &summary.points[0];
    assert_eq!(p.next, wijkkompas::model::ReviewStatus::New.next().to_vec());
    assert!(p.needs_review);
}

#[test]
fn suggestions_have_a_default_and_a_ceiling_from_the_core() {
    let geo = wijkkompas::geo::geography();
    assert!(
        geo.suggest("a", None, wijkkompas::model::Lang::Nl).len()
            <= wijkkompas::content::limits::PLACE_SUGGESTIONS
    );
    assert!(
        geo.suggest("a", Some(10_000), wijkkompas::model::Lang::Nl)
            .len()
            <= wijkkompas::content::limits::PLACE_SUGGESTIONS_MAX
    );
}

#[test]
fn the_limits_the_ui_shows_are_the_ones_the_core_checks() {
    let l = wijkkompas::content::limits::limits();
    assert_eq!(l.name_chars, wijkkompas::selfcheck::MAX_NAME_CHARS);
    assert_eq!(
        l.note_chars,
        wijkkompas::municipality::review::MAX_NOTE_CHARS
    );
    assert_eq!(
        l.filter_chars,
        wijkkompas::municipality::area::MAX_FILTER_CHARS
    );
    // A name one over the limit is refused by the core with the limit the UI shows.
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("db.sqlite")).unwrap();
    let input: wijkkompas::selfcheck::CheckInput = serde_json::from_value(serde_json::json!({
        "initiative": {"name": "x".repeat(l.name_chars + 1), "lat": 52.09, "lon": 5.12, "role": "resident"}, "answers": {}
    }))
    .unwrap();
    let e = wijkkompas::selfcheck::submit(&mut store, &input, Lang::Nl).unwrap_err();
    assert_eq!(
        wijkkompas::content::problem::Explain::problem(&e).values["max"],
        l.name_chars.to_string()
    );
}

/// Target groups are ids: a label in either language (any case) is its group's id, other text is
/// the "other" group's text; the same group is no longer counted twice.
#[test]
fn target_groups_are_kept_as_ids_whatever_the_language_they_came_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("db.sqlite")).unwrap();
    for (name, groups) in [
        ("Een", vec!["Ouderen", "Buurtmoestuiniers"]),
        ("Twee", vec!["older people", "older_people", "JONGEREN"]),
    ] {
        let input: wijkkompas::selfcheck::CheckInput = serde_json::from_value(serde_json::json!({
            "initiative": {"name": name, "lat": 52.09, "lon": 5.12, "role": "resident", "target_groups": groups}, "answers": {}
        }))
        .unwrap();
        wijkkompas::selfcheck::submit(&mut store, &input, Lang::Nl).unwrap();
    }
    let mut stored: Vec<Vec<String>> = store
        .list_checks(None)
        .unwrap()
        .into_iter()
        .map(|c| {
            store
                .initiative(&c.initiative_id)
                .unwrap()
                .unwrap()
                .target_groups
        })
        .collect();
    stored.sort();
    assert_eq!(
        stored,
        vec![
            vec!["older_people".to_string(), "other:Buurtmoestuiniers".into()],
            vec!["older_people".into(), "young_people".into()]
        ]
    );
}

/// A database from before schema 7 (the version-1 fixture keeps `["ouderen"]`) opens with ids.
#[test]
fn a_database_that_kept_labels_opens_with_ids() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.sqlite");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(include_str!("../fixtures/schema-v1.sql"))
        .unwrap();
    let store = Store::open(&db).unwrap();
    let groups: Vec<Vec<String>> = store
        .list_checks(None)
        .unwrap()
        .into_iter()
        .map(|c| {
            store
                .initiative(&c.initiative_id)
                .unwrap()
                .unwrap()
                .target_groups
        })
        .collect();
    assert!(
        groups
            .iter()
            .any(|g| g == &vec!["older_people".to_string()]),
        "{groups:?}"
    );
    assert!(
        groups
            .iter()
            .flatten()
            .all(|g| !g.eq_ignore_ascii_case("ouderen")),
        "{groups:?}"
    );
}

/// A bundle from before the change (labels) imports with ids, and importing it again adds nothing.
#[test]
fn an_older_bundle_with_labels_imports_with_ids() {
    let source = tempfile::tempdir().unwrap();
    let store = store_with_one_check(source.path());
    let mut bundle =
        serde_json::to_value(wijkkompas::exchange::export_bundle(&store, None).unwrap()).unwrap();
    bundle["initiatives"][0]["target_groups"] =
        serde_json::json!(["Ouderen", "Older People", "Eigen groep"]);
    let text = bundle.to_string();
    let target = tempfile::tempdir().unwrap();
    let mut store = Store::open(&target.path().join("db.sqlite")).unwrap();
    wijkkompas::exchange::import_bundle(&mut store, &text, &mut |_, _| {}).unwrap();
    let id = bundle["initiatives"][0]["id"].as_str().unwrap();
    assert_eq!(
        store.initiative(id).unwrap().unwrap().target_groups,
        vec!["older_people".to_string(), "other:Eigen groep".into()]
    );
    let again = wijkkompas::exchange::import_bundle(&mut store, &text, &mut |_, _| {}).unwrap();
    assert_eq!(
        (again.added, again.conflicts.len()),
        (0, 0),
        "the same file adds nothing and conflicts with nothing"
    );
}

/// The rule "a visible self-check is one not marked by the purge" is written once, as the view
/// `visible_checks` (migration 8); only the store's count and the purge itself read the marks.
#[test]
fn the_visible_check_rule_is_written_once() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap();
                if code.contains("NOT IN (SELECT check_id FROM purge_marks)") {
                    found.push(path.strip_prefix(&root).unwrap().display().to_string());
                }
            }
        }
    }
    assert_eq!(
        found,
        vec!["store/purging.rs".to_string()],
        "only the purge (which makes the marks) spells the rule out"
    );
}

/// The store is the only module that speaks SQL to this machine's database: every other module
/// asks it by name. (The sync's server side speaks PostgreSQL's, to the shared database, and
/// nothing else.) Tests may set up odd states directly, so only the code before a module's tests
/// is read.
#[test]
fn no_sql_outside_the_store() {
    // The sync's server side speaks the shared PostgreSQL database's SQL, not the store's.
    let speaks_to_the_server = |name: &str| name == "sync/server.rs" || name == "sync/sending.rs";
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let sql = [
        ".execute(",
        ".execute_batch(",
        ".prepare(",
        ".query_row(",
        "SELECT ",
        "INSERT ",
        "UPDATE ",
        "DELETE FROM",
    ];
    let mut found = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            let name = path.strip_prefix(&root).unwrap().display().to_string();
            if path.is_dir() {
                if name != "store" {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") && !speaks_to_the_server(&name) {
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap();
                for (number, line) in code.lines().enumerate() {
                    if sql.iter().any(|s| line.contains(s)) {
                        found.push(format!("{name}:{}: {}", number + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "SQL outside src/store/:\n{}",
        found.join("\n")
    );
}

/// A report is of one check or one municipality, chosen the same way by both faces and named by
/// the core.
#[test]
fn a_report_subject_is_one_check_or_one_municipality() {
    use wijkkompas::reports::report::ReportSubject;
    assert_eq!(
        ReportSubject::from_choice(Some("abc"), None)
            .unwrap()
            .file_name(),
        "wijkkompas-zelfcheck.pdf"
    );
    assert_eq!(
        ReportSubject::from_choice(None, Some("GM0344"))
            .unwrap()
            .file_name(),
        "wijkkompas-GM0344.pdf"
    );
    for (check, code) in [(None, None), (Some("abc"), Some("GM0344"))] {
        let e = ReportSubject::from_choice(check, code).unwrap_err();
        assert_eq!(
            wijkkompas::content::problem::Explain::problem(&e).kind,
            wijkkompas::content::problem::Kind::report_needs_choice
        );
    }
}
