//! Any bytes as a `check --input` file, read as the CLI reads it (UTF-8, strict JSON: no
//! duplicate keys, no numbers that do not survive), validated and (if valid) stored: never a
//! crash, and a rejected check leaves nothing behind.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wijkkompas::model::Lang;
use wijkkompas::selfcheck::{self, CheckInput};
use wijkkompas::store::Store;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if wijkkompas::content::strict_json::check(text).is_err() {
        return;
    }
    let Ok(input) = serde_json::from_str::<CheckInput>(text) else {
        return;
    };
    let mut store = Store::open_in_memory().expect("an in-memory store opens");
    if selfcheck::submit(&mut store, &input, Lang::Nl).is_err() {
        assert!(
            store.list_checks(None).expect("readable").is_empty(),
            "a rejected check was stored"
        );
    }
});
