// Kaart: the 29 cases on the offline map, a filterable list beside it, and a card per case.
import { api, type Case } from "../api";
import { caseName, getContent, strategyName, type View } from "../app";
import { $, $$, esc } from "../dom";
import { emptyFilter, filterCases, type StrategyChoice } from "../filter";
import { currentLang, t, type MessageKey } from "../i18n";
import { createMap, SHAPES, shapeOf, shapeSvg, type CaseMap } from "../map";

/** Each strategy with whose reading it is: Movisie's classification of the bundle, or ours. */
const strategyBasis = (c: Case) =>
  c.strategies.length
    ? `<ul class="strategy-basis">${c.strategies
        .map(
          (s) =>
            `<li>${esc(strategyName(s))} <span class="meta">(${esc(t(c.own_reading.includes(s) ? "basisOwnReading" : "basisMovisie"))})</span></li>`,
        )
        .join("")}</ul>`
    : esc(t("unclassified"));
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

  /** Opens a case's card and centres the map on it (used by the self-check's suggestions). */
  showCase(id: string) {
    this.select(id, "list");
  }

  private renderFilters() {
    const choices: StrategyChoice[] = ["bonding", "bridging", "linking", "unclassified"];
    $("#filter-strategies").innerHTML = choices
      .map((s) => {
        const label = s === "unclassified" ? t("unclassified") : strategyName(s);
        const checked = this.filter.strategies.has(s) ? "checked" : "";
        return `<label class="check"><input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" value="${s}" ${checked}/> ${shapeSvg(s, 20)} <span>${esc(label)}</span></label>`;
      })
      .join("");
    const bundle = $<HTMLSelectElement>("#filter-bundle");
    bundle.innerHTML =
      `<option value="">${esc(t("allBundles"))}</option>` +
      [1, 2, 3, 4].map((n) => `<option value="${n}">${esc(t("bundle", { n }))}</option>`).join("");
    bundle.value = this.filter.bundle === null ? "" : String(this.filter.bundle);
    const provinces = new Map<string, string>();
    getContent().cases.forEach(
      (c) => c.province && provinces.set(c.province.code, c.province.name),
    );
    const province = $<HTMLSelectElement>("#filter-province");
    province.innerHTML =
      `<option value="">${esc(t("allProvinces"))}</option>` +
      [...provinces]
        .sort((a, b) => a[1].localeCompare(b[1], "nl"))
        .map(([code, name]) => `<option value="${code}">${esc(name)}</option>`)
        .join("");
    province.value = this.filter.province ?? "";
  }

  private renderLegend() {
    $("#map-legend").innerHTML =
      `<strong>${esc(t("legendTitle"))}</strong><ul>` +
      (Object.keys(SHAPES) as (keyof typeof SHAPES)[])
        .map(
          (s) =>
            `<li>${shapeSvg(s, 16)} ${esc(s === "unclassified" ? t("unclassified") : strategyName(s))}</li>`,
        )
        .join("") +
      "</ul>";
  }

  private renderList() {
    const cases = getContent().cases;
    const shown = filterCases(cases, this.filter, currentLang());
    $("#case-count").textContent = t("count", { shown: shown.length, total: cases.length });
    $("#case-list").innerHTML = shown
      .map((c) => {
        const current = c.id === this.selected ? 'aria-current="true"' : "";
        const where = c.online ? `${t("online")} · ${t("notOnMap")}` : (c.municipality?.name ?? "");
        return `<li data-case-id="${esc(c.id)}"><button type="button" class="case-item" ${current} data-case-id="${esc(c.id)}">
          ${shapeSvg(shapeOf(c), 18)}
          <span class="case-item-text"><span class="case-item-name">${esc(caseName(c))}</span>
          <span class="case-item-meta">${esc(where)} · ${esc(t("bundle", { n: c.bundle }))} · ${esc(strategiesText(c))}</span></span>
        </button></li>`;
      })
      .join("");
    this.map.setCases(shown, markerLabel);
  }

  private renderCard() {
    const card = $("#case-card");
    const c = getContent().cases.find((x) => x.id === this.selected);
    if (!c) {
      card.hidden = true;
      card.innerHTML = "";
      return;
    }
    const lang = currentLang();
    const row = (label: string, value: string) =>
      value ? `<dt>${esc(label)}</dt><dd>${value}</dd>` : "";
    card.innerHTML = `
      <div class="card-head">
        <h2 id="case-card-title">${esc(caseName(c))}</h2>
        <button type="button" class="icon-button" id="case-card-close" aria-label="${esc(t("closeCard"))}">×</button>
      </div>
      ${c.name === null ? `<p class="note">${esc(t("nameUnknownNote"))}</p>` : ""}
      ${c.name_confidence === "probable" ? `<p class="note">${esc(t("nameProbable"))}</p>` : ""}
      <p class="summary">${esc(c.summary[lang])}</p>
      <dl class="facts">
        ${row(t("cardPlace"), esc(c.online ? t("online") : [c.neighbourhood?.[lang], c.place?.[lang]].filter(Boolean).join(", ")))}
        ${row(t("cardMunicipality"), esc(c.municipality ? `${c.municipality.name} (${c.province?.name ?? ""})` : ""))}
        ${c.online || c.lat === null || c.lon === null ? "" : `<dt>${esc(t("cardWijk"))}</dt><dd id="case-card-wijk">…</dd>`}
        ${row(t("cardBundle"), esc(`${t("bundle", { n: c.bundle })}, ${c.year}`))}
        ${row(t("cardStrategies"), strategyBasis(c))}
        ${row(t("cardTargetGroups"), esc(c.target_groups.map((g) => g[lang]).join("; ")))}
      </dl>
      ${c.online ? `<p class="note">${esc(t("onlineNote"))}</p>` : `<p class="note">${esc(t("cardCoordinates"))}</p>`}
      <p class="note">${esc(t("cardConfidence", { level: t(`confidence_${c.confidence}` as MessageKey) }))}</p>
      <h3>${esc(t("cardSources"))}</h3>
      <p>${esc(t("cardSourceMovisie", { n: c.bundle, year: c.year }))}</p>
      <ul class="sources">${c.sources.map((u) => `<li><span class="source-url">${esc(u)}</span></li>`).join("")}</ul>`;
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
    this.map.select(id, from === "list");
    if (id) $("#case-card").focus();
    else if (previous)
      document
        .querySelector<HTMLButtonElement>(`#case-list .case-item[data-case-id="${previous}"]`)
        ?.focus();
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
