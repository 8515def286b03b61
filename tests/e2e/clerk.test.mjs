// The clerk sees what they review (issue 32), in the real app at 1024×700 and 1280×800, in Dutch
// and English: choosing an initiative opens it beside the list with what it is about; the
// table's review buttons stay in reach; each confirmation appears by the button that caused it
// and follows a language switch; the wijken without an average are folded.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { By, Key } from "selenium-webdriver";
import {
  axeViolations,
  cli,
  keys,
  launchApp,
  screenshot,
  tabTo,
  textOf,
  waitFor,
} from "./harness.mjs";
import { tempDir } from "../temp.mjs";

const SIZES = [
  [1024, 700],
  [1280, 800],
];
const DESCRIBED = "Moestuin De Kolk";

/** Seven Utrecht initiatives; the first with a description, notes and a plan. */
function seed(db) {
  const dir = tempDir("clerk");
  const statements = cli(["lessons"], db).flatMap((l) => l.statements.map((s) => s.id));
  for (let k = 0; k < 7; k++) {
    const answers = Object.fromEntries(statements.map((id, i) => [id, ((i * 3 + k) % 5) + 1]));
    const first = k === 0;
    const input = join(dir, `c${k}.json`);
    writeFileSync(
      input,
      JSON.stringify({
        initiative: {
          name: first ? DESCRIBED : `Buurtinitiatief ${k + 1}`,
          description: first ? "Samen groente kweken achter het buurthuis." : null,
          lat: 52.08 + k * 0.004,
          lon: 5.1 + k * 0.004,
          role: "resident",
        },
        answers,
        ...(first
          ? {
              notes: { "bonding-1": { good: "Iedereen kent elkaar.", better: "Meer jongeren." } },
              actions: [
                {
                  text: "Flyers bij de school",
                  who: "Fatima",
                  due: "2027-03-01",
                  lesson: "bonding-1",
                },
              ],
            }
          : {}),
      }),
    );
    cli(["check", "--input", input], db);
  }
}

/** Resizes the real window and waits until the page has the new width. */
async function sizeTo(d, width, height) {
  await d.manage().window().setRect({ width, height });
  await d.wait(
    async () => {
      const [w, h] = await d.executeScript("return [window.innerWidth, window.innerHeight]");
      return w <= width && w > width - 40 && h <= height && h > height - 120;
    },
    10000,
    `the window becomes ${width}×${height}`,
  );
}

async function switchLanguage(d, lang) {
  await d.findElement(By.css(`.lang-switch button[data-lang="${lang}"]`)).click();
  await d.wait(
    async () => (await d.executeScript("return document.documentElement.lang")) === lang,
    5000,
  );
}

/** An element's box in the viewport. */
const rect = (d, css) =>
  d.executeScript(
    `const r = document.querySelector(arguments[0]).getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: innerWidth, height: innerHeight };`,
    css,
  );

const inView = (r) => r.left >= 0 && r.right <= r.width && r.top >= 0 && r.bottom <= r.height;

/** The last frame drawn, so a screenshot shows the state just reached. */
const settled = (d) =>
  d.executeAsyncScript(
    "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()))",
  );

const WORDS = {
  nl: {
    saved: new RegExp(`Opgeslagen: ${DESCRIBED} staat nu op \\S`),
    settings: /De instellingen zijn opgeslagen/,
    bulk: /1 initiatieven staan nu op in beoordeling/i,
    place: /Utrecht/,
    few: /wijken? (met te weinig|zonder)/i,
  },
  en: {
    saved: new RegExp(`Saved: ${DESCRIBED} is now \\S`),
    settings: /The settings are saved/,
    bulk: /1 initiatives are now in review/i,
    place: /Utrecht/,
    few: /wijken (with too few|without)/i,
  },
};

describe("the clerk sees what they review", () => {
  let app;
  let id;
  before(async () => {
    const db = join(tempDir("clerk-db"), "wijkkompas.db");
    seed(db);
    id = cli(["list"], db).find((c) => c.initiative.name === DESCRIBED).initiative_id;
    app = await launchApp({ db });
  });
  after(async () => {
    await app?.quit();
  });

  for (const [width, height] of SIZES) {
    for (const lang of ["nl", "en"]) {
      const other = lang === "nl" ? "en" : "nl";
      it(`opens the initiative beside the list and answers by the button (${lang}, ${width}×${height})`, async () => {
        const d = app.driver;
        await sizeTo(d, width, height);
        await switchLanguage(d, lang);
        // Away and back: the view reads the municipality afresh.
        await d.executeScript(`location.hash = "#initiatieven"`);
        await d.executeScript(`location.hash = "#gemeente/GM0344"`);
        const button = `#municipality-table [data-review="${id}"]`;
        await waitFor(d, button, 15000);
        // Every review button of the table is in reach, inside the table's own scrolling box.
        await d.executeScript(
          // Only the view's own scrolling area moves (never the page under the fixed header).
          `const b = document.querySelector(arguments[0]); const page = b.closest(".page-view"); page.scrollTop += b.getBoundingClientRect().top - page.getBoundingClientRect().top - page.clientHeight / 2;`,
          button,
        );
        const box = await rect(d, "#municipality-table");
        const scroller = await rect(d, "#table-region .table-scroll");
        const buttons = await d.executeScript(
          `return [...document.querySelectorAll("#municipality-table [data-review]")].map((b) => { const r = b.getBoundingClientRect(); return [r.left, r.right]; })`,
        );
        for (const [left, right] of buttons)
          assert.ok(
            left >= scroller.left && right <= Math.min(scroller.right, box.width) + 1,
            `review button at ${left}–${right}, box ${scroller.left}–${scroller.right}`,
          );

        // By keyboard: the button opens the initiative; the focus goes to its heading.
        await d.executeScript(`document.querySelector(arguments[0]).focus()`, button);
        await keys(d, Key.ENTER);
        await waitFor(d, "#review-description");
        assert.equal(await d.executeScript("return document.activeElement.id"), "review-heading");
        assert.match(await textOf(d, "#review-heading"), new RegExp(DESCRIBED));
        assert.equal(
          await textOf(d, "#review-description"),
          "Samen groente kweken achter het buurthuis.",
        );
        assert.match(await textOf(d, "#review-place"), WORDS[lang].place);
        assert.equal((await d.findElements(By.css("#review-scores dd"))).length, 3);
        assert.match(await textOf(d, "#review-notes"), /Meer jongeren/);
        assert.match(await textOf(d, "#review-plan"), /Flyers bij de school/);
        assert.notEqual(await textOf(d, "#review-source"), "");
        // Beside the list: the panel right of the table, both in view.
        const panel = await rect(d, "#review-panel");
        const opener = await rect(d, button);
        // The whole panel in view, under the header (its heading and close button not covered).
        const view = await rect(d, "#view-municipality");
        assert.ok(
          inView(panel) && panel.top >= view.top - 1,
          `panel ${JSON.stringify(panel)} in the view from ${view.top}`,
        );
        assert.ok(
          panel.left >= opener.right - 1,
          `panel ${panel.left} beside the button ${opener.right}`,
        );
        assert.ok(inView(opener), `the opening button stays in view: ${JSON.stringify(opener)}`);
        await settled(d);
        await screenshot(d, `clerk-review-${lang}-${width}x${height}`);
        assert.deepEqual(await axeViolations(d), []);

        // A review: the confirmation appears by the save button, and follows a language switch.
        await tabTo(d, "#review-by");
        await keys(d, "Anna de Vries");
        await tabTo(d, "#review-save");
        await keys(d, Key.ENTER);
        await d.wait(
          async () => WORDS[lang].saved.test(await textOf(d, "#review-message").catch(() => "")),
          10000,
        );
        assert.equal(await d.executeScript("return document.activeElement.id"), "review-message");
        const save = await rect(d, "#review-save");
        const said = await rect(d, "#review-message");
        assert.ok(inView(said), `the message is in view: ${JSON.stringify(said)}`);
        assert.ok(
          said.top - save.bottom < 80 && said.top >= save.bottom - 1,
          `message ${said.top} under the button ${save.bottom}`,
        );
        await switchLanguage(d, other);
        await d.wait(
          async () => WORDS[other].saved.test(await textOf(d, "#review-message").catch(() => "")),
          10000,
        );
        await switchLanguage(d, lang);
        await d.wait(
          async () => WORDS[lang].saved.test(await textOf(d, "#review-message").catch(() => "")),
          10000,
        );

        // Escape closes the panel; the focus goes back to the button that opened it.
        await d.executeScript(`document.getElementById("review-heading").focus()`);
        await keys(d, Key.ESCAPE);
        await d.wait(async () => !(await d.findElement(By.id("review-panel")).isDisplayed()), 5000);
        assert.equal(await d.executeScript("return document.activeElement.dataset.review"), id);

        // The wijken without an average are folded into a line that opens.
        const fold = await d.findElements(By.css("#wijken-section details.wijk-fold summary"));
        assert.ok(fold.length >= 1, "at least one folded line");
        assert.match(await fold[0].getText(), WORDS[lang].few);
        await d.executeScript(`arguments[0].focus()`, fold[0]);
        await keys(d, Key.ENTER);
        assert.equal(await fold[0].findElement(By.xpath("..")).getAttribute("open"), "true");
        await d.executeScript(
          `const s = document.getElementById("wijken-section"); const page = s.closest(".page-view"); page.scrollTop += s.getBoundingClientRect().top - page.getBoundingClientRect().top;`,
        );
        await settled(d);
        await screenshot(d, `clerk-wijken-${lang}-${width}x${height}`);
        assert.deepEqual(await axeViolations(d), []);
      });
    }
  }

  it("says a bulk move in the bulk section, and a saved setting by its button, in the language shown", async () => {
    const d = app.driver;
    for (const [round, [width, height]] of SIZES.entries()) {
      await sizeTo(d, width, height);
      await switchLanguage(d, "nl");
      await d.executeScript(`location.hash = "#initiatieven"`);
      await d.executeScript(`location.hash = "#gemeente/GM0344"`);
      // A new one each round (sorted by name: Buurtinitiatief 2, 3, …), moved from new to in review.
      const box = `#municipality-table tbody tr:nth-child(${round + 1}) [data-select]`;
      await waitFor(d, box, 15000);
      await d.executeScript(
        `const b = document.querySelector(arguments[0]); b.focus(); b.click();`,
        box,
      );
      await d.executeScript(
        `const s = document.getElementById("bulk-status"); s.value = "in_review"; s.dispatchEvent(new Event("change"));`,
      );
      await d.findElement(By.id("bulk-reviewer")).sendKeys("Anna de Vries");
      await d.findElement(By.id("bulk-apply")).click();
      await d.wait(
        async () => WORDS.nl.bulk.test(await textOf(d, "#bulk-message").catch(() => "")),
        10000,
      );
      const apply = await rect(d, "#bulk-apply");
      const said = await rect(d, "#bulk-message");
      assert.ok(inView(said), `bulk message in view: ${JSON.stringify(said)}`);
      assert.ok(
        Math.abs(said.top - apply.bottom) < 200,
        `bulk message ${said.top} near ${apply.bottom}`,
      );
      await switchLanguage(d, "en");
      await d.wait(
        async () => WORDS.en.bulk.test(await textOf(d, "#bulk-message").catch(() => "")),
        10000,
      );

      await d.executeScript(`location.hash = "#instellingen"`);
      await waitFor(d, "#settings-save");
      await d.executeScript(
        `const b = document.getElementById("settings-save"); const page = b.closest(".page-view"); page.scrollTop += b.getBoundingClientRect().top - page.getBoundingClientRect().top - page.clientHeight / 2;`,
      );
      await d.findElement(By.id("settings-save")).click();
      await d.wait(
        async () => WORDS.en.settings.test(await textOf(d, "#settings-message").catch(() => "")),
        10000,
      );
      const button = await rect(d, "#settings-save");
      const saved = await rect(d, "#settings-message");
      assert.ok(inView(saved), `settings message in view: ${JSON.stringify(saved)}`);
      assert.ok(
        saved.top - button.bottom < 80 && saved.top >= button.bottom - 1,
        `settings message ${saved.top} under ${button.bottom}`,
      );
      await switchLanguage(d, "nl");
      await d.wait(
        async () => WORDS.nl.settings.test(await textOf(d, "#settings-message").catch(() => "")),
        10000,
      );
      await settled(d);
      await screenshot(d, `clerk-settings-saved-nl-${width}x${height}`);
      assert.deepEqual(await axeViolations(d), []);
    }
  });
});
