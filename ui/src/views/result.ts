// A self-check's result, words first: the core's two or three sentences, what changed since last
// time, the tips for every role that answered, the scores in bands, and only then, one click
// away, the chart (SVG made by the core) and the exact figures. Then the statements nobody
// answered, the conversation and cases to learn from. Used right after saving and from history.
import type { Advice } from "../bindings/Advice";
import type { Band } from "../bindings/Band";
import type { Banded } from "../bindings/Banded";
import type { CheckResult } from "../bindings/CheckResult";
import type { Strategy } from "../bindings/Strategy";
import { api } from "../api";
import { caseById, caseName, getContent, lessonById, strategyName } from "../app";
import { html, type TemplateResult } from "lit-html";
import { formatDate, formatScore, svgFromCore } from "../dom";
import { currentLang, t, type MessageKey } from "../i18n";
import { conversationHtml, groupSpreadHtml } from "./group";

const STRATEGIES: Strategy[] = ["bonding", "bridging", "linking"];

function sortedRows(rows: { label: string; score: number | null }[]): TemplateResult[] {
  const lang = currentLang();
  return [...rows]
    .sort((a, b) => (b.score ?? -1) - (a.score ?? -1))
    .map(
      (r) =>
        html`<tr><th scope="row">${r.label}</th><td class="num">${r.score === null ? t("noAnswer") : formatScore(r.score, lang)}</td></tr>`,
    );
}

/** A band as its word in a pill (the word carries the meaning; the colour only echoes it). */
export function bandHtml(band: Band | null) {
  return band
    ? html`<span class="band band-${band}">${t(`band_${band}` as MessageKey)}</span>`
    : html`<span class="band">${t("noAnswer")}</span>`;
}

/** Per strategy its band, with its three lessons' bands under it. */
function bandsHtml(r: CheckResult, lessonTitle: (id: string) => string): TemplateResult {
  const lessonsOf = (s: Strategy): Banded[] =>
    r.bands.lessons.filter((l) => lessonById(l.id)?.strategy === s);
  const group = r.respondents > 1;
  return html`<section aria-labelledby="bands-heading" id="bands"><h2 id="bands-heading">${t(group ? "bandsHeadingGroup" : "bandsHeading")}</h2>
    <p class="meta" id="band-rule">${t("bandRule")}</p>
    <ul class="band-list">${r.bands.strategies.map(
      (s) =>
        html`<li data-band-of="${s.id}"><strong>${strategyName(s.id as Strategy)}</strong>: ${bandHtml(s.band)}
        <ul>${lessonsOf(s.id as Strategy).map((l) => html`<li data-band-of="${l.id}">${lessonTitle(l.id)}: ${bandHtml(l.band)}</li>`)}</ul></li>`,
    )}</ul></section>`;
}

/** The tips per weakest lesson; a group's for every role among its members. */
function tipsHtml(r: CheckResult, lessonTitle: (id: string) => string): TemplateResult {
  const group = r.respondents > 1;
  const byLesson = new Map<string, Advice[]>();
  for (const a of r.advice) byLesson.set(a.lesson, [...(byLesson.get(a.lesson) ?? []), a]);
  const band = (id: string) => r.bands.lessons.find((l) => l.id === id)?.band ?? null;
  const heading = group
    ? t("growthHeadingGroup", {
        roles: r.tip_roles.map((role) => t(`rolePlural_${role}` as MessageKey)).join(t("and")),
      })
    : t("growthHeading", { role: t(`roleNoun_${r.role}` as MessageKey) });
  const tips = byLesson.size
    ? html`<ol class="tips">${[...byLesson].map(
        ([lesson, tips]) =>
          html`<li><h3>${lessonTitle(lesson)} ${bandHtml(band(lesson))}</h3>${tips.map(
            (a) =>
              html`<p data-tip-role="${a.role}">${group ? html`<span class="tip-role">${t(`tipFor_${a.role}` as MessageKey)}</span> ` : ""}${a.tip}</p>`,
          )}</li>`,
      )}</ol>`
    : html`<p>${t("growthNone")}</p>`;
  return html`<section aria-labelledby="growth-heading" id="growth"><h2 id="growth-heading">${heading}</h2>${tips}</section>`;
}

/** For a repeat: per strategy, in the core's words, what changed since the check before. */
function sinceLastHtml(r: CheckResult): TemplateResult | "" {
  const since = r.since_last;
  if (!since) return "";
  return html`<section aria-labelledby="change-heading" id="result-change"><h2 id="change-heading">${t("sinceLastHeading", { date: formatDate(since.previous_at, currentLang()) })}</h2>
    <ul class="plain-list">${since.sentences.map(
      (sentence, i) =>
        html`<li data-direction="${since.comparison.strategies[i]?.direction ?? ""}">${sentence}</li>`,
    )}</ul></section>`;
}

function skippedHtml(r: CheckResult, lessonTitle: (id: string) => string): TemplateResult | "" {
  if (!r.skipped.length) return "";
  return html`<section aria-labelledby="skipped-heading" id="skipped"><h2 id="skipped-heading">${t("skippedHeading", { n: r.skipped.length })}</h2>
    <p>${t(r.respondents > 1 ? "skippedIntroGroup" : "skippedIntro")}</p>
    <ul class="plain-list">${r.skipped.map((s) => html`<li data-statement="${s.id}">${s.text} <span class="meta">(${lessonTitle(s.lesson)})</span></li>`)}</ul></section>`;
}

/** `saved`: false for a group's result shown at the close of its round, before it is saved. */
export function resultHtml(r: CheckResult, chartSvg: string, saved = true): TemplateResult {
  const lang = currentLang();
  const lessonTitle = (id: string) => lessonById(id)?.title[lang] ?? id;
  const where = r.municipality
    ? (r.wijk ? `${t("resultWijk", { wijk: r.wijk.name })}, ` : "") +
      t("resultWhere", { municipality: r.municipality.name, province: r.province?.name ?? "" }) +
      (r.approximate ? ` (${t("placeApproximate")})` : "")
    : t("outsideNl");
  const wijkNote =
    r.municipality && !r.wijk && !getContent().basemap.wijken
      ? html`<p class="note" id="result-wijk-unknown">${t("wijkUnknownBuild")}</p>`
      : "";
  const cases = r.similar_cases.flatMap((s) => {
    const c = caseById(s.id);
    if (!c) return [];
    const reason =
      s.reason === "nearby"
        ? t("reason_nearby", { km: Math.round(s.distance_km ?? 0) })
        : t("reason_strategy", {
            strategy: r.weakest_strategy ? strategyName(r.weakest_strategy).toLowerCase() : "",
          });
    const where = [c.neighbourhood?.[currentLang()], c.municipality?.name ?? t("online")]
      .filter((x, i, all) => x && all.indexOf(x) === i)
      .join(", ");
    return html`<li><span class="case-name">${caseName(c)}</span> <span class="meta">${where} · ${reason}</span>
        <button type="button" class="utrecht-button utrecht-button--secondary-action" data-show-case="${c.id}">${t("showOnMapButton", { name: caseName(c) })}</button></li>`;
  });
  const group = [
    r.respondents > 1 ? t("resultRespondents", { n: r.respondents }) : "",
    r.on_paper ? t("resultOnPaper") : "",
  ]
    .filter(Boolean)
    .map((x) => html` · <span class="group-meta">${x}</span>`);
  const spread = groupSpreadHtml(r);
  // A group's result before it is saved has no stored chart yet; its range chart stands in.
  const chart = chartSvg
    ? html`<figure class="chart" id="result-chart">${svgFromCore(chartSvg)}<figcaption>${t("chartCaption")}</figcaption></figure>`
    : "";
  return html`
    <h1 id="result-heading">${t(r.respondents > 1 ? "groupResultHeading" : "resultHeading", { name: r.initiative_name })}</h1>
    <p class="meta" id="result-where">${where} · ${t(`role_${r.role}` as MessageKey)}${saved ? ` · ${t("resultSaved", { date: formatDate(r.created_at, lang) })}` : ""}${group}</p>${wijkNote}
    <section aria-labelledby="summary-heading" class="result-summary" id="result-summary"><h2 id="summary-heading">${t("summaryHeading")}</h2>
      ${r.summary.map((sentence) => html`<p>${sentence}</p>`)}
      <p class="snapshot" id="snapshot">${t("snapshot")}</p></section>
    ${sinceLastHtml(r)}
    ${tipsHtml(r, lessonTitle)}
    ${spread?.talk ?? ""}
    ${bandsHtml(r, lessonTitle)}
    <details class="figures" id="figures"><summary>${t("figuresButton")}</summary>
    <div class="result-grid">
      ${chart}
      <div class="result-tables">
        <table class="utrecht-table utrecht-table--html-table score-table" id="strategy-table">
          <caption>${t("tableStrategies")}</caption>
          <thead><tr><th scope="col">${t("colPart")}</th><th scope="col" class="num">${t("colScore")}</th></tr></thead>
          <tbody>${sortedRows(STRATEGIES.map((s) => ({ label: strategyName(s), score: r.scores[s] })))}</tbody>
        </table>
        <table class="utrecht-table utrecht-table--html-table score-table" id="lesson-table">
          <caption>${t("tableLessons")}</caption>
          <thead><tr><th scope="col">${t("colPart")}</th><th scope="col" class="num">${t("colScore")}</th></tr></thead>
          <tbody>${sortedRows(r.lessons.map((l) => ({ label: lessonTitle(l.id), score: l.score })))}</tbody>
        </table>
      </div>
    </div>
    ${spread?.ranges ?? ""}
    </details>
    ${skippedHtml(r, lessonTitle)}
    ${conversationHtml(r.notes, r.actions, r.previous_actions)}
    ${cases.length ? html`<section aria-labelledby="cases-learn-heading"><h2 id="cases-learn-heading">${t("casesToLearnHeading")}</h2><ul class="learn-list" id="similar-cases">${cases}</ul></section>` : ""}
    <p class="meta">${t("source")}</p>`;
}

/** Wires the result screen's "save PDF" button; the message says where it went. */
export function wirePdfButton(root: HTMLElement, checkId: string, onError: (e: unknown) => void) {
  const button = root.querySelector<HTMLButtonElement>("#r-pdf");
  button?.addEventListener("click", async () => {
    try {
      const path = await api.saveCheckReport(checkId, currentLang());
      if (path) {
        const note =
          root.querySelector<HTMLElement>("#r-saved") ??
          button.insertAdjacentElement(
            "afterend",
            Object.assign(document.createElement("p"), { id: "r-saved", className: "notice" }),
          );
        note!.setAttribute("role", "status");
        note!.textContent = t("savedAs", { path });
      }
    } catch (e) {
      onError(e);
    }
  });
}
