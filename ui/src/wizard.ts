// The self-check wizard's state: which step, which lesson, what was answered. Pure functions only,
// so the behaviour (back and forward without losing answers, what blocks the next step, what is
// sent to the core) is unit-tested without a window.
import type { CheckInput } from "./bindings/CheckInput";
import type { CheckResult } from "./bindings/CheckResult";
import type { Lesson } from "./bindings/Lesson";
import type { Location } from "./bindings/Location";
import type { Role } from "./bindings/Role";
import type { Limits } from "./bindings/Limits";
import type { Outcome } from "./bindings/Outcome";
import type { RespondentInput } from "./bindings/RespondentInput";
import type { SessionStart } from "./bindings/SessionStart";
import type { SessionStatus } from "./bindings/SessionStatus";
import type { ActionInput } from "./bindings/ActionInput";
import type { LessonNote } from "./bindings/LessonNote";

/** The core's limits the first step checks (from the start-up data). */
export type TextLimits = Pick<Limits, "name_chars" | "description_chars">;

/** A group round adds "handover" (between members: an empty screen for the next one) and "group"
 * (the group's result at the close, with its notes and plan). */
export type Step = "initiative" | "handover" | "questions" | "group" | "result";
/** One person fills in the check, or a group in turn. */
export type Mode = "single" | "group";

/** What came of an action agreed last time, as the group says it now. */
export interface OutcomeDraft {
  outcome: Outcome | null;
  note: string;
}
/** 1..5 on the agreement scale, or null for "don't know / not applicable". */
export type Answer = 1 | 2 | 3 | 4 | 5 | null;

export interface Place {
  lat: number;
  lon: number;
  label: string;
  location: Location | null;
}

export interface Draft {
  /** Set when the check repeats an existing initiative. */
  initiativeId: string | null;
  name: string;
  description: string;
  role: Role | null;
  targetGroups: string[];
  place: Place | null;
  /** Optional contact details, sent only with consent (machines that ask for them). */
  contact: string;
  consent: boolean;
  mode: Mode;
  /** One person's check answered on the paper form (the facilitator enters it). */
  onPaper: boolean;
  /** By action id: what came of the actions agreed last time (a repeat). */
  outcomes: Record<string, OutcomeDraft>;
}

export interface WizardState {
  step: Step;
  lessonIndex: number;
  draft: Draft;
  answers: Record<string, Answer>;
  result: CheckResult | null;
  /** The group round in progress, and who answers now. */
  session: SessionStatus | null;
  member: { role: Role | null; onPaper: boolean };
}

export function startWizard(): WizardState {
  return {
    step: "initiative",
    lessonIndex: 0,
    draft: {
      initiativeId: null,
      name: "",
      description: "",
      role: null,
      targetGroups: [],
      place: null,
      contact: "",
      consent: false,
      mode: "single",
      onPaper: false,
      outcomes: {},
    },
    answers: {},
    result: null,
    session: null,
    member: { role: null, onPaper: false },
  };
}

export type Problem =
  | "nameMissing"
  | "nameTooLong"
  | "descriptionTooLong"
  | "roleMissing"
  | "placeMissing"
  | "consentMissing";

/** What still stands in the way of the questions; empty when the first step is complete. */
export function initiativeProblems(d: Draft, limits: TextLimits): Problem[] {
  const problems: Problem[] = [];
  if (!d.role) problems.push("roleMissing");
  if (d.initiativeId) return problems; // a repeat keeps the initiative's name and place
  const name = d.name.trim();
  if (!name) problems.push("nameMissing");
  if ([...name].length > limits.name_chars) problems.push("nameTooLong");
  if ([...d.description.trim()].length > limits.description_chars)
    problems.push("descriptionTooLong");
  if (!d.place) problems.push("placeMissing");
  if (d.contact.trim() && !d.consent) problems.push("consentMissing");
  return problems;
}

export function updateDraft(s: WizardState, patch: Partial<Draft>): WizardState {
  return { ...s, draft: { ...s.draft, ...patch } };
}

export function answer(s: WizardState, statementId: string, value: Answer): WizardState {
  return { ...s, answers: { ...s.answers, [statementId]: value } };
}

/** Forward one screen: from the initiative to the first lesson, lesson by lesson, and no further
 * than the last lesson (saving moves to the result). Refuses while the first step has problems. */
export function next(s: WizardState, lessons: Lesson[], limits: TextLimits): WizardState {
  if (s.step === "initiative") {
    return initiativeProblems(s.draft, limits).length
      ? s
      : { ...s, step: "questions", lessonIndex: 0 };
  }
  if (s.step === "questions" && s.lessonIndex < lessons.length - 1)
    return { ...s, lessonIndex: s.lessonIndex + 1 };
  return s;
}

export function back(s: WizardState): WizardState {
  if (s.step === "questions") {
    return s.lessonIndex > 0
      ? { ...s, lessonIndex: s.lessonIndex - 1 }
      : { ...s, step: "initiative" };
  }
  return s;
}

export const isLastLesson = (s: WizardState, lessons: Lesson[]) =>
  s.step === "questions" && s.lessonIndex === lessons.length - 1;

export function progress(
  s: WizardState,
  lessons: Lesson[],
): { current: number; total: number; answered: number } {
  const ids = lessons.flatMap((l) => l.statements.map((st) => st.id));
  return {
    current: s.lessonIndex + 1,
    total: lessons.length,
    answered: ids.filter((id) => id in s.answers).length,
  };
}

/** The outcomes given so far, for the core (actions without a choice are left out). */
export function outcomesInput(d: Draft) {
  return Object.entries(d.outcomes)
    .filter(([, o]) => o.outcome !== null)
    .map(([id, o]) => ({ id, outcome: o.outcome as Outcome, note: o.note.trim() || null }));
}

function initiativeInput(s: WizardState) {
  const d = s.draft;
  return d.initiativeId
    ? {
        id: d.initiativeId,
        name: null,
        description: null,
        lat: null,
        lon: null,
        role: d.role ?? "resident",
        target_groups: null,
        contact: null,
        consent: null,
      }
    : {
        id: null,
        name: d.name.trim(),
        description: d.description.trim() || null,
        lat: d.place?.lat ?? null,
        lon: d.place?.lon ?? null,
        role: d.role ?? "resident",
        target_groups: d.targetGroups,
        contact: d.contact.trim() && d.consent ? d.contact.trim() : null,
        consent: d.contact.trim() ? d.consent : null,
      };
}

/** What the core's `save_check` receives. Unanswered statements are left out: they count as "don't know". */
export function toCheckInput(s: WizardState): CheckInput {
  const previous = outcomesInput(s.draft);
  return {
    initiative: initiativeInput(s),
    answers: { ...s.answers },
    ...(s.draft.onPaper ? { on_paper: true } : {}),
    ...(previous.length ? { previous_actions: previous } : {}),
  };
}

/** What opens a group round. */
export function toSessionStart(s: WizardState): SessionStart {
  const previous = outcomesInput(s.draft);
  return {
    initiative: initiativeInput(s),
    ...(previous.length ? { previous_actions: previous } : {}),
  };
}

/** One member's answers, for the round. */
export function toMember(s: WizardState): RespondentInput {
  return {
    role: s.member.role ?? "resident",
    answers: { ...s.answers },
    ...(s.member.onPaper ? { on_paper: true } : {}),
  };
}

/** The next member starts on an empty form: nothing of the one before stays in the state. */
export function nextMember(s: WizardState, session: SessionStatus): WizardState {
  return {
    ...s,
    step: "handover",
    lessonIndex: 0,
    answers: {},
    session,
    member: { role: null, onPaper: false },
  };
}

/** A member (or the facilitator with a paper form) begins answering. */
export function beginMember(s: WizardState, role: Role, onPaper: boolean): WizardState {
  return { ...s, step: "questions", lessonIndex: 0, answers: {}, member: { role, onPaper } };
}

/** An action of the plan as typed: every field a string, checked by the core. */
export interface ActionDraft {
  text: string;
  who: string;
  due: string;
  lesson: string;
}

/** A plan row the person filled in (any field, the lesson too: none is pre-chosen). */
const filledIn = (a: ActionDraft) => !!(a.text.trim() || a.who.trim() || a.due.trim() || a.lesson);

/** The form's rows the core receives as actions 1, 2, …: the filled-in ones, by row index. */
export const planRows = (actions: ActionDraft[]): number[] =>
  actions.flatMap((a, i) => (filledIn(a) ? [i] : []));

/** The group's notes and plan as the core receives them: empty notes and empty rows left out. */
export function conversationInput(
  notes: Record<string, LessonNote>,
  actions: ActionDraft[],
): { notes: Record<string, LessonNote>; actions: ActionInput[] } {
  const clean = (v: string | null | undefined) => (v ?? "").trim() || null;
  const kept: Record<string, LessonNote> = {};
  for (const [lesson, n] of Object.entries(notes)) {
    const note = { good: clean(n.good), better: clean(n.better) };
    if (note.good || note.better) kept[lesson] = note;
  }
  const plan = actions.filter(filledIn).map((a) => ({
    // The date as typed: the core reads day-month-year and says what is wrong with it.
    text: a.text.trim(),
    who: clean(a.who),
    due: a.due.trim(),
    lesson: a.lesson,
  }));
  return { notes: kept, actions: plan };
}

export function withResult(s: WizardState, result: CheckResult): WizardState {
  return { ...s, step: "result", result };
}
