// Issue 14: the UI keeps no copy of a rule of the core. Limits come with the start-up data
// (`Limits`), the review workflow with each row (`next`, `needs_review`), problems as data
// (`Problem`, worded from data/problems.json). This scan fails when a copy comes back.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";

const SRC = resolve(import.meta.dirname, "../../ui/src");
const COPIES = [
  [/maxlength="\d/, "a length limit written as a number (use getContent().limits)"],
  [
    /\b(min|max)="[1-9]/,
    "a range written as numbers (use getContent().limits; 0 = keep everything is not a limit)",
  ],
  [/const NEXT\b|in_review:\s*\[/, "a copy of the review workflow (use the row's `next`)"],
  [/status === "new" \|\| /, "a copy of the needs-review rule (use the row's `needs_review`)"],
  [
    /\.match\(\/|\/\.test\(String\(|\.test\(text\)/,
    "reading the text of an error (use the problem's kind)",
  ],
  [
    /(Hoogstens|At most|hoogstens|at most) [\d.,]+ (tekens|characters)|\(\d+ (tot|to) \d+ (cijfers|digits)\)/,
    "a limit written into a text (use {max} and the core's limits)",
  ],
];

function sources(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === "bindings" ? [] : sources(p);
    return p.endsWith(".ts") && !p.endsWith(".test.ts") ? [p] : [];
  });
}

test("the scan finds a planted copy (control)", () => {
  assert.ok(COPIES[0][0].test('<input maxlength="200">'));
  assert.ok(COPIES[2][0].test("const NEXT = { new: [] }"));
  assert.ok(COPIES[4][0].test("if (/too many/.test(text)) return"));
});

test("no source file of the UI copies a rule of the core", () => {
  const found = [];
  for (const file of sources(SRC)) {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, i) => {
        for (const [pattern, what] of COPIES)
          if (pattern.test(line)) found.push(`${file.slice(SRC.length + 1)}:${i + 1}: ${what}`);
      });
  }
  assert.deepEqual(found, []);
});
