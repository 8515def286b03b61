// Issue 32: every main screen right at the window's minimum (1024×700), its default (1280×800)
// and a full-HD screen (1920×1080), in Dutch and English, in the real app. Per screen and size:
// no sideways scrolling, nothing outside the window or cut off by its box, no two controls or
// labels on top of each other, targets on a resident's path at least 44×44 px (WCAG 2.5.5), and
// axe finds nothing. One app per language; the window is resized within it (WebDriver's setRect,
// which Tauri's window takes on X without a window manager, as under Xvfb).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { By, Key } from "selenium-webdriver";
import {
  ROOT,
  axeViolations,
  cli,
  clickFresh,
  clickInView,
  keys,
  launchApp,
  screenshot,
  tabTo,
  textOf,
  waitFor,
  waitForLesson,
} from "./harness.mjs";
import { tempDir } from "../temp.mjs";

const SIZES = [
  [1024, 700],
  [1280, 800],
  [1920, 1080],
];
const PIN = "1357";

/** Initiatives of a made-up Utrecht community centre: the lists, the municipality and an
 * initiative's page have something to show. */
const UTRECHT = [
  ["Buurttuin De Vlinder", 52.1043, 5.1093],
  ["Taalcafé Kanaleneiland", 52.0707, 5.0985],
  ["Repair Café Zuilen", 52.1058, 5.0932],
  ["Eettafel Hoograven", 52.0735, 5.1243],
];

function seededDatabase() {
  const dir = tempDir("layout");
  const db = join(dir, "wijkkompas.db");
  const statements = cli(["lessons"], db).flatMap((l) => l.statements.map((s) => s.id));
  const ids = UTRECHT.map(([name, lat, lon], k) => {
    const input = join(dir, `check-${k}.json`);
    const answers = Object.fromEntries(statements.map((id, i) => [id, ((i * 2 + k) % 5) + 1]));
    writeFileSync(
      input,
      JSON.stringify({
        initiative: { name, lat, lon, role: k % 2 ? "professional" : "resident" },
        answers,
      }),
    );
    return cli(["check", "--input", input], db).initiative_id;
  });
  cli(["review", "--status", "in_review", "--by", "Anna de Vries", ...ids.slice(0, 2)], db);
  return { db, ids };
}

/** What is wrong with the screen's geometry, in words; run in the page. `resident` adds the
 * check of target sizes. */
const GEOMETRY = `
const resident = arguments[0];
const W = window.innerWidth;
const problems = [];
const describe = (el) => {
  const id = el.id ? "#" + el.id : "";
  const cls = typeof el.className === "string" && el.className.trim()
    ? "." + el.className.trim().split(/\\s+/).slice(0, 2).join(".") : "";
  const text = (el.innerText || el.getAttribute("aria-label") || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 40);
  return el.tagName.toLowerCase() + id + cls + (text ? ' "' + text + '"' : "");
};
const onMap = (el) => !!el.closest(".leaflet-pane");
const shown = (el) => {
  if (!el.getClientRects().length) return false;
  const s = getComputedStyle(el);
  if (s.visibility !== "visible") return false;
  for (let e = el; e; e = e.parentElement) if (getComputedStyle(e).opacity === "0") return false;
  const r = el.getBoundingClientRect();
  // Visually hidden text (1 px, clipped) is for screen readers, not on screen.
  return r.width > 1 && r.height > 1 && !(el.matches(".skip-link") && document.activeElement !== el);
};
const clips = (el) => {
  const out = [];
  for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
    const ox = getComputedStyle(a).overflowX;
    if (ox !== "visible") out.push(a);
  }
  return out;
};
/** The part of an element's box that can be seen: within the window and every box that clips it. */
const seen = (el) => {
  const r = el.getBoundingClientRect();
  let box = { left: Math.max(r.left, 0), right: Math.min(r.right, W), top: Math.max(r.top, 0), bottom: Math.min(r.bottom, window.innerHeight) };
  for (const a of clips(el)) {
    const c = a.getBoundingClientRect();
    box = { left: Math.max(box.left, c.left), right: Math.min(box.right, c.right), top: Math.max(box.top, c.top), bottom: Math.min(box.bottom, c.bottom) };
  }
  return box.right - box.left > 1 && box.bottom - box.top > 1 ? box : null;
};
const popup = (el) => el.closest("[role=listbox], [role=dialog], dialog");
const limit = (list, kind) => list.length > 6 ? [...list.slice(0, 6), "… and " + (list.length - 6) + " more " + kind] : list;

const root = document.scrollingElement;
if (root.scrollWidth > W + 1) problems.push("the window scrolls sideways: the page is " + root.scrollWidth + " px wide");
if (root.scrollHeight > window.innerHeight + 1) problems.push("the whole window scrolls up and down (" + root.scrollHeight + " px): the header would leave the screen");

const TEXT = "a, button, input, select, textarea, label, legend, summary, h1, h2, h3, p, li, th, td, dt, dd, caption, [role=option], .status";
const outside = [], cut = [], sideways = [], tooWide = [];
for (const el of document.querySelectorAll(TEXT)) {
  if (onMap(el) || !shown(el)) continue;
  const r = el.getBoundingClientRect();
  // The nearest box that cuts it off names the problem best: a box to scroll sideways, a box that
  // hides, or the window itself.
  const clip = clips(el).find((a) => { const c = a.getBoundingClientRect(); return r.left < c.left - 1 || r.right > c.right + 1; });
  if (clip) {
    const ox = getComputedStyle(clip).overflowX;
    (ox === "auto" || ox === "scroll" ? sideways : cut).push(describe(el) + (ox === "auto" || ox === "scroll" ? " is out of view in " : " is cut off by ") + describe(clip).slice(0, 40));
  } else if (r.left < -1 || r.right > W + 1) {
    outside.push(describe(el) + " reaches " + Math.round(r.left) + "…" + Math.round(r.right) + " px");
    continue;
  }
  // Text wider than its own box spills over what is beside it (or is cut off).
  if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && !["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName) && getComputedStyle(el).display !== "inline")
    tooWide.push(describe(el) + " holds " + el.scrollWidth + " px in " + el.clientWidth + " px");
}
problems.push(...limit(outside, "outside the window").map((p) => "outside the window: " + p));
problems.push(...limit(cut, "cut off").map((p) => "cut off: " + p));
problems.push(...limit(sideways, "to scroll to").map((p) => "only reachable by scrolling sideways: " + p));
problems.push(...limit(tooWide, "too wide").map((p) => "text wider than its box: " + p));

// A select shows its chosen option whole (its arrow and padding take their share).
const pen = document.createElement("canvas").getContext("2d");
for (const sel of document.querySelectorAll("select")) {
  if (!shown(sel) || !sel.selectedOptions.length) continue;
  const s = getComputedStyle(sel);
  pen.font = s.fontStyle + " " + s.fontWeight + " " + s.fontSize + " " + s.fontFamily;
  const text = sel.selectedOptions[0].text;
  const room = sel.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
  const needs = pen.measureText(text).width;
  if (needs > room + 1) problems.push("cut off: " + describe(sel) + ' shows "' + text + '" (' + Math.round(needs) + " px) in " + Math.round(room) + " px");
}

// Checkboxes, radio buttons and selects stand out from what is behind them (WCAG 1.4.11: 3:1)
// and look like what they are: drawn by the page (a native box ignores its border colour), a
// select with its arrow.
const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
const luminance = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
const behind = (el) => { for (let e = el.parentElement; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length === 3 || c[3] > 0) return c.slice(0, 3); } return [255, 255, 255]; };
for (const el of document.querySelectorAll("input[type=checkbox], input[type=radio], select")) {
  if (!shown(el)) continue;
  const s = getComputedStyle(el);
  if (s.appearance !== "none" && s.webkitAppearance !== "none") problems.push("drawn by the system, not the page: " + describe(el));
  // Unchosen, its border shows it; chosen, its fill.
  const edge = el.matches(":checked") ? rgb(s.backgroundColor) : rgb(s.borderTopColor);
  const ratio = contrast(edge, behind(el));
  if (ratio < 3) problems.push("too faint (" + ratio.toFixed(1) + ":1, under 3:1): " + describe(el));
  if (el.tagName === "SELECT" && !s.backgroundImage.includes("url(")) problems.push("no arrow: " + describe(el));
}

// Boxes that cut off what is in them (the map's own panes excepted: a map shows a part).
for (const el of document.querySelectorAll("body *")) {
  if (onMap(el) || el.matches(".leaflet-container, .leaflet-pane, .leaflet-tile-container") || !shown(el)) continue;
  const ox = getComputedStyle(el).overflowX;
  if ((ox === "hidden" || ox === "clip") && el.scrollWidth > el.clientWidth + 1)
    problems.push("cut off: " + describe(el) + " hides " + (el.scrollWidth - el.clientWidth) + " px of its content");
}

// No two controls or labels on top of each other (one inside the other is not overlap).
const CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, label, legend, summary, [role=option]";
const controls = [...document.querySelectorAll(CONTROLS)].filter((el) => !onMap(el) && shown(el)).map((el) => [el, seen(el)]).filter(([, b]) => b);
const overlaps = [];
for (let i = 0; i < controls.length; i++)
  for (let j = i + 1; j < controls.length; j++) {
    const [a, ra] = controls[i], [b, rb] = controls[j];
    if (a.contains(b) || b.contains(a)) continue;
    // A list that opens over the form (the place search's suggestions) covers it by design.
    if (popup(a) !== popup(b)) continue;
    const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
    const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
    if (w > 1 && h > 1) overlaps.push(describe(a) + " and " + describe(b) + " (" + Math.round(w) + "×" + Math.round(h) + " px)");
  }
problems.push(...limit(overlaps, "overlaps").map((p) => "on top of each other: " + p));

if (resident) {
  const TARGETS = ".app-nav a, .lang-switch button, .header-tools button, #start-check, .utrecht-button, .icon-button, .case-item, label.check, label.radio, label.scale-option, select, [role=option], .leaflet-control a, .map-reset";
  const small = [];
  for (const el of document.querySelectorAll(TARGETS)) {
    if (onMap(el) || !shown(el) || !seen(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 43.5 || r.height < 43.5) small.push(describe(el) + " is " + Math.round(r.width) + "×" + Math.round(r.height) + " px");
  }
  problems.push(...limit(small, "small targets").map((p) => "smaller than 44×44 px: " + p));
}
return problems;`;

/** Waits until the page has drawn twice more and no map is moving. */
async function settled(d) {
  await d.executeAsyncScript(
    "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));",
  );
  await d.wait(
    async () =>
      await d.executeScript(
        "return document.querySelector('.leaflet-container[data-moving=\"1\"]') === null",
      ),
    10000,
  );
}

async function resize(d, [width, height]) {
  await d.manage().window().setRect({ width, height });
  const size = () => d.executeScript("return window.innerWidth + '×' + window.innerHeight");
  await d
    .wait(async () => (await size()) === `${width}×${height}`, 10000)
    .catch(async () => {
      throw new Error(`the window stays ${await size()}, not ${width}×${height}`);
    });
  await settled(d);
}

/** Checks the screen on view at the three sizes; returns what is wrong, each line naming the
 * screen, the size and the language. Pictures of the two smaller sizes land in test-results/. */
async function checkScreen(d, lang, screen, { resident = true } = {}) {
  const found = [];
  for (const size of SIZES) {
    await resize(d, size);
    const where = `${screen}, ${size.join("×")}, ${lang}`;
    for (const p of await d.executeScript(GEOMETRY, resident)) found.push(`${where}: ${p}`);
    for (const v of await axeViolations(d)) found.push(`${where}: axe: ${v}`);
    if (size[0] < 1920)
      await screenshot(
        d,
        `layout-${screen.replace(/[^a-z0-9]+/gi, "-")}-${size.join("x")}-${lang}`,
      );
  }
  await resize(d, SIZES[1]);
  return found;
}

const assertFits = (found) => assert.deepEqual(found, [], `\n${found.join("\n")}\n`);

for (const lang of ["nl", "en"]) {
  describe(`every screen at 1024×700, 1280×800 and 1920×1080 in ${lang === "nl" ? "Dutch" : "English"}`, () => {
    let app;
    let seeded;
    before(async () => {
      seeded = seededDatabase();
      app = await launchApp({ db: seeded.db });
      if (lang !== "nl") {
        await clickFresh(app.driver, `.lang-switch button[data-lang="${lang}"]`);
        await app.driver.wait(
          async () =>
            (await app.driver.executeScript("return document.documentElement.lang")) === lang,
          5000,
        );
      }
    });
    after(async () => app?.quit());

    it("the case map", async () => {
      const d = app.driver;
      await waitFor(d, "#case-list");
      assertFits(await checkScreen(d, lang, "case map"));
    });

    it("the case map's first step is a button that starts the self-check, reached first after the menu", async () => {
      const d = app.driver;
      assert.match(
        await textOf(d, "#start-check"),
        lang === "nl" ? /^Begin de zelfcheck/ : /^Start the self-check/,
      );
      // From the skip link into the page, and from the header's last control: the next stop.
      await d.executeScript("document.querySelector('#about-open').focus()");
      await keys(d, Key.TAB);
      assert.equal(await d.executeScript("return document.activeElement.id"), "start-check");
      await d.executeScript("document.body.focus()");
      await tabTo(d, ".skip-link");
      await keys(d, Key.ENTER);
      await keys(d, Key.TAB);
      assert.equal(await d.executeScript("return document.activeElement.id"), "start-check");
      await keys(d, Key.ENTER);
      await waitFor(d, "#initiative-form");
      await clickFresh(d, 'a[data-view="map"]');
      await waitFor(d, "#case-list");
    });

    it("the case map with a case card open", async () => {
      const d = app.driver;
      await clickFresh(d, '#case-list button[data-case-id="b3-de-oude-bieb-lewenborg"]');
      await waitFor(d, "#case-card h2");
      const found = await checkScreen(d, lang, "case card");
      await clickFresh(d, "#case-card-close");
      assertFits(found);
    });

    it("the self-check's first step", async () => {
      const d = app.driver;
      await clickFresh(d, 'a[data-view="check"]');
      await waitFor(d, "#initiative-form");
      assertFits(await checkScreen(d, lang, "self-check start"));
    });

    it("the self-check's place, while choosing and chosen", async () => {
      const d = app.driver;
      await d.findElement(By.id("ini-name")).sendKeys("Buurttuin De Bron");
      await clickInView(d, "label:has(> #role-resident)");
      await d.findElement(By.id("place-search")).sendKeys("Bovensmil");
      await d.wait(
        async () =>
          /Bovensmilde/.test(await textOf(d, "#place-options li[data-index='0']").catch(() => "")),
        10000,
      );
      const found = await checkScreen(d, lang, "self-check place choosing");
      await clickFresh(d, "#place-options li[data-index='0']");
      await d.wait(async () => /Midden-Drenthe/.test(await textOf(d, "#place-status")), 10000);
      found.push(...(await checkScreen(d, lang, "self-check place chosen")));
      assertFits(found);
    });

    it("the self-check's statements", async () => {
      const d = app.driver;
      await clickInView(d, "#to-questions");
      await waitForLesson(d, 1);
      const found = await checkScreen(d, lang, "self-check statements");
      // Each statement's six answers on one row (one top edge), as one radio group with a legend.
      const SCALES = `return [...document.querySelectorAll("fieldset.statement")].map((f) => [
        new Set([...f.querySelectorAll(".scale-option")].map((o) => Math.round(o.getBoundingClientRect().top))).size,
        f.querySelectorAll("input[type=radio]").length,
        new Set([...f.querySelectorAll("input[type=radio]")].map((i) => i.name)).size,
        !!f.querySelector(":scope > legend"),
      ])`;
      for (const size of SIZES) {
        await resize(d, size);
        const scales = await d.executeScript(SCALES);
        assert.ok(scales.length > 0, "the lesson has statements");
        for (const [rows, radios, groups, legend] of scales) {
          if (rows !== 1)
            found.push(
              `self-check statements, ${size.join("×")}, ${lang}: an answer scale takes ${rows} rows`,
            );
          assert.deepEqual([radios, groups, legend], [6, 1, true], "one radio group of six, named");
        }
      }
      await resize(d, SIZES[1]);
      assertFits(found);
    });

    it("the self-check's result", async () => {
      const d = app.driver;
      for (let lesson = 1; lesson <= 9; lesson++) {
        await waitForLesson(d, lesson);
        for (const fieldset of await d.findElements(By.css("fieldset.statement"))) {
          const id = await fieldset.getAttribute("data-statement");
          await clickInView(d, `label:has(> #st-${id}-${((lesson + id.length) % 5) + 1})`);
        }
        await clickInView(d, lesson < 9 ? "#q-next" : "#q-save");
      }
      await waitFor(d, "#result");
      assertFits(await checkScreen(d, lang, "self-check result"));
    });

    it("the start of a group round", async () => {
      const d = app.driver;
      await clickFresh(d, 'a[data-view="check"]');
      await waitFor(d, "#initiative-form");
      await d.findElement(By.id("ini-name")).sendKeys("Buurtkamer De Linde");
      await clickInView(d, "label:has(> #role-resident)");
      await d.findElement(By.id("place-search")).sendKeys("Bovensmil");
      await d.wait(
        async () =>
          /Bovensmilde/.test(await textOf(d, "#place-options li[data-index='0']").catch(() => "")),
        10000,
      );
      await clickFresh(d, "#place-options li[data-index='0']");
      await d.wait(async () => /Midden-Drenthe/.test(await textOf(d, "#place-status")), 10000);
      await clickInView(d, "label:has(> #mode-group)");
      await clickInView(d, "#to-questions");
      await waitFor(d, "#handover-heading");
      assertFits(await checkScreen(d, lang, "group round start"));
    });

    it("the list of initiatives and one initiative", async () => {
      const d = app.driver;
      await d.executeScript(`location.hash = "#initiatieven"`);
      await waitFor(d, "#initiatives-table");
      const found = await checkScreen(d, lang, "initiatives", { resident: false });
      await d.executeScript(`location.hash = "#initiatief/${seeded.ids[0]}"`);
      await waitFor(d, "#back-to-list");
      found.push(...(await checkScreen(d, lang, "one initiative", { resident: false })));
      assertFits(found);
    });

    it("the municipality's screen", async () => {
      const d = app.driver;
      await d.executeScript(`location.hash = "#gemeente/GM0344"`);
      await waitFor(d, "#municipality-table");
      assertFits(await checkScreen(d, lang, "municipality", { resident: false }));
    });

    it("the settings", async () => {
      const d = app.driver;
      await d.executeScript(`location.hash = "#instellingen"`);
      await waitFor(d, "#settings-form");
      assertFits(await checkScreen(d, lang, "settings", { resident: false }));
    });

    it("the kiosk's header, locked and unlocked, keeps every button on screen", async () => {
      const d = app.driver;
      execFileSync(
        join(ROOT, "target/debug/wijkkompas"),
        ["settings", "--kiosk", "on", "--new-pin"],
        { env: { ...process.env, WIJKKOMPAS_DB: seeded.db, WIJKKOMPAS_NEW_PIN: PIN } },
      );
      // The page carries the kiosk state of the moment it is loaded.
      await d.executeScript(`location.hash = "#kaart"`);
      await d.navigate().refresh();
      await waitFor(d, 'body[data-map-ready="1"][data-kiosk="1"][data-locked="1"]');
      const found = [];
      const buttonsOnScreen = async (ids, state) => {
        for (const size of SIZES) {
          await resize(d, size);
          for (const id of ids) {
            const box = await d.executeScript(
              `const r = document.getElementById(arguments[0]).getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom, r.width]`,
              id,
            );
            if (!(box[4] > 0 && box[0] >= 0 && box[1] <= size[0] && box[2] >= 0))
              found.push(
                `kiosk ${state}, ${size.join("×")}, ${lang}: #${id} is not on screen (${box.map(Math.round).join(", ")})`,
              );
          }
        }
        await resize(d, SIZES[1]);
      };
      await buttonsOnScreen(["coordinator", "kiosk-done"], "locked");
      found.push(...(await checkScreen(d, lang, "kiosk locked")));
      await d.executeScript(`location.hash = "#instellingen"`);
      await waitFor(d, "#unlock-pin");
      await d.findElement(By.id("unlock-pin")).sendKeys(PIN, Key.ENTER);
      await waitFor(d, "#settings-form");
      await buttonsOnScreen(["lock-again", "kiosk-done"], "unlocked");
      found.push(...(await checkScreen(d, lang, "kiosk unlocked settings", { resident: false })));
      await clickFresh(d, 'a[data-view="map"]');
      await waitFor(d, "#case-list");
      found.push(...(await checkScreen(d, lang, "kiosk unlocked map")));
      assertFits(found);
    });
  });
}
