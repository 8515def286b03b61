// The screenshots that the AppStream metainfo names are made from the real app by
// scripts/screenshots.mjs (`make screenshots`): every screen of screenshots.json is reached
// and written at the size the metainfo gives, so the script cannot drift from the app.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { test } from "node:test";
import { MANIFEST, makeScreenshots } from "../../scripts/screenshots.mjs";
import { tempDir } from "../temp.mjs";

/** Width and height from a PNG's header (IHDR follows the 8-byte signature). */
function pngSize(path) {
  const bytes = readFileSync(path);
  assert.equal(bytes.subarray(1, 4).toString("latin1"), "PNG", `${path} is a PNG`);
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test("makes every screenshot the metainfo names, at its size", async () => {
  const out = tempDir("screenshots");
  const made = await makeScreenshots(out);
  assert.deepEqual(
    made.map((p) => basename(p)),
    MANIFEST.screens.map((s) => s.file),
  );
  for (const path of made) {
    assert.deepEqual(pngSize(path), [MANIFEST.width, MANIFEST.height], basename(path));
    // A drawn screen, not an empty frame: a blank 1280×720 PNG compresses to a few kilobytes.
    assert.ok(readFileSync(path).length > 50_000, `${basename(path)} shows something`);
  }
  assert.equal(made[0], join(out, MANIFEST.screens[0].file));
});
