import { describe, expect, it } from "vitest";
import type { Lesson } from "./bindings/Lesson";
import {
  answer,
  back,
  beginMember,
  conversationInput,
  planRows,
  initiativeProblems,
  isLastLesson,
  next,
  nextMember,
  progress,
  startWizard,
  toCheckInput,
  toMember,
  toSessionStart,
  updateDraft,
} from "./wizard";

const lesson = (id: string, n: number): Lesson => ({
  id,
  strategy: "bonding",
  number: n,
  title: { nl: id, en: id },
  summary: { nl: "", en: "" },
  tips: {
    policy: { nl: "", en: "" },
    professional: { nl: "", en: "" },
    resident: { nl: "", en: "" },
  },
  statements: [
    { id: `${id}-a`, text: { nl: "", en: "" }, reverse: false, since: 1, retired_in: null },
    { id: `${id}-b`, text: { nl: "", en: "" }, reverse: false, since: 1, retired_in: null },
  ],
  retired_statements: [],
});
// The core's limits as the start-up data gives them (test data).
const limits = { name_chars: 200, description_chars: 2000 };
const lessons = [lesson("bonding-1", 1), lesson("bonding-2", 2), lesson("bonding-3", 3)];
const place = { lat: 52.09, lon: 5.12, label: "Utrecht", location: null };
const ready = () => updateDraft(startWizard(), { name: " Buurttuin ", role: "resident", place });

describe("self-check wizard", () => {
  it("starts on the initiative and names what is missing", () => {
    const s = startWizard();
    expect(s.step).toBe("initiative");
    expect(initiativeProblems(s.draft, limits)).toEqual([
      "roleMissing",
      "nameMissing",
      "placeMissing",
    ]);
    expect(next(s, lessons, limits)).toBe(s);
  });

  it("checks the text limits in characters", () => {
    const long = updateDraft(ready(), { name: "é".repeat(201), description: "x".repeat(2001) });
    expect(initiativeProblems(long.draft, limits)).toEqual(["nameTooLong", "descriptionTooLong"]);
    expect(
      initiativeProblems(updateDraft(ready(), { name: "é".repeat(200) }).draft, limits),
    ).toEqual([]);
  });

  it("needs only a role to repeat an existing initiative", () => {
    const repeat = updateDraft(startWizard(), { initiativeId: "abc", role: "professional" });
    expect(initiativeProblems(repeat.draft, limits)).toEqual([]);
    expect(toCheckInput(repeat).initiative).toMatchObject({
      id: "abc",
      role: "professional",
      name: null,
      lat: null,
    });
  });

  it("goes back and forward through the lessons without losing answers", () => {
    let s = next(ready(), lessons, limits);
    expect([s.step, s.lessonIndex]).toEqual(["questions", 0]);
    s = answer(s, "bonding-1-a", 4);
    s = next(s, lessons, limits);
    s = answer(s, "bonding-2-a", null);
    s = next(s, lessons, limits);
    expect(isLastLesson(s, lessons)).toBe(true);
    expect(next(s, lessons, limits)).toBe(s);
    s = back(back(s));
    expect(s.lessonIndex).toBe(0);
    expect(s.answers).toEqual({ "bonding-1-a": 4, "bonding-2-a": null });
    s = back(s);
    expect(s.step).toBe("initiative");
    expect(s.draft.name).toBe(" Buurttuin ");
    expect(progress(next(s, lessons, limits), lessons)).toEqual({
      current: 1,
      total: 3,
      answered: 2,
    });
  });

  it("sends contact details only with consent", () => {
    const withContact = updateDraft(ready(), { contact: " anna@example.nl " });
    expect(initiativeProblems(withContact.draft, limits)).toEqual(["consentMissing"]);
    const consented = updateDraft(withContact, { consent: true });
    expect(initiativeProblems(consented.draft, limits)).toEqual([]);
    expect(toCheckInput(consented).initiative).toMatchObject({
      contact: "anna@example.nl",
      consent: true,
    });
  });

  it("sends trimmed text, the point and only the given answers", () => {
    let s = answer(next(ready(), lessons, limits), "bonding-1-b", 5);
    s = updateDraft(s, { targetGroups: ["ouderen"] });
    expect(toCheckInput(s)).toEqual({
      initiative: {
        id: null,
        name: "Buurttuin",
        description: null,
        lat: 52.09,
        lon: 5.12,
        role: "resident",
        target_groups: ["ouderen"],
        contact: null,
        consent: null,
      },
      answers: { "bonding-1-b": 5 },
    });
  });

  it("sends paper and last time's outcomes with one person's check, leaving undecided actions out", () => {
    const s = updateDraft(ready(), {
      onPaper: true,
      outcomes: {
        a1: { outcome: "done", note: " twaalf " },
        a2: { outcome: null, note: "" },
        a3: { outcome: "not", note: "" },
      },
    });
    const input = toCheckInput(s);
    expect(input.on_paper).toBe(true);
    expect(input.previous_actions).toEqual([
      { id: "a1", outcome: "done", note: "twaalf" },
      { id: "a3", outcome: "not", note: null },
    ]);
    expect(toSessionStart(s).previous_actions).toEqual(input.previous_actions);
    expect(toCheckInput(ready())).not.toHaveProperty("previous_actions");
  });

  it("clears every answer between two members of a group round", () => {
    const session = {
      id: "s",
      initiative_name: "x",
      members: 1,
      max_members: 30,
      min_members: 2,
      created_at: "",
    };
    let s = beginMember({ ...ready(), session }, "professional", true);
    s = answer(s, "bonding-1-a", 4);
    expect(toMember(s)).toEqual({
      role: "professional",
      answers: { "bonding-1-a": 4 },
      on_paper: true,
    });
    const after = nextMember(s, { ...session, members: 2 });
    expect(after.step).toBe("handover");
    expect(after.answers).toEqual({});
    expect(after.member).toEqual({ role: null, onPaper: false });
    expect(after.session?.members).toBe(2);
  });

  it("leaves empty notes and empty plan rows out of the close", () => {
    const plan = [
      { text: "", who: "", due: "", lesson: "" },
      { text: "Koffie", who: "", due: " 1-3-2027 ", lesson: "bonding-1" },
      { text: "", who: "", due: "", lesson: "linking-1" },
    ];
    const c = conversationInput(
      { "bonding-1": { good: " goed ", better: "" }, "bonding-2": { good: "", better: "  " } },
      plan,
    );
    expect(c.notes).toEqual({ "bonding-1": { good: "goed", better: null } });
    // The date goes as typed (the core reads it); a row with only a chosen lesson is filled in.
    expect(c.actions).toEqual([
      { text: "Koffie", who: null, due: "1-3-2027", lesson: "bonding-1" },
      { text: "", who: null, due: "", lesson: "linking-1" },
    ]);
    expect(planRows(plan)).toEqual([1, 2]);
  });
});
