/**
 * The core's problems in words. Every error from the shell is a Problem (a kind and its values,
 * generated type); it is worded here, in the screen's language, from the same catalogue the CLI
 * uses (data/problems.json). Nothing in the UI reads the text of an error.
 */
import catalogue from "../../data/problems.json";
import type { Problem } from "./bindings/Problem";
import { currentLang } from "./i18n";

type Wording = { nl: string; en: string };
const problems = catalogue.problems as Record<string, Wording>;
const terms = catalogue.terms as Record<string, Wording>;
const termPlaceholders: string[] = catalogue.term_placeholders;

export function isProblem(x: unknown): x is Problem {
  return typeof x === "object" && x !== null && "kind" in x && "values" in x;
}

/** A problem, or anything else thrown, as a sentence in the screen's language. */
export function problemText(err: unknown): string {
  if (!isProblem(err)) return err instanceof Error ? err.message : String(err);
  const lang = currentLang();
  let text = problems[err.kind]?.[lang] ?? err.kind;
  for (const [name, value] of Object.entries(err.values)) {
    const term = termPlaceholders.includes(name) ? terms[value ?? ""] : undefined;
    text = text.replaceAll(`{${name}}`, term ? term[lang] : (value ?? ""));
  }
  // A problem that stands on a more precise one (a bundle rejected for one rule) words it in place.
  return err.cause ? text.replaceAll("{cause}", problemText(err.cause)) : text;
}
