/// The app's own commands. Each gets an `allow-…` permission; the capability in
/// capabilities/default.json grants exactly these, so no other IPC entry point exists.
const COMMANDS: &[&str] = &[
    "about",
    "detailed_borders",
    "map_labels",
    "locate",
    "search_places",
    "wijk_borders",
    "set_language",
    "save_check",
    "agreed_actions",
    "start_group",
    "add_group_member",
    "group_result",
    "close_group",
    "check_plan",
    "cancel_group",
    "open_groups",
    "resume_group",
    "save_guide",
    "initiatives",
    "history",
    "check_result",
    "result_chart",
    "municipalities",
    "municipality_overview",
    "municipality_rows",
    "add_review",
    "add_reviews",
    "erase",
    "matching_ids",
    "quarter_trend",
    "initiative_source",
    "reviews",
    "import_bundle",
    "import_folder",
    "sync_shared",
    "export_file",
    "save_report",
    "print_report",
    "kiosk_status",
    "unlock",
    "end_session",
    "redeem_code",
    "get_settings",
    "printers",
    "save_settings",
    "generate_key_pair",
    "list_backups",
    "make_backup",
    "restore_backup",
    "mark_interactive",
];

/// The capability that grants the page exactly the commands above, derived from the list so the
/// two cannot disagree. Written only when it changed (the file is committed, and read below).
fn write_capability() {
    let permissions: Vec<String> = std::iter::once("core:default".to_string())
        .chain(
            COMMANDS
                .iter()
                .map(|c| format!("allow-{}", c.replace('_', "-"))),
        )
        .collect();
    let capability = serde_json::json!({
        "$schema": "../gen/schemas/desktop-schema.json",
        "identifier": "default",
        "description": "The main window may use the core event/window APIs and exactly the app's own commands: no shell, no file-system or dialog APIs from the page (file dialogs open from Rust, for import and export only). Written by build.rs from its list of commands.",
        "windows": ["main"],
        "permissions": permissions,
    });
    let text = serde_json::to_string_pretty(&capability).expect("JSON") + "\n";
    let path = std::path::Path::new("capabilities/default.json");
    if std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(path, text).expect("write capabilities/default.json");
    }
}

fn main() {
    write_capability();
    // tauri.conf.json lives at the repository root (see ARCHITECTURE.md), not beside this crate.
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("failed to run tauri-build");
}
