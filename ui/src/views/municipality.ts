// Gemeente: one municipality's initiatives on a map and in a sortable, filterable table with their
// latest scores; aggregates against the whole database; the review workflow with its timeline;
// import of bundles from community-centre machines and exports. A city may hold thousands of
// initiatives: the map gets one small point each, the table comes from the core a page at a time.
import { api } from "../api";
import { problemText } from "../problems";
import type { Area } from "../bindings/Area";
import type { MapPoint } from "../bindings/MapPoint";
import type { MunicipalitySummary } from "../bindings/MunicipalitySummary";
import type { ReviewStatus } from "../bindings/ReviewStatus";
import type { RowPage } from "../bindings/RowPage";
import type { RowQuery } from "../bindings/RowQuery";
import type { RowSort } from "../bindings/RowSort";
import type { Stats } from "../bindings/Stats";
import type { WijkTable } from "../bindings/WijkTable";
import type { Strategy } from "../bindings/Strategy";
import type { ExportFormat } from "../bindings/ExportFormat";
import { getContent, lessonById, showError, strategyName, type View } from "../app";
import { html, nothing, svg, type SVGTemplateResult, type TemplateResult } from "lit-html";
import { $, $$, draw, formatCount, formatDate, formatDay, formatScore, fragmentOf } from "../dom";
import { currentLang, t, type MessageKey } from "../i18n";
import { createAreaMap, shapeSvg, SHAPES, weakestSvg, type AreaMap } from "../map";
import type { QuarterPoint } from "../bindings/QuarterPoint";
import type { Source } from "../bindings/Source";
import type { LeftAlone } from "../bindings/LeftAlone";
import type { FolderSummary } from "../bindings/FolderSummary";
import type { ImportSummary } from "../bindings/ImportSummary";
import { reviewDetailHtml } from "./review-detail";

/** Words shown after an action: made again at each drawing, so they follow a language switch. */
type Said = () => TemplateResult | string;

/** Why a folder import left an entry alone, in the order the message lists them. */
const IGNORED_REASONS: [LeftAlone, MessageKey][] = [
  ["not_a_bundle", "importFolderIgnored"],
  ["subfolder", "importFolderSubfolder"],
  ["symbolic_link", "importFolderLink"],
  ["special", "importFolderSpecial"],
  ["unreadable", "importFolderUnreadable"],
];

/** The review queue names the first few; a large city finds the rest by the table's status filter. */
const QUEUE_SHOWN = 10;
/** Rows per table page: a screenful or two, quick to draw however large the city. */
export const PAGE_SIZE = 100;
/** Typing in the table's search box asks the core again once the typing pauses. */
const FILTER_DELAY_MS = 200;

const STRATEGIES: Strategy[] = ["bonding", "bridging", "linking"];
const STATUSES: ReviewStatus[] = ["new", "in_review", "needs_info", "published", "archived"];

const statusText = (s: ReviewStatus) => t(`status_${s}` as MessageKey);

/** The wijken are coloured by their number of initiatives or by the mean of one strategy. */
type ColourBy = "count" | Strategy;
/** A sequential blue scale (light to dark), readable with the dark wijk borders over it. */
const SCALE = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];
const NO_INITIATIVE = "#ffffff";
const NO_MEAN = "#b3b3b3";

interface LegendClass {
  fill: string;
  text: string;
  /** Whether a value falls in this class. */
  holds: (value: number) => boolean;
}

/** The legend's classes, from the core's ranges (the UI keeps no rule of its own for them). */
function countClasses(table: WijkTable, lang: "nl" | "en"): LegendClass[] {
  return [
    { fill: NO_INITIATIVE, text: t("legendNone"), holds: (n) => n === 0 },
    ...table.count_classes.map((r, i) => ({
      fill: SCALE[i + 1],
      text:
        r.from === r.to
          ? formatCount(r.from, lang)
          : `${formatCount(r.from, lang)}–${formatCount(r.to, lang)}`,
      holds: (n: number) => n >= r.from && n <= r.to,
    })),
  ];
}

function meanClasses(table: WijkTable, lang: "nl" | "en"): LegendClass[] {
  return [
    { fill: NO_MEAN, text: t("legendNoMean", { n: table.min_group }), holds: () => false },
    ...table.mean_classes.map((r, i) => ({
      fill: SCALE[i],
      text: `${formatScore(r.from, lang)}–${formatScore(r.to, lang)}`,
      holds: (v: number) => v >= r.from && v <= r.to,
    })),
  ];
}

/** A machine as lists name it: this one said so, one without a name by the start of its id, and
 * records from older bundles (which named no machine) as such. */
export function sourceName(key: string, label: string, here: boolean): string {
  if (here) return t("sourceHere", { name: label.trim() || key.slice(0, 8) });
  if (!key) return t("sourceUnknown");
  return label.trim() || key.slice(0, 8);
}

/** Where an initiative came from, in a sentence. */
function sourceText(s: Source, lang: "nl" | "en"): string {
  if (!s.imported_at)
    return t("sourceMadeHere", {
      name: s.machine_name?.trim() || (s.machine_id ?? "").slice(0, 8),
    });
  const name = sourceName(s.machine_id ?? "", s.machine_name ?? "", s.here);
  return t("sourceImported", {
    name,
    file: s.file ?? t("sourceNoFile"),
    exported: s.exported_at ? formatDate(s.exported_at, lang) : "–",
    imported: formatDate(s.imported_at, lang),
  });
}

export class MunicipalityView implements View {
  private list: Area[] = [];
  private code: string | null = null;
  /** Per quarter, the mean per strategy (the trend). */
  private trend: QuarterPoint[] = [];
  /** Initiatives chosen for a bulk review (across pages and filters until the move). */
  private selected = new Set<string>();
  private data: MunicipalitySummary | null = null;
  private page: RowPage | null = null;
  private query: RowQuery = {
    sort: "name",
    descending: false,
    status: null,
    text: "",
    wijk: null,
    source: null,
    offset: 0,
    limit: PAGE_SIZE,
  };
  /** What the wijken on the map are coloured by. */
  private colourBy: ColourBy = "count";
  /** The open municipality's wijk borders, asked for once per municipality. */
  private borders: { code: string; features: Promise<GeoJSON.FeatureCollection> } | null = null;
  private map: AreaMap | null = null;
  private reviewing: string | null = null;
  /** The list that opened the review (the queue, the table or the map): focus goes back there. */
  private opener: "queue" | "table" | "map" = "table";
  /** The panel's drawing after a redraw of the page: what waits on it to move the focus. */
  private panelReady: Promise<void> = Promise.resolve();
  /** Each message sits by the control that caused it: import and export under the toolbar, a
   * bulk move in the bulk section, a review or an erasure in the review panel. */
  private message: Said | null = null;
  private bulkMessage: Said | null = null;
  private reviewMessage: Said | null = null;
  /** Answers to older table requests that arrive late are dropped. */
  private tableRequest = 0;
  private filterTimer: number | undefined;

  constructor(private root: HTMLElement) {}

  async enter(code: string | null) {
    if (!this.list.length) this.list = await api.municipalities();
    if (code && code !== this.code) {
      this.code = code;
      this.query = { ...this.query, status: null, text: "", wijk: null, source: null, offset: 0 };
    }
    await this.load();
  }

  private async load() {
    const code = this.code;
    this.tableRequest++;
    [this.data, this.trend] = code
      ? await Promise.all([api.municipalityOverview(code, this.query), api.quarterTrend(code)])
      : [null, []];
    this.page = this.data?.page ?? null;
    if (this.page) this.query.offset = this.page.offset;
    this.render();
  }

  render() {
    const lang = currentLang();
    const d = this.data;
    const options = this.list.map(
      (m) => html`<option value="${m.code}" ?selected=${m.code === this.code}>${m.name}</option>`,
    );
    // The previous map goes with its listeners before the page is redrawn.
    this.map?.destroy();
    this.map = null;
    draw(
      this.root,
      html`<div class="page page-wide">
      <h1>${d ? t("municipalityHeading", { name: d.municipality.name }) : t("navMunicipality")}</h1>
      <div class="toolbar">
        <div class="field"><label for="municipality-select">${t("chooseMunicipality")}</label>
          <select id="municipality-select" class="utrecht-select utrecht-select--html-select"><option value="">${t("chooseMunicipalityNone")}</option>${options}</select></div>
        <div class="field"><label for="import-file">${t("importLabel")}</label>
          <span class="file-choice">
            <input id="import-file" type="file" accept=".json,application/json" class="file-input" aria-describedby="import-file-name"/>
            <span class="utrecht-button utrecht-button--secondary-action file-button" aria-hidden="true">${t("chooseFile")}</span>
            <span id="import-file-name" class="file-name">${t("noFileChosen")}</span>
          </span>
          <button type="button" class="utrecht-button utrecht-button--secondary-action" id="import-folder">${t("importFolder")}</button></div>
        <div class="field export-field"><span class="label-like" id="export-label">${t("exportLabel")}</span>
          <div class="button-row" role="group" aria-labelledby="export-label">
            ${(["bundle", "xlsx", "csv", "geojson"] as const).map((f) => html`<button type="button" class="utrecht-button utrecht-button--secondary-action" data-export="${f}">${t(`export_${f}` as MessageKey)}</button>`)}
            ${this.code ? html`<button type="button" class="utrecht-button utrecht-button--secondary-action" id="municipality-pdf">${t("export_report")}</button>` : ""}
          </div></div>
      </div>
      <div id="municipality-message" class="notice" role="status" aria-live="polite" tabindex="-1" ?hidden=${!this.message}>${this.message?.() ?? ""}</div>
      ${d ? this.overviewHtml(d, lang) : html`<p>${t("municipalityIntro")}</p><p class="hint">${t("pickOnMap")}</p><div id="area-map" class="area-map" role="region" aria-label="${t("pickOnMap")}"></div>`}
    </div>`,
    );
    this.wire();
    this.map = createAreaMap($("#area-map", this.root), getContent().basemap);
    this.map.onPick(async (lat, lon) => {
      const where = await api.locate(lat, lon).catch(() => null);
      if (where?.municipality && where.municipality.code !== this.code)
        location.hash = `#gemeente/${where.municipality.code}`;
    });
    if (!d) this.map.show("", []);
    if (d) {
      this.map.onSelect((id) => {
        this.opener = "map";
        this.openReview(id).catch(showError);
      });
      this.map.show(
        d.municipality.code,
        d.points.map((p) => ({
          id: p.id,
          lat: p.lat,
          lon: p.lon,
          weakest: p.weakest_strategy,
          label: `${p.name}. ${t("weakestIs", { strategy: p.weakest_strategy ? strategyName(p.weakest_strategy) : t("noAnswer") })}. ${statusText(p.status)}`,
        })),
      );
      this.drawWijken(d).catch(showError);
    }
  }

  /** Whether the initiatives came from more than one machine: only then the source is shown. */
  private manySources(): boolean {
    return (this.data?.sources.length ?? 0) > 1;
  }

  /** The legend's classes for the current colouring. */
  private classes(table: WijkTable, lang: "nl" | "en"): LegendClass[] {
    return this.colourBy === "count" ? countClasses(table, lang) : meanClasses(table, lang);
  }

  /** A wijk's fill and the words that say its value (tooltip; the table says the same). */
  private paint(
    table: WijkTable,
    lang: "nl" | "en",
  ): (code: string) => { fill: string; label: string } {
    const classes = this.classes(table, lang);
    const by = this.colourBy;
    return (code) => {
      const w = table.wijken.find((x) => x.wijk.code === code);
      if (!w) return { fill: NO_INITIATIVE, label: code };
      if (by === "count") {
        return {
          fill: classes.find((c) => c.holds(w.initiatives))?.fill ?? NO_INITIATIVE,
          label: t("wijkValueCount", { wijk: w.wijk.name, n: formatCount(w.initiatives, lang) }),
        };
      }
      const mean = w.strategies[by]?.mean ?? null;
      if (mean === null)
        return {
          fill: NO_MEAN,
          label: t("wijkValueNoMean", {
            wijk: w.wijk.name,
            n: formatCount(w.initiatives, lang),
            min: table.min_group,
          }),
        };
      return {
        fill: classes.find((c) => c.holds(mean))?.fill ?? NO_MEAN,
        label: t("wijkValueMean", {
          wijk: w.wijk.name,
          strategy: strategyName(by),
          value: formatScore(mean, lang),
          n: formatCount(w.initiatives, lang),
        }),
      };
    };
  }

  /** Draws the open municipality's wijken on its map, coloured as chosen. The borders are asked
   * for when the view opens (they are not part of start-up) and kept while it stays open. */
  private async drawWijken(d: MunicipalitySummary) {
    if (!getContent().basemap.wijken || !d.wijken.wijken.length) return;
    const code = d.municipality.code;
    if (this.borders?.code !== code) this.borders = { code, features: api.wijkBorders(code) };
    const map = this.map;
    const borders = await this.borders.features;
    if (map !== this.map || !this.map || this.data !== d) return; // redrawn meanwhile
    this.map.showWijken(borders, this.paint(d.wijken, currentLang()));
  }

  private legendHtml(table: WijkTable, lang: "nl" | "en"): TemplateResult | "" {
    return html`<ul id="wijk-legend-items">${this.classes(table, lang).map(
      (c) =>
        html`<li data-fill="${c.fill}"><span class="swatch" style="background:${c.fill}"></span> ${c.text}</li>`,
    )}</ul>`;
  }

  /** Under the map: what the wijken are coloured by, and the legend. */
  private wijkControlsHtml(table: WijkTable, lang: "nl" | "en"): TemplateResult | "" {
    if (!table.known) return html`<p class="notice" id="no-wijken-build">${t("noWijkenBuild")}</p>`;
    if (!table.wijken.length) return "";
    const option = (value: ColourBy, text: string) =>
      html`<option value="${value}" ?selected=${value === this.colourBy}>${text}</option>`;
    return html`<div class="wijk-controls">
        <div class="field"><label for="colour-by">${t("colourBy")}</label>
          <select id="colour-by" class="utrecht-select utrecht-select--html-select">${option("count", t("colour_count"))}${STRATEGIES.map((s) => option(s, t("colour_mean", { strategy: strategyName(s) })))}</select></div>
        <div class="legend wijk-legend" id="wijk-legend" role="group" aria-labelledby="wijk-legend-title"><strong id="wijk-legend-title">${t("legendWijken")}</strong>${this.legendHtml(table, lang)}</div>
      </div>`;
  }

  /** The table per wijk: the wijken with an average in full; those with too few initiatives for
   * one, and those with none, each folded under one line that says how many and why. */
  private wijkSectionHtml(table: WijkTable, lang: "nl" | "en"): TemplateResult | "" {
    if (!table.known || !table.wijken.length) return "";
    const min = table.min_group;
    // "n" in words: how many initiatives have a score for this strategy (too few for an average).
    const cell = (s: { mean: number | null; n: number } | undefined) =>
      s && s.mean !== null
        ? formatScore(s.mean, lang)
        : html`– <span class="meta">${t("wijkCellFew", { n: formatCount(s?.n ?? 0, lang) })}</span>`;
    const hasMean = (w: WijkTable["wijken"][number]) =>
      STRATEGIES.some((s) => (w.strategies[s]?.mean ?? null) !== null);
    const full = table.wijken.filter((w) => w.initiatives > 0 && hasMean(w));
    const few = table.wijken.filter((w) => w.initiatives > 0 && !hasMean(w));
    const without = table.wijken.filter((w) => w.initiatives === 0);
    const head = html`<th scope="col">${t("colWijk")}</th><th scope="col" class="num">${t("colInitiatives")}</th><th scope="col" class="num">${t("colChecks")}</th>`;
    const rows = full.map(
      (
        w,
      ) => html`<tr data-wijk-row="${w.wijk.code}"><th scope="row">${w.wijk.name}</th><td class="num">${formatCount(w.initiatives, lang)}</td><td class="num">${formatCount(w.checks, lang)}</td>
          ${STRATEGIES.map((s) => html`<td class="num">${cell(w.strategies[s])}</td>`)}</tr>`,
    );
    const fewRows = few.map(
      (w) =>
        html`<tr data-wijk-row="${w.wijk.code}"><th scope="row">${w.wijk.name}</th><td class="num">${formatCount(w.initiatives, lang)}</td><td class="num">${formatCount(w.checks, lang)}</td></tr>`,
    );
    return html`<section aria-labelledby="wijken-heading" id="wijken-section"><h2 id="wijken-heading">${t("wijkenHeading")}</h2>
      <p>${t("wijkenIntro", { n: min })}</p>
      ${
        full.length
          ? html`<div class="table-scroll" role="region" aria-labelledby="wijken-heading" tabindex="0"><table class="utrecht-table utrecht-table--html-table data-table" id="wijk-table"><thead><tr>${head}${STRATEGIES.map((s) => html`<th scope="col" class="num">${strategyName(s)}</th>`)}</tr></thead><tbody>${rows}</tbody></table></div>`
          : html`<p id="wijk-table-empty">${t("wijkenNoneWithMean", { n: min })}</p>`
      }
      ${
        few.length
          ? html`<details class="wijk-fold" id="wijken-few"><summary>${t("wijkenFewSummary", { n: formatCount(few.length, lang), min })}</summary>
        <table class="utrecht-table utrecht-table--html-table data-table" id="wijk-few-table"><thead><tr>${head}</tr></thead><tbody>${fewRows}</tbody></table></details>`
          : ""
      }
      ${
        without.length
          ? html`<details class="wijk-fold" id="wijken-without-fold"><summary id="wijken-without-heading">${t("wijkenWithout", { n: formatCount(without.length, lang) })}</summary>
        <ul class="inline-list" id="wijken-without" aria-labelledby="wijken-without-heading">${without.map((w) => html`<li data-wijk-none="${w.wijk.code}">${w.wijk.name}</li>`)}</ul></details>`
          : html`<p id="wijken-without">${t("wijkenAllHave")}</p>`
      }
      ${table.outside_wijken ? html`<p class="note" id="outside-wijken">${t("outsideWijken", { n: formatCount(table.outside_wijken, lang) })}</p>` : ""}
    </section>`;
  }

  private overviewHtml(d: MunicipalitySummary, lang: "nl" | "en"): TemplateResult | "" {
    const queue = d.points.filter((p) => p.needs_review);
    // The review panel stands beside the lists and stays in view while they scroll.
    return html`<div id="review-layout" class="review-layout ${this.reviewing ? "is-reviewing" : ""}"><div class="review-main">
      ${
        queue.length
          ? html`<section class="queue" aria-labelledby="queue-heading" id="review-queue"><h2 id="queue-heading">${t("queueHeading", { n: formatCount(queue.length, lang) })}</h2>
        <ul>${queue
          .slice(0, QUEUE_SHOWN)
          .map(
            (p) =>
              html`<li><button type="button" class="link-like" data-review="${p.id}" aria-current=${p.id === this.reviewing ? "true" : nothing}>${p.name}</button> — ${statusText(p.status)}</li>`,
          )}</ul>${queue.length > QUEUE_SHOWN ? html`<p id="queue-more">${t("queueMore", { n: formatCount(queue.length - QUEUE_SHOWN, lang) })}</p>` : ""}</section>`
          : html`<p class="notice" id="queue-empty">${t("queueEmpty")}</p>`
      }
      <div class="municipality-grid">
        <section aria-labelledby="area-map-heading"><h2 id="area-map-heading">${t("mapOfMunicipality")}</h2>
          <div id="area-map" class="area-map" role="region" aria-label="${t("mapOfMunicipality")}"></div>
          <div class="legend legend-static" id="area-legend" aria-hidden="true"><strong>${t("legendWeakest")}</strong><p class="legend-how">${t("legendWeakestHow")}</p><ul>${STRATEGIES.map((s) => html`<li>${weakestSvg(s, 20)} ${strategyName(s)}</li>`)}<li>${weakestSvg(null, 20)} ${t("noAnswer")}</li></ul></div>
          ${this.wijkControlsHtml(d.wijken, lang)}
        </section>
        <section aria-labelledby="aggregates-heading"><h2 id="aggregates-heading">${t("aggregatesHeading")}</h2>
          <p>${t("aggregatesCounts", { initiatives: formatCount(d.stats.initiatives, lang), checks: formatCount(d.stats.checks, lang) })}</p>
          ${d.stats.initiatives < d.stats.min_group ? html`<p class="notice" id="small-group-note">${t("smallGroup", { n: d.stats.min_group })}</p>` : ""}
          ${this.aggregatesTable(d.stats, d.national, lang)}
          <p class="hint" id="aggregates-note">${t("aggregatesNote")}</p>
          ${
            d.stats.weakest_lessons.length
              ? html`<h3>${t("mostOftenWeakest")}</h3><ol>${d.stats.weakest_lessons
                  .slice(0, 3)
                  .map(
                    (w) =>
                      html`<li>${lessonById(w.lesson)?.title[lang] ?? w.lesson} (${w.count}×)</li>`,
                  )}</ol>`
              : ""
          }
        </section>
      </div>
      ${this.wijkSectionHtml(d.wijken, lang)}
      ${this.trendHtml(lang)}
      <section aria-labelledby="table-heading"><h2 id="table-heading">${t("initiativesInMunicipality")}</h2>
        ${
          d.points.length
            ? html`<div class="table-tools">
          <div class="field"><label for="row-filter">${t("filterText")}</label><input id="row-filter" type="search" maxlength="${getContent().limits.filter_chars}" class="utrecht-textbox utrecht-textbox--html-input" value="${this.query.text}"/></div>
          <div class="field"><label for="status-filter">${t("filterStatus")}</label><select id="status-filter" class="utrecht-select utrecht-select--html-select"><option value="">${t("allStatuses")}</option>${STATUSES.map((s) => html`<option value="${s}" ?selected=${s === this.query.status}>${statusText(s)}</option>`)}</select></div>
          ${d.wijken.wijken.length ? html`<div class="field"><label for="wijk-filter">${t("filterWijk")}</label><select id="wijk-filter" class="utrecht-select utrecht-select--html-select"><option value="*">${t("allWijken")}</option>${d.wijken.wijken.map((w) => html`<option value="${w.wijk.code}" ?selected=${w.wijk.code === this.query.wijk}>${w.wijk.name}</option>`)}<option value="" ?selected=${this.query.wijk === ""}>${t("noWijk")}</option></select></div>` : ""}
          ${this.manySources() ? html`<div class="field"><label for="source-filter">${t("filterSource")}</label><select id="source-filter" class="utrecht-select utrecht-select--html-select"><option value="*">${t("allSources")}</option>${d.sources.map((c) => html`<option value="${c.key}" ?selected=${c.key === this.query.source}>${t("sourceOption", { source: sourceName(c.key, c.label, c.here), n: formatCount(c.initiatives, lang) })}</option>`)}</select></div>` : ""}
        </div>
        <div id="table-region">${this.tableHtml(lang)}</div>`
            : html`<p id="no-initiatives">${t("noInitiativesHere")}</p>`
        }
      </section></div>
      <section id="review-panel" class="review-panel" aria-labelledby="review-heading" ?hidden=${!this.reviewing}></section></div>`;
  }

  /** The current page of the table with its pager; redrawn alone when sorting, filtering or paging. */
  private tableHtml(lang: "nl" | "en"): TemplateResult | "" {
    const p = this.page;
    if (!p) return "";
    const th = (key: RowSort, label: string, num = false) => {
      const sorted = this.query.sort === key;
      const aria = sorted ? (this.query.descending ? "descending" : "ascending") : nothing;
      return html`<th scope="col" aria-sort=${aria} class="${num ? "num" : ""}"><button type="button" class="sort-button" data-sort="${key}">${label}<span aria-hidden="true">${sorted ? (this.query.descending ? " ▼" : " ▲") : ""}</span></button></th>`;
    };
    const rows = p.rows.map(
      (
        r,
      ) => html`<tr data-initiative-row="${r.initiative.id}" class="${r.initiative.id === this.reviewing ? "row-reviewing" : ""}"><td class="select-cell"><input type="checkbox" class="utrecht-checkbox utrecht-checkbox--html-input" data-select="${r.initiative.id}" aria-label="${t("selectInitiative", { name: r.initiative.name })}" ?checked=${this.selected.has(r.initiative.id)} /></td><th scope="row">${r.initiative.name}</th>${this.data?.wijken.known ? html`<td class="wijk-cell">${r.initiative.wijk?.name ?? ""}</td>` : ""}${this.manySources() ? html`<td class="source-cell">${sourceName(r.source.machine_id ?? "", r.source.machine_name ?? "", r.source.here)}</td>` : ""}<td class="num">${r.checks}</td><td class="num">${r.respondents || ""}</td>
        <td class="date-cell">${r.latest_at ? html`<time datetime="${r.latest_at}" title="${formatDate(r.latest_at, lang)}">${formatDay(r.latest_at, lang)}</time>` : ""}</td>
        ${STRATEGIES.map((s) => html`<td class="num">${formatScore(r.scores[s], lang)}</td>`)}
        <td><span class="status status-${r.status}">${statusText(r.status)}</span></td>
        <td class="review-cell"><button type="button" class="link-like" data-review="${r.initiative.id}" aria-label="${t("reviewButton", { name: r.initiative.name })}" aria-current=${r.initiative.id === this.reviewing ? "true" : nothing}>${t("review")}</button></td></tr>`,
    );
    const from = p.offset + 1;
    const to = p.offset + p.rows.length;
    const last = Math.max(0, Math.floor((p.matching - 1) / PAGE_SIZE) * PAGE_SIZE);
    const pagerButton = (id: string, label: MessageKey, offset: number, enabled: boolean) =>
      html`<button type="button" class="utrecht-button utrecht-button--secondary-action" id="${id}" data-offset="${offset}" ?disabled=${!enabled}>${t(label)}</button>`;
    const range = p.matching
      ? t("pageRange", {
          from: formatCount(from, lang),
          to: formatCount(to, lang),
          total: formatCount(p.matching, lang),
        })
      : t("noMatchingRows");
    return html`<p id="page-range" class="table-range" role="status" tabindex="-1">${range}</p>
      ${p.matching ? this.bulkHtml(p.matching) : ""}
      ${p.matching ? html`<div class="table-scroll" role="region" aria-labelledby="table-heading" tabindex="0"><table class="utrecht-table utrecht-table--html-table data-table" id="municipality-table"><thead><tr><th scope="col"><span class="visually-hidden">${t("colSelect")}</span></th>${th("name", t("colName"))}${this.data?.wijken.known ? html`<th scope="col">${t("colWijk")}</th>` : ""}${this.manySources() ? html`<th scope="col">${t("colSource")}</th>` : ""}${th("checks", t("colChecks"), true)}<th scope="col" class="num">${t("colMembersLatest")}</th>${th("latest", t("colLatest"))}${STRATEGIES.map((s) => th(s, strategyName(s), true))}${th("status", t("colStatus"))}<th scope="col" class="review-cell"><span class="visually-hidden">${t("review")}</span></th></tr></thead><tbody>${rows}</tbody></table></div>` : ""}
      ${
        p.matching > PAGE_SIZE
          ? html`<nav class="pager button-row" aria-label="${t("tablePages")}">
        ${pagerButton("page-first", "firstPage", 0, p.offset > 0)}
        ${pagerButton("page-previous", "previousPage", Math.max(0, p.offset - PAGE_SIZE), p.offset > 0)}
        ${pagerButton("page-next", "nextPage", p.offset + PAGE_SIZE, p.offset < last)}
        ${pagerButton("page-last", "lastPage", last, p.offset < last)}</nav>`
          : ""
      }`;
  }

  /** The mean per strategy per quarter: a line chart, and the same figures as a table. */
  private trendHtml(lang: "nl" | "en"): TemplateResult | "" {
    const q = this.trend;
    if (!q.length) return "";
    const w = 640;
    const h = 240;
    const left = 40;
    const right = 20;
    const top = 16;
    const bottom = 36;
    const x = (i: number) =>
      left + (q.length === 1 ? (w - left - right) / 2 : (i * (w - left - right)) / (q.length - 1));
    const y = (v: number) => top + ((100 - v) / 100) * (h - top - bottom);
    const grid = [0, 25, 50, 75, 100].map(
      (v) =>
        svg`<line x1="${left}" x2="${w - right}" y1="${y(v)}" y2="${y(v)}" stroke="#d9d9d9"/><text x="${left - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end" fill="#4a4a4a">${v}</text>`,
    );
    const labels = q.map(
      (p, i) =>
        svg`<text x="${x(i)}" y="${h - 12}" font-size="11" text-anchor="middle" fill="#4a4a4a">${p.quarter}</text>`,
    );
    const lines = STRATEGIES.map((s) => {
      const colour = SHAPES[s].color;
      // A quarter without a mean (fewer than 5 initiatives) breaks the line.
      const segments: string[][] = [[]];
      const marks: SVGTemplateResult[] = [];
      q.forEach((p, i) => {
        const m = p.strategies[s]?.mean;
        if (m === null || m === undefined) {
          segments.push([]);
          return;
        }
        segments[segments.length - 1].push(`${x(i)},${y(m)}`);
        marks.push(
          svg`<g transform="translate(${x(i) - 8} ${y(m) - 8}) scale(0.67)">${SHAPES[s].svg(colour)}</g>`,
        );
      });
      return [
        ...segments
          .filter((seg) => seg.length > 1)
          .map(
            (seg) =>
              svg`<polyline points="${seg.join(" ")}" fill="none" stroke="${colour}" stroke-width="2.5"/>`,
          ),
        ...marks,
      ];
    });
    const mean = (p: QuarterPoint, s: Strategy) => formatScore(p.strategies[s]?.mean ?? null, lang);
    const rows = q.map(
      (p) =>
        html`<tr><th scope="row">${p.quarter}</th><td class="num">${p.initiatives}</td>${STRATEGIES.map((s) => html`<td class="num">${mean(p, s)}</td>`)}</tr>`,
    );
    return html`<section aria-labelledby="trend-heading" id="trend"><h2 id="trend-heading">${t("trendHeading")}</h2>
      <p class="hint">${t("trendIntro", { n: this.data?.stats.min_group ?? 5 })}</p>
      <figure class="chart trend-chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-labelledby="trend-title" focusable="false"><title id="trend-title">${t("trendCaption")}</title>${grid}${labels}${lines}</svg>
        <figcaption><ul class="inline-legend">${STRATEGIES.map((s) => html`<li>${shapeSvg(s, 14)} ${strategyName(s)}</li>`)}</ul>${t("trendCaption")}</figcaption></figure>
      <table class="utrecht-table utrecht-table--html-table data-table" id="trend-table"><caption>${t("trendTableCaption")}</caption>
        <thead><tr><th scope="col">${t("colQuarter")}</th><th scope="col" class="num">${t("colInitiatives")}</th>${STRATEGIES.map((s) => html`<th scope="col" class="num">${strategyName(s)}</th>`)}</tr></thead>
        <tbody>${rows}</tbody></table></section>`;
  }

  /** Choose several initiatives and move them to one status at once: all, or none. */
  private bulkHtml(matching: number): TemplateResult | "" {
    const n = this.selected.size;
    return html`<section class="bulk" aria-labelledby="bulk-heading"><h3 id="bulk-heading">${t("bulkHeading")}</h3>
      <p id="bulk-count" role="status">${t("bulkCount", { n })}</p>
      <div class="button-row">
        <button type="button" class="utrecht-button utrecht-button--secondary-action" id="bulk-all">${t("bulkAll", { n: matching })}</button>
        <button type="button" class="utrecht-button utrecht-button--secondary-action" id="bulk-none" ?disabled=${!n}>${t("bulkNone")}</button>
      </div>
      <form id="bulk-form" class="bulk-form" novalidate>
        <div class="field"><label for="bulk-status">${t("bulkTo")}</label><select id="bulk-status" class="utrecht-select utrecht-select--html-select">${STATUSES.map((st) => html`<option value="${st}">${statusText(st)}</option>`)}</select></div>
        <div class="field"><label for="bulk-reviewer">${t("reviewer")}</label><input id="bulk-reviewer" type="text" class="utrecht-textbox utrecht-textbox--html-input" maxlength="${getContent().limits.reviewer_chars}" autocomplete="name"/></div>
        <div class="field"><label for="bulk-note">${t("reviewNote")}</label><input id="bulk-note" type="text" class="utrecht-textbox utrecht-textbox--html-input" maxlength="${getContent().limits.note_chars}"/></div>
        <div class="field"><button type="submit" class="utrecht-button utrecht-button--primary-action" id="bulk-apply" aria-disabled=${n ? nothing : "true"}>${t("bulkApply", { n })}</button></div>
      </form>
      <p id="bulk-error" class="form-error" role="alert" hidden></p>
      <p id="bulk-message" class="notice" role="status" tabindex="-1" ?hidden=${!this.bulkMessage}>${this.bulkMessage?.() ?? ""}</p></section>`;
  }

  private wireBulk(region: HTMLElement) {
    const redraw = async (focus: string) => {
      await this.refreshTable(focus);
    };
    $$<HTMLInputElement>("[data-select]", region).forEach((box) =>
      box.addEventListener("change", () => {
        if (box.checked) this.selected.add(box.dataset.select!);
        else this.selected.delete(box.dataset.select!);
        $("#bulk-count", region).textContent = t("bulkCount", { n: this.selected.size });
        $("#bulk-apply", region).textContent = t("bulkApply", { n: this.selected.size });
        if (this.selected.size) $("#bulk-apply", region).removeAttribute("aria-disabled");
        else $("#bulk-apply", region).setAttribute("aria-disabled", "true");
        ($("#bulk-none", region) as HTMLButtonElement).disabled = !this.selected.size;
      }),
    );
    document.getElementById("bulk-all")?.addEventListener("click", async () => {
      if (!this.code) return;
      const ids = await api
        .matchingIds(this.code, this.query)
        .catch((e) => (showError(e), [] as string[]));
      ids.forEach((id) => this.selected.add(id));
      await redraw("#bulk-all");
    });
    document.getElementById("bulk-none")?.addEventListener("click", async () => {
      this.selected.clear();
      await redraw("#bulk-all");
    });
    document.getElementById("bulk-form")?.addEventListener("submit", async (e) => {
      e.preventDefault();
      const err = $("#bulk-error", region);
      if (!this.selected.size) {
        err.textContent = t("bulkNothing");
        err.hidden = false;
        return;
      }
      const to = ($("#bulk-status", region) as HTMLSelectElement).value as ReviewStatus;
      const reviewer = ($("#bulk-reviewer", region) as HTMLInputElement).value;
      const note = ($("#bulk-note", region) as HTMLInputElement).value;
      try {
        const moved = await api.addReviews([...this.selected], to, reviewer, note);
        this.selected.clear();
        const n = moved.length;
        // Said in the bulk section itself, where the clerk pressed the button.
        this.bulkMessage = () => t("bulkDone", { n, status: statusText(to) });
        await this.load();
        document.getElementById("bulk-message")?.focus();
      } catch (x) {
        // Nothing changed: the core moved none; the message says which one could not move.
        err.textContent = problemText(x);
        err.hidden = false;
        ($("#bulk-reviewer", region) as HTMLInputElement).focus();
      }
    });
  }

  /** Asks the core for the table page that `query` describes and redraws the table alone. */
  private async refreshTable(focus?: string) {
    if (!this.code) return;
    const request = ++this.tableRequest;
    const page = await api.municipalityRows(this.code, this.query);
    if (request !== this.tableRequest) return;
    this.page = page;
    this.query.offset = page.offset;
    const region = document.getElementById("table-region");
    if (!region) return;
    draw(region, this.tableHtml(currentLang()));
    this.wireTable();
    if (focus) region.querySelector<HTMLElement>(focus)?.focus();
  }

  private aggregatesTable(local: Stats, national: Stats, lang: "nl" | "en"): TemplateResult | "" {
    const cell = (s: { mean: number | null; sd: number | null; n: number } | undefined) =>
      s && s.mean !== null
        ? html`${formatScore(s.mean, lang)} <span class="meta">(sd ${formatScore(s.sd, lang)}, n ${s.n})</span>`
        : html`– <span class="meta">(n ${s?.n ?? 0})</span>`;
    const row = (id: string, label: string, strong: boolean) =>
      html`<tr class="${strong ? "row-strong" : ""}"><th scope="row">${label}</th><td class="num">${cell(strong ? local.strategies[id] : local.lessons[id])}</td><td class="num">${cell(strong ? national.strategies[id] : national.lessons[id])}</td></tr>`;
    return html`<table class="utrecht-table utrecht-table--html-table data-table" id="aggregates"><thead><tr><th scope="col">${t("colPart")}</th><th scope="col" class="num">${t("colMunicipalityMean")}</th><th scope="col" class="num">${t("colNationalMean")}</th></tr></thead><tbody>
      ${STRATEGIES.map((s) => [
        row(s, strategyName(s), true),
        ...getContent()
          .lessons.lessons.filter((l) => l.strategy === s)
          .map((l) => row(l.id, l.title[lang], false)),
      ])}</tbody></table>`;
  }

  /** Opens an initiative beside the list: what it is (description, place, source, the latest
   * check's scores, notes and plan), its review timeline and the review form. `focus` says where
   * the focus goes: the panel's heading (opened by the clerk), its message (after a review) or
   * nowhere (redrawn after a language switch). */
  private async openReview(id: string, focus: "heading" | "message" | null = "heading") {
    const row: MapPoint | undefined = this.data?.points.find((p) => p.id === id);
    if (!row) return;
    if (this.reviewing !== id) this.reviewMessage = null;
    this.reviewing = id;
    const [log, history, source] = await Promise.all([
      api.reviews(id),
      api.history(id),
      api.initiativeSource(id),
    ]);
    if (this.reviewing !== id) return; // another one was opened meanwhile
    const lang = currentLang();
    const panel = $("#review-panel", this.root);
    panel.hidden = false;
    this.keepInPlace(this.openerButton(id), () =>
      $("#review-layout", this.root).classList.add("is-reviewing"),
    );
    this.markOpen(id);
    draw(
      panel,
      html`<div class="review-panel-head"><h2 id="review-heading" tabindex="-1">${t("reviewOf", { name: row.name })}</h2>
        <button type="button" class="utrecht-button utrecht-button--secondary-action" id="review-close" aria-label="${t("reviewCloseLabel", { name: row.name })}">${t("reviewClose")}</button></div>
      <p>${t("currentStatus")}: <strong class="status status-${row.status}" id="current-status">${statusText(row.status)}</strong></p>
      ${reviewDetailHtml(history, sourceText(source, lang))}
      <form id="review-form" class="form" novalidate aria-labelledby="review-form-heading">
        <h3 id="review-form-heading">${t("reviewFormHeading")}</h3>
        <div class="field"><label for="review-to">${t("newStatus")}</label><select id="review-to" class="utrecht-select utrecht-select--html-select">${row.next.map((s) => html`<option value="${s}">${statusText(s)}</option>`)}</select></div>
        <div class="field"><label for="review-by">${t("reviewer")}</label><input id="review-by" type="text" maxlength="${getContent().limits.reviewer_chars}" class="utrecht-textbox utrecht-textbox--html-input" autocomplete="name"/></div>
        <div class="field"><label for="review-note">${t("reviewNote")}</label><textarea id="review-note" rows="2" maxlength="${getContent().limits.note_chars}" class="utrecht-textarea utrecht-textarea--html-textarea"></textarea></div>
        <p id="review-error" class="form-error" role="alert" hidden></p>
        <div class="actions"><button type="submit" class="utrecht-button utrecht-button--primary-action" id="review-save">${t("saveReview")}</button></div>
        <p id="review-message" class="notice" role="status" tabindex="-1" ?hidden=${!this.reviewMessage}>${this.reviewMessage?.() ?? ""}</p>
      </form>
      <h3>${t("timeline")}</h3>
      ${log.length ? html`<ol class="timeline" id="review-timeline">${log.map((e) => html`<li><span class="meta">${formatDate(e.created_at, lang)}</span> ${statusText(e.from)} → <strong>${statusText(e.to)}</strong> · ${e.reviewer}${e.note ? html`<p>${e.note}</p>` : ""}</li>`)}</ol>` : html`<p id="review-timeline-empty">${t("timelineEmpty")}</p>`}
      <details class="erase" id="erase-details"><summary>${t("eraseSummary")}</summary>
        <p id="erase-explain">${t("eraseExplain")}</p>
        <form id="erase-form" class="form" novalidate>
          <div class="field"><label for="erase-reason">${t("eraseReason")}</label><textarea id="erase-reason" rows="2" maxlength="${getContent().limits.erasure_reason_chars}" class="utrecht-textarea utrecht-textarea--html-textarea" aria-describedby="erase-explain"></textarea></div>
          <p id="erase-error" class="form-error" role="alert" hidden></p>
          <div class="actions"><button type="submit" class="utrecht-button utrecht-button--secondary-action" id="erase-confirm">${t("eraseButton", { name: row.name })}</button></div>
        </form>
      </details>`,
    );
    panel.scrollTop = 0;
    // The panel is beside the list and already in view: focusing it must not scroll the page.
    if (focus)
      $(focus === "heading" ? "#review-heading" : "#review-message", panel).focus({
        preventScroll: focus === "heading",
      });
    this.bindErase(panel, id, row.name);
    $("#review-close", panel).addEventListener("click", () => this.closeReview());
    panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && this.reviewing === id) this.closeReview();
    });
    this.bindReviewForm(panel, id, row.name);
  }

  /** The button in the list that opened (or would open) the review of `id`. */
  private openerButton(id: string | null): HTMLElement | null {
    const list = this.opener === "queue" ? "#review-queue" : "#table-region";
    return id ? document.querySelector<HTMLElement>(`${list} [data-review="${id}"]`) : null;
  }

  /** Changes the layout (the panel opens or closes beside the lists, which then reflow) and
   * scrolls the page so that `anchor` stays where the clerk saw it. */
  private keepInPlace(anchor: HTMLElement | null, change: () => void) {
    const before = anchor?.getBoundingClientRect().top;
    change();
    const page = this.root.closest<HTMLElement>(".page-view") ?? this.root;
    if (anchor && before !== undefined)
      page.scrollTop += anchor.getBoundingClientRect().top - before;
  }

  /** Marks the open initiative in the queue and the table (a second cue besides the panel). */
  private markOpen(id: string | null) {
    $$<HTMLElement>("[data-review]", this.root).forEach((b) => {
      if (b.dataset.review === id) b.setAttribute("aria-current", "true");
      else b.removeAttribute("aria-current");
    });
    $$<HTMLElement>("[data-initiative-row]", this.root).forEach((r) =>
      r.classList.toggle("row-reviewing", r.dataset.initiativeRow === id),
    );
  }

  /** Closes the panel; the focus goes back to what opened it. */
  private closeReview() {
    const id = this.reviewing;
    if (!id) return;
    this.reviewing = null;
    this.reviewMessage = null;
    const panel = $("#review-panel", this.root);
    const back = this.openerButton(id);
    this.keepInPlace(back, () => {
      panel.hidden = true;
      draw(panel, nothing);
      $("#review-layout", this.root).classList.remove("is-reviewing");
    });
    this.markOpen(null);
    (back ?? $("#table-heading", this.root)).focus();
  }

  private bindReviewForm(panel: HTMLElement, id: string, name: string) {
    $("#review-form", panel).addEventListener("submit", async (e) => {
      e.preventDefault();
      const by = $<HTMLInputElement>("#review-by", panel).value.trim();
      const err = $("#review-error", panel);
      if (!by) {
        err.textContent = t("reviewerMissing");
        err.hidden = false;
        $<HTMLInputElement>("#review-by", panel).focus();
        return;
      }
      try {
        const to = $<HTMLSelectElement>("#review-to", panel).value as ReviewStatus;
        await api.addReview(id, to, by, $<HTMLTextAreaElement>("#review-note", panel).value);
        // Said in the panel, by the button the clerk pressed.
        this.reviewMessage = () => t("reviewSaved", { name, status: statusText(to) });
        await this.load(); // re-renders, and re-opens this panel
        await this.panelReady;
        document.getElementById("review-message")?.focus();
      } catch (x) {
        err.textContent = problemText(x);
        err.hidden = false;
      }
    });
  }

  /** Erases the initiative under review everywhere, once a reason is given. */
  private bindErase(panel: HTMLElement, id: string, name: string) {
    $("#erase-form", panel).addEventListener("submit", async (e) => {
      e.preventDefault();
      const reason = $<HTMLTextAreaElement>("#erase-reason", panel);
      const err = $("#erase-error", panel);
      if (!reason.value.trim()) {
        err.textContent = t("eraseReasonMissing");
        err.hidden = false;
        reason.focus();
        return;
      }
      try {
        await api.erase(id, reason.value);
        this.reviewing = null;
        // The panel closes with it: the word goes above the table, where the focus goes.
        this.message = () => t("eraseDone", { name });
        await this.load();
        $("#municipality-message", this.root).focus();
      } catch (x) {
        err.textContent = problemText(x);
        err.hidden = false;
      }
    });
  }

  /** Shows a message in the status line under the toolbar (kept across re-renders, and said
   * again in the new language after a switch). */
  private say(said: Said) {
    this.message = said;
    const msg = $("#municipality-message", this.root);
    msg.hidden = false;
    draw(msg, said());
  }

  private async importFile(file: File) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const msg = $("#municipality-message", this.root);
    msg.hidden = false;
    msg.textContent = t("importing");
    const stop = await api.onImportProgress(
      (p) => (msg.textContent = t("importProgress", { done: p.done, total: p.total })),
    );
    try {
      const s = await api.importBundle(bytes, file.name);
      this.message = () => fileResultHtml(file.name, s);
    } catch (e) {
      this.message = () =>
        html`<p>${t("importRejected")}</p><ul class="result-list" id="import-result"><li class="refused">${t("importFileRefused", { file: file.name, reason: problemText(e) })}</li></ul>`;
    } finally {
      stop();
    }
    await this.load();
    $("#municipality-message", this.root).focus();
  }

  /** Every bundle in a folder, each file on its own: the message lists what became of each. */
  private async importFolder() {
    const msg = $("#municipality-message", this.root);
    const stop = await api.onFolderProgress((p) => {
      msg.hidden = false;
      msg.textContent =
        p.file < p.files
          ? t("importFolderProgress", {
              file: p.file + 1,
              files: p.files,
              done: p.done,
              total: p.total,
            })
          : t("importing");
    });
    try {
      const s = await api.importFolder();
      if (!s) return;
      this.message = () => folderResultHtml(s);
    } catch (e) {
      this.message = () => `${t("importRejected")} ${problemText(e)}`;
    } finally {
      stop();
    }
    await this.load();
    $("#municipality-message", this.root).focus();
  }

  private wireTable() {
    const region = document.getElementById("table-region");
    if (!region) return;
    this.wireBulk(region);
    $$<HTMLButtonElement>("[data-sort]", region).forEach((b) =>
      b.addEventListener("click", () => {
        const key = b.dataset.sort as RowSort;
        this.query = {
          ...this.query,
          sort: key,
          descending: this.query.sort === key ? !this.query.descending : false,
          offset: 0,
        };
        this.refreshTable(`[data-sort="${key}"]`).catch(showError);
      }),
    );
    $$<HTMLButtonElement>(".pager [data-offset]", region).forEach((b) =>
      b.addEventListener("click", () => {
        // A new page is read from its top: focus (and the view) go to the line saying which rows these are.
        this.query = { ...this.query, offset: Number(b.dataset.offset) };
        this.refreshTable("#page-range")
          // "nearest": only the scrolling area moves, never the page under the fixed header.
          .then(() => document.getElementById("page-range")?.scrollIntoView({ block: "nearest" }))
          .catch(showError);
      }),
    );
    $$<HTMLButtonElement>("[data-review]", region).forEach((b) =>
      b.addEventListener("click", () => {
        this.opener = "table";
        this.openReview(b.dataset.review!).catch(showError);
      }),
    );
  }

  private wire() {
    $("#municipality-select", this.root).addEventListener("change", (e) => {
      const code = (e.target as HTMLSelectElement).value || null;
      this.message = null;
      this.bulkMessage = null;
      this.reviewing = null;
      location.hash = code ? `#gemeente/${code}` : "#gemeente";
    });
    $("#import-folder", this.root).addEventListener("click", () =>
      this.importFolder().catch(showError),
    );
    $<HTMLInputElement>("#import-file", this.root).addEventListener("change", (e) => {
      const f = (e.target as HTMLInputElement).files?.[0];
      // The page's own words for the chosen file: WebKit's file button speaks the system's language.
      $("#import-file-name", this.root).textContent = f ? f.name : t("noFileChosen");
      if (f) this.importFile(f).catch(showError);
    });
    $$<HTMLButtonElement>("[data-export]", this.root).forEach((b) =>
      b.addEventListener("click", async () => {
        const path = await api
          .exportFile(b.dataset.export as ExportFormat, this.code, currentLang())
          .catch((e) => {
            showError(e);
            return null;
          });
        if (path) this.say(() => t("exported", { path }));
      }),
    );
    document.getElementById("municipality-pdf")?.addEventListener("click", async () => {
      const path = await api.saveMunicipalityReport(this.code!, currentLang()).catch((e) => {
        showError(e);
        return null;
      });
      if (path) this.say(() => t("exported", { path }));
    });
    document.getElementById("row-filter")?.addEventListener("input", (e) => {
      this.query = { ...this.query, text: (e.target as HTMLInputElement).value, offset: 0 };
      window.clearTimeout(this.filterTimer);
      this.filterTimer = window.setTimeout(
        () => this.refreshTable().catch(showError),
        FILTER_DELAY_MS,
      );
    });
    document.getElementById("wijk-filter")?.addEventListener("change", (e) => {
      const value = (e.target as HTMLSelectElement).value;
      this.query = { ...this.query, wijk: value === "*" ? null : value, offset: 0 };
      this.refreshTable().catch(showError);
    });
    document.getElementById("source-filter")?.addEventListener("change", (e) => {
      const value = (e.target as HTMLSelectElement).value;
      this.query = { ...this.query, source: value === "*" ? null : value, offset: 0 };
      this.refreshTable().catch(showError);
    });
    document.getElementById("colour-by")?.addEventListener("change", (e) => {
      this.colourBy = (e.target as HTMLSelectElement).value as ColourBy;
      const d = this.data;
      if (!d) return;
      $("#wijk-legend-items", this.root).replaceWith(
        fragmentOf(this.legendHtml(d.wijken, currentLang())),
      );
      this.drawWijken(d).catch(showError);
    });
    document.getElementById("status-filter")?.addEventListener("change", (e) => {
      this.query = {
        ...this.query,
        status: ((e.target as HTMLSelectElement).value || null) as ReviewStatus | null,
        offset: 0,
      };
      this.refreshTable().catch(showError);
    });
    $$<HTMLButtonElement>("#review-queue [data-review]", this.root).forEach((b) =>
      b.addEventListener("click", () => {
        this.opener = "queue";
        this.openReview(b.dataset.review!).catch(showError);
      }),
    );
    this.wireTable();
    this.panelReady = this.reviewing
      ? this.openReview(this.reviewing, null).catch(showError)
      : Promise.resolve();
  }
}

/** One file's import in a short list: what was refused first, then what came in. */
function fileResultHtml(file: string, s: ImportSummary): TemplateResult {
  const items = [
    s.conflicts.length
      ? html`<li class="refused">${t("importConflicts", { n: s.conflicts.length })}</li>`
      : "",
    html`<li>${t("importAdded", { n: s.added })}</li>`,
    s.skipped ? html`<li>${t("importPresent", { n: s.skipped })}</li>` : "",
  ];
  return html`<p>${t("importFileDone", { file })}</p><ul class="result-list" id="import-result">${items}</ul>`;
}

/** A folder's import in a short list: the refused files first (each with why), then what was
 * left alone, then what came in. */
function folderResultHtml(s: FolderSummary): TemplateResult {
  const imported = s.files.filter((f) => f.result === "imported").length;
  const present = s.files.filter((f) => f.result === "already_present").length;
  const refused = s.files
    .filter((f) => f.result === "rejected")
    .map(
      (f) =>
        html`<li class="refused">${t("importFileRefused", { file: f.file, reason: f.problem ? problemText(f.problem) : "" })}</li>`,
    );
  const ignored = IGNORED_REASONS.flatMap(([reason, key]) => {
    const names = s.ignored.filter((i) => i.reason === reason).map((i) => i.name);
    return names.length ? [html`<li>${t(key, { files: names.join(", ") })}</li>`] : [];
  });
  const done = [
    s.conflicts ? html`<li class="refused">${t("importConflicts", { n: s.conflicts })}</li>` : "",
    html`<li>${t("importFolderImported", { n: imported, added: s.added })}</li>`,
    present ? html`<li>${t("importFolderPresent", { n: present })}</li>` : "",
    s.figures_later ? html`<li>${problemText(s.figures_later)}</li>` : "",
  ];
  return html`<p>${t("importFolderHead", { files: s.files.length, refused: s.rejected })}</p><ul class="result-list" id="import-result">${refused}${ignored}${done}</ul>`;
}
