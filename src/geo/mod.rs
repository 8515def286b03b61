/*! Where is a point? Municipality, province and CBS wijk of a WGS84 point, and place-name search.

With the official boundaries embedded (see `build.rs`), a point's municipality comes from the
polygons, through a grid over the country whose cells know which polygons they touch
(`locator.rs`), never from a nearby place; the twelve provinces through an R-tree of their
bounding boxes. Without them
(a build with no `../shared/geodata`) the province still comes from polygons (Natural Earth),
but the municipality is that of the nearest gazetteer place, every answer says
`approximate: true`, and there are no wijken (`wijken.rs`). */
mod basemap;
mod gazetteer;
mod labels;
mod locator;
pub mod rd;
mod wijken;

use std::sync::OnceLock;

use ::geo::{Intersects, MultiPolygon, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};
use serde::Serialize;
use thiserror::Error;
use ts_rs::TS;

use crate::model::{Area, Lang};
pub use basemap::{basemap, detailed_borders, Basemap};
pub use gazetteer::{normalize, Place, PlaceHit, PlaceKind};
pub use labels::{map_labels, map_labels_json, LabelKind, MapLabel};
pub use wijken::BORDER_TOLERANCE_M;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/geodata.rs"));
}

#[derive(Debug, Error, PartialEq)]
pub enum GeoError {
    #[error("latitude {0} is not a valid WGS84 latitude (it must be between -90 and 90)")]
    InvalidLatitude(f64),
    #[error("longitude {0} is not a valid WGS84 longitude (it must be between -180 and 180)")]
    InvalidLongitude(f64),
    #[error("there is no municipality with code {0}")]
    UnknownMunicipality(String),
}

/// Checks that a point is valid WGS84.
pub fn validate_point(lat: f64, lon: f64) -> Result<Point<f64>, GeoError> {
    if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
        return Err(GeoError::InvalidLatitude(lat));
    }
    if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
        return Err(GeoError::InvalidLongitude(lon));
    }
    Ok(Point::new(lon, lat))
}

/// The answer to "where is this point?". The areas are None outside the Netherlands; the wijk
/// is None outside every wijk and in a build without wijken.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Location {
    pub municipality: Option<Area>,
    pub province: Option<Area>,
    /// The CBS wijk (code kept whole, name without CBS's numbering), of the same municipality.
    pub wijk: Option<Area>,
    /// True when the municipality was guessed from the nearest place (fallback geography).
    pub approximate: bool,
}

/// An area with its polygons.
struct Region {
    area: Area,
    province: Option<Area>,
    shape: MultiPolygon<f64>,
}

type BoxIndex = RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>;

fn index(regions: &[Region]) -> BoxIndex {
    use ::geo::BoundingRect;
    RTree::bulk_load(
        regions
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let b = r.shape.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners(b.min().x_y().into(), b.max().x_y().into()),
                    i,
                ))
            })
            .collect(),
    )
}

/// The embedded geography: boundaries for lookup and drawing, and the gazetteer.
pub struct Geography {
    official: bool,
    municipalities: Vec<Region>,
    /// Built on the first lookup: the app's start does not wait for it.
    municipality_grid: OnceLock<locator::GridLocator>,
    provinces: Vec<Region>,
    province_index: BoxIndex,
    wijken: wijken::Wijken,
    /// Built on the first search (or the fallback's first guess): locating a point, as a saved
    /// check or an import does, never waits for it.
    gazetteer: OnceLock<gazetteer::Gazetteer>,
}

fn regions(geojson: &str, code_key: &str, name_key: &str) -> Vec<Region> {
    let collection: geojson::FeatureCollection = geojson
        .parse()
        .expect("embedded boundaries are valid GeoJSON (checked by geo tests)");
    collection
        .features
        .into_iter()
        .filter_map(|f| {
            let prop = |k: &str| f.property(k).and_then(|v| v.as_str()).map(str::to_string);
            let area = Area {
                code: prop(code_key)?,
                name: prop(name_key)?,
            };
            let province = match (prop("pv_code"), prop("pv_name")) {
                (Some(code), Some(name)) if code_key != "pv_code" => Some(Area { code, name }),
                _ => None,
            };
            let geometry: ::geo::Geometry<f64> = f.geometry?.try_into().ok()?;
            let shape = match geometry {
                ::geo::Geometry::Polygon(p) => MultiPolygon(vec![p]),
                ::geo::Geometry::MultiPolygon(m) => m,
                _ => return None,
            };
            Some(Region {
                area,
                province,
                shape,
            })
        })
        .collect()
}

fn containing<'a>(
    regions: &'a [Region],
    index: &BoxIndex,
    point: Point<f64>,
) -> Option<&'a Region> {
    // Points on a shared border touch two polygons; the lowest code wins so answers are stable.
    index
        .locate_in_envelope_intersecting(&AABB::from_point([point.x(), point.y()]))
        .map(|g| &regions[g.data])
        .filter(|r| r.shape.intersects(&point))
        .min_by(|a, b| a.area.code.cmp(&b.area.code))
}

impl Geography {
    fn load() -> Geography {
        let mut municipalities = embedded::MUNICIPALITIES_LOOKUP
            .map(|g| regions(g, "gm_code", "gm_name"))
            .unwrap_or_default();
        // By code, so that where polygons overlap the lowest code wins and answers are stable.
        municipalities.sort_by(|a, b| a.area.code.cmp(&b.area.code));
        let provinces = regions(embedded::PROVINCES, "pv_code", "pv_name");
        let wijken = match (embedded::WIJKEN, embedded::WIJK_LABELS) {
            (Some(shapes), Some(labels)) => wijken::Wijken::load(shapes, labels),
            _ => wijken::Wijken::empty(),
        };
        Geography {
            official: embedded::OFFICIAL,
            municipality_grid: OnceLock::new(),
            municipalities,
            province_index: index(&provinces),
            provinces,
            wijken,
            gazetteer: OnceLock::new(),
        }
    }

    fn gazetteer(&self) -> &gazetteer::Gazetteer {
        self.gazetteer
            .get_or_init(|| gazetteer::Gazetteer::load(embedded::PLACES, &self.wijken))
    }

    /// True when the official boundaries are embedded and municipality answers are exact.
    pub fn is_official(&self) -> bool {
        self.official
    }

    pub fn municipality_count(&self) -> usize {
        self.municipalities.len()
    }

    /// The municipality polygon holding a point (official build only), through the grid built
    /// on the first lookup.
    fn municipality_region(&self, lat: f64, lon: f64) -> Option<&Region> {
        let grid = self.municipality_grid.get_or_init(|| {
            locator::GridLocator::new(self.municipalities.iter().map(|r| &r.shape))
        });
        grid.locate(lon, lat).map(|i| &self.municipalities[i])
    }

    /// Municipality, province and wijk of a point; all None outside the Netherlands.
    pub fn locate(&self, lat: f64, lon: f64) -> Result<Location, GeoError> {
        let point = validate_point(lat, lon)?;
        if self.official {
            let hit = self.municipality_region(lat, lon);
            return Ok(Location {
                municipality: hit.map(|r| r.area.clone()),
                province: hit.and_then(|r| r.province.clone()),
                wijk: hit
                    .and_then(|r| self.wijken.locate(lat, lon, &r.area.code))
                    .map(|w| w.area.clone()),
                approximate: false,
            });
        }
        let province =
            containing(&self.provinces, &self.province_index, point).map(|r| r.area.clone());
        let municipality = province
            .as_ref()
            .and_then(|_| self.gazetteer().nearest_municipality(lat, lon));
        Ok(Location {
            municipality,
            province,
            wijk: None,
            approximate: true,
        })
    }

    /// The municipality polygon holding a point (official build; None in the fallback): the
    /// municipal part of `locate` alone, for baselines.
    pub fn municipality_at(&self, lat: f64, lon: f64) -> Option<&Area> {
        if !self.official {
            return None;
        }
        self.municipality_region(lat, lon).map(|r| &r.area)
    }

    /// Municipality by its code (GM0363), with its province.
    pub fn municipality(&self, code: &str) -> Option<(Area, Option<Area>)> {
        self.municipalities
            .iter()
            .find(|r| r.area.code == code)
            .map(|r| (r.area.clone(), r.province.clone()))
            .or_else(|| self.gazetteer().municipality(code))
    }

    /// A municipality by its CBS code exactly as CBS writes it (`GM0344`), or the problem: an
    /// unknown or misspelt code is refused, never read as "none" (which would export nothing).
    pub fn known_municipality(&self, code: &str) -> Result<(Area, Option<Area>), GeoError> {
        self.municipality(code)
            .ok_or_else(|| GeoError::UnknownMunicipality(code.to_string()))
    }

    /// A municipality's boundary (official geography only).
    pub fn outline(&self, code: &str) -> Option<&MultiPolygon<f64>> {
        self.municipalities
            .iter()
            .find(|r| r.area.code == code)
            .map(|r| &r.shape)
    }

    /// Each municipality with its boundary (official geography only), for baselines and checks.
    pub fn municipality_outlines(&self) -> impl Iterator<Item = (&Area, &MultiPolygon<f64>)> {
        self.municipalities.iter().map(|r| (&r.area, &r.shape))
    }

    /// True when the CBS wijken are embedded (the fallback build has none).
    pub fn has_wijken(&self) -> bool {
        embedded::WIJKEN.is_some()
    }

    /// A municipality's wijken, by code.
    pub fn wijken_of(&self, municipality: &str) -> Vec<Area> {
        self.wijken
            .of_municipality(municipality)
            .map(|w| w.area.clone())
            .collect()
    }

    /// A wijk by its code (WK034403), with its municipality's code.
    pub fn wijk(&self, code: &str) -> Option<(Area, String)> {
        self.wijken
            .by_code(code)
            .map(|w| (w.area.clone(), w.municipality.clone()))
    }

    /// The wijk polygon holding a point, whatever the municipal boundaries say (the smallest
    /// where polygons overlap): the raw answer, for baselines and checks. `locate` is what the
    /// app uses.
    pub fn wijk_polygon_at(&self, lat: f64, lon: f64) -> Option<&Area> {
        self.wijken.polygon_at(lat, lon).map(|w| &w.area)
    }

    /// Every wijk with its municipality's code, its label point (lat, lon) and its boundary.
    pub fn wijk_outlines(
        &self,
    ) -> impl Iterator<Item = (&Area, &str, (f64, f64), &MultiPolygon<f64>)> {
        self.wijken
            .list
            .iter()
            .map(|w| (&w.area, w.municipality.as_str(), w.label, &w.shape))
    }

    /// A municipality's wijk borders as GeoJSON (properties `code` and `name`), for drawing;
    /// an empty collection when the build has no wijken.
    pub fn wijk_borders(&self, municipality: &str) -> String {
        let features: Vec<geojson::Feature> = self
            .wijken
            .of_municipality(municipality)
            .map(|w| {
                let mut properties = geojson::JsonObject::new();
                properties.insert("code".into(), w.area.code.clone().into());
                properties.insert("name".into(), w.area.name.clone().into());
                geojson::Feature {
                    geometry: Some(geojson::Geometry::new(geojson::Value::from(&w.shape))),
                    properties: Some(properties),
                    ..Default::default()
                }
            })
            .collect();
        geojson::FeatureCollection {
            features,
            bbox: None,
            foreign_members: None,
        }
        .to_string()
    }

    /// All municipalities, by name.
    pub fn municipalities(&self) -> Vec<Area> {
        let mut all: Vec<Area> = if self.official {
            self.municipalities.iter().map(|r| r.area.clone()).collect()
        } else {
            self.gazetteer().municipalities()
        };
        all.sort_by(|a, b| a.name.cmp(&b.name).then(a.code.cmp(&b.code)));
        all.dedup();
        all
    }

    /// Suggestions for what a person is typing: `asked` of them (the default when None), never
    /// more than the most a list shows.
    pub fn suggest(&self, query: &str, asked: Option<usize>, lang: Lang) -> Vec<PlaceHit> {
        self.search(
            query,
            asked
                .unwrap_or(crate::content::limits::PLACE_SUGGESTIONS)
                .min(crate::content::limits::PLACE_SUGGESTIONS_MAX),
            lang,
        )
    }

    /// Places matching what was typed, best first, labelled in `lang`.
    pub fn search(&self, query: &str, limit: usize, lang: Lang) -> Vec<PlaceHit> {
        self.gazetteer().search(query, limit, lang)
    }
}

/// True when the official boundaries are embedded (known at build time; loads nothing).
pub fn is_official() -> bool {
    embedded::OFFICIAL
}

/// The embedded geography, loaded on first use.
pub fn geography() -> &'static Geography {
    static GEOGRAPHY: OnceLock<Geography> = OnceLock::new();
    GEOGRAPHY.get_or_init(Geography::load)
}

/// Great-circle distance in kilometres.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    use ::geo::{Distance, Haversine};
    Haversine.distance(Point::new(a.1, a.0), Point::new(b.1, b.0)) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_points_that_are_not_wgs84() {
        assert_eq!(
            validate_point(91.0, 5.0),
            Err(GeoError::InvalidLatitude(91.0))
        );
        assert_eq!(
            validate_point(52.0, 181.0),
            Err(GeoError::InvalidLongitude(181.0))
        );
        assert!(validate_point(f64::NAN, 5.0).is_err());
        assert!(validate_point(-90.0, -180.0).is_ok());
    }

    #[test]
    fn bovensmilde_lies_in_midden_drenthe() {
        let loc = geography().locate(52.979, 6.483).unwrap();
        if geography().is_official() {
            assert_eq!(loc.municipality.unwrap().code, "GM1731");
        } else {
            assert!(
                loc.municipality.is_some(),
                "the fallback still guesses a municipality"
            );
        }
        assert_eq!(
            loc.province.unwrap(),
            Area {
                code: "PV22".into(),
                name: "Drenthe".into()
            }
        );
        assert_eq!(loc.approximate, !geography().is_official());
    }

    #[test]
    fn outside_the_netherlands_is_nowhere() {
        for (lat, lon) in [(48.85, 2.35), (0.0, 0.0), (52.52, 13.40)] {
            let loc = geography().locate(lat, lon).unwrap();
            assert_eq!(
                (loc.municipality, loc.province),
                (None, None),
                "{lat},{lon}"
            );
        }
    }

    #[test]
    fn the_official_build_knows_all_342_municipalities() {
        if geography().is_official() {
            assert_eq!(geography().municipality_count(), 342);
            assert!(detailed_borders().is_some());
            assert!(basemap().country.is_none());
        } else {
            assert!(detailed_borders().is_none());
            assert!(basemap().country.is_some());
        }
    }

    /// A fixed pseudo-random sequence in [0, 1) (xorshift64), so every run tests the same points.
    fn sample(mut state: u64) -> impl FnMut() -> f64 {
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    #[test]
    fn the_grid_agrees_with_the_polygons_everywhere() {
        let geo = geography();
        if !geo.is_official() {
            return;
        }
        // A fixed pseudo-random sample over the country's extent, sea and neighbours included.
        let mut next = sample(0x9E37_79B9_7F4A_7C15);
        let mut inside = 0;
        let boxes: Vec<_> = geo
            .municipality_outlines()
            .map(|(a, shape)| (a, shape, ::geo::BoundingRect::bounding_rect(shape).unwrap()))
            .collect();
        for _ in 0..50_000 {
            let (lat, lon) = (50.7 + next() * 2.9, 3.3 + next() * 4.0);
            let point = Point::new(lon, lat);
            let exact = boxes
                .iter()
                .filter(|(.., b)| b.intersects(&point))
                .filter(|(_, shape, _)| shape.intersects(&point))
                .map(|(area, ..)| area.code.clone())
                .min();
            let found = geo.locate(lat, lon).unwrap().municipality.map(|a| a.code);
            assert_eq!(found, exact, "at {lat}, {lon}");
            inside += usize::from(exact.is_some());
        }
        assert!(inside > 15_000, "the sample reaches the land: {inside}");
    }

    #[test]
    fn every_wijk_label_point_finds_its_own_wijk() {
        let geo = geography();
        if !geo.has_wijken() {
            assert_eq!(
                geo.locate(52.116, 5.111).unwrap().wijk,
                None,
                "the fallback build has no wijken"
            );
            return;
        }
        let mut elsewhere = Vec::new();
        let mut count = 0;
        for (area, municipality, (lat, lon), _) in geo.wijk_outlines() {
            count += 1;
            let found = geo.locate(lat, lon).unwrap();
            if found.municipality.as_ref().map(|m| m.code.as_str()) != Some(municipality) {
                // The municipal boundaries put this label point in a neighbour: the wijk must
                // then be one of that neighbour's, never another municipality's.
                elsewhere.push(area.code.clone());
                if let Some(wijk) = found.wijk {
                    assert_eq!(
                        Some(geo.wijk(&wijk.code).unwrap().1),
                        found.municipality.map(|m| m.code),
                        "{}",
                        area.code
                    );
                }
                continue;
            }
            assert_eq!(
                found.wijk.as_ref(),
                Some(area),
                "the label point of {} ({})",
                area.code,
                area.name
            );
        }
        assert_eq!(count, 3393);
        // The geodata README names these two: border effects of two different generalisations.
        assert_eq!(
            elsewhere,
            vec!["WK017314".to_string(), "WK050314".to_string()]
        );
    }

    #[test]
    fn wijk_answers_agree_with_the_wijk_polygons() {
        let geo = geography();
        if !geo.has_wijken() {
            return;
        }
        let mut next = sample(0x2545_F491_4F6C_DD1D);
        let (mut same, mut near_border, mut no_wijk) = (0, 0, 0);
        let boxes: Vec<_> = geo
            .wijk_outlines()
            .map(|(a, gm, _, shape)| {
                (
                    a,
                    gm,
                    shape,
                    ::geo::BoundingRect::bounding_rect(shape).unwrap(),
                )
            })
            .collect();
        let size = |shape: &MultiPolygon<f64>| ::geo::Area::unsigned_area(shape);
        for _ in 0..50_000 {
            let (lat, lon) = (50.7 + next() * 2.9, 3.3 + next() * 4.0);
            let point = Point::new(lon, lat);
            // The polygons themselves, without the grid.
            let exact = boxes
                .iter()
                .filter(|(.., b)| ::geo::Intersects::intersects(b, &point))
                .filter(|(_, _, shape, _)| shape.intersects(&point))
                .min_by(|a, b| {
                    size(a.2)
                        .total_cmp(&size(b.2))
                        .then(a.0.code.cmp(&b.0.code))
                })
                .map(|(a, gm, ..)| (a.code.clone(), gm.to_string()));
            assert_eq!(
                geo.wijk_polygon_at(lat, lon).map(|a| a.code.clone()),
                exact.as_ref().map(|(c, _)| c.clone()),
                "the grid at {lat}, {lon}"
            );
            let found = geo.locate(lat, lon).unwrap();
            let Some(municipality) = found.municipality.map(|m| m.code) else {
                assert_eq!(found.wijk, None, "no municipality, no wijk: {lat}, {lon}");
                continue;
            };
            match (&exact, &found.wijk) {
                // Where the wijk polygon belongs to the point's municipality, it is the answer.
                (Some((code, gm)), _) if *gm == municipality => {
                    assert_eq!(
                        found.wijk.as_ref().map(|w| &w.code),
                        Some(code),
                        "{lat}, {lon}"
                    );
                    same += 1;
                }
                // Elsewhere only a wijk of the point's own municipality, close by.
                (_, Some(wijk)) => {
                    let (_, gm) = geo.wijk(&wijk.code).unwrap();
                    assert_eq!(gm, municipality, "{lat}, {lon}");
                    // Measured independently: the wijk in local metres (longitude scaled by
                    // cos(latitude)), and geo's closest point there.
                    let shape = geo
                        .wijk_outlines()
                        .find(|(a, ..)| a.code == wijk.code)
                        .unwrap()
                        .3;
                    let k = lat.to_radians().cos();
                    let local = ::geo::MapCoords::map_coords(shape, |c| ::geo::Coord {
                        x: c.x * k * 111_195.0,
                        y: c.y * 111_195.0,
                    });
                    let here = Point::new(lon * k * 111_195.0, lat * 111_195.0);
                    let near = match ::geo::ClosestPoint::closest_point(&local, &here) {
                        ::geo::Closest::Intersection(p) | ::geo::Closest::SinglePoint(p) => p,
                        ::geo::Closest::Indeterminate => unreachable!(),
                    };
                    let metres =
                        ((near.x() - here.x()).powi(2) + (near.y() - here.y()).powi(2)).sqrt();
                    assert!(
                        metres <= BORDER_TOLERANCE_M + 0.5,
                        "{metres} m at {lat}, {lon}"
                    );
                    near_border += 1;
                }
                (_, None) => no_wijk += 1,
            }
        }
        assert!(same > 18_000, "the sample reaches the wijken: {same}");
        assert!(
            near_border < same / 20,
            "the border rule is the exception: {near_border} of {same}"
        );
        eprintln!("wijk sample: {same} as the polygon, {near_border} by the border rule, {no_wijk} in a municipality but no wijk");
    }

    #[test]
    fn wijk_codes_are_kept_whole_and_names_shown_without_numbering() {
        let geo = geography();
        if !geo.has_wijken() {
            return;
        }
        assert_eq!(
            geo.locate(52.116, 5.111).unwrap().wijk,
            Some(Area {
                code: "WK034403".into(),
                name: "Overvecht".into()
            })
        );
        let amsterdam = geo.locate(52.3105, 4.9560).unwrap().wijk.unwrap();
        assert!(
            amsterdam.code.starts_with("WK0363")
                && amsterdam.code[6..].chars().all(|c| c.is_ascii_uppercase()),
            "{amsterdam:?}"
        );
        assert_eq!(geo.wijken_of("GM0344").len(), 10);
        assert!(geo
            .wijken_of("GM0344")
            .iter()
            .all(|w| !w.name.starts_with("Wijk ")));
        assert_eq!(geo.locate(52.52, 13.40).unwrap().wijk, None, "Berlin");
        assert_eq!(
            geo.locate(52.85, 5.30).unwrap().wijk,
            None,
            "the middle of the IJsselmeer"
        );
    }

    #[test]
    fn municipalities_are_listed_once_by_name() {
        let all = geography().municipalities();
        if geography().is_official() {
            assert_eq!(all.len(), 342);
        }
        assert!(all
            .windows(2)
            .all(|w| w[0].name <= w[1].name && w[0] != w[1]));
    }

    #[test]
    fn distances_are_in_kilometres() {
        let d = distance_km((52.3676, 4.9041), (51.9244, 4.4777));
        assert!((d - 57.0).abs() < 1.0, "{d}");
    }
}
