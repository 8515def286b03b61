// A damaged data file: the real app keeps it aside, starts afresh, and says so.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { By } from "selenium-webdriver";
import { launchApp, textOf } from "./harness.mjs";

describe("a damaged database", () => {
  let app;
  const dir = mkdtempSync(join(tmpdir(), "wijkkompas-damaged-"));
  const db = join(dir, "wijkkompas.db");
  const junk = "not a database, but somebody's file";
  before(async () => {
    writeFileSync(db, junk);
    app = await launchApp({ db });
  });
  after(async () => {
    await app?.quit();
  });

  it("is moved aside, kept, and reported on screen", async () => {
    const d = app.driver;
    await d.wait(async () => (await d.findElement(By.id("app-error")).isDisplayed()), 10000);
    const text = await textOf(d, "#app-error");
    assert.match(text, /beschadigd/);
    const aside = readdirSync(dir).find((f) => f.includes(".damaged-"));
    assert.ok(aside, "the damaged file is kept");
    assert.equal(readFileSync(join(dir, aside), "utf8"), junk);
    assert.ok(text.includes(aside));
    assert.equal((await d.findElements(By.css("#case-list li"))).length, 29, "the app works on a new file");
  });
});
