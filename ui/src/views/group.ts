// The self-check as a group conversation: what the group sees at the close of a round (its
// spread, the lessons to talk about, a range chart with the same figures as a table), the notes
// and action plan it writes, and last time's plan. Only group figures and counts: never one
// member's answers.
import type { Action } from "../bindings/Action";
import type { ActionWithOutcome } from "../bindings/ActionWithOutcome";
import type { AgreedAction } from "../bindings/AgreedAction";
import type { CheckResult } from "../bindings/CheckResult";
import type { LessonNote } from "../bindings/LessonNote";
import type { LessonSpread } from "../bindings/LessonSpread";
import type { Outcome } from "../bindings/Outcome";
import type { Problem } from "../bindings/Problem";
import type { Strategy } from "../bindings/Strategy";
import { getContent, lessonById, strategyName } from "../app";
import { html, nothing, svg, type TemplateResult } from "lit-html";
import { $$, formatScore } from "../dom";
import { currentLang, t, type MessageKey } from "../i18n";
import type { ActionDraft, OutcomeDraft } from "../wizard";
import { problemText } from "../problems";

const OUTCOMES: Outcome[] = ["done", "partly", "not"];

const lessonTitle = (id: string) => lessonById(id)?.title[currentLang()] ?? id;

function dueText(due: string): string {
  const [y, m, d] = due.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(
    currentLang() === "nl" ? "nl-NL" : "en-GB",
    { dateStyle: "long", timeZone: "UTC" },
  );
  return t("dueBy", { date });
}

/** "Welkomstpakket — Fatima — vóór 1 maart 2027 (Een eigen kring als basis)" */
export function actionText(a: Action): string {
  return (
    [a.text, a.who, dueText(a.due)].filter(Boolean).join(" — ") + ` (${lessonTitle(a.lesson)})`
  );
}

/** Per lesson a bar from the lowest to the highest member score and a dot at the group score. */
export function rangeChartSvg(r: CheckResult): TemplateResult {
  const lang = currentLang();
  const rowH = 30;
  const labelW = 250;
  const barW = 330;
  const top = 24;
  const height = top + r.lessons.length * rowH + 8;
  const x = (v: number) => labelW + (v / 100) * barW;
  const grid = [0, 25, 50, 75, 100].map(
    (v) =>
      svg`<line x1="${x(v)}" y1="${top - 6}" x2="${x(v)}" y2="${height - 6}" stroke="#d9d9d9"/><text x="${x(v)}" y="${top - 10}" font-size="11" text-anchor="middle" fill="#4a4a4a">${v}</text>`,
  );
  const rows = r.lessons.map((l, i) => {
    const spread = r.spread.lessons.find((s) => s.id === l.id);
    const y = top + i * rowH + rowH / 2;
    const disagree = r.disagreement.includes(l.id);
    const title = lessonTitle(l.id);
    const label = svg`<text x="0" y="${y + 4}" font-size="12" fill="#1a1a1a" font-weight=${disagree ? "bold" : nothing}>${title.length > 36 ? `${title.slice(0, 35)}…` : title}</text>`;
    if (!spread || spread.min === null || spread.max === null || l.score === null) {
      return svg`${label}<text x="${labelW}" y="${y + 4}" font-size="11" fill="#4a4a4a">${t("noAnswer")}</text>`;
    }
    const bar = svg`<rect x="${x(spread.min)}" y="${y - 5}" width="${Math.max(2, x(spread.max) - x(spread.min))}" height="10" rx="3" fill="${disagree ? "#b15c00" : "#8fb3d9"}"/>`;
    const dot = svg`<circle cx="${x(l.score)}" cy="${y}" r="6" fill="#154273" stroke="#ffffff" stroke-width="2"/>`;
    return svg`${label}${bar}${dot}<text x="${labelW + barW + 10}" y="${y + 4}" font-size="12" fill="#1a1a1a">${formatScore(l.score, lang)}</text>`;
  });
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${labelW + barW + 50} ${height}" width="100%" role="img" aria-labelledby="range-chart-title" focusable="false">
    <title id="range-chart-title">${t("rangeCaption")}</title>${grid}${rows}</svg>`;
}

/** The group's spread: what to talk about first, the range chart and its table, and the counts. */
/** A group's spread: what to talk about (shown with the tips) and the ranges (with the figures). */
export function groupSpreadHtml(
  r: CheckResult,
): { talk: TemplateResult; ranges: TemplateResult } | null {
  if (r.respondents < 2) return null;
  const lang = currentLang();
  const spreadOf = (id: string) => r.spread.lessons.find((s) => s.id === id);
  const talk = r.disagreement.length
    ? html`<p>${t("talkIntro")}</p><ul class="plain-list" id="talk-list">${r.disagreement.map(
        (id) => {
          const s = spreadOf(id);
          return html`<li><strong>${lessonTitle(id)}</strong> — ${t("talkRange", { min: formatScore(s?.min ?? null, lang), max: formatScore(s?.max ?? null, lang) })}</li>`;
        },
      )}</ul>`
    : html`<p id="talk-none">${t("talkNone")}</p>`;
  const row = (label: string, score: number | null, s: LessonSpread | undefined, cls: string) =>
    html`<tr class="${cls}"><th scope="row">${label}</th><td class="num">${formatScore(score, lang)}</td><td class="num">${formatScore(s?.min ?? null, lang)}</td><td class="num">${formatScore(s?.max ?? null, lang)}</td><td class="num">${s?.n ?? 0}</td></tr>`;
  const strategies = (["bonding", "bridging", "linking"] as Strategy[]).map((st) =>
    row(
      strategyName(st),
      r.scores[st],
      r.spread.strategies.find((x) => x.id === st),
      "row-strong",
    ),
  );
  const rows = [
    ...strategies,
    ...r.lessons.map((l) =>
      row(
        lessonTitle(l.id),
        l.score,
        spreadOf(l.id),
        r.disagreement.includes(l.id) ? "row-talk" : "",
      ),
    ),
  ];
  const statementText = new Map(
    getContent().lessons.lessons.flatMap((l) =>
      [...l.statements, ...l.retired_statements].map((s) => [s.id, s.text[lang]] as const),
    ),
  );
  const counts = r.spread.statements.map(
    (s) =>
      html`<tr><th scope="row">${statementText.get(s.id) ?? s.id}</th>${s.counts.map((n) => html`<td class="num">${n}</td>`)}<td class="num">${s.dont_know}</td></tr>`,
  );
  return {
    talk: html`<section aria-labelledby="talk-heading" class="talk" id="talk"><h2 id="talk-heading">${t("talkHeading")}</h2>${talk}</section>`,
    ranges: html`<section aria-labelledby="range-heading"><h2 id="range-heading">${t("rangeHeading")}</h2>
      <figure class="chart range-chart" id="range-chart">${rangeChartSvg(r)}<figcaption>${t("rangeCaption")}</figcaption></figure>
      <table class="utrecht-table utrecht-table--html-table data-table" id="range-table"><caption>${t("rangeTableCaption")}</caption>
        <thead><tr><th scope="col">${t("colPart")}</th><th scope="col" class="num">${t("colGroup")}</th><th scope="col" class="num">${t("colLowest")}</th><th scope="col" class="num">${t("colHighest")}</th><th scope="col" class="num">${t("colMembers")}</th></tr></thead>
        <tbody>${rows}</tbody></table>
      <details class="counts"><summary>${t("countsHeading")}</summary>
        <table class="utrecht-table utrecht-table--html-table data-table" id="counts-table"><caption class="visually-hidden">${t("countsHeading")}</caption>
          <thead><tr><th scope="col">${t("colStatement")}</th>${[1, 2, 3, 4, 5].map((n) => html`<th scope="col" class="num"><abbr title="${t(`scale_${n}` as MessageKey)}">${n}</abbr></th>`)}<th scope="col" class="num">${t("colDontKnow")}</th></tr></thead>
          <tbody>${counts}</tbody></table></details>
    </section>`,
  };
}

/** Notes, the plan agreed, and what came of last time's plan: on the result and in history. */
export function conversationHtml(
  notes: Record<string, LessonNote | undefined>,
  actions: Action[],
  previous: ActionWithOutcome[],
): (TemplateResult | "")[] {
  const noteItems = Object.entries(notes)
    .filter((e): e is [string, LessonNote] => !!e[1])
    .map(
      ([id, n]) =>
        html`<li><strong>${lessonTitle(id)}</strong>${n.good ? html`<p><span class="note-label">${t("noteGood")}</span> ${n.good}</p>` : ""}${n.better ? html`<p><span class="note-label">${t("noteBetter")}</span> ${n.better}</p>` : ""}</li>`,
    );
  const prev = previous.map(
    (p) =>
      html`<li>${p.action.text}: <strong>${t(`outcome_${p.outcome}` as MessageKey)}</strong>${p.note ? ` — ${p.note}` : ""}</li>`,
  );
  return [
    prev.length
      ? html`<section aria-labelledby="previous-heading"><h2 id="previous-heading">${t("resultPreviousHeading")}</h2><ul class="plain-list" id="previous-list">${prev}</ul></section>`
      : "",
    noteItems.length
      ? html`<section aria-labelledby="notes-heading"><h2 id="notes-heading">${t("notesHeading")}</h2><ul class="plain-list notes-list" id="notes-list">${noteItems}</ul></section>`
      : "",
    actions.length
      ? html`<section aria-labelledby="plan-heading"><h2 id="plan-heading">${t("resultPlanHeading")}</h2><ol id="plan-list">${actions.map((a) => html`<li>${actionText(a)}</li>`)}</ol></section>`
      : "",
  ];
}

/** "Vorige keer spraken jullie af": per action done, partly or not (yet), with a note. */
export function agreedActionsHtml(
  agreed: AgreedAction[],
  outcomes: Record<string, OutcomeDraft>,
): TemplateResult | "" {
  if (!agreed.length) return "";
  const lang = currentLang();
  const max = getContent().limits.lesson_note_chars;
  const items = agreed.map(({ action: a }, i) => {
    const o = outcomes[a.id] ?? { outcome: null, note: "" };
    const radios = OUTCOMES.map(
      (v) =>
        html`<label class="radio"><input class="utrecht-radio-button utrecht-radio-button--html-input" type="radio" name="outcome-${i}" id="outcome-${i}-${v}" value="${v}" data-action="${a.id}" ?checked=${o.outcome === v} /> ${t(`outcome_${v}` as MessageKey)}</label>`,
    );
    return html`<fieldset class="field outcome" data-action="${a.id}"><legend>${actionText(a)}</legend><div class="inline-radios">${radios}</div>
        <label for="outcome-note-${i}" class="sub-label">${t("outcomeNote")}</label>
        <textarea id="outcome-note-${i}" class="utrecht-textarea utrecht-textarea--html-textarea" rows="2" maxlength="${max}" data-action="${a.id}" .defaultValue=${o.note}></textarea></fieldset>`;
  });
  return html`<section class="previous-actions" aria-labelledby="agreed-heading" id="agreed-actions"><h2 id="agreed-heading">${t("previousHeading")}</h2>
    <p class="hint">${t("previousIntro", { date: new Date(agreed[0].agreed_at).toLocaleDateString(lang === "nl" ? "nl-NL" : "en-GB", { dateStyle: "long" }) })}</p>${items}</section>`;
}

/** Reads the outcomes form. */
export function readOutcomes(root: HTMLElement): Record<string, OutcomeDraft> {
  const out: Record<string, OutcomeDraft> = {};
  for (const fs of $$<HTMLFieldSetElement>("fieldset.outcome", root)) {
    const id = fs.dataset.action!;
    const chosen = $$<HTMLInputElement>("input[type=radio]", fs).find((r) => r.checked)?.value as
      Outcome | undefined;
    const note = fs.querySelector<HTMLTextAreaElement>("textarea")?.value ?? "";
    out[id] = { outcome: chosen ?? null, note };
  }
  return out;
}

/** The close of a round: notes per lesson (lessons to talk about first) and up to three actions. */
export function conversationFormHtml(
  r: CheckResult,
  notes: Record<string, LessonNote>,
  plan: ActionDraft[],
  faults: PlanFault[] = [],
): TemplateResult {
  const limits = getContent().limits;
  const order = [
    ...r.disagreement,
    ...r.advice.map((a) => a.lesson),
    ...r.lessons.map((l) => l.id),
  ].filter((id, i, all) => all.indexOf(id) === i);
  const noteBlocks = order.map((id) => {
    const n = notes[id] ?? { good: "", better: "" };
    const open = r.disagreement.includes(id) || !!(n.good || n.better);
    return html`<details class="note-block" data-lesson="${id}" ?open=${open}><summary>${lessonTitle(id)}${r.disagreement.includes(id) ? html` <span class="badge">${t("talkHeading")}</span>` : ""}</summary>
        <label for="good-${id}" class="sub-label">${t("noteGood")}</label>
        <textarea id="good-${id}" data-note="good" class="utrecht-textarea utrecht-textarea--html-textarea" rows="2" maxlength="${limits.lesson_note_chars}" .defaultValue=${n.good ?? ""}></textarea>
        <label for="better-${id}" class="sub-label">${t("noteBetter")}</label>
        <textarea id="better-${id}" data-note="better" class="utrecht-textarea utrecht-textarea--html-textarea" rows="2" maxlength="${limits.lesson_note_chars}" .defaultValue=${n.better ?? ""}></textarea></details>`;
  });
  const growth = r.advice.map((a) => a.lesson);
  // An empty first choice: a lesson is one the group picked, never one picked for them.
  const lessonOptions = (chosen: string) =>
    html`<option value="" ?selected=${!chosen}>${t("actionLessonChoose")}</option>
     <optgroup label="${t("growthGroup")}">${growth.map((id) => html`<option value="${id}" ?selected=${chosen === id}>${lessonTitle(id)}</option>`)}</optgroup>
     <optgroup label="${t("otherLessons")}">${r.lessons
       .filter((l) => !growth.includes(l.id))
       .map(
         (l) =>
           html`<option value="${l.id}" ?selected=${chosen === l.id}>${lessonTitle(l.id)}</option>`,
       )}</optgroup>`;
  const faultAt = (row: number, field: string) =>
    faults.find((f) => f.row === row && f.field === field);
  // A field's label, its input with its error beneath (said by a screen reader with the field).
  const field = (
    row: number,
    name: "text" | "who" | "due" | "lesson",
    label: string,
    control: (describedBy: string, invalid: "true" | typeof nothing) => TemplateResult,
    hint?: string,
  ) => {
    const fault = faultAt(row, name);
    const hintId = hint ? `action-${name}-hint-${row}` : "";
    const errorId = fault ? `action-${name}-error-${row}` : "";
    return html`<label for="action-${name}-${row}" class="sub-label">${label}</label>
      ${hint ? html`<span class="hint" id="${hintId}">${hint}</span>` : ""}
      ${fault ? html`<span class="field-error" id="${errorId}">${fault.text}</span>` : ""}
      ${control([hintId, errorId].filter(Boolean).join(" "), fault ? "true" : nothing)}`;
  };
  const rows = Array.from({ length: limits.actions }, (_, i) => {
    const a = plan[i] ?? { text: "", who: "", due: "", lesson: "" };
    return html`<fieldset class="field action-row" data-action-row="${i}"><legend>${t("actionN", { n: i + 1 })}</legend>
      ${field(i, "text", t("actionText"), (by, invalid) => html`<input id="action-text-${i}" data-field="text" type="text" class="utrecht-textbox utrecht-textbox--html-input" maxlength="${limits.action_text_chars}" .value=${a.text} aria-describedby=${by || nothing} aria-invalid=${invalid}/>`)}
      <div class="action-fields">
        <div>${field(i, "who", t("actionWho"), (by, invalid) => html`<input id="action-who-${i}" data-field="who" type="text" class="utrecht-textbox utrecht-textbox--html-input" maxlength="${limits.action_who_chars}" .value=${a.who} aria-describedby=${by || nothing} aria-invalid=${invalid}/>`)}</div>
        <div>${field(i, "due", t("actionDue"), (by, invalid) => html`<input id="action-due-${i}" data-field="due" type="text" inputmode="numeric" autocomplete="off" aria-describedby=${by} aria-invalid=${invalid} class="utrecht-textbox utrecht-textbox--html-input date-input" .value=${a.due}/>`, t("actionDueHint"))}</div>
        <div>${field(i, "lesson", t("actionLesson"), (by, invalid) => html`<select id="action-lesson-${i}" data-field="lesson" class="utrecht-select utrecht-select--html-select" aria-describedby=${by || nothing} aria-invalid=${invalid}>${lessonOptions(a.lesson)}</select>`)}</div>
      </div></fieldset>`;
  });
  const summary = faults.length
    ? html`<div class="error-summary" role="alert" tabindex="-1" id="plan-problems"><h2>${t("problemsHeading")}</h2><ul>${faults.map(
        (f) =>
          html`<li><a href="#action-${f.field}-${f.row}" data-focus="action-${f.field}-${f.row}">${f.summary}</a></li>`,
      )}</ul></div>`
    : "";
  return html`${summary}<form id="group-form" class="form" novalidate>
    <section aria-labelledby="notes-form-heading"><h2 id="notes-form-heading">${t("notesHeading")}</h2><p class="hint">${t("notesIntro", { max: limits.lesson_note_chars })}</p>${noteBlocks}</section>
    <section aria-labelledby="plan-form-heading"><h2 id="plan-form-heading">${t("planHeading")}</h2><p class="hint">${t("planIntro", { max: limits.actions })} ${t("planRequiredHint")}</p>${rows}</section>
    <p id="group-error" class="form-error" role="alert" hidden></p>
    <div class="actions"><button type="submit" class="utrecht-button utrecht-button--primary-action" id="group-save">${t("groupSave")}</button></div>
  </form>`;
}

/** A problem of the plan at its row and field: `text` beside the field, `summary` (which names
 * the action) in the list above the form. */
export interface PlanFault {
  row: number;
  field: string;
  text: string;
  summary: string;
}

/** The core's problems with the plan's actions (each names its action, counted among the rows
 * that were sent, and its field) placed at the rows of the form. */
export function planFaults(problems: Problem[], rows: number[]): PlanFault[] {
  return problems.flatMap((p) => {
    const row = rows[Number(p.values.n) - 1];
    const field = p.values.field;
    if (p.kind !== "in_action" || row === undefined || !field || !p.cause) return [];
    // Numbered as the form numbers its rows, which may include empty ones before it.
    const named = { ...p, values: { ...p.values, n: String(row + 1) } };
    return [{ row, field, text: problemText(p.cause), summary: problemText(named) }];
  });
}

/** Reads the close form's notes and plan. */
export function readConversationForm(root: HTMLElement): {
  notes: Record<string, LessonNote>;
  plan: ActionDraft[];
} {
  const notes: Record<string, LessonNote> = {};
  for (const block of $$<HTMLElement>(".note-block", root)) {
    const value = (k: string) =>
      block.querySelector<HTMLTextAreaElement>(`textarea[data-note="${k}"]`)?.value ?? "";
    notes[block.dataset.lesson!] = { good: value("good"), better: value("better") };
  }
  const plan = $$<HTMLElement>("[data-action-row]", root).map((row) => {
    const value = (k: string) =>
      row.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-field="${k}"]`)?.value ?? "";
    return { text: value("text"), who: value("who"), due: value("due"), lesson: value("lesson") };
  });
  return { notes, plan };
}
