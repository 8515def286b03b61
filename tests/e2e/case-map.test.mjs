// The case map in the real app: 29 cases listed, 28 on the map, cards by mouse and keyboard.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { By, Key, until } from "selenium-webdriver";
import { launchApp, screenshot } from "./harness.mjs";

describe("case map", () => {
  let app;
  before(async () => {
    app = await launchApp();
  });
  after(async () => {
    await app?.quit();
  });

  const cardTitle = async (expected) => {
    const card = await app.driver.findElement(By.id("case-card"));
    await app.driver.wait(until.elementIsVisible(card), 5000);
    const read = async () => (await card.findElement(By.css("h2")).getText()).trim();
    if (expected)
      await app.driver.wait(async () => expected.test(await read()), 5000).catch(() => {});
    return read();
  };
  // Leaflet starts an animated pan or zoom on the next animation frame, so a check made at once
  // would see a map that has not begun to move: wait two frames, then for the move to end.
  const mapSettled = async () => {
    await app.driver.executeAsyncScript(
      "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));",
    );
    await app.driver.wait(
      async () =>
        (await app.driver.executeScript("return document.getElementById('map').dataset.moving")) !==
        "1",
      5000,
    );
  };

  it("opens in Dutch with the window title Wijkkompas", async () => {
    assert.equal(await app.driver.getTitle(), "Wijkkompas");
    assert.equal(await app.driver.executeScript("return document.documentElement.lang"), "nl");
  });

  it("lists all 29 cases and pins the 28 that have a place", async () => {
    assert.equal((await app.driver.findElements(By.css("#case-list li"))).length, 29);
    const markers = await app.driver.findElements(By.css(".leaflet-marker-pane .case-marker"));
    assert.equal(markers.length, 28);
    const online = await app.driver.findElements(
      By.css('.case-marker[data-case-id="b3-online-christelijke-lhbti"]'),
    );
    assert.equal(online.length, 0, "the online-only case has no marker");
    for (const m of markers) {
      assert.match(await m.getAttribute("aria-label"), /\S/, "every marker is labelled");
      assert.equal(await m.getAttribute("tabindex"), "0", "every marker is keyboard-reachable");
    }
    await screenshot(app.driver, "case-map");
  });

  it("shows a case card when a case is chosen in the list", async () => {
    await app.driver
      .findElement(By.css('#case-list button[data-case-id="b3-de-oude-bieb-lewenborg"]'))
      .click();
    assert.equal(await cardTitle(/Oude Bieb/), "De Oude Bieb");
    const text = await app.driver.findElement(By.id("case-card")).getText();
    assert.match(text, /Groningen/);
    assert.match(text, /Wij in de Wijk 3/);
    assert.match(text, /indeling van Movisie/, "bundle 3 is Movisie's bonding bundle");
    assert.match(text, /bewoners met een laag inkomen/, "target groups in Dutch");
  });

  it("shows a case card when its marker is clicked", async () => {
    await app.driver.findElement(By.id("map-reset")).click(); // the previous card panned the map to Groningen
    await mapSettled();
    await app.driver
      .findElement(By.css('.case-marker[data-case-id="b4-choku-gym-poelenburg"]'))
      .click();
    assert.equal(await cardTitle(/Choku/), "Choku Gym");
    // Bundle 4 classifies none of its cases: the card says the strategies are our reading, and
    // claims no lessons the sources do not link to the case.
    const text = await app.driver.findElement(By.id("case-card")).getText();
    assert.match(text, /onze lezing van de casusbeschrijving/);
    assert.doesNotMatch(text, /indeling van Movisie|Lessen die/);
  });

  it("opens a card with Enter on a marker, and unknown names are said so", async () => {
    await mapSettled();
    const marker = await app.driver.findElement(
      By.css('.case-marker[data-case-id="b4-heerlen-noord"]'),
    );
    await app.driver.executeScript("arguments[0].focus()", marker);
    await marker.sendKeys(Key.ENTER);
    assert.match(await cardTitle(/^Initiatief in /), /^Initiatief in /);
    assert.match(await app.driver.findElement(By.id("case-card")).getText(), /niet bekend/);
  });

  it("names a marker in a tooltip on focus, which Escape closes", async () => {
    await mapSettled();
    const marker = await app.driver.findElement(
      By.css('.case-marker[data-case-id="b3-de-oude-bieb-lewenborg"]'),
    );
    await app.driver.executeScript("arguments[0].focus()", marker);
    const tooltip = () =>
      app.driver.executeScript(
        "const t = document.querySelector('#map .leaflet-tooltip'); return t ? t.textContent : null",
      );
    assert.equal(await tooltip(), await marker.getAttribute("aria-label"));
    await marker.sendKeys(Key.ESCAPE);
    await app.driver.wait(
      async () => (await tooltip()) === null,
      2000,
      "the tooltip goes (it fades out)",
    );
  });

  it("draws municipal borders only when zoomed in, fetched after the first screen", async () => {
    await app.driver.findElement(By.id("map-reset")).click();
    await mapSettled();
    const canvases = (pane) =>
      app.driver.executeScript(
        `return document.querySelectorAll("#map .leaflet-${pane}-pane canvas").length`,
      );
    const overviewPaths = () =>
      app.driver.executeScript(
        `return document.querySelectorAll("#map .leaflet-land-pane svg.map-overview path").length`,
      );
    assert.equal(
      await overviewPaths(),
      12,
      "the national map draws the 12 provinces as one picture",
    );
    assert.equal(await canvases("land"), 0, "and no canvas for them");
    assert.equal(await canvases("borders"), 0, "no municipal borders at the national scale");
    for (let i = 0; i < 2; i++) {
      await app.driver.findElement(By.css("#map .leaflet-control-zoom-in")).click();
      await mapSettled();
    }
    await app.driver.wait(
      async () => (await canvases("borders")) === 1,
      5000,
      "the detailed borders are drawn from zoom 8.5",
    );
    assert.equal(await canvases("land"), 1, "the detailed land");
    assert.equal(await overviewPaths(), 0, "the picture gives way to the detail");
    await screenshot(app.driver, "case-map-zoomed");
    await app.driver.findElement(By.id("map-reset")).click();
    await mapSettled();
  });

  it("filters by strategy and text", async () => {
    await app.driver.findElement(By.css('#filter-strategies input[value="unclassified"]')).click();
    assert.equal((await app.driver.findElements(By.css("#case-list li"))).length, 5);
    assert.equal((await app.driver.findElements(By.css(".case-marker"))).length, 5);
    await app.driver.findElement(By.css('#filter-strategies input[value="unclassified"]')).click();
    await app.driver.findElement(By.id("filter-text")).sendKeys("fryslan");
    assert.equal((await app.driver.findElements(By.css("#case-list li"))).length, 2);
    await app.driver.findElement(By.id("filter-text")).clear();
    await app.driver.executeScript(
      "document.getElementById('case-filters').dispatchEvent(new Event('input'))",
    );
    assert.equal((await app.driver.findElements(By.css("#case-list li"))).length, 29);
  });

  it("switches to English without a restart", async () => {
    await app.driver.findElement(By.css('.lang-switch button[data-lang="en"]')).click();
    assert.equal(await app.driver.executeScript("return document.documentElement.lang"), "en");
    assert.match(
      await app.driver.findElement(By.css("h1")).getText(),
      /initiatives from Wij in de Wijk/,
    );
    await screenshot(app.driver, "case-map-en");
  });

  it("comes back as it was left after a reload: the page brings its start-up data each time", async () => {
    await app.driver.navigate().refresh();
    await app.driver.wait(until.elementLocated(By.css('body[data-map-ready="1"]')), 30000);
    assert.equal(
      await app.driver.executeScript("return document.documentElement.lang"),
      "en",
      "the language chosen before the reload",
    );
    assert.match(
      await app.driver.findElement(By.css("h1")).getText(),
      /initiatives from Wij in de Wijk/,
    );
    assert.equal((await app.driver.findElements(By.css("#case-list li"))).length, 29);
    assert.equal(
      (await app.driver.findElements(By.css(".leaflet-marker-pane .case-marker"))).length,
      28,
    );
    assert.equal(
      await app.driver.executeScript("return document.getElementById('wk-startup')"),
      null,
      "the data block is read once and taken out of the page",
    );
    await app.driver.findElement(By.css('.lang-switch button[data-lang="nl"]')).click();
    assert.equal(await app.driver.executeScript("return document.documentElement.lang"), "nl");
  });

  it("writes in the theme's font, Noto Sans, which ships with the app", async () => {
    const fonts = await app.driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      document.fonts.ready.then(() => done({
        loaded: [...document.fonts].filter((f) => f.status === "loaded").map((f) => f.family.replace(/"/g, "") + " " + f.weight).sort(),
        heading: getComputedStyle(document.querySelector("h1")).fontFamily,
      }));`);
    assert.deepEqual(fonts.loaded, ["Noto Sans 400", "Noto Sans 700"]);
    assert.match(fonts.heading, /^"?Noto Sans"?/);
  });

  it("ran without errors or content-security violations", async () => {
    assert.deepEqual(await app.driver.executeScript("return window.__cspViolations"), []);
    assert.equal(await app.driver.findElement(By.id("app-error")).isDisplayed(), false);
  });
});

// A map made before its container has its final layout must take that layout when it comes. The
// case map once stayed empty in some starts: WebKit ran the page's script before its stylesheet
// was applied, Leaflet measured an unstyled container, and nothing told it otherwise. Here the
// stylesheets are switched off while a map is made, then on again: the map must fill its container
// and show the whole country, centred, without a resize of the window.
describe("maps follow their container", () => {
  let app;
  before(async () => {
    app = await launchApp();
  });
  after(async () => {
    await app?.quit();
  });

  it("a map made while the page was unstyled fills its container and frames the country once styled", async () => {
    const { driver } = app;
    await driver.executeScript(
      `document.querySelectorAll('link[rel="stylesheet"]').forEach((l) => (l.disabled = true)); location.hash = "#zelfcheck";`,
    );
    await driver.wait(
      until.elementLocated(By.css("#place-map.leaflet-container .map-overview")),
      10000,
    );
    const unstyled = await driver.executeScript(
      "const r = document.getElementById('place-map').getBoundingClientRect(); return [r.width, r.height];",
    );
    await driver.executeScript(
      `document.querySelectorAll('link[rel="stylesheet"]').forEach((l) => (l.disabled = false));`,
    );
    const framed = () =>
      driver.executeScript(`
        const box = document.getElementById("place-map").getBoundingClientRect();
        const land = document.querySelector("#place-map .map-overview").getBoundingClientRect();
        const cx = land.x + land.width / 2 - box.x, cy = land.y + land.height / 2 - box.y;
        return { width: box.width, height: box.height, centred: box.height > 0 && Math.abs(cx - box.width / 2) < box.width / 6 && Math.abs(cy - box.height / 2) < box.height / 6,
                 fits: land.height <= box.height * 1.05 && land.height >= box.height * 0.5 };`);
    await driver
      .wait(async () => {
        const f = await framed();
        return f.centred && f.fits;
      }, 10000)
      .catch(() => {});
    const f = await framed();
    assert.ok(f.height > 300, `the map has its container's height (${f.height} px)`);
    assert.notDeepEqual(
      [f.width, f.height],
      unstyled,
      "the container's size changed when the styles came",
    );
    assert.ok(f.centred, "the country is in the middle of the map");
    assert.ok(f.fits, "the country fills the map's height");
    await screenshot(driver, "place-map-after-late-styles");
  });
});
