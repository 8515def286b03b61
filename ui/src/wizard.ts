// The self-check wizard's state: which step, which lesson, what was answered. Pure functions only,
// so the behaviour (back and forward without losing answers, what blocks the next step, what is
// sent to the core) is unit-tested without a window.
import type { CheckInput } from "./bindings/CheckInput";
import type { CheckResult } from "./bindings/CheckResult";
import type { Lesson } from "./bindings/Lesson";
import type { Location } from "./bindings/Location";
import type { Role } from "./bindings/Role";
import type { Limits } from "./bindings/Limits";

/** The core's limits the first step checks (from the start-up data). */
export type TextLimits = Pick<Limits, "name_chars" | "description_chars">;

export type Step = "initiative" | "questions" | "result";
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
}

export interface WizardState {
  step: Step;
  lessonIndex: number;
  draft: Draft;
  answers: Record<string, Answer>;
  result: CheckResult | null;
}

export function startWizard(): WizardState {
  return {
    step: "initiative",
    lessonIndex: 0,
    draft: { initiativeId: null, name: "", description: "", role: null, targetGroups: [], place: null, contact: "", consent: false },
    answers: {},
    result: null,
  };
}

export type Problem = "nameMissing" | "nameTooLong" | "descriptionTooLong" | "roleMissing" | "placeMissing" | "consentMissing";

/** What still stands in the way of the questions; empty when the first step is complete. */
export function initiativeProblems(d: Draft, limits: TextLimits): Problem[] {
  const problems: Problem[] = [];
  if (!d.role) problems.push("roleMissing");
  if (d.initiativeId) return problems; // a repeat keeps the initiative's name and place
  const name = d.name.trim();
  if (!name) problems.push("nameMissing");
  if ([...name].length > limits.name_chars) problems.push("nameTooLong");
  if ([...d.description.trim()].length > limits.description_chars) problems.push("descriptionTooLong");
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
    return initiativeProblems(s.draft, limits).length ? s : { ...s, step: "questions", lessonIndex: 0 };
  }
  if (s.step === "questions" && s.lessonIndex < lessons.length - 1) return { ...s, lessonIndex: s.lessonIndex + 1 };
  return s;
}

export function back(s: WizardState): WizardState {
  if (s.step === "questions") {
    return s.lessonIndex > 0 ? { ...s, lessonIndex: s.lessonIndex - 1 } : { ...s, step: "initiative" };
  }
  return s;
}

export const isLastLesson = (s: WizardState, lessons: Lesson[]) => s.step === "questions" && s.lessonIndex === lessons.length - 1;

export function progress(s: WizardState, lessons: Lesson[]): { current: number; total: number; answered: number } {
  const ids = lessons.flatMap((l) => l.statements.map((st) => st.id));
  return { current: s.lessonIndex + 1, total: lessons.length, answered: ids.filter((id) => id in s.answers).length };
}

/** What the core's `save_check` receives. Unanswered statements are left out: they count as "don't know". */
export function toCheckInput(s: WizardState): CheckInput {
  const d = s.draft;
  const initiative = d.initiativeId
    ? { id: d.initiativeId, name: null, description: null, lat: null, lon: null, role: d.role ?? "resident", target_groups: null, contact: null, consent: null }
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
  return { initiative, answers: { ...s.answers } };
}

export function withResult(s: WizardState, result: CheckResult): WizardState {
  return { ...s, step: "result", result };
}
