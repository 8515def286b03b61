// Small DOM helpers shared by the views.
import { render } from "lit-html";

export const $ = <T extends HTMLElement = HTMLElement>(sel: string, root: ParentNode = document) =>
  root.querySelector<T>(sel)!;
export const $$ = <T extends HTMLElement = HTMLElement>(
  sel: string,
  root: ParentNode = document,
) => [...root.querySelectorAll<T>(sel)];

/** Shows `content` in `target` in place of what it showed: a lit-html template (or a list of
 * them), whose values become text and attribute values, never markup, so nothing needs escaping
 * by hand. Drawn afresh each time, as a screen was with `innerHTML`: new elements, which the
 * caller then wires and may focus. */
export function draw(target: Element, content: unknown) {
  target.replaceChildren(fragmentOf(content));
}

/** `content` (as for `draw`) rendered into a fragment of its own, e.g. to replace one element. */
export function fragmentOf(content: unknown): DocumentFragment {
  const fragment = document.createDocumentFragment();
  render(content, fragment);
  return fragment;
}

/** An SVG document the core made (a chart), parsed as XML into an element of this page: DOM
 * nodes, not markup handed to the HTML parser. */
export function svgFromCore(svg: string): Element {
  const root = new DOMParser().parseFromString(svg, "image/svg+xml").documentElement;
  if (root.localName !== "svg") throw new Error("the core's chart is not SVG");
  return document.importNode(root, true);
}

/** Moves focus to a heading after a screen change, so screen readers announce the new screen. */
export function focusHeading(root: ParentNode) {
  const h = root.querySelector<HTMLElement>("h1, h2");
  if (h) {
    h.tabIndex = -1;
    h.focus();
  }
}

/** A score as shown: one decimal, decimal comma in Dutch; a dash where there is none. */
export function formatScore(score: number | null, lang: "nl" | "en"): string {
  if (score === null) return "–";
  const text = score.toFixed(1);
  return lang === "nl" ? text.replace(".", ",") : text;
}

/** A count with the language's thousands separator (10.000 in Dutch, 10,000 in English). */
export function formatCount(n: number, lang: "nl" | "en"): string {
  return n.toLocaleString(lang === "nl" ? "nl-NL" : "en-GB");
}

export function formatDate(iso: string, lang: "nl" | "en"): string {
  return new Date(iso).toLocaleString(lang === "nl" ? "nl-NL" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
  });
}

/** A date without the time, where a column has little room. */
export function formatDay(iso: string, lang: "nl" | "en"): string {
  return new Date(iso).toLocaleDateString(lang === "nl" ? "nl-NL" : "en-GB", {
    dateStyle: "medium",
  });
}

/** Resolves once every stylesheet of the page is applied (or has failed to load). WebKit may run
 * the page's module script before the stylesheet after it has loaded; what reads layout at start
 * (a map measuring its container) waits for this. */
export function stylesApplied(): Promise<void> {
  const pending = $$<HTMLLinkElement>('link[rel="stylesheet"]').filter((link) => !link.sheet);
  return Promise.all(
    pending.map(
      (link) =>
        new Promise<void>((done) => {
          link.addEventListener("load", () => done(), { once: true });
          link.addEventListener("error", () => done(), { once: true });
        }),
    ),
  ).then(() => undefined);
}
