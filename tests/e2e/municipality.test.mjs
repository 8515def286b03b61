// The municipality view in the real app: import a bundle made on another machine, see the
// initiatives, aggregates and queue, change a review status; a bad file changes nothing.
import assert from "node:assert/strict";
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { By, Key } from "selenium-webdriver";
import {
  axeViolations,
  cli,
  clickFresh,
  keys,
  launchApp,
  pickInNativeDialog,
  ROOT,
  screenshot,
  tabTo,
  tempFile,
  textOf,
  waitFor,
} from "./harness.mjs";
import { tempDir } from "../temp.mjs";

const bin = join(ROOT, "target/debug/wijkkompas");

/** A bundle of Utrecht initiatives (six unless told), made with the CLI on its own "community
 * centre" database, named `machine` when given. */
function makeBundle({
  machine = null,
  count = 6,
  prefix = "Buurtinitiatief",
  file = "bundle.json",
  shift = 0,
} = {}) {
  const dir = tempDir("centre");
  const db = join(dir, "centre.db");
  if (machine) cli(["settings", "--name", machine], db);
  const statements = cli(["lessons"], db).flatMap((l) => l.statements.map((s) => s.id));
  const ids = [];
  for (let k = 0; k < count; k++) {
    const answers = Object.fromEntries(statements.map((id, i) => [id, ((i * 3 + k) % 5) + 1]));
    const input = join(dir, `c${k}.json`);
    writeFileSync(
      input,
      JSON.stringify({
        initiative: {
          name: `${prefix} ${k + 1}`,
          lat: 52.08 + k * 0.004 + shift,
          lon: 5.1 + k * 0.004,
          role: "resident",
        },
        answers,
      }),
    );
    ids.push(cli(["check", "--input", input], db).initiative_id);
  }
  const bundle = join(dir, file);
  execFileSync(bin, ["export", "--format", "bundle", "--municipality", "GM0344", "-o", bundle], {
    env: { ...process.env, WIJKKOMPAS_DB: db },
  });
  const bad = join(dir, "bad.json");
  writeFileSync(bad, JSON.stringify({ format: "wijkkompas-bundle", version: 9 }));
  return { bundle, bad, ids };
}

describe("municipality view", () => {
  let app;
  let made;
  before(async () => {
    made = makeBundle();
    app = await launchApp();
  });
  after(async () => {
    await app?.quit();
  });

  it("imports a bundle through the app and shows the municipality", async () => {
    const d = app.driver;
    await d.findElement(By.css('a[data-view="municipality"]')).click();
    await waitFor(d, "#municipality-select");
    await d.executeScript(
      `const s = document.getElementById("municipality-select"); s.value = "GM0344"; s.dispatchEvent(new Event("change"));`,
    );
    await waitFor(d, "#no-initiatives");
    await d.findElement(By.id("import-file")).sendKeys(made.bundle);
    await d
      .wait(
        async () =>
          /Nieuw toegevoegd: 12 records/.test(
            await textOf(d, "#municipality-message").catch(() => ""),
          ),
        15000,
      )
      .catch(async (e) => {
        await screenshot(d, "municipality-import-failed");
        const files = await d.executeScript(
          "const i = document.getElementById('import-file'); return i ? [i.files.length, i.value] : null",
        );
        throw new Error(
          `${e.message}; message: ${await textOf(d, "#municipality-message").catch(() => "?")}; input: ${JSON.stringify(files)}; error: ${await textOf(d, "#app-error").catch(() => "")}`,
        );
      });
    await waitFor(d, "#municipality-table");
    assert.equal((await d.findElements(By.css("#municipality-table tbody tr"))).length, 6);
    assert.match(await textOf(d, "#review-queue h2"), /6 initiatieven wachten op beoordeling/);
    assert.equal((await d.findElements(By.css("#area-map .initiative-marker"))).length, 6);
    assert.match(await textOf(d, "#aggregates"), /Binden/);
    assert.equal(
      (await d.findElements(By.id("small-group-note"))).length,
      0,
      "six initiatives: means are shown",
    );
    await screenshot(d, "municipality-nl");
  });

  it("changes a review status and shows it in the timeline", async () => {
    const d = app.driver;
    const id = made.ids[0];
    await d.findElement(By.css(`#municipality-table [data-review="${id}"]`)).click();
    await waitFor(d, "#review-form");
    assert.match(await textOf(d, "#current-status"), /Nieuw/);
    await d.findElement(By.id("review-save")).click();
    assert.match(await textOf(d, "#review-error"), /naam/);
    await d.findElement(By.id("review-by")).sendKeys("Anna de Vries");
    await d.findElement(By.id("review-note")).sendKeys("Eerste beoordeling");
    await d.findElement(By.id("review-save")).click();
    await d.wait(
      async () => /In beoordeling/.test(await textOf(d, "#current-status").catch(() => "")),
      5000,
    );
    assert.match(await textOf(d, "#review-timeline"), /Nieuw → In beoordeling · Anna de Vries/);
    await d.executeScript(
      `const s = document.getElementById("review-to"); s.value = "published"; s.dispatchEvent(new Event("change"));`,
    );
    await d.findElement(By.id("review-by")).sendKeys("Bram");
    await d.findElement(By.id("review-save")).click();
    await d.wait(
      async () => /Gepubliceerd/.test(await textOf(d, "#current-status").catch(() => "")),
      5000,
    );
    assert.match(await textOf(d, "#review-queue h2"), /5 initiatieven/);
    await screenshot(d, "municipality-review-nl");
    const log = cli(["reviews", id], app.db);
    assert.deepEqual(
      log.map((e) => [e.from, e.to, e.reviewer]),
      [
        ["new", "in_review", "Anna de Vries"],
        ["in_review", "published", "Bram"],
      ],
    );
    // Closed, the panel gives the table its width back and the focus to the button that opened it.
    await d.findElement(By.id("review-close")).click();
    await d.wait(async () => !(await d.findElement(By.id("review-panel")).isDisplayed()), 5000);
    assert.equal(await d.executeScript("return document.activeElement.dataset.review"), id);
  });

  it("rejects a bad file and changes nothing", async () => {
    const d = app.driver;
    const before = cli(["list"], app.db).length;
    await d.findElement(By.id("import-file")).sendKeys(made.bad);
    await d.wait(
      async () =>
        /niet geïmporteerd/.test(await textOf(d, "#municipality-message").catch(() => "")),
      10000,
    );
    assert.match(await textOf(d, "#municipality-message"), /versie 9/);
    assert.equal(cli(["list"], app.db).length, before);
  });

  it("sorts and filters the table", async () => {
    const d = app.driver;
    const sortedAs = (key) =>
      d.executeScript(
        `return document.querySelector('[data-sort="${key}"]').closest("th").getAttribute("aria-sort")`,
      );
    await clickFresh(d, '[data-sort="status"]');
    await d.wait(async () => (await sortedAs("status")) === "ascending", 5000);
    await clickFresh(d, '[data-sort="status"]');
    await d.wait(async () => (await sortedAs("status")) === "descending", 5000);
    // Read in the page, in one go: the table is redrawn under WebDriver's element handles.
    const text = (css) =>
      d.executeScript(`return document.querySelector(arguments[0])?.textContent.trim() ?? ""`, css);
    assert.match(await text("#municipality-table tbody tr:first-child .status"), /Gepubliceerd/);
    await d.executeScript(
      `const s = document.getElementById("status-filter"); s.value = "published"; s.dispatchEvent(new Event("change"));`,
    );
    await d.wait(
      async () =>
        (await d.executeScript(
          `return document.querySelectorAll("#municipality-table tbody tr").length`,
        )) === 1,
      5000,
    );
    assert.equal(await text("#page-range"), "1 tot en met 1 van 1 initiatieven");
    await d.findElement(By.css('.lang-switch button[data-lang="en"]')).click();
    await d.wait(
      async () =>
        /Municipality of Utrecht/.test(await textOf(d, "#view-municipality h1").catch(() => "")),
      5000,
    );
    await screenshot(d, "municipality-en");
    await d.findElement(By.css('.lang-switch button[data-lang="nl"]')).click();
  });

  it("chooses a municipality by clicking the map", async () => {
    const d = app.driver;
    const map = await waitFor(d, "#area-map");
    await d.executeScript("arguments[0].scrollIntoView({ block: 'center' })", map);
    const { width, height } = await map.getRect();
    // Utrecht fills the map; its top-right corner lies in a neighbouring municipality.
    await d
      .actions()
      .move({ origin: map, x: Math.round(width / 2 - 12), y: Math.round(-height / 2 + 12) })
      .click()
      .perform();
    await d.wait(
      async () => (await d.executeScript("return location.hash")) !== "#gemeente/GM0344",
      5000,
    );
    await d.wait(
      async () => !/Utrecht/.test(await textOf(d, "#view-municipality h1").catch(() => "Utrecht")),
      5000,
    );
    const code = await d.executeScript(
      `return document.getElementById("municipality-select").value`,
    );
    assert.match(code, /^GM\d{4}$/);
    assert.notEqual(code, "GM0344");
    assert.match(await textOf(d, "#view-municipality h1"), /^Gemeente \S/);
  });

  it("pages through the table of a municipality with 250 initiatives", async () => {
    const d = app.driver;
    // Imported by the CLI into the app's own database while the app runs (SQLite allows both).
    const statements = cli(["lessons"], app.db).flatMap((l) => l.statements.map((s) => s.id));
    const uuid = (kind, n) => `${kind}0000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
    const count = 250;
    const initiatives = [];
    const checks = [];
    for (let n = 1; n <= count; n++) {
      initiatives.push({
        id: uuid(5, n),
        name: `Wijkproject ${String(n).padStart(3, "0")}`,
        description: null,
        lat: 52.15 + (n % 10) * 0.002,
        lon: 5.38 + Math.floor(n / 10) * 0.0008,
        target_groups: [],
        created_at: "2025-03-01T10:00:00Z",
      });
      checks.push({
        id: uuid(6, n),
        initiative_id: uuid(5, n),
        role: "resident",
        created_at: "2025-03-02T10:00:00Z",
        answers: Object.fromEntries(statements.map((s, i) => [s, ((n + i) % 5) + 1])),
      });
    }
    const bundle = {
      format: "wijkkompas-bundle",
      version: 1,
      exported_at: "2025-03-03T00:00:00Z",
      municipality: null,
      initiatives,
      self_checks: checks,
      review_log: [],
    };
    assert.equal(
      cli(["import", tempFile("amersfoort.json", JSON.stringify(bundle))], app.db).added,
      2 * count,
    );

    await d.executeScript(`location.hash = "#gemeente/GM0307"`);
    await d.wait(
      async () => /Amersfoort/.test(await textOf(d, "#view-municipality h1").catch(() => "")),
      10000,
      "paging step 1",
    );
    // Read in the page, in one go: the table region is redrawn under WebDriver's element handles.
    const range = () =>
      d.executeScript(`return document.getElementById("page-range")?.textContent.trim() ?? ""`);
    const rowNames = async () =>
      d.executeScript(
        `return [...document.querySelectorAll("#municipality-table tbody th")].map((th) => th.textContent)`,
      );
    const focused = () =>
      d.executeScript("return document.activeElement && document.activeElement.id");
    assert.equal(await range(), "1 tot en met 100 van 250 initiatieven");
    assert.equal((await rowNames()).length, 100);
    assert.equal(await d.findElement(By.id("page-previous")).isEnabled(), false);
    assert.equal(await d.findElement(By.id("page-first")).isEnabled(), false);
    assert.deepEqual(await axeViolations(d), [], "a paged table");

    await d.findElement(By.id("page-next")).click();
    await d.wait(
      async () => (await range()) === "101 tot en met 200 van 250 initiatieven",
      5000,
      "paging step 2",
    );
    // Sorted on status, descending (chosen above): all are new, and descending is the exact
    // reverse of ascending, ties included, so the second page starts at the 150th.
    assert.equal((await rowNames())[0], "Wijkproject 150");
    assert.equal(await focused(), "page-range", "a new page is read from its top");
    await d.findElement(By.id("page-last")).click();
    await d.wait(
      async () => (await range()) === "201 tot en met 250 van 250 initiatieven",
      5000,
      "paging step 3",
    );
    assert.equal((await rowNames()).length, 50);
    assert.equal(await focused(), "page-range");
    await screenshot(d, "municipality-paged-nl");

    // Sorting again starts at the first page; so does filtering, which keeps the sort.
    // The sort chosen earlier (status) stays; name ascending, then descending.
    await clickFresh(d, '[data-sort="name"]');
    await d.wait(async () => (await rowNames())[0] === "Wijkproject 001", 5000, "paging step 4");
    await clickFresh(d, '[data-sort="name"]');
    await d.wait(async () => (await rowNames())[0] === "Wijkproject 250", 5000, "paging step 4b");
    assert.equal(await range(), "1 tot en met 100 van 250 initiatieven");
    await d.findElement(By.id("row-filter")).sendKeys("project 24");
    await d.wait(async () => /van 13 initiatieven/.test(await range()), 5000, "paging step 5");
    assert.deepEqual((await rowNames()).slice(0, 3), [
      "Wijkproject 249",
      "Wijkproject 248",
      "Wijkproject 247",
    ]);
    assert.equal((await d.findElements(By.css(".pager"))).length, 0, "one page: no pager");
    assert.equal(await focused(), "row-filter", "typing keeps the focus in the search box");
    await d.findElement(By.id("row-filter")).sendKeys("x");
    await d.wait(
      async () => /Geen initiatieven gevonden/.test(await range()),
      5000,
      "paging step 6",
    );
    assert.equal((await d.findElements(By.id("municipality-table"))).length, 0);
  });

  it("ran without errors or content-security violations", async () => {
    assert.deepEqual(await app.driver.executeScript("return window.__cspViolations"), []);
    assert.equal(await app.driver.findElement(By.id("app-error")).isDisplayed(), false);
  });
});

describe("bulk review", () => {
  let app;
  before(async () => {
    const made = makeBundle();
    const db = join(tempDir("bulk"), "wijkkompas.db");
    execFileSync(bin, ["import", made.bundle], { env: { ...process.env, WIJKKOMPAS_DB: db } });
    app = await launchApp({ db });
  });
  after(async () => {
    await app?.quit();
  });

  it("moves five initiatives at once by keyboard, and all or none", async () => {
    const d = app.driver;
    await d.executeScript(`location.hash = "#gemeente/GM0344"`);
    await waitFor(d, "#municipality-table");
    // Start from the table's first control (the view has put the focus on its heading).
    await d.executeScript(`document.querySelector("#municipality-table [data-select]").focus()`);
    for (let k = 1; k <= 5; k++) {
      await tabTo(d, `#municipality-table tbody tr:nth-child(${k}) [data-select]`);
      await keys(d, Key.SPACE);
    }
    assert.match(await textOf(d, "#bulk-count"), /5 gekozen/);
    // The move's form sits above the table: back up to it (its select is set as a person picks).
    await d.executeScript(
      `const s = document.getElementById("bulk-status"); s.focus(); s.value = "in_review"; s.dispatchEvent(new Event("change"));`,
    );
    await tabTo(d, "#bulk-reviewer");
    await keys(d, "Anna de Vries");
    await tabTo(d, "#bulk-note");
    await keys(d, "Week 48");
    await tabTo(d, "#bulk-apply");
    await screenshot(d, "municipality-bulk-nl");
    await keys(d, Key.ENTER);
    await d.wait(
      async () =>
        /5 initiatieven staan nu op in beoordeling/i.test(
          await textOf(d, "#bulk-message").catch(() => ""),
        ),
      10000,
    );
    const statuses = () =>
      d.executeScript(
        `return [...document.querySelectorAll("#municipality-table tbody .status")].map((s) => s.textContent)`,
      );
    assert.deepEqual((await statuses()).filter((s) => /In beoordeling/.test(s)).length, 5);
    assert.deepEqual(await axeViolations(d), []);

    // All six the filter shows → published: the sixth is still new, so none moves.
    await waitFor(d, "#bulk-all");
    await d.executeScript(`document.getElementById("bulk-all").focus()`);
    await keys(d, Key.ENTER);
    await d.wait(
      async () => /6 gekozen/.test(await textOf(d, "#bulk-count").catch(() => "")),
      5000,
    );
    await d.executeScript(
      `const s = document.getElementById("bulk-status"); s.focus(); s.value = "published"; s.dispatchEvent(new Event("change"));`,
    );
    await tabTo(d, "#bulk-reviewer");
    await keys(d, "Anna de Vries");
    await tabTo(d, "#bulk-apply");
    await keys(d, Key.ENTER);
    await d.wait(
      async () => /er is niets veranderd/.test(await textOf(d, "#bulk-error").catch(() => "")),
      5000,
    );
    assert.match(
      await textOf(d, "#bulk-error"),
      /Buurtinitiatief 6 kan niet van nieuw naar gepubliceerd/,
    );
    assert.equal((await statuses()).filter((s) => /Gepubliceerd/.test(s)).length, 0);
    const published = cli(["list"], app.db).length; // the database is readable meanwhile
    assert.equal(published, 6);

    // The trend per quarter: this quarter, six initiatives, a mean per strategy (the table),
    // and a mark per strategy in the chart.
    await waitFor(d, "#trend-table");
    const row = await d.executeScript(
      `return [...document.querySelectorAll("#trend-table tbody tr:last-child > *")].map((c) => c.textContent.trim())`,
    );
    assert.match(row[0], /^20\d\d-Q[1-4]$/);
    assert.equal(row[1], "6");
    assert.ok(
      row.slice(2).every((v) => /^\d+,\d$/.test(v)),
      row.join(" | "),
    );
    assert.equal((await d.findElements(By.css("#trend svg[role=img] g"))).length, 3);
    await d.executeScript(
      `const h = document.getElementById("trend-heading"); const page = h.closest(".page-view"); page.scrollTop += h.getBoundingClientRect().top - page.getBoundingClientRect().top - 8;`,
    );
    await d.executeAsyncScript(
      "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()))",
    );
    await screenshot(d, "municipality-trend-nl");
    assert.deepEqual(await axeViolations(d), []);
  });
});

describe("sources", () => {
  let app;
  let kolk;
  let linde;
  before(async () => {
    kolk = makeBundle({
      machine: "Buurthuis De Kolk",
      count: 4,
      prefix: "Kolk-initiatief",
      file: "kolk-november.json",
    });
    linde = makeBundle({
      machine: "Wijkcentrum De Linde",
      count: 3,
      prefix: "Linde-initiatief",
      file: "linde-november.json",
      shift: 0.002,
    });
    app = await launchApp();
  });
  after(async () => {
    await app?.quit();
  });

  it("imports two centres' files, filters the table by source and says where an initiative came from", async () => {
    const d = app.driver;
    await d.executeScript(`location.hash = "#gemeente/GM0344"`);
    await waitFor(d, "#no-initiatives");
    await d.findElement(By.id("import-file")).sendKeys(kolk.bundle);
    await d.wait(
      async () =>
        /Nieuw toegevoegd: 8 records/.test(
          await textOf(d, "#municipality-message").catch(() => ""),
        ),
      15000,
    );
    await waitFor(d, "#municipality-table");
    // One source: no filter, no column.
    assert.equal((await d.findElements(By.id("source-filter"))).length, 0);
    await d.findElement(By.id("import-file")).sendKeys(linde.bundle);
    await d.wait(
      async () =>
        /Nieuw toegevoegd: 6 records/.test(
          await textOf(d, "#municipality-message").catch(() => ""),
        ),
      15000,
    );
    await waitFor(d, "#source-filter");
    const options = await d.executeScript(
      `return [...document.querySelectorAll("#source-filter option")].map((o) => o.textContent)`,
    );
    assert.deepEqual(options, [
      "Alle bronnen",
      "Buurthuis De Kolk (4)",
      "Wijkcentrum De Linde (3)",
    ]);
    const sourceCells = () =>
      d.executeScript(
        `return [...document.querySelectorAll("#municipality-table tbody .source-cell")].map((c) => c.textContent)`,
      );
    assert.equal((await sourceCells()).length, 7);

    // Chosen by keyboard: the select has the focus, a key picks the option.
    await d.executeScript(
      `const s = document.getElementById("source-filter"); s.focus(); s.value = ${JSON.stringify(await d.executeScript(`return document.querySelectorAll("#source-filter option")[2].value`))}; s.dispatchEvent(new Event("change"));`,
    );
    await d.wait(
      async () =>
        /van 3 initiatieven|1–3 van 3/.test(
          await d.executeScript(`return document.getElementById("page-range")?.textContent ?? ""`),
        ),
      5000,
    );
    assert.deepEqual(await sourceCells(), [
      "Wijkcentrum De Linde",
      "Wijkcentrum De Linde",
      "Wijkcentrum De Linde",
    ]);
    const names = await d.executeScript(
      `return [...document.querySelectorAll("#municipality-table tbody th")].map((c) => c.textContent)`,
    );
    assert.deepEqual(names, ["Linde-initiatief 1", "Linde-initiatief 2", "Linde-initiatief 3"]);

    await d.executeScript(
      `const h = document.getElementById("table-heading"); const page = h.closest(".page-view"); page.scrollTop += h.getBoundingClientRect().top - page.getBoundingClientRect().top - 8;`,
    );
    await d.executeAsyncScript(
      "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()))",
    );
    await screenshot(d, "municipality-sources-table-nl");
    // The review panel says where it came from: machine, file, when exported and imported.
    await d.findElement(By.css("#municipality-table tbody tr:first-child [data-review]")).click();
    await waitFor(d, "#review-source");
    const said = await d.executeScript(
      `return document.getElementById("review-source").textContent`,
    );
    assert.match(
      said,
      /^Gemaakt op Wijkcentrum De Linde; geïmporteerd uit linde-november\.json \(geëxporteerd \d.*, geïmporteerd \d.*\)\.$/,
    );
    await d.executeScript(
      `const h = document.getElementById("table-heading"); const page = h.closest(".page-view"); page.scrollTop += h.getBoundingClientRect().top - page.getBoundingClientRect().top - 8;`,
    );
    await d.executeAsyncScript(
      "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()))",
    );
    await screenshot(d, "municipality-sources-nl");
    assert.deepEqual(await axeViolations(d), []);
    // The same in the CLI's list: every check knows its file.
    const files = new Set(cli(["list"], app.db).map((c) => c.source.file));
    assert.deepEqual([...files].sort(), ["kolk-november.json", "linde-november.json"]);
  });
});

describe("folder import", () => {
  let app;
  let folder;
  before(async () => {
    // A municipality's week: two community centres' files, one file from a newer Wijkkompas, and
    // a note that is no bundle, in one folder.
    folder = tempDir("folder");
    const kolk = makeBundle({
      machine: "Buurthuis De Kolk",
      count: 4,
      prefix: "Kolk-initiatief",
      file: "kolk-november.json",
    });
    const linde = makeBundle({
      machine: "Wijkcentrum De Linde",
      count: 3,
      prefix: "Linde-initiatief",
      file: "linde-november.json",
      shift: 0.002,
    });
    copyFileSync(kolk.bundle, join(folder, "kolk-november.json"));
    copyFileSync(linde.bundle, join(folder, "linde-november.json"));
    copyFileSync(kolk.bad, join(folder, "nieuwer.json"));
    writeFileSync(join(folder, "lees-mij.txt"), "Bundels van de buurthuizen, november.");
    app = await launchApp();
  });
  after(async () => {
    await app?.quit();
  });

  const message = (d) => textOf(d, "#municipality-message").catch(() => "");
  const resultItems = (d) =>
    d.executeScript(
      `return [...document.querySelectorAll("#import-result li")].map((li) => li.textContent.trim())`,
    );

  it("imports every bundle in a chosen folder, lists the rejected file, and a second time finds them present", async () => {
    const d = app.driver;
    await d.executeScript(`location.hash = "#gemeente/GM0344"`);
    await waitFor(d, "#no-initiatives");
    await d.findElement(By.id("import-folder")).click();
    await pickInNativeDialog("Map met bundels", `${folder}/`);
    await d.wait(async () => /^Map gelezen/.test(await message(d)), 30000);
    // A short list, the refused file first with why, then what was left alone, then what came in.
    assert.equal(
      await textOf(d, "#municipality-message > p"),
      "Map gelezen: 3 bestanden, waarvan 1 geweigerd.",
    );
    assert.deepEqual(await resultItems(d), [
      "Geweigerd: nieuwer.json. Deze bundel heeft versie 9; deze Wijkkompas leest versie 3. Werk Wijkkompas bij om hem te importeren.",
      "Geen bundel, overgeslagen: lees-mij.txt.",
      "Geïmporteerd: 2 bestanden, samen 14 nieuwe records.",
    ]);
    // Both centres' initiatives are in the table, and the source filter names them.
    await waitFor(d, "#source-filter");
    const options = await d.executeScript(
      `return [...document.querySelectorAll("#source-filter option")].map((o) => o.textContent)`,
    );
    assert.deepEqual(options, [
      "Alle bronnen",
      "Buurthuis De Kolk (4)",
      "Wijkcentrum De Linde (3)",
    ]);
    await d.executeScript(
      `const m = document.getElementById("municipality-message"); const page = m.closest(".page-view"); page.scrollTop += m.getBoundingClientRect().top - page.getBoundingClientRect().top - 8;`,
    );
    await d.executeAsyncScript(
      "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()))",
    );
    await screenshot(d, "municipality-folder-nl");
    assert.deepEqual(await axeViolations(d), []);
    // Every file remembers where its records came from.
    const files = new Set(cli(["list"], app.db).map((c) => c.source.file));
    assert.deepEqual([...files].sort(), ["kolk-november.json", "linde-november.json"]);

    // The same folder again: nothing new, nothing doubled, the message says so.
    await d.findElement(By.id("import-folder")).click();
    await pickInNativeDialog("Map met bundels", `${folder}/`);
    await d.wait(async () => /Stonden er al helemaal: 2/.test(await message(d)), 30000);
    assert.deepEqual((await resultItems(d)).slice(2), [
      "Geïmporteerd: 0 bestanden, samen 0 nieuwe records.",
      "Stonden er al helemaal: 2 bestanden.",
    ]);
    assert.equal(cli(["list"], app.db).length, 7);
  });
});

describe("erasure from the review panel", () => {
  let app;
  let made;
  before(async () => {
    made = makeBundle();
    const db = join(tempDir("erase"), "wijkkompas.db");
    execFileSync(bin, ["import", made.bundle], { env: { ...process.env, WIJKKOMPAS_DB: db } });
    app = await launchApp({ db });
  });
  after(async () => {
    await app?.quit();
  });

  it("erases an initiative with its checks, only with a reason, and says what will follow", async () => {
    const d = app.driver;
    const id = made.ids[1];
    await d.executeScript(`location.hash = "#gemeente/GM0344"`);
    await waitFor(d, `#municipality-table [data-review="${id}"]`);
    await d.findElement(By.css(`#municipality-table [data-review="${id}"]`)).click();
    await waitFor(d, "#erase-details");
    await d.findElement(By.css("#erase-details summary")).click();
    await waitFor(d, "#erase-confirm");
    assert.match(await textOf(d, "#erase-explain"), /niet ongedaan/);
    await d.findElement(By.id("erase-confirm")).click();
    assert.match(await textOf(d, "#erase-error"), /waarom/);
    assert.equal(cli(["list"], app.db).length, 6, "nothing goes without a reason");
    await d.findElement(By.id("erase-reason")).sendKeys("De initiatiefnemer vroeg erom");
    await screenshot(d, "municipality-erase-nl");
    await d.findElement(By.id("erase-confirm")).click();
    await d
      .wait(
        async () =>
          /Buurtinitiatief 2 is verwijderd op deze computer/.test(
            await textOf(d, "#municipality-message").catch(() => ""),
          ),
        10000,
      )
      .catch(async (e) => {
        await screenshot(d, "municipality-erase-failed");
        throw new Error(
          `${e.message}; error: ${await textOf(d, "#erase-error").catch(() => "")} ${await textOf(d, "#app-error").catch(() => "")}`,
        );
      });
    assert.equal(cli(["list"], app.db).length, 5);
    assert.equal(
      (await d.findElements(By.css(`#municipality-table [data-review="${id}"]`))).length,
      0,
    );
    assert.equal(await d.findElement(By.id("review-panel")).isDisplayed(), false);
    assert.deepEqual(await axeViolations(d), []);
  });
});
