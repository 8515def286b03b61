// The wijk level in the real app: a self-check placed by searching "Overvecht" names its wijk on
// the result; Utrecht's municipality view draws its wijk borders, coloured by a measure whose
// legend agrees with the table per wijk, and filters its initiatives by wijk.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { By } from "selenium-webdriver";
import {
  axeViolations,
  cli,
  clickFresh,
  clickInView,
  launchApp,
  screenshot,
  textOf,
  waitFor,
  waitForLesson,
} from "./harness.mjs";
import { tempDir } from "../temp.mjs";

const statementIds = cli(["lessons"], "/nonexistent-unused.db").flatMap((l) =>
  l.statements.map((s) => s.id),
);
const official = cli(["locate", "52.116", "5.111"], "/nonexistent-unused.db").wijk !== null;

/** A database with initiatives in three Utrecht wijken: Overvecht 6, Binnenstad 2, Zuidwest 1. */
function utrechtDatabase() {
  const dir = tempDir("wijken");
  const db = join(dir, "wijkkompas.db");
  const points = [
    [52.116, 5.111],
    [52.117, 5.112],
    [52.118, 5.113],
    [52.119, 5.11],
    [52.115, 5.114],
    [52.1165, 5.1125],
    [52.0907, 5.1214],
    [52.0915, 5.12],
    [52.074, 5.096],
  ];
  points.forEach(([lat, lon], k) => {
    const answers = Object.fromEntries(
      statementIds.map((id, i) => [id, ((i * 7 + k * 3) % 5) + 1]),
    );
    const input = join(dir, `c${k}.json`);
    writeFileSync(
      input,
      JSON.stringify({
        initiative: { name: `Wijkinitiatief ${k + 1}`, lat, lon, role: "resident" },
        answers,
      }),
    );
    cli(["check", "--input", input], db);
  });
  return db;
}

/** A picture with the section a heading opens at the top of its scrolling page. */
async function sectionShot(d, headingId, name) {
  await d.executeScript(
    `const h = document.getElementById("${headingId}"); const page = h.closest(".page-view"); page.scrollTop += h.getBoundingClientRect().top - page.getBoundingClientRect().top - 8;`,
  );
  await screenshot(d, name);
}

describe("wijken", { skip: !official && "this build has no wijk boundaries" }, () => {
  let app;
  before(async () => {
    app = await launchApp({ db: utrechtDatabase() });
  });
  after(async () => {
    await app?.quit();
  });

  it("names the wijk of a case on its card, as an estimate", async () => {
    const d = app.driver;
    await d.findElement(By.css('a[data-view="map"]')).click();
    await clickFresh(d, '#case-list button[data-case-id="b3-de-oude-bieb-lewenborg"]');
    await d.wait(
      async () => (await textOf(d, "#case-card-wijk").catch(() => "…")) !== "…",
      15000,
      "the card's wijk is filled in",
    );
    assert.equal(
      await textOf(d, "#case-card-wijk"),
      "Noorddijk e.o. (geschat, net als het punt op de kaart)",
    );
  });

  it("finds Overvecht as a wijk and names it on the result", async () => {
    const d = app.driver;
    await d.findElement(By.css('a[data-view="check"]')).click();
    await waitFor(d, "#initiative-form");
    await d.findElement(By.id("ini-name")).sendKeys("Buurtmoestuin Overvecht");
    await clickInView(d, "label:has(> #role-resident)");
    await d.findElement(By.id("place-search")).sendKeys("Overvecht");
    await d.wait(
      async () =>
        (await textOf(d, "#place-options li[data-index='0']").catch(() => "")).startsWith(
          "Overvecht — wijk in Utrecht",
        ),
      10000,
    );
    await screenshot(d, "wijken-1-search");
    await clickFresh(d, "#place-options li[data-index='0']");
    await d.wait(async () => /Wijk Overvecht/.test(await textOf(d, "#place-status")), 10000);
    await d.findElement(By.id("to-questions")).click();
    for (let i = 0; i < 9; i++) {
      await waitForLesson(d, i + 1);
      for (const fs of await d.findElements(By.css("fieldset.statement"))) {
        const id = await fs.getAttribute("data-statement");
        await clickInView(d, `label:has(> #st-${id}-3)`);
      }
      await d.findElement(By.css(i < 8 ? "#q-next" : "#q-save")).click();
    }
    await waitFor(d, "#result");
    assert.match(await textOf(d, "#result-where"), /^wijk Overvecht, Utrecht, provincie Utrecht/);
    await screenshot(d, "wijken-2-result");
    assert.deepEqual(await axeViolations(d), [], "the result naming its wijk");
  });

  it("draws Utrecht's wijken with a legend that agrees with the table", async () => {
    const d = app.driver;
    await d.executeScript('location.hash = "#gemeente/GM0344"');
    await waitFor(d, "#wijk-table", 15000);
    await d.wait(
      async () => (await d.findElement(By.id("area-map")).getAttribute("data-wijken")) === "10",
      15000,
      "the ten wijk borders are drawn",
    );
    // Read in one go: the view may still be redrawn once by a late answer. Wijken with too few
    // initiatives for an average, and those with none, are folded under the table.
    const counts = await d.executeScript(
      `return Object.fromEntries([...[...document.querySelectorAll("#wijken-section tr[data-wijk-row]")].map((r) => [r.dataset.wijkRow, Number(r.querySelector("td").textContent.trim())]), ...[...document.querySelectorAll("#wijken-without [data-wijk-none]")].map((li) => [li.dataset.wijkNone, 0])])`,
    );
    assert.equal(Object.keys(counts).length, 10, "every wijk of Utrecht");
    assert.equal(counts.WK034403, 7, "six from the CLI and the check made above");
    assert.equal(counts.WK034406, 2);
    assert.equal(counts.WK034408, 1);
    assert.equal(counts.WK034401, 0);
    assert.match(
      await d.executeScript(`return document.getElementById("wijken-without").textContent`),
      /West/,
    );
    // Only the wijk with an average has a row in the table; the others are one line each.
    assert.deepEqual(
      await d.executeScript(
        `return [...document.querySelectorAll("#wijk-table tbody tr")].map((r) => r.dataset.wijkRow)`,
      ),
      ["WK034403"],
    );
    assert.match(
      await textOf(d, "#wijken-few summary"),
      /2 wijken met te weinig initiatieven voor een gemiddelde \(minder dan 5\)/,
    );
    assert.match(await textOf(d, "#wijken-without-fold summary"), /Wijken zonder initiatief \(7\)/);
    await sectionShot(d, "area-map-heading", "wijken-3-municipality");

    /** Each wijk's fill is the legend class that its value in the table falls in. */
    const legendAgrees = async (valueOf) => {
      let fills = null;
      await d.wait(
        async () =>
          (fills = JSON.parse(
            (await d.findElement(By.id("area-map")).getAttribute("data-wijk-fills")) ?? "null",
          )) !== null,
        10000,
        "the wijken are painted",
      );
      const legend = await d.executeScript(
        `return [...document.querySelectorAll("#wijk-legend-items li")].map((li) => ({ fill: li.dataset.fill, text: li.textContent.trim() }))`,
      );
      for (const [code, fill] of Object.entries(fills)) {
        const item = legend.find((l) => l.fill === fill);
        assert.ok(item, `the fill of ${code} is in the legend`);
        const value = await valueOf(code);
        assert.ok(item.text.length > 0);
        if (value === null)
          assert.match(item.text, /geen (initiatief|gemiddelde)/, `${code}: ${item.text}`);
        else {
          const [from, to] = item.text.split("–").map((x) => Number(x.replace(",", ".")));
          assert.ok(value >= from && value <= (to ?? from), `${code}: ${value} in ${item.text}`);
        }
      }
    };
    await legendAgrees(async (code) => (counts[code] === 0 ? null : counts[code]));

    await d.executeScript(
      `const s = document.getElementById("colour-by"); s.value = "bonding"; s.dispatchEvent(new Event("change"));`,
    );
    await d.wait(async () => /gemiddelde/.test(await textOf(d, "#wijk-legend-items")), 5000);
    // A folded wijk (too few initiatives) has no average, as one in the table with a "–".
    const bondingOf = async (code) => {
      const cell = (
        await d.executeScript(
          `return document.querySelector('#wijk-table tr[data-wijk-row="${code}"] td:nth-of-type(3)')?.textContent ?? "–"`,
        )
      ).trim();
      return cell.startsWith("–") ? null : Number(cell.replace(",", "."));
    };
    assert.equal(await bondingOf("WK034406"), null, "two initiatives: no mean");
    assert.notEqual(await bondingOf("WK034403"), null, "seven initiatives: a mean");
    await d.wait(
      async () =>
        JSON.parse((await d.findElement(By.id("area-map")).getAttribute("data-wijk-fills")) ?? "{}")
          .WK034406 === "#b3b3b3",
      5000,
    );
    await legendAgrees(bondingOf);
    await sectionShot(d, "area-map-heading", "wijken-4-bonding");
    await sectionShot(d, "wijken-heading", "wijken-5-table");
    assert.deepEqual(await axeViolations(d), [], "the wijk map, legend and table");

    // The initiatives table filters by wijk.
    await d.executeScript(
      `const s = document.getElementById("wijk-filter"); s.value = "WK034406"; s.dispatchEvent(new Event("change"));`,
    );
    await d.wait(
      async () => (await d.findElements(By.css("#municipality-table tbody tr"))).length === 2,
      5000,
    );
    for (const row of await d.findElements(By.css("#municipality-table tbody tr td.wijk-cell")))
      assert.equal((await row.getText()).trim(), "Binnenstad");
  });
});
