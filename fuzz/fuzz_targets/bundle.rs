//! Any bytes given to the bundle importer: it may reject them, never crash, and a rejected file
//! never leaves anything behind. The same bytes are also imported from a file on disk (read as a
//! stream, another reader under the same rules): both must come to the same answer.
#![no_main]
use std::io::Write;

use libfuzzer_sys::fuzz_target;
use wijkkompas::exchange;
use wijkkompas::store::Store;

fuzz_target!(|data: &[u8]| {
    let mut from_bytes = Store::open_in_memory().expect("an in-memory store opens");
    let in_memory = exchange::import_bytes(&mut from_bytes, data, None, &mut |_, _| {});
    if in_memory.is_err() {
        assert!(
            from_bytes.list_checks(None).expect("readable").is_empty(),
            "a rejected bundle left records"
        );
    }
    let mut file = tempfile::NamedTempFile::new().expect("a temporary file");
    file.write_all(data).expect("written");
    let mut from_file = Store::open_in_memory().expect("an in-memory store opens");
    let streamed = exchange::import_file(&mut from_file, file.path(), None, &mut |_, _| {});
    match (&in_memory, &streamed) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "the same bundle, another summary"),
        (Err(_), Err(_)) => assert!(
            from_file.list_checks(None).expect("readable").is_empty(),
            "a rejected bundle left records"
        ),
        _ => panic!("from bytes: {in_memory:?}; from a file: {streamed:?}"),
    }
});
