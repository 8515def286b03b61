//! An empty Tauri window with the same Tauri features and profile as Wijkkompas: what any app on
//! this stack costs to start and keep in memory. `make measure` reports Wijkkompas next to it.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();

/// Called by the page after its first frame; the measuring script reads this line.
#[tauri::command]
fn mark_interactive() {
    let ms = STARTED
        .get()
        .map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0);
    eprintln!("wijkkompas-measure: interactive after {ms:.1} ms");
}

fn main() {
    STARTED.get_or_init(Instant::now);
    // The same renderer choice as the app's shell (src-tauri/src/main.rs says why), so that the
    // two are compared on equal terms.
    if cfg!(target_os = "linux") && std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![mark_interactive])
        .run(tauri::generate_context!())
        .expect("error while running the empty window");
}
