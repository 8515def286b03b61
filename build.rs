//! Embeds the geography into the core.
//!
//! The official 2024 boundaries and gazetteer live in `../shared/geodata/` (or the folder named
//! by `WIJKKOMPAS_GEODATA`) and may not be committed, so they are copied into `OUT_DIR` here and
//! included from there. Without them the build embeds the registry-derived fallback committed in
//! `data/geo-fallback/`, and the core marks its municipality answers as approximate.
use std::env;
use std::fs;
use std::path::{Path, PathBuf};

const OFFICIAL: [(&str, &str); 4] = [
    ("gemeenten-2024.geojson", "municipalities_lookup.geojson"),
    ("gemeenten-2024-land.geojson", "municipalities_draw.geojson"),
    ("provincies-2024.geojson", "provinces.geojson"),
    ("places-nl.csv", "places.csv"),
];
/// The CBS wijken: embedded with the official set; a build without them has no wijk level.
const WIJKEN: [(&str, &str); 2] = [
    ("wijken-2024.geojson", "wijken.geojson"),
    ("wijken-2024.csv", "wijken.csv"),
];
const FALLBACK: [(&str, &str); 3] = [
    ("provinces.geojson", "provinces.geojson"),
    ("country.geojson", "country.geojson"),
    ("places.csv", "places.csv"),
];

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-env-changed=WIJKKOMPAS_GEODATA");
    let official_dir = env::var_os("WIJKKOMPAS_GEODATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../shared/geodata"));
    println!("cargo:rerun-if-changed={}", official_dir.display());
    let fallback_dir = manifest.join("data/geo-fallback");
    println!("cargo:rerun-if-changed={}", fallback_dir.display());

    let official = OFFICIAL
        .iter()
        .all(|(src, _)| official_dir.join(src).is_file());
    let (dir, files): (&Path, &[(&str, &str)]) = if official {
        (&official_dir, &OFFICIAL)
    } else {
        (&fallback_dir, &FALLBACK)
    };
    for (src, dst) in files {
        let from = dir.join(src);
        println!("cargo:rerun-if-changed={}", from.display());
        fs::copy(&from, out.join(dst)).unwrap_or_else(|e| {
            panic!(
                "cannot read geodata {}: {e} (see data/SOURCES.md)",
                from.display()
            )
        });
    }
    let wijken = official
        && WIJKEN
            .iter()
            .all(|(src, _)| official_dir.join(src).is_file());
    if wijken {
        for (src, dst) in WIJKEN {
            let from = official_dir.join(src);
            println!("cargo:rerun-if-changed={}", from.display());
            fs::copy(&from, out.join(dst))
                .unwrap_or_else(|e| panic!("cannot read geodata {}: {e}", from.display()));
        }
    }
    let include = |name: &str| format!("include_str!(concat!(env!(\"OUT_DIR\"), \"/{name}\"))");
    let optional = |present: bool, name: &str| {
        if present {
            format!("Some({})", include(name))
        } else {
            "None".to_string()
        }
    };
    let generated = format!(
        "/// True when the official Kadaster boundaries were embedded.\n\
         pub const OFFICIAL: bool = {official};\n\
         pub const MUNICIPALITIES_LOOKUP: Option<&str> = {};\n\
         pub const MUNICIPALITIES_DRAW: Option<&str> = {};\n\
         pub const COUNTRY: Option<&str> = {};\n\
         pub const PROVINCES: &str = {};\n\
         pub const PLACES: &str = {};\n\
         /// The CBS wijken 2024 (boundaries, label points), when embedded.\n\
         pub const WIJKEN: Option<&str> = {};\n\
         pub const WIJK_LABELS: Option<&str> = {};\n",
        optional(official, "municipalities_lookup.geojson"),
        optional(official, "municipalities_draw.geojson"),
        optional(!official, "country.geojson"),
        include("provinces.geojson"),
        include("places.csv"),
        optional(wijken, "wijken.geojson"),
        optional(wijken, "wijken.csv"),
    );
    fs::write(out.join("geodata.rs"), generated).unwrap();
}
