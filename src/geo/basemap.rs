//! The boundaries the maps draw, apart from the geography that lookups need.
//!
//! The first screen shows the whole country. Below the zoom where the detail takes over a pixel
//! is 300 m or more, so the overview gets the provinces simplified by under a pixel (a third of
//! the points), drawn as one SVG picture in the map's projection: the webview draws it natively,
//! where projecting 2,300 points in script and painting a canvas took a tenth of the start-up
//! (BENCHMARKS.md). The full-detail provinces and the 342 municipal borders (0.9 MB together)
//! are sent once a map is zoomed in ([`detailed_borders`]).
use std::fmt::Write;
use std::sync::OnceLock;

use ::geo::{BoundingRect, MultiPolygon, Rect, Simplify};
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
/// Width of the overview picture in its own units: one unit is about 3 m, far below a pixel.
const OVERVIEW_WIDTH: f64 = 100_000.0;

/// What the first screen draws. GeoJSON goes inline (not as a string inside the JSON), so that
/// the webview parses it once.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Basemap {
    /// True when drawn from the official Kadaster boundaries (then [`detailed_borders`] exist).
    pub official: bool,
    /// The official build's provinces for the national scale.
    pub overview: Option<Overview>,
    /// A build without the official boundaries: the Natural Earth provinces, coarse already and
    /// drawn at every zoom.
    #[ts(type = "GeoJSON.FeatureCollection | null")]
    pub provinces: Option<&'static RawValue>,
    /// The country's outline, in a build without the official boundaries only.
    #[ts(type = "GeoJSON.FeatureCollection | null")]
    pub country: Option<&'static RawValue>,
    /// The zoom from which the detailed borders replace the overview.
    pub detail_from_zoom: f64,
    /// True when the CBS wijken are embedded (known at build time: nothing is loaded for it).
    pub wijken: bool,
}

/// The provinces as a picture to stretch over `bounds`. Its coordinates are Web Mercator, the
/// map's own projection, so the map's linear stretch between two corners puts every border where
/// it belongs. Geometry only: the UI styles the paths.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Overview {
    /// `<svg viewBox="0 0 100000 h" preserveAspectRatio="none">` with one
    /// `<path data-code="PV..">` per province.
    pub svg: &'static str,
    /// South-west and north-east corners, `[[lat, lon], [lat, lon]]`.
    #[ts(type = "[[number, number], [number, number]]")]
    pub bounds: [[f64; 2]; 2],
}

/// The basemap, prepared once. The shell warms it up on a thread while its window opens.
pub fn basemap() -> Basemap {
    static BASEMAP: OnceLock<Basemap> = OnceLock::new();
    BASEMAP
        .get_or_init(|| {
            if embedded::OFFICIAL {
                let provinces =
                    simplified_provinces(embedded::PROVINCES, OVERVIEW_TOLERANCE_DEGREES);
                Basemap {
                    official: true,
                    overview: Some(overview_picture(&provinces)),
                    provinces: None,
                    country: None,
                    detail_from_zoom: DETAIL_FROM_ZOOM,
                    wijken: embedded::WIJKEN.is_some(),
                }
            } else {
                Basemap {
                    official: false,
                    overview: None,
                    provinces: Some(raw(embedded::PROVINCES)),
                    country: embedded::COUNTRY.map(raw),
                    detail_from_zoom: DETAIL_FROM_ZOOM,
                    wijken: false,
                }
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
                format!(
                    r#"{{"municipalities":{municipalities},"provinces":{}}}"#,
                    embedded::PROVINCES
                )
            })
        })
        .as_deref()
}

fn raw(text: &'static str) -> &'static RawValue {
    serde_json::from_str(text)
        .expect("embedded boundaries are valid JSON (checked by the geo tests)")
}

/// Each province (its code and its outline) simplified (Ramer–Douglas–Peucker) to `tolerance`
/// degrees.
fn simplified_provinces(geojson_text: &str, tolerance: f64) -> Vec<(String, MultiPolygon<f64>)> {
    provinces(geojson_text)
        .into_iter()
        .map(|(code, shape)| (code, shape.simplify(tolerance)))
        .collect()
}

/// Each province: its code and its outline (parsed as the lookups parse them).
fn provinces(geojson_text: &str) -> Vec<(String, MultiPolygon<f64>)> {
    super::regions(geojson_text, "pv_code", "pv_name")
        .into_iter()
        .map(|r| (r.area.code, r.shape))
        .collect()
}

/// Web Mercator (EPSG:3857, as Leaflet projects) scaled to the unit square: x east, y south.
fn web_mercator(lon: f64, lat: f64) -> (f64, f64) {
    let sin = lat.to_radians().sin();
    (
        (lon + 180.0) / 360.0,
        0.5 - ((1.0 + sin) / (1.0 - sin)).ln() / (4.0 * std::f64::consts::PI),
    )
}

fn overview_picture(provinces: &[(String, MultiPolygon<f64>)]) -> Overview {
    let rect = provinces
        .iter()
        .filter_map(|(_, shape)| shape.bounding_rect())
        .reduce(|a, b| {
            Rect::new(
                (a.min().x.min(b.min().x), a.min().y.min(b.min().y)),
                (a.max().x.max(b.max().x), a.max().y.max(b.max().y)),
            )
        })
        .expect("the Netherlands has provinces");
    let (left, top) = web_mercator(rect.min().x, rect.max().y);
    let (right, bottom) = web_mercator(rect.max().x, rect.min().y);
    let scale = OVERVIEW_WIDTH / (right - left);
    let height = ((bottom - top) * scale).round();
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {OVERVIEW_WIDTH} {height}" preserveAspectRatio="none">"#
    );
    for (code, shape) in provinces {
        let mut d = String::new();
        for polygon in &shape.0 {
            for line in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for (i, c) in line.coords().enumerate() {
                    let (x, y) = web_mercator(c.x, c.y);
                    let _ = write!(
                        d,
                        "{}{:.0} {:.0}",
                        if i == 0 { "M" } else { " " },
                        (x - left) * scale,
                        (y - top) * scale
                    );
                }
                d.push('Z');
            }
        }
        let _ = write!(svg, r#"<path data-code="{code}" d="{d}"/>"#);
    }
    svg.push_str("</svg>");
    Overview {
        svg: Box::leak(svg.into_boxed_str()),
        bounds: [[rect.min().y, rect.min().x], [rect.max().y, rect.max().x]],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(shapes: &[(String, MultiPolygon<f64>)]) -> usize {
        use ::geo::CoordsIter;
        shapes.iter().map(|(_, m)| m.coords_count()).sum()
    }

    /// The picture's numbers for one path: `M x y x y …Z` pairs, per ring.
    fn rings_of(path_data: &str) -> Vec<Vec<(f64, f64)>> {
        path_data
            .split('Z')
            .filter(|r| !r.is_empty())
            .map(|r| {
                let n: Vec<f64> = r
                    .trim_start_matches('M')
                    .split(' ')
                    .map(|v| v.parse().unwrap())
                    .collect();
                n.chunks(2).map(|p| (p[0], p[1])).collect()
            })
            .collect()
    }

    #[test]
    fn the_official_basemap_is_a_picture_of_the_twelve_provinces() {
        let map = basemap();
        let Some(overview) = map.overview else {
            assert!(!map.official);
            assert_eq!(
                serde_json::to_value(map.provinces).unwrap()["type"],
                "FeatureCollection"
            );
            return;
        };
        assert!(map.official && map.provinces.is_none() && map.country.is_none());
        assert!(overview
            .svg
            .starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100000 "#));
        assert!(overview.svg.ends_with("</path></svg>") || overview.svg.ends_with("/></svg>"));
        assert_eq!(overview.svg.matches("<path ").count(), 12);
        assert!(overview.svg.contains(r#"data-code="PV28""#), "Zuid-Holland");
        let [[south, west], [north, east]] = overview.bounds;
        assert!(
            (50.7..50.8).contains(&south) && (53.5..53.6).contains(&north),
            "{:?}",
            overview.bounds
        );
        assert!(
            (3.3..3.4).contains(&west) && (7.2..7.3).contains(&east),
            "{:?}",
            overview.bounds
        );
        let json = serde_json::to_value(basemap()).unwrap();
        assert!(
            json.get("municipalities").is_none(),
            "the municipal borders come on their own"
        );
    }

    #[test]
    fn the_picture_puts_each_vertex_where_the_map_projects_it() {
        if !embedded::OFFICIAL {
            return;
        }
        let provinces = simplified_provinces(embedded::PROVINCES, OVERVIEW_TOLERANCE_DEGREES);
        let overview = overview_picture(&provinces);
        let height: f64 = overview
            .svg
            .split(r#"viewBox="0 0 100000 "#)
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let [[south, west], [north, east]] = overview.bounds;
        // The inverse of the map's stretch: picture units back to degrees through Web Mercator.
        let (left, top) = web_mercator(west, north);
        let (right, bottom) = web_mercator(east, south);
        let to_degrees = |(px, py): (f64, f64)| {
            let x = left + px / OVERVIEW_WIDTH * (right - left);
            let y = top + py / height * (bottom - top);
            let lat = (std::f64::consts::PI * (1.0 - 2.0 * y))
                .sinh()
                .atan()
                .to_degrees();
            (x * 360.0 - 180.0, lat)
        };
        let paths: Vec<&str> = overview
            .svg
            .split(r#" d=""#)
            .skip(1)
            .map(|p| p.split('"').next().unwrap())
            .collect();
        assert_eq!(paths.len(), provinces.len());
        for ((code, shape), path) in provinces.iter().zip(paths) {
            let rings = rings_of(path);
            let originals: Vec<_> = shape
                .0
                .iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .collect();
            assert_eq!(rings.len(), originals.len(), "{code}");
            for (ring, original) in rings.iter().zip(originals) {
                assert_eq!(ring.len(), original.0.len(), "{code}");
                for (&point, c) in ring.iter().zip(&original.0) {
                    let (lon, lat) = to_degrees(point);
                    // Rounding to whole picture units moves a point by at most ~3 m.
                    assert!(
                        (lon - c.x).abs() < 0.0001 && (lat - c.y).abs() < 0.0001,
                        "{code}: {lon},{lat} vs {c:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_overview_keeps_every_province_with_fewer_points() {
        let Some(text) = detailed_borders() else {
            return;
        };
        let detailed: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(
            detailed["municipalities"]["features"]
                .as_array()
                .unwrap()
                .len(),
            342
        );
        let full = provinces(embedded::PROVINCES);
        let simple = simplified_provinces(embedded::PROVINCES, OVERVIEW_TOLERANCE_DEGREES);
        let codes = |c: &[(String, MultiPolygon<f64>)]| {
            c.iter().map(|(code, _)| code.clone()).collect::<Vec<_>>()
        };
        assert_eq!(codes(&simple), codes(&full));
        assert_eq!(simple.len(), 12);
        assert!(
            points(&simple) * 2 < points(&full),
            "{} vs {}",
            points(&simple),
            points(&full)
        );
    }

    #[test]
    fn simplifying_never_moves_a_border_by_more_than_the_tolerance() {
        use ::geo::{Distance, Euclidean};
        if !embedded::OFFICIAL {
            return; // the fallback's provinces are drawn as they are
        }
        let full = provinces(embedded::PROVINCES);
        let simple = simplified_provinces(embedded::PROVINCES, OVERVIEW_TOLERANCE_DEGREES);
        // Every original vertex lies within the tolerance of the simplified outline.
        for ((_, f), (_, s)) in full.iter().zip(&simple) {
            let outline: Vec<_> =
                s.0.iter()
                    .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                    .collect();
            for ring in
                f.0.iter()
                    .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            {
                for point in ring.points().step_by(7) {
                    let nearest = outline
                        .iter()
                        .map(|l| Euclidean.distance(&point, *l))
                        .fold(f64::INFINITY, f64::min);
                    assert!(
                        nearest <= OVERVIEW_TOLERANCE_DEGREES + 1e-9,
                        "{point:?} is {nearest}° away"
                    );
                }
            }
        }
    }
}
