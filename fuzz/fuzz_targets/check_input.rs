//! Any bytes as a `check --input` file: parsed, validated and (if valid) stored, never a crash.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wijkkompas::catalog::Lang;
use wijkkompas::selfcheck::{self, CheckInput};
use wijkkompas::store::Store;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<CheckInput>(data) else { return };
    let mut store = Store::open_in_memory().expect("an in-memory store opens");
    if selfcheck::submit(&mut store, &input, Lang::Nl).is_err() {
        assert!(store.list_checks(None).expect("readable").is_empty(), "a rejected check was stored");
    }
});
