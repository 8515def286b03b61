//! The Wijkkompas desktop shell: opens the window and exposes the core as commands.
//! Every command only translates between the UI and `wijkkompas`; no rule lives here.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;

fn main() {
    commands::STARTED.get_or_init(std::time::Instant::now);
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(commands::AppState::open())
        .invoke_handler(tauri::generate_handler![
            commands::about,
            commands::cases,
            commands::lessons,
            commands::basemap,
            commands::locate,
            commands::search_places,
            commands::get_language,
            commands::set_language,
            commands::save_check,
            commands::initiatives,
            commands::history,
            commands::check_result,
            commands::result_chart,
            commands::municipalities,
            commands::municipality_overview,
            commands::add_review,
            commands::reviews,
            commands::import_bundle,
            commands::export_file,
            commands::save_report,
            commands::kiosk_status,
            commands::unlock,
            commands::end_session,
            commands::redeem_code,
            commands::get_settings,
            commands::save_settings,
            commands::generate_key_pair,
            commands::list_backups,
            commands::make_backup,
            commands::restore_backup,
            commands::mark_interactive,
        ])
        .run(tauri::generate_context!("../tauri.conf.json"))
        .expect("error while running Wijkkompas");
}
