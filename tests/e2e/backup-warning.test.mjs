// A self-check saved while the daily backup cannot be made (issue 12, defect 7): the check is
// stored and its result shown, with a notice for the coordinator; the save is not reported as
// failed, and is stored once.
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { By } from "selenium-webdriver";
import {
  cli,
  launchApp,
  screenshot,
  textOf,
  waitFor,
  waitForLesson,
  clickInView,
} from "./harness.mjs";
import { tempDir } from "../temp.mjs";

describe("a save whose daily backup fails", () => {
  let app;
  const dir = tempDir("nobackup");
  const db = join(dir, "wijkkompas.db");
  before(async () => {
    app = await launchApp({ db });
    // Nothing can be made in the backups folder: it is a file (root ignores permission bits).
    rmSync(join(dir, "backups"), { recursive: true, force: true });
    writeFileSync(join(dir, "backups"), "not a folder");
  });
  after(async () => {
    await app?.quit();
  });

  it("stores the check, shows the result, and says the backup failed", async () => {
    const d = app.driver;
    await d.findElement(By.css('a[data-view="check"]')).click();
    await waitFor(d, "#initiative-form");
    await d.findElement(By.id("ini-name")).sendKeys("Buurttuin zonder kopie");
    await clickInView(d, "label:has(> #role-resident)");
    await d.findElement(By.id("place-search")).sendKeys("Utrecht");
    await waitFor(d, "#place-options li[data-index='0']");
    await d.findElement(By.css("#place-options li[data-index='0']")).click();
    await d.wait(
      async () => (await textOf(d, "#place-status").catch(() => "")).includes("Utrecht"),
      5000,
    );
    await d.findElement(By.id("to-questions")).click();
    await waitForLesson(d, 1);
    for (let i = 0; i < 8; i++) {
      await d.findElement(By.id("q-next")).click();
      await waitForLesson(d, i + 2);
    }
    await d.findElement(By.id("q-save")).click();
    await waitFor(d, "#result");
    assert.match(await textOf(d, "#backup-warning"), /bewaard.*reservekopie/s);
    assert.equal(
      await d.findElement(By.id("app-error")).isDisplayed(),
      false,
      "no error: the save worked",
    );
    await screenshot(d, "result-backup-failed");
    const stored = cli(["list"], db).filter((c) => c.initiative.name === "Buurttuin zonder kopie");
    assert.equal(stored.length, 1, "stored once");
  });
});
