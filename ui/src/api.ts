// The only door to Rust: every call goes through the shell's commands (see src-tauri/src/commands.rs).
export type Lang = "nl" | "en";
export type Strategy = "bonding" | "bridging" | "linking";
export interface Localized { nl: string; en: string }
export interface Area { code: string; name: string }

export interface Case {
  id: string;
  bundle: number;
  year: number;
  name: string | null;
  name_confidence: "known" | "probable" | "unknown";
  neighbourhood: string | null;
  place: string | null;
  municipality: Area | null;
  province: Area | null;
  lat: number | null;
  lon: number | null;
  coordinates_note: string | null;
  online: boolean;
  strategies: Strategy[];
  target_groups: string[];
  summary: Localized;
  confidence: string;
  sources: string[];
}

export interface Statement { id: string; text: Localized; reverse: boolean }
export interface Lesson {
  id: string;
  strategy: Strategy;
  number: number;
  title: Localized;
  summary: Localized;
  tips: { policy: Localized; professional: Localized; resident: Localized };
  statements: Statement[];
}
export interface StrategyInfo { id: Strategy; name: Localized; summary: Localized }
export interface LessonsAndStrategies { strategies: StrategyInfo[]; lessons: Lesson[] }

export interface Basemap {
  official: boolean;
  municipalities: string | null;
  provinces: string;
  country: string | null;
}

export interface About {
  version: string;
  official_geography: boolean;
  lessons_source: string;
  cases_source: string;
  database: string | null;
}

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
  getLanguage: () => invoke<Lang>("get_language"),
  setLanguage: (lang: Lang) => invoke<void>("set_language", { lang }),
};
