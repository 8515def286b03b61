// Issue 13 §2: the questionnaire has versions (statement sets). An initiative whose checks were
// made with two versions shows its history, and the comparison says on the screen that it
// compares only the statements both versions ask, in Dutch and in English.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { By } from "selenium-webdriver";
import { ROOT, cli, launchApp, screenshot, tempFile, textOf, waitFor } from "./harness.mjs";
import { tempDir } from "../temp.mjs";

describe("checks made with two versions of the questionnaire", () => {
  let app;
  let initiative;
  before(async () => {
    const db = join(tempDir("e2e"), "wijkkompas.db");
    // Two checks made with the first set (exported before the change), then one with the current set.
    cli(["import", join(ROOT, "tests/fixtures/bundle-statement-set-1.json")], db);
    initiative = cli(["list"], db)[0].initiative_id;
    const current = cli(["lessons"], db).flatMap((l) => l.statements.map((s) => s.id));
    const input = tempFile(
      "check.json",
      JSON.stringify({
        initiative: { id: initiative, role: "resident" },
        answers: Object.fromEntries(current.map((id) => [id, 4])),
      }),
    );
    cli(["check", "--input", input], db);
    app = await launchApp({ db });
  });
  after(async () => app?.quit());

  it("says that the comparison spans two versions, and compares what both asked", async () => {
    const d = app.driver;
    await d.findElement(By.css('a[data-view="initiatives"]')).click();
    await waitFor(d, `[data-initiative="${initiative}"]`);
    await d.findElement(By.css(`[data-initiative="${initiative}"]`)).click();
    await waitFor(d, "#compare-across-sets");
    assert.match(await textOf(d, "#compare-across-sets"), /versie 1 en versie 2/);
    assert.equal((await d.findElements(By.css("#history-table tbody tr"))).length, 3);
    assert.equal((await d.findElements(By.css("#comparison tbody tr"))).length, 12);
    await screenshot(d, "statement-sets-history-nl");
    await d.findElement(By.css('.lang-switch button[data-lang="en"]')).click();
    // The view is drawn again in English: read the text from the page, not from an old element.
    const notice = () =>
      d.executeScript(`return document.getElementById("compare-across-sets")?.textContent ?? ""`);
    await d.wait(async () => /version 1 and version 2/.test(await notice()), 5000);
    await screenshot(d, "statement-sets-history-en");
    await d.findElement(By.css('.lang-switch button[data-lang="nl"]')).click();
  });
});
