/*! The CBS wijken of 2024: which wijk a point lies in, each municipality's wijken, their label
points and borders.

A wijk answer always belongs to the municipality the municipal boundaries give for the same
point. The two files are generalised differently (CBS put the wijken on a grid of about
70 × 110 m), so near a municipal border a point can fall in a neighbour's wijk, or in no wijk
where the municipal outline still reaches (water, a coastal strip). There the answer is the
nearest wijk of the point's own municipality, if one lies within [`BORDER_TOLERANCE_M`];
otherwise there is none. Everywhere else the answer is the wijk polygon's, through the same grid
as the municipalities (`locator.rs`). Where two wijk polygons overlap (in Ermelo the ring around
the centre was generalised without its hole), the smaller wijk wins: it is the more specific. */
use std::collections::HashMap;
use std::sync::OnceLock;

use ::geo::MultiPolygon;
use serde::Deserialize;

use super::locator::GridLocator;
use crate::model::Area;

/// How far a point may lie outside its own municipality's wijken and still be given the nearest:
/// a few cells of CBS's generalisation grid.
pub const BORDER_TOLERANCE_M: f64 = 300.0;

/// Metres in a degree of latitude (and of longitude times cos(latitude)): over a few hundred
/// metres the flat approximation differs from the great circle by far less than a metre.
const METRES_PER_DEGREE: f64 = 111_195.0;

/// CBS numbers many wijken in their names ("Wijk 03 Overvecht", "Wijk19-Waal"); people do not.
/// The name without that prefix, or the whole name when nothing would be left ("Wijk 00").
pub fn display_name(cbs_name: &str) -> String {
    let trimmed = cbs_name.trim();
    // Case-insensitively, so that a search for "wijk 03 overvecht" is read as "overvecht".
    let lower = trimmed
        .get(..5)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let after = if lower == "wijke" {
        Some(5)
    } else if lower.starts_with("wijk") {
        Some(4)
    } else {
        None
    };
    let rest = after
        .and_then(|n| trimmed.get(n..))
        .map(|r| r.trim_start())
        .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        .map(|r| r.trim_start_matches(|c: char| c.is_ascii_digit()))
        .filter(|r| r.starts_with([' ', '-']))
        .map(|r| r.trim_start_matches([' ', '-']).trim());
    match rest {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => trimmed.to_string(),
    }
}

pub(super) struct Wijk {
    pub area: Area,
    pub municipality: String,
    pub shape: MultiPolygon<f64>,
    /// A point always inside the wijk (CBS's pole of inaccessibility): lat, lon.
    pub label: (f64, f64),
}

pub(super) struct Wijken {
    /// By code.
    pub list: Vec<Wijk>,
    by_municipality: HashMap<String, Vec<usize>>,
    /// Built on the first lookup, over the wijken smallest first (see `by_size`).
    grid: OnceLock<GridLocator>,
    /// Indexes into `list`, smallest wijk first: the grid's order, so that where polygons
    /// overlap the smaller wijk is the answer.
    by_size: Vec<usize>,
}

#[derive(Deserialize)]
struct LabelRow {
    wk_code: String,
    lat: f64,
    lon: f64,
}

impl Wijken {
    pub(super) fn empty() -> Wijken {
        Wijken {
            list: Vec::new(),
            by_municipality: HashMap::new(),
            grid: OnceLock::new(),
            by_size: Vec::new(),
        }
    }

    pub(super) fn load(geojson: &str, labels_csv: &str) -> Wijken {
        let mut labels: HashMap<String, (f64, f64)> = HashMap::new();
        for row in csv::Reader::from_reader(labels_csv.as_bytes()).deserialize::<LabelRow>() {
            let row = row.expect("embedded wijk label points are valid (checked by wijk tests)");
            labels.insert(row.wk_code, (row.lat, row.lon));
        }
        let collection: geojson::FeatureCollection = geojson
            .parse()
            .expect("embedded wijken are valid GeoJSON (checked by wijk tests)");
        let mut list: Vec<Wijk> = collection
            .features
            .into_iter()
            .filter_map(|f| {
                let prop = |k: &str| f.property(k).and_then(|v| v.as_str()).map(str::to_string);
                let code = prop("wk_code")?;
                let name = display_name(&prop("wk_name")?);
                let municipality = prop("gm_code")?;
                let shape = match ::geo::Geometry::<f64>::try_from(f.geometry?).ok()? {
                    ::geo::Geometry::Polygon(p) => MultiPolygon(vec![p]),
                    ::geo::Geometry::MultiPolygon(m) => m,
                    _ => return None,
                };
                let label = *labels.get(&code)?;
                Some(Wijk {
                    area: Area { code, name },
                    municipality,
                    shape,
                    label,
                })
            })
            .collect();
        list.sort_by(|a, b| a.area.code.cmp(&b.area.code));
        let mut by_municipality: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, w) in list.iter().enumerate() {
            by_municipality
                .entry(w.municipality.clone())
                .or_default()
                .push(i);
        }
        let mut by_size: Vec<(f64, usize)> = list
            .iter()
            .enumerate()
            .map(|(i, w)| (::geo::Area::unsigned_area(&w.shape), i))
            .collect();
        by_size.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        Wijken {
            list,
            by_municipality,
            grid: OnceLock::new(),
            by_size: by_size.into_iter().map(|(_, i)| i).collect(),
        }
    }

    fn grid(&self) -> &GridLocator {
        self.grid
            .get_or_init(|| GridLocator::new(self.by_size.iter().map(|&i| &self.list[i].shape)))
    }

    /// The wijk polygon holding the point, whatever its municipality (the smallest where two do).
    pub(super) fn polygon_at(&self, lat: f64, lon: f64) -> Option<&Wijk> {
        if self.list.is_empty() {
            return None;
        }
        self.grid()
            .locate(lon, lat)
            .map(|i| &self.list[self.by_size[i]])
    }

    /// The wijk of a point that lies in `municipality` (see the module's rule).
    pub(super) fn locate(&self, lat: f64, lon: f64, municipality: &str) -> Option<&Wijk> {
        match self.polygon_at(lat, lon) {
            Some(w) if w.municipality == municipality => Some(w),
            _ => self.nearest_of(municipality, lat, lon),
        }
    }

    fn nearest_of(&self, municipality: &str, lat: f64, lon: f64) -> Option<&Wijk> {
        // The tolerance in degrees, a little generous. Only wijken that reach into the grid cells
        // that close can be near (far out on the water there are none), and of those only the
        // edges near the point are measured.
        let dlat = BORDER_TOLERANCE_M * 1.01 / METRES_PER_DEGREE;
        let kx = lat.to_radians().cos().max(0.1);
        let dlon = dlat / kx;
        let grid = self.grid();
        grid.regions_near(lon, lat, dlon, dlat)
            .into_iter()
            .filter(|&i| self.list[self.by_size[i]].municipality == municipality)
            .filter_map(|i| {
                Some((
                    grid.distance_to(i, lon, lat, dlon, dlat, kx)? * METRES_PER_DEGREE,
                    &self.list[self.by_size[i]],
                ))
            })
            .filter(|(metres, _)| *metres <= BORDER_TOLERANCE_M)
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.area.code.cmp(&b.1.area.code)))
            .map(|(_, w)| w)
    }

    pub(super) fn of_municipality(&self, municipality: &str) -> impl Iterator<Item = &Wijk> {
        self.by_municipality
            .get(municipality)
            .into_iter()
            .flatten()
            .map(|&i| &self.list[i])
    }

    pub(super) fn by_code(&self, code: &str) -> Option<&Wijk> {
        self.list
            .binary_search_by(|w| w.area.code.as_str().cmp(code))
            .ok()
            .map(|i| &self.list[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cbs_numbering_is_not_part_of_the_name() {
        assert_eq!(display_name("Wijk 03 Overvecht"), "Overvecht");
        assert_eq!(display_name("Wijk19-Waal"), "Waal");
        assert_eq!(display_name("Wijke 52 Fluitenberg"), "Fluitenberg");
        assert_eq!(display_name("Wijk 13 't Hout"), "'t Hout");
        assert_eq!(
            display_name("Wijk 00"),
            "Wijk 00",
            "nothing left: the whole name"
        );
        assert_eq!(display_name("Wijkerbroek"), "Wijkerbroek");
        assert_eq!(display_name("Kernhem"), "Kernhem");
        assert_eq!(display_name("2e Exloërmond"), "2e Exloërmond");
    }
}
