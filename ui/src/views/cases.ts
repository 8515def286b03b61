// Kaart: the 29 cases on the offline map, a filterable list beside it, and a card per case.
import { api, type Case } from "../api";
import { caseName, getContent, strategyName, type View } from "../app";
import { html, nothing, type TemplateResult } from "lit-html";
import { $, $$, draw } from "../dom";
import { emptyFilter, filterCases, type StrategyChoice } from "../filter";
import { currentLang, t, type MessageKey } from "../i18n";
import { createMap, SHAPES, shapesOf, shapeSvg, shapesSvg, type CaseMap } from "../map";

/** Each strategy with whose reading it is: Movisie's classification of the bundle, or ours. */
const strategyBasis = (c: Case) =>
  c.strategies.length
    ? html`<ul class="strategy-basis">${c.strategies.map(
        (s) =>
          html`<li>${strategyName(s)} <span class="meta">(${t(c.own_reading.includes(s) ? "basisOwnReading" : "basisMovisie")})</span></li>`,
      )}</ul>`
    : t("unclassified");
const strategiesText = (c: Case) =>
  c.strategies.length ? c.strategies.map(strategyName).join(", ") : t("unclassified");
const markerLabel = (c: Case) =>
  t("markerLabel", {
    name: caseName(c),
    place: c.municipality?.name ?? c.place?.[currentLang()] ?? t("online"),
    strategies: strategiesText(c),
  });

export class CaseMapView implements View {
  private filter = emptyFilter();
  private selected: string | null = null;
  private madeMap: CaseMap | null = null;

  constructor() {
    this.wire();
  }

  /** The map is made on first use, after the list beside it is drawn: the first screen is then
   * laid out once, not once for the map and again for the list. */
  private get map(): CaseMap {
    if (!this.madeMap) {
      this.madeMap = createMap($("#map"), getContent().basemap);
      this.madeMap.onSelect((id) => this.select(id, "map"));
    }
    return this.madeMap;
  }

  render() {
    this.renderFilters();
    this.renderLegend();
    this.renderList();
    this.renderCard();
    const note = $("#geo-note");
    note.hidden = getContent().basemap.official;
    note.textContent = t("geoApproximate");
  }

  /** Called when the view becomes visible: the map is made on first use (and then follows its
   * container's size by itself). */
  shown() {
    void this.map;
  }

  /** As at the start, for the next visitor of a kiosk: no card open, no filter or search
   * filled in, the whole country in view, the list scrolled to its top. */
  reset() {
    this.filter = emptyFilter();
    this.selected = null;
    $<HTMLFormElement>("#case-filters").reset();
    this.render();
    this.madeMap?.select(null, false);
    this.madeMap?.resetView();
  }

  /** Opens a case's card and centres the map on it (used by the self-check's suggestions). */
  showCase(id: string) {
    this.select(id, "list");
  }

  private renderFilters() {
    const choices: StrategyChoice[] = ["bonding", "bridging", "linking", "unclassified"];
    draw(
      $("#filter-strategies"),
      choices.map((s) => {
        const label = s === "unclassified" ? t("unclassified") : strategyName(s);
        return html`<label class="check"><input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" value="${s}" ?checked=${this.filter.strategies.has(s)} /> ${shapeSvg(s, 20)} <span>${label}</span></label>`;
      }),
    );
    const bundle = $<HTMLSelectElement>("#filter-bundle");
    draw(
      bundle,
      html`<option value="">${t("allBundles")}</option>${[1, 2, 3, 4].map((n) => html`<option value="${n}">${t("bundle", { n })}</option>`)}`,
    );
    bundle.value = this.filter.bundle === null ? "" : String(this.filter.bundle);
    const provinces = new Map<string, string>();
    getContent().cases.forEach(
      (c) => c.province && provinces.set(c.province.code, c.province.name),
    );
    const province = $<HTMLSelectElement>("#filter-province");
    draw(
      province,
      html`<option value="">${t("allProvinces")}</option>${[...provinces]
        .sort((a, b) => a[1].localeCompare(b[1], "nl"))
        .map(([code, name]) => html`<option value="${code}">${name}</option>`)}`,
    );
    province.value = this.filter.province ?? "";
  }

  private renderLegend() {
    draw(
      $("#map-legend"),
      html`<strong>${t("legendTitle")}</strong><ul>${(
        Object.keys(SHAPES) as (keyof typeof SHAPES)[]
      ).map(
        (s) =>
          html`<li>${shapeSvg(s, 16)} ${s === "unclassified" ? t("unclassified") : strategyName(s)}</li>`,
      )}<li class="legend-combined">${shapesSvg(["bonding", "linking"], 20)} ${t("legendCombined")}</li></ul>`,
    );
  }

  private renderList() {
    const cases = getContent().cases;
    const shown = filterCases(cases, this.filter, currentLang());
    $("#case-count").textContent = t("count", { shown: shown.length, total: cases.length });
    draw(
      $("#case-list"),
      shown.map((c) => {
        const where = c.online ? `${t("online")} · ${t("notOnMap")}` : (c.municipality?.name ?? "");
        return html`<li data-case-id="${c.id}"><button type="button" class="case-item" aria-current=${c.id === this.selected ? "true" : nothing} data-case-id="${c.id}">
          ${shapesSvg(shapesOf(c), 18)}
          <span class="case-item-text"><span class="case-item-name">${caseName(c)}</span>
          <span class="case-item-meta">${where} · ${t("bundle", { n: c.bundle })} · ${strategiesText(c)}</span></span>
        </button></li>`;
      }),
    );
    this.map.setCases(shown, markerLabel);
  }

  private renderCard() {
    const card = $("#case-card");
    const c = getContent().cases.find((x) => x.id === this.selected);
    if (!c) {
      card.hidden = true;
      card.replaceChildren();
      return;
    }
    const lang = currentLang();
    const row = (label: string, value: string | TemplateResult) =>
      value ? html`<dt>${label}</dt><dd>${value}</dd>` : "";
    draw(
      card,
      html`
      <div class="card-head">
        <h2 id="case-card-title">${caseName(c)}</h2>
        <button type="button" class="icon-button" id="case-card-close" aria-label="${t("closeCard")}">×</button>
      </div>
      ${c.name === null ? html`<p class="note">${t("nameUnknownNote")}</p>` : ""}
      ${c.name_confidence === "probable" ? html`<p class="note">${t("nameProbable")}</p>` : ""}
      <p class="summary">${c.summary[lang]}</p>
      <dl class="facts">
        ${row(t("cardPlace"), c.online ? t("online") : [c.neighbourhood?.[lang], c.place?.[lang]].filter(Boolean).join(", "))}
        ${row(t("cardMunicipality"), c.municipality ? `${c.municipality.name} (${c.province?.name ?? ""})` : "")}
        ${c.online || c.lat === null || c.lon === null ? "" : html`<dt>${t("cardWijk")}</dt><dd id="case-card-wijk">…</dd>`}
        ${row(t("cardBundle"), `${t("bundle", { n: c.bundle })}, ${c.year}`)}
        ${row(t("cardStrategies"), strategyBasis(c))}
        ${row(t("cardTargetGroups"), c.target_groups.map((g) => g[lang]).join("; "))}
      </dl>
      ${c.online ? html`<p class="note">${t("onlineNote")}</p>` : html`<p class="note">${t("cardCoordinates")}</p>`}
      <p class="note">${t("cardConfidence", { level: t(`confidence_${c.confidence}` as MessageKey) })}</p>
      <h3>${t("cardSources")}</h3>
      <p>${t("cardSourceMovisie", { n: c.bundle, year: c.year })}</p>
      <ul class="sources">${c.sources.map((u) => html`<li><span class="source-url">${u}</span></li>`)}</ul>`,
    );
    card.hidden = false;
    $("#case-card-close").addEventListener("click", () => this.select(null));
    this.fillWijk(c).catch(() => {});
  }

  private select(id: string | null, from: "list" | "map" = "list") {
    const previous = this.selected;
    this.selected = id;
    $$<HTMLButtonElement>("#case-list .case-item").forEach((b) => {
      if (b.dataset.caseId === id) b.setAttribute("aria-current", "true");
      else b.removeAttribute("aria-current");
    });
    this.renderCard();
    this.map.select(id, from === "list", this.cardOverMap());
    if (id) $("#case-card").focus();
    else if (previous)
      document
        .querySelector<HTMLButtonElement>(`#case-list .case-item[data-case-id="${previous}"]`)
        ?.focus();
  }

  /** How far the open card reaches over the map from the right: in a narrow window it lies over
   * the map instead of beside it, and the chosen marker must stay out from under it. */
  private cardOverMap(): number {
    const card = $("#case-card");
    if (card.hidden) return 0;
    const map = $("#map").getBoundingClientRect();
    return Math.max(0, Math.min(map.right - card.getBoundingClientRect().left, map.width));
  }

  private wire() {
    const form = $<HTMLFormElement>("#case-filters");
    form.addEventListener("submit", (e) => e.preventDefault());
    form.addEventListener("input", () => {
      const f = this.filter;
      f.text = $<HTMLInputElement>("#filter-text").value;
      f.strategies = new Set(
        $$<HTMLInputElement>("#filter-strategies input:checked").map(
          (i) => i.value as StrategyChoice,
        ),
      );
      const bundle = $<HTMLSelectElement>("#filter-bundle").value;
      f.bundle = bundle ? Number(bundle) : null;
      f.province = $<HTMLSelectElement>("#filter-province").value || null;
      this.renderList();
    });
    $("#case-list").addEventListener("click", (e) => {
      const button = (e.target as HTMLElement).closest<HTMLButtonElement>(".case-item");
      if (button?.dataset.caseId) this.select(button.dataset.caseId);
    });
    document.addEventListener("keydown", (e) => {
      if (
        e.key === "Escape" &&
        this.selected &&
        !$("#view-map").hidden &&
        !$<HTMLDialogElement>("#about-dialog").open
      )
        this.select(null);
    });
  }

  /** The case's wijk, from its (estimated) point: asked when the card opens, so that the case
   * map's start never waits for the wijk boundaries. */
  private async fillWijk(c: Case) {
    if (c.lat === null || c.lon === null) return;
    const where = await api.locate(c.lat, c.lon);
    const cell = document.getElementById("case-card-wijk");
    if (!cell || this.selected !== c.id) return;
    cell.textContent = where.wijk
      ? t("cardWijkEstimated", { wijk: where.wijk.name })
      : getContent().basemap.wijken
        ? t("cardWijkNone")
        : t("wijkUnknownBuild");
  }
}
