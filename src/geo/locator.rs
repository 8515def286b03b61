/*! Point-in-polygon for many polygons that tile a country: a grid over their extent.

Most grid cells lie wholly inside one municipality (or wholly outside all of them); those answer a
lookup with one array read. Only the cells a boundary passes through keep a short list of
candidate regions, each tested with the even-odd ray rule over just the edges of that region in
the cell's row. Building the grid is one scanline pass per region, so it takes milliseconds, and
it is built on the first lookup, not at start.

A point exactly on a boundary belongs to the region whose half-open ray test claims it; where two
regions would both claim it (overlapping data), the lower index wins, so answers are stable. */
use std::collections::HashMap;

use geo::{BoundingRect, MultiPolygon};

/// The cells across the longer side of the extent: about 250 m at the Netherlands' size, which
/// leaves nine in ten municipality lookups answered by the cell alone.
const GRID_CELLS: usize = 1024;
/// Widens an edge's footprint so that no cell it touches is taken for a whole one.
const EPSILON: f64 = 1e-9;

/// What a cell knows: no region, exactly one region, or a list of candidates.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Cell {
    Outside,
    Inside(u32),
    Mixed(u32),
}

/// A cell packed into four bytes (half the enum's eight): lookups at random points are bound by
/// memory reads, so a smaller grid answers faster. The top bit marks a list of candidates.
#[derive(Clone, Copy, PartialEq, Debug)]
struct PackedCell(u32);

impl PackedCell {
    const OUTSIDE: PackedCell = PackedCell(u32::MAX);
    const MIXED: u32 = 1 << 31;

    fn pack(cell: Cell) -> PackedCell {
        match cell {
            Cell::Outside => PackedCell::OUTSIDE,
            Cell::Inside(region) => {
                assert!(region < Self::MIXED - 1, "too many regions for a grid");
                PackedCell(region)
            }
            Cell::Mixed(list) => {
                assert!(list < Self::MIXED - 1, "too many boundary cells for a grid");
                PackedCell(Self::MIXED | list)
            }
        }
    }

    fn unpack(self) -> Cell {
        match self.0 {
            u32::MAX => Cell::Outside,
            v if v & Self::MIXED != 0 => Cell::Mixed(v & !Self::MIXED),
            region => Cell::Inside(region),
        }
    }
}

/// One region's edges, bucketed by grid row; an edge sits in every row its y-range touches.
struct RowEdges {
    first_row: usize,
    rows: Vec<Vec<[f64; 4]>>,
}

impl RowEdges {
    fn row(&self, row: usize) -> &[[f64; 4]] {
        row.checked_sub(self.first_row)
            .and_then(|i| self.rows.get(i))
            .map_or(&[], Vec::as_slice)
    }
}

pub(super) struct GridLocator {
    min_x: f64,
    min_y: f64,
    cell_w: f64,
    cell_h: f64,
    cols: usize,
    rows: usize,
    cells: Vec<PackedCell>,
    candidates: Vec<Vec<u32>>,
    edges: Vec<RowEdges>,
}

impl GridLocator {
    /// Builds the grid over the regions' combined extent; the region's index is its answer.
    pub(super) fn new<'a>(shapes: impl IntoIterator<Item = &'a MultiPolygon<f64>>) -> GridLocator {
        let shapes: Vec<&MultiPolygon<f64>> = shapes.into_iter().collect();
        let Some(extent) = combined_extent(&shapes) else {
            return GridLocator::empty();
        };
        let mut grid = GridLocator::over(extent, shapes.len());
        let mut touched = grid.bucket_edges(&shapes);
        grid.fill_whole_cells(&mut touched);
        grid.keep_candidates(touched);
        grid
    }

    /// A grid without cells, for no regions (or none with a point): every lookup is outside.
    fn empty() -> GridLocator {
        GridLocator {
            min_x: 0.0,
            min_y: 0.0,
            cell_w: 1.0,
            cell_h: 1.0,
            cols: 0,
            rows: 0,
            cells: vec![],
            candidates: vec![],
            edges: vec![],
        }
    }

    /// An empty grid over `extent`, `GRID_CELLS` across its longer side, with room for the edges
    /// of `regions` regions.
    fn over(extent: geo::Rect<f64>, regions: usize) -> GridLocator {
        let (w, h) = (extent.width().max(EPSILON), extent.height().max(EPSILON));
        let (cols, rows) = if w >= h {
            (
                GRID_CELLS,
                ((GRID_CELLS as f64 * h / w).ceil() as usize).max(1),
            )
        } else {
            (
                ((GRID_CELLS as f64 * w / h).ceil() as usize).max(1),
                GRID_CELLS,
            )
        };
        GridLocator {
            min_x: extent.min().x,
            min_y: extent.min().y,
            // A hair wider than the extent, so the maximum coordinate still falls in the last cell.
            cell_w: w * (1.0 + 1e-12) / cols as f64 + f64::EPSILON,
            cell_h: h * (1.0 + 1e-12) / rows as f64 + f64::EPSILON,
            cols,
            rows,
            cells: vec![PackedCell::OUTSIDE; cols * rows],
            candidates: Vec::new(),
            edges: Vec::with_capacity(regions),
        }
    }

    /// Buckets every region's edges by row (kept in `edges`) and returns the cells crossed by an
    /// edge, with the regions whose edges cross them.
    fn bucket_edges(&mut self, shapes: &[&MultiPolygon<f64>]) -> HashMap<usize, Vec<u32>> {
        let mut touched: HashMap<usize, Vec<u32>> = HashMap::new();
        for (region, shape) in shapes.iter().enumerate() {
            let region = region as u32;
            let edges = self.row_edges(shape);
            for (i, row_edges) in edges.rows.iter().enumerate() {
                let row = edges.first_row + i;
                for e in row_edges {
                    let (x0, x1) = self.x_span_in_row(e, row);
                    for col in self.col_of(x0 - EPSILON)..=self.col_of(x1 + EPSILON) {
                        let list = touched.entry(row * self.cols + col).or_default();
                        if list.last() != Some(&region) {
                            list.push(region);
                        }
                    }
                }
            }
            self.edges.push(edges);
        }
        touched
    }

    /// Whole cells: a scanline through each row's middle gives the spans inside each region.
    fn fill_whole_cells(&mut self, touched: &mut HashMap<usize, Vec<u32>>) {
        let cols = self.cols;
        for region in 0..self.edges.len() {
            let first = self.edges[region].first_row;
            for row in first..first + self.edges[region].rows.len() {
                let xs = self.crossings_through_middle(region, row);
                for span in xs.chunks_exact(2) {
                    // Cells whose middle lies in the span.
                    let from =
                        ((span[0] - self.min_x) / self.cell_w - 0.5).ceil().max(0.0) as usize;
                    let to = ((span[1] - self.min_x) / self.cell_w - 0.5).floor();
                    if to < 0.0 {
                        continue;
                    }
                    for col in from..=(to as usize).min(cols - 1) {
                        let idx = row * cols + col;
                        match touched.get_mut(&idx) {
                            // A region holding the middle of a crossed cell is always a candidate,
                            // even if only another region's edges cross it (gaps in the data).
                            Some(list) if !list.contains(&(region as u32)) => {
                                list.push(region as u32)
                            }
                            Some(_) => {}
                            // Regions come in index order: a cell already inside a lower one stays its.
                            None if self.cells[idx] == PackedCell::OUTSIDE => {
                                self.cells[idx] = PackedCell::pack(Cell::Inside(region as u32))
                            }
                            None => {}
                        }
                    }
                }
            }
        }
    }

    /// Where a region's edges cross the horizontal line through a row's middle, left to right.
    fn crossings_through_middle(&self, region: usize, row: usize) -> Vec<f64> {
        let y = self.min_y + (row as f64 + 0.5) * self.cell_h;
        let mut xs: Vec<f64> = self.edges[region]
            .row(row)
            .iter()
            .filter(|e| (e[1] > y) != (e[3] > y))
            .map(|e| e[0] + (y - e[1]) * (e[2] - e[0]) / (e[3] - e[1]))
            .collect();
        xs.sort_by(f64::total_cmp);
        xs
    }

    /// Turns the crossed cells into lists of candidates, in cell order, each list sorted.
    fn keep_candidates(&mut self, touched: HashMap<usize, Vec<u32>>) {
        let mut mixed: Vec<(usize, Vec<u32>)> = touched.into_iter().collect();
        mixed.sort_unstable_by_key(|(idx, _)| *idx);
        for (idx, mut list) in mixed {
            list.sort_unstable();
            self.cells[idx] = PackedCell::pack(Cell::Mixed(self.candidates.len() as u32));
            self.candidates.push(list);
        }
    }

    fn col_of(&self, x: f64) -> usize {
        (((x - self.min_x) / self.cell_w).floor().max(0.0) as usize)
            .min(self.cols.saturating_sub(1))
    }

    fn row_of(&self, y: f64) -> usize {
        (((y - self.min_y) / self.cell_h).floor().max(0.0) as usize)
            .min(self.rows.saturating_sub(1))
    }

    /// The x-range an edge covers within one row band.
    fn x_span_in_row(&self, e: &[f64; 4], row: usize) -> (f64, f64) {
        if e[3] == e[1] {
            return (e[0].min(e[2]), e[0].max(e[2])); // horizontal: all of it lies in the band
        }
        let (y0, y1) = (
            self.min_y + row as f64 * self.cell_h,
            self.min_y + (row + 1) as f64 * self.cell_h,
        );
        let x_at = |y: f64| {
            e[0] + (y.clamp(e[1].min(e[3]), e[1].max(e[3])) - e[1]) * (e[2] - e[0]) / (e[3] - e[1])
        };
        let (a, b) = (x_at(y0), x_at(y1));
        (a.min(b), a.max(b))
    }

    fn row_edges(&self, shape: &MultiPolygon<f64>) -> RowEdges {
        let Some(bounds) = shape.bounding_rect() else {
            return RowEdges {
                first_row: 0,
                rows: vec![],
            };
        };
        let first_row = self.row_of(bounds.min().y - EPSILON);
        let last_row = self.row_of(bounds.max().y + EPSILON);
        let mut rows = vec![Vec::new(); last_row - first_row + 1];
        let rings = shape
            .0
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()));
        for ring in rings {
            for line in ring.lines() {
                let e = [line.start.x, line.start.y, line.end.x, line.end.y];
                let (lo, hi) = (e[1].min(e[3]), e[1].max(e[3]));
                for row in self.row_of(lo - EPSILON)..=self.row_of(hi + EPSILON) {
                    rows[row - first_row].push(e);
                }
            }
        }
        RowEdges { first_row, rows }
    }

    /// The regions whose area or edges reach into the cells within `dx` × `dy` (in the same
    /// units as the coordinates) of a point: the only ones that can lie that close to it. Sorted,
    /// each once.
    pub(super) fn regions_near(&self, x: f64, y: f64, dx: f64, dy: f64) -> Vec<usize> {
        let (max_x, max_y) = (
            self.min_x + self.cols as f64 * self.cell_w,
            self.min_y + self.rows as f64 * self.cell_h,
        );
        // A box beyond the grid touches no cell (the clamping below would take the edge's).
        if self.cols == 0
            || !(x + dx >= self.min_x && x - dx <= max_x && y + dy >= self.min_y && y - dy <= max_y)
        {
            return Vec::new();
        }
        let (c0, c1) = (self.col_of(x - dx), self.col_of(x + dx));
        let (r0, r1) = (self.row_of(y - dy), self.row_of(y + dy));
        let mut found = Vec::new();
        for row in r0..=r1 {
            for col in c0..=c1 {
                match self.cells[row * self.cols + col].unpack() {
                    Cell::Outside => {}
                    Cell::Inside(region) => found.push(region as usize),
                    Cell::Mixed(list) => {
                        found.extend(self.candidates[list as usize].iter().map(|&r| r as usize))
                    }
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// How far a region is from a point, if it is within `dx` × `dy`: 0 inside it, else the
    /// distance to its nearest edge among the edges in the rows that box spans, with x distances
    /// multiplied by `kx` (cos(latitude) makes degrees of longitude and latitude alike). Only the
    /// edges near the point are read, never the whole region.
    pub(super) fn distance_to(
        &self,
        region: usize,
        x: f64,
        y: f64,
        dx: f64,
        dy: f64,
        kx: f64,
    ) -> Option<f64> {
        let edges = self.edges.get(region)?;
        if self.cols == 0 {
            return None;
        }
        let row = ((y - self.min_y) / self.cell_h).floor();
        if row >= 0.0 && (row as usize) < self.rows && inside(edges.row(row as usize), x, y) {
            return Some(0.0);
        }
        // An edge spanning several rows is measured once per row: the minimum does not mind.
        let mut best: Option<f64> = None;
        for r in self.row_of(y - dy)..=self.row_of(y + dy) {
            for e in edges.row(r) {
                if e[0].max(e[2]) < x - dx || e[0].min(e[2]) > x + dx {
                    continue;
                }
                let d = segment_distance((e[0], e[1]), (e[2], e[3]), (x, y), kx);
                best = Some(best.map_or(d, |b: f64| b.min(d)));
            }
        }
        best
    }

    /// The index of the region containing the point (x = longitude, y = latitude), if any.
    pub(super) fn locate(&self, x: f64, y: f64) -> Option<usize> {
        if self.cols == 0 || !(x >= self.min_x && y >= self.min_y) {
            return None;
        }
        let col = ((x - self.min_x) / self.cell_w) as usize;
        let row = ((y - self.min_y) / self.cell_h) as usize;
        if col >= self.cols || row >= self.rows {
            return None;
        }
        match self.cells[row * self.cols + col].unpack() {
            Cell::Outside => None,
            Cell::Inside(region) => Some(region as usize),
            Cell::Mixed(list) => self.candidates[list as usize]
                .iter()
                .find(|&&region| inside(self.edges[region as usize].row(row), x, y))
                .map(|&region| region as usize),
        }
    }
}

/// The distance from `p` to the segment `a`–`b`, with x distances multiplied by `kx`.
/// The smallest rectangle around every shape; None when no shape has a point.
fn combined_extent(shapes: &[&MultiPolygon<f64>]) -> Option<geo::Rect<f64>> {
    shapes
        .iter()
        .filter_map(|s| s.bounding_rect())
        .reduce(|a, b| {
            geo::Rect::new(
                (a.min().x.min(b.min().x), a.min().y.min(b.min().y)),
                (a.max().x.max(b.max().x), a.max().y.max(b.max().y)),
            )
        })
}

fn segment_distance(a: (f64, f64), b: (f64, f64), p: (f64, f64), kx: f64) -> f64 {
    let (ax, ay, bx, by, px, py) = (a.0 * kx, a.1, b.0 * kx, b.1, p.0 * kx, p.1);
    let (vx, vy) = (bx - ax, by - ay);
    let length = vx * vx + vy * vy;
    let t = if length > 0.0 {
        (((px - ax) * vx + (py - ay) * vy) / length).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (cx, cy) = (ax + t * vx - px, ay + t * vy - py);
    (cx * cx + cy * cy).sqrt()
}

/// Even-odd rule with a ray towards +x: the row holds every edge the ray could cross.
fn inside(edges: &[[f64; 4]], x: f64, y: f64) -> bool {
    let mut inside = false;
    for e in edges {
        if (e[1] > y) != (e[3] > y) && x < e[0] + (y - e[1]) * (e[2] - e[0]) / (e[3] - e[1]) {
            inside = !inside;
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, Intersects, Point};

    fn squares() -> Vec<MultiPolygon<f64>> {
        let a = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
        // A square with a hole, and a third square filling the hole.
        let b = geo::Polygon::new(
            geo::LineString::from(vec![
                (1.0, 0.0),
                (3.0, 0.0),
                (3.0, 2.0),
                (1.0, 2.0),
                (1.0, 0.0),
            ]),
            vec![geo::LineString::from(vec![
                (1.5, 0.5),
                (2.5, 0.5),
                (2.5, 1.5),
                (1.5, 1.5),
                (1.5, 0.5),
            ])],
        );
        let c = polygon![(x: 1.5, y: 0.5), (x: 2.5, y: 0.5), (x: 2.5, y: 1.5), (x: 1.5, y: 1.5)];
        vec![
            MultiPolygon(vec![a]),
            MultiPolygon(vec![b]),
            MultiPolygon(vec![c]),
        ]
    }

    #[test]
    fn finds_regions_holes_and_the_outside() {
        let shapes = squares();
        let grid = GridLocator::new(&shapes);
        assert_eq!(grid.locate(0.5, 0.5), Some(0));
        assert_eq!(grid.locate(1.2, 1.8), Some(1));
        assert_eq!(
            grid.locate(2.0, 1.0),
            Some(2),
            "inside the hole is the third region"
        );
        assert_eq!(
            grid.locate(0.5, 1.5),
            None,
            "in the extent but in no region"
        );
        assert_eq!(grid.locate(-1.0, 0.5), None);
        assert_eq!(grid.locate(3.5, 0.5), None);
        assert_eq!(grid.locate(f64::NAN, 0.5), None);
    }

    #[test]
    fn where_regions_overlap_the_lower_index_wins_in_every_cell() {
        // A large square and a small one inside it: cells wholly inside both must answer like
        // the cells on the small one's border do (the lower index), not the last region drawn.
        let big = polygon![(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 4.0)];
        let small =
            polygon![(x: 1.0, y: 1.0), (x: 3.0, y: 1.0), (x: 3.0, y: 3.0), (x: 1.0, y: 3.0)];
        let grid = GridLocator::new(&[MultiPolygon(vec![big]), MultiPolygon(vec![small])]);
        for (x, y) in [
            (2.0, 2.0),
            (1.01, 1.01),
            (2.99, 2.5),
            (0.5, 0.5),
            (3.5, 3.9),
        ] {
            assert_eq!(grid.locate(x, y), Some(0), "at {x}, {y}");
        }
    }

    #[test]
    fn regions_near_and_their_distance() {
        let shapes = squares();
        let grid = GridLocator::new(&shapes);
        // Left of the first square by 0.1: only it is within 0.2, at 0.1; the others are not near.
        let near = grid.regions_near(-0.1, 0.5, 0.2, 0.2);
        assert_eq!(near, vec![0]);
        assert!((grid.distance_to(0, -0.1, 0.5, 0.2, 0.2, 1.0).unwrap() - 0.1).abs() < 1e-9);
        // Inside a region the distance is 0; an x scale shortens distances across.
        assert_eq!(grid.distance_to(0, 0.5, 0.5, 0.2, 0.2, 1.0), Some(0.0));
        assert!((grid.distance_to(0, -0.1, 0.5, 0.2, 0.2, 0.5).unwrap() - 0.05).abs() < 1e-9);
        // Nothing within the box: no distance.
        assert_eq!(grid.distance_to(1, -0.1, 0.5, 0.2, 0.2, 1.0), None);
        assert!(grid.regions_near(-5.0, -5.0, 0.1, 0.1).is_empty());
    }

    #[test]
    fn agrees_with_the_exact_test_on_a_dense_sample() {
        let shapes = squares();
        let grid = GridLocator::new(&shapes);
        let mut disagreements = 0;
        for i in 0..400 {
            for j in 0..300 {
                // Off the grid's own lines, so that no sample sits exactly on a boundary.
                let (x, y) = (-0.2 + i as f64 * 0.00851, -0.1 + j as f64 * 0.00773);
                let exact = shapes.iter().position(|s| s.intersects(&Point::new(x, y)));
                if grid.locate(x, y) != exact {
                    disagreements += 1;
                }
            }
        }
        assert_eq!(disagreements, 0);
    }
}
