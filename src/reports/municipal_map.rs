/*! The municipal report's map: the municipality's outline, its wijken filled by their number of
initiatives, and a marker per initiative whose shape and colour say its weakest strategy. */
use std::fmt::Write;

use ::geo::{BoundingRect, MultiPolygon};

use crate::geo::geography;
use crate::model::Strategy;
use crate::municipality::area::MunicipalityOverview;
use crate::reports::chart;

/// The fills of the wijk map's classes: none, then the count classes from light to dark (the
/// app's map uses the same scale).
pub(super) const WIJK_FILLS: [&str; 5] = ["#ffffff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];

/// An SVG path of polygons (holes by the even-odd rule), projected onto the page.
fn path_of(shape: &MultiPolygon<f64>, project: &impl Fn(f64, f64) -> (f64, f64)) -> String {
    let mut d = String::new();
    for poly in &shape.0 {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            for (i, c) in ring.coords().enumerate() {
                let (px, py) = project(c.x, c.y);
                let _ = write!(d, "{}{px:.1},{py:.1} ", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
    }
    d
}

/// A vector map of a municipality's outline with its initiatives, as an SVG fragment in a box.
pub(super) fn area_map(
    o: &MunicipalityOverview,
    x: f64,
    y: f64,
    width: f64,
    height: f64,
) -> String {
    let outline: Option<&MultiPolygon<f64>> = geography().outline(&o.municipality.code);
    let mut points: Vec<(f64, f64)> = o
        .rows
        .iter()
        .map(|r| (r.initiative.lon, r.initiative.lat))
        .collect();
    if let Some(rect) = outline.and_then(|m| m.bounding_rect()) {
        points.push(rect.min().x_y());
        points.push(rect.max().x_y());
    }
    if points.is_empty() {
        return String::new();
    }
    let (min_x, max_x) = points
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (min_y, max_y) = points
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let k = ((min_y + max_y) / 2.0).to_radians().cos(); // longitude degrees are shorter here
    let span_x = ((max_x - min_x) * k).max(0.01);
    let span_y = (max_y - min_y).max(0.01);
    let scale = (width / span_x).min(height / span_y) * 0.92;
    let ox = x + (width - span_x * scale) / 2.0;
    let oy = y + (height - span_y * scale) / 2.0;
    let project = |lon: f64, lat: f64| (ox + (lon - min_x) * k * scale, oy + (max_y - lat) * scale);
    let mut svg = format!(
        r##"<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="#dbe8f1" stroke="#b4b4b4"/>"##
    );
    if let Some(mp) = outline {
        let _ = write!(
            svg,
            r##"<path d="{}" fill="#f3f1ea" stroke="#1a1a1a" stroke-width="1.2" fill-rule="evenodd"/>"##,
            path_of(mp, &project)
        );
    }
    // The wijken, filled by their number of initiatives (the legend and table below say the values).
    for (area, municipality, _, shape) in geography().wijk_outlines() {
        if municipality != o.municipality.code {
            continue;
        }
        let initiatives = o
            .wijken
            .wijken
            .iter()
            .find(|f| f.wijk.code == area.code)
            .map_or(0, |f| f.initiatives);
        let _ = write!(
            svg,
            r##"<path d="{}" fill="{}" stroke="#1a1a1a" stroke-width="0.5" fill-rule="evenodd"/>"##,
            path_of(shape, &project),
            WIJK_FILLS[o.wijken.count_class(initiatives)]
        );
    }
    for r in &o.rows {
        let (px, py) = project(r.initiative.lon, r.initiative.lat);
        let _ = write!(
            svg,
            r##"{} fill="{}" stroke="#ffffff" stroke-width="1"/>"##,
            marker(r.weakest_strategy, px, py),
            marker_colour(r.weakest_strategy)
        );
    }
    svg
}

/// An initiative's marker on the municipal map: its weakest strategy's shape (colour is never
/// alone), without its closing attributes.
pub(super) fn marker(weakest: Option<Strategy>, px: f64, py: f64) -> String {
    match weakest {
        Some(Strategy::Bonding) => format!(r#"<circle cx="{px:.1}" cy="{py:.1}" r="4.5""#),
        Some(Strategy::Bridging) => format!(
            r#"<rect x="{:.1}" y="{:.1}" width="8.5" height="8.5""#,
            px - 4.25,
            py - 4.25
        ),
        Some(Strategy::Linking) => format!(
            r#"<path d="M{px:.1},{:.1} L{:.1},{py:.1} L{px:.1},{:.1} L{:.1},{py:.1} Z""#,
            py - 5.5,
            px + 5.5,
            py + 5.5,
            px - 5.5
        ),
        None => format!(
            r#"<path d="M{px:.1},{:.1} L{:.1},{:.1} L{:.1},{:.1} Z""#,
            py - 5.0,
            px + 5.0,
            py + 4.0,
            px - 5.0,
            py + 4.0
        ),
    }
}

pub(super) fn marker_colour(weakest: Option<Strategy>) -> &'static str {
    weakest.map_or("#535353", chart::colour)
}
