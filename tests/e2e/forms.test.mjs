// Forms in one voice, in the real app: the action plan of a group round asks for its date in one
// form (day-month-year) in hint, input and error; every wrong field is said beside the field and
// in a summary that names the action, which gets the focus and links to the fields; no lesson is
// chosen for the group. In Dutch and English, at 1024×700 and 1280×800; axe finds nothing.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { By } from "selenium-webdriver";
import {
  axeViolations,
  clickInView,
  cli,
  launchApp,
  screenshot,
  textOf,
  waitFor,
  waitForLesson,
} from "./harness.mjs";

const lessons = cli(["lessons"], "/nonexistent-unused.db");

/** One member: a role, lesson 1's statements all `value`, the other lessons skipped. */
async function member(d, value) {
  await waitFor(d, "#handover-heading");
  await clickInView(d, "label:has(> #member-role-resident)");
  await clickInView(d, "#member-start");
  await waitForLesson(d, 1);
  for (const st of lessons[0].statements)
    await clickInView(d, `label:has(> #st-${st.id}-${value})`);
  for (let i = 0; i < 9; i++) {
    await waitForLesson(d, i + 1);
    await clickInView(d, i < 8 ? "#q-next" : "#q-save");
  }
}

const activeId = (d) =>
  d.executeScript("return document.activeElement && document.activeElement.id");
const field = (d, id) => d.findElement(By.id(id));

async function setWindow(d, width, height) {
  await d.manage().window().setRect({ width, height });
  await d.wait(async () => (await d.executeScript("return window.innerWidth")) <= width, 5000);
}

/** The summary and each row's fields in view, for a person's look at them. */
async function shots(d, name) {
  for (const [width, height] of [
    [1024, 700],
    [1280, 800],
  ]) {
    await setWindow(d, width, height);
    await d.executeScript(
      `document.getElementById("plan-problems").scrollIntoView({ block: "start" })`,
    );
    await screenshot(d, `${name}-summary-${width}`);
    await d.executeScript(
      `document.getElementById("action-text-1").scrollIntoView({ block: "center" })`,
    );
    await screenshot(d, `${name}-fields-${width}`);
  }
}

describe("the action plan's form", () => {
  let app;
  before(async () => {
    app = await launchApp();
  });
  after(async () => {
    await app?.quit();
  });

  it("asks for the date one way, names each wrong field and its action, and pre-chooses nothing", async () => {
    const d = app.driver;
    await setWindow(d, 1280, 800);
    await d.findElement(By.css('a[data-view="check"]')).click();
    await waitFor(d, "#initiative-form");
    await d.findElement(By.id("ini-name")).sendKeys("Buurtkamer De Linde");
    await clickInView(d, "label:has(> #role-resident)");
    await d.findElement(By.id("place-search")).sendKeys("Bovensmilde");
    await d.wait(
      async () =>
        /Bovensmilde/.test(await textOf(d, "#place-options li[data-index='0']").catch(() => "")),
      5000,
    );
    await clickInView(d, "#place-options li[data-index='0']");
    await clickInView(d, "label:has(> #mode-group)");
    await clickInView(d, "#to-questions");
    await member(d, 5);
    await member(d, 1);
    await waitFor(d, "#handover-heading");
    await clickInView(d, "#close-round");
    await waitFor(d, "#group-form");

    // Nothing chosen for the group: every lesson choice starts empty.
    const lessonsChosen = await d.executeScript(
      `return [...document.querySelectorAll("select[data-field=lesson]")].map((s) => [s.value, s.options[0].textContent])`,
    );
    assert.deepEqual(lessonsChosen, [
      ["", "Kies een les"],
      ["", "Kies een les"],
      ["", "Kies een les"],
    ]);
    assert.equal(await textOf(d, "#action-due-hint-0"), "dag-maand-jaar, bijvoorbeeld 1-3-2027");

    // Action 1: no date and no lesson; action 2: no text and a day the calendar lacks.
    await field(d, "action-text-0").sendKeys("Welkomstpakket");
    await field(d, "action-due-1").sendKeys("31-2-2027");
    await d.executeScript(
      `const s = document.getElementById("action-lesson-1"); s.selectedIndex = 1; s.dispatchEvent(new Event("input", { bubbles: true }))`,
    );
    await clickInView(d, "#group-save");
    await waitFor(d, "#plan-problems");
    await d.wait(async () => (await activeId(d)) === "plan-problems", 5000);
    const summary = async () =>
      d.executeScript(
        `return [...document.querySelectorAll("#plan-problems li a")].map((a) => [a.getAttribute("href"), a.textContent.trim()])`,
      );
    assert.deepEqual(await summary(), [
      ["#action-due-0", "Actie 1: Vul in vóór wanneer, als dag-maand-jaar, bijvoorbeeld 1-3-2027."],
      ["#action-lesson-0", "Actie 1: Kies bij welke les deze actie hoort."],
      ["#action-text-1", "Actie 2: Een actie heeft een omschrijving nodig: wat gaan jullie doen?"],
      [
        "#action-due-1",
        'Actie 2: "31-2-2027" is geen datum. Schrijf dag-maand-jaar, bijvoorbeeld 1-3-2027.',
      ],
    ]);
    // At the field: marked, and said with it (its error is among what describes it).
    const atField =
      await d.executeScript(`const f = document.getElementById("action-due-1"); return [
      f.getAttribute("aria-invalid"), f.getAttribute("aria-describedby"),
      document.getElementById("action-due-error-1").textContent, f.value]`);
    assert.deepEqual(atField, [
      "true",
      "action-due-hint-1 action-due-error-1",
      '"31-2-2027" is geen datum. Schrijf dag-maand-jaar, bijvoorbeeld 1-3-2027.',
      "31-2-2027",
    ]);
    assert.equal(
      await field(d, "action-text-0").getAttribute("aria-invalid"),
      null,
      "right fields stay unmarked",
    );
    assert.deepEqual(await axeViolations(d), []);
    await shots(d, "plan-errors-nl");
    // A summary link takes the focus to its field.
    await d.findElement(By.css('#plan-problems a[href="#action-lesson-0"]')).click();
    await d.wait(async () => (await activeId(d)) === "action-lesson-0", 5000);
    assert.notEqual(await d.executeScript("return location.hash"), "#action-lesson-0");

    // In English the same problems, worded anew.
    await d.findElement(By.css('.lang-switch button[data-lang="en"]')).click();
    await d.wait(
      async () => /^Action 1:/.test(await textOf(d, "#plan-problems li").catch(() => "")),
      10000,
    );
    assert.deepEqual(
      (await summary()).map(([, text]) => text),
      [
        "Action 1: Fill in by when, as day-month-year, for example 1-3-2027.",
        "Action 1: Choose which lesson this action is for.",
        "Action 2: An action needs a description: what will you do?",
        'Action 2: "31-2-2027" is not a date. Write day-month-year, for example 1-3-2027.',
      ],
    );
    assert.equal(await textOf(d, "#action-due-hint-0"), "day-month-year, for example 1-3-2027");
    assert.deepEqual(await axeViolations(d), []);
    await shots(d, "plan-errors-en");

    // Put right: the date as the hint says, the lessons chosen; the plan is kept.
    await field(d, "action-due-0").sendKeys("1-3-2027");
    await d.executeScript(
      `const s = document.getElementById("action-lesson-0"); s.selectedIndex = 1; s.dispatchEvent(new Event("input", { bubbles: true }))`,
    );
    await field(d, "action-text-1").sendKeys("Buurtfeest");
    const due = field(d, "action-due-1");
    await due.clear();
    await due.sendKeys("28-2-2027");
    await clickInView(d, "#group-save");
    await waitFor(d, "#plan-list");
    assert.match(await textOf(d, "#plan-list"), /Welkomstpakket — by 1 March 2027/);
    assert.match(await textOf(d, "#plan-list"), /Buurtfeest — by 28 February 2027/);
    const list = cli(["list"], app.db);
    const history = cli(["history", list[0].initiative_id], app.db);
    assert.deepEqual(
      history[0].actions.map((a) => a.due),
      ["2027-03-01", "2027-02-28"],
    );
  });
});
