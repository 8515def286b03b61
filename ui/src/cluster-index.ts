// Which of many points (or counted groups of them) a map shows at a zoom level: supercluster's
// index, built once per municipality (10,000 points in about 20 ms), asked only for what is in
// view. Pure: no map, no DOM (cluster-layer.ts draws what this says).
import Supercluster from "supercluster";

export interface Located {
  lat: number;
  lon: number;
}

/** What the map draws at one spot: one point, or a group of `count` points near each other. */
export type Placed<P> =
  | { kind: "point"; point: P; lat: number; lon: number }
  | { kind: "cluster"; id: number; count: number; lat: number; lon: number };

/** A view's edges in degrees. */
export interface View {
  west: number;
  south: number;
  east: number;
  north: number;
}

export interface IndexOptions {
  /** Points closer than this many screen pixels (on Leaflet's 256-pixel tiles) group. */
  radius: number;
  /** The map's zoom levels: below `minZoom` the index answers as at `minZoom`; at `maxZoom`
   * points still group (the layer spreads a group out there). */
  minZoom: number;
  maxZoom: number;
}

type Properties = { index: number };

export class ClusterIndex<P extends Located> {
  private readonly index: Supercluster<Properties, Properties>;

  constructor(
    private readonly points: readonly P[],
    options: IndexOptions,
  ) {
    this.index = new Supercluster<Properties, Properties>({
      radius: options.radius,
      // supercluster's pixels are 1/extent of a tile; Leaflet's tiles are 256 pixels.
      extent: 256,
      minZoom: Math.floor(options.minZoom),
      maxZoom: Math.floor(options.maxZoom),
    }).load(
      points.map((p, index) => ({
        type: "Feature",
        properties: { index },
        geometry: { type: "Point", coordinates: [p.lon, p.lat] },
      })),
    );
  }

  /** Everything to draw in `view` at `zoom` (a fractional zoom counts as the level below it). */
  inView(view: View, zoom: number): Placed<P>[] {
    const found = this.index.getClusters([view.west, view.south, view.east, view.north], zoom);
    return found.map((f) => {
      const [lon, lat] = f.geometry.coordinates;
      const props = f.properties;
      return "cluster" in props && props.cluster
        ? { kind: "cluster", id: props.cluster_id, count: props.point_count, lat, lon }
        : { kind: "point", point: this.points[(props as Properties).index], lat, lon };
    });
  }

  /** The zoom level at which a group falls apart into smaller groups or points; above the
   * index's `maxZoom` when its points are too close to part at any zoom the map has. */
  expansionZoom(clusterId: number): number {
    return this.index.getClusterExpansionZoom(clusterId);
  }

  /** Every point of a group. */
  pointsOf(clusterId: number): P[] {
    return this.index
      .getLeaves(clusterId, Infinity)
      .map((f) => this.points[(f.properties as Properties).index]);
  }
}

/** Where `n` markers go around their group's spot when it is spread out, in screen pixels from
 * that spot: on a circle while they fit with `spacing` pixels between them, then on a spiral that
 * keeps that spacing, so no two overlap however many there are. */
export function spreadAround(n: number, spacing: number): { x: number; y: number }[] {
  if (n <= 0) return [];
  if (n === 1) return [{ x: 0, y: 0 }];
  const ONE_CIRCLE = 9;
  if (n <= ONE_CIRCLE) {
    const radius = Math.max(spacing, (spacing * n) / (2 * Math.PI));
    return Array.from({ length: n }, (_, i) => {
      const angle = (2 * Math.PI * i) / n - Math.PI / 2;
      return { x: radius * Math.cos(angle), y: radius * Math.sin(angle) };
    });
  }
  // An Archimedean spiral r = b·θ whose turns lie `spacing` apart (b = spacing / 2π), stepped
  // along its length by `spacing`.
  const b = spacing / (2 * Math.PI);
  let theta = spacing / b; // starts one spacing out from the spot
  return Array.from({ length: n }, () => {
    const r = b * theta;
    const at = { x: r * Math.cos(theta), y: r * Math.sin(theta) };
    theta += spacing / r; // an arc of `spacing` to the next
    return at;
  });
}
