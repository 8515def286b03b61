// A self-check's result: chart (SVG made by the core) with its table, strengths, growth points
// with tips for the role, and cases to learn from. Used right after saving and from the history.
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

/** `saved`: false for a group's result shown at the close of its round, before it is saved. */
export function resultHtml(r: CheckResult, chartSvg: string, saved = true): TemplateResult {
  const lang = currentLang();
  const lessonTitle = (id: string) => lessonById(id)?.title[lang] ?? id;
  const scoreOf = (id: string) => r.lessons.find((l) => l.id === id)?.score ?? null;
  const where = r.municipality
    ? (r.wijk ? `${t("resultWijk", { wijk: r.wijk.name })}, ` : "") +
      t("resultWhere", { municipality: r.municipality.name, province: r.province?.name ?? "" }) +
      (r.approximate ? ` (${t("placeApproximate")})` : "")
    : t("outsideNl");
  const wijkNote =
    r.municipality && !r.wijk && !getContent().basemap.wijken
      ? html`<p class="note" id="result-wijk-unknown">${t("wijkUnknownBuild")}</p>`
      : "";
  const strengths = r.strengths.length
    ? html`<ul class="plain-list">${r.strengths.map((id) => html`<li><strong>${lessonTitle(id)}</strong> — ${formatScore(scoreOf(id), lang)}</li>`)}</ul>`
    : html`<p>${t("strengthsNone")}</p>`;
  const growth = r.advice.length
    ? html`<ol class="tips">${r.advice.map(
        (a) =>
          html`<li><h3>${lessonTitle(a.lesson)} <span class="score-badge">${formatScore(scoreOf(a.lesson), lang)}</span></h3><p>${a.tip}</p></li>`,
      )}</ol>`
    : html`<p>${t("growthNone")}</p>`;
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
  // A group's result before it is saved has no stored chart yet; its range chart stands in.
  const chart = chartSvg
    ? html`<figure class="chart" id="result-chart">${svgFromCore(chartSvg)}<figcaption>${t("chartCaption")}</figcaption></figure>`
    : "";
  return html`
    <h1 id="result-heading">${t(r.respondents > 1 ? "groupResultHeading" : "resultHeading", { name: r.initiative_name })}</h1>
    <p class="snapshot" id="snapshot">${t("snapshot")}</p>
    <p class="meta" id="result-where">${where} · ${t(`role_${r.role}` as MessageKey)}${saved ? ` · ${t("resultSaved", { date: formatDate(r.created_at, lang) })}` : ""}${group}</p>${wijkNote}
    ${groupSpreadHtml(r)}
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
    <section aria-labelledby="strengths-heading"><h2 id="strengths-heading">${t("strengthsHeading")}</h2>${strengths}</section>
    <section aria-labelledby="growth-heading"><h2 id="growth-heading">${t("growthHeading", { role: t(`roleNoun_${r.role}` as MessageKey) })}</h2>${growth}</section>
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
