// The self-check as a group conversation, in the real app and by keyboard alone: a facilitator
// starts a round, three members answer in turn (the screen is empty between them), the group
// sees its result with what to talk about, writes notes and a plan; the next check asks what came
// of the plan. On a kiosk a round needs no PIN, and "Klaar" clears the group's result.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { By, Key } from "selenium-webdriver";
import {
  ROOT,
  axeViolations,
  cli,
  keys,
  launchApp,
  newInitiativeByKeyboard,
  screenshot,
  tabTo,
  textOf,
  waitFor,
  waitForLesson,
} from "./harness.mjs";
import { tempDir } from "../temp.mjs";

const lessons = cli(["lessons"], "/nonexistent-unused.db");
const first = lessons[0];

/** An element's text now, without holding the element (the view may be drawn again meanwhile). */
const liveText = (d, css) =>
  d.executeScript(
    "const e = document.querySelector(arguments[0]); return e ? e.textContent : ''",
    css,
  );

/** A screenshot of a lower part of the page (WebDriver shows the top of the scrolled view). */
async function sectionShot(d, headingId, name) {
  await d.executeScript(
    `const h = document.getElementById("${headingId}"); const page = h.closest(".page-view"); page.scrollTop += h.getBoundingClientRect().top - page.getBoundingClientRect().top - 8;`,
  );
  await screenshot(d, name);
}

/** Nothing of an earlier member on screen: no statement, no ticked answer, no typed text. */
async function assertScreenEmpty(d) {
  const left = await d.executeScript(`return {
    statements: document.querySelectorAll("fieldset.statement").length,
    checked: [...document.querySelectorAll("input:checked")].map((i) => i.id),
    results: document.querySelectorAll("#result, #range-table, #strategy-table").length,
  }`);
  assert.deepEqual(left, { statements: 0, checked: [], results: 0 });
}

/** One member, by keyboard: a role, the first lesson's statements all `value`, the rest skipped. */
async function member(d, n, roleSteps, value, shot = false) {
  await waitFor(d, "#handover-heading");
  assert.match(await textOf(d, "#handover-status"), new RegExp(`${n - 1} van hoogstens 30`));
  await assertScreenEmpty(d);
  if (n === 2 && shot) {
    // The window shows the new screen a frame after the page has it.
    await d.executeAsyncScript(
      "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()))",
    );
    await screenshot(d, "group-1-handover-nl");
  }
  await tabTo(d, 'input[name="member-role"]');
  await keys(d, Key.SPACE);
  for (let i = 0; i < roleSteps; i++) await keys(d, Key.ARROW_DOWN);
  await tabTo(d, "#member-start");
  await keys(d, Key.ENTER);
  await waitForLesson(d, 1);
  assert.match(await textOf(d, "#member-label"), new RegExp(`Deelnemer ${n}`, "i"));
  // A new member starts on an empty form.
  assert.equal(
    await d.executeScript(
      `return document.querySelectorAll("fieldset.statement input:checked").length`,
    ),
    0,
  );
  for (const st of first.statements) {
    await tabTo(d, `input[name="st-${st.id}"]`);
    await keys(d, Key.SPACE);
    for (let s = 1; s < value; s++) await keys(d, Key.ARROW_RIGHT);
  }
  for (let i = 0; i < 9; i++) {
    await waitForLesson(d, i + 1);
    await tabTo(d, i < 8 ? "#q-next" : "#q-save");
    await keys(d, Key.ENTER);
  }
}

describe("a group session by keyboard", () => {
  let app;
  before(async () => {
    app = await launchApp();
  });
  after(async () => {
    await app?.quit();
  });

  it("runs three members in turn, shows the group's spread, and saves its notes and plan", async () => {
    const d = app.driver;
    await newInitiativeByKeyboard(d, {
      name: "Buurtkamer De Linde",
      search: "Overvecht",
      suggestion: /Overvecht/,
      status: /Utrecht/,
    });
    await tabTo(d, 'input[name="mode"]');
    await keys(d, Key.ARROW_DOWN); // one person → a group
    await d.wait(
      async () =>
        (await d.executeScript("return document.activeElement && document.activeElement.id")) ===
        "mode-group",
      5000,
    );
    assert.match(await textOf(d, "#to-questions"), /Groepsgesprek starten/);
    await screenshot(d, "group-0-start-nl");
    await tabTo(d, "#to-questions");
    await keys(d, Key.ENTER);

    // Before two members the round cannot close.
    await waitFor(d, "#handover-heading");
    assert.equal(await d.findElement(By.id("close-round")).getAttribute("aria-disabled"), "true");
    await member(d, 1, 0, 5); // resident, all "helemaal eens": lesson 1 scores 100
    await member(d, 2, 0, 1, true); // resident, all "helemaal oneens": 0
    await member(d, 3, 1, 3); // professional, all "neutraal": 50
    await waitFor(d, "#handover-heading");
    assert.match(await textOf(d, "#handover-status"), /3 van hoogstens 30/);
    await assertScreenEmpty(d);
    assert.deepEqual(await axeViolations(d), []);

    await tabTo(d, "#close-round");
    await keys(d, Key.ENTER);
    await waitFor(d, "#talk-list");
    assert.match(await textOf(d, "#result-heading"), /Resultaat van de groep: Buurtkamer De Linde/);
    assert.match(await textOf(d, "#result-where"), /3 deelnemers/);
    // Issue 32: the group is spoken to as a group, with the tips of both roles among it.
    assert.match(await textOf(d, "#result-summary"), /jullie/);
    assert.match(
      await textOf(d, "#growth-heading"),
      /Tips voor jullie groep: voor bewoners en professionals/,
    );
    assert.deepEqual(
      await d.executeScript(
        `return [...new Set([...document.querySelectorAll("#growth p[data-tip-role]")].map((p) => p.dataset.tipRole))]`,
      ),
      ["resident", "professional"],
    );
    const talk = await textOf(d, "#talk-list");
    assert.ok(talk.includes(first.title.nl) && talk.includes("0,0 tot 100,0"), talk);
    // The ranges wait behind "Bekijk de precieze cijfers" (issue 32): read without opening it.
    const row = await d.executeScript(
      `return [...document.querySelectorAll("#range-table tbody tr")].map((r) => r.textContent.trim()).find((t) => t.startsWith(arguments[0]))`,
      first.title.nl,
    );
    assert.ok(
      row.includes("50,0") && row.includes("0,0") && row.includes("100,0") && row.endsWith("3"),
      row,
    );
    // Never a person's answers: only counts per statement (one of each of 1, 3 and 5).
    const counts = await d.executeScript(
      `return [...document.querySelectorAll("#counts-table tbody tr:first-child td")].map((c) => c.textContent)`,
    );
    assert.deepEqual(counts, ["1", "0", "1", "0", "1", "0"]);
    assert.deepEqual(await axeViolations(d), []);
    await screenshot(d, "group-2-result-nl");

    // In English the group's result comes again from the core: headings and tips alike.
    await d.findElement(By.css('.lang-switch button[data-lang="en"]')).click();
    await d.wait(async () => /The group's result/.test(await liveText(d, "#result-heading")), 5000);
    assert.match(await textOf(d, "#talk-heading"), /To talk about/);
    const tip = (await textOf(d, "ol.tips")).slice(0, 200);
    assert.ok(!/\b(de|het|een|jullie)\b/i.test(tip), `an English tip: ${tip}`);
    await screenshot(d, "group-2-result-en");
    await d.findElement(By.css('.lang-switch button[data-lang="nl"]')).click();
    await d.wait(
      async () => /Resultaat van de groep/.test(await liveText(d, "#result-heading")),
      5000,
    );
    await tabTo(d, `#good-${first.id}`);
    await keys(d, "We kennen elkaar van de koffieochtend");
    await tabTo(d, `#better-${first.id}`);
    await keys(d, "Nieuwe buren vinden ons nog niet");
    await tabTo(d, "#action-text-0");
    await keys(d, "Welkomstpakket voor nieuwe buren");
    await tabTo(d, "#action-who-0");
    await keys(d, "Fatima");
    await tabTo(d, "#action-due-0");
    await keys(d, "1-3-2027");
    await tabTo(d, "#action-lesson-0");
    await keys(d, Key.ARROW_DOWN); // no lesson is chosen for the group: the first growth point
    await sectionShot(d, "notes-form-heading", "group-2b-notes-nl");
    await sectionShot(d, "plan-form-heading", "group-2c-plan-nl");
    await tabTo(d, "#group-save");
    await keys(d, Key.ENTER);
    await waitFor(d, "#plan-list");
    assert.match(
      await textOf(d, "#plan-list"),
      /Welkomstpakket voor nieuwe buren — Fatima — vóór 1 maart 2027/,
    );
    assert.match(await textOf(d, "#notes-list"), /Nieuwe buren vinden ons nog niet/);
    assert.match(await textOf(d, "#result-where"), /3 deelnemers/);
    await screenshot(d, "group-3-saved-nl");
    await sectionShot(d, "notes-heading", "group-3b-saved-notes-nl");

    const list = cli(["list"], app.db);
    assert.equal(list.length, 1);
    assert.equal(list[0].respondents, 3);
    const history = cli(["history", list[0].initiative_id], app.db);
    assert.equal(history[0].notes[first.id].good, "We kennen elkaar van de koffieochtend");
    assert.equal(history[0].actions[0].due, "2027-03-01");
  });

  it("asks at the next check what came of the plan, and the history shows both", async () => {
    const d = app.driver;
    await d.executeScript("document.body.focus()");
    await tabTo(d, "#r-new");
    await keys(d, Key.ENTER);
    await waitFor(d, "#repeat-select");
    await d.executeScript(`const s = document.getElementById("repeat-select"); s.focus();`);
    await keys(d, Key.ARROW_DOWN); // the one initiative
    await waitFor(d, "#agreed-actions");
    assert.match(await textOf(d, "#agreed-heading"), /Vorige keer spraken jullie af/);
    assert.match(await textOf(d, "#agreed-actions"), /Welkomstpakket voor nieuwe buren/);
    await tabTo(d, 'input[name="role"]');
    await keys(d, Key.SPACE);
    await tabTo(d, 'input[name="outcome-0"]');
    await keys(d, Key.SPACE); // Gedaan
    await tabTo(d, "#outcome-note-0");
    await keys(d, "Twaalf pakketten rondgebracht");
    assert.deepEqual(await axeViolations(d), []);
    await screenshot(d, "group-4-repeat-nl");
    await tabTo(d, "#to-questions");
    await keys(d, Key.ENTER);
    for (let i = 0; i < 9; i++) {
      await waitForLesson(d, i + 1);
      await tabTo(d, i < 8 ? "#q-next" : "#q-save");
      await keys(d, Key.ENTER);
    }
    await waitFor(d, "#previous-list");
    assert.match(
      await textOf(d, "#previous-list"),
      /Welkomstpakket voor nieuwe buren: Gedaan — Twaalf pakketten rondgebracht/,
    );
    await sectionShot(d, "previous-heading", "group-5-repeat-result-nl");

    await tabTo(d, "#r-initiative");
    await keys(d, Key.ENTER);
    await waitFor(d, "#conversations");
    const rows = await d.executeScript(
      `return [...document.querySelectorAll("#history-table tbody tr td:nth-child(3)")].map((c) => c.textContent.trim())`,
    );
    assert.deepEqual(rows, ["3", "1"]);
    assert.equal((await d.findElements(By.css("#conversations details"))).length, 2);
    assert.deepEqual(await axeViolations(d), []);
  });
});

describe("a group session on a kiosk", () => {
  let app;
  before(async () => {
    const dir = tempDir("kiosk-group");
    const db = join(dir, "wijkkompas.db");
    execFileSync(
      join(ROOT, "target/debug/wijkkompas"),
      ["settings", "--kiosk", "on", "--new-pin"],
      { env: { ...process.env, WIJKKOMPAS_DB: db, WIJKKOMPAS_NEW_PIN: "2468" } },
    );
    app = await launchApp({ db });
  });
  after(async () => {
    await app?.quit();
  });

  it("needs no PIN, shows the group's result only at the close, and Klaar clears it", async () => {
    const d = app.driver;
    await d.findElement(By.css('a[data-view="check"]')).click();
    await waitFor(d, "#initiative-form");
    await d.findElement(By.id("ini-name")).sendKeys("Taalcafé Oost");
    await d.executeScript(`document.getElementById("role-resident").click()`);
    await d.findElement(By.id("place-search")).sendKeys("Overvecht");
    await d.wait(
      async () =>
        /Overvecht/.test(await textOf(d, "#place-options li[data-index='0']").catch(() => "")),
      5000,
    );
    await d.findElement(By.id("place-search")).sendKeys(Key.ARROW_DOWN, Key.ENTER);
    await d.wait(async () => /Utrecht/.test(await textOf(d, "#place-status")), 5000);
    await d.executeScript(`document.getElementById("mode-group").click()`);
    await waitFor(d, "#mode-group-hint");
    await d.executeScript(`document.getElementById("to-questions").click()`);
    await member(d, 1, 0, 4);
    await member(d, 2, 0, 2);
    await waitFor(d, "#handover-heading");
    await d.executeScript(`document.getElementById("close-round").click()`);
    await waitFor(d, "#talk");
    await d.executeScript(`document.getElementById("group-save").click()`);
    await waitFor(d, "#return-code-box");
    assert.match(await textOf(d, "#result-where"), /2 deelnemers/);
    await d.findElement(By.id("kiosk-done")).click();
    await d.wait(async () => (await d.executeScript("return location.hash")) === "#kaart", 5000);
    // Back to the self-check: a fresh start, nothing of the group.
    await d.executeScript(`location.hash = "#zelfcheck"`);
    await waitFor(d, "#initiative-form");
    assert.equal(
      (await d.findElements(By.css("#result, #return-code-box, #range-table, #handover-heading")))
        .length,
      0,
    );
    // The result is not reachable without the code: the shell refuses it.
    const id = cli(["list"], app.db)[0].id;
    const refused = await d.executeAsyncScript(
      `const done = arguments[arguments.length - 1];
      window.__TAURI__.core.invoke("check_result", { checkId: arguments[0], lang: "nl" }).then(() => done("shown")).catch((e) => done(e.kind));`,
      id,
    );
    assert.ok(["kiosk_needs_code", "kiosk_locked"].includes(refused), refused);
  });
});
