// The AppStream metainfo a package installs (scripts/metainfo.py): without a public address it
// names no screenshots (AppStream names them by web address only); with one, it names the
// homepage and every screenshot of screenshots.json with both captions, and still validates.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { tempDir } from "../temp.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const manifest = JSON.parse(
  readFileSync(join(ROOT, "src-tauri/packaging/screenshots.json"), "utf8"),
);

function render(...args) {
  const out = join(tempDir("metainfo"), "nl.wijkkompas.app.metainfo.xml");
  const run = spawnSync("python3", [join(ROOT, "scripts/metainfo.py"), out, ...args], {
    encoding: "utf8",
  });
  return { ...run, out, text: existsSync(out) ? readFileSync(out, "utf8") : null };
}

/** appstreamcli's verdict, pedantic: passes only with nothing at all to remark. */
function validate(path) {
  const out = execFileSync(
    "appstreamcli",
    ["validate", "--no-net", "--pedantic", "--no-color", path],
    { encoding: "utf8" },
  ).trim();
  assert.equal(out, "✔ Validation was successful.", out);
}

test("without a homepage: no address, no screenshots, the desktop entry launched, valid", () => {
  const { status, text, out } = render();
  assert.equal(status, 0);
  assert.doesNotMatch(text, /<url|<screenshots>/);
  assert.match(text, /<launchable type="desktop-id">nl\.wijkkompas\.app\.desktop<\/launchable>/);
  validate(out);
});

test("with a homepage: the address and every screenshot, captioned in English and Dutch, valid", () => {
  const { status, text, out } = render("--homepage", "https://wijkkompas.example/site/");
  assert.equal(status, 0);
  assert.match(text, /<url type="homepage">https:\/\/wijkkompas\.example\/site<\/url>/);
  const images = [
    ...text.matchAll(/<image type="source" width="(\d+)" height="(\d+)">([^<]+)<\/image>/g),
  ];
  assert.deepEqual(
    images.map((m) => m[3]),
    manifest.screens.map((s) => `https://wijkkompas.example/site/screenshots/${s.file}`),
  );
  assert.ok(images.every((m) => +m[1] === manifest.width && +m[2] === manifest.height));
  assert.equal(
    (text.match(/<screenshot type="default">/g) ?? []).length,
    1,
    "one default, the first",
  );
  for (const s of manifest.screens) {
    assert.ok(text.includes(`<caption>${s.caption.en}</caption>`), s.file);
    assert.ok(text.includes(`<caption xml:lang="nl">${s.caption.nl}</caption>`), s.file);
  }
  validate(out);
});

test("the .rpm's copy launches the desktop entry its bundler names", () => {
  const { status, text, out } = render(
    "--homepage",
    "https://wijkkompas.example",
    "--launchable",
    "Wijkkompas.desktop",
  );
  assert.equal(status, 0);
  assert.match(text, /<launchable type="desktop-id">Wijkkompas\.desktop<\/launchable>/);
  validate(out);
});

for (const bad of [
  "http://wijkkompas.example",
  "wijkkompas.example",
  "https://",
  "https://wijkkompas.example/?x=1",
]) {
  test(`a homepage that is not a public https address is refused and nothing is written: ${bad}`, () => {
    const { status, stderr, text } = render("--homepage", bad);
    assert.equal(status, 1);
    assert.match(stderr, /HOMEPAGE must be a public https address/);
    assert.equal(text, null);
  });
}
