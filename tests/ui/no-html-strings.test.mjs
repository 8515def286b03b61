// The UI builds its DOM from lit-html templates (values always become text or attribute values)
// or through DOM calls, never by handing the HTML parser a string that data was pasted into:
// such a string needs every value escaped by hand, and one forgotten escape lets a name run as
// markup. This scan fails when a way of parsing strings as markup comes back into ui/src.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";

const SRC = resolve(import.meta.dirname, "../../ui/src");
const MARKUP_FROM_STRINGS = [
  [/\.(innerHTML|outerHTML)\s*\+?=(?!=)/, "markup assigned as a string (use a lit-html template)"],
  [/\.insertAdjacentHTML\s*\(/, "markup inserted as a string (use a lit-html template)"],
  [/\bcreateContextualFragment\s*\(|\bdocument\.write(ln)?\s*\(/, "markup parsed from a string"],
  [/\bunsafe(HTML|SVG)\b/, "lit-html's way around its escaping"],
  [/\besc\s*\(/, "escaping by hand (a template's values need none)"],
];

function sources(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === "bindings" ? [] : sources(p);
    return p.endsWith(".ts") ? [p] : [];
  });
}

test("the scan finds planted markup strings (control)", () => {
  const planted = [
    "root.innerHTML = `<h1>${name}</h1>`;",
    "list.innerHTML += row;",
    'el.outerHTML = "<p></p>";',
    'el.insertAdjacentHTML("beforeend", html);',
    'import { unsafeHTML } from "lit-html/directives/unsafe-html.js";',
    "`<td>${esc(name)}</td>`",
  ];
  for (const line of planted)
    assert.ok(
      MARKUP_FROM_STRINGS.some(([pattern]) => pattern.test(line)),
      `not found: ${line}`,
    );
  // Reading markup, or comparing it, is no way in.
  for (const line of ["return span.innerHTML;", "if (el.innerHTML === before) return;"])
    assert.ok(!MARKUP_FROM_STRINGS.some(([pattern]) => pattern.test(line)), line);
});

test("no source file of the UI parses a string as markup", () => {
  const files = sources(SRC);
  assert.ok(
    files.some((f) => f.endsWith("main.ts")),
    "the scan reads the UI's sources",
  );
  const found = [];
  for (const file of files) {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, i) => {
        for (const [pattern, what] of MARKUP_FROM_STRINGS)
          if (pattern.test(line)) found.push(`${file.slice(SRC.length + 1)}:${i + 1}: ${what}`);
      });
  }
  assert.deepEqual(found, []);
});
