fn main() {
    let attributes = tauri_build::Attributes::new()
        .config_path("tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(&["mark_interactive"]));
    tauri_build::try_build(attributes).expect("failed to run tauri-build");
}
