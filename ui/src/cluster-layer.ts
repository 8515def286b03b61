// Many points on a Leaflet map as counted groups (clusters): only what is in view is drawn, and
// a point's marker is made when it first comes into view. Replaces leaflet.markercluster, which
// made a marker for each of 10,000 initiatives and indexed them all before the first frame
// (BENCHMARKS.md, "The 10,000-initiative map").
import L from "leaflet";
import { ClusterIndex, spreadAround, type Located, type Placed } from "./cluster-index";

export interface ClusterLayerParts<P> {
  /** One point's marker (made when first in view, then kept while the points stay the same). */
  marker: (point: P) => L.Marker;
  /** A group's icon (showing its count) and the words that name it for a screen reader. */
  clusterIcon: (count: number) => L.DivIcon;
  clusterLabel: (count: number) => string;
}

/** Points closer than this on screen group (leaflet.markercluster's default too). */
const RADIUS = 80;
/** Pixels between the markers of a group spread out around its spot. */
const SPREAD_SPACING = 34;

type Spread<P> = { id: number; zoom: number; at: { point: P; latLng: L.LatLng }[] };

export class ClusterLayer<P extends Located & { id: string }> extends L.Layer {
  private points: readonly P[] = [];
  private index: ClusterIndex<P> | null = null;
  private readonly made = new Map<string, L.Marker>();
  /** What is on the map now, by key: `p<id>` a point, `c<id>` a group, `s<id>` a spread point. */
  private shown = new Map<string, L.Marker>();
  private readonly group = L.layerGroup();
  /** A group spread out around its spot (see `open`), until the zoom changes. */
  private spread: Spread<P> | null = null;
  /** After a group is opened from the keyboard, where focus goes once the map is redrawn. */
  private focusAfterRedraw: (() => void) | null = null;

  constructor(private readonly parts: ClusterLayerParts<P>) {
    super();
  }

  /** Shows these points instead of the previous ones. */
  setPoints(points: readonly P[]) {
    this.points = points;
    this.index = null;
    this.made.clear();
    this.spread = null;
    this.group.clearLayers();
    this.shown.clear();
    this.redraw();
  }

  onAdd(map: L.Map): this {
    this.group.addTo(map);
    this.redraw();
    return this;
  }

  onRemove(): this {
    this.group.remove();
    this.shown.clear();
    return this;
  }

  getEvents(): { [name: string]: L.LeafletEventHandlerFn } {
    return { moveend: this.redraw };
  }

  private readonly redraw = () => {
    const map = this._map;
    if (!map || !this.points.length) return;
    this.index ??= new ClusterIndex(this.points, {
      radius: RADIUS,
      minZoom: map.getMinZoom(),
      maxZoom: map.getMaxZoom(),
    });
    const zoom = map.getZoom();
    if (this.spread && this.spread.zoom !== zoom) this.spread = null;
    // A margin around the view, so that a short pan finds its markers already there.
    const b = map.getBounds().pad(0.25);
    const view = { west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth() };
    const next = new Map<string, L.Marker>();
    for (const item of this.index.inView(view, zoom)) {
      if (item.kind === "cluster" && item.id === this.spread?.id) {
        for (const { point, latLng } of this.spread.at) {
          const key = `s${point.id}`;
          next.set(key, this.shown.get(key) ?? this.parts.marker(point).setLatLng(latLng));
        }
        continue;
      }
      const key = item.kind === "point" ? `p${item.point.id}` : `c${item.id}`;
      next.set(key, this.shown.get(key) ?? this.markerOf(item));
    }
    for (const [key, marker] of this.shown) if (!next.has(key)) this.group.removeLayer(marker);
    for (const [key, marker] of next) if (!this.shown.has(key)) this.group.addLayer(marker);
    this.shown = next;
    const focus = this.focusAfterRedraw;
    this.focusAfterRedraw = null;
    focus?.();
  };

  private markerOf(item: Placed<P>): L.Marker {
    if (item.kind === "point") {
      let marker = this.made.get(item.point.id);
      if (!marker) this.made.set(item.point.id, (marker = this.parts.marker(item.point)));
      return marker;
    }
    const marker = L.marker([item.lat, item.lon], {
      icon: this.parts.clusterIcon(item.count),
      keyboard: true,
    });
    const label = this.parts.clusterLabel(item.count);
    marker.on("add", () => marker.getElement()?.setAttribute("aria-label", label));
    marker.on("click", () => this.open(item.id, marker, false));
    // Leaflet hands a focused marker the map's key presses: Enter and Space open it, as a button.
    marker.on("keypress", (e: L.LeafletKeyboardEvent) => {
      if (e.originalEvent.key === "Enter" || e.originalEvent.key === " ") {
        e.originalEvent.preventDefault();
        this.open(item.id, marker, true);
      }
    });
    return marker;
  }

  /** Zooms in to where the group parts; a group that parts at no zoom the map has (its points
   * on one spot, or nearly) spreads its points around that spot instead. */
  private open(clusterId: number, marker: L.Marker, fromKeyboard: boolean) {
    const map = this._map;
    if (!map || !this.index) return;
    const to = this.index.expansionZoom(clusterId);
    if (to <= map.getMaxZoom()) {
      if (fromKeyboard) this.focusAfterRedraw = () => map.getContainer().focus();
      map.setView(marker.getLatLng(), to);
      return;
    }
    const zoom = map.getZoom();
    const centre = map.project(marker.getLatLng(), zoom);
    const points = this.index.pointsOf(clusterId);
    const offsets = spreadAround(points.length, SPREAD_SPACING);
    this.spread = {
      id: clusterId,
      zoom,
      at: points.map((point, i) => ({
        point,
        latLng: map.unproject(centre.add([offsets[i].x, offsets[i].y]), zoom),
      })),
    };
    if (fromKeyboard) {
      const first = this.spread.at[0]?.point.id;
      this.focusAfterRedraw = () => this.shown.get(`s${first}`)?.getElement()?.focus();
    }
    this.redraw();
  }
}
