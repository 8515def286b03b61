import { describe, expect, it } from "vitest";
import type { TemplateResult } from "lit-html";
import { setContent, type Content } from "../app";
import { actionText, conversationHtml } from "./group";

const HOSTILE = [
  "<script>window.__xss = 1</script>",
  '<img src="x" onerror="window.__xss = 2">',
  '"><svg onload="window.__xss = 3">',
];

/** A template's markup (the literal parts its author wrote) and the values bound into it. */
function split(value: unknown, markup: string[] = [], values: unknown[] = []) {
  if (Array.isArray(value)) value.forEach((v) => split(v, markup, values));
  else if (value && typeof value === "object" && "strings" in value && "values" in value) {
    const t = value as TemplateResult;
    markup.push(...t.strings);
    t.values.forEach((v) => split(v, markup, values));
  } else values.push(value);
  return { markup, values };
}

describe("the conversation on a result and in the history", () => {
  // Lessons unknown to the content are named by their id.
  setContent({ lessons: { lessons: [] } } as unknown as Content);

  it("binds what people typed as values (text), never as markup", () => {
    const [script, img, attr] = HOSTILE;
    const agreed = { id: "a1", lesson: script, text: img, who: attr, due: "2027-03-01" };
    const sections = conversationHtml(
      { [script]: { good: img, better: attr } },
      [agreed],
      [
        {
          action: { id: "a0", lesson: "l", text: script, who: null, due: "2027-01-01" },
          agreed_at: "2026-12-01T10:00:00Z",
          outcome: "done",
          note: img,
        },
      ],
    );
    const { markup, values } = split(sections);
    // Every hostile text is one whole value, as typed: lit-html renders such a value as a text
    // node (or an attribute's value), whatever characters it holds.
    for (const text of HOSTILE) expect(values).toContain(text);
    expect(actionText(agreed)).toMatch(/^<img .* — "><svg .* \(<script>.*\)$/);
    expect(values).toContain(actionText(agreed));
    // Nothing typed became part of the markup, and no value is a directive that could parse markup.
    expect(markup.join("")).not.toMatch(/<script|<img|onerror|onload/);
    expect(values.filter((v) => v && typeof v === "object")).toEqual([]);
    // The lists the E2E tests read are there: the plan, the notes and last time's plan.
    expect(markup.join("")).toMatch(/id="plan-list"/);
    expect(markup.join("")).toMatch(/id="notes-list"/);
    expect(markup.join("")).toMatch(/id="previous-list"/);
  });
});
