// Temporary folders for the JavaScript tests. Each test file runs in a process of its own; its
// folders live under one root that is removed when the process ends, so that a run of the suite
// (and `make test-stress`, six runs) leaves nothing behind in /tmp. WIJKKOMPAS_KEEP_TEMP=1 keeps
// them to look at after a failure.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let root;

/** A new empty folder named after `purpose`, removed with the others when this process ends. */
export function tempDir(purpose) {
  if (!root) {
    root = mkdtempSync(join(tmpdir(), "wijkkompas-test-"));
    if (!process.env.WIJKKOMPAS_KEEP_TEMP)
      process.on("exit", () => rmSync(root, { recursive: true, force: true }));
  }
  return mkdtempSync(join(root, `${purpose}-`));
}
