import { describe, expect, it } from "vitest";
import type { MapLabel } from "./bindings/MapLabel";
import {
  shapesBox,
  shapesOf,
  shapesSvg,
  shapeSvg,
  shownAt,
  thinLabels,
  weakestSvg,
  pinSvg,
  withoutSlivers,
  type PlacedLabel,
} from "./mapsymbols";

/** The markup a template would become, enough to compare symbols. */
function markup(t: { strings: ArrayLike<string>; values: unknown[] }): string {
  let out = "";
  for (let i = 0; i < t.strings.length; i++) {
    out += t.strings[i];
    if (i < t.values.length) {
      const v = t.values[i];
      if (Array.isArray(v)) out += v.map((x) => markup(x)).join("");
      else if (v && typeof v === "object" && "strings" in v) out += markup(v as never);
      else out += String(v);
    }
  }
  return out;
}

const label = (name: string, from = 0, to: number | null = null): MapLabel => ({
  name,
  kind: "place",
  lat: 0,
  lon: 0,
  from_zoom: from,
  to_zoom: to,
});
const at = (name: string, x: number, y: number, width = 40, height = 16): PlacedLabel => ({
  label: label(name),
  x,
  y,
  width,
  height,
});

describe("case symbols", () => {
  it("show every strategy of a case, in the legend's order", () => {
    expect(shapesOf({ strategies: ["linking", "bonding"] })).toEqual(["bonding", "linking"]);
    expect(shapesOf({ strategies: [] })).toEqual(["unclassified"]);
    const both = markup(shapesSvg(["bonding", "linking"]));
    expect(both).toContain('data-shape="bonding"');
    expect(both).toContain('data-shape="linking"');
    expect(both).not.toContain('data-shape="bridging"');
  });

  it("draw one shape as the legend does, and more side by side", () => {
    expect(markup(shapesSvg(["bridging"], 16))).toBe(markup(shapeSvg("bridging", 16)));
    expect(shapesBox(1)).toEqual({ width: 24, height: 24 });
    expect(shapesBox(2)).toEqual({ width: 38, height: 18 });
    expect(shapesBox(3)).toEqual({ width: 57, height: 18 });
  });
});

describe("the municipality map's symbol and the chosen place's pin", () => {
  it("mark the weakest strategy with a low open bar, none of the case shapes", () => {
    const weak = markup(weakestSvg("bridging"));
    expect(weak.match(/data-low="true"/g)).toHaveLength(1);
    expect(weak).toMatch(/data-bar="bridging" data-low="true"/);
    expect(markup(weakestSvg(null)).match(/data-low="true"/g)).toHaveLength(3);
    for (const symbol of [weak, markup(pinSvg())]) {
      expect(symbol).not.toContain("data-shape");
      for (const colour of ["#01689b", "#b34700", "#2f7008", "#535353"])
        expect(symbol).not.toContain(colour);
    }
  });
});

describe("names on the map", () => {
  it("are written within their zooms only", () => {
    expect(shownAt(label("Utrecht", 0, 8), 7)).toBe(true);
    expect(shownAt(label("Utrecht", 0, 8), 8)).toBe(false);
    expect(shownAt(label("Overvecht", 11.5), 11)).toBe(false);
    expect(shownAt(label("Overvecht", 11.5), 13)).toBe(true);
  });

  it("leave out a name that would touch a more important one", () => {
    const kept = thinLabels(
      [at("Utrecht", 100, 100), at("Zuilen", 120, 104), at("Overvecht", 100, 140)],
      800,
      600,
    );
    expect(kept.map((p) => p.label.name)).toEqual(["Utrecht", "Overvecht"]);
  });

  it("keep a margin between names and stay inside the view", () => {
    const kept = thinLabels(
      [at("A", 10, 10), at("B", 52, 10), at("C", 60, 40), at("D", 790, 10), at("E", -5, 200)],
      800,
      600,
      { margin: 6 },
    );
    expect(kept.map((p) => p.label.name)).toEqual(["A", "C"]);
  });

  it("move a name beside its point, off a marker, rather than leave it out", () => {
    const pin = { x: 90, y: 80, width: 30, height: 40 };
    const wanted = { ...at("Overvecht", 80, 112), otherPlaces: [{ x: 80, y: 132 }] };
    const kept = thinLabels([wanted], 800, 600, { keepClear: [pin] });
    expect(kept).toHaveLength(1);
    expect(kept[0].y).toBe(132);
    expect(thinLabels([at("Zuilen", 80, 112)], 800, 600, { keepClear: [pin] })).toEqual([]);
  });

  it("never overlap, however many are wanted", () => {
    const wanted: PlacedLabel[] = [];
    for (let i = 0; i < 3000; i++)
      wanted.push(at(`n${i}`, (i * 37) % 760, (i * 53) % 580, 30 + (i % 50), 16));
    const kept = thinLabels(wanted, 800, 600, { margin: 4, limit: 10_000 });
    expect(kept.length).toBeGreaterThan(20);
    for (const a of kept)
      for (const b of kept)
        if (a !== b)
          expect(
            a.x < b.x + b.width + 4 &&
              b.x < a.x + a.width + 4 &&
              a.y < b.y + b.height + 4 &&
              b.y < a.y + a.height + 4,
          ).toBe(false);
  });
});

describe("drawn borders", () => {
  it("lose the triangles and diamonds that simplifying ponds and islets left", () => {
    const square = (x: number, n = 4): GeoJSON.Position[] => {
      const ring: GeoJSON.Position[] = [];
      for (let i = 0; i < n; i++)
        ring.push([x + Math.cos((i / n) * 2 * Math.PI), Math.sin((i / n) * 2 * Math.PI)]);
      return [...ring, ring[0]];
    };
    const borders: GeoJSON.FeatureCollection = {
      type: "FeatureCollection",
      features: [
        {
          type: "Feature",
          properties: { gm_code: "GM0344" },
          geometry: {
            type: "MultiPolygon",
            coordinates: [[square(0, 12), square(0, 3), square(0, 8)], [square(5, 4)]],
          },
        },
      ],
    };
    const cleaned = withoutSlivers(borders).features[0].geometry as GeoJSON.MultiPolygon;
    expect(cleaned.coordinates).toEqual([[square(0, 12), square(0, 8)]]);
    expect(borders.features[0].geometry).not.toBe(cleaned);
  });
});
