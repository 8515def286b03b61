//! Any bytes given to the bundle importer: it may reject them, never crash, and a rejected file
//! never leaves anything behind.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wijkkompas::exchange;
use wijkkompas::store::Store;

fuzz_target!(|data: &[u8]| {
    let mut store = Store::open_in_memory().expect("an in-memory store opens");
    match exchange::import_bytes(&mut store, data, None, &mut |_, _| {}) {
        Ok(_) => {}
        Err(_) => assert!(store.list_checks(None).expect("readable").is_empty(), "a rejected bundle left records"),
    }
});
