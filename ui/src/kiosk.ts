// The kiosk session on screen: who may see what (the shell enforces it; this only shows it),
// "Klaar", the coordinator's PIN, and the inactivity timeout with a warning first.
import { isProblem, problemText } from "./problems";
import { api } from "./api";
import { getContent } from "./app";
import type { KioskStatus } from "./bindings/KioskStatus";
import { html, type TemplateResult } from "lit-html";
import { t } from "./i18n";

let status: KioskStatus = {
  kiosk: false,
  unlocked: true,
  has_pin: false,
  timeout_minutes: 5,
  contact_enabled: false,
  controller: "",
  contact_retention: "",
  printer: null,
};
let onEnd: () => void = () => {};
let lastActivity = Date.now();
let timer: number | undefined;

export const kiosk = () => status;
export const locked = () => status.kiosk && !status.unlocked;
/** The printer a resident's report goes to on a kiosk, straight away (null: no printing there). */
export const kioskPrinter = () => (status.kiosk ? status.printer : null);

/** Goes to a screen. On a kiosk the step replaces the current history entry: a visit leaves
 * nothing behind in the web view's history, so Back after "Klaar" shows nothing of it. */
export function navigate(hash: string) {
  if (status.kiosk) location.replace(hash);
  else location.hash = hash;
}

export function setStatus(s: KioskStatus) {
  status = s;
  document.body.dataset.kiosk = s.kiosk ? "1" : "0";
  document.body.dataset.locked = locked() ? "1" : "0";
  lastActivity = Date.now();
  schedule();
}

/** When the warning shows: a minute before the end, or halfway for very short timeouts. */
export function warnAfterMs(timeoutMinutes: number): number {
  const total = timeoutMinutes * 60_000;
  return Math.max(total - 60_000, total / 2);
}

function schedule() {
  window.clearInterval(timer);
  if (!status.kiosk) return;
  timer = window.setInterval(() => {
    const idle = Date.now() - lastActivity;
    const total = status.timeout_minutes * 60_000;
    const dialog = document.getElementById("timeout-dialog") as HTMLDialogElement | null;
    if (idle >= total) {
      dialog?.close();
      endSession().catch(() => {});
    } else if (idle >= warnAfterMs(status.timeout_minutes) && dialog && !dialog.open) {
      dialog.showModal();
    }
  }, 1000);
}

export function initKiosk(end: () => void) {
  onEnd = end;
  for (const ev of ["pointerdown", "keydown", "input", "wheel"]) {
    document.addEventListener(
      ev,
      () => {
        const dialog = document.getElementById("timeout-dialog") as HTMLDialogElement | null;
        if (!dialog?.open) lastActivity = Date.now();
      },
      { capture: true, passive: true },
    );
  }
  document.getElementById("timeout-continue")?.addEventListener("click", () => {
    lastActivity = Date.now();
    (document.getElementById("timeout-dialog") as HTMLDialogElement).close();
  });
}

/** "Klaar" or the timeout: the shell forgets this person; the screens start afresh. */
export async function endSession() {
  setStatus(await api.endSession());
  onEnd();
}

/** The coordinator's PIN form, shown where a locked screen would be. */
export function lockScreenHtml(): TemplateResult {
  return html`<div class="page"><h1 id="lock-heading">${t("lockedHeading")}</h1><p>${t("lockedIntro")}</p>
    <form id="unlock-form" class="form" novalidate>
      <div class="field"><label for="unlock-pin">${t("pinLabel")}</label>
        <input id="unlock-pin" type="password" inputmode="numeric" autocomplete="off" maxlength="${getContent().limits.pin_digits_max}" class="utrecht-textbox utrecht-textbox--html-input"/></div>
      <p id="unlock-error" class="form-error" role="alert" hidden></p>
      <div class="actions"><button type="submit" class="utrecht-button utrecht-button--primary-action" id="unlock-submit">${t("unlock")}</button></div>
    </form></div>`;
}

export function wireLockScreen(root: HTMLElement, unlocked: () => void) {
  root.querySelector("#unlock-form")?.addEventListener("submit", async (e) => {
    e.preventDefault();
    const input = root.querySelector<HTMLInputElement>("#unlock-pin")!;
    const err = root.querySelector<HTMLElement>("#unlock-error")!;
    try {
      setStatus(await api.unlock(input.value));
      unlocked();
    } catch (x) {
      err.textContent = residentMessage(x);
      err.hidden = false;
      input.value = "";
      input.focus();
    }
  });
}

/** The core's kiosk problems in words meant for a resident at the kiosk; others as the core words them. */
export function residentMessage(err: unknown): string {
  if (isProblem(err)) {
    switch (err.kind) {
      case "pin_wrong":
        return t("pinWrong", { left: err.values.left ?? "" });
      case "pin_locked":
        return t("pinLocked");
      case "kiosk_unknown_code":
        return t("codeUnknown");
      case "kiosk_too_many_codes":
        return t("codeTooMany");
      case "kiosk_locked":
        return t("lockedIntro");
    }
  }
  return problemText(err);
}
