//! Issue 12, defect 16: a large bundle is streamed, not held. The import of a file must need
//! memory for its ids, not for its records: this binary counts every allocation (its own global
//! allocator) and compares the import's peak with the file's size. One test, so that no other
//! test's allocations are counted with it.
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

#[path = "../integration/large_bundles.rs"]
mod large_bundles;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let now = LIVE.fetch_add(bytes, Ordering::SeqCst) + bytes;
    PEAK.fetch_max(now, Ordering::SeqCst);
}

// SAFETY: every call is passed to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            grew(new_size - layout.size());
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::SeqCst);
        }
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// The most memory taken at once while `f` runs, above what was taken before it.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = LIVE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let value = f();
    (value, PEAK.load(Ordering::SeqCst) - before)
}

#[test]
fn a_large_bundle_is_imported_in_memory_that_does_not_grow_with_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bundle.json");
    std::fs::write(&path, large_bundles::bundle_text(4_000, 5)).unwrap();
    let file_bytes = std::fs::metadata(&path).unwrap().len() as usize;
    let mut store = wijkkompas::store::Store::open(&dir.path().join("db.sqlite")).unwrap();
    // The geography and catalogue are read once per process: not part of the import's cost.
    wijkkompas::geo::geography().locate(52.09, 5.12).unwrap();
    wijkkompas::content::catalog::catalog();
    let (summary, peak) = peak_of(|| {
        wijkkompas::exchange::import_file(&mut store, &path, None, &mut |_, _| {}).unwrap()
    });
    assert_eq!(summary.added, 24_000);
    eprintln!("file {file_bytes} bytes, import peak {peak} bytes");
    // Holding the text alone would take the file's size; holding the records, several times it.
    assert!(
        peak < file_bytes / 4,
        "the import took {peak} bytes at its peak for a file of {file_bytes} bytes"
    );
}
