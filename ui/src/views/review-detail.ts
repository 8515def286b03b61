// What a clerk reviews: the initiative itself beside the list (description, place, source, the
// latest check's scores, notes and plan), so a status is never changed without seeing what it is
// about. Drawn inside the municipality view's review panel.
import type { History } from "../bindings/History";
import type { HistoryEntry } from "../bindings/HistoryEntry";
import type { Initiative } from "../bindings/Initiative";
import type { LessonNote } from "../bindings/LessonNote";
import type { Strategy } from "../bindings/Strategy";
import { html, type TemplateResult } from "lit-html";
import { lessonById, strategyName } from "../app";
import { formatDate, formatScore } from "../dom";
import { currentLang, t, type MessageKey } from "../i18n";
import { actionText } from "./group";
import { bandHtml } from "./result";

const STRATEGIES: Strategy[] = ["bonding", "bridging", "linking"];

/** Where it is: wijk, municipality and province, in one line. */
export function placeText(i: Initiative): string {
  if (!i.municipality) return t("outsideNl");
  return [
    i.wijk ? t("reviewWijk", { wijk: i.wijk.name }) : "",
    i.municipality.name,
    i.province?.name ?? "",
  ]
    .filter(Boolean)
    .join(", ");
}

/** The latest check that has something to say in `pick`, newest first. */
function latestWith<T>(h: History, pick: (c: HistoryEntry) => T[]): [HistoryEntry, T[]] | null {
  for (const c of [...h.checks].reverse()) {
    const items = pick(c);
    if (items.length) return [c, items];
  }
  return null;
}

function scoresHtml(h: History): TemplateResult {
  const lang = currentLang();
  const latest = h.checks[h.checks.length - 1];
  if (!latest) return html`<p id="review-scores">${t("reviewNoCheck")}</p>`;
  return html`<p class="meta">${t("reviewScoresOf", {
    date: formatDate(latest.created_at, lang),
    role: t(`role_${latest.role}` as MessageKey),
    n: latest.respondents,
    checks: h.checks.length,
  })}</p>
    <dl class="review-scores" id="review-scores">${STRATEGIES.map(
      (s) =>
        html`<div><dt>${strategyName(s)}</dt><dd>${bandHtml(latest.bands.strategies.find((b) => b.id === s)?.band ?? null)} ${latest.scores[s] === null ? "" : html`<span class="meta">${formatScore(latest.scores[s], lang)}</span>`}</dd></div>`,
    )}</dl>`;
}

function notesHtml(h: History): TemplateResult {
  const lang = currentLang();
  const found = latestWith(h, (c) =>
    Object.entries(c.notes).filter((e): e is [string, LessonNote] => !!e[1]),
  );
  if (!found) return html`<p id="review-notes">${t("reviewNoNotes")}</p>`;
  const [check, notes] = found;
  return html`<p class="meta">${t("reviewFromCheck", { date: formatDate(check.created_at, lang) })}</p>
    <ul class="plain-list" id="review-notes">${notes.map(
      ([id, n]) =>
        html`<li><strong>${lessonById(id)?.title[lang] ?? id}</strong>${n.good ? html`<p><span class="note-label">${t("noteGood")}</span> ${n.good}</p>` : ""}${n.better ? html`<p><span class="note-label">${t("noteBetter")}</span> ${n.better}</p>` : ""}</li>`,
    )}</ul>`;
}

function planHtml(h: History): TemplateResult {
  const lang = currentLang();
  const found = latestWith(h, (c) => c.actions);
  if (!found) return html`<p id="review-plan">${t("reviewNoPlan")}</p>`;
  const [check, actions] = found;
  return html`<p class="meta">${t("reviewFromCheck", { date: formatDate(check.created_at, lang) })}</p>
    <ol id="review-plan">${actions.map((a) => html`<li>${actionText(a)}</li>`)}</ol>`;
}

/** The initiative as the clerk needs to see it before deciding. */
export function reviewDetailHtml(h: History, source: string): TemplateResult {
  const i = h.initiative;
  return html`<dl class="review-facts">
      <dt>${t("reviewDescription")}</dt><dd id="review-description">${i.description?.trim() || t("reviewNoDescription")}</dd>
      <dt>${t("reviewPlace")}</dt><dd id="review-place">${placeText(i)}</dd>
      <dt>${t("reviewSource")}</dt><dd id="review-source">${source}</dd>
    </dl>
    <h3 id="review-scores-heading">${t("reviewScoresHeading")}</h3>${scoresHtml(h)}
    <h3 id="review-notes-heading">${t("notesHeading")}</h3>${notesHtml(h)}
    <h3 id="review-plan-heading">${t("reviewPlanHeading")}</h3>${planHtml(h)}`;
}
