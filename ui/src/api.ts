// The only door to Rust: every call goes through the shell's commands (src-tauri/src/commands.rs).
// The types are generated from the Rust types by ts-rs (ui/src/bindings), so they cannot drift.
import type { About } from "./bindings/About";
import type { Basemap } from "./bindings/Basemap";
import type { Case } from "./bindings/Case";
import type { CheckInput } from "./bindings/CheckInput";
import type { CheckResult } from "./bindings/CheckResult";
import type { History } from "./bindings/History";
import type { InitiativeOverview } from "./bindings/InitiativeOverview";
import type { Lang } from "./bindings/Lang";
import type { LessonsAndStrategies } from "./bindings/LessonsAndStrategies";
import type { Location } from "./bindings/Location";
import type { PlaceHit } from "./bindings/PlaceHit";

export type { Area } from "./bindings/Area";
export type { Case, Lang, LessonsAndStrategies, Basemap };
export type { Strategy } from "./bindings/Strategy";

interface TauriGlobal { core: { invoke<T>(cmd: string, args?: Record<string, unknown>): Promise<T> } }

function tauri(): TauriGlobal {
  const t = (window as unknown as { __TAURI__?: TauriGlobal }).__TAURI__;
  if (!t) throw new Error("Wijkkompas must run inside its desktop app (window.__TAURI__ is missing)");
  return t;
}

const invoke = <T>(cmd: string, args?: Record<string, unknown>) => tauri().core.invoke<T>(cmd, args);

export const api = {
  about: () => invoke<About>("about"),
  cases: () => invoke<Case[]>("cases"),
  lessons: () => invoke<LessonsAndStrategies>("lessons"),
  basemap: () => invoke<Basemap>("basemap"),
  locate: (lat: number, lon: number) => invoke<Location>("locate", { lat, lon }),
  searchPlaces: (query: string, limit = 8) => invoke<PlaceHit[]>("search_places", { query, limit }),
  getLanguage: () => invoke<Lang>("get_language"),
  setLanguage: (lang: Lang) => invoke<void>("set_language", { lang }),
  saveCheck: (input: CheckInput, lang: Lang) => invoke<CheckResult>("save_check", { input, lang }),
  initiatives: () => invoke<InitiativeOverview[]>("initiatives"),
  history: (initiativeId: string) => invoke<History>("history", { initiativeId }),
  checkResult: (checkId: string, lang: Lang) => invoke<CheckResult>("check_result", { checkId, lang }),
  resultChart: (checkId: string, lang: Lang) => invoke<string>("result_chart", { checkId, lang }),
};
