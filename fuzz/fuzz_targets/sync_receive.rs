//! Any rows a shared database may hand a machine: each line of the input is one row (its first
//! byte picks the table, the rest is the record's JSON text, as the server's `record` column
//! keeps it). A row that breaks a rule is left out and named; no row, however broken, may make
//! the receive refuse the others or crash.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wijkkompas::store::Store;
use wijkkompas::sync::take_in_server_rows;

const MACHINE: &str = "7d3f9a10-0000-4000-8000-00000000f022";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return; // the server's record column is text
    };
    let rows: Vec<_> = text
        .lines()
        .take(64)
        .enumerate()
        .filter(|(_, line)| !line.is_empty())
        .map(|(n, line)| {
            let (first, record) = line.split_at(1);
            let table = match first {
                "i" => "initiatives",
                "c" => "self_checks",
                _ => "review_log",
            };
            // The record's own id where it has one (the server keeps both), else a made-up one.
            let id = serde_json::from_str::<serde_json::Value>(record)
                .ok()
                .and_then(|v| v["id"].as_str().map(str::to_string))
                .unwrap_or_else(|| format!("00000000-0000-4000-8000-{n:012}"));
            (
                table.to_string(),
                n as i64 + 1,
                id,
                record.to_string(),
                MACHINE.to_string(),
            )
        })
        .collect();
    let mut store = Store::open_in_memory().expect("an in-memory store opens");
    let taken = take_in_server_rows(&mut store, rows);
    assert!(taken.is_ok(), "one bad row refused the page: {taken:?}");
});
