// The self-check in the real app: by mouse and by keyboard alone, from place search to saved
// result; the result equals what the core computes; a repeat shows the comparison; English works.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { By, Key } from "selenium-webdriver";
import {
  ROOT,
  clickFresh,
  cli,
  keys,
  launchApp,
  newInitiativeByKeyboard,
  screenshot,
  tabTo,
  tempFile,
  textOf,
  waitFor,
  waitForLesson,
  clickInView,
} from "./harness.mjs";

const lessons = cli(["lessons"], "/nonexistent-unused.db");
const statementIds = lessons.flatMap((l) => l.statements.map((s) => s.id));
// A varied answer set: values cycle 1..5 with a "don't know" now and then.
const answersFor = (offset) =>
  Object.fromEntries(
    statementIds.map((id, i) => [id, (i + offset) % 7 === 6 ? null : ((i + offset) % 5) + 1]),
  );

const nl = (n) => (n === null ? "geen antwoord" : n.toFixed(1).replace(".", ","));

async function answerLesson(driver, answers) {
  const fieldsets = await driver.findElements(By.css("fieldset.statement"));
  for (const fs of fieldsets) {
    const id = await fs.getAttribute("data-statement");
    const v = answers[id] === null ? "dk" : String(answers[id]);
    await clickInView(driver, `label:has(> #st-${id}-${v})`);
  }
}

describe("self-check by mouse", () => {
  let app;
  before(async () => {
    app = await launchApp();
  });
  after(async () => {
    await app?.quit();
  });

  it("finds the place, asks all nine lessons, and shows what the core computes", async () => {
    const d = app.driver;
    await d.findElement(By.css('a[data-view="check"]')).click();
    await waitFor(d, "#initiative-form");
    await d.findElement(By.id("to-questions")).click();
    const problems = await waitFor(d, "#problems");
    assert.match(await problems.getText(), /naam/i);
    await screenshot(d, "selfcheck-1-problems-nl");

    await d.findElement(By.id("ini-name")).sendKeys("Buurttuin De Bron");
    await d.findElement(By.id("ini-description")).sendKeys("Samen tuinieren met buren");
    await clickInView(d, "label:has(> #role-resident)");
    await d.findElement(By.css('input[name="target-group"]')).click();
    await d.findElement(By.id("place-search")).sendKeys("Bovensmil");
    await d.wait(
      async () =>
        /Bovensmilde/.test(await textOf(d, "#place-options li[data-index='0']").catch(() => "")),
      5000,
    );
    await clickFresh(d, "#place-options li[data-index='0']");
    await d.wait(async () => /Midden-Drenthe/.test(await textOf(d, "#place-status")), 5000);
    await screenshot(d, "selfcheck-1-initiative-nl");
    await d.findElement(By.id("to-questions")).click();

    const answers = answersFor(0);
    for (let i = 0; i < 9; i++) {
      await waitForLesson(d, i + 1);
      assert.match(await textOf(d, "#questions-heading"), new RegExp(`Les ${i + 1} van 9`));
      await answerLesson(d, answers);
      if (i === 0) await screenshot(d, "selfcheck-2-questions-nl");
      await d.findElement(By.css(i < 8 ? "#q-next" : "#q-save")).click();
    }
    await waitFor(d, "#result");
    await screenshot(d, "selfcheck-3-result-nl");
    // The ticked target group is stored as its id, whatever the screen's language (issue 14).
    const exported = tempFile("export.json", "");
    execFileSync(
      join(ROOT, "target/debug/wijkkompas"),
      ["export", "--format", "bundle", "-o", exported, "--force"],
      { env: { ...process.env, WIJKKOMPAS_DB: app.db } },
    );
    assert.deepEqual(JSON.parse(readFileSync(exported, "utf8")).initiatives[0].target_groups, [
      "all_residents",
    ]);
    assert.match(await textOf(d, "#snapshot"), /momentopname, geen oordeel/);

    // The core, on its own database, for the same initiative and answers.
    const input = tempFile(
      "check.json",
      JSON.stringify({
        initiative: { name: "x", lat: 52.979, lon: 6.483, role: "resident" },
        answers,
      }),
    );
    const expected = cli(["check", "--input", input], tempFile("expected.db", ""));
    // Words first (issue 32): the core's sentences, then the tips; the figures one click away.
    const summary = await textOf(d, "#result-summary");
    for (const sentence of expected.summary) assert.ok(summary.includes(sentence), sentence);
    assert.equal(await d.findElement(By.css("#figures")).getAttribute("open"), null);
    await clickInView(d, "#figures > summary");
    await waitFor(d, "#strategy-table");
    const strategyRows = await d.findElements(By.css("#strategy-table tbody tr"));
    const shown = {};
    for (const row of strategyRows)
      shown[(await row.findElement(By.css("th")).getText()).trim()] = (
        await row.findElement(By.css("td")).getText()
      ).trim();
    assert.deepEqual(shown, {
      "Binden (bonding)": nl(expected.scores.bonding),
      "Overbruggen (bridging)": nl(expected.scores.bridging),
      "Verbinden met instanties (linking)": nl(expected.scores.linking),
    });
    const lessonCells = await d.findElements(By.css("#lesson-table tbody td"));
    const shownLessons = (await Promise.all(lessonCells.map((c) => c.getText())))
      .map((s) => s.trim())
      .sort();
    assert.deepEqual(shownLessons, expected.lessons.map((l) => nl(l.score)).sort());
    const tips = await textOf(d, "#growth-heading + ol");
    for (const a of expected.advice) assert.ok(tips.includes(a.tip), `tip for ${a.lesson} shown`);
    const chart = await d.findElement(By.css("#result-chart svg"));
    assert.equal(await chart.getAttribute("role"), "img");
    assert.equal(
      (await d.findElements(By.css("#similar-cases li"))).length,
      expected.similar_cases.length,
    );
  });

  it("repeats the check and compares it with the first", async () => {
    const d = app.driver;
    await d.findElement(By.id("r-initiative")).click();
    await waitFor(d, "#history-table");
    assert.equal((await d.findElements(By.css("#history-table tbody tr"))).length, 1);
    assert.ok(await d.findElement(By.id("compare-needs-two")).isDisplayed());
    await d.findElement(By.id("repeat-check")).click();
    await waitFor(d, "#repeat-notice");
    await clickInView(d, "label:has(> #role-professional)");
    await d.findElement(By.id("to-questions")).click();
    const answers = answersFor(3);
    for (let i = 0; i < 9; i++) {
      await waitForLesson(d, i + 1);
      await answerLesson(d, answers);
      await d.findElement(By.css(i < 8 ? "#q-next" : "#q-save")).click();
    }
    await waitFor(d, "#result");
    // The repeat's own result says what changed, per strategy in words.
    assert.equal((await d.findElements(By.css("#result-change li"))).length, 3);
    assert.match(await textOf(d, "#result-change"), /hoger|lager|ongeveer gelijk/);
    await d.findElement(By.id("r-initiative")).click();
    await waitFor(d, "#comparison");
    assert.equal((await d.findElements(By.css("#history-table tbody tr"))).length, 2);
    const rows = await d.findElements(By.css("#comparison tbody tr"));
    assert.equal(rows.length, 12, "three strategies and nine lessons");
    const changes = (
      await Promise.all(rows.map((r) => r.findElement(By.css(".change")).getText()))
    ).join(" ");
    assert.match(changes, /hoger|lager|gelijk/);
    await screenshot(d, "selfcheck-4-history-nl");
  });

  it("switches to English at once, keeping the screen", async () => {
    const d = app.driver;
    await d.findElement(By.css('.lang-switch button[data-lang="en"]')).click();
    await d.wait(
      async () =>
        /Checks over time/.test(await d.findElement(By.css("#view-initiatives")).getText()),
      5000,
    );
    assert.match(await textOf(d, "#comparison"), /Previous/);
    await screenshot(d, "selfcheck-4-history-en");
    await d.findElement(By.css('a[data-view="check"]')).click();
    await waitFor(d, "#initiative-form");
    assert.match(await textOf(d, "#view-check h1"), /Self-check for your initiative/);
    await screenshot(d, "selfcheck-1-initiative-en");
    await d.findElement(By.css('.lang-switch button[data-lang="nl"]')).click();
  });

  it("ran without errors or content-security violations", async () => {
    assert.deepEqual(await app.driver.executeScript("return window.__cspViolations"), []);
    assert.equal(await app.driver.findElement(By.id("app-error")).isDisplayed(), false);
  });
});

describe("self-check by keyboard alone", () => {
  let app;
  before(async () => {
    app = await launchApp();
  });
  after(async () => {
    await app?.quit();
  });

  it("goes from place search to a saved result without a mouse", async () => {
    const d = app.driver;
    await newInitiativeByKeyboard(d, {
      name: "Taalcafé Oost",
      search: "Den Haag",
      suggestion: /Gravenhage/,
      status: /'s-Gravenhage/,
    });
    await tabTo(d, "#to-questions");
    await keys(d, Key.ENTER);

    const answers = answersFor(1);
    for (let i = 0; i < 9; i++) {
      await waitForLesson(d, i + 1);
      const ids = await Promise.all(
        (await d.findElements(By.css("fieldset.statement"))).map((f) =>
          f.getAttribute("data-statement"),
        ),
      );
      for (const id of ids) {
        await tabTo(d, `input[name="st-${id}"]`);
        await keys(d, Key.SPACE); // checks the first option, 1
        const steps = answers[id] === null ? 5 : answers[id] - 1;
        for (let s = 0; s < steps; s++) await keys(d, Key.ARROW_RIGHT);
        const checked = await d.executeScript(
          `return document.querySelector('input[name="st-${id}"]:checked').value`,
        );
        assert.equal(checked, answers[id] === null ? "dk" : String(answers[id]), id);
      }
      await tabTo(d, i < 8 ? "#q-next" : "#q-save");
      await keys(d, Key.ENTER);
    }
    await waitFor(d, "#result");
    const input = tempFile(
      "check.json",
      JSON.stringify({
        initiative: { name: "x", lat: 52.07207, lon: 4.293, role: "resident" },
        answers,
      }),
    );
    const expected = cli(["check", "--input", input], tempFile("expected.db", ""));
    await tabTo(d, "#figures > summary");
    await keys(d, Key.ENTER);
    await d.wait(
      async () => (await d.findElement(By.css("#figures")).getAttribute("open")) !== null,
      5000,
    );
    const bonding = await textOf(d, "#strategy-table");
    assert.ok(
      bonding.includes(nl(expected.scores.bonding)),
      `${bonding} has ${nl(expected.scores.bonding)}`,
    );
    assert.ok(bonding.includes(nl(expected.scores.linking)));
    // The suggested cases open on the map, by keyboard too.
    await tabTo(d, "[data-show-case]");
    await keys(d, Key.ENTER);
    await waitFor(d, "#case-card");
    await screenshot(d, "selfcheck-5-case-from-result");
  });
});
