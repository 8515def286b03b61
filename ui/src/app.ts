// What every view shares: the content from the core, the current language, and navigation.
import type { Area, Basemap, Case, LessonsAndStrategies } from "./api";
import type { Limits } from "./bindings/Limits";
import type { TargetGroup } from "./bindings/TargetGroup";
import type { Strategy } from "./bindings/Strategy";
import { problemText } from "./problems";
import { currentLang, t, type MessageKey } from "./i18n";

export type ViewName = "map" | "check" | "initiatives" | "municipality" | "settings";

export interface Content {
  cases: Case[];
  lessons: LessonsAndStrategies;
  basemap: Basemap;
  /** Every limit a person meets, from the core. */
  limits: Limits;
  /** The target groups a self-check offers (ids; the store keeps ids). */
  targetGroups: TargetGroup[];
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

/** The case's label from the core: its name, or the place Movisie names, in the screen's language. */
export const caseName = (c: Case) => c.label[currentLang()];
/** What is known of a place's wijk: its name, that it lies in none, or that this build has no
 * wijken at all (the fallback geography). */
export const wijkText = (wijk: Area | null | undefined) =>
  wijk
    ? t("placeWijk", { wijk: wijk.name })
    : content.basemap.wijken
      ? t("placeNoWijk")
      : t("wijkUnknownBuild");

/** Shows a message that must not be missed, in the alert region. */
export function showNotice(text: string) {
  const box = document.getElementById("app-error")!;
  box.textContent = text;
  box.hidden = false;
}

export function showError(err: unknown) {
  const box = document.getElementById("app-error")!;
  box.textContent = `${t("errorPrefix")} ${problemText(err)}`;
  box.hidden = false;
}

export function clearError() {
  document.getElementById("app-error")!.hidden = true;
}
