// The municipality map with many initiatives (300 or more: counted groups), by keyboard: a group
// is a button that says how many it holds; Enter zooms in to where it parts, and a group on one
// spot spreads its initiatives around it, the first one focused, each one opening its review.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { By, Key } from "selenium-webdriver";
import { axeViolations, cli, keys, launchApp, screenshot, tempFile, waitFor } from "./harness.mjs";
import { tempDir } from "../temp.mjs";

const SPREAD = 320;
const SAME_SPOT = 5;
const uuid = (kind, n) =>
  `${kind.toString(16).padStart(8, "0")}-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** SPREAD initiatives in Utrecht's west (Leidsche Rijn), and SAME_SPOT more on one spot in its centre. */
function bundle(statements) {
  const initiatives = [];
  const checks = [];
  for (let n = 0; n < SPREAD + SAME_SPOT; n++) {
    const alone = n >= SPREAD;
    initiatives.push({
      id: uuid(1, n),
      name: alone ? `Op één plek ${n - SPREAD + 1}` : `Initiatief ${n}`,
      description: null,
      lat: alone ? 52.09 : 52.07 + (n % 20) * 0.0015,
      lon: alone ? 5.13 : 5.04 + Math.floor(n / 20) * 0.0015,
      target_groups: [],
      created_at: "2025-05-01T10:00:00Z",
    });
    checks.push({
      id: uuid(2, n),
      initiative_id: uuid(1, n),
      role: "resident",
      created_at: "2025-05-02T10:00:00Z",
      answers: Object.fromEntries(statements.map((s, i) => [s, ((i + n) % 5) + 1])),
    });
  }
  return {
    format: "wijkkompas-bundle",
    version: 1,
    exported_at: "2025-06-01T00:00:00Z",
    municipality: null,
    initiatives,
    self_checks: checks,
    review_log: [],
  };
}

const focusedMatches = (d, css) =>
  d.executeScript(
    "return !!document.activeElement && document.activeElement.matches(arguments[0])",
    css,
  );

describe("the municipality map's groups by keyboard", () => {
  let app;
  before(async () => {
    const db = join(tempDir("clusters"), "wijkkompas.db");
    const statements = cli(["lessons"], db).flatMap((l) => l.statements.map((s) => s.id));
    const summary = cli(
      ["import", tempFile("clusters.json", JSON.stringify(bundle(statements)))],
      db,
    );
    assert.equal(summary.added, 2 * (SPREAD + SAME_SPOT));
    app = await launchApp({ db });
    const d = app.driver;
    await d.findElement(By.css('a[data-view="municipality"]')).click();
    await waitFor(d, "#municipality-select");
    await d.executeScript(
      `const s = document.getElementById("municipality-select"); s.value = "GM0344"; s.dispatchEvent(new Event("change"));`,
    );
    await waitFor(d, "#area-map .initiative-cluster");
  });
  after(async () => {
    await app?.quit();
  });

  it("names each group as a button with its count", async () => {
    const d = app.driver;
    const groups = await d.findElements(By.css("#area-map .initiative-cluster"));
    assert.ok(groups.length > 0);
    for (const g of groups) {
      assert.equal(await g.getAttribute("role"), "button");
      assert.equal(await g.getAttribute("tabindex"), "0");
      const n = (await g.getText()).trim();
      assert.match(
        await g.getAttribute("aria-label"),
        new RegExp(`^${n} initiatieven dicht bij elkaar`),
      );
    }
    await screenshot(d, "municipality-clusters");
    assert.deepEqual(await axeViolations(d), []);
  });

  it("spreads a group on one spot around it, and each of its initiatives opens its review", async () => {
    const d = app.driver;
    const group = await d.findElement(
      By.css(`#area-map .initiative-cluster[aria-label^="${SAME_SPOT} "]`),
    );
    await d.executeScript("arguments[0].focus()", group);
    await keys(d, Key.ENTER);
    await d.wait(
      () => focusedMatches(d, "#area-map .initiative-marker[data-initiative-id]"),
      10000,
    );
    const spread = await d.findElements(By.css("#area-map .initiative-marker[data-initiative-id]"));
    const ids = await Promise.all(spread.map((m) => m.getAttribute("data-initiative-id")));
    for (let k = 0; k < SAME_SPOT; k++) assert.ok(ids.includes(uuid(1, SPREAD + k)), `spot ${k}`);
    await screenshot(d, "municipality-clusters-spread");
    await keys(d, Key.ENTER);
    await waitFor(d, "#review-panel:not([hidden])");
  });

  it("zooms in on a group with Enter and leaves focus on the map", async () => {
    const d = app.driver;
    const before = await d.findElements(By.css("#area-map .initiative-cluster"));
    let biggest = null;
    let most = 0;
    for (const g of before) {
      const n = Number((await g.getText()).trim());
      if (n > most) [biggest, most] = [g, n];
    }
    assert.ok(most > SAME_SPOT, `a group of the ${SPREAD}`);
    await d.executeScript(
      "arguments[0].scrollIntoView({ block: 'center' }); arguments[0].focus()",
      biggest,
    );
    await keys(d, Key.ENTER);
    await d.wait(() => focusedMatches(d, "#area-map"), 10000);
    // Closer in, the group's initiatives are in smaller groups or on their own.
    await d.wait(async () => {
      const counts = await d.executeScript(
        `return [...document.querySelectorAll("#area-map .initiative-cluster")].map((g) => Number(g.textContent))`,
      );
      return counts.every((n) => n < most);
    }, 10000);
  });
});
