import { describe, expect, it } from "vitest";
import type { Case } from "./bindings/Case";
import { emptyFilter, filterCases, fold } from "./filter";

const base: Case = {
  id: "x",
  label: { nl: "Initiatief", en: "Initiative" },
  bundle: 1,
  year: 2020,
  name: null,
  name_confidence: "unknown",
  neighbourhood: null,
  place: null,
  municipality: null,
  province: null,
  lat: null,
  lon: null,
  coordinates_note: null,
  online: false,
  strategies: [],
  own_reading: [],
  target_groups: [],
  summary: { nl: "", en: "" },
  confidence: "low",
  sources: [],
  notes: null,
};
const cases: Case[] = [
  {
    ...base,
    id: "a",
    name: "De Oude Bieb",
    bundle: 3,
    strategies: ["bonding"],
    province: { code: "PV20", name: "Groningen" },
  },
  {
    ...base,
    id: "b",
    name: "Nieuwe Buren",
    bundle: 1,
    strategies: ["bridging", "linking"],
    municipality: { code: "GM1900", name: "Súdwest-Fryslân" },
  },
  {
    ...base,
    id: "c",
    bundle: 4,
    strategies: [],
    summary: { nl: "Casus in Heerlen", en: "Case in Heerlen" },
  },
];
const ids = (f = emptyFilter(), lang: "nl" | "en" = "nl") =>
  filterCases(cases, f, lang).map((c) => c.id);

describe("case filter", () => {
  it("shows everything when empty", () => expect(ids()).toEqual(["a", "b", "c"]));
  it("matches any chosen strategy, and unclassified cases on their own choice", () => {
    expect(ids({ ...emptyFilter(), strategies: new Set(["linking"]) })).toEqual(["b"]);
    expect(ids({ ...emptyFilter(), strategies: new Set(["bonding", "unclassified"]) })).toEqual([
      "a",
      "c",
    ]);
  });
  it("filters by bundle and province", () => {
    expect(ids({ ...emptyFilter(), bundle: 4 })).toEqual(["c"]);
    expect(ids({ ...emptyFilter(), province: "PV20" })).toEqual(["a"]);
  });
  it("searches text without caring about accents or case, in the chosen language", () => {
    expect(ids({ ...emptyFilter(), text: "FRYSLAN" })).toEqual(["b"]);
    expect(ids({ ...emptyFilter(), text: "case heerlen" }, "en")).toEqual(["c"]);
    expect(ids({ ...emptyFilter(), text: "case heerlen" }, "nl")).toEqual([]);
  });
  it("folds diacritics", () => expect(fold("Súdwest-Fryslân")).toBe("sudwest-fryslan"));
});
