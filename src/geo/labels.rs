//! The names a map writes on itself, and from which zoom each kind is written.
//!
//! A map without names cannot be read when zoomed in: a resident placing an initiative looks for
//! their town and wijk, not for a line among lines. So the maps get the names the embedded
//! geography already holds, each with the zoom range where it helps: the provinces for the whole
//! country, the municipalities from the region's scale, towns and villages closer in, wijken and
//! hamlets at street scale. With the official geography the municipalities' and wijken's label
//! points are the registries' own (always inside their area); the fallback has no wijken and no
//! municipal label points, so a municipality is named at its largest place.
//!
//! The list is in order of importance: a map places names first to last and leaves out one that
//! would overlap a name already placed, so the important names survive crowding.
use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{distance_km, embedded, geography, normalize};

/// What a name on the map names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum LabelKind {
    Province,
    Municipality,
    /// A town or village.
    Place,
    /// A CBS wijk (official build only).
    Wijk,
    /// A smaller settlement.
    Hamlet,
}

impl LabelKind {
    /// The zooms (Leaflet's: about 7 shows the whole country, 13 a few streets) between which a
    /// kind of name is written: from the first, below the second.
    pub fn zooms(self) -> (f64, Option<f64>) {
        match self {
            LabelKind::Province => (0.0, Some(8.0)),
            LabelKind::Municipality => (8.0, None),
            LabelKind::Place => (10.0, None),
            LabelKind::Wijk => (11.5, None),
            LabelKind::Hamlet => (12.0, None),
        }
    }
}

/// One name on the map.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MapLabel {
    pub name: String,
    pub kind: LabelKind,
    pub lat: f64,
    pub lon: f64,
    /// The name is written from this zoom …
    pub from_zoom: f64,
    /// … and below this one (none: at every closer zoom).
    pub to_zoom: Option<f64>,
}

impl MapLabel {
    fn new(name: &str, kind: LabelKind, lat: f64, lon: f64) -> MapLabel {
        let (from_zoom, to_zoom) = kind.zooms();
        MapLabel {
            name: name.to_string(),
            kind,
            lat,
            lon,
            from_zoom,
            to_zoom,
        }
    }
}

#[derive(Debug, Deserialize)]
struct PlaceRow {
    name: String,
    kind: String,
    lat: f64,
    lon: f64,
    gm_code: String,
    gm_name: String,
    #[serde(default)]
    population: Option<u64>,
}

/// A town named like its municipality within this distance of the municipality's label is the
/// same name twice: written once.
const SAME_NAME_WITHIN_KM: f64 = 8.0;

/// Every name the maps may write, most important first (see the module's note).
pub fn map_labels() -> &'static [MapLabel] {
    static LABELS: OnceLock<Vec<MapLabel>> = OnceLock::new();
    LABELS.get_or_init(|| {
        let wijken = geography()
            .wijk_outlines()
            .map(|(area, _, (lat, lon), _)| (area.name.as_str(), lat, lon));
        labels_from(embedded::PLACES, wijken)
    })
}

/// The labels as the JSON the UI receives, made once.
pub fn map_labels_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| serde_json::to_string(map_labels()).expect("labels serialize"))
}

fn labels_from<'a>(
    places_csv: &str,
    wijken: impl Iterator<Item = (&'a str, f64, f64)>,
) -> Vec<MapLabel> {
    let rows: Vec<PlaceRow> = csv::Reader::from_reader(places_csv.as_bytes())
        .deserialize::<PlaceRow>()
        .filter_map(Result::ok)
        .collect();
    let mut labels: Vec<MapLabel> = rows
        .iter()
        .filter(|r| r.kind == "provincie")
        .map(|r| MapLabel::new(&r.name, LabelKind::Province, r.lat, r.lon))
        .collect();
    let municipalities = municipality_labels(&rows);
    let mut towns: Vec<&PlaceRow> = rows
        .iter()
        .filter(|r| r.kind == "woonplaats" || r.kind == "geonames_ppl")
        .collect();
    // Larger towns first; the registry's woonplaatsen (no population given) before GeoNames'
    // smaller places, which the official build only has where the registry has no woonplaats.
    towns.sort_by_key(|r| (r.kind != "woonplaats", std::cmp::Reverse(r.population)));
    let official = rows.iter().any(|r| r.kind == "woonplaats");
    let mut town_labels: Vec<MapLabel> = towns
        .iter()
        .filter(|r| {
            !municipalities.iter().any(|m| {
                m.name == r.name
                    && distance_km((m.lat, m.lon), (r.lat, r.lon)) < SAME_NAME_WITHIN_KM
            })
        })
        .map(|r| {
            let kind = if official && r.kind == "geonames_ppl" {
                LabelKind::Hamlet
            } else {
                LabelKind::Place
            };
            MapLabel::new(&r.name, kind, r.lat, r.lon)
        })
        .collect();
    // Towns before hamlets (a stable sort: each keeps its order by size).
    town_labels.sort_by_key(|l| l.kind == LabelKind::Hamlet);
    labels.extend(municipalities);
    // Where the wijken are written (a town close up) they name what a resident looks for, so they
    // go before the towns and villages around.
    labels.extend(wijken.map(|(name, lat, lon)| MapLabel::new(name, LabelKind::Wijk, lat, lon)));
    labels.extend(town_labels);
    without_repeats(labels)
}

/** Two names alike (as search reads them: "Oud-Zuilen", "Oud Zuilen") within this distance name
 * the same place: a wijk named after its village, a hamlet GeoNames knows by the town's name. */
const REPEAT_WITHIN_KM: f64 = 5.0;

/// Each name once where it repeats nearby: the one written from the farthest zoom out stays (the
/// more important of equals), so that the name is on the map at every zoom it was before.
fn without_repeats(labels: Vec<MapLabel>) -> Vec<MapLabel> {
    let mut alike: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, l) in labels.iter().enumerate() {
        alike.entry(normalize(&l.name)).or_default().push(i);
    }
    let first = |i: usize, j: usize| {
        (labels[j].from_zoom, j).partial_cmp(&(labels[i].from_zoom, i))
            == Some(std::cmp::Ordering::Less)
    };
    let repeated: Vec<bool> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            alike[&normalize(&l.name)].iter().any(|&j| {
                j != i
                    && first(i, j)
                    && labels[j].kind != LabelKind::Province
                    && distance_km((l.lat, l.lon), (labels[j].lat, labels[j].lon))
                        < REPEAT_WITHIN_KM
            })
        })
        .collect();
    labels
        .into_iter()
        .zip(repeated)
        .filter_map(|(l, r)| (!r).then_some(l))
        .collect()
}

/// The municipalities' names: at the registry's label points when the places list has them
/// (official build), otherwise at each municipality's largest place.
fn municipality_labels(rows: &[PlaceRow]) -> Vec<MapLabel> {
    let official: Vec<MapLabel> = rows
        .iter()
        .filter(|r| r.kind == "gemeente")
        .map(|r| MapLabel::new(&r.name, LabelKind::Municipality, r.lat, r.lon))
        .collect();
    if !official.is_empty() {
        return official;
    }
    let mut largest: HashMap<&str, &PlaceRow> = HashMap::new();
    for r in rows
        .iter()
        .filter(|r| !r.gm_code.is_empty() && r.kind != "provincie")
    {
        let best = largest.entry(&r.gm_code).or_insert(r);
        if r.population > best.population {
            *best = r;
        }
    }
    let mut labels: Vec<(Option<u64>, MapLabel)> = largest
        .into_values()
        .map(|r| {
            (
                r.population,
                MapLabel::new(&r.gm_name, LabelKind::Municipality, r.lat, r.lon),
            )
        })
        .collect();
    labels.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.name.cmp(&b.1.name)));
    labels.into_iter().map(|(_, l)| l).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FALLBACK: &str = include_str!("../../data/geo-fallback/places.csv");

    fn named<'a>(labels: &'a [MapLabel], name: &str, kind: LabelKind) -> Option<&'a MapLabel> {
        labels.iter().find(|l| l.name == name && l.kind == kind)
    }

    #[test]
    fn every_kind_has_its_zooms_and_closer_kinds_start_later() {
        let order = [
            LabelKind::Municipality,
            LabelKind::Place,
            LabelKind::Wijk,
            LabelKind::Hamlet,
        ];
        for pair in order.windows(2) {
            assert!(pair[0].zooms().0 < pair[1].zooms().0, "{pair:?}");
        }
        let (_, province_until) = LabelKind::Province.zooms();
        assert_eq!(province_until, Some(LabelKind::Municipality.zooms().0));
    }

    #[test]
    fn the_embedded_geography_names_provinces_municipalities_towns_and_wijken() {
        let labels = map_labels();
        let count = |k: LabelKind| labels.iter().filter(|l| l.kind == k).count();
        assert_eq!(count(LabelKind::Province), 12);
        assert!(named(labels, "Utrecht", LabelKind::Municipality).is_some());
        assert!(
            count(LabelKind::Place) > 1000,
            "{}",
            count(LabelKind::Place)
        );
        if geography().is_official() {
            assert!(count(LabelKind::Municipality) >= 341);
            // Of the 3,393 wijken, those not named like the village they are.
            assert!(
                (1500..3393).contains(&count(LabelKind::Wijk)),
                "{}",
                count(LabelKind::Wijk)
            );
            assert!(named(labels, "Overvecht", LabelKind::Wijk).is_some());
            // Named once: the village (written from further out), not its wijk or hamlet too.
            let oud_zuilen: Vec<_> = labels
                .iter()
                .filter(|l| normalize(&l.name) == "oud zuilen")
                .map(|l| l.kind)
                .collect();
            assert_eq!(oud_zuilen, [LabelKind::Place], "{oud_zuilen:?}");
        } else {
            assert_eq!(count(LabelKind::Wijk), 0);
        }
        // Most important first: provinces, municipalities, wijken, towns, hamlets.
        let rank = |k: LabelKind| labels.iter().position(|l| l.kind == k).unwrap();
        assert!(rank(LabelKind::Province) < rank(LabelKind::Municipality));
        assert!(rank(LabelKind::Municipality) < rank(LabelKind::Place));
        if geography().is_official() {
            let last = |k: LabelKind| labels.iter().rposition(|l| l.kind == k).unwrap();
            assert!(last(LabelKind::Wijk) < rank(LabelKind::Place));
            assert!(last(LabelKind::Place) < rank(LabelKind::Hamlet));
        }
        let json: serde_json::Value = serde_json::from_str(map_labels_json()).unwrap();
        assert_eq!(json[0]["kind"], "province");
        assert_eq!(json[0]["to_zoom"], 8.0);
    }

    #[test]
    fn the_fallback_names_each_municipality_at_its_largest_place_once() {
        let labels = labels_from(FALLBACK, std::iter::empty());
        let utrecht = named(&labels, "Utrecht", LabelKind::Municipality).expect("Utrecht");
        assert!((utrecht.lat - 52.09).abs() < 0.05 && (utrecht.lon - 5.12).abs() < 0.05);
        // The town Utrecht is the municipality's label already: not written twice.
        assert!(named(&labels, "Utrecht", LabelKind::Place).is_none());
        assert!(named(&labels, "Overvecht", LabelKind::Wijk).is_none());
        let codes: std::collections::HashSet<_> = labels
            .iter()
            .filter(|l| l.kind == LabelKind::Municipality)
            .map(|l| (l.name.clone(), l.lat.to_bits()))
            .collect();
        assert!(codes.len() > 250, "{}", codes.len());
        // The larger municipality comes first.
        let pos = |n: &str| labels.iter().position(|l| l.name == n).unwrap();
        assert!(pos("Amsterdam") < pos("Bunnik"));
    }
}
