//! Issue 14: the app's commands are named in four places that cannot be derived from one another
//! in Rust: the list in build.rs (from which the capability file is written), the handler list in
//! main.rs, the functions in the commands folder and the calls in ui/src/api.ts. They must agree.
use std::collections::BTreeSet;

fn read(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The quoted names between `start` and the next `end`.
fn quoted_between(text: &str, start: &str, end: &str) -> BTreeSet<String> {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} not found"))
        + start.len();
    let part = &text[from..from + text[from..].find(end).unwrap()];
    part.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn every_place_names_the_same_commands() {
    let listed = quoted_between(&read("build.rs"), "const COMMANDS: &[&str] = &[", "];");
    let main = read("src/main.rs");
    let handled: BTreeSet<String> = main[main.find("generate_handler![").unwrap()..]
        .lines()
        .skip(1)
        .take_while(|l| !l.contains("])"))
        .filter_map(|l| {
            l.trim()
                .strip_prefix("commands::")
                .map(|n| n.trim_end_matches(',').to_string())
        })
        .collect();
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
    let commands: String = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .collect();
    let mut defined = BTreeSet::new();
    let mut lines = commands.lines();
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with("#[tauri::command") {
            let f = lines.next().unwrap();
            let name = f
                .split("fn ")
                .nth(1)
                .unwrap()
                .split(['(', '<'])
                .next()
                .unwrap();
            defined.insert(name.to_string());
        }
    }
    let api = read("../ui/src/api.ts");
    let called: BTreeSet<String> = api
        .split("invoke<")
        .skip(2)
        .filter_map(|c| c.split("(\"").nth(1))
        .map(|c| c.split('"').next().unwrap().to_string())
        .collect();
    let capability: serde_json::Value =
        serde_json::from_str(&read("capabilities/default.json")).unwrap();
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    assert!(listed.len() >= 25, "{listed:?}");
    assert_eq!(handled, listed, "main.rs handles what build.rs lists");
    assert_eq!(
        defined, listed,
        "the commands folder defines what build.rs lists"
    );
    assert_eq!(called, listed, "ui/src/api.ts calls what build.rs lists");
    assert_eq!(granted, listed, "the capability grants what build.rs lists");
}
