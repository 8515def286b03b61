//! The package installs this binary once, with `wijkkompas` a link to it: started under that name
//! it is the command line, under its own it answers --version and --help without opening a window.
use std::process::Command;

#[test]
fn started_as_wijkkompas_it_is_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("wijkkompas");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_wijkkompas-app"), &link).unwrap();
    let db = dir.path().join("w.db");
    let out = Command::new(&link)
        .args(["cases", "--json"])
        .env("WIJKKOMPAS_DB", &db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cases: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cases.as_array().map(Vec::len), Some(29));
    let version = Command::new(&link).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("wijkkompas {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn the_app_answers_version_and_help_and_refuses_what_it_does_not_know() {
    // No display is given: were a window opened, these would fail or hang.
    let app = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_wijkkompas-app"));
        c.env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY");
        c
    };
    let version = app().arg("--version").output().unwrap();
    assert!(version.status.success());
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("wijkkompas-app {}", env!("CARGO_PKG_VERSION"))
    );
    let help = app().arg("--help").output().unwrap();
    assert!(
        help.status.success()
            && String::from_utf8_lossy(&help.stdout).contains("Usage: wijkkompas-app")
    );
    let unknown = app().arg("--frobnicate").output().unwrap();
    assert_eq!(
        unknown.status.code(),
        Some(2),
        "an unknown argument is refused"
    );
}
