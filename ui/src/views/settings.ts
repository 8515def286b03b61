// Instellingen (the coordinator's): this machine's name (carried by its bundles), kiosk mode and PIN, timeout, the municipality's key for
// encrypted bundles, retention, rounded locations, the optional contact field, and backups.
import { problemText } from "../problems";
import { api } from "../api";
import type { Skipped } from "../bindings/Skipped";
import type { Settings } from "../bindings/Settings";
import type { SyncSummary } from "../bindings/SyncSummary";
import { getContent, showError, type View } from "../app";
import { html, type TemplateResult } from "lit-html";
import { $, draw, formatDate } from "../dom";
import { currentLang, t } from "../i18n";
import { endSession, setStatus } from "../kiosk";

/** Words shown after an action: made again at each drawing, so they follow a language switch. */
type Said = () => TemplateResult | string;
/** Which button a message answers: it is shown beside that button. */
type Place = "save" | "key" | "sync" | "backup";

export class SettingsView implements View {
  private settings: Settings | null = null;
  private message: { place: Place; said: Said } | null = null;
  private syncError: (() => string) | null = null;

  constructor(private root: HTMLElement) {}

  async enter() {
    this.settings = await api.getSettings();
    await this.renderAsync();
  }

  render() {
    this.renderAsync().catch(showError);
  }

  private async renderAsync() {
    const s = this.settings;
    if (!s) return;
    const backups = await api.listBackups().catch(() => []);
    // No CUPS on this machine: said beside the choice, which then offers only "no printer".
    const printers = await api.printers().then(
      (names) => ({ names, problem: "" }),
      (x) => ({ names: [] as string[], problem: problemText(x) }),
    );
    const lang = currentLang();
    const check = (id: string, on: boolean, label: string) =>
      html`<label class="check"><input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" id="${id}" ?checked=${on} /> ${label}</label>`;
    draw(
      this.root,
      html`<div class="page"><h1>${t("settingsHeading")}</h1>
      <form id="settings-form" class="form" novalidate>
        <fieldset class="field"><legend>${t("machineLegend")}</legend>
          <label for="set-machine-name">${t("machineNameLabel")}</label>
          <input id="set-machine-name" type="text" maxlength="${getContent().limits.machine_name_chars}" value="${s.machine_name}" aria-describedby="set-machine-note" autocomplete="off" class="utrecht-textbox utrecht-textbox--html-input"/>
          <p id="set-machine-note" class="hint">${t("machineNameNote")} <span class="machine-id">${t("machineIdIs", { id: s.machine_id })}</span></p>
        </fieldset>
        <fieldset class="field"><legend>${t("kioskLegend")}</legend>
          ${check("set-kiosk", s.kiosk, t("kioskOn"))}
          <label for="set-pin">${s.has_pin ? t("pinChange") : t("pinNew", { min: getContent().limits.pin_digits_min, max: getContent().limits.pin_digits_max })}</label>
          <input id="set-pin" type="password" inputmode="numeric" autocomplete="new-password" maxlength="${getContent().limits.pin_digits_max}" class="utrecht-textbox utrecht-textbox--html-input"/>
          <label for="set-timeout">${t("timeoutLabel")}</label>
          <input id="set-timeout" type="number" min="${getContent().limits.timeout_minutes_min}" max="${getContent().limits.timeout_minutes_max}" value="${s.timeout_minutes}" class="utrecht-textbox utrecht-textbox--html-input"/>
          ${printerChoice(s.printer, printers.names, printers.problem)}
        </fieldset>
        <fieldset class="field"><legend>${t("keyLegend")}</legend>
          <label for="set-key">${t("publicKeyLabel")}</label>
          <input id="set-key" type="text" autocomplete="off" value="${s.public_key ?? ""}" class="utrecht-textbox utrecht-textbox--html-input"/>
          <div class="actions"><button type="button" id="gen-key" class="utrecht-button utrecht-button--secondary-action">${t("generateKey")}</button></div>
          ${this.said("key", "key-message")}
        </fieldset>
        <fieldset class="field"><legend>${t("privacyLegend")}</legend>
          <label for="set-retention">${t("retentionLabel")}</label>
          <input id="set-retention" type="number" min="0" max="${getContent().limits.retention_months_max}" value="${s.retention_months ?? 0}" aria-describedby="set-retention-note" class="utrecht-textbox utrecht-textbox--html-input"/>
          <p id="set-retention-note" class="hint">${t("retentionBackupsNote")}</p>
          ${check("set-round", s.round_location, t("roundLabel"))}
          ${check("set-contact", s.contact_enabled, t("contactEnabledLabel"))}
          <label for="set-controller">${t("controllerLabel")}</label>
          <input id="set-controller" type="text" maxlength="${getContent().limits.setting_text_chars}" value="${s.controller}" class="utrecht-textbox utrecht-textbox--html-input"/>
          <label for="set-contact-retention">${t("contactRetentionLabel")}</label>
          <input id="set-contact-retention" type="text" maxlength="${getContent().limits.setting_text_chars}" value="${s.contact_retention}" class="utrecht-textbox utrecht-textbox--html-input"/>
        </fieldset>
        <p id="settings-error" class="form-error" role="alert" hidden></p>
        <div class="actions"><button type="submit" class="utrecht-button utrecht-button--primary-action" id="settings-save">${t("saveSettings")}</button></div>
        ${this.said("save", "settings-message")}
      </form>
      <h2 id="sync-heading">${t("syncHeading")}</h2>
      <p>${t("syncIntro")}</p>
      <form id="sync-form" class="form" novalidate aria-labelledby="sync-heading">
        <label for="sync-url">${t("syncUrlLabel")}</label>
        <input id="sync-url" type="text" autocomplete="off" spellcheck="false" value="${s.sync_url}" aria-describedby="sync-url-hint" class="utrecht-textbox utrecht-textbox--html-input"/>
        <p id="sync-url-hint" class="hint">${t("syncUrlHint")}</p>
        <label for="sync-password">${t("syncPasswordLabel")}</label>
        <input id="sync-password" type="password" autocomplete="off" class="utrecht-textbox utrecht-textbox--html-input"/>
        <p id="sync-error" class="form-error" role="alert" ?hidden=${!this.syncError}>${this.syncError?.() ?? ""}</p>
        <div class="actions"><button type="submit" class="utrecht-button utrecht-button--secondary-action" id="sync-now">${t("syncNow")}</button></div>
        <div id="sync-status" class="notice" role="status" tabindex="-1" ?hidden=${this.message?.place !== "sync"}>${this.message?.place === "sync" ? this.message.said() : ""}</div>
        <div id="sync-skipped" hidden></div>
      </form>
      <h2>${t("backupsHeading")}</h2>
      <div class="actions"><button type="button" id="backup-now" class="utrecht-button utrecht-button--secondary-action">${t("backupNow")}</button></div>
      ${this.said("backup", "backup-message")}
      ${
        backups.length
          ? html`<table class="utrecht-table utrecht-table--html-table data-table" id="backups-table"><thead><tr><th scope="col">${t("colDate")}</th><th scope="col">${t("backupFile")}</th><th scope="col"><span class="visually-hidden">${t("restore")}</span></th></tr></thead><tbody>${backups.map(
              (b) =>
                html`<tr><td>${formatDate(b.made_at, lang)}</td><td class="path">${b.path}</td><td><button type="button" class="link-like" data-restore="${b.path}" aria-label="${t("restoreOf", { date: formatDate(b.made_at, lang) })}">${t("restore")}</button></td></tr>`,
            )}</tbody></table>`
          : html`<p>${t("noBackups")}</p>`
      }
    </div>`,
    );
    this.wire();
  }

  /** The message for `place`, beside its button (and nothing elsewhere). */
  private said(place: Place, id: string) {
    const m = this.message?.place === place ? this.message.said : null;
    return html`<p id="${id}" class="notice" role="status" tabindex="-1" ?hidden=${!m}>${m?.() ?? ""}</p>`;
  }

  /** Shows `said` beside the button of `place` and moves the focus to it. */
  private async say(place: Place, said: Said, id: string) {
    this.message = { place, said };
    await this.renderAsync();
    document.getElementById(id)?.focus();
  }

  private wire() {
    const val = (id: string) => (document.getElementById(id) as HTMLInputElement).value;
    const on = (id: string) => (document.getElementById(id) as HTMLInputElement).checked;
    $("#settings-form", this.root).addEventListener("submit", async (e) => {
      e.preventDefault();
      const err = $("#settings-error", this.root);
      try {
        const retention = Number(val("set-retention"));
        const next: Settings = {
          ...this.settings!,
          kiosk: on("set-kiosk"),
          timeout_minutes: Number(val("set-timeout")),
          public_key: val("set-key").trim() || null,
          retention_months: retention > 0 ? retention : null,
          round_location: on("set-round"),
          contact_enabled: on("set-contact"),
          controller: val("set-controller"),
          contact_retention: val("set-contact-retention"),
          machine_name: val("set-machine-name"),
          printer: val("set-printer") || null,
        };
        this.settings = await api.saveSettings(next, val("set-pin") || null);
        const status = await api.kioskStatus();
        setStatus(status);
        // Kiosk mode just switched on: locked, on the start screen, with nothing of these
        // settings (sync, backups) left on display.
        if (status.kiosk && !status.unlocked) {
          await endSession();
          return;
        }
        await this.say("save", () => t("settingsSaved"), "settings-message");
      } catch (x) {
        err.textContent = problemText(x);
        err.hidden = false;
      }
    });
    $("#sync-form", this.root).addEventListener("submit", async (e) => {
      e.preventDefault();
      const err = $("#sync-error", this.root);
      const button = $<HTMLButtonElement>("#sync-now", this.root);
      const password = document.getElementById("sync-password") as HTMLInputElement;
      // Said next to the button, where the person is looking.
      const status = $("#sync-status", this.root);
      const show = (said: Said | null) => {
        this.message = said ? { place: "sync", said } : null;
        draw(status, said?.() ?? "");
        status.hidden = !said;
      };
      this.syncError = null;
      err.hidden = true;
      button.disabled = true;
      showSkipped($("#sync-skipped", this.root), []);
      show(() => t("syncing"));
      try {
        // The address is remembered (never a password); the password only travels with this sync.
        if (val("sync-url").trim() !== this.settings!.sync_url) {
          this.settings = await api.saveSettings(
            { ...this.settings!, sync_url: val("sync-url").trim() },
            null,
          );
        }
        const r = await api.syncShared(password.value || null);
        password.value = "";
        show(() => syncResultHtml(r));
        showSkipped($("#sync-skipped", this.root), r.skipped);
      } catch (x) {
        show(null);
        // Kept as the problem itself, so a language switch words it again.
        const words = () => problemText(x);
        this.syncError = words;
        err.textContent = words();
        err.hidden = false;
      } finally {
        button.disabled = false;
      }
    });
    $("#gen-key", this.root).addEventListener("click", async () => {
      const key = await api.generateKeyPair().catch((x) => {
        showError(x);
        return null;
      });
      if (key) {
        (document.getElementById("set-key") as HTMLInputElement).value = key;
        this.message = { place: "key", said: () => t("keyMade", { key }) };
        const m = $("#key-message", this.root);
        draw(m, this.message.said());
        m.hidden = false;
        m.focus();
      }
    });
    $("#backup-now", this.root).addEventListener("click", async () => {
      const path = await api.makeBackup().catch((x) => {
        showError(x);
        return null;
      });
      if (path) await this.say("backup", () => t("savedAs", { path }), "backup-message");
    });
    this.root.querySelectorAll<HTMLButtonElement>("[data-restore]").forEach((b) =>
      b.addEventListener("click", async () => {
        if (!window.confirm(t("restoreConfirm"))) return;
        const before = await api.restoreBackup(b.dataset.restore!).catch((x) => {
          showError(x);
          return null;
        });
        if (before)
          await this.say("backup", () => t("restored", { path: before }), "backup-message");
      }),
    );
  }
}

/** What a sync did, as a short list: what was not taken over first, then what went and came. */
function syncResultHtml(r: SyncSummary): TemplateResult {
  const sentConflicts = r.sent.conflicts.length;
  const receivedConflicts = r.received.conflicts.length;
  const items = [
    sentConflicts
      ? html`<li class="refused">${t("syncSentConflicts", { n: sentConflicts })}</li>`
      : "",
    receivedConflicts
      ? html`<li class="refused">${t("syncReceivedConflicts", { n: receivedConflicts })}</li>`
      : "",
    html`<li>${t("syncSent", { added: r.sent.added, skipped: r.sent.skipped })}</li>`,
    r.sent.tombstones ? html`<li>${t("syncErasures", { n: r.sent.tombstones })}</li>` : "",
    html`<li>${t("syncReceived", { added: r.received.added, skipped: r.received.skipped })}</li>`,
    r.removed ? html`<li>${t("syncRemoved", { n: r.removed })}</li>` : "",
  ];
  return html`${r.healed ? html`<p>${t("syncHealed")}</p>` : ""}<p>${t("syncDoneHead")}</p><ul class="result-list" id="sync-result">${items}</ul>`;
}

/** The printer a kiosk prints residents' reports on: none, or one of the printers CUPS knows (a
 * chosen printer CUPS no longer knows stays listed, marked as not found). */
function printerChoice(chosen: string | null, names: string[], problem: string) {
  const all = chosen && !names.includes(chosen) ? [chosen, ...names] : names;
  return html`<label for="set-printer">${t("printerLabel")}</label>
    <select id="set-printer" class="utrecht-select utrecht-select--html-select" aria-describedby="set-printer-hint">
      <option value="" ?selected=${!chosen}>${t("printerNone")}</option>
      ${all.map(
        (p) =>
          html`<option value="${p}" ?selected=${p === chosen}>${names.includes(p) ? p : t("printerNotFound", { printer: p })}</option>`,
      )}
    </select>
    <p id="set-printer-hint" class="hint">${t("printerHint")}${problem ? html` <span id="set-printer-problem">${problem}</span>` : ""}</p>`;
}

/** The server's rows a sync left out, each with its table, id, number and the rule it breaks:
 * listed on every sync until someone corrects them on the server. */
function showSkipped(box: HTMLElement, rows: Skipped[]) {
  box.replaceChildren();
  box.hidden = !rows.length;
  if (!rows.length) return;
  const heading = document.createElement("p");
  heading.textContent = t("syncSkippedHeading", { n: rows.length });
  const list = document.createElement("ul");
  list.id = "sync-skipped-rows";
  for (const row of rows) {
    const item = document.createElement("li");
    item.textContent = t("syncSkippedRow", {
      table: row.table,
      id: row.id,
      seq: row.seq,
      reason: problemText(row.reason),
    });
    list.append(item);
  }
  box.append(heading, list);
}
