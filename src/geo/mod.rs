/*! Where is a point? Municipality and province of a WGS84 point, and place-name search.

With the official boundaries embedded (see `build.rs`), a point's municipality comes from the
polygons, through a grid over the country whose cells know which polygons they touch
(`locator.rs`), never from a nearby place; the twelve provinces through an R-tree of their
bounding boxes. Without them
(a build with no `../shared/geodata`) the province still comes from polygons (Natural Earth),
but the municipality is that of the nearest gazetteer place, and every answer says
`approximate: true`. */
pub mod rd;
mod basemap;
mod gazetteer;
mod locator;

use std::sync::OnceLock;

use ::geo::{Intersects, MultiPolygon, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};
use serde::Serialize;
use ts_rs::TS;
use thiserror::Error;

use crate::catalog::Area;
pub use basemap::{basemap, detailed_borders, Basemap};
pub use gazetteer::{normalize, Place, PlaceHit, PlaceKind};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/geodata.rs"));
}

#[derive(Debug, Error, PartialEq)]
pub enum GeoError {
    #[error("latitude {0} is not a valid WGS84 latitude (it must be between -90 and 90)")]
    InvalidLatitude(f64),
    #[error("longitude {0} is not a valid WGS84 longitude (it must be between -180 and 180)")]
    InvalidLongitude(f64),
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

/// The answer to "where is this point?". Both areas are None outside the Netherlands.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Location {
    pub municipality: Option<Area>,
    pub province: Option<Area>,
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
                Some(GeomWithData::new(Rectangle::from_corners(b.min().x_y().into(), b.max().x_y().into()), i))
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
    gazetteer: gazetteer::Gazetteer,
}

fn regions(geojson: &str, code_key: &str, name_key: &str) -> Vec<Region> {
    let collection: geojson::FeatureCollection =
        geojson.parse().expect("embedded boundaries are valid GeoJSON (checked by geo tests)");
    collection
        .features
        .into_iter()
        .filter_map(|f| {
            let prop = |k: &str| f.property(k).and_then(|v| v.as_str()).map(str::to_string);
            let area = Area { code: prop(code_key)?, name: prop(name_key)? };
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
            Some(Region { area, province, shape })
        })
        .collect()
}

fn containing<'a>(regions: &'a [Region], index: &BoxIndex, point: Point<f64>) -> Option<&'a Region> {
    // Points on a shared border touch two polygons; the lowest code wins so answers are stable.
    index
        .locate_in_envelope_intersecting(&AABB::from_point([point.x(), point.y()]))
        .map(|g| &regions[g.data])
        .filter(|r| r.shape.intersects(&point))
        .min_by(|a, b| a.area.code.cmp(&b.area.code))
}

impl Geography {
    fn load() -> Geography {
        let mut municipalities =
            embedded::MUNICIPALITIES_LOOKUP.map(|g| regions(g, "gm_code", "gm_name")).unwrap_or_default();
        // By code, so that where polygons overlap the lowest code wins and answers are stable.
        municipalities.sort_by(|a, b| a.area.code.cmp(&b.area.code));
        let provinces = regions(embedded::PROVINCES, "pv_code", "pv_name");
        Geography {
            official: embedded::OFFICIAL,
            municipality_grid: OnceLock::new(),
            municipalities,
            province_index: index(&provinces),
            provinces,
            gazetteer: gazetteer::Gazetteer::load(embedded::PLACES),
        }
    }

    /// True when the official boundaries are embedded and municipality answers are exact.
    pub fn is_official(&self) -> bool {
        self.official
    }

    pub fn municipality_count(&self) -> usize {
        self.municipalities.len()
    }

    /// Municipality and province of a point; both None outside the Netherlands.
    pub fn locate(&self, lat: f64, lon: f64) -> Result<Location, GeoError> {
        let point = validate_point(lat, lon)?;
        if self.official {
            let grid = self.municipality_grid.get_or_init(|| locator::GridLocator::new(self.municipalities.iter().map(|r| &r.shape)));
            let hit = grid.locate(point.x(), point.y()).map(|i| &self.municipalities[i]);
            return Ok(Location {
                municipality: hit.map(|r| r.area.clone()),
                province: hit.and_then(|r| r.province.clone()),
                approximate: false,
            });
        }
        let province = containing(&self.provinces, &self.province_index, point).map(|r| r.area.clone());
        let municipality = province.as_ref().and_then(|_| self.gazetteer.nearest_municipality(lat, lon));
        Ok(Location { municipality, province, approximate: true })
    }

    /// Municipality by its code (GM0363), with its province.
    pub fn municipality(&self, code: &str) -> Option<(Area, Option<Area>)> {
        self.municipalities
            .iter()
            .find(|r| r.area.code == code)
            .map(|r| (r.area.clone(), r.province.clone()))
            .or_else(|| self.gazetteer.municipality(code))
    }

    /// A municipality's boundary (official geography only).
    pub fn outline(&self, code: &str) -> Option<&MultiPolygon<f64>> {
        self.municipalities.iter().find(|r| r.area.code == code).map(|r| &r.shape)
    }

    /// Each municipality with its boundary (official geography only), for baselines and checks.
    pub fn municipality_outlines(&self) -> impl Iterator<Item = (&Area, &MultiPolygon<f64>)> {
        self.municipalities.iter().map(|r| (&r.area, &r.shape))
    }

    /// All municipalities, by name.
    pub fn municipalities(&self) -> Vec<Area> {
        let mut all: Vec<Area> = if self.official {
            self.municipalities.iter().map(|r| r.area.clone()).collect()
        } else {
            self.gazetteer.municipalities()
        };
        all.sort_by(|a, b| a.name.cmp(&b.name).then(a.code.cmp(&b.code)));
        all.dedup();
        all
    }

    /// Place suggestions for what a person typed, best first.
    /// Suggestions for what a person is typing: `asked` of them (the default when None), never
    /// more than the most a list shows.
    pub fn suggest(&self, query: &str, asked: Option<usize>) -> Vec<PlaceHit> {
        self.search(query, asked.unwrap_or(crate::limits::PLACE_SUGGESTIONS).min(crate::limits::PLACE_SUGGESTIONS_MAX))
    }

    pub fn search(&self, query: &str, limit: usize) -> Vec<PlaceHit> {
        self.gazetteer.search(query, limit)
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
        assert_eq!(validate_point(91.0, 5.0), Err(GeoError::InvalidLatitude(91.0)));
        assert_eq!(validate_point(52.0, 181.0), Err(GeoError::InvalidLongitude(181.0)));
        assert!(validate_point(f64::NAN, 5.0).is_err());
        assert!(validate_point(-90.0, -180.0).is_ok());
    }

    #[test]
    fn bovensmilde_lies_in_midden_drenthe() {
        let loc = geography().locate(52.979, 6.483).unwrap();
        if geography().is_official() {
            assert_eq!(loc.municipality.unwrap().code, "GM1731");
        } else {
            assert!(loc.municipality.is_some(), "the fallback still guesses a municipality");
        }
        assert_eq!(loc.province.unwrap(), Area { code: "PV22".into(), name: "Drenthe".into() });
        assert_eq!(loc.approximate, !geography().is_official());
    }

    #[test]
    fn outside_the_netherlands_is_nowhere() {
        for (lat, lon) in [(48.85, 2.35), (0.0, 0.0), (52.52, 13.40)] {
            let loc = geography().locate(lat, lon).unwrap();
            assert_eq!((loc.municipality, loc.province), (None, None), "{lat},{lon}");
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

    #[test]
    fn the_grid_agrees_with_the_polygons_everywhere() {
        let geo = geography();
        if !geo.is_official() {
            return;
        }
        // A fixed pseudo-random sample over the country's extent, sea and neighbours included.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut inside = 0;
        for _ in 0..50_000 {
            let (lat, lon) = (50.7 + next() * 2.9, 3.3 + next() * 4.0);
            let exact = geo
                .municipality_outlines()
                .filter(|(_, shape)| shape.intersects(&Point::new(lon, lat)))
                .map(|(area, _)| area.code.clone())
                .min();
            let found = geo.locate(lat, lon).unwrap().municipality.map(|a| a.code);
            assert_eq!(found, exact, "at {lat}, {lon}");
            inside += usize::from(exact.is_some());
        }
        assert!(inside > 15_000, "the sample reaches the land: {inside}");
    }

    #[test]
    fn municipalities_are_listed_once_by_name() {
        let all = geography().municipalities();
        if geography().is_official() {
            assert_eq!(all.len(), 342);
        }
        assert!(all.windows(2).all(|w| w[0].name <= w[1].name && w[0] != w[1]));
    }

    #[test]
    fn distances_are_in_kilometres() {
        let d = distance_km((52.3676, 4.9041), (51.9244, 4.4777));
        assert!((d - 57.0).abs() < 1.0, "{d}");
    }
}
