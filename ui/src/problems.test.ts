import { describe, expect, it } from "vitest";
import { setLang } from "./i18n";
import { problemText } from "./problems";
import type { Problem } from "./bindings/Problem";

// setLang marks the page's language; the unit tests run without a page.
(globalThis as { document?: unknown }).document ??= { documentElement: {} };

const tooLong: Problem = {
  kind: "text_too_long",
  values: { field: "name", length: "201", max: "200" },
  cause: null,
};
const rejected: Problem = {
  kind: "bundle_invalid",
  values: { at: "self_checks[3].answers: " },
  cause: {
    kind: "answer_out_of_range",
    values: { statement: "bonding-1-a", value: "9" },
    cause: null,
  },
};

describe("problems in words", () => {
  it("words a problem in the screen's language, with its values and the names of fields", () => {
    setLang("nl");
    expect(problemText(tooLong)).toBe("De naam is 201 tekens lang; de grens is 200.");
    setLang("en");
    expect(problemText(tooLong)).toBe("The name is 201 characters long; the limit is 200.");
  });

  it("words the precise problem a rejection stands on, in place", () => {
    setLang("nl");
    expect(problemText(rejected)).toBe(
      'De bundel is geweigerd, er is niets geïmporteerd. self_checks[3].answers: Antwoord 9 op stelling "bonding-1-a" kan niet: antwoorden zijn 1 tot 5, of leeg voor "weet ik niet".',
    );
  });

  it("shows anything else thrown as it is", () => {
    expect(problemText(new Error("boom"))).toBe("boom");
    expect(problemText("text")).toBe("text");
  });
});
