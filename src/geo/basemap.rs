//! The boundaries the maps draw, apart from the geography that lookups need.
//!
//! The first screen shows the whole country. Below the zoom where the detail takes over a pixel
//! is 300 m or more, so the overview gets the provinces simplified by under a pixel: a third of
//! the points and of the bytes, which the webview projects while the app starts. The full-detail provinces and the 342 municipal
//! borders (0.9 MB together) are sent once a map is zoomed in ([`detailed_borders`]).
use std::sync::OnceLock;

use ::geo::{Geometry, Simplify};
use serde::Serialize;
use serde_json::value::RawValue;
use ts_rs::TS;

use super::embedded;

/// Largest distance, in degrees (0.002° is 140–220 m here), between the overview's provinces
/// and the real ones. The overview is drawn below [`DETAIL_FROM_ZOOM`], where a pixel is at
/// least 300 m: the difference stays under a pixel.
pub const OVERVIEW_TOLERANCE_DEGREES: f64 = 0.002;
/// The map zoom from which the UI draws the detailed borders (the whole country fits at about 7).
pub const DETAIL_FROM_ZOOM: f64 = 8.5;

/// What the first screen draws, as GeoJSON serialized inline (not as a string inside the JSON),
/// so that the webview parses it once.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Basemap {
    /// True when drawn from the official Kadaster boundaries (then [`detailed_borders`] exist).
    pub official: bool,
    /// The provinces: simplified for the national scale in the official build; the fallback's
    /// Natural Earth provinces are coarse already and are drawn at every zoom.
    #[ts(type = "GeoJSON.FeatureCollection")]
    pub provinces: &'static RawValue,
    /// The country's outline, in a build without the official boundaries only.
    #[ts(type = "GeoJSON.FeatureCollection | null")]
    pub country: Option<&'static RawValue>,
    /// The zoom from which the detailed borders replace the overview.
    pub detail_from_zoom: f64,
}

/// The basemap, prepared once. The shell warms it up on a thread while its window opens.
pub fn basemap() -> Basemap {
    static BASEMAP: OnceLock<Basemap> = OnceLock::new();
    BASEMAP
        .get_or_init(|| {
            let provinces: &'static str = if embedded::OFFICIAL {
                Box::leak(overview(embedded::PROVINCES, OVERVIEW_TOLERANCE_DEGREES).into_boxed_str())
            } else {
                embedded::PROVINCES
            };
            Basemap {
                official: embedded::OFFICIAL,
                provinces: raw(provinces),
                country: embedded::COUNTRY.map(raw),
                detail_from_zoom: DETAIL_FROM_ZOOM,
            }
        })
        .clone()
}

/// The full-detail borders for a zoomed-in map, as one JSON object
/// `{"municipalities": FeatureCollection, "provinces": FeatureCollection}` (the municipalities
/// clipped to land, without the water of coastal municipalities), or `None` in a build without
/// the official boundaries.
pub fn detailed_borders() -> Option<&'static str> {
    static DETAILED: OnceLock<Option<String>> = OnceLock::new();
    DETAILED
        .get_or_init(|| {
            embedded::MUNICIPALITIES_DRAW.map(|municipalities| {
                format!(r#"{{"municipalities":{municipalities},"provinces":{}}}"#, embedded::PROVINCES)
            })
        })
        .as_deref()
}

fn raw(text: &'static str) -> &'static RawValue {
    serde_json::from_str(text).expect("embedded boundaries are valid JSON (checked by the geo tests)")
}

/// The collection with each geometry simplified (Ramer–Douglas–Peucker) to `tolerance` degrees.
/// Properties stay; a geometry that is not a polygon stays as it is.
fn overview(geojson_text: &str, tolerance: f64) -> String {
    let mut collection: geojson::FeatureCollection =
        geojson_text.parse().expect("embedded boundaries are valid GeoJSON (checked by the geo tests)");
    for feature in &mut collection.features {
        let Some(geometry) = feature.geometry.take() else { continue };
        let simplified = match Geometry::<f64>::try_from(geometry.value.clone()) {
            Ok(Geometry::MultiPolygon(m)) => geojson::Geometry::new(geojson::Value::from(&m.simplify(tolerance))),
            Ok(Geometry::Polygon(p)) => geojson::Geometry::new(geojson::Value::from(&p.simplify(tolerance))),
            _ => geometry,
        };
        feature.geometry = Some(simplified);
    }
    collection.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(collection: &serde_json::Value) -> usize {
        fn count(v: &serde_json::Value) -> usize {
            match v.as_array() {
                Some(items) if items.first().is_some_and(|x| x.is_number()) => 1,
                Some(items) => items.iter().map(count).sum(),
                None => 0,
            }
        }
        collection["features"].as_array().unwrap().iter().map(|f| count(&f["geometry"]["coordinates"])).sum()
    }

    #[test]
    fn the_basemap_carries_the_boundaries_as_json_not_as_text() {
        let json = serde_json::to_value(basemap()).unwrap();
        assert_eq!(json["provinces"]["type"], "FeatureCollection");
        assert_eq!(json["provinces"]["features"].as_array().unwrap().len(), 12);
        assert!(json.get("municipalities").is_none(), "the municipal borders come on their own");
    }

    #[test]
    fn the_overview_keeps_every_province_with_fewer_points() {
        let Some(text) = detailed_borders() else { return };
        let detailed: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(detailed["municipalities"]["features"].as_array().unwrap().len(), 342);
        let overview = serde_json::to_value(basemap()).unwrap()["provinces"].clone();
        let full = &detailed["provinces"];
        let code = |f: &serde_json::Value| f["properties"]["pv_code"].as_str().unwrap().to_string();
        let codes = |c: &serde_json::Value| c["features"].as_array().unwrap().iter().map(code).collect::<Vec<_>>();
        assert_eq!(codes(&overview), codes(full));
        assert!(points(&overview) * 2 < points(full), "{} vs {}", points(&overview), points(full));
    }

    #[test]
    fn simplifying_never_moves_a_border_by_more_than_the_tolerance() {
        use ::geo::{Distance, Euclidean, MultiPolygon};
        if !embedded::OFFICIAL {
            return; // the fallback's provinces are drawn as they are
        }
        let polygons = |text: &str| -> Vec<MultiPolygon<f64>> {
            let c: geojson::FeatureCollection = text.parse().unwrap();
            c.features
                .into_iter()
                .map(|f| match Geometry::<f64>::try_from(f.geometry.unwrap().value).unwrap() {
                    Geometry::MultiPolygon(m) => m,
                    Geometry::Polygon(p) => MultiPolygon(vec![p]),
                    other => panic!("not a polygon: {other:?}"),
                })
                .collect()
        };
        let full = polygons(embedded::PROVINCES);
        let simple = polygons(&overview(embedded::PROVINCES, OVERVIEW_TOLERANCE_DEGREES));
        // Every original vertex lies within the tolerance of the simplified outline.
        for (f, s) in full.iter().zip(&simple) {
            let outline: Vec<_> = s.0.iter().flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors())).collect();
            for ring in f.0.iter().flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors())) {
                for point in ring.points().step_by(7) {
                    let nearest = outline.iter().map(|l| Euclidean.distance(&point, *l)).fold(f64::INFINITY, f64::min);
                    assert!(nearest <= OVERVIEW_TOLERANCE_DEGREES + 1e-9, "{point:?} is {nearest}° away");
                }
            }
        }
    }
}
