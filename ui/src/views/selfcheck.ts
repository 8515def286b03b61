// Zelfcheck: the wizard. Step 1 the initiative (with place search and a map to click), step 2 one
// lesson per screen, step 3 the result. All rules (location, scoring, advice) come from the core.
import { api } from "../api";
import type { InitiativeOverview } from "../bindings/InitiativeOverview";
import type { PlaceHit } from "../bindings/PlaceHit";
import type { Role } from "../bindings/Role";
import { getContent, showError, strategyName, wijkText, type View } from "../app";
import { html, nothing, type TemplateResult } from "lit-html";
import { $, $$, draw, focusHeading, formatCount } from "../dom";
import { currentLang, t, type MessageKey } from "../i18n";
import { createPlacePicker, type PlacePicker } from "../map";
import { kiosk, locked, residentMessage } from "../kiosk";
import {
  answer,
  back,
  beginMember,
  conversationInput,
  initiativeProblems,
  isLastLesson,
  next,
  nextMember,
  planRows,
  progress,
  startWizard,
  toCheckInput,
  toMember,
  toSessionStart,
  updateDraft,
  withResult,
  type ActionDraft,
  type Answer,
  type Mode,
  type Place,
  type Problem,
  type WizardState,
} from "../wizard";
import type { AgreedAction } from "../bindings/AgreedAction";
import type { LessonNote } from "../bindings/LessonNote";
import type { SessionStatus } from "../bindings/SessionStatus";
import {
  agreedActionsHtml,
  conversationFormHtml,
  planFaults,
  readConversationForm,
  readOutcomes,
} from "./group";
import type { Problem as CoreProblem } from "../bindings/Problem";
import { resultHtml, wirePdfButton } from "./result";
import { printButtonHtml, printStatusHtml, wirePrintButton } from "./printing";

const ROLES: Role[] = ["resident", "professional", "policy"];
const SCALE: { value: Answer; key: MessageKey }[] = [
  { value: 1, key: "scale_1" },
  { value: 2, key: "scale_2" },
  { value: 3, key: "scale_3" },
  { value: 4, key: "scale_4" },
  { value: 5, key: "scale_5" },
  { value: null, key: "scale_dk" },
];
const FIELD_OF: Record<Problem, string> = {
  nameMissing: "ini-name",
  nameTooLong: "ini-name",
  descriptionTooLong: "ini-description",
  roleMissing: "role-resident",
  placeMissing: "place-search",
  consentMissing: "ini-consent",
};

export interface SelfCheckHost {
  showCaseOnMap(caseId: string): void;
  openInitiative(id: string): void;
}

export class SelfCheckView implements View {
  private state: WizardState = startWizard();
  private initiatives: InitiativeOverview[] = [];
  private picker: PlacePicker | null = null;
  private chartSvg = "";
  private showProblems = false;
  private suggestions: PlaceHit[] = [];
  private activeSuggestion = -1;
  private searchSeq = 0;
  private saving = false;
  /** The name of an initiative unlocked with a return code in this session. */
  private redeemed: string | null = null;
  /** For a repeat: the actions agreed last time, which the check opens with. */
  private agreed: AgreedAction[] = [];
  /** Group rounds left open on this machine (not on a locked kiosk). */
  private openRounds: SessionStatus[] = [];
  /** The close of a round: what the group has typed so far. */
  private groupNotes: Record<string, LessonNote> = {};
  private groupPlan: ActionDraft[] = [];
  /** What the core found wrong with the plan (after "Opslaan en afronden"), and the form's rows
   * it was sent from: worded at each drawing, so a language switch words them anew. */
  private planProblems: { problems: CoreProblem[]; rows: number[] } = { problems: [], rows: [] };
  /** Said once on the next screen (for a screen reader too), e.g. "answers saved". */
  private announcement = "";

  constructor(
    private root: HTMLElement,
    private host: SelfCheckHost,
  ) {}

  /** A fresh wizard, optionally repeating an existing initiative. */
  async restart(initiativeId: string | null = null) {
    this.state = updateDraft(startWizard(), { initiativeId });
    this.redeemed = null;
    this.showProblems = false;
    this.chartSvg = "";
    this.groupNotes = {};
    this.groupPlan = [];
    this.announcement = "";
    await this.loadInitiatives();
    await this.loadAgreed();
    this.openRounds = locked() ? [] : await api.openGroups().catch(() => []);
    this.render();
    focusHeading(this.root);
  }

  /** The actions agreed last time for the initiative being repeated (none for a new one). */
  private async loadAgreed() {
    const id = this.state.draft.initiativeId;
    this.agreed = id ? await api.agreedActions(id).catch(() => []) : [];
  }

  async loadInitiatives() {
    // On a locked kiosk nobody may list initiatives: a resident comes back with a return code.
    this.initiatives = locked()
      ? []
      : await api.initiatives().catch((e) => {
          showError(e);
          return [];
        });
  }

  render() {
    const s = this.state;
    // The previous screen's map (if any) goes with its listeners before the screen is redrawn.
    this.picker?.destroy();
    this.picker = null;
    const step = {
      initiative: () => this.initiativeHtml(),
      handover: () => this.handoverHtml(),
      questions: () => this.questionsHtml(),
      group: () => this.groupHtml(),
      result: () => this.resultHtml(),
    }[s.step]();
    draw(this.root, html`<div class="page">${this.stepsHtml()}<div id="step">${step}</div></div>`);
    if (s.step === "initiative") this.wireInitiative();
    if (s.step === "handover") this.wireHandover();
    if (s.step === "questions") this.wireQuestions();
    if (s.step === "group") this.wireGroup();
    if (s.step === "result") this.wireResult();
  }

  /** Re-renders the result in the new language (tips and chart come from the core in that language). */
  async relocalize() {
    const r = this.state.result;
    if (this.state.step === "group" && this.state.session) {
      // The group's result before it is saved: its tips come again from the core, in the new language.
      const form = readConversationForm(this.root);
      this.groupNotes = form.notes;
      this.groupPlan = form.plan;
      this.state = {
        ...this.state,
        result: await api.groupResult(this.state.session.id, currentLang()),
      };
    } else if (this.state.step === "result" && r) {
      const lang = currentLang();
      const [result, chart] = await Promise.all([
        api.checkResult(r.id, lang),
        api.resultChart(r.id, lang),
      ]);
      this.state = withResult(this.state, result);
      this.chartSvg = chart;
    }
    this.render();
  }

  private go(state: WizardState) {
    this.state = state;
    this.render();
    focusHeading($("#step", this.root));
  }

  private stepsHtml(): TemplateResult {
    const steps: [WizardState["step"][], MessageKey][] = [
      [["initiative"], "stepInitiative"],
      [
        ["handover", "questions"],
        this.state.session || (this.state.result?.respondents ?? 0) > 1
          ? "stepRound"
          : "stepQuestions",
      ],
      [["group", "result"], "stepResult"],
    ];
    return html`<ol class="steps" aria-label="${t("stepsLabel")}">${steps.map(([step, key], i) => {
      const current = step.includes(this.state.step);
      return html`<li aria-current=${current ? "step" : nothing} class=${current ? "is-current" : nothing}><span class="step-number" aria-hidden="true">${i + 1}</span> ${t(key)}${current ? html`<span class="visually-hidden"> ${t("stepCurrent")}</span>` : ""}</li>`;
    })}</ol>`;
  }

  // Step 1 -------------------------------------------------------------------------------------

  private initiativeHtml(): TemplateResult {
    const d = this.state.draft;
    const problems = this.showProblems ? initiativeProblems(d, getContent().limits) : [];
    const invalid = (field: string) =>
      problems.some((p) => FIELD_OF[p] === field) ? "true" : nothing;
    const repeat =
      this.initiatives.find((i) => i.initiative.id === d.initiativeId) ??
      (d.initiativeId && this.redeemed
        ? { initiative: { id: d.initiativeId, name: this.redeemed } }
        : undefined);
    const codeField = locked()
      ? html`<div class="field"><label for="return-code">${t("returnCodeLabel")}</label>
          <div class="inline"><input id="return-code" type="text" autocomplete="off" maxlength="${getContent().limits.return_code_chars}" class="utrecht-textbox utrecht-textbox--html-input code-input"/>
          <button type="button" id="use-code" class="utrecht-button utrecht-button--secondary-action">${t("returnCodeUse")}</button></div>
          <p id="code-error" class="form-error" role="alert" hidden></p></div>`
      : "";
    const contact =
      kiosk().contact_enabled && !repeat
        ? html`<div class="field consent"><label for="ini-contact">${t("contactLabel")}</label>
          <input id="ini-contact" type="text" maxlength="${getContent().limits.contact_chars}" autocomplete="off" class="utrecht-textbox utrecht-textbox--html-input" value="${d.contact}"/>
          <label class="check"><input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" id="ini-consent" ?checked=${d.consent} aria-invalid=${invalid("ini-consent")} /> ${t("contactConsent", { controller: kiosk().controller || "—", retention: kiosk().contact_retention || "—" })}</label></div>`
        : "";
    const repeatSelect = this.initiatives.length
      ? html`<div class="field"><label for="repeat-select">${t("repeatLabel")}</label>
          <select id="repeat-select" class="utrecht-select utrecht-select--html-select"><option value="">${t("repeatNone")}</option>${this.initiatives.map(
            (i) =>
              html`<option value="${i.initiative.id}" ?selected=${i.initiative.id === d.initiativeId}>${i.initiative.name}${i.initiative.municipality ? ` (${i.initiative.municipality.name})` : ""}</option>`,
          )}</select></div>`
      : "";
    const roles = ROLES.map(
      (r) =>
        html`<label class="radio"><input class="utrecht-radio-button utrecht-radio-button--html-input" type="radio" name="role" id="role-${r}" value="${r}" ?checked=${d.role === r} /> ${t(`role_${r}` as MessageKey)}</label>`,
    );
    // The draft keeps the ids of the groups ticked and the text of groups typed; the core stores the
    // typed ones as the "other" group (a typed label becomes its group's id).
    const ids = getContent().targetGroups.map((g) => g.id);
    const otherGroups = d.targetGroups.filter((g) => !ids.includes(g)).join(", ");
    const groups = getContent().targetGroups.map(
      (g) =>
        html`<label class="check"><input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" name="target-group" value="${g.id}" ?checked=${d.targetGroups.includes(g.id)} /> ${g.label[currentLang()]}</label>`,
    );
    const newFields = repeat
      ? html`<p class="notice" id="repeat-notice" tabindex="-1">${t("repeatChosen", { name: repeat.initiative.name })}</p>`
      : html`<div class="field">
          <label for="ini-name">${t("nameLabel")}</label>
          <p class="hint" id="ini-name-hint">${t("nameHint", { max: formatCount(getContent().limits.name_chars, currentLang()) })}</p>
          <input id="ini-name" class="utrecht-textbox utrecht-textbox--html-input" type="text" maxlength="${getContent().limits.name_chars}" autocomplete="off" aria-describedby="ini-name-hint" value="${d.name}" aria-invalid=${invalid("ini-name")} />
        </div>
        <div class="field">
          <label for="ini-description">${t("descriptionLabel")}</label>
          <p class="hint" id="ini-description-hint">${t("descriptionHint", { max: formatCount(getContent().limits.description_chars, currentLang()) })}</p>
          <textarea id="ini-description" class="utrecht-textarea utrecht-textarea--html-textarea" rows="3" maxlength="${getContent().limits.description_chars}" aria-describedby="ini-description-hint" aria-invalid=${invalid("ini-description")} .defaultValue=${d.description}></textarea>
        </div>`;
    const placeBlock = repeat
      ? ""
      : html`<div class="field place-field">
          <label for="place-search" id="place-label">${t("placeLabel")}</label>
          <p class="hint" id="place-hint">${t("placeHint")}</p>
          <div class="combobox">
            <input id="place-search" class="utrecht-textbox utrecht-textbox--html-input" type="text" role="combobox" autocomplete="off" aria-autocomplete="list" aria-expanded="false"
              aria-controls="place-options" aria-describedby="place-hint place-status" value="${d.place?.label ?? ""}" aria-invalid=${invalid("place-search")} />
            <ul id="place-options" role="listbox" aria-labelledby="place-label" hidden></ul>
          </div>
          <p id="place-status" class="place-status" role="status" aria-live="polite">${this.placeText(d.place)}</p>
        </div>`;
    const rounds = this.openRounds.length
      ? html`<section class="open-rounds" aria-labelledby="open-rounds-heading"><h2 id="open-rounds-heading">${t("openRoundsHeading")}</h2><ul class="plain-list">${this.openRounds.map(
          (r) =>
            html`<li><button type="button" class="utrecht-button utrecht-button--secondary-action" data-resume="${r.id}">${t("resumeRound", { name: r.initiative_name, n: r.members })}</button></li>`,
        )}</ul></section>`
      : "";
    return html`
      <h1>${t("checkHeading")}</h1>
      <p class="intro">${t("checkIntro")}</p>${rounds}
      ${
        problems.length
          ? html`<div class="error-summary" role="alert" tabindex="-1" id="problems"><h2>${t("problemsHeading")}</h2><ul>${problems.map(
              (p) =>
                html`<li><a href="#${FIELD_OF[p]}" data-focus="${FIELD_OF[p]}">${t(p, { max: formatCount(p === "descriptionTooLong" ? getContent().limits.description_chars : getContent().limits.name_chars, currentLang()) })}</a></li>`,
            )}</ul></div>`
          : ""
      }
      <div class="initiative-layout">
        <form id="initiative-form" class="form" novalidate>
          ${repeatSelect}${codeField}
          ${newFields}
          ${agreedActionsHtml(this.agreed, d.outcomes)}
          <fieldset class="field" aria-invalid=${invalid("role-resident")}><legend>${t("roleLabel")}</legend>${roles}</fieldset>
          ${
            repeat
              ? ""
              : html`<fieldset class="field"><legend>${t("targetGroupsLabel")}</legend><div class="checks">${groups}</div>
            <label for="tg-other" class="sub-label">${t("tg_otherLabel")}</label><input id="tg-other" class="utrecht-textbox utrecht-textbox--html-input" type="text" maxlength="${getContent().limits.target_group_chars}" value="${otherGroups}"/></fieldset>`
          }
          ${placeBlock}
          ${contact}
          ${this.modeHtml()}
          <div class="actions"><button type="submit" class="utrecht-button utrecht-button--primary-action" id="to-questions">${t(d.mode === "group" ? "startGroup" : "toQuestions")}</button></div>
        </form>
        ${repeat ? "" : html`<div class="place-map-wrap"><div id="place-map" class="place-map" role="region" aria-label="${t("placeMapLabel")}"></div></div>`}
      </div>`;
  }

  /** One person or a group in turn; paper; and the facilitator's guide to print. */
  private modeHtml(): TemplateResult {
    const d = this.state.draft;
    const modes: Mode[] = ["single", "group"];
    const radios = modes.map(
      (m) =>
        html`<label class="radio"><input class="utrecht-radio-button utrecht-radio-button--html-input" type="radio" name="mode" id="mode-${m}" value="${m}" ?checked=${d.mode === m} /> ${t(`mode_${m}` as MessageKey)}</label>`,
    );
    const paper =
      d.mode === "single"
        ? html`<label class="check"><input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" id="on-paper" ?checked=${d.onPaper} /> ${t("onPaperLabel")}</label>`
        : html`<p class="hint" id="mode-group-hint">${t("modeGroupHint")}</p>`;
    return html`<fieldset class="field" id="mode-field"><legend>${t("modeLegend")}</legend>${radios}${paper}
      ${
        // Saving opens a file dialog, which a resident on a kiosk never meets.
        locked()
          ? ""
          : html`<p><button type="button" class="link-like" id="guide-pdf">${t("guideButton")}</button></p><p id="guide-saved" class="notice" role="status" hidden></p>`
      }</fieldset>`;
  }

  /** Once problems were shown, clears each field's invalid mark as soon as it is put right. */
  private markInvalid() {
    if (!this.showProblems) return;
    const open = new Set(
      initiativeProblems(this.state.draft, getContent().limits).map((p) => FIELD_OF[p]),
    );
    for (const field of new Set(Object.values(FIELD_OF))) {
      const el =
        field === "role-resident"
          ? document.getElementById(field)?.closest("fieldset")
          : document.getElementById(field);
      if (!el) continue;
      if (open.has(field)) el.setAttribute("aria-invalid", "true");
      else el.removeAttribute("aria-invalid");
    }
    document.getElementById("role-resident")?.removeAttribute("aria-invalid");
  }

  private placeText(place: Place | null): string {
    if (!place) return "";
    const loc = place.location;
    const where = !loc
      ? ""
      : loc.municipality
        ? t("placeMunicipality", {
            municipality: loc.municipality.name,
            province: loc.province?.name ?? "",
          }) + (loc.approximate ? ` ${t("placeApproximate")}` : "")
        : t("placeOutside");
    return `${t("placeChosen", { label: place.label })} ${where}${loc?.municipality ? ` ${wijkText(loc.wijk)}` : ""}`;
  }

  private readDraft() {
    const name = document.getElementById("ini-name") as HTMLInputElement | null;
    const description = document.getElementById("ini-description") as HTMLTextAreaElement | null;
    const role = $$<HTMLInputElement>('input[name="role"]', this.root).find((r) => r.checked)
      ?.value as Role | undefined;
    const other = (document.getElementById("tg-other") as HTMLInputElement | null)?.value ?? "";
    const groups = $$<HTMLInputElement>('input[name="target-group"]', this.root)
      .filter((c) => c.checked)
      .map((c) => c.value);
    const extra = other
      .split(",")
      .map((g) => g.trim())
      .filter(Boolean);
    const contact = document.getElementById("ini-contact") as HTMLInputElement | null;
    const consent = document.getElementById("ini-consent") as HTMLInputElement | null;
    const mode = $$<HTMLInputElement>('input[name="mode"]', this.root).find((r) => r.checked)
      ?.value as Mode | undefined;
    const onPaper = document.getElementById("on-paper") as HTMLInputElement | null;
    const outcomes = document.getElementById("agreed-actions")
      ? readOutcomes(this.root)
      : this.state.draft.outcomes;
    this.state = updateDraft(this.state, {
      ...(mode ? { mode } : {}),
      ...(onPaper ? { onPaper: onPaper.checked } : {}),
      outcomes,
      ...(contact ? { contact: contact.value } : {}),
      ...(consent ? { consent: consent.checked } : {}),
      ...(name ? { name: name.value } : {}),
      ...(description ? { description: description.value } : {}),
      role: role ?? null,
      ...(document.getElementById("tg-other") ? { targetGroups: [...groups, ...extra] } : {}),
    });
  }

  private wireInitiative() {
    const form = $<HTMLFormElement>("#initiative-form", this.root);
    form.addEventListener("input", () => {
      this.readDraft();
      this.markInvalid();
    });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.readDraft();
      const advanced = next(this.state, getContent().lessons.lessons, getContent().limits);
      if (advanced === this.state) {
        this.showProblems = true;
        this.render();
        $("#problems", this.root).focus();
        return;
      }
      this.showProblems = false;
      if (this.state.draft.mode === "group") this.startRound().catch(showError);
      else this.go(advanced);
    });
    // Switching between one person and a group changes the form below: redraw, keep the focus.
    $$<HTMLInputElement>('input[name="mode"]', this.root).forEach((r) =>
      r.addEventListener("change", () => {
        this.readDraft();
        this.render();
        document.getElementById(`mode-${this.state.draft.mode}`)?.focus();
      }),
    );
    document.getElementById("guide-pdf")?.addEventListener("click", async () => {
      try {
        const path = await api.saveGuide(currentLang());
        const note = $("#guide-saved", this.root);
        if (path) {
          note.textContent = t("savedAs", { path });
          note.hidden = false;
        }
      } catch (x) {
        showError(x);
      }
    });
    $$<HTMLButtonElement>("[data-resume]", this.root).forEach((b) =>
      b.addEventListener("click", async () => {
        try {
          const status = await api.resumeGroup(b.dataset.resume!);
          this.go(nextMember(this.state, status));
        } catch (x) {
          showError(x);
        }
      }),
    );
    $$<HTMLAnchorElement>("#problems a", this.root).forEach((a) =>
      a.addEventListener("click", (e) => {
        e.preventDefault();
        document.getElementById(a.dataset.focus!)?.focus();
      }),
    );
    document.getElementById("use-code")?.addEventListener("click", async () => {
      const input = document.getElementById("return-code") as HTMLInputElement;
      const err = $("#code-error", this.root);
      try {
        const r = await api.redeemCode(input.value);
        this.readDraft();
        this.redeemed = r.name;
        this.state = updateDraft(this.state, { initiativeId: r.initiative_id, outcomes: {} });
        await this.loadAgreed();
        this.render();
        $("#repeat-notice", this.root).focus();
      } catch (x) {
        err.textContent = residentMessage(x);
        err.hidden = false;
        input.focus();
      }
    });
    document.getElementById("repeat-select")?.addEventListener("change", async (e) => {
      this.readDraft();
      const id = (e.target as HTMLSelectElement).value || null;
      this.state = updateDraft(this.state, { initiativeId: id, outcomes: {} });
      await this.loadAgreed();
      this.render();
      document.getElementById("repeat-select")?.focus();
    });
    const mapEl = document.getElementById("place-map");
    if (mapEl) {
      this.picker = createPlacePicker(mapEl, getContent().basemap, (lat, lon) =>
        this.choosePlace({ lat, lon, label: `${lat.toFixed(4)}, ${lon.toFixed(4)}` }).catch(
          showError,
        ),
      );
      this.picker.show(this.state.draft.place);
    }
    this.wirePlaceSearch();
  }

  private wirePlaceSearch() {
    const input = document.getElementById("place-search") as HTMLInputElement | null;
    if (!input) return;
    const list = $("#place-options", this.root);
    const close = () => {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      this.activeSuggestion = -1;
    };
    const highlight = (i: number) => {
      this.activeSuggestion = i;
      $$("#place-options li", this.root).forEach((li, j) =>
        li.setAttribute("aria-selected", String(j === i)),
      );
      if (i >= 0) {
        input.setAttribute("aria-activedescendant", `place-option-${i}`);
        document.getElementById(`place-option-${i}`)?.scrollIntoView({ block: "nearest" });
      } else input.removeAttribute("aria-activedescendant");
    };
    const pick = (i: number) => {
      const hit = this.suggestions[i];
      if (!hit) return;
      close();
      input.value = hit.label;
      this.choosePlace({ lat: hit.lat, lon: hit.lon, label: hit.label }).catch(showError);
    };
    input.addEventListener("input", async () => {
      const q = input.value.trim();
      const seq = ++this.searchSeq;
      if (q.length < 2) {
        this.suggestions = [];
        list.replaceChildren();
        close();
        return;
      }
      const hits = await api.searchPlaces(q, currentLang(), 8);
      if (seq !== this.searchSeq) return; // a newer keystroke already asked
      this.suggestions = hits;
      draw(
        list,
        hits.length
          ? hits.map(
              (h, i) =>
                html`<li id="place-option-${i}" role="option" aria-selected="false" data-index="${i}">${h.label} <span class="meta">${t(`kind_${h.kind}` as MessageKey)}, ${h.province.name}</span></li>`,
            )
          : html`<li class="no-results" role="option" aria-disabled="true" aria-selected="false">${t("placeNoResults")}</li>`,
      );
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      $("#place-status", this.root).textContent = hits.length
        ? t("placeOptionsCount", { n: hits.length })
        : t("placeNoResults");
      highlight(-1);
    });
    input.addEventListener("keydown", (e) => {
      const n = this.suggestions.length;
      if (e.key === "ArrowDown" && n) {
        e.preventDefault();
        if (list.hidden) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        highlight((this.activeSuggestion + 1) % n);
      } else if (e.key === "ArrowUp" && n) {
        e.preventDefault();
        highlight(this.activeSuggestion <= 0 ? n - 1 : this.activeSuggestion - 1);
      } else if (e.key === "Enter" && !list.hidden) {
        e.preventDefault(); // Enter chooses a suggestion; it must not submit the form
        pick(this.activeSuggestion >= 0 ? this.activeSuggestion : 0);
      } else if (e.key === "Escape" && !list.hidden) {
        e.preventDefault();
        close();
      }
    });
    list.addEventListener("mousedown", (e) => e.preventDefault()); // keep focus in the input
    list.addEventListener("click", (e) => {
      const li = (e.target as HTMLElement).closest<HTMLElement>("li[data-index]");
      if (li) pick(Number(li.dataset.index));
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
  }

  private async choosePlace(p: Omit<Place, "location">) {
    const location = await api.locate(p.lat, p.lon);
    this.state = updateDraft(this.state, { place: { ...p, location } });
    const input = document.getElementById("place-search") as HTMLInputElement | null;
    if (input) {
      input.value = p.label;
      input.removeAttribute("aria-invalid");
    }
    $("#place-status", this.root).textContent = this.placeText(this.state.draft.place);
    this.picker?.show(this.state.draft.place);
    this.markInvalid();
  }

  // Step 2 -------------------------------------------------------------------------------------

  private questionsHtml(): TemplateResult {
    const lessons = getContent().lessons.lessons;
    const lang = currentLang();
    const lesson = lessons[this.state.lessonIndex];
    const p = progress(this.state, lessons);
    const statements = lesson.statements.map((st, i) => {
      const current = this.state.answers[st.id];
      const options = SCALE.map((o) => {
        const v = o.value === null ? "dk" : String(o.value);
        const checked = st.id in this.state.answers && current === o.value;
        return html`<label class="scale-option"><input class="utrecht-radio-button utrecht-radio-button--html-input" type="radio" name="st-${st.id}" id="st-${st.id}-${v}" value="${v}" ?checked=${checked} /> <span>${t(o.key)}</span></label>`;
      });
      return html`<fieldset class="statement" data-statement="${st.id}"><legend><span class="statement-number">${i + 1}.</span> ${st.text[lang]}</legend>
          <p class="visually-hidden">${t("scaleLegend")}</p><div class="scale">${options}</div></fieldset>`;
    });
    const last = isLastLesson(this.state, lessons);
    const round = this.state.session;
    const who = round
      ? html`<p class="eyebrow" id="member-label">${t("memberOf", { n: round.members + 1 })}${this.state.member.onPaper ? ` · ${t("resultOnPaper")}` : ""}</p>`
      : "";
    const saveLabel = round ? t("memberDone") : t("saveAndShow");
    return html`${who}
      <h1 id="questions-heading">${t("questionsHeading")}: <span>${t("lessonProgress", { current: p.current, total: p.total })}</span></h1>
      <progress id="lesson-progress" max="${p.total}" value="${p.current}" aria-label="${t("lessonProgress", { current: p.current, total: p.total })}"></progress>
      <form id="questions-form" class="form questions" data-lesson="${p.current}" novalidate>
        <p class="eyebrow">${t("lessonEyebrow", { strategy: strategyName(lesson.strategy), number: lesson.number })}</p>
        <h2 id="lesson-title">${lesson.title[lang]}</h2>
        <p class="lesson-summary">${lesson.summary[lang]}</p>
        ${statements}
        <div class="actions">
          <button type="button" class="utrecht-button utrecht-button--secondary-action" id="q-back">${t("previous")}</button>
          ${
            last
              ? html`<button type="submit" class="utrecht-button utrecht-button--primary-action" id="q-save" ?disabled=${this.saving}>${this.saving ? t("saving") : saveLabel}</button>`
              : html`<button type="submit" class="utrecht-button utrecht-button--primary-action" id="q-next">${t("next")}</button>`
          }
        </div>
      </form>`;
  }

  private wireQuestions() {
    const form = $<HTMLFormElement>("#questions-form", this.root);
    form.addEventListener("change", (e) => {
      const input = e.target as HTMLInputElement;
      if (input.type !== "radio") return;
      const id = input.closest<HTMLElement>("fieldset")!.dataset.statement!;
      this.state = answer(
        this.state,
        id,
        input.value === "dk" ? null : (Number(input.value) as Answer),
      );
    });
    $("#q-back", this.root).addEventListener("click", () => {
      // A member's first lesson goes back to the hand-over screen, never to the initiative.
      if (this.state.session && this.state.lessonIndex === 0)
        this.go({ ...this.state, step: "handover", answers: {} });
      else this.go(back(this.state));
    });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const lessons = getContent().lessons.lessons;
      if (!isLastLesson(this.state, lessons))
        this.go(next(this.state, lessons, getContent().limits));
      else if (this.state.session) this.saveMember().catch(showError);
      else this.save().catch(showError);
    });
  }

  // A group round ------------------------------------------------------------------------------

  private async startRound() {
    const status = await api.startGroup(toSessionStart(this.state));
    this.announcement = t("roundStarted");
    this.go(nextMember(this.state, status));
  }

  private async saveMember() {
    if (this.saving || !this.state.session) return;
    this.saving = true;
    this.render();
    try {
      const status = await api.addGroupMember(this.state.session.id, toMember(this.state));
      this.saving = false;
      this.announcement = t("handoverSaved");
      // The screen clears: nothing of this member's answers stays in the state or the page.
      this.go(nextMember(this.state, status));
    } finally {
      this.saving = false;
    }
  }

  /** Between members: nothing of the one before, the next one's role, and the facilitator's buttons. */
  private handoverHtml(): TemplateResult {
    const round = this.state.session!;
    const roles = ROLES.map(
      (r) =>
        html`<label class="radio"><input class="utrecht-radio-button utrecht-radio-button--html-input" type="radio" name="member-role" id="member-role-${r}" value="${r}"/> ${t(`role_${r}` as MessageKey)}</label>`,
    );
    const full = round.members >= round.max_members;
    const canClose = round.members >= round.min_members;
    const said = this.announcement;
    this.announcement = "";
    return html`
      <h1 id="handover-heading">${t("handoverHeading", { name: round.initiative_name })}</h1>
      <p class="notice" id="handover-status" role="status">${said ? `${said} ` : ""}${t("handoverCount", { n: round.members, max: round.max_members })}</p>
      ${
        full
          ? ""
          : html`<form id="member-form" class="form" novalidate>
        <p>${t("handoverNext")}</p>
        <fieldset class="field" id="member-role-field"><legend>${t("memberRoleLegend")}</legend>${roles}</fieldset>
        <label class="check"><input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" id="member-paper"/> ${t("memberPaper")}</label>
        <p id="member-error" class="form-error" role="alert" hidden></p>
        <div class="actions"><button type="submit" class="utrecht-button utrecht-button--primary-action" id="member-start">${t("memberStart", { n: round.members + 1 })}</button></div>
      </form>`
      }
      <section class="facilitator" aria-labelledby="facilitator-heading"><h2 id="facilitator-heading">${t("facilitatorHeading")}</h2>
        <p class="hint" id="close-hint">${t("closeRoundHint", { min: round.min_members })}</p>
        <div class="actions">
          <button type="button" class="utrecht-button utrecht-button--primary-action" id="close-round" aria-disabled=${canClose ? nothing : "true"} aria-describedby="close-hint">${t("closeRound")}</button>
          <button type="button" class="utrecht-button utrecht-button--secondary-action" id="cancel-round">${t("cancelRound")}</button>
        </div>
      </section>`;
  }

  private wireHandover() {
    const round = this.state.session!;
    document.getElementById("member-form")?.addEventListener("submit", (e) => {
      e.preventDefault();
      const role = $$<HTMLInputElement>('input[name="member-role"]', this.root).find(
        (r) => r.checked,
      )?.value as Role | undefined;
      if (!role) {
        const err = $("#member-error", this.root);
        err.textContent = t("memberRoleMissing");
        err.hidden = false;
        $("#member-role-field", this.root).setAttribute("aria-invalid", "true");
        document.getElementById("member-role-resident")?.focus();
        return;
      }
      const paper = (document.getElementById("member-paper") as HTMLInputElement).checked;
      this.go(beginMember(this.state, role, paper));
    });
    $("#close-round", this.root).addEventListener("click", async () => {
      if (round.members < round.min_members) {
        $("#close-hint", this.root).classList.add("form-error");
        $("#close-hint", this.root).setAttribute("role", "alert");
        return;
      }
      try {
        const preview = await api.groupResult(round.id, currentLang());
        this.groupNotes = {};
        this.groupPlan = [];
        this.planProblems = { problems: [], rows: [] };
        this.go({ ...this.state, step: "group", result: preview });
      } catch (x) {
        showError(x);
      }
    });
    $("#cancel-round", this.root).addEventListener("click", async () => {
      if (!window.confirm(t("cancelConfirm"))) return;
      try {
        await api.cancelGroup(round.id);
        await this.restart();
      } catch (x) {
        showError(x);
      }
    });
  }

  /** The close of the round: the group's result, then its notes and plan. */
  private groupHtml(): TemplateResult {
    const r = this.state.result!;
    return html`<div id="result">${resultHtml(r, "", false)}</div>${conversationFormHtml(r, this.groupNotes, this.groupPlan, planFaults(this.planProblems.problems, this.planProblems.rows))}`;
  }

  private wireGroup() {
    wireCaseButtons(this.root, this.host);
    $$<HTMLAnchorElement>("#plan-problems a", this.root).forEach((a) =>
      a.addEventListener("click", (e) => {
        e.preventDefault();
        document.getElementById(a.dataset.focus!)?.focus();
      }),
    );
    const form = $<HTMLFormElement>("#group-form", this.root);
    form.addEventListener("input", () => {
      const read = readConversationForm(this.root);
      this.groupNotes = read.notes;
      this.groupPlan = read.plan;
    });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (this.saving) return;
      const read = readConversationForm(this.root);
      this.groupNotes = read.notes;
      this.groupPlan = read.plan;
      const input = conversationInput(this.groupNotes, this.groupPlan);
      const button = $<HTMLButtonElement>("#group-save", this.root);
      this.saving = true;
      button.disabled = true;
      try {
        // Every wrong field at once, beside the field and in a summary that names the action.
        const problems = await api.checkPlan(input.actions);
        this.planProblems = { problems, rows: planRows(this.groupPlan) };
        if (problems.length) {
          this.saving = false;
          this.render();
          $("#plan-problems", this.root).focus();
          return;
        }
        const lang = currentLang();
        const result = await api.closeGroup(this.state.session!.id, input, lang);
        this.chartSvg = await api.resultChart(result.id, lang);
        this.saving = false;
        await this.loadInitiatives();
        this.go({ ...withResult(this.state, result), session: null });
      } catch (x) {
        this.saving = false;
        button.disabled = false;
        const err = $("#group-error", this.root);
        err.textContent = residentMessage(x);
        err.hidden = false;
      }
    });
  }

  private async save() {
    if (this.saving) return;
    this.saving = true;
    this.render();
    try {
      const lang = currentLang();
      const result = await api.saveCheck(toCheckInput(this.state), lang);
      this.chartSvg = await api.resultChart(result.id, lang);
      this.saving = false;
      await this.loadInitiatives();
      this.go(withResult(this.state, result));
    } finally {
      this.saving = false;
    }
  }

  // Step 3 -------------------------------------------------------------------------------------

  private resultHtml(): TemplateResult {
    const r = this.state.result!;
    const code = r.return_code
      ? html`<div class="return-code" id="return-code-box"><p>${t("returnCodeYours")}: <strong id="return-code-value">${r.return_code}</strong></p><p>${t("returnCodeHelp")}</p></div>`
      : "";
    // Saved all the same: the person's answers are safe; the coordinator should know.
    const backup = r.backup_failed
      ? html`<p class="notice" id="backup-warning" role="status">${t("backupFailedAfterSave")}</p>`
      : "";
    return html`${backup}${code}<div id="result">${resultHtml(r, this.chartSvg)}</div>
      <div class="actions no-print">
        ${printButtonHtml()}
        ${
          // A resident on a kiosk never meets a save or print dialog: it browses the machine's folders.
          locked()
            ? ""
            : html`<button type="button" class="utrecht-button utrecht-button--primary-action" id="r-pdf">${t("savePdf")}</button>
        <button type="button" class="utrecht-button utrecht-button--secondary-action" id="r-print">${t("print")}</button>
        <button type="button" class="utrecht-button utrecht-button--secondary-action" id="r-initiative">${t("toInitiative")}</button>`
        }
        <button type="button" class="utrecht-button utrecht-button--secondary-action" id="r-new">${t("newCheck")}</button>
      </div>${printStatusHtml()}`;
  }

  private wireResult() {
    wireCaseButtons(this.root, this.host);
    wirePdfButton(this.root, this.state.result!.id, showError);
    wirePrintButton(this.root, this.state.result!.id);
    document.getElementById("r-print")?.addEventListener("click", () => window.print());
    document
      .getElementById("r-initiative")
      ?.addEventListener("click", () => this.host.openInitiative(this.state.result!.initiative_id));
    $("#r-new", this.root).addEventListener("click", () => this.restart().catch(showError));
  }
}

export function wireCaseButtons(root: HTMLElement, host: Pick<SelfCheckHost, "showCaseOnMap">) {
  $$<HTMLButtonElement>("[data-show-case]", root).forEach((b) =>
    b.addEventListener("click", () => host.showCaseOnMap(b.dataset.showCase!)),
  );
}
