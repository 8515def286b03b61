// Which cases a filter shows. Pure, so it is unit-tested without a window.
import type { Case, Lang } from "./api";
import type { Strategy } from "./bindings/Strategy";

export type StrategyChoice = Strategy | "unclassified";

export interface CaseFilter {
  text: string;
  strategies: Set<StrategyChoice>;
  bundle: number | null;
  province: string | null;
}

export const emptyFilter = (): CaseFilter => ({
  text: "",
  strategies: new Set(),
  bundle: null,
  province: null,
});

/** Lower case without accents, so "fryslan" finds "Fryslân". */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

function searchable(c: Case, lang: Lang): string {
  return fold(
    // Both languages of the names of places and groups, so a search finds them on either screen.
    [
      c.label.nl,
      c.label.en,
      c.neighbourhood?.nl,
      c.neighbourhood?.en,
      c.place?.nl,
      c.place?.en,
      c.municipality?.name,
      c.province?.name,
      c.summary[lang],
      ...c.target_groups.flatMap((g) => [g.nl, g.en]),
    ]
      .filter(Boolean)
      .join(" "),
  );
}

export function matches(c: Case, f: CaseFilter, lang: Lang): boolean {
  if (f.bundle !== null && c.bundle !== f.bundle) return false;
  if (f.province !== null && c.province?.code !== f.province) return false;
  if (f.strategies.size > 0) {
    const choices: StrategyChoice[] = c.strategies.length ? c.strategies : ["unclassified"];
    if (!choices.some((s) => f.strategies.has(s))) return false;
  }
  const words = fold(f.text).split(/\s+/).filter(Boolean);
  if (words.length) {
    const hay = searchable(c, lang);
    if (!words.every((w) => hay.includes(w))) return false;
  }
  return true;
}

export const filterCases = (cases: Case[], f: CaseFilter, lang: Lang) =>
  cases.filter((c) => matches(c, f, lang));
