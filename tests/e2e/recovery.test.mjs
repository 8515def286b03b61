// A damaged data file of ours: the real app keeps it aside, starts afresh, and says so. Someone
// else's file where the database should be: the app leaves it exactly as it was and says so.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { By } from "selenium-webdriver";
import { ROOT, launchApp, textOf } from "./harness.mjs";
import { tempDir } from "../temp.mjs";

describe("a damaged database", () => {
  let app;
  const dir = tempDir("damaged");
  const db = join(dir, "wijkkompas.db");
  let damaged;
  before(async () => {
    // A database of ours (made by the CLI; its header says it is ours) whose first page is
    // overwritten after the header.
    execFileSync(join(ROOT, "target/debug/wijkkompas"), ["list"], {
      env: { ...process.env, WIJKKOMPAS_DB: db },
    });
    for (const side of ["-wal", "-shm"]) rmSync(db + side, { force: true });
    damaged = readFileSync(db);
    damaged.fill(0x5a, 100, 4096);
    writeFileSync(db, damaged);
    app = await launchApp({ db });
  });
  after(async () => {
    await app?.quit();
  });

  it("is moved aside, kept, and reported on screen", async () => {
    const d = app.driver;
    await d.wait(async () => await d.findElement(By.id("app-error")).isDisplayed(), 10000);
    const text = await textOf(d, "#app-error");
    assert.match(text, /beschadigd/);
    const aside = readdirSync(dir).find(
      (f) => f.includes(".damaged-") && !f.endsWith("-wal") && !f.endsWith("-shm"),
    );
    assert.ok(aside, "the damaged file is kept");
    assert.deepEqual(readFileSync(join(dir, aside)), damaged);
    assert.ok(text.includes(aside));
    assert.equal(
      (await d.findElements(By.css("#case-list li"))).length,
      29,
      "the app works on a new file",
    );
  });
});

describe("someone else's file where the database should be", () => {
  let app;
  const dir = tempDir("foreign");
  const db = join(dir, "wijkkompas.db");
  const junk = "not a database, but somebody's file";
  before(async () => {
    writeFileSync(db, junk);
    app = await launchApp({ db });
  });
  after(async () => {
    await app?.quit();
  });

  it("is left exactly as it was, and the screen says so", async () => {
    const d = app.driver;
    await d.wait(async () => await d.findElement(By.id("app-error")).isDisplayed(), 10000);
    const text = await textOf(d, "#app-error");
    assert.match(text, /geen database van Wijkkompas: het is geen SQLite-database/);
    assert.match(text, /niet veranderd/);
    assert.equal(readFileSync(db, "utf8"), junk);
    assert.deepEqual(readdirSync(dir), ["wijkkompas.db"], "nothing moved, nothing added");
    assert.equal(
      (await d.findElements(By.css("#case-list li"))).length,
      29,
      "the case map still works",
    );
  });
});

/** A read-only bind mount of `dir` (root only; CI runs as root): null where it is not allowed. */
function readOnly(dir) {
  try {
    execFileSync("mount", ["--bind", dir, dir], { stdio: "ignore" });
  } catch {
    return null;
  }
  try {
    execFileSync("mount", ["-o", "remount,bind,ro", dir], { stdio: "ignore" });
  } catch {
    execFileSync("umount", [dir], { stdio: "ignore" });
    return null;
  }
  // Lazily: the app that had the database open may not have let go of it yet.
  return () => execFileSync("umount", ["-l", dir], { stdio: "ignore" });
}

describe("a database on a read-only medium", () => {
  let app;
  let release;
  const dir = tempDir("read-only");
  const db = join(dir, "wijkkompas.db");
  before(async (t) => {
    const input = join(tempDir("read-only-input"), "c.json");
    writeFileSync(
      input,
      JSON.stringify({
        initiative: { name: "Buurtkamer Oost", lat: 52.09, lon: 5.12, role: "resident" },
        answers: { "bonding-1-a": 4 },
      }),
    );
    execFileSync(join(ROOT, "target/debug/wijkkompas"), ["check", "--input", input], {
      env: { ...process.env, WIJKKOMPAS_DB: db },
    });
    release = readOnly(dir);
    if (!release) {
      t.skip("skipped: a read-only bind mount is not permitted here (mount --bind needs root)");
      return;
    }
    app = await launchApp({ db });
  });
  after(async () => {
    await app?.quit();
    release?.();
  });

  it("is read, says that nothing can be saved there, and refuses a save in words", async (t) => {
    if (!app) return t.skip("no read-only mount here");
    const d = app.driver;
    await d.wait(async () => await d.findElement(By.id("app-error")).isDisplayed(), 10000);
    assert.match(
      await textOf(d, "#app-error"),
      /alleen gelezen: op die plek kan Wijkkompas niet opslaan/,
    );
    await d.executeScript(`location.hash = "#initiatieven"`);
    await d.wait(
      async () => /Buurtkamer Oost/.test(await textOf(d, "main").catch(() => "")),
      10000,
    );
    await d.executeScript(`location.hash = "#instellingen"`);
    await d.findElement(By.id("settings-save")).click();
    await d.wait(
      async () =>
        /kan niet worden opgeslagen/.test(await textOf(d, "#settings-error").catch(() => "")),
      10000,
    );
  });
});
