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

use super::wijken::Wijken;
use crate::model::{Area, Lang};

/// What kind of place a gazetteer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    /// A town or village (BAG woonplaats).
    Place,
    Municipality,
    /// A CBS wijk of 2024.
    District,
    /// A name people use for part of a town that is not a wijk of 2024 (a buurt, a stadsdeel, a
    /// wijk's older name), from `data/neighbourhoods.csv` or the CBS wijken of 2022.
    Neighbourhood,
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
    /// The wijk the place is or lies in (official build only).
    pub wijk: Option<Area>,
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
    /// The wijk the place is or lies in, when the build has wijken.
    pub wijk: Option<Area>,
}

/// A row of `data/neighbourhoods.csv`: a name with the point that places it and its source.
#[derive(Debug, Deserialize)]
struct NeighbourhoodRow {
    name: String,
    lat: f64,
    lon: f64,
    gm_code: String,
    #[allow(dead_code)] // read by people and by the content test, not by the search
    source: String,
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
    } else if key.split(' ').skip(1).any(|w| w.starts_with(query))
        || key.contains(&format!(" {query}"))
    {
        Some(2)
    } else if query.len() >= 3 && key.contains(query) {
        Some(3)
    } else {
        None
    }
}

/// How a suggestion reads: same-named places told apart by municipality ("Centrum — Utrecht"),
/// a wijk named as one ("Overvecht — wijk in Utrecht"), a neighbourhood by the wijk it lies in.
fn label(p: &Place, lang: Lang) -> String {
    let (name, town) = (&p.name, &p.municipality.name);
    match (p.kind, &p.wijk, lang) {
        (PlaceKind::Province, _, _) => name.clone(),
        (PlaceKind::District, _, Lang::Nl) => format!("{name} — wijk in {town}"),
        (PlaceKind::District, _, Lang::En) => format!("{name} — district in {town}"),
        (PlaceKind::Neighbourhood, Some(wijk), Lang::Nl) => {
            format!("{name} — in wijk {}, {town}", wijk.name)
        }
        (PlaceKind::Neighbourhood, Some(wijk), Lang::En) => {
            format!("{name} — in district {}, {town}", wijk.name)
        }
        _ if name == town || town.is_empty() => name.clone(),
        _ => format!("{name} — {town}"),
    }
}

/// Brings the wijken into the gazetteer: every wijk of 2024 as a district, named without CBS's
/// numbering; the names of `data/neighbourhoods.csv` and the wijken of 2022 that are not (or no
/// longer) a wijk's name as neighbourhoods, each with the wijk its point lies in. Without wijken
/// (the fallback build) the neighbourhoods are still found, without a wijk.
fn with_wijken(places: &mut Vec<Place>, wijken: &Wijken, areas: &HashMap<String, (Area, Area)>) {
    let wijk_names: std::collections::HashSet<(String, String)> = wijken
        .list
        .iter()
        .map(|w| (w.municipality.clone(), normalize(&w.area.name)))
        .collect();
    let is_a_wijk = |gm: &str, name: &str| wijk_names.contains(&(gm.to_string(), normalize(name)));
    let wijk_at =
        |lat: f64, lon: f64, gm: &str| wijken.locate(lat, lon, gm).map(|w| w.area.clone());
    let rows: Vec<NeighbourhoodRow> =
        csv::Reader::from_reader(include_str!("../../data/neighbourhoods.csv").as_bytes())
            .deserialize()
            .collect::<Result<_, _>>()
            .expect("data/neighbourhoods.csv is valid (checked by gazetteer tests)");
    let ours: std::collections::HashSet<(String, String)> = rows
        .iter()
        .map(|r| (r.gm_code.clone(), normalize(&r.name)))
        .collect();
    if !wijken.list.is_empty() {
        // The 2022 wijken: a name that is still a wijk's gives way to the 2024 wijk.
        places.retain(|p| {
            p.kind != PlaceKind::District
                || !(is_a_wijk(&p.municipality.code, &p.name)
                    || ours.contains(&(p.municipality.code.clone(), normalize(&p.name))))
        });
        for p in places.iter_mut().filter(|p| p.kind == PlaceKind::District) {
            p.kind = PlaceKind::Neighbourhood;
            p.wijk = wijk_at(p.lat, p.lon, &p.municipality.code);
        }
        for w in &wijken.list {
            let Some((municipality, province)) = areas.get(&w.municipality) else {
                continue;
            };
            places.push(Place {
                name: w.area.name.clone(),
                kind: PlaceKind::District,
                lat: w.label.0,
                lon: w.label.1,
                municipality: municipality.clone(),
                province: province.clone(),
                wijk: Some(w.area.clone()),
                population: 0,
                keys: vec![normalize(&w.area.name)],
            });
        }
    }
    for row in rows {
        if is_a_wijk(&row.gm_code, &row.name) {
            continue;
        }
        let Some((municipality, province)) = areas.get(&row.gm_code) else {
            continue;
        };
        places.push(Place {
            kind: PlaceKind::Neighbourhood,
            keys: vec![normalize(&row.name)],
            wijk: wijk_at(row.lat, row.lon, &row.gm_code),
            name: row.name,
            lat: row.lat,
            lon: row.lon,
            municipality: municipality.clone(),
            province: province.clone(),
            population: 0,
        });
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
    pub(super) fn load(csv_text: &str, wijken: &Wijken) -> Gazetteer {
        let aliases: AliasFile =
            serde_json::from_str(include_str!("../../data/place-aliases.json"))
                .expect("data/place-aliases.json is valid (checked by gazetteer tests)");
        let mut alias_of: HashMap<String, Vec<String>> = HashMap::new();
        for (alias, official) in aliases.aliases {
            alias_of.entry(official).or_default().push(alias);
        }
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let mut places: Vec<Place> = reader
            .deserialize::<Row>()
            .map(|row| row.expect("embedded gazetteer rows are valid (checked by gazetteer tests)"))
            .map(|row| {
                let mut keys = vec![normalize(&row.name)];
                let extra = row.alt_names.split('|').map(str::to_string);
                let aliases = alias_of.get(&row.name).into_iter().flatten().cloned();
                keys.extend(
                    extra
                        .chain(aliases)
                        .map(|n| normalize(&n))
                        .filter(|k| !k.is_empty()),
                );
                Place {
                    kind: PlaceKind::from_registry(&row.kind),
                    name: row.name,
                    lat: row.lat,
                    lon: row.lon,
                    municipality: Area {
                        code: row.gm_code,
                        name: row.gm_name,
                    },
                    province: Area {
                        code: row.pv_code,
                        name: row.pv_name,
                    },
                    wijk: None,
                    population: row.population.unwrap_or(0),
                    keys,
                }
            })
            .collect();
        let areas: HashMap<String, (Area, Area)> = places
            .iter()
            .filter(|p| !p.municipality.code.is_empty() && !p.province.code.is_empty())
            .map(|p| {
                (
                    p.municipality.code.clone(),
                    (p.municipality.clone(), p.province.clone()),
                )
            })
            .collect();
        with_wijken(&mut places, wijken, &areas);
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

    pub(super) fn search(&self, query: &str, limit: usize, lang: Lang) -> Vec<PlaceHit> {
        // CBS's numbering ("Wijk 03 Overvecht") is not part of any name searched.
        let query = normalize(&super::wijken::display_name(query));
        if query.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut hits: Vec<(u8, &Place)> = self
            .places
            .iter()
            .filter_map(|p| {
                p.keys
                    .iter()
                    .filter_map(|k| match_rank(k, &query))
                    .min()
                    .map(|r| (r, p))
            })
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
                label: label(p, lang),
                name: p.name.clone(),
                kind: p.kind,
                lat: p.lat,
                lon: p.lon,
                municipality: p.municipality.clone(),
                province: p.province.clone(),
                wijk: p.wijk.clone(),
            })
            .collect()
    }

    /// The municipality of the nearest place: the fallback's guess when no polygons exist.
    pub(super) fn nearest_municipality(&self, lat: f64, lon: f64) -> Option<Area> {
        let nearest = self.points.nearest_neighbor(&[lon * LON_SCALE, lat])?;
        Some(self.places[nearest.data].municipality.clone())
    }

    pub(super) fn municipalities(&self) -> Vec<Area> {
        self.places
            .iter()
            .filter(|p| !p.municipality.code.is_empty())
            .map(|p| p.municipality.clone())
            .collect()
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
        let hits = geography().search("Den Haag", 5, Lang::Nl);
        assert!(
            hits.iter().any(|h| h.municipality.code == "GM0518"),
            "{hits:?}"
        );
        if geography().is_official() {
            assert_eq!(hits[0].name, "'s-Gravenhage");
        }
    }

    #[test]
    fn search_ignores_case_and_diacritics() {
        if geography().is_official() {
            let hits = geography().search("sudwest fryslan", 3, Lang::Nl);
            assert_eq!(hits[0].municipality.name, "Súdwest-Fryslân");
        }
        let hits = geography().search("leeuwarden", 3, Lang::Nl);
        assert_eq!(hits[0].name, "Leeuwarden");
        let hits = geography().search("UTRECHT", 3, Lang::Nl);
        assert_eq!(hits[0].name, "Utrecht");
    }

    #[test]
    fn same_named_places_are_told_apart_by_municipality() {
        if !geography().is_official() {
            return; // the fallback gazetteer has no neighbourhoods
        }
        let hits = geography().search("Centrum", 40, Lang::Nl);
        let labels: Vec<&str> = hits.iter().map(|h| h.label.as_str()).collect();
        assert!(
            labels.contains(&"Centrum — wijk in Groningen")
                && labels.contains(&"Centrum — wijk in Maastricht"),
            "{labels:?}"
        );
        assert!(hits.len() > 10);
    }

    #[test]
    fn wijken_are_found_by_name_with_their_municipality() {
        if !geography().has_wijken() {
            return;
        }
        for (query, label) in [
            ("overvecht", "Overvecht — wijk in Utrecht"),
            ("bovensmilde", "Bovensmilde — wijk in Midden-Drenthe"),
            ("poelenburg", "Poelenburg — wijk in Zaanstad"),
            ("wijk 03 overvecht", "Overvecht — wijk in Utrecht"),
        ] {
            let hits = geography().search(query, 10, Lang::Nl);
            assert!(
                hits.iter()
                    .any(|h| h.label == label && h.kind == PlaceKind::District),
                "{query}: {hits:?}"
            );
        }
        let hits = geography().search("overvecht", 3, Lang::En);
        assert_eq!(hits[0].label, "Overvecht — district in Utrecht");
        assert_eq!(
            hits[0].wijk.as_ref().map(|w| w.code.as_str()),
            Some("WK034403")
        );
        // CBS's numbering is not searched: "wijk 0" finds no Utrecht wijk by its number.
        assert!(geography()
            .search("wijk 06", 40, Lang::Nl)
            .iter()
            .all(|h| h.municipality.code != "GM0344"));
    }

    #[test]
    fn every_neighbourhood_of_the_table_is_found_in_its_wijk() {
        let rows: Vec<NeighbourhoodRow> =
            csv::Reader::from_reader(include_str!("../../data/neighbourhoods.csv").as_bytes())
                .deserialize()
                .collect::<Result<_, _>>()
                .unwrap();
        assert!(rows.len() >= 15);
        for row in rows {
            assert!(!row.source.trim().is_empty(), "{} has a source", row.name);
            let hits = geography().search(&row.name, 20, Lang::Nl);
            let hit = hits
                .iter()
                .find(|h| {
                    normalize(&h.name) == normalize(&row.name) && h.municipality.code == row.gm_code
                })
                .unwrap_or_else(|| panic!("{} is found: {hits:?}", row.name));
            if geography().has_wijken() {
                let wijk = hit
                    .wijk
                    .as_ref()
                    .unwrap_or_else(|| panic!("{} lies in a wijk", row.name));
                assert_eq!(
                    geography().wijk(&wijk.code).unwrap().1,
                    row.gm_code,
                    "{}",
                    row.name
                );
                if hit.kind == PlaceKind::Neighbourhood {
                    assert!(
                        hit.label.contains(&format!("in wijk {}", wijk.name)),
                        "{}",
                        hit.label
                    );
                    assert_eq!(
                        geography().locate(row.lat, row.lon).unwrap().wijk.as_ref(),
                        Some(wijk),
                        "placed by its point"
                    );
                }
            }
        }
        if geography().has_wijken() {
            let hit = &geography().search("Kanaleneiland", 1, Lang::Nl)[0];
            assert_eq!(hit.label, "Kanaleneiland — in wijk Zuidwest, Utrecht");
        }
    }

    #[test]
    fn exact_names_rank_above_prefixes() {
        let hits = geography().search("Ede", 5, Lang::Nl);
        assert_eq!(hits[0].name, "Ede");
    }

    #[test]
    fn empty_queries_find_nothing() {
        assert!(geography().search("  ", 5, Lang::Nl).is_empty());
        assert!(geography().search("Utrecht", 0, Lang::Nl).is_empty());
    }
}
