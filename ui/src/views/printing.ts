// A resident's report on a kiosk: printed straight on the printer the coordinator chose, so a
// resident never meets a save or print dialog (which browses the machine's folders).
import { api } from "../api";
import { html, type TemplateResult } from "lit-html";
import { currentLang, t } from "../i18n";
import { kioskPrinter } from "../kiosk";
import { problemText } from "../problems";

/** On a kiosk with a printer chosen: the report straight to that printer, without a dialog. */
export function printButtonHtml(): TemplateResult | string {
  const printer = kioskPrinter();
  return printer
    ? html`<button type="button" class="utrecht-button utrecht-button--primary-action" id="r-print-report" aria-describedby="r-print-where">${t("printReport")}</button>`
    : "";
}

/** Where the report comes out, and (after a click) how printing went. */
export function printStatusHtml(): TemplateResult | string {
  const printer = kioskPrinter();
  return printer
    ? html`<p class="hint no-print" id="r-print-where">${t("printReportOn", { printer })}</p>
        <p class="notice no-print" id="r-printed" role="status" hidden></p>
        <p class="form-error no-print" id="r-print-error" role="alert" hidden></p>`
    : "";
}

export function wirePrintButton(root: HTMLElement, checkId: string) {
  const button = root.querySelector<HTMLButtonElement>("#r-print-report");
  button?.addEventListener("click", async () => {
    const done = root.querySelector<HTMLElement>("#r-printed")!;
    const error = root.querySelector<HTMLElement>("#r-print-error")!;
    error.hidden = true;
    done.hidden = false;
    done.textContent = t("printingNow");
    button.disabled = true;
    try {
      const printer = await api.printReport(checkId, currentLang());
      done.textContent = t("printedOn", { printer });
    } catch (e) {
      done.hidden = true;
      error.textContent = `${problemText(e)} ${t("printAskCoordinator")}`;
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
}
