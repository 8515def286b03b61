// Mijn initiatieven: the initiatives saved on this machine, each with its checks over time and
// the latest compared with the one before (per strategy and lesson: higher, lower, about the same).
import { api } from "../api";
import type { Change } from "../bindings/Change";
import type { History } from "../bindings/History";
import type { Strategy } from "../bindings/Strategy";
import { lessonById, showError, strategyName, type View } from "../app";
import { html, type TemplateResult } from "lit-html";
import { $, $$, draw, focusHeading, formatDate, formatScore } from "../dom";
import { currentLang, t, type MessageKey } from "../i18n";
import { conversationHtml } from "./group";
import { resultHtml, wirePdfButton } from "./result";
import { placeText } from "./review-detail";
import { wireCaseButtons, type SelfCheckHost } from "./selfcheck";

type Screen =
  | { kind: "list" }
  | { kind: "initiative"; id: string }
  | { kind: "result"; checkId: string; initiativeId: string };

export interface InitiativesHost extends SelfCheckHost {
  repeatCheck(initiativeId: string): void;
}

// Less than 10 points apart reads "about the same" (the core's rule): no arrow, no colour.
const ARROW = { up: "↑", down: "↓", same: "≈", unknown: "?" } as const;

export class InitiativesView implements View {
  private screen: Screen = { kind: "list" };

  constructor(
    private root: HTMLElement,
    private host: InitiativesHost,
  ) {}

  async showList() {
    this.screen = { kind: "list" };
    await this.refresh();
  }

  async showInitiative(id: string) {
    this.screen = { kind: "initiative", id };
    await this.refresh();
  }

  render() {
    this.refresh().catch(showError);
  }

  private async refresh() {
    const lang = currentLang();
    const s = this.screen;
    if (s.kind === "list") {
      const list = await api.initiatives();
      draw(
        this.root,
        html`<div class="page"><h1>${t("initiativesHeading")}</h1><p class="intro">${t("initiativesIntro")}</p>${
          list.length
            ? html`<table class="utrecht-table utrecht-table--html-table data-table" id="initiatives-table"><thead><tr><th scope="col">${t("colName")}</th><th scope="col">${t("colMunicipality")}</th><th scope="col" class="num">${t("colChecks")}</th><th scope="col">${t("colLatest")}</th></tr></thead><tbody>${list.map(
                (
                  o,
                ) => html`<tr><th scope="row"><button type="button" class="link-like" data-initiative="${o.initiative.id}">${o.initiative.name}</button></th>
                <td>${o.initiative.municipality?.name ?? t("outsideNl")}</td><td class="num">${o.checks}</td><td>${o.latest_at ? formatDate(o.latest_at, lang) : ""}</td></tr>`,
              )}</tbody></table>`
            : html`<p id="initiatives-empty">${t("initiativesEmpty")}</p><p><a class="utrecht-button utrecht-button--primary-action" href="#zelfcheck">${t("navCheck")}</a></p>`
        }</div>`,
      );
      $$<HTMLButtonElement>("[data-initiative]", this.root).forEach((b) =>
        b.addEventListener("click", () =>
          this.showInitiative(b.dataset.initiative!).then(() => focusHeading(this.root)),
        ),
      );
      return;
    }
    if (s.kind === "initiative") {
      const history = await api.history(s.id);
      draw(this.root, html`<div class="page">${this.historyHtml(history)}</div>`);
      $("#back-to-list", this.root).addEventListener("click", () =>
        this.showList().then(() => focusHeading(this.root)),
      );
      $("#repeat-check", this.root).addEventListener("click", () => this.host.repeatCheck(s.id));
      $$<HTMLButtonElement>("[data-check]", this.root).forEach((b) =>
        b.addEventListener("click", async () => {
          this.screen = { kind: "result", checkId: b.dataset.check!, initiativeId: s.id };
          await this.refresh();
          focusHeading(this.root);
        }),
      );
      return;
    }
    const [result, chart] = await Promise.all([
      api.checkResult(s.checkId, lang),
      api.resultChart(s.checkId, lang),
    ]);
    draw(
      this.root,
      html`<div class="page"><div id="result">${resultHtml(result, chart)}</div>
      <div class="actions no-print"><button type="button" class="utrecht-button utrecht-button--primary-action" id="r-pdf">${t("savePdf")}</button>
        <button type="button" class="utrecht-button utrecht-button--secondary-action" id="r-print">${t("print")}</button>
      <button type="button" class="utrecht-button utrecht-button--secondary-action" id="r-back">${t("toInitiative")}</button></div></div>`,
    );
    wireCaseButtons(this.root, this.host);
    wirePdfButton(this.root, s.checkId, showError);
    $("#r-print", this.root).addEventListener("click", () => window.print());
    $("#r-back", this.root).addEventListener("click", () =>
      this.showInitiative(s.initiativeId).then(() => focusHeading(this.root)),
    );
  }

  private historyHtml(h: History): TemplateResult {
    const lang = currentLang();
    const i = h.initiative;
    const rows = h.checks.map(
      (
        c,
      ) => html`<tr><td>${formatDate(c.created_at, lang)}</td><td>${t(`role_${c.role}` as MessageKey)}</td><td class="num">${c.respondents}${c.on_paper ? html` <span class="meta">(${t("paperShort")})</span>` : ""}</td>
          ${(["bonding", "bridging", "linking"] as Strategy[]).map((s) => html`<td class="num">${formatScore(c.scores[s], lang)}</td>`)}
          <td><button type="button" class="link-like" data-check="${c.id}" aria-label="${t("viewResultOf", { date: formatDate(c.created_at, lang) })}">${t("viewResult")}</button></td></tr>`,
    );
    // What each check's group said and agreed, and what came of the plan before: oldest first.
    const conversations = h.checks
      .filter((c) => Object.keys(c.notes).length || c.actions.length || c.previous_actions.length)
      .map(
        (c) =>
          html`<details class="conversation" data-check="${c.id}"><summary>${t("conversationOf", { date: formatDate(c.created_at, lang) })}</summary>${conversationHtml(c.notes, c.actions, c.previous_actions)}</details>`,
      );
    const label = (ch: Change) =>
      ["bonding", "bridging", "linking"].includes(ch.id)
        ? strategyName(ch.id as Strategy)
        : (lessonById(ch.id)?.title[lang] ?? ch.id);
    const changeRow = (ch: Change, strong: boolean) =>
      html`<tr class="${strong ? "row-strong" : ""}" data-change="${ch.id}"><th scope="row">${label(ch)}</th><td class="num">${formatScore(ch.before, lang)}</td><td class="num">${formatScore(ch.after, lang)}</td>
        <td class="change change-${ch.direction}"><span aria-hidden="true">${ARROW[ch.direction]}</span> ${t(`dir_${ch.direction}` as MessageKey)}</td></tr>`;
    const acrossSets =
      h.comparison && h.comparison.before_set !== h.comparison.after_set
        ? html`<p class="notice" id="compare-across-sets">${t("compareAcrossSets", { before: String(h.comparison.before_set), after: String(h.comparison.after_set) })}</p>`
        : "";
    const comparison = h.comparison
      ? html`${acrossSets}<table class="utrecht-table utrecht-table--html-table data-table" id="comparison"><thead><tr><th scope="col">${t("colPart")}</th><th scope="col" class="num">${t("colBefore")}</th><th scope="col" class="num">${t("colAfter")}</th><th scope="col">${t("colChange")}</th></tr></thead>
         <tbody>${h.comparison.strategies.map((c) => changeRow(c, true))}${h.comparison.lessons.map((c) => changeRow(c, false))}</tbody></table>`
      : html`<p id="compare-needs-two">${t("compareNeedsTwo")}</p>`;
    return html`
      <p><button type="button" class="link-like" id="back-to-list">← ${t("backToList")}</button></p>
      <h1 id="initiative-heading">${i.name}</h1>
      <p class="meta" id="initiative-place">${placeText(i)}${i.description ? ` · ${i.description}` : ""}</p>
      <div class="actions"><button type="button" class="utrecht-button utrecht-button--primary-action" id="repeat-check">${t("repeatCheck")}</button></div>
      <h2>${t("historyHeading")}</h2>
      <table class="utrecht-table utrecht-table--html-table data-table" id="history-table"><thead><tr><th scope="col">${t("colDate")}</th><th scope="col">${t("colRole")}</th><th scope="col" class="num">${t("colMembers")}</th>
        ${(["bonding", "bridging", "linking"] as Strategy[]).map((s) => html`<th scope="col" class="num">${strategyName(s)}</th>`)}<th scope="col"><span class="visually-hidden">${t("viewResult")}</span></th></tr></thead>
        <tbody>${rows}</tbody></table>
      ${conversations.length ? html`<h2 id="conversations-heading">${t("conversationsHeading")}</h2><div id="conversations">${conversations}</div>` : ""}
      <h2>${t("compareHeading")}</h2>
      ${comparison}`;
  }
}
