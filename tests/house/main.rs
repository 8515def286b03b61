//! The house rules, read from the sources as text (like rust-analyzer's `tidy.rs`): the folders of
//! the core depend on each other only along the edges ARCHITECTURE.md allows, and every file and
//! function stays of a size one can hold. A small binary of its own, so that `make check` runs it
//! without building the integration suite.
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Longest file, in lines outside `#[cfg(test)]` modules.
const MAX_FILE_LINES: usize = 600;
/// Longest function, from its `fn` line to its closing brace.
const MAX_FUNCTION_LINES: usize = 80;
/// A comment on the lines just above a longer function, saying why it is long.
const LONG_BECAUSE: &str = "// Long because";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The source without comments, string and character literals blanked (their lengths and line
/// breaks kept), so that a path in a doc comment or an SQL string is no import.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && matches!(next, Some('"') | Some('#'))
            && !is_ident(chars.get(i.wrapping_sub(1)))
        {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let close: String = std::iter::once('"')
                .chain("#".repeat(hashes).chars())
                .collect();
            let rest: String = chars[j + 1..].iter().collect();
            let end = rest.find(&close).map_or(chars.len(), |k| {
                j + 1 + rest[..k].chars().count() + close.len()
            });
            for ch in &chars[i..end] {
                out.push(blank(*ch));
            }
            i = end;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && (chars.get(i + 2) == Some(&'\'') || next == Some('\\')) {
            // A character literal ('"', '\n', '\''); a lifetime has no closing quote.
            let end = chars[i + 1..]
                .iter()
                .enumerate()
                .skip(1)
                .find(|(_, ch)| **ch == '\'')
                .map_or(i + 1, |(k, _)| i + 1 + k + 1);
            for _ in i..end {
                out.push(' ');
            }
            i = end;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn is_ident(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

/// The line ranges (0-based, inclusive) of `#[cfg(test)] mod … { … }` blocks.
fn test_modules(lines: &[&str]) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut i = 0;
    while i + 1 < lines.len() {
        let next = lines[i + 1].trim_start();
        let is_mod = next.starts_with("mod ") || next.starts_with("pub(crate) mod ");
        if lines[i].trim() == "#[cfg(test)]" && is_mod && next.ends_with('{') {
            let indent = lines[i + 1].len() - next.len();
            let close = format!("{}}}", " ".repeat(indent));
            let end = (i + 2..lines.len())
                .find(|&j| lines[j] == close)
                .unwrap_or(lines.len() - 1);
            ranges.push((i, end));
            i = end + 1;
        } else {
            i += 1;
        }
    }
    ranges
}

/// The code with its test modules blanked (line numbers kept): a test may set up what it needs
/// from any folder, as an integration test could.
fn without_test_modules(code: &str) -> String {
    let lines: Vec<&str> = code.lines().collect();
    let tests = test_modules(&lines);
    let in_test = |n: usize| tests.iter().any(|(a, b)| (*a..=*b).contains(&n));
    let kept: Vec<&str> = lines
        .iter()
        .enumerate()
        .map(|(n, l)| if in_test(n) { "" } else { l })
        .collect();
    kept.join("\n")
}

/// The folder (or top-level module) of the core a source file belongs to.
fn folder_of(relative: &Path) -> String {
    let mut parts = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string());
    let first = parts.next().unwrap();
    match parts.next() {
        Some(_) => first,
        None => first.trim_end_matches(".rs").to_string(),
    }
}

/// Every `crate::` path's first segment, with the line it is on: in `use` trees (also inside
/// braces, `use crate::{a, b::c}`) and inline.
fn crate_paths(code: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        if is_ident(code[..at].chars().last().as_ref()) {
            continue; // `wijkkompas_crate::`, not ours
        }
        let line = code[..at].matches('\n').count() + 1;
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut item_start = true;
            let mut word = String::new();
            for ch in group.chars() {
                match ch {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 1 => item_start = true,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                if depth == 1 && item_start {
                    if is_ident(Some(&ch)) {
                        word.push(ch);
                    } else if !word.is_empty() {
                        found.push((std::mem::take(&mut word), line));
                        item_start = false;
                    }
                }
            }
            if !word.is_empty() {
                found.push((word, line));
            }
        } else {
            let word: String = rest.chars().take_while(|c| is_ident(Some(c))).collect();
            found.push((word, line));
        }
    }
    found
}

/// The allowed edges: the table under "Allowed edges" in ARCHITECTURE.md, one row per folder,
/// `| \`store/\` | \`model\`, \`content\`, \`geo\` |`.
fn allowed_edges() -> BTreeMap<String, BTreeSet<String>> {
    let map = fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let section = map
        .split("\n## ")
        .find(|s| s.starts_with("Allowed edges"))
        .expect("ARCHITECTURE.md has a section \"Allowed edges\"");
    let mut allowed = BTreeMap::new();
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let name = |s: &str| {
            s.trim_matches('`')
                .trim_end_matches('/')
                .trim_end_matches(".rs")
                .to_string()
        };
        let targets = cells[2]
            .split(',')
            .map(str::trim)
            .filter(|t| t.starts_with('`'))
            .map(name)
            .collect();
        allowed.insert(name(cells[1]), targets);
    }
    assert!(
        allowed.len() > 5,
        "the table of allowed edges was not found"
    );
    allowed
}

#[test]
fn folders_depend_on_each_other_only_along_the_allowed_edges() {
    let allowed = allowed_edges();
    let src = root().join("src");
    let mut wrong = Vec::new();
    for file in rust_files(&src) {
        let relative = file.strip_prefix(&src).unwrap();
        let from = folder_of(relative);
        if from == "lib" || from == "main" {
            continue;
        }
        let Some(may) = allowed.get(&from) else {
            wrong.push(format!(
                "{}: folder `{from}` is not in the table",
                relative.display()
            ));
            continue;
        };
        let code = without_test_modules(&code_only(&fs::read_to_string(&file).unwrap()));
        for (to, line) in crate_paths(&code) {
            if to != from && to != "self" && !may.contains(&to) {
                wrong.push(format!("{}:{line}: {from} → {to}", relative.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "edges between folders that ARCHITECTURE.md does not allow:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_allowed_edges_have_no_cycle() {
    let allowed = allowed_edges();
    // Take away, round by round, the folders whose every target is already taken away.
    let mut left: BTreeMap<_, _> = allowed.clone();
    while !left.is_empty() {
        let leaves: Vec<String> = left
            .iter()
            .filter(|(_, targets)| targets.iter().all(|t| !left.contains_key(t)))
            .map(|(f, _)| f.clone())
            .collect();
        assert!(
            !leaves.is_empty(),
            "the allowed edges run in a circle among: {:?}",
            left.keys()
        );
        for f in leaves {
            left.remove(&f);
        }
    }
}

#[test]
fn no_module_outside_the_store_holds_the_database_connection() {
    let src = root().join("src");
    let mut wrong = Vec::new();
    for file in rust_files(&src) {
        let relative = file.strip_prefix(&src).unwrap();
        if relative.starts_with("store") {
            continue;
        }
        let code = without_test_modules(&code_only(&fs::read_to_string(&file).unwrap()));
        // One statement a line, so that an import over several lines is seen whole.
        let statements = code
            .split(';')
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "));
        for statement in statements.filter(|s| names_sqlites_connection(s)) {
            wrong.push(format!("{}: {statement}", relative.display()));
        }
    }
    assert!(
        wrong.is_empty(),
        "a connection outside store/:\n{}",
        wrong.join("\n")
    );
}

/// Whether a statement names SQLite's connection or transaction type: by its whole path, or in an
/// import from rusqlite (without which the short name cannot be used).
fn names_sqlites_connection(line: &str) -> bool {
    let names_one = |text: &str| {
        ["Connection", "Transaction"].iter().any(|word| {
            text.match_indices(word).any(|(at, _)| {
                let before = text[..at].chars().last();
                let after = text[at + word.len()..].chars().next();
                !is_ident(before.as_ref()) && !is_ident(after.as_ref())
            })
        })
    };
    line.contains("rusqlite::Connection")
        || line.contains("rusqlite::Transaction")
        || (line.trim_start().starts_with("use rusqlite") && names_one(line))
}

struct Sizes {
    long_files: Vec<String>,
    long_functions: Vec<String>,
}

fn sizes() -> Sizes {
    let mut sizes = Sizes {
        long_files: Vec::new(),
        long_functions: Vec::new(),
    };
    for dir in ["src", "src-tauri/src"] {
        let base = root().join(dir);
        for file in rust_files(&base) {
            let shown = format!("{dir}/{}", file.strip_prefix(&base).unwrap().display());
            if shown.contains("/bindings/") {
                continue;
            }
            let source = fs::read_to_string(&file).unwrap();
            let lines: Vec<&str> = source.lines().collect();
            let tests = test_modules(&lines);
            let in_test = |n: usize| tests.iter().any(|(a, b)| (*a..=*b).contains(&n));
            let counted = (0..lines.len()).filter(|n| !in_test(*n)).count();
            if counted > MAX_FILE_LINES {
                sizes.long_files.push(format!("{shown}: {counted} lines"));
            }
            for (n, line) in lines.iter().enumerate() {
                if in_test(n) {
                    continue;
                }
                if let Some(length) = function_length(&lines, n) {
                    let said_why = lines[n.saturating_sub(8)..n]
                        .iter()
                        .any(|l| l.trim_start().starts_with(LONG_BECAUSE));
                    if length > MAX_FUNCTION_LINES && !said_why {
                        let name = line
                            .split("fn ")
                            .nth(1)
                            .unwrap_or("")
                            .split(['(', '<'])
                            .next()
                            .unwrap_or("");
                        sizes
                            .long_functions
                            .push(format!("{shown}:{}: {name}: {length} lines", n + 1));
                    }
                }
            }
        }
    }
    sizes
}

/// When line `n` starts a function with a body (rustfmt's layout: the body closes with a `}` at
/// the `fn` line's indentation), its length in lines.
fn function_length(lines: &[&str], n: usize) -> Option<usize> {
    let line = lines[n];
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let after_qualifiers = [
        "pub(crate) ",
        "pub(super) ",
        "pub ",
        "const ",
        "async ",
        "unsafe ",
        "extern \"C\" ",
    ]
    .iter()
    .fold(trimmed, |t, q| t.strip_prefix(q).unwrap_or(t));
    if !after_qualifiers.starts_with("fn ") {
        return None;
    }
    let open = (n..lines.len()).find(|&j| lines[j].ends_with('{') || lines[j].ends_with(';'))?;
    if lines[open].ends_with(';') {
        return None; // a declaration in a trait
    }
    if lines[open].trim_end().ends_with("{}") {
        return Some(open - n + 1);
    }
    let close = format!("{}}}", " ".repeat(indent));
    let end = (open + 1..lines.len()).find(|&j| lines[j] == close)?;
    Some(end - n + 1)
}

#[test]
fn files_and_functions_stay_of_a_size_one_can_hold() {
    let sizes = sizes();
    assert!(
        sizes.long_files.is_empty() && sizes.long_functions.is_empty(),
        "files over {MAX_FILE_LINES} lines (tests aside):\n{}\n\nfunctions over {MAX_FUNCTION_LINES} lines \
         without a \"{LONG_BECAUSE}\" comment above them:\n{}",
        sizes.long_files.join("\n"),
        sizes.long_functions.join("\n"),
    );
}

#[test]
fn the_rules_read_what_they_should() {
    let code = code_only(
        "use crate::{a::B, c}; // crate::d\nlet s = \"crate::e\"; let c = '\"'; crate::f::g();",
    );
    let found: Vec<String> = crate_paths(&code).into_iter().map(|(p, _)| p).collect();
    assert_eq!(found, ["a", "c", "f"]);
    let lines = [
        "fn a() {",
        "    x",
        "}",
        "#[cfg(test)]",
        "mod tests {",
        "    fn t() {}",
        "}",
    ];
    assert_eq!(function_length(&lines, 0), Some(3));
    assert_eq!(test_modules(&lines), [(3, 6)]);
    assert_eq!(folder_of(Path::new("store/mod.rs")), "store");
    assert!(names_sqlites_connection(
        "use rusqlite::{params, Connection}"
    ));
    assert!(names_sqlites_connection(
        "fn f(c: &rusqlite::Transaction<'_>)"
    ));
    assert!(!names_sqlites_connection(
        "fn f(tx: &mut postgres::Transaction<'_>)"
    ));
    assert!(!names_sqlites_connection("type InTransaction<'a> = u8"));
    assert_eq!(folder_of(Path::new("explain.rs")), "explain");
}
