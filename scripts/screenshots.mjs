// Makes the screenshots that the AppStream metainfo names (src-tauri/packaging/screenshots.json)
// from the real app, driven as the end-to-end tests drive it: `make screenshots` writes them to
// target/screenshots/, to be put on the project's site at HOMEPAGE/screenshots/ (a software
// centre fetches them from there; a package cannot carry them). Needs an X display (Xvfb).
//
//   node scripts/screenshots.mjs [OUT_DIR]
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { By } from "selenium-webdriver";
import {
  ROOT,
  cli,
  clickFresh,
  clickInView,
  launchApp,
  textOf,
  waitFor,
  waitForLesson,
} from "../tests/e2e/harness.mjs";
import { tempDir } from "../tests/temp.mjs";

export const MANIFEST = JSON.parse(
  readFileSync(join(ROOT, "src-tauri/packaging/screenshots.json"), "utf8"),
);
/** Initiatives of a made-up community centre in Utrecht, for the municipality's overview. */
const UTRECHT = [
  ["Buurttuin De Vlinder", 52.1043, 5.1093],
  ["Taalcafé Kanaleneiland", 52.0707, 5.0985],
  ["Repair Café Zuilen", 52.1058, 5.0932],
  ["Eettafel Hoograven", 52.0735, 5.1243],
  ["Speeltuin Tuindorp", 52.1071, 5.1285],
  ["Wandelgroep Lunetten", 52.0631, 5.1391],
  ["Klussendienst Overvecht", 52.1167, 5.1137],
];

/** A database as a municipality's machine holds it after importing one centre's bundle. */
function municipalityDatabase() {
  const dir = tempDir("screenshots");
  const centre = join(dir, "centre.db");
  const statements = cli(["lessons"], centre).flatMap((l) => l.statements.map((s) => s.id));
  const ids = UTRECHT.map(([name, lat, lon], k) => {
    const answers = Object.fromEntries(statements.map((id, i) => [id, ((i * 2 + k * 3) % 5) + 1]));
    const input = join(dir, `check-${k}.json`);
    writeFileSync(
      input,
      JSON.stringify({
        initiative: { name, lat, lon, role: k % 3 === 0 ? "professional" : "resident" },
        answers,
      }),
    );
    return cli(["check", "--input", input], centre).initiative_id;
  });
  const bundle = join(dir, "centrum.json");
  // `export` prints no JSON (its output is the file), so it is run as is.
  execFileSync(
    join(ROOT, "target/debug/wijkkompas"),
    ["export", "--format", "bundle", "--municipality", "GM0344", "-o", bundle],
    { env: { ...process.env, WIJKKOMPAS_DB: centre } },
  );
  const db = join(dir, "wijkkompas.db");
  cli(["import", bundle], db);
  // The municipality has been at work: some initiatives reviewed, some still waiting.
  cli(["review", "--status", "in_review", "--by", "Anna de Vries", ...ids.slice(0, 4)], db);
  cli(["review", "--status", "published", "--by", "Anna de Vries", ...ids.slice(0, 3)], db);
  return db;
}

/** Waits until the page has drawn twice more and the map has stopped moving. */
async function settled(driver) {
  await driver.executeAsyncScript(
    "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));",
  );
  await driver.wait(
    async () =>
      await driver.executeScript(
        "return document.querySelector('.leaflet-container[data-moving=\"1\"]') === null",
      ),
    10000,
  );
}

/** How each screen of the manifest is reached, from the screen before it. */
const SCREENS = {
  "case-map.png": async (d) => {
    await clickFresh(d, '#case-list button[data-case-id="b3-de-oude-bieb-lewenborg"]');
    await d.wait(
      async () => /Oude Bieb/.test(await textOf(d, "#case-card h2").catch(() => "")),
      10000,
    );
    // The chosen case at the top of its list, not cut off at the edge where it was scrolled to.
    await d.executeScript(
      `document.querySelector('#case-list button[data-case-id="b3-de-oude-bieb-lewenborg"]').closest("li").scrollIntoView({ block: "start" })`,
    );
    await settled(d);
  },
  "self-check.png": async (d) => {
    await d.findElement(By.css('a[data-view="check"]')).click();
    await waitFor(d, "#initiative-form");
    await d.findElement(By.id("ini-name")).sendKeys("Buurttuin De Bron");
    await d
      .findElement(By.id("ini-description"))
      .sendKeys("Buren tuinieren samen en delen de oogst met de voedselbank.");
    await clickInView(d, "label:has(> #role-resident)");
    await d.findElement(By.id("place-search")).sendKeys("Bovensmil");
    await d.wait(
      async () =>
        /Bovensmilde/.test(await textOf(d, "#place-options li[data-index='0']").catch(() => "")),
      10000,
    );
    await clickFresh(d, "#place-options li[data-index='0']");
    await d.wait(async () => /Midden-Drenthe/.test(await textOf(d, "#place-status")), 10000);
    await d.findElement(By.id("to-questions")).click();
    // Strong on binding, middling on bridging, weak on linking: a profile with something to say.
    const byLesson = [5, 4, 5, 4, 3, 3, 2, 2, 1];
    for (let lesson = 1; lesson <= 9; lesson++) {
      await waitForLesson(d, lesson);
      for (const fieldset of await d.findElements(By.css("fieldset.statement"))) {
        const id = await fieldset.getAttribute("data-statement");
        await clickInView(d, `label:has(> #st-${id}-${byLesson[lesson - 1]})`);
      }
      await d.findElement(By.css(lesson < 9 ? "#q-next" : "#q-save")).click();
    }
    // The result starts in words; its figures (the chart) are one click further.
    await waitFor(d, "#result-summary");
    // The page's own scroll, and the view's (a view scrolls below the header).
    await d.executeScript(
      `for (const el of document.querySelectorAll("main, main *")) if (el.scrollTop) el.scrollTop = 0; window.scrollTo(0, 0)`,
    );
    await settled(d);
  },
  "municipality.png": async (d) => {
    await d.findElement(By.css('a[data-view="municipality"]')).click();
    await waitFor(d, "#municipality-select");
    await d.executeScript(
      `const s = document.getElementById("municipality-select"); s.value = "GM0344"; s.dispatchEvent(new Event("change"));`,
    );
    await waitFor(d, "#municipality-table");
    await d.wait(
      async () =>
        (await d.findElements(By.css("#area-map .initiative-marker"))).length === UTRECHT.length,
      10000,
    );
    // From the review queue down to the map and the figures, below the sticky header.
    await d.executeScript(
      `document.getElementById("review-queue").scrollIntoView({ block: "start" }); window.scrollBy(0, -document.querySelector("header").offsetHeight - 16)`,
    );
    await settled(d);
  },
};

/** Makes every screenshot of the manifest in `outDir`; returns their paths. */
export async function makeScreenshots(outDir) {
  const missing = MANIFEST.screens.filter((s) => !SCREENS[s.file]).map((s) => s.file);
  if (missing.length)
    throw new Error(
      `screenshots.json names screens this script cannot reach: ${missing.join(", ")}`,
    );
  mkdirSync(outDir, { recursive: true });
  const app = await launchApp({ db: municipalityDatabase() });
  try {
    await app.driver.manage().window().setRect({ width: MANIFEST.width, height: MANIFEST.height });
    // The window takes its new size after setRect has answered; the metainfo promises the page's
    // size, which a window manager's frame would take its share of.
    const pageSize = () =>
      app.driver.executeScript("return [window.innerWidth, window.innerHeight]");
    await app.driver
      .wait(
        async () => (await pageSize()).join("x") === `${MANIFEST.width}x${MANIFEST.height}`,
        10000,
      )
      .catch(async () => {
        throw new Error(
          `the app's page stays ${(await pageSize()).join("×")}, not ${MANIFEST.width}×${MANIFEST.height}: run this under Xvfb (make screenshots)`,
        );
      });
    const made = [];
    for (const screen of MANIFEST.screens) {
      await SCREENS[screen.file](app.driver);
      const path = join(outDir, screen.file);
      writeFileSync(path, await app.driver.takeScreenshot(), "base64");
      made.push(path);
    }
    return made;
  } finally {
    await app.quit();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = resolve(process.argv[2] ?? join(ROOT, "target/screenshots"));
  for (const path of await makeScreenshots(out)) console.log(path);
}
