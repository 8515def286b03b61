// WCAG 2.1 AA checks of the rendered screens with axe-core, injected into the real app through
// WebDriver (the app's CSP does not apply to automation scripts). Every screen, both languages.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { By } from "selenium-webdriver";
import {
  axeViolations as violations,
  clickFresh,
  launchApp,
  textOf,
  waitFor,
  waitForLesson,
  clickInView,
} from "./harness.mjs";

describe("accessibility (axe-core, WCAG 2.1 AA)", () => {
  let app;
  before(async () => {
    app = await launchApp();
  });
  after(async () => {
    await app?.quit();
  });

  it("catches a planted violation (the checker really runs)", async () => {
    const d = app.driver;
    await d.executeScript(
      `const b = document.createElement("button"); b.id = "planted"; b.innerHTML = "<svg width='10' height='10'></svg>"; document.body.append(b);`,
    );
    const found = await violations(d);
    await d.executeScript(`document.getElementById("planted").remove()`);
    assert.ok(
      found.some((v) => v.startsWith("button-name")),
      JSON.stringify(found),
    );
  });

  for (const lang of ["nl", "en"]) {
    it(`has no violations on the case map with a card open (${lang})`, async () => {
      const d = app.driver;
      await d.findElement(By.css(`.lang-switch button[data-lang="${lang}"]`)).click();
      await d.findElement(By.css('a[data-view="map"]')).click();
      await d.findElement(By.css('#case-list button[data-case-id="b3-polka-den-haag"]')).click();
      await waitFor(d, "#case-card h2");
      assert.deepEqual(await violations(d), []);
    });

    it(`has no violations on the self-check screens (${lang})`, async () => {
      const d = app.driver;
      await d.findElement(By.css('a[data-view="check"]')).click();
      await waitFor(d, "#initiative-form");
      await d.findElement(By.id("to-questions")).click(); // with the error summary showing
      await waitFor(d, "#problems");
      assert.deepEqual(await violations(d), [], "initiative step");
      await d.findElement(By.id("ini-name")).sendKeys("Toegankelijk");
      await clickInView(d, "label:has(> #role-policy)");
      await d.findElement(By.id("place-search")).sendKeys("Utrecht");
      await waitFor(d, "#place-options li[data-index='0']");
      assert.deepEqual(await violations(d), [], "place suggestions open");
      await clickFresh(d, "#place-options li[data-index='0']");
      await d.wait(
        async () => (await textOf(d, "#place-status").catch(() => "")).includes("Utrecht"),
        5000,
      );
      await d.findElement(By.id("to-questions")).click();
      await waitForLesson(d, 1);
      await clickInView(d, "label:has(> #st-bonding-1-a-4)");
      assert.deepEqual(await violations(d), [], "questions");
      for (let i = 0; i < 8; i++) {
        await d.findElement(By.id("q-next")).click();
        await waitForLesson(d, i + 2);
      }
      await d.findElement(By.id("q-save")).click();
      await waitFor(d, "#result");
      assert.deepEqual(await violations(d), [], "result");
      await d.findElement(By.id("r-initiative")).click();
      await waitFor(d, "#history-table");
      assert.deepEqual(await violations(d), [], "history");
      await d.findElement(By.css('a[data-view="initiatives"]')).click();
      await waitFor(d, "#initiatives-table");
      assert.deepEqual(await violations(d), [], "initiatives list");
      await d.findElement(By.css('a[data-view="municipality"]')).click();
      await waitFor(d, "#municipality-select");
      await d.executeScript(
        `const s = document.getElementById("municipality-select"); s.value = "GM0344"; s.dispatchEvent(new Event("change"));`,
      );
      await waitFor(d, "#municipality-table");
      await d.findElement(By.css("#municipality-table [data-review]")).click();
      await waitFor(d, "#review-form");
      assert.deepEqual(await violations(d), [], "municipality view with a review open");
    });
  }
});
