// The JavaScript tests' temporary folders go when a test file's process ends (tests/temp.mjs):
// six runs of the suite in `make test-stress` once left some 2,500 folders in /tmp.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { test } from "node:test";

const temp = resolve(import.meta.dirname, "../temp.mjs");
const harness = resolve(import.meta.dirname, "../e2e/harness.mjs");
// As an end-to-end test file does: a file of its own through the harness, a folder for a database.
const makeTwoFolders = `
  import { tempFile } from ${JSON.stringify(harness)};
  import { tempDir } from ${JSON.stringify(temp)};
  const a = tempFile("wijkkompas.db", "x"), b = tempDir("window");
  console.log(JSON.stringify([a, b]));
`;

function runChild(env) {
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", makeTwoFolders], {
    env: { ...process.env, ...env },
  });
  return JSON.parse(out.toString());
}

test("a test file's temporary folders are removed when its process ends", () => {
  const [a, b] = runChild({ WIJKKOMPAS_KEEP_TEMP: "" });
  assert.equal(dirname(dirname(a)), dirname(b), "both folders share one root");
  assert.ok(!existsSync(a) && !existsSync(b), "the folders are gone");
  assert.ok(!existsSync(dirname(b)), "and so is their root");
});

test("WIJKKOMPAS_KEEP_TEMP=1 keeps them to look at after a failure", (t) => {
  const [a] = runChild({ WIJKKOMPAS_KEEP_TEMP: "1" });
  const root = dirname(dirname(a));
  // Removes only a root that tests/temp.mjs made, whatever the code under test returned.
  assert.match(basename(root), /^wijkkompas-test-/);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  assert.equal(readFileSync(a, "utf8"), "x");
});
