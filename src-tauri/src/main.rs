//! The Wijkkompas desktop shell: opens the window and exposes the core as commands.
//! Every command only translates between the UI and `wijkkompas`; no rule lives here.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod first_screen;
mod window_size;

use tauri::{Manager, WebviewWindowBuilder};

/// WebKitGTK's DMA-BUF renderer composites every frame through the GPU. Without a usable GPU
/// (old community-centre PCs, virtual machines, some NVIDIA drivers) it falls back to software
/// GL: measured under Xvfb, panning the map took 53 ms a frame with it and 8 ms without it, and on
/// some drivers it draws a blank window. So the app uses WebKit's shared-memory renderer unless
/// the user chose otherwise (setting the variable, also to 0, keeps their choice).
fn prefer_shared_memory_rendering() {
    const VARIABLE: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";
    if cfg!(target_os = "linux") && std::env::var_os(VARIABLE).is_none() {
        // Still single-threaded here: nothing reads the environment concurrently.
        std::env::set_var(VARIABLE, "1");
    }
}

/// Whether this binary was started under the command line's name: the package installs it once,
/// as `wijkkompas-app`, with `wijkkompas` a link to it (one copy of the core instead of two).
fn called_as_command_line() -> bool {
    std::env::args_os()
        .next()
        .and_then(|arg0| {
            std::path::Path::new(&arg0)
                .file_name()
                .map(|n| n == "wijkkompas")
        })
        .unwrap_or(false)
}

/// Makes the main window here, not from the configuration alone, so that its page carries the
/// first screen's data (first_screen.rs).
fn open_main_window(app: &mut tauri::App) -> Result<(), Box<dyn std::error::Error>> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .ok_or("tauri.conf.json has no main window")?
        .clone();
    let handle = app.handle().clone();
    let mut window = WebviewWindowBuilder::from_config(app, &config)?;
    let size = |width, height| window_size::Size { width, height };
    let configured = size(config.width, config.height);
    let min = size(
        config.min_width.unwrap_or(config.width),
        config.min_height.unwrap_or(config.height),
    );
    if let Some(fit) =
        window_size::work_area(app).and_then(|area| window_size::fit(configured, min, area))
    {
        window = window
            .inner_size(fit.size.width, fit.size.height)
            .min_inner_size(fit.min.width, fit.min.height)
            .maximized(true);
    }
    window
        .on_web_resource_request(move |_request, response| {
            first_screen::embed_in_page(response, || {
                serde_json::to_string(&commands::startup(&handle.state::<commands::AppState>()))
                    .ok()
            })
        })
        .build()?;
    Ok(())
}

fn main() -> std::process::ExitCode {
    if called_as_command_line() {
        return wijkkompas::cli::main();
    }
    // --help and --version answered here; any other argument is refused, before a window opens.
    wijkkompas::cli::app_command().get_matches();
    commands::STARTED.get_or_init(std::time::Instant::now);
    prefer_shared_memory_rendering();
    // The first screen's map data is prepared on another core while GTK and WebKit start.
    std::thread::spawn(wijkkompas::geo::basemap);
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(commands::AppState::open_in_background())
        .setup(open_main_window)
        .invoke_handler(tauri::generate_handler![
            commands::about,
            commands::detailed_borders,
            commands::map_labels,
            commands::locate,
            commands::search_places,
            commands::wijk_borders,
            commands::set_language,
            commands::save_check,
            commands::agreed_actions,
            commands::start_group,
            commands::add_group_member,
            commands::group_result,
            commands::close_group,
            commands::check_plan,
            commands::cancel_group,
            commands::open_groups,
            commands::resume_group,
            commands::save_guide,
            commands::initiatives,
            commands::history,
            commands::check_result,
            commands::result_chart,
            commands::municipalities,
            commands::municipality_overview,
            commands::municipality_rows,
            commands::add_review,
            commands::add_reviews,
            commands::erase,
            commands::matching_ids,
            commands::quarter_trend,
            commands::initiative_source,
            commands::reviews,
            commands::import_bundle,
            commands::import_folder,
            commands::sync_shared,
            commands::export_file,
            commands::save_report,
            commands::print_report,
            commands::kiosk_status,
            commands::unlock,
            commands::end_session,
            commands::redeem_code,
            commands::get_settings,
            commands::printers,
            commands::save_settings,
            commands::generate_key_pair,
            commands::list_backups,
            commands::make_backup,
            commands::restore_backup,
            commands::mark_interactive,
        ])
        .run(tauri::generate_context!("../tauri.conf.json"))
        .expect("error while running Wijkkompas");
    std::process::ExitCode::SUCCESS
}
