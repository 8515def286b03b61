// What the maps draw, apart from the map itself: the symbols (one meaning each, across the app)
// and the choice of which names fit on the map. No Leaflet here, so these rules are tested alone.
import { html, svg, type SVGTemplateResult, type TemplateResult } from "lit-html";
import type { Case } from "./bindings/Case";
import type { MapLabel } from "./bindings/MapLabel";
import type { Strategy } from "./bindings/Strategy";

export type Shape = Strategy | "unclassified";

/** The strategies in the order every symbol and legend shows them. */
export const STRATEGY_ORDER: Strategy[] = ["bonding", "bridging", "linking"];

/** Case map: "this case works on this strategy". Shape carries the meaning, so colour is never
 * alone. These shapes mean that and nothing else anywhere in the app (the municipality map has
 * its own symbol, `weakestSvg`; the chosen place its own pin, `pinSvg`). */
export const SHAPES: Record<Shape, { color: string; svg: (c: string) => SVGTemplateResult }> = {
  bonding: {
    color: "#01689b",
    svg: (c) => svg`<circle cx="12" cy="12" r="8" fill="${c}" stroke="#fff" stroke-width="2.5"/>`,
  },
  bridging: {
    color: "#b34700",
    svg: (c) =>
      svg`<rect x="4.5" y="4.5" width="15" height="15" fill="${c}" stroke="#fff" stroke-width="2.5"/>`,
  },
  linking: {
    color: "#2f7008",
    svg: (c) =>
      svg`<path d="M12 2.5 21.5 12 12 21.5 2.5 12Z" fill="${c}" stroke="#fff" stroke-width="2.5"/>`,
  },
  unclassified: {
    color: "#535353",
    svg: (c) => svg`<path d="M12 3 21 20H3Z" fill="${c}" stroke="#fff" stroke-width="2.5"/>`,
  },
};

/** Every strategy of a case, in the legend's order; a case without any is "unclassified". */
export function shapesOf(c: Pick<Case, "strategies">): Shape[] {
  const own = STRATEGY_ORDER.filter((s) => c.strategies.includes(s));
  return own.length ? own : ["unclassified"];
}

export function shapeSvg(shape: Shape, size = 24, color = SHAPES[shape].color): TemplateResult {
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="${size}" height="${size}" aria-hidden="true" focusable="false"><g filter="drop-shadow(0 0 1px #000)" data-shape="${shape}">${SHAPES[shape].svg(color)}</g></svg>`;
}

/** Units between two shapes in a combined symbol (one shape is 24 units wide). */
const SHAPE_GAP = 2;

/** How big a combined symbol is drawn: each shape at three quarters of `size`, side by side. */
export function shapesBox(count: number, size = 24): { width: number; height: number } {
  if (count <= 1) return { width: size, height: size };
  const scale = 0.75;
  return {
    width: Math.round((24 * count + SHAPE_GAP * (count - 1)) * ((size * scale) / 24)),
    height: Math.round(size * scale),
  };
}

/** All of a case's shapes in one symbol, side by side: a case that works on bonding and linking
 * shows the circle and the diamond. One shape is drawn as `shapeSvg` draws it. */
export function shapesSvg(shapes: Shape[], size = 24): TemplateResult {
  if (shapes.length <= 1) return shapeSvg(shapes[0] ?? "unclassified", size);
  const { width, height } = shapesBox(shapes.length, size);
  const units = 24 * shapes.length + SHAPE_GAP * (shapes.length - 1);
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${units} 24" width="${width}" height="${height}" aria-hidden="true" focusable="false"><g filter="drop-shadow(0 0 1px #000)">${shapes.map(
    (s, i) =>
      svg`<g transform="translate(${i * (24 + SHAPE_GAP)} 0)" data-shape="${s}">${SHAPES[s].svg(SHAPES[s].color)}</g>`,
  )}</g></svg>`;
}

/** Municipality map: an initiative with its weakest strategy. A white tile with three bars, one
 * per strategy in `STRATEGY_ORDER`; the weakest one's bar is low and hollow. Without scores all
 * three are hollow. Neither the shapes nor the colours of the case map: those mean "works on". */
export function weakestSvg(weakest: Strategy | null, size = 24): TemplateResult {
  const bars = STRATEGY_ORDER.map((s, i) => {
    const x = 4.75 + i * 5.25;
    const low = weakest === null || s === weakest;
    return low
      ? svg`<rect x="${x + 0.6}" y="${weakest === null ? 6.6 : 13.6}" width="2.8" height="${weakest === null ? 10.8 : 3.8}" fill="#fff" stroke="#1a1a1a" stroke-width="1.2" data-bar="${s}" data-low="true"/>`
      : svg`<rect x="${x}" y="6" width="4" height="12" fill="#1a1a1a" data-bar="${s}"/>`;
  });
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="${size}" height="${size}" aria-hidden="true" focusable="false" data-weakest="${weakest ?? "none"}"><rect x="1.5" y="1.5" width="21" height="21" rx="4" fill="#fff" stroke="#1a1a1a" stroke-width="2"/>${bars}</svg>`;
}

/** The chosen place: a pin, a symbol no other map uses. Its point is the bottom tip. */
export function pinSvg(size = 34): TemplateResult {
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 32" width="${Math.round((size * 24) / 32)}" height="${size}" aria-hidden="true" focusable="false" data-pin="chosen"><path d="M12 1.2C6 1.2 1.8 5.6 1.8 11.2c0 7.3 10.2 19.6 10.2 19.6s10.2-12.3 10.2-19.6C22.2 5.6 18 1.2 12 1.2Z" fill="#b3001b" stroke="#fff" stroke-width="2"/><circle cx="12" cy="11" r="4" fill="#fff"/></svg>`;
}

/** A box on the screen, in pixels (`x`, `y` the top-left corner). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A name placed on the screen: its box, and other places for the box (tried in order when the
 * first is taken: beside its point rather than left out). */
export interface PlacedLabel extends Box {
  label: MapLabel;
  otherPlaces?: { x: number; y: number }[];
}

/** Is a name written at this zoom? */
export const shownAt = (label: MapLabel, zoom: number) =>
  zoom >= label.from_zoom && (label.to_zoom === null || zoom < label.to_zoom);

/** Pixels kept free around each name, so that neighbours do not read as one. */
export const LABEL_MARGIN = 6;

/** Of the names wanted, in order of importance, those that fit: a name that would overlap one
 * already kept or a marker in `keepClear` (or come within `margin`), or stick out of the
 * `width`×`height` view, is moved to one of its other places or left out. A grid of cells keeps
 * this fast for the thousands of names of a zoomed-out map. */
export function thinLabels(
  wanted: PlacedLabel[],
  width: number,
  height: number,
  { keepClear = [] as Box[], margin = LABEL_MARGIN, limit = 400 } = {},
): PlacedLabel[] {
  const cell = 64;
  const grid = new Map<number, Box[]>();
  const kept: PlacedLabel[] = [];
  const cellsOf = (b: Box) => {
    const keys: number[] = [];
    for (let cx = Math.floor(b.x / cell); cx <= Math.floor((b.x + b.width) / cell); cx++)
      for (let cy = Math.floor(b.y / cell); cy <= Math.floor((b.y + b.height) / cell); cy++)
        keys.push(cx * 100_003 + cy);
    return keys;
  };
  const overlaps = (a: Box, b: Box) =>
    a.x < b.x + b.width + margin &&
    b.x < a.x + a.width + margin &&
    a.y < b.y + b.height + margin &&
    b.y < a.y + a.height + margin;
  const take = (b: Box) => {
    for (const k of cellsOf(b)) {
      const list = grid.get(k);
      if (list) list.push(b);
      else grid.set(k, [b]);
    }
  };
  const fits = (b: Box) => {
    if (b.x < 0 || b.y < 0 || b.x + b.width > width || b.y + b.height > height) return false;
    const around = {
      x: b.x - margin,
      y: b.y - margin,
      width: b.width + 2 * margin,
      height: b.height + 2 * margin,
    };
    return !cellsOf(around).some((k) => grid.get(k)?.some((q) => overlaps(b, q)));
  };
  keepClear.forEach(take);
  for (const p of wanted) {
    if (kept.length >= limit) break;
    const place = [{ x: p.x, y: p.y }, ...(p.otherPlaces ?? [])]
      .map(({ x, y }) => ({ ...p, x, y }))
      .find(fits);
    if (!place) continue;
    kept.push(place);
    take(place);
  }
  return kept;
}

/** A ring of at most four corners (five positions, closed) in the drawn municipal borders is
 * what simplifying a pond or an islet left: drawn, it is a stray triangle or diamond on the land.
 * The real lakes and islands keep more corners. */
const SLIVER_POSITIONS = 5;

/** The borders without those slivers: holes dropped, and parts that are only a sliver. */
export function withoutSlivers(borders: GeoJSON.FeatureCollection): GeoJSON.FeatureCollection {
  const polygon = (rings: GeoJSON.Position[][]) =>
    rings.length && rings[0].length > SLIVER_POSITIONS
      ? [rings[0], ...rings.slice(1).filter((r) => r.length > SLIVER_POSITIONS)]
      : null;
  return {
    ...borders,
    features: borders.features.map((f) => {
      const g = f.geometry;
      if (g?.type === "Polygon") {
        const kept = polygon(g.coordinates);
        return kept ? { ...f, geometry: { ...g, coordinates: kept } } : f;
      }
      if (g?.type === "MultiPolygon") {
        const parts = g.coordinates.map(polygon).filter((p) => p !== null);
        return parts.length ? { ...f, geometry: { ...g, coordinates: parts } } : f;
      }
      return f;
    }),
  };
}
