// The offline map: the Netherlands drawn from the embedded boundaries (no tiles, no network),
// with the cases as labelled, keyboard-operable markers.
import L from "leaflet";
import {
  api,
  type Basemap,
  type Case,
  type DetailedBorders,
  type Overview,
  type Strategy,
} from "./api";
import { html, svg, type SVGTemplateResult, type TemplateResult } from "lit-html";
import { fragmentOf } from "./dom";
import { ClusterLayer } from "./cluster-layer";
import { t } from "./i18n";

export type Shape = Strategy | "unclassified";

/** Shape and colour per strategy: shape carries the meaning, so colour is never alone. */
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

export const shapeOf = (c: Case): Shape => c.strategies[0] ?? "unclassified";

export function shapeSvg(shape: Shape, size = 24, color = SHAPES[shape].color): TemplateResult {
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="${size}" height="${size}" aria-hidden="true" focusable="false"><g filter="drop-shadow(0 0 1px #000)">${SHAPES[shape].svg(color)}</g></svg>`;
}

/** The shape as an element, for a Leaflet marker's icon: Leaflet would read a string as markup,
 * an element it appends (any element; its types say HTMLElement). */
function shapeElement(shape: Shape, size = 24, color?: string): HTMLElement {
  return fragmentOf(shapeSvg(shape, size, color)).firstElementChild as unknown as HTMLElement;
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
  select(id: string | null, pan?: boolean): void;
  onSelect(handler: (id: string) => void): void;
  destroy(): void;
}

const NL_BOUNDS = L.latLngBounds([50.7, 3.2], [53.6, 7.3]);

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
    (borders) => (detail = borders),
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
const frames = new WeakMap<L.Map, { bounds: L.LatLngBounds; maxZoom?: number }>();

function fitFrame(map: L.Map) {
  const wanted = frames.get(map);
  if (wanted)
    map.fitBounds(wanted.bounds, wanted.maxZoom === undefined ? {} : { maxZoom: wanted.maxZoom });
}

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
    // First real size: show what the map was framed to while it had none.
    if (!hasSize(before) && hasSize(map.getSize())) fitFrame(map);
  });
  observer.observe(element);
  map.on("unload", () => observer.disconnect());
}

/** A Leaflet map of the Netherlands drawn from the embedded boundaries: no tiles, no network. */
function baseMap(element: HTMLElement, basemap: Basemap): L.Map {
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
          L.geoJSON(detail.municipalities, {
            interactive: false,
            pane: "borders",
            style: { color: "#9aa5b1", weight: 0.6, fill: false },
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
        style: { color: "#9aa5b1", weight: 0.6, fillColor: "#f3f1ea", fillOpacity: 1 },
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
  return map;
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
  shape: Shape;
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
            html`<button type="button" class="case-marker leaflet-marker-icon leaflet-interactive${animated}${m.id === this.selected ? " is-selected" : ""}" tabindex="0" data-case-id="${m.id}" aria-label="${m.label}">${shapeSvg(m.shape)}</button>`,
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

export function createMap(element: HTMLElement, basemap: Basemap): CaseMap {
  const map = baseMap(element, basemap);
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
                  shape: shapeOf(c),
                },
              ],
        ),
      );
    },
    select(id, pan = true) {
      const at = markers.select(id);
      // The card beside the map may have just opened: pan within the map's new size.
      map.invalidateSize({ pan: false });
      if (at && pan) map.panTo(at);
    },
    onSelect(h) {
      handler = h;
    },
    destroy() {
      removeMap(map);
    },
  };
}

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
  const map = baseMap(element, basemap);
  map.getContainer().style.cursor = "crosshair";
  map.on("click", (e: L.LeafletMouseEvent) => onPick(e.latlng.lat, e.latlng.lng));
  let marker: L.Marker | null = null;
  return {
    show(point) {
      marker?.remove();
      marker = null;
      if (!point) return;
      marker = L.marker([point.lat, point.lon], {
        icon: L.divIcon({
          className: "place-marker",
          html: shapeElement("unclassified", 26, "#154273"),
          iconSize: [26, 26],
          iconAnchor: [13, 22],
        }),
        keyboard: false,
        title: point.label,
        alt: point.label,
      }).addTo(map);
      frame(
        map,
        L.latLngBounds([point.lat, point.lon], [point.lat, point.lon]),
        Math.max(map.getZoom(), 11),
      );
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
    points: { id: string; lat: number; lon: number; shape: Shape; label: string }[],
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
      className: "case-marker",
      html: shapeElement(p.shape),
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
