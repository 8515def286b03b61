// What every view shares: the content from the core, the current language, and navigation.
import type { Basemap, Case, LessonsAndStrategies } from "./api";
import type { Strategy } from "./bindings/Strategy";
import { t, type MessageKey } from "./i18n";

export type ViewName = "map" | "check" | "initiatives" | "municipality" | "settings";

export interface Content {
  cases: Case[];
  lessons: LessonsAndStrategies;
  basemap: Basemap;
}

export interface View {
  /** Draws the view in the current language; called on entry and after a language switch. */
  render(): void;
}

let content: Content;
export const setContent = (c: Content) => (content = c);
export const getContent = () => content;

export const strategyName = (s: Strategy) => t(`strategy_${s}` as MessageKey);
export const lessonById = (id: string) => content.lessons.lessons.find((l) => l.id === id);
export const caseById = (id: string) => content.cases.find((c) => c.id === id);

const placeOf = (c: Case) => c.municipality?.name ?? c.place ?? t("online");
export const caseName = (c: Case) => c.name ?? t("nameUnknown", { place: c.online ? t("online").toLowerCase() : placeOf(c) });

/** Shows a message that must not be missed, in the alert region. */
export function showNotice(text: string) {
  const box = document.getElementById("app-error")!;
  box.textContent = text;
  box.hidden = false;
}

export function showError(err: unknown) {
  const box = document.getElementById("app-error")!;
  box.textContent = `${t("errorPrefix")} ${err instanceof Error ? err.message : String(err)}`;
  box.hidden = false;
}

export function clearError() {
  document.getElementById("app-error")!.hidden = true;
}
