/*! The gazetteer: Dutch places, municipalities, provinces and neighbourhoods with their
municipality, searchable the way people type them: without caring about case, accents,
apostrophes or hyphens, and by everyday names the registry does not carry ("Den Haag"). */
use std::collections::HashMap;

use rstar::primitives::GeomWithData;
use rstar::RTree;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::catalog::Area;

/// What kind of place a gazetteer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    /// A town or village (BAG woonplaats).
    Place,
    Municipality,
    /// A CBS district (wijk).
    District,
    /// A smaller settlement known from GeoNames.
    Hamlet,
    Province,
}

impl PlaceKind {
    fn from_registry(kind: &str) -> PlaceKind {
        match kind {
            "woonplaats" => PlaceKind::Place,
            "gemeente" => PlaceKind::Municipality,
            "wijk" => PlaceKind::District,
            "provincie" => PlaceKind::Province,
            _ => PlaceKind::Hamlet,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Place {
    pub name: String,
    pub kind: PlaceKind,
    pub lat: f64,
    pub lon: f64,
    pub municipality: Area,
    pub province: Area,
    population: u64,
    /// Normalized name and alternate names, for matching.
    keys: Vec<String>,
}

/// A search suggestion. `label` tells same-named places apart ("Centrum — Utrecht").
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PlaceHit {
    pub name: String,
    pub label: String,
    pub kind: PlaceKind,
    pub lat: f64,
    pub lon: f64,
    pub municipality: Area,
    pub province: Area,
}

#[derive(Debug, Deserialize)]
struct Row {
    name: String,
    kind: String,
    lat: f64,
    lon: f64,
    gm_code: String,
    gm_name: String,
    pv_code: String,
    pv_name: String,
    #[serde(default)]
    population: Option<u64>,
    #[serde(default)]
    alt_names: String,
}

#[derive(Debug, Deserialize)]
struct AliasFile {
    aliases: HashMap<String, String>,
}

/// Lower case, accents and apostrophes dropped, other punctuation as single spaces:
/// "'s-Gravenhage" and "S GRAVENHAGE" both become "s gravenhage".
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if matches!(c, '\'' | '’' | '‘' | '`' | '´') {
            continue;
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// How well a key matches a query; lower is better.
fn match_rank(key: &str, query: &str) -> Option<u8> {
    if key == query {
        Some(0)
    } else if key.starts_with(query) {
        Some(1)
    } else if key.split(' ').skip(1).any(|w| w.starts_with(query)) || key.contains(&format!(" {query}")) {
        Some(2)
    } else if query.len() >= 3 && key.contains(query) {
        Some(3)
    } else {
        None
    }
}

pub(super) struct Gazetteer {
    places: Vec<Place>,
    /// Places with a municipality, for the fallback's nearest-place guess.
    points: RTree<GeomWithData<[f64; 2], usize>>,
}

/// Degrees of longitude are shorter than degrees of latitude at Dutch latitudes; scaling
/// longitude by cos(52°) makes nearest-neighbour search in degrees close to true distance.
const LON_SCALE: f64 = 0.6157;

impl Gazetteer {
    pub(super) fn load(csv_text: &str) -> Gazetteer {
        let aliases: AliasFile = serde_json::from_str(include_str!("../../data/place-aliases.json"))
            .expect("data/place-aliases.json is valid (checked by gazetteer tests)");
        let mut alias_of: HashMap<String, Vec<String>> = HashMap::new();
        for (alias, official) in aliases.aliases {
            alias_of.entry(official).or_default().push(alias);
        }
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let places: Vec<Place> = reader
            .deserialize::<Row>()
            .map(|row| row.expect("embedded gazetteer rows are valid (checked by gazetteer tests)"))
            .map(|row| {
                let mut keys = vec![normalize(&row.name)];
                let extra = row.alt_names.split('|').map(str::to_string);
                let aliases = alias_of.get(&row.name).into_iter().flatten().cloned();
                keys.extend(extra.chain(aliases).map(|n| normalize(&n)).filter(|k| !k.is_empty()));
                Place {
                    kind: PlaceKind::from_registry(&row.kind),
                    name: row.name,
                    lat: row.lat,
                    lon: row.lon,
                    municipality: Area { code: row.gm_code, name: row.gm_name },
                    province: Area { code: row.pv_code, name: row.pv_name },
                    population: row.population.unwrap_or(0),
                    keys,
                }
            })
            .collect();
        let points = RTree::bulk_load(
            places
                .iter()
                .enumerate()
                .filter(|(_, p)| !p.municipality.code.is_empty() && p.kind != PlaceKind::Province)
                .map(|(i, p)| GeomWithData::new([p.lon * LON_SCALE, p.lat], i))
                .collect(),
        );
        Gazetteer { places, points }
    }

    pub(super) fn search(&self, query: &str, limit: usize) -> Vec<PlaceHit> {
        let query = normalize(query);
        if query.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut hits: Vec<(u8, &Place)> = self
            .places
            .iter()
            .filter_map(|p| p.keys.iter().filter_map(|k| match_rank(k, &query)).min().map(|r| (r, p)))
            .collect();
        hits.sort_by(|(ra, a), (rb, b)| {
            ra.cmp(rb)
                .then(a.kind.cmp(&b.kind))
                .then(b.population.cmp(&a.population))
                .then(a.name.cmp(&b.name))
                .then(a.municipality.name.cmp(&b.municipality.name))
        });
        hits.truncate(limit);
        hits.into_iter()
            .map(|(_, p)| PlaceHit {
                label: if p.name == p.municipality.name || p.kind == PlaceKind::Province {
                    p.name.clone()
                } else {
                    format!("{} — {}", p.name, p.municipality.name)
                },
                name: p.name.clone(),
                kind: p.kind,
                lat: p.lat,
                lon: p.lon,
                municipality: p.municipality.clone(),
                province: p.province.clone(),
            })
            .collect()
    }

    /// The municipality of the nearest place: the fallback's guess when no polygons exist.
    pub(super) fn nearest_municipality(&self, lat: f64, lon: f64) -> Option<Area> {
        let nearest = self.points.nearest_neighbor(&[lon * LON_SCALE, lat])?;
        Some(self.places[nearest.data].municipality.clone())
    }

    pub(super) fn municipalities(&self) -> Vec<Area> {
        self.places.iter().filter(|p| !p.municipality.code.is_empty()).map(|p| p.municipality.clone()).collect()
    }

    pub(super) fn municipality(&self, code: &str) -> Option<(Area, Option<Area>)> {
        self.places
            .iter()
            .find(|p| p.municipality.code == code)
            .map(|p| (p.municipality.clone(), Some(p.province.clone())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::geography;

    #[test]
    fn normalizing_ignores_case_accents_and_punctuation() {
        assert_eq!(normalize("'s-Gravenhage"), "s gravenhage");
        assert_eq!(normalize("Súdwest-Fryslân"), "sudwest fryslan");
        assert_eq!(normalize("  Den   Haag "), "den haag");
        assert_eq!(normalize("CRANENDONCK"), "cranendonck");
    }

    #[test]
    fn den_haag_finds_s_gravenhage() {
        let hits = geography().search("Den Haag", 5);
        assert!(hits.iter().any(|h| h.municipality.code == "GM0518"), "{hits:?}");
        if geography().is_official() {
            assert_eq!(hits[0].name, "'s-Gravenhage");
        }
    }

    #[test]
    fn search_ignores_case_and_diacritics() {
        if geography().is_official() {
            let hits = geography().search("sudwest fryslan", 3);
            assert_eq!(hits[0].municipality.name, "Súdwest-Fryslân");
        }
        let hits = geography().search("leeuwarden", 3);
        assert_eq!(hits[0].name, "Leeuwarden");
        let hits = geography().search("UTRECHT", 3);
        assert_eq!(hits[0].name, "Utrecht");
    }

    #[test]
    fn same_named_places_are_told_apart_by_municipality() {
        if !geography().is_official() {
            return; // the fallback gazetteer has no neighbourhoods
        }
        let hits = geography().search("Centrum", 40);
        let labels: Vec<&str> = hits.iter().map(|h| h.label.as_str()).collect();
        assert!(labels.contains(&"Centrum — Groningen") && labels.contains(&"Centrum — Maastricht"), "{labels:?}");
        assert!(hits.len() > 10);
    }

    #[test]
    fn exact_names_rank_above_prefixes() {
        let hits = geography().search("Ede", 5);
        assert_eq!(hits[0].name, "Ede");
    }

    #[test]
    fn empty_queries_find_nothing() {
        assert!(geography().search("  ", 5).is_empty());
        assert!(geography().search("Utrecht", 0).is_empty());
    }
}
