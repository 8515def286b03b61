/// The app's own commands. Each gets an `allow-…` permission; the capability in
/// capabilities/default.json grants exactly these, so no other IPC entry point exists.
const COMMANDS: &[&str] = &[
    "about",
    "detailed_borders",
    "locate",
    "search_places",
    "set_language",
    "save_check",
    "initiatives",
    "history",
    "check_result",
    "result_chart",
    "municipalities",
    "municipality_overview",
    "municipality_rows",
    "add_review",
    "reviews",
    "import_bundle",
    "export_file",
    "save_report",
    "kiosk_status",
    "unlock",
    "end_session",
    "redeem_code",
    "get_settings",
    "save_settings",
    "generate_key_pair",
    "list_backups",
    "make_backup",
    "restore_backup",
    "mark_interactive",
];

fn main() {
    // tauri.conf.json lives at the repository root (see ARCHITECTURE.md), not beside this crate.
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("failed to run tauri-build");
}
