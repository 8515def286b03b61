// Maps you can read (issue 32), in the real app at the smallest window it supports and a common
// laptop's, in Dutch and English: the place map names provinces, municipalities, towns and wijken
// by zoom and marks the chosen place with a pin of its own; case markers show every strategy; the
// municipality map has its own symbol and legend; legends and the case card cover no marker and
// the card stays below the header.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { By, Key, until } from "selenium-webdriver";
import {
  axeViolations,
  cli,
  clickFresh,
  clickInView,
  keys,
  launchApp,
  screenshot,
  textOf,
  waitFor,
} from "./harness.mjs";
import { tempDir } from "../temp.mjs";

/** A database with three Utrecht initiatives checked on this machine, for the municipality map. */
function databaseWithInitiatives() {
  const db = join(tempDir("maps"), "wijkkompas.db");
  const statements = cli(["lessons"], db).flatMap((l) => l.statements.map((s) => s.id));
  for (let k = 0; k < 3; k++) {
    const input = join(tempDir("maps"), `c${k}.json`);
    const answers = Object.fromEntries(statements.map((id, i) => [id, ((i * 3 + k) % 5) + 1]));
    writeFileSync(
      input,
      JSON.stringify({
        initiative: {
          name: `Kaarttest ${k + 1}`,
          lat: 52.08 + k * 0.01,
          lon: 5.1 + k * 0.012,
          role: "resident",
        },
        answers,
      }),
    );
    cli(["check", "--input", input], db);
  }
  return db;
}

/** Whether this build has the CBS wijken (then the place map names them). */
const hasWijken = () => cli(["locate", "52.09", "5.12"], "/nonexistent-unused.db").wijk !== null;

const overlap = (a, b) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Client rects of everything `css` matches (only those with a size). */
const rects = (d, css) =>
  d.executeScript(
    `return [...document.querySelectorAll(arguments[0])].map((e) => { const r = e.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height, id: e.dataset.caseId || e.dataset.initiativeId || "", text: e.textContent }; }).filter((r) => r.width > 0 && r.height > 0)`,
    css,
  );

/** The markers drawn on the visible part of their map (their middle in it: the map's edge cuts
 * off the rest of one lying across it). */
async function visibleMarkers(d, mapCss, markerCss) {
  const [map] = await rects(d, mapCss);
  const inside = (m) => {
    const x = (m.left + m.right) / 2;
    const y = (m.top + m.bottom) / 2;
    return x > map.left && x < map.right && y > map.top && y < map.bottom;
  };
  return (await rects(d, `${mapCss} ${markerCss}`)).filter(inside);
}

/** Leaflet starts a pan on the next frame: wait two frames, then for the move to end. */
async function mapSettled(d, css) {
  await d.executeAsyncScript(
    "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));",
  );
  await d.wait(
    async () =>
      (await d.executeScript(`return document.querySelector(arguments[0]).dataset.moving`, css)) !==
      "1",
    5000,
  );
}

/** The names written on a map, once it has written some that `ready` accepts. */
async function namesOn(d, css, ready, what) {
  let names = [];
  await d
    .wait(async () => {
      names = await d.executeScript(
        `return [...document.querySelectorAll(arguments[0] + " .map-name")].map((e) => ({ name: e.textContent, kind: e.dataset.kind }))`,
        css,
      );
      return ready(names);
    }, 10000)
    .catch(() => {
      throw new Error(`${what}: the map shows ${JSON.stringify(names.slice(0, 40))}`);
    });
  return names;
}

async function setWindow(d, width, height) {
  await d.manage().window().setRect({ width, height });
  await d.wait(
    async () =>
      (await d.executeScript("return [window.innerWidth, window.innerHeight]")).join() ===
      `${width},${height}`,
    5000,
  );
}

const SIZES = [
  [1024, 700],
  [1280, 800],
];

for (const [width, height] of SIZES) {
  for (const lang of ["nl", "en"]) {
    describe(`maps at ${width}×${height} in ${lang}`, () => {
      let app;
      let d;
      const tag = `${lang}-${width}`;
      before(async () => {
        app = await launchApp({ db: databaseWithInitiatives() });
        d = app.driver;
        await setWindow(d, width, height);
        await clickFresh(d, `.lang-switch button[data-lang="${lang}"]`);
        await d.wait(
          async () => (await d.executeScript("return document.documentElement.lang")) === lang,
          5000,
        );
      });
      after(async () => {
        await app?.quit();
      });

      it("draws a case with more strategies with each of their shapes, as the legend does", async () => {
        // De Polka in Den Haag works on bonding and linking: a circle and a diamond.
        const marker = await d.findElement(
          By.css('.case-marker[data-case-id="b3-polka-den-haag"]'),
        );
        assert.equal(await marker.getAttribute("data-shapes"), "bonding linking");
        const shapes = await d.executeScript(
          `return [...arguments[0].querySelectorAll("[data-shape]")].map((g) => g.dataset.shape)`,
          marker,
        );
        assert.deepEqual(shapes, ["bonding", "linking"]);
        // The legend's green diamond now stands on the map.
        assert.ok(
          (await d.findElements(By.css('#map .case-marker g[data-shape="linking"]'))).length >= 5,
        );
        const legend = await d.executeScript(
          `return [...document.querySelectorAll("#map-legend li > svg")].map((s) => [...s.querySelectorAll("[data-shape]")].map((g) => g.dataset.shape).join("+"))`,
        );
        assert.deepEqual(legend, [
          "bonding",
          "bridging",
          "linking",
          "unclassified",
          "bonding+linking",
        ]);
      });

      it("keeps the case map's legend off every marker", async () => {
        const [legend] = await rects(d, "#map-legend");
        const [map] = await rects(d, "#map");
        assert.ok(legend.top >= map.bottom - 1, "the legend lies below the map's drawing area");
        const markers = await visibleMarkers(d, "#map", ".case-marker");
        assert.ok(markers.length > 10, `${markers.length} markers in view`);
        // What can be seen of a marker: the map's edge cuts off the rest.
        const seen = (m) => ({
          left: Math.max(m.left, map.left),
          right: Math.min(m.right, map.right),
          top: Math.max(m.top, map.top),
          bottom: Math.min(m.bottom, map.bottom),
        });
        for (const m of markers)
          assert.ok(
            !overlap(seen(m), legend),
            `legend covers ${m.id}: ${JSON.stringify([m, map, legend])}`,
          );
      });

      for (const [how, css] of [
        ["its marker", '.case-marker[data-case-id="b4-choku-gym-poelenburg"]'],
        ["the list", '#case-list button[data-case-id="b2-zutphen-waterkracht"]'],
      ]) {
        it(`opens a case card from ${how} below the header and beside the case's marker`, async () => {
          const id = css.match(/data-case-id="([^"]+)"/)[1];
          await d.executeScript(
            "arguments[0].scrollIntoView({ block: 'nearest' })",
            await d.findElement(By.css(css)),
          );
          await clickFresh(d, css);
          const card = await d.findElement(By.id("case-card"));
          await d.wait(until.elementIsVisible(card), 5000);
          await mapSettled(d, "#map");
          const [header] = await rects(d, ".app-header");
          const [cardBox] = await rects(d, "#case-card");
          const [map] = await rects(d, "#map");
          const [marker] = await rects(d, `#map .case-marker[data-case-id="${id}"]`);
          assert.ok(
            cardBox.top >= header.bottom - 1,
            `card top ${cardBox.top} under header ${header.bottom}`,
          );
          assert.ok(
            !overlap(marker, cardBox),
            `the card covers its marker: ${JSON.stringify([marker, cardBox])}`,
          );
          assert.ok(
            marker.left >= map.left &&
              marker.right <= map.right &&
              marker.top >= map.top &&
              marker.bottom <= map.bottom,
            "the marker is in view",
          );
          assert.match(
            await d
              .findElement(By.css("#map .case-marker.is-selected"))
              .getAttribute("data-case-id"),
            new RegExp(id),
          );
          await screenshot(d, `maps-case-card-${tag}-${how === "the list" ? "list" : "marker"}`);
          await keys(d, Key.ESCAPE);
          await d.wait(async () => !(await card.isDisplayed()), 5000);
        });
      }

      it("has no accessibility violations on the case map", async () => {
        assert.deepEqual(await axeViolations(d), []);
      });

      it("names the provinces on the whole-country place map", async () => {
        await clickFresh(d, 'a[data-view="check"]');
        await waitFor(d, "#place-map .leaflet-pane");
        const names = await namesOn(
          d,
          "#place-map",
          (n) => n.filter((x) => x.kind === "province").length >= 6,
          "province names",
        );
        assert.ok(
          names.some((n) => n.name === "Gelderland"),
          JSON.stringify(names),
        );
        assert.ok(
          names.every((n) => n.kind === "province"),
          "only provinces at the country's scale",
        );
      });

      it("names municipalities and towns around the chosen place, which has a pin of its own", async () => {
        await clickFresh(d, "#place-search");
        await keys(d, "Overvecht");
        await d.wait(
          async () =>
            /Overvecht/.test(await textOf(d, "#place-options li[data-index='0']").catch(() => "")),
          5000,
        );
        await keys(d, Key.ARROW_DOWN, Key.ENTER);
        await d.wait(async () => /Utrecht/.test(await textOf(d, "#place-status")), 5000);
        const pin = await waitFor(d, "#place-map [data-chosen-place]");
        const pinSymbol = await d.executeScript(
          `const s = arguments[0].querySelector("svg"); return { pin: s.dataset.pin, shapes: s.querySelectorAll("[data-shape]").length, markup: s.outerHTML }`,
          pin,
        );
        assert.equal(pinSymbol.pin, "chosen");
        assert.equal(pinSymbol.shapes, 0, "the pin is no case shape");
        const caseSymbols = await d.executeScript(
          `return [...document.querySelectorAll("#map-legend svg")].map((s) => s.outerHTML)`,
        );
        assert.ok(!caseSymbols.includes(pinSymbol.markup));
        const names = await namesOn(
          d,
          "#place-map",
          (n) =>
            n.some((x) => x.kind === "municipality" && x.name === "Utrecht") &&
            n.some((x) => x.kind === "place"),
          "municipality and town names at zoom 11",
        );
        assert.ok(!names.some((n) => n.kind === "province"), "no province names this close");
      });

      it("names the wijken when zoomed in further, never one name over another or the pin", async () => {
        const zoom = () =>
          d.executeScript("return Number(document.getElementById('place-map').dataset.zoom)");
        const before = await zoom();
        await clickInView(d, "#place-map .leaflet-control-zoom-in");
        await d.wait(async () => (await zoom()) > before, 5000);
        const wijken = hasWijken();
        const names = await namesOn(
          d,
          "#place-map",
          (n) =>
            wijken ? n.some((x) => x.kind === "wijk" && x.name === "Overvecht") : n.length > 3,
          "wijk names at zoom 12",
        );
        if (wijken)
          assert.ok(names.filter((n) => n.kind === "wijk").length >= 3, JSON.stringify(names));
        const boxes = await rects(d, "#place-map .map-name");
        assert.equal(boxes.length, names.length);
        for (let i = 0; i < boxes.length; i++)
          for (let j = i + 1; j < boxes.length; j++)
            assert.ok(!overlap(boxes[i], boxes[j]), `${boxes[i].text} over ${boxes[j].text}`);
        const [pinBox] = await rects(d, "#place-map [data-chosen-place]");
        for (const b of boxes) assert.ok(!overlap(b, pinBox), `${b.text} under the pin`);
        await d.executeScript(
          "document.getElementById('place-map').scrollIntoView({ block: 'center' })",
        );
        await screenshot(d, `maps-place-zoomed-${tag}`);
        assert.deepEqual(await axeViolations(d), []);
      });

      it("gives the municipality map its own symbols and a legend beside it", async () => {
        await d.executeScript(`location.hash = "#gemeente/GM0344"`);
        await d.wait(
          async () => (await d.findElements(By.css("#area-map .initiative-marker"))).length === 3,
          10000,
        );
        const symbols = await d.executeScript(
          `return [...document.querySelectorAll("#area-legend svg")].map((s) => ({ markup: s.outerHTML, shapes: s.querySelectorAll("[data-shape]").length, weakest: s.dataset.weakest }))`,
        );
        assert.deepEqual(
          symbols.map((s) => s.weakest),
          ["bonding", "bridging", "linking", "none"],
        );
        const caseSymbols = await d.executeScript(
          `return [...document.querySelectorAll("#map-legend svg")].map((s) => s.outerHTML)`,
        );
        for (const s of symbols) {
          assert.equal(s.shapes, 0, "no case shape on the municipality map");
          assert.ok(!caseSymbols.includes(s.markup));
        }
        const markers = await d.executeScript(
          `return [...document.querySelectorAll("#area-map .initiative-marker svg")].map((s) => s.dataset.weakest)`,
        );
        assert.equal(markers.length, 3);
        for (const m of markers) assert.match(m, /^(bonding|bridging|linking|none)$/);
        const [legend] = await rects(d, "#area-legend");
        for (const m of await visibleMarkers(d, "#area-map", ".initiative-marker"))
          assert.ok(!overlap(m, legend), "the legend covers a marker");
        await d.executeScript(
          "document.getElementById('area-map').scrollIntoView({ block: 'start' })",
        );
        await screenshot(d, `maps-municipality-${tag}`);
        assert.deepEqual(await axeViolations(d), []);
      });
    });
  }
}
