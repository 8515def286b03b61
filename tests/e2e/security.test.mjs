// The app's own security: the page reaches only the app's commands (no dialog, file-system or
// shell APIs), cannot evaluate code, and cannot reach the network; what people typed shows as
// text on every screen, never as markup.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { By } from "selenium-webdriver";
import { tempDir } from "../temp.mjs";
import { cli, launchApp, screenshot, textOf, waitFor } from "./harness.mjs";

describe("security of the app itself", () => {
  let app;
  before(async () => {
    app = await launchApp();
  });
  after(async () => {
    await app?.quit();
  });

  it("refuses plugin, file-system and shell calls from the page", async () => {
    const results = await app.driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      const call = (cmd, args) => window.__TAURI__.core.invoke(cmd, args).then(() => "ALLOWED " + cmd, (e) => "refused: " + e);
      Promise.all([
        call("plugin:dialog|open", { options: {} }),
        call("plugin:dialog|save", { options: {} }),
        call("plugin:fs|read_text_file", { path: "/etc/passwd" }),
        call("plugin:shell|execute", { program: "sh", args: ["-c", "id"] }),
        call("not_a_command"),
      ]).then(done);`);
    for (const r of results) assert.match(r, /^refused/, r);
    const about = await app.driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      window.__TAURI__.core.invoke("about").then(done, (e) => done(String(e)));`);
    assert.match(
      about?.lessons_source?.nl ?? String(about),
      /Movisie/,
      "the app's own commands still work",
    );
  });

  it("cannot evaluate strings as code or reach the network", async () => {
    const r = await app.driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      let evaluated;
      try { evaluated = window.eval("1 + 1") === 2 ? "eval ran" : "?"; } catch (e) { evaluated = "blocked"; }
      fetch("https://example.org/").then(() => done([evaluated, "fetched"]), () => done([evaluated, "blocked"]));`);
    assert.deepEqual(r, ["blocked", "blocked"]);
  });
});

describe("names and notes as text", () => {
  // Markup typed as a name or a description: shown as these characters, never run or parsed.
  const NAME = '<img src="x" onerror="window.__xss = 1"><script>window.__xss = 2</script>';
  const DESCRIPTION = '"><svg onload="window.__xss = 3"></svg>';
  let app;
  let id;
  before(async () => {
    const dir = tempDir("markup");
    const db = join(dir, "wijkkompas.db");
    const statements = cli(["lessons"], db).flatMap((l) => l.statements.map((s) => s.id));
    const input = join(dir, "check.json");
    writeFileSync(
      input,
      JSON.stringify({
        initiative: {
          name: NAME,
          description: DESCRIPTION,
          lat: 52.08,
          lon: 5.1,
          role: "resident",
        },
        answers: Object.fromEntries(statements.map((s, i) => [s, (i % 5) + 1])),
      }),
    );
    id = cli(["check", "--input", input], db).initiative_id;
    app = await launchApp({ db });
  });
  after(async () => app?.quit());

  /** No element that the typed markup would have made, and nothing of it ran. */
  async function noMarkupRan(d, where) {
    const found = await d.executeScript(
      `return [window.__xss ?? null, document.querySelectorAll('[onerror], [onload], img[src="x"]').length,
        [...document.scripts].filter((s) => s.text.includes("__xss")).length]`,
    );
    assert.deepEqual(found, [null, 0, 0], `${where}: no markup of the name was parsed`);
  }

  it("shows them as typed in the list, the history, the result and the municipality", async () => {
    const d = app.driver;
    await d.executeScript(`location.hash = "#initiatieven"`);
    await waitFor(d, `#initiatives-table [data-initiative="${id}"]`);
    assert.equal(await textOf(d, `#initiatives-table [data-initiative="${id}"]`), NAME);
    await noMarkupRan(d, "the list");

    await d.findElement(By.css(`#initiatives-table [data-initiative="${id}"]`)).click();
    await waitFor(d, "#history-table");
    assert.equal(await textOf(d, "#initiative-heading"), NAME);
    assert.ok((await textOf(d, "#initiative-heading + .meta")).endsWith(`· ${DESCRIPTION}`));
    await noMarkupRan(d, "the history");

    await d.findElement(By.css("#history-table [data-check]")).click();
    await waitFor(d, "#result-heading");
    assert.ok((await textOf(d, "#result-heading")).includes(NAME), "the result's heading");
    await noMarkupRan(d, "the result");
    await screenshot(d, "markup-as-text-result");

    await d.executeScript(`location.hash = "#gemeente/GM0344"`);
    await waitFor(d, `#municipality-table [data-review="${id}"]`);
    assert.equal(await textOf(d, `#municipality-table tr[data-initiative-row="${id}"] th`), NAME);
    await d.findElement(By.css(`#municipality-table [data-review="${id}"]`)).click();
    await waitFor(d, "#review-form");
    assert.ok((await textOf(d, "#review-heading")).includes(NAME), "the review's heading");
    await noMarkupRan(d, "the municipality");
  });
});
