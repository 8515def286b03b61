// Nothing in the built front end may point at the network: no CDN, tile server or web font.
// Run after `npm run build`, on ui/dist, and on the CSP the shell enforces.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";

const ROOT = resolve(import.meta.dirname, "../..");
const DIST = join(ROOT, "ui/dist");
// Strings that look like URLs but are never fetched: XML namespaces, and Leaflet's own default
// attribution link, which the app switches off (attributionControl.setPrefix(false)).
const NOT_REQUESTS = [/^http:\/\/www\.w3\.org\//, /^https:\/\/leafletjs\.com\/?$/];

const URLS = /(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'`)<>]*/gi;

function remoteUrls(text) {
  return [...text.matchAll(URLS)]
    .map((m) => (m[0].startsWith("//") ? "https:" + m[0] : m[0]))
    .filter((u) => /^https?:/i.test(u) && !NOT_REQUESTS.some((r) => r.test(u)));
}

test("the scan finds a planted tile URL (control)", () => {
  assert.deepEqual(
    remoteUrls(
      `L.tileLayer("https://tile.example.org/{z}/{x}/{y}.png"); a="http://www.w3.org/2000/svg"`,
    ),
    ["https://tile.example.org/{z}/{x}/{y}.png"],
  );
});

function files(dir) {
  return readdirSync(dir).flatMap((f) =>
    statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)],
  );
}

test("the built front end contains no remote URLs", () => {
  const found = [];
  for (const f of files(DIST).filter((f) => /\.(html|js|css|svg|json)$/.test(f))) {
    for (const url of remoteUrls(readFileSync(f, "utf8")))
      found.push(`${f.slice(ROOT.length + 1)}: ${url}`);
  }
  assert.deepEqual(found, []);
  assert.ok(
    files(DIST).some((f) => f.endsWith(".js")),
    "the front end was built",
  );
});

test("the CSP allows only the app's own origin and its IPC", () => {
  const conf = JSON.parse(readFileSync(join(ROOT, "tauri.conf.json"), "utf8"));
  const csp = conf.app.security.csp;
  const sources = csp.split(";").flatMap((d) => d.trim().split(/\s+/).slice(1));
  for (const s of sources) {
    assert.ok(
      [
        "'self'",
        "'none'",
        "'unsafe-inline'",
        "data:",
        "blob:",
        "ipc:",
        "http://ipc.localhost",
      ].includes(s),
      `unexpected source ${s}`,
    );
  }
  assert.match(csp, /default-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-eval/);
});
