import { describe, expect, it } from "vitest";
import { nl } from "./i18n";
import { en } from "./i18n-en";

const catalogues = { nl, en };

describe("message catalogues", () => {
  it("have the same keys in Dutch and English", () => {
    expect(Object.keys(catalogues.en).sort()).toEqual(Object.keys(catalogues.nl).sort());
  });
  it("use the same placeholders in both languages", () => {
    const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(catalogues.nl) as (keyof typeof catalogues.nl)[]) {
      expect(holes(catalogues.en[key]), key).toEqual(holes(catalogues.nl[key]));
    }
  });
  it("have no empty messages", () => {
    for (const lang of ["nl", "en"] as const) {
      for (const [key, text] of Object.entries(catalogues[lang]))
        expect(text.trim(), `${lang}.${key}`).not.toBe("");
    }
  });
});
