import { describe, expect, it } from "vitest";
import { ClusterIndex, spreadAround, type Placed } from "./cluster-index";

type P = { id: string; lat: number; lon: number };

/** `n` points in a square of `size` degrees with its south-west corner at (lat, lon), on a grid. */
function grid(n: number, lat: number, lon: number, size: number, prefix = "p"): P[] {
  const side = Math.ceil(Math.sqrt(n));
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i}`,
    lat: lat + (size * Math.floor(i / side)) / side,
    lon: lon + (size * (i % side)) / side,
  }));
}

const UTRECHT = { west: 4.9, south: 51.9, east: 5.3, north: 52.3 };
const NL = { west: 3.2, south: 50.7, east: 7.3, north: 53.6 };
const options = { radius: 80, minZoom: 6.5, maxZoom: 14 };
const counted = (placed: Placed<P>[]) =>
  placed.reduce((sum, p) => sum + (p.kind === "cluster" ? p.count : 1), 0);

describe("ClusterIndex", () => {
  it("accounts for every point exactly once at every zoom", () => {
    const points = grid(10_000, 52.075, 5.08, 0.03);
    const index = new ClusterIndex(points, options);
    for (const zoom of [6.5, 8, 10, 12.25, 13, 14]) {
      const placed = index.inView(UTRECHT, zoom);
      expect(counted(placed)).toBe(10_000);
      // Grouped far out, so that the map draws a handful of markers, not thousands.
      if (zoom <= 10) expect(placed.length).toBeLessThan(10);
    }
  });

  it("shows lone points as themselves, with their own data", () => {
    const points = [
      { id: "amsterdam", lat: 52.37, lon: 4.9 },
      { id: "maastricht", lat: 50.85, lon: 5.69 },
    ];
    const placed = new ClusterIndex(points, options).inView(NL, 8);
    expect(placed).toHaveLength(2);
    expect(placed.map((p) => (p.kind === "point" ? p.point.id : "cluster")).sort()).toEqual([
      "amsterdam",
      "maastricht",
    ]);
  });

  it("leaves out what lies outside the view", () => {
    const points = [...grid(50, 52.09, 5.12, 0.01, "u"), ...grid(50, 53.21, 6.56, 0.01, "g")];
    const index = new ClusterIndex(points, options);
    expect(counted(index.inView(UTRECHT, 12))).toBe(50);
  });

  it("names the zoom at which a group parts, and every point in it", () => {
    const points = grid(400, 52.09, 5.12, 0.02);
    const index = new ClusterIndex(points, options);
    const [group] = index.inView(UTRECHT, 8);
    expect(group.kind).toBe("cluster");
    if (group.kind !== "cluster") return;
    expect(group.count).toBe(400);
    expect(index.expansionZoom(group.id)).toBeGreaterThan(8);
    const ids = index.pointsOf(group.id).map((p) => p.id);
    expect(new Set(ids)).toEqual(new Set(points.map((p) => p.id)));
  });

  it("keeps points on one spot grouped at the deepest zoom, to be spread out there", () => {
    const points = Array.from({ length: 5 }, (_, i) => ({ id: `same${i}`, lat: 52.09, lon: 5.12 }));
    const index = new ClusterIndex(points, options);
    const placed = index.inView(UTRECHT, 14);
    expect(placed).toHaveLength(1);
    const [group] = placed;
    if (group.kind !== "cluster") throw new Error("expected a group");
    expect(index.expansionZoom(group.id)).toBeGreaterThan(14);
  });
});

describe("spreadAround", () => {
  const distance = (a: { x: number; y: number }, b: { x: number; y: number }) =>
    Math.hypot(a.x - b.x, a.y - b.y);

  it("places one marker on the spot and none for nothing", () => {
    expect(spreadAround(0, 30)).toEqual([]);
    expect(spreadAround(1, 30)).toEqual([{ x: 0, y: 0 }]);
  });

  for (const n of [2, 5, 9, 10, 40, 300]) {
    it(`keeps ${n} markers apart by at least the spacing, off the spot`, () => {
      const at = spreadAround(n, 30);
      expect(at).toHaveLength(n);
      let nearestPair = Infinity;
      let nearestSpot = Infinity;
      for (let i = 0; i < n; i++) {
        nearestSpot = Math.min(nearestSpot, distance(at[i], { x: 0, y: 0 }));
        for (let j = i + 1; j < n; j++) nearestPair = Math.min(nearestPair, distance(at[i], at[j]));
      }
      expect(nearestSpot).toBeGreaterThanOrEqual(29.99);
      // Along the spiral a step is a chord of a 30-pixel arc: a hair under 30.
      expect(nearestPair).toBeGreaterThan(27);
    });
  }
});
