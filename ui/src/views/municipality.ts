// Gemeente: one municipality's initiatives on a map and in a sortable, filterable table with their
// latest scores; aggregates against the whole database; the review workflow with its timeline;
// import of bundles from community-centre machines and exports.
import { api } from "../api";
import type { Area } from "../bindings/Area";
import type { InitiativeRow } from "../bindings/InitiativeRow";
import type { MunicipalityOverview } from "../bindings/MunicipalityOverview";
import type { ReviewStatus } from "../bindings/ReviewStatus";
import type { Stats } from "../bindings/Stats";
import type { Strategy } from "../bindings/Strategy";
import { getContent, lessonById, showError, strategyName, type View } from "../app";
import { $, $$, esc, formatDate, formatScore } from "../dom";
import { currentLang, t, type MessageKey } from "../i18n";
import { createAreaMap, shapeSvg, type AreaMap } from "../map";

/** The review queue names the first few; a large city finds the rest by the table's status filter. */
const QUEUE_SHOWN = 10;

const STRATEGIES: Strategy[] = ["bonding", "bridging", "linking"];
const STATUSES: ReviewStatus[] = ["new", "in_review", "needs_info", "published", "archived"];
const NEXT: Record<ReviewStatus, ReviewStatus[]> = {
  new: ["in_review"],
  in_review: ["published", "needs_info", "archived"],
  needs_info: ["in_review"],
  published: ["archived"],
  archived: ["in_review"],
};
type SortKey = "name" | "checks" | "latest" | Strategy | "status";

const statusText = (s: ReviewStatus) => t(`status_${s}` as MessageKey);

export class MunicipalityView implements View {
  private list: Area[] = [];
  private code: string | null = null;
  private data: MunicipalityOverview | null = null;
  private map: AreaMap | null = null;
  private sort: { key: SortKey; asc: boolean } = { key: "name", asc: true };
  private statusFilter: ReviewStatus | "" = "";
  private text = "";
  private reviewing: string | null = null;
  private message = "";

  constructor(private root: HTMLElement) {}

  async enter(code: string | null) {
    if (!this.list.length) this.list = await api.municipalities();
    if (code) this.code = code;
    await this.load();
  }

  private async load() {
    this.data = this.code ? await api.municipalityOverview(this.code) : null;
    this.render();
  }

  render() {
    const lang = currentLang();
    const d = this.data;
    const options = this.list
      .map((m) => `<option value="${esc(m.code)}" ${m.code === this.code ? "selected" : ""}>${esc(m.name)}</option>`)
      .join("");
    this.root.innerHTML = `<div class="page page-wide">
      <h1>${esc(d ? t("municipalityHeading", { name: d.municipality.name }) : t("navMunicipality"))}</h1>
      <div class="toolbar">
        <div class="field"><label for="municipality-select">${esc(t("chooseMunicipality"))}</label>
          <select id="municipality-select" class="utrecht-select utrecht-select--html-select"><option value="">${esc(t("chooseMunicipalityNone"))}</option>${options}</select></div>
        <div class="field"><label for="import-file">${esc(t("importLabel"))}</label>
          <input id="import-file" type="file" accept=".json,application/json" class="file-input"/></div>
        <div class="field export-field"><span class="label-like" id="export-label">${esc(t("exportLabel"))}</span>
          <div class="button-row" role="group" aria-labelledby="export-label">
            ${(["bundle", "csv", "geojson"] as const).map((f) => `<button type="button" class="utrecht-button utrecht-button--secondary-action" data-export="${f}">${esc(t(`export_${f}` as MessageKey))}</button>`).join("")}
            ${this.code ? `<button type="button" class="utrecht-button utrecht-button--secondary-action" id="municipality-pdf">${esc(t("export_report"))}</button>` : ""}
          </div></div>
      </div>
      <p id="municipality-message" class="notice" role="status" aria-live="polite" ${this.message ? "" : "hidden"}>${esc(this.message)}</p>
      ${d ? this.overviewHtml(d, lang) : `<p>${esc(t("municipalityIntro"))}</p><p class="hint">${esc(t("pickOnMap"))}</p><div id="area-map" class="area-map" role="region" aria-label="${esc(t("pickOnMap"))}"></div>`}
    </div>`;
    this.wire();
    this.map = createAreaMap($("#area-map", this.root), getContent().basemap);
    this.map.onPick(async (lat, lon) => {
      const where = await api.locate(lat, lon).catch(() => null);
      if (where?.municipality && where.municipality.code !== this.code) location.hash = `#gemeente/${where.municipality.code}`;
    });
    if (!d) this.map.show("", []);
    if (d) {
      this.map.onSelect((id) => this.openReview(id));
      this.map.show(
        d.municipality.code,
        d.rows.map((r) => ({
          id: r.initiative.id,
          lat: r.initiative.lat,
          lon: r.initiative.lon,
          shape: r.weakest_strategy ?? "unclassified",
          label: `${r.initiative.name}. ${t("weakestIs", { strategy: r.weakest_strategy ? strategyName(r.weakest_strategy) : t("noAnswer") })}. ${statusText(r.status)}`,
        })),
      );
    }
  }

  private rows(d: MunicipalityOverview): InitiativeRow[] {
    const words = this.text.toLowerCase().split(/\s+/).filter(Boolean);
    const rows = d.rows.filter(
      (r) => (!this.statusFilter || r.status === this.statusFilter) && words.every((w) => r.initiative.name.toLowerCase().includes(w)),
    );
    const value = (r: InitiativeRow): string | number => {
      const k = this.sort.key;
      if (k === "name") return r.initiative.name.toLowerCase();
      if (k === "checks") return r.checks;
      if (k === "latest") return r.latest_at ?? "";
      if (k === "status") return STATUSES.indexOf(r.status);
      return r.scores[k] ?? -1;
    };
    return rows.sort((a, b) => {
      const [x, y] = [value(a), value(b)];
      return (x < y ? -1 : x > y ? 1 : 0) * (this.sort.asc ? 1 : -1);
    });
  }

  private overviewHtml(d: MunicipalityOverview, lang: "nl" | "en"): string {
    const queue = d.rows.filter((r) => r.status === "new" || r.status === "in_review");
    const th = (key: SortKey, label: string, num = false) => {
      const sorted = this.sort.key === key;
      const aria = sorted ? `aria-sort="${this.sort.asc ? "ascending" : "descending"}"` : "";
      return `<th scope="col" ${aria} class="${num ? "num" : ""}"><button type="button" class="sort-button" data-sort="${key}">${esc(label)}<span aria-hidden="true">${sorted ? (this.sort.asc ? " ▲" : " ▼") : ""}</span></button></th>`;
    };
    const rows = this.rows(d)
      .map(
        (r) => `<tr data-initiative-row="${esc(r.initiative.id)}"><th scope="row">${esc(r.initiative.name)}</th><td class="num">${r.checks}</td>
        <td>${r.latest_at ? esc(formatDate(r.latest_at, lang)) : ""}</td>
        ${STRATEGIES.map((s) => `<td class="num">${formatScore(r.scores[s], lang)}</td>`).join("")}
        <td><span class="status status-${r.status}">${esc(statusText(r.status))}</span></td>
        <td><button type="button" class="link-like" data-review="${esc(r.initiative.id)}" aria-label="${esc(t("reviewButton", { name: r.initiative.name }))}">${esc(t("review"))}</button></td></tr>`,
      )
      .join("");
    return `
      ${queue.length ? `<section class="queue" aria-labelledby="queue-heading" id="review-queue"><h2 id="queue-heading">${esc(t("queueHeading", { n: queue.length }))}</h2>
        <ul>${queue.slice(0, QUEUE_SHOWN).map((r) => `<li><button type="button" class="link-like" data-review="${esc(r.initiative.id)}">${esc(r.initiative.name)}</button> — ${esc(statusText(r.status))}</li>`).join("")}</ul>${queue.length > QUEUE_SHOWN ? `<p id="queue-more">${esc(t("queueMore", { n: queue.length - QUEUE_SHOWN }))}</p>` : ""}</section>` : `<p class="notice" id="queue-empty">${esc(t("queueEmpty"))}</p>`}
      <div class="municipality-grid">
        <section aria-labelledby="area-map-heading"><h2 id="area-map-heading">${esc(t("mapOfMunicipality"))}</h2>
          <div id="area-map" class="area-map" role="region" aria-label="${esc(t("mapOfMunicipality"))}"></div>
          <div class="legend legend-static" aria-hidden="true"><strong>${esc(t("legendWeakest"))}</strong><ul>${STRATEGIES.map((s) => `<li>${shapeSvg(s, 16)} ${esc(strategyName(s))}</li>`).join("")}<li>${shapeSvg("unclassified", 16)} ${esc(t("noAnswer"))}</li></ul></div>
        </section>
        <section aria-labelledby="aggregates-heading"><h2 id="aggregates-heading">${esc(t("aggregatesHeading"))}</h2>
          <p>${esc(t("aggregatesCounts", { initiatives: d.stats.initiatives, checks: d.stats.checks }))}</p>
          ${d.stats.initiatives < d.stats.min_group ? `<p class="notice" id="small-group-note">${esc(t("smallGroup", { n: d.stats.min_group }))}</p>` : ""}
          ${this.aggregatesTable(d.stats, d.national, lang)}
          ${d.stats.weakest_lessons.length ? `<h3>${esc(t("mostOftenWeakest"))}</h3><ol>${d.stats.weakest_lessons.slice(0, 3).map((w) => `<li>${esc(lessonById(w.lesson)?.title[lang] ?? w.lesson)} (${w.count}×)</li>`).join("")}</ol>` : ""}
        </section>
      </div>
      <section aria-labelledby="table-heading"><h2 id="table-heading">${esc(t("initiativesInMunicipality"))}</h2>
        <div class="table-tools">
          <div class="field"><label for="row-filter">${esc(t("filterText"))}</label><input id="row-filter" type="search" class="utrecht-textbox utrecht-textbox--html-input" value="${esc(this.text)}"/></div>
          <div class="field"><label for="status-filter">${esc(t("filterStatus"))}</label><select id="status-filter" class="utrecht-select utrecht-select--html-select"><option value="">${esc(t("allStatuses"))}</option>${STATUSES.map((s) => `<option value="${s}" ${s === this.statusFilter ? "selected" : ""}>${esc(statusText(s))}</option>`).join("")}</select></div>
        </div>
        ${d.rows.length ? `<table class="utrecht-table utrecht-table--html-table data-table" id="municipality-table"><thead><tr>${th("name", t("colName"))}${th("checks", t("colChecks"), true)}${th("latest", t("colLatest"))}${STRATEGIES.map((s) => th(s, strategyName(s), true)).join("")}${th("status", t("colStatus"))}<th scope="col"><span class="visually-hidden">${esc(t("review"))}</span></th></tr></thead><tbody>${rows}</tbody></table>` : `<p id="no-initiatives">${esc(t("noInitiativesHere"))}</p>`}
      </section>
      <section id="review-panel" aria-labelledby="review-heading" ${this.reviewing ? "" : "hidden"}></section>`;
  }

  private aggregatesTable(local: Stats, national: Stats, lang: "nl" | "en"): string {
    const cell = (s: { mean: number | null; sd: number | null; n: number } | undefined) =>
      s && s.mean !== null ? `${formatScore(s.mean, lang)} <span class="meta">(sd ${formatScore(s.sd, lang)}, n ${s.n})</span>` : `– <span class="meta">(n ${s?.n ?? 0})</span>`;
    const row = (id: string, label: string, strong: boolean) =>
      `<tr class="${strong ? "row-strong" : ""}"><th scope="row">${esc(label)}</th><td class="num">${cell(strong ? local.strategies[id] : local.lessons[id])}</td><td class="num">${cell(strong ? national.strategies[id] : national.lessons[id])}</td></tr>`;
    return `<table class="utrecht-table utrecht-table--html-table data-table" id="aggregates"><thead><tr><th scope="col">${esc(t("colPart"))}</th><th scope="col" class="num">${esc(t("colMunicipalityMean"))}</th><th scope="col" class="num">${esc(t("colNationalMean"))}</th></tr></thead><tbody>
      ${STRATEGIES.map((s) => row(s, strategyName(s), true) + getContent().lessons.lessons.filter((l) => l.strategy === s).map((l) => row(l.id, l.title[lang], false)).join("")).join("")}</tbody></table>`;
  }

  private async openReview(id: string, focus = true) {
    this.reviewing = id;
    const panel = $("#review-panel", this.root);
    const row = this.data?.rows.find((r) => r.initiative.id === id);
    if (!row) return;
    const lang = currentLang();
    const log = await api.reviews(id);
    panel.hidden = false;
    panel.innerHTML = `<h2 id="review-heading" tabindex="-1">${esc(t("reviewOf", { name: row.initiative.name }))}</h2>
      <p>${esc(t("currentStatus"))}: <strong class="status status-${row.status}" id="current-status">${esc(statusText(row.status))}</strong></p>
      <h3>${esc(t("timeline"))}</h3>
      ${log.length ? `<ol class="timeline" id="review-timeline">${log.map((e) => `<li><span class="meta">${esc(formatDate(e.created_at, lang))}</span> ${esc(statusText(e.from))} → <strong>${esc(statusText(e.to))}</strong> · ${esc(e.reviewer)}${e.note ? `<p>${esc(e.note)}</p>` : ""}</li>`).join("")}</ol>` : `<p id="review-timeline-empty">${esc(t("timelineEmpty"))}</p>`}
      <form id="review-form" class="form" novalidate>
        <div class="field"><label for="review-to">${esc(t("newStatus"))}</label><select id="review-to" class="utrecht-select utrecht-select--html-select">${NEXT[row.status].map((s) => `<option value="${s}">${esc(statusText(s))}</option>`).join("")}</select></div>
        <div class="field"><label for="review-by">${esc(t("reviewer"))}</label><input id="review-by" type="text" maxlength="100" class="utrecht-textbox utrecht-textbox--html-input" autocomplete="name"/></div>
        <div class="field"><label for="review-note">${esc(t("reviewNote"))}</label><textarea id="review-note" rows="2" maxlength="2000" class="utrecht-textarea utrecht-textarea--html-textarea"></textarea></div>
        <p id="review-error" class="form-error" role="alert" hidden></p>
        <div class="actions"><button type="submit" class="utrecht-button utrecht-button--primary-action" id="review-save">${esc(t("saveReview"))}</button></div>
      </form>`;
    if (focus) $("#review-heading", panel).focus();
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
        await api.addReview(id, $<HTMLSelectElement>("#review-to", panel).value as ReviewStatus, by, $<HTMLTextAreaElement>("#review-note", panel).value);
        await this.load(); // re-renders, and re-opens this panel
        $("#review-heading", this.root).focus();
      } catch (x) {
        err.textContent = String(x);
        err.hidden = false;
      }
    });
  }

  /** Shows a message in the status line (kept across re-renders). */
  private say(text: string) {
    this.message = text;
    const msg = $("#municipality-message", this.root);
    msg.hidden = false;
    msg.textContent = text;
  }

  private async importFile(file: File) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const msg = $("#municipality-message", this.root);
    msg.hidden = false;
    msg.textContent = t("importing");
    const stop = await api.onImportProgress((p) => (msg.textContent = t("importProgress", { done: p.done, total: p.total })));
    try {
      const s = await api.importBundle(bytes);
      this.message = t("importDone", { added: s.added, skipped: s.skipped, conflicts: s.conflicts.length });
    } catch (e) {
      this.message = `${t("importRejected")} ${String(e)}`;
    } finally {
      stop();
    }
    await this.load();
  }

  private wire() {
    $("#municipality-select", this.root).addEventListener("change", (e) => {
      const code = (e.target as HTMLSelectElement).value || null;
      this.message = "";
      this.reviewing = null;
      location.hash = code ? `#gemeente/${code}` : "#gemeente";
    });
    $<HTMLInputElement>("#import-file", this.root).addEventListener("change", (e) => {
      const f = (e.target as HTMLInputElement).files?.[0];
      if (f) this.importFile(f).catch(showError);
    });
    $$<HTMLButtonElement>("[data-export]", this.root).forEach((b) =>
      b.addEventListener("click", async () => {
        const path = await api.exportFile(b.dataset.export as "bundle" | "csv" | "geojson", this.code).catch((e) => {
          showError(e);
          return null;
        });
        if (path) this.say(t("exported", { path }));
      }),
    );
    document.getElementById("municipality-pdf")?.addEventListener("click", async () => {
      const path = await api.saveMunicipalityReport(this.code!, currentLang()).catch((e) => {
        showError(e);
        return null;
      });
      if (path) this.say(t("exported", { path }));
    });
    $$<HTMLButtonElement>("[data-sort]", this.root).forEach((b) =>
      b.addEventListener("click", () => {
        const key = b.dataset.sort as SortKey;
        this.sort = { key, asc: this.sort.key === key ? !this.sort.asc : true };
        this.render();
        $(`[data-sort="${key}"]`, this.root).focus();
      }),
    );
    document.getElementById("row-filter")?.addEventListener("input", (e) => {
      this.text = (e.target as HTMLInputElement).value;
      this.render();
      const f = $<HTMLInputElement>("#row-filter", this.root);
      f.focus();
      f.setSelectionRange(f.value.length, f.value.length);
    });
    document.getElementById("status-filter")?.addEventListener("change", (e) => {
      this.statusFilter = (e.target as HTMLSelectElement).value as ReviewStatus | "";
      this.render();
      $("#status-filter", this.root).focus();
    });
    $$<HTMLButtonElement>("[data-review]", this.root).forEach((b) => b.addEventListener("click", () => this.openReview(b.dataset.review!).catch(showError)));
    if (this.reviewing) this.openReview(this.reviewing, false).catch(showError);
  }
}
