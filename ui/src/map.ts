// The offline map: the Netherlands drawn from the embedded boundaries (no tiles, no network),
// with the cases as labelled, keyboard-operable markers.
import L from "leaflet";
import {
  api,
  type Basemap,
  type Case,
  type DetailedBorders,
  type MapLabel,
  type Overview,
  type Strategy,
} from "./api";
import { html, type TemplateResult } from "lit-html";
import { fragmentOf } from "./dom";
import { ClusterLayer } from "./cluster-layer";
import { t } from "./i18n";
import {
  pinSvg,
  shapesOf,
  shapesSvg,
  shownAt,
  thinLabels,
  weakestSvg,
  withoutSlivers,
  type Box,
  type PlacedLabel,
  type Shape,
} from "./mapsymbols";

export { SHAPES, shapeSvg, shapesOf, shapesSvg, weakestSvg, type Shape } from "./mapsymbols";

/** A symbol as an element, for a Leaflet marker's icon: Leaflet would read a string as markup,
 * an element it appends (any element; its types say HTMLElement). */
function symbolElement(symbol: TemplateResult): HTMLElement {
  return fragmentOf(symbol).firstElementChild as unknown as HTMLElement;
}

/** Words for a Leaflet tooltip as a text node: Leaflet would read a string as markup, a node it
 * appends (any node; its types say HTMLElement). */
const textFor = (words: string) => document.createTextNode(words) as unknown as HTMLElement;

/** Leaflet's attribution takes markup only: our words, made markup by the DOM's own serializer. */
function markupOf(words: string): string {
  const span = document.createElement("span");
  span.textContent = words;
  return span.innerHTML;
}

export interface CaseMap {
  setCases(cases: Case[], label: (c: Case) => string): void;
  /** Marks a case as chosen and brings its marker into view: into the middle of the part of the
   * map that `coveredRight` pixels on the right (a card over the map) leave free when `centre`,
   * otherwise only as far as needed to be inside it. */
  select(id: string | null, centre?: boolean, coveredRight?: number): void;
  onSelect(handler: (id: string) => void): void;
  /** Back to the whole country, as the map starts (the next visitor of a kiosk sees no trace). */
  resetView(): void;
  destroy(): void;
}

const NL_BOUNDS = L.latLngBounds([50.7, 3.2], [53.6, 7.3]);
/** Municipal borders: 3.9:1 against the land colour (#f3f1ea). */
const MUNICIPAL_BORDER = "#6b7785";

/** Removes a map and its listeners. Leaflet ends a zoom animation from a timer that `remove()`
 * does not cancel, so a map removed halfway through one (a screen redrawn right after a zoom)
 * would throw later; such a map goes once its animation has ended. */
function removeMap(map: L.Map) {
  if ((map as L.Map & { _animatingZoom?: boolean })._animatingZoom)
    map.once("zoomend", () => map.remove());
  else map.remove();
}

/** The full-detail borders (0.9 MB of GeoJSON) are not part of start-up: the first screen draws
 * the simplified provinces of the basemap. They are asked for once, by `prefetchDetailedBorders`
 * after the first screen or by the first map that needs them; all maps share the parsed result. */
let detailRequest: Promise<DetailedBorders | null> | null = null;
let detail: DetailedBorders | null = null;
function detailedBorders(): Promise<DetailedBorders | null> {
  detailRequest ??= api.detailedBorders().then(
    (borders) =>
      (detail = borders && {
        ...borders,
        municipalities: withoutSlivers(borders.municipalities),
      }),
    (error) => {
      detailRequest = null; // asked again by the next map that needs them
      throw error;
    },
  );
  return detailRequest;
}
export const prefetchDetailedBorders = () => void detailedBorders().catch(() => {});

/** Maps already removed: a late answer must not draw on them. */
const removedMaps = new WeakSet<L.Map>();
const isRemoved = (map: L.Map) => removedMaps.has(map);

/** What each map was last framed to (`frame`), so that a map made before its container had a
 * size can show that view once it gets one. */
const frames = new WeakMap<L.Map, { bounds: L.LatLngBounds; maxZoom?: number; moved?: boolean }>();

/** The map no longer shows just what it was framed to: a person moved it, or a chosen case did. */
const leaveFrame = (map: L.Map) => {
  const wanted = frames.get(map);
  if (wanted) wanted.moved = true;
};

function fitFrame(map: L.Map) {
  const wanted = frames.get(map);
  // Padded by more than half a marker: a case at the country's edge is drawn whole. Not while
  // the map has (nearly) no size: Leaflet would find no zoom that fits and lose its view.
  const size = map.getSize();
  const room = Math.min(size.x, size.y) > 8 * FRAME_PADDING ? FRAME_PADDING : 0;
  const padding = L.point(room, room);
  if (wanted)
    map.fitBounds(
      wanted.bounds,
      wanted.maxZoom === undefined ? { padding } : { padding, maxZoom: wanted.maxZoom },
    );
}

const FRAME_PADDING = 16;

/** Fits a map to `bounds` (at its container's current size), now and again if the container
 * first gets a size later. */
function frame(map: L.Map, bounds: L.LatLngBounds, maxZoom?: number) {
  frames.set(map, { bounds, maxZoom });
  map.invalidateSize({ pan: false });
  fitFrame(map);
}

const hasSize = (s: L.Point) => s.x > 0 && s.y > 0;

/** Keeps a map the size of its container, whatever changes that size: the window, a card beside
 * the map, a screen shown after the map was made, or the page's stylesheet arriving late.
 *
 * Leaflet reads its container's layout only when told to. The case map once stayed an empty grey
 * panel in a few starts in twenty: WebKit may run the page's module script before the stylesheet
 * that follows it is applied, so the map was made in an unstyled container; Leaflet then saw a
 * `static` container, gave it an inline `position: relative` that overrode the stylesheet's
 * `position: absolute; inset: 0`, and the map stayed 0 px high. So an inline position of
 * Leaflet's is taken off again (styles.css places every map container: `.leaflet-container`),
 * and a ResizeObserver tells the map about every new size. */
function followContainer(map: L.Map, element: HTMLElement, positionBefore: string) {
  if (!positionBefore) element.style.removeProperty("position");
  const observer = new ResizeObserver(() => {
    const before = map.getSize();
    map.invalidateSize({ pan: false });
    // First real size: show what the map was framed to while it had none. Later sizes (a legend
    // in another language, a card beside) frame it again, unless it was moved since: else the
    // edge of a smaller map would cut through the markers it was framed to show.
    const after = map.getSize();
    if (hasSize(after) && (!hasSize(before) || (!after.equals(before) && !frames.get(map)?.moved)))
      fitFrame(map);
  });
  observer.observe(element);
  for (const kind of ["pointerdown", "wheel", "keydown"])
    element.addEventListener(kind, () => leaveFrame(map), { passive: true });
  map.on("unload", () => observer.disconnect());
}

/** When a map writes names: at once (the place map, where names are what a resident looks for),
 * from the first time it is zoomed in to where municipalities are named (the names are asked for
 * then, so that a map's first picture never waits for them), or never (the municipality map,
 * whose wijken carry their own colours and tooltips). */
type Names = "now" | "closer" | "none";

/** A Leaflet map of the Netherlands drawn from the embedded boundaries: no tiles, no network. */
function baseMap(element: HTMLElement, basemap: Basemap, names: Names = "none"): L.Map {
  const positionBefore = element.style.position;
  const map = L.map(element, {
    zoomSnap: 0.25,
    minZoom: 6.5,
    maxZoom: 14,
    maxBounds: NL_BOUNDS.pad(0.3),
    attributionControl: true,
    // The 342 municipality polygons draw on one canvas; markers stay DOM elements for keyboard access.
    preferCanvas: true,
  });
  map.attributionControl.setPrefix(false);
  map.on("unload", () => removedMaps.add(map));
  followContainer(map, element, positionBefore);
  // Leaflet throws if layers are added before the map has a view.
  frame(map, NL_BOUNDS);

  if (basemap.overview) {
    // At the scale of the whole country the core's picture of the simplified provinces is the
    // land and its borders (src/geo/basemap.rs: in the map's projection, drawn by the webview
    // itself, no canvas). Closer in, the full-detail land, the 342 municipal borders and the
    // provinces' borders replace it, on canvases. Two panes below the overlays keep the order
    // whatever is added when: land, then borders.
    map.createPane("land").style.zIndex = "350";
    map.createPane("borders").style.zIndex = "360";
    const overview = overviewLayer(basemap.overview).addTo(map);
    let detailed: L.LayerGroup | null = null;
    const showDetail = () => {
      const wanted = map.getZoom() >= basemap.detail_from_zoom;
      if (wanted && !detailed) {
        if (!detail) {
          // Drawn when they arrive, if the map is still there and still close enough.
          detailedBorders().then(
            () => !isRemoved(map) && showDetail(),
            () => {},
          );
          return;
        }
        detailed = L.layerGroup([
          L.geoJSON(detail.provinces, {
            interactive: false,
            pane: "land",
            style: { stroke: false, fillColor: "#f3f1ea", fillOpacity: 1 },
          }),
          // At least 3:1 against the land (WCAG 1.4.11): the municipal borders are what a
          // resident finds their place by.
          L.geoJSON(detail.municipalities, {
            interactive: false,
            pane: "borders",
            style: { color: MUNICIPAL_BORDER, weight: 1.2, fill: false },
          }),
          L.geoJSON(detail.provinces, {
            interactive: false,
            pane: "borders",
            style: { color: "#4b5a6a", weight: 1.6, fill: false },
          }),
        ]);
      }
      if (!detailed || wanted === map.hasLayer(detailed)) return;
      if (wanted) {
        overview.remove();
        detailed.addTo(map);
      } else {
        detailed.remove();
        overview.addTo(map);
      }
    };
    map.on("zoomend", showDetail);
    showDetail();
  } else if (basemap.provinces) {
    // The fallback: the country's outline is the land, the provinces are drawn as borders.
    if (basemap.country) {
      L.geoJSON(basemap.country, {
        interactive: false,
        style: { color: MUNICIPAL_BORDER, weight: 1, fillColor: "#f3f1ea", fillOpacity: 1 },
      }).addTo(map);
    }
    L.geoJSON(basemap.provinces, {
      interactive: false,
      style: {
        color: "#4b5a6a",
        weight: 1.6,
        fill: !basemap.country,
        fillColor: "#f3f1ea",
        fillOpacity: 1,
      },
    }).addTo(map);
  }
  map.attributionControl.addAttribution(
    basemap.official ? "© Kadaster, PDOK · © OpenStreetMap" : "Natural Earth · GeoNames",
  );
  if (names !== "none") writeNames(map, names);
  return map;
}

/** The names, asked for once and shared by every map. */
let labelRequest: Promise<MapLabel[]> | null = null;
function mapLabels(): Promise<MapLabel[]> {
  labelRequest ??= api.mapLabels().catch((error) => {
    labelRequest = null; // asked again by the next map that needs them
    throw error;
  });
  return labelRequest;
}

/** Each map's names, for a map that keeps them off a marker of its own. */
const nameLayers = new WeakMap<L.Map, NameLabels>();

/** The zoom from which a "closer" map asks for names: where the municipalities are named. */
const NAMES_FROM_ZOOM = 8;

function writeNames(map: L.Map, names: Names) {
  // Above the borders and the wijken (410), below the markers (600) and tooltips (650).
  map.createPane("names").style.zIndex = "450";
  const layer = new NameLabels().addTo(map);
  nameLayers.set(map, layer);
  const ask = () => {
    if (names === "closer" && map.getZoom() < NAMES_FROM_ZOOM) return;
    map.off("zoomend", ask);
    mapLabels().then(
      (labels) => !isRemoved(map) && layer.setLabels(labels),
      () => map.on("zoomend", ask),
    );
  };
  map.on("zoomend", ask);
  ask();
}

/** Font size in pixels per kind of name; the rest of their look is in styles.css (.map-name). */
const NAME_SIZE: Record<MapLabel["kind"], number> = {
  province: 15,
  municipality: 14,
  place: 13,
  wijk: 12.5,
  hamlet: 12,
};

/** The names on a map as text on the page, chosen anew after each move or zoom: those written at
 * the zoom, in view, most important first, leaving out any that would touch a name already
 * written (`thinLabels`). A canvas would be cheaper, but text stays sharp at every scale, can be
 * read by tests, and the few hundred names at most on screen cost little. */
class NameLabels extends L.Layer {
  private container: HTMLElement | null = null;
  private labels: MapLabel[] = [];
  private widths = new Map<string, number>();
  private measurer: CanvasRenderingContext2D | null = null;
  private font = "sans-serif";
  private keepClear: () => Box[] = () => [];

  /** Boxes (in the map container's pixels) no name may cover, asked for at each drawing. */
  keepOff(boxes: () => Box[]) {
    this.keepClear = boxes;
    this.draw();
  }

  onAdd(map: L.Map): this {
    this.container = L.DomUtil.create("div", "map-names", map.getPane("names"));
    this.container.setAttribute("aria-hidden", "true");
    this.font = getComputedStyle(map.getContainer()).fontFamily || this.font;
    this.draw();
    return this;
  }

  onRemove(): this {
    this.container?.remove();
    this.container = null;
    return this;
  }

  getEvents(): { [name: string]: L.LeafletEventHandlerFn } {
    // Hidden while a zoom animates (the names keep their size while the map scales), then
    // chosen again for the new view.
    return { zoomstart: this.hide, moveend: this.draw, viewreset: this.draw, resize: this.draw };
  }

  setLabels(labels: MapLabel[]) {
    this.labels = labels;
    this.draw();
  }

  private hide() {
    this.container?.classList.add("is-moving");
  }

  private width(label: MapLabel): number {
    const key = `${label.kind}\u0000${label.name}`;
    let width = this.widths.get(key);
    if (width === undefined) {
      this.measurer ??= document.createElement("canvas").getContext("2d");
      const bold = label.kind === "province" || label.kind === "municipality" ? "700 " : "";
      const italic = label.kind === "wijk" ? "italic " : "";
      if (this.measurer)
        this.measurer.font = `${italic}${bold}${NAME_SIZE[label.kind]}px ${this.font}`;
      // Province names are spaced out (styles.css): a little wider than measured.
      const spacing = label.kind === "province" ? label.name.length * 1.5 : 0;
      width = Math.ceil(
        (this.measurer?.measureText(label.name).width ?? label.name.length * 8) + spacing + 4,
      );
      this.widths.set(key, width);
    }
    return width;
  }

  /** Chooses the names again for the current view. */
  draw() {
    const map = this._map;
    const container = this.container;
    if (!map || !container) return;
    const zoom = map.getZoom();
    const size = map.getSize();
    const view = map.getBounds();
    const wanted: PlacedLabel[] = [];
    for (const label of this.labels) {
      if (!shownAt(label, zoom) || !view.contains([label.lat, label.lon])) continue;
      const at = map.latLngToContainerPoint([label.lat, label.lon]);
      const width = this.width(label);
      const height = Math.ceil(NAME_SIZE[label.kind] * 1.3);
      const x = at.x - width / 2;
      // Centred on its point, or else beside it: below, right, left, above (clear of a pin).
      const otherPlaces = [
        { x, y: at.y + 8 },
        { x: at.x + 20, y: at.y - height / 2 },
        { x: at.x - width - 20, y: at.y - height / 2 },
        { x, y: at.y - 42 - height },
      ];
      wanted.push({ label, x, y: at.y - height / 2, width, height, otherPlaces });
    }
    // Nor under the map's own controls (zoom buttons, credits).
    const origin = map.getContainer().getBoundingClientRect();
    const controls = [...map.getContainer().querySelectorAll(".leaflet-control")].map((c) => {
      const r = c.getBoundingClientRect();
      return { x: r.left - origin.left, y: r.top - origin.top, width: r.width, height: r.height };
    });
    const kept = thinLabels(wanted, size.x, size.y, {
      keepClear: [...this.keepClear(), ...controls],
    });
    container.replaceChildren(
      ...kept.map((p) => {
        const name = document.createElement("span");
        name.className = `map-name map-name--${p.label.kind}`;
        name.dataset.kind = p.label.kind;
        name.textContent = p.label.name;
        L.DomUtil.setPosition(name, map.containerPointToLayerPoint([p.x, p.y]).round());
        return name;
      }),
    );
    container.classList.remove("is-moving");
    map.getContainer().dataset.names = String(kept.length);
    map.getContainer().dataset.zoom = String(zoom);
  }
}

/** The overview picture, stretched by the map between its corners (see `basemap.rs`). */
function overviewLayer(overview: Overview): L.SVGOverlay {
  const svg = new DOMParser().parseFromString(overview.svg, "image/svg+xml")
    .documentElement as unknown as SVGSVGElement;
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  return L.svgOverlay(svg, L.latLngBounds(overview.bounds), {
    interactive: false,
    pane: "land",
    className: "map-overview",
  });
}

interface CaseMarker {
  id: string;
  latLng: L.LatLng;
  label: string;
  /** Every strategy of the case (or "unclassified"): the marker shows them all. */
  shapes: Shape[];
}

/** The cases on the map: one button per case, made in one go and placed by the map. Leaflet's
 * own markers cost a third of the start-up's script time for 28 cases (BENCHMARKS.md); these
 * are plain buttons (keyboard and screen readers work as for any button) that follow the map's
 * zoom animation as Leaflet's markers do, with one shared tooltip on hover and focus. */
class CaseMarkers extends L.Layer {
  private container: HTMLElement | null = null;
  private items: CaseMarker[] = [];
  private buttons = new Map<string, HTMLButtonElement>();
  private selected: string | null = null;
  private tooltip: L.Tooltip | null = null;

  constructor(private onChoose: (id: string) => void) {
    super();
  }

  onAdd(map: L.Map): this {
    const container = L.DomUtil.create("div", "case-markers", map.getPane("markerPane"));
    this.container = container;
    // A click on a case is not a click on the map; dragging the map from a marker still works.
    L.DomEvent.on(container, "click dblclick", L.DomEvent.stopPropagation);
    L.DomEvent.on(container, "click", (e) => {
      const id = (e.target as Element).closest<HTMLElement>("[data-case-id]")?.dataset.caseId;
      if (id) this.onChoose(id);
    });
    L.DomEvent.on(container, "mouseover focusin", (e) =>
      this.showTooltip((e.target as Element).closest<HTMLElement>("[data-case-id]")),
    );
    L.DomEvent.on(container, "mouseout focusout", () => this.hideTooltip());
    // Content shown on hover or focus can be dismissed without moving (WCAG 1.4.13).
    L.DomEvent.on(
      container,
      "keydown",
      (e) => (e as KeyboardEvent).key === "Escape" && this.hideTooltip(),
    );
    this.draw();
    return this;
  }

  onRemove(): this {
    this.hideTooltip();
    this.container?.remove();
    this.container = null;
    this.buttons.clear();
    return this;
  }

  getEvents(): { [name: string]: L.LeafletEventHandlerFn } {
    return {
      zoom: this.place,
      viewreset: this.place,
      zoomanim: this.animateZoom as L.LeafletEventHandlerFn,
    };
  }

  setCases(items: CaseMarker[]) {
    this.items = items;
    this.draw();
  }

  /** Marks one case as chosen (or none); returns where it is, if it is on the map. */
  select(id: string | null): L.LatLng | null {
    this.selected = id;
    this.buttons.forEach((b, key) => b.classList.toggle("is-selected", key === id));
    return this.items.find((m) => m.id === id)?.latLng ?? null;
  }

  private draw() {
    if (!this.container || !this._map) return;
    this.hideTooltip();
    const animated = (this._map as L.Map & { _zoomAnimated?: boolean })._zoomAnimated
      ? " leaflet-zoom-animated"
      : "";
    this.container.replaceChildren(
      fragmentOf(
        this.items.map(
          (m) =>
            html`<button type="button" class="case-marker case-marker--${m.shapes.length} leaflet-marker-icon leaflet-interactive${animated}${m.id === this.selected ? " is-selected" : ""}" tabindex="0" data-case-id="${m.id}" data-shapes="${m.shapes.join(" ")}" aria-label="${m.label}">${shapesSvg(m.shapes)}</button>`,
        ),
      ),
    );
    this.buttons.clear();
    this.container
      .querySelectorAll<HTMLButtonElement>("button")
      .forEach((b) => this.buttons.set(b.dataset.caseId!, b));
    this.place();
  }

  private place() {
    const map = this._map;
    if (!map) return;
    for (const m of this.items) this.position(m, map.latLngToLayerPoint(m.latLng).round());
  }

  private animateZoom(e: L.ZoomAnimEvent) {
    const map = this._map as L.Map & {
      _latLngToNewLayerPoint(l: L.LatLng, zoom: number, center: L.LatLng): L.Point;
    };
    for (const m of this.items)
      this.position(m, map._latLngToNewLayerPoint(m.latLng, e.zoom, e.center).round());
  }

  /** As Leaflet places its markers: southern ones in front. */
  private position(m: CaseMarker, at: L.Point) {
    const button = this.buttons.get(m.id);
    if (!button) return;
    L.DomUtil.setPosition(button, at);
    button.style.zIndex = String(at.y);
  }

  private showTooltip(button: HTMLElement | null) {
    const marker = button && this.items.find((m) => m.id === button.dataset.caseId);
    if (!marker || !this._map) return;
    this.tooltip ??= L.tooltip({ direction: "top", offset: [0, -10] });
    this.tooltip.setLatLng(marker.latLng).setContent(textFor(marker.label));
    this._map.openTooltip(this.tooltip);
  }

  private hideTooltip() {
    if (this.tooltip && this._map) this._map.closeTooltip(this.tooltip);
  }
}

/** Pixels kept between a chosen marker and the edge of what can be seen of the map. */
const VIEW_MARGIN = 48;

/** The zoom a map goes to, at least, when a card covers part of it: at the whole country's
 * scale the map may not pan far enough (its bounds stop it) to show a marker beside the card. */
const COVERED_MIN_ZOOM = 9;

/** Moves the map so that `at` lies in the part not covered on the right: in its middle when
 * `centre`, else just inside it (and not at all if it is there already). */
function bringIntoView(map: L.Map, at: L.LatLng, centre: boolean, coveredRight: number) {
  const size = map.getSize();
  const zoom = coveredRight > 0 ? Math.max(map.getZoom(), COVERED_MIN_ZOOM) : map.getZoom();
  const free = Math.max(size.x - coveredRight, 2 * VIEW_MARGIN + 1);
  // Where the marker would be, in the container, at `zoom` without a pan.
  const now = map.latLngToContainerPoint(at);
  const scale = map.getZoomScale(zoom, map.getZoom());
  const point = now.subtract(size.divideBy(2)).multiplyBy(scale).add(size.divideBy(2));
  const target = L.point(free / 2, size.y / 2);
  if (!centre) {
    target.x = Math.min(Math.max(point.x, VIEW_MARGIN), free - VIEW_MARGIN);
    target.y = Math.min(Math.max(point.y, VIEW_MARGIN), size.y - VIEW_MARGIN);
  }
  const by = point.subtract(target);
  if (zoom === map.getZoom() && Math.round(by.x) === 0 && Math.round(by.y) === 0) return;
  leaveFrame(map);
  const centrePoint = map.project(map.getCenter(), zoom).add(by);
  map.setView(map.unproject(centrePoint, zoom), zoom);
}

export function createMap(element: HTMLElement, basemap: Basemap): CaseMap {
  const map = baseMap(element, basemap, "closer");
  // A way back to the whole country after zooming or panning to a case.
  const Reset = L.Control.extend({
    onAdd() {
      const bar = L.DomUtil.create("div", "leaflet-bar");
      const button = L.DomUtil.create("button", "map-reset", bar);
      button.type = "button";
      button.id = "map-reset";
      // Labelled now (the map may be made after the page's texts were filled in) and again on a
      // language switch.
      button.dataset.i18nLabel = "mapReset";
      button.setAttribute("aria-label", t("mapReset"));
      button.append(
        fragmentOf(
          html`<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false"><path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" fill="none" stroke="currentColor" stroke-width="2.2"/></svg>`,
        ),
      );
      L.DomEvent.disableClickPropagation(bar);
      L.DomEvent.on(button, "click", () => frame(map, NL_BOUNDS));
      return bar;
    },
  });
  new Reset({ position: "topleft" }).addTo(map);
  // Tests (and assistive tooling) can wait for a pan to finish before acting on a marker.
  map.on("movestart", () => (element.dataset.moving = "1"));
  map.on("moveend", () => (element.dataset.moving = "0"));

  let handler: (id: string) => void = () => {};
  const markers = new CaseMarkers((id) => handler(id)).addTo(map);

  return {
    resetView() {
      frame(map, NL_BOUNDS);
    },
    setCases(cases, label) {
      markers.setCases(
        cases.flatMap((c) =>
          c.lat === null || c.lon === null
            ? []
            : [
                {
                  id: c.id,
                  latLng: L.latLng(c.lat, c.lon),
                  label: label(c),
                  shapes: shapesOf(c),
                },
              ],
        ),
      );
    },
    select(id, centre = true, coveredRight = 0) {
      const at = markers.select(id);
      // The card beside the map may have just opened: pan within the map's new size.
      map.invalidateSize({ pan: false });
      if (at) bringIntoView(map, at, centre, coveredRight);
    },
    onSelect(h) {
      handler = h;
    },
    destroy() {
      removeMap(map);
    },
  };
}

/** The chosen place's pin (mapsymbols.ts pinSvg): its size, and its tip, the point chosen. */
const PIN: { size: [number, number]; anchor: [number, number] } = {
  size: [27, 36],
  anchor: [13.5, 35],
};

export interface PlacePicker {
  /** Shows the chosen point (or none) and zooms to it. */
  show(point: { lat: number; lon: number; label: string } | null): void;
  destroy(): void;
}

/** A map to place an initiative: a click picks the point; the marker shows the current choice. */
export function createPlacePicker(
  element: HTMLElement,
  basemap: Basemap,
  onPick: (lat: number, lon: number) => void,
): PlacePicker {
  const map = baseMap(element, basemap, "now");
  map.getContainer().style.cursor = "crosshair";
  map.on("click", (e: L.LeafletMouseEvent) => onPick(e.latlng.lat, e.latlng.lng));
  let marker: L.Marker | null = null;
  // No name under the pin: the place chosen must be seen, and the names around it read.
  nameLayers.get(map)?.keepOff(() => {
    if (!marker) return [];
    const tip = map.latLngToContainerPoint(marker.getLatLng());
    return [
      {
        x: tip.x - PIN.anchor[0],
        y: tip.y - PIN.anchor[1],
        width: PIN.size[0],
        height: PIN.size[1],
      },
    ];
  });
  return {
    show(point) {
      marker?.remove();
      marker = null;
      if (!point) return;
      // A pin of its own: no case marker means "the place you chose".
      marker = L.marker([point.lat, point.lon], {
        icon: L.divIcon({
          className: "place-marker",
          html: symbolElement(pinSvg(PIN.size[1])),
          iconSize: PIN.size,
          iconAnchor: PIN.anchor,
        }),
        keyboard: false,
        title: t("placePinLabel", { label: point.label }),
        alt: t("placePinLabel", { label: point.label }),
      }).addTo(map);
      marker.getElement()?.setAttribute("data-chosen-place", "");
      frame(
        map,
        L.latLngBounds([point.lat, point.lon], [point.lat, point.lon]),
        Math.max(map.getZoom(), 11),
      );
      // Framing the same view again does not move the map: the names make room for the pin here.
      nameLayers.get(map)?.draw();
    },
    destroy() {
      removeMap(map);
    },
  };
}

export interface AreaMap {
  /** Shows one municipality (outlined, zoomed to) with points on it. */
  show(
    code: string,
    points: {
      id: string;
      lat: number;
      lon: number;
      /** Drawn with the municipality map's own symbol (`weakestSvg`), not a case's shapes. */
      weakest: Strategy | null;
      label: string;
    }[],
  ): void;
  onSelect(handler: (id: string) => void): void;
  /** A click on the map itself (not on a marker): choose the municipality there. */
  onPick(handler: (lat: number, lon: number) => void): void;
  /** Draws the wijk borders, each wijk filled as `paint` says, with its value as a tooltip (the
   * same values stand in the view's table: colour is never the only way to read them). */
  showWijken(
    borders: GeoJSON.FeatureCollection,
    paint: (code: string) => { fill: string; label: string },
  ): void;
  /** Removes the map and its listeners (before the view draws a new one). */
  destroy(): void;
}

/** From this many initiatives on, nearby markers merge into counted clusters: a few hundred DOM
 * markers pan smoothly, thousands do not (see BENCHMARKS.md for the 10,000-initiative figures). */
export const CLUSTER_FROM = 300;

type AreaPoint = Parameters<AreaMap["show"]>[1][number];

/** One initiative's marker on the municipality map: its shape, its words, keyboard-operable. */
function areaMarker(p: AreaPoint, choose: (id: string) => void): L.Marker {
  const marker = L.marker([p.lat, p.lon], {
    icon: L.divIcon({
      className: "initiative-marker",
      html: symbolElement(weakestSvg(p.weakest)),
      iconSize: [24, 24],
      iconAnchor: [12, 12],
    }),
    title: p.label,
    alt: p.label,
    keyboard: true,
  });
  marker.on("click", () => choose(p.id));
  marker.on("keypress", (e: L.LeafletKeyboardEvent) => {
    if (e.originalEvent.key === "Enter" || e.originalEvent.key === " ") choose(p.id);
  });
  // Clustered markers get their element only when shown, so the attributes go on then.
  marker.on("add", () => {
    const el = marker.getElement();
    if (el) {
      el.setAttribute("role", "button");
      el.setAttribute("aria-label", p.label);
      el.dataset.initiativeId = p.id;
    }
  });
  return marker;
}

/** The box around all points, or null when there are none. */
function boundsOf(points: readonly { lat: number; lon: number }[]): L.LatLngBounds | null {
  if (!points.length) return null;
  let [south, west, north, east] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of points) {
    south = Math.min(south, p.lat);
    north = Math.max(north, p.lat);
    west = Math.min(west, p.lon);
    east = Math.max(east, p.lon);
  }
  return L.latLngBounds([south, west], [north, east]);
}

/** A cluster shows its count; the size class grows with it. Text and border meet WCAG contrast. */
function clusterIcon(n: number): L.DivIcon {
  const size = n < 100 ? 34 : n < 1000 ? 42 : 50;
  const count = document.createElement("span");
  count.textContent = String(n);
  return L.divIcon({
    className: "initiative-cluster",
    html: count,
    iconSize: [size, size],
  });
}

/** The municipality view's map: its outline from the embedded boundaries and its initiatives. */
export function createAreaMap(element: HTMLElement, basemap: Basemap): AreaMap {
  const map = baseMap(element, basemap);
  const outline = L.layerGroup().addTo(map);
  let handler: (id: string) => void = () => {};
  const plain = L.layerGroup();
  const clustered = new ClusterLayer<AreaPoint>({
    marker: (p) => areaMarker(p, (id) => handler(id)),
    clusterIcon,
    clusterLabel: (n) => t("clusterLabel", { n }),
  });
  let points: L.Layer = plain.addTo(map);
  let picker: (lat: number, lon: number) => void = () => {};
  /** Counts `show` calls: borders that arrive late draw only for the latest. */
  let shown = 0;
  map.on("click", (e: L.LeafletMouseEvent) => picker(e.latlng.lat, e.latlng.lng));
  // The wijken lie above the municipal outline (overlay pane, 400) and below the markers (600),
  // on a canvas of their own.
  map.createPane("wijken").style.zIndex = "410";
  const wijkRenderer = L.canvas({ pane: "wijken" });
  const wijken = L.layerGroup().addTo(map);
  let credited = false;
  return {
    showWijken(borders, paint) {
      wijken.clearLayers();
      // Leaflet hands these options to each polygon it makes: `renderer` puts them on the wijk canvas.
      const options: L.GeoJSONOptions & { renderer: L.Renderer } = {
        pane: "wijken",
        renderer: wijkRenderer,
        // Nearly opaque, so that the legend's colours are the colours on the map.
        style: (f) => ({
          color: "#1a1a1a",
          weight: 1.5,
          fillColor: paint(String(f?.properties?.code)).fill,
          fillOpacity: 0.9,
        }),
        onEachFeature: (f, layer) => {
          layer.bindTooltip(textFor(paint(String(f.properties?.code)).label), { sticky: true });
          // A click on a wijk is a click on the map: it may choose another municipality.
          layer.on("click", (e: L.LeafletMouseEvent) => picker(e.latlng.lat, e.latlng.lng));
        },
      };
      L.geoJSON(borders, options).addTo(wijken);
      element.dataset.wijken = String(borders.features.length);
      // What each wijk is filled with, for tests that hold the legend against the table.
      element.dataset.wijkFills = JSON.stringify(
        Object.fromEntries(
          borders.features.map((f) => [
            String(f.properties?.code),
            paint(String(f.properties?.code)).fill,
          ]),
        ),
      );
      if (!credited) map.attributionControl.addAttribution(markupOf(t("wijkCredit")));
      credited = true;
    },
    show(code, items) {
      const call = ++shown;
      outline.clearLayers();
      wijken.clearLayers();
      delete element.dataset.wijken;
      delete element.dataset.wijkFills;
      plain.clearLayers();
      points.remove();
      // Many points: counted groups, each marker made only when it comes into view.
      const many = items.length >= CLUSTER_FROM;
      clustered.setPoints(many ? items : []);
      points = (many ? clustered : plain).addTo(map);
      const pointBounds = boundsOf(items);
      /** Outlines the municipality (when its border is known) and fits the map to it and the points. */
      const outlineAndFit = (borders: DetailedBorders | null) => {
        let bounds = pointBounds;
        const feature = code
          ? borders?.municipalities.features.find((f) => f.properties?.gm_code === code)
          : undefined;
        if (feature) {
          const layer = L.geoJSON(feature, {
            interactive: false,
            style: { color: "#1a1a1a", weight: 3, fillColor: "#fff8d6", fillOpacity: 0.7 },
          });
          layer.addTo(outline);
          bounds = pointBounds ? layer.getBounds().extend(pointBounds) : layer.getBounds();
        }
        if (bounds) frame(map, bounds.pad(0.1), 13);
        else frame(map, NL_BOUNDS);
      };
      if (!code || !basemap.official || detail) outlineAndFit(detail);
      else {
        // Only if a municipality is opened within moments of the start: the points now, the outline
        // when the borders arrive.
        outlineAndFit(null);
        detailedBorders().then(
          (borders) => call === shown && !isRemoved(map) && outlineAndFit(borders),
          () => {},
        );
      }
      if (!many) for (const p of items) areaMarker(p, (id) => handler(id)).addTo(plain);
    },
    onSelect(h) {
      handler = h;
    },
    onPick(h) {
      picker = h;
    },
    destroy() {
      removeMap(map);
    },
  };
}
