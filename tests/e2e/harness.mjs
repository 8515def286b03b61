// Drives the real Wijkkompas app through WebKitWebDriver (no tauri-driver needed): the driver
// starts the app binary itself, and TAURI_WEBVIEW_AUTOMATION lets it attach to the webview.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { Builder, By, Key, until } from "selenium-webdriver";
import { tempDir } from "../temp.mjs";

export const ROOT = resolve(import.meta.dirname, "../..");
export const APP_BIN = resolve(process.env.APP_BIN ?? join(ROOT, "target/debug/wijkkompas-app"));
export const RESULTS = join(ROOT, "test-results");

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
    srv.on("error", fail);
  });
}

async function waitForDriver(url, ms = 15000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(`${url}/status`);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`WebKitWebDriver did not answer at ${url}`);
}

/** Starts the app on a fresh database; returns { driver, db, quit }. */
export async function launchApp({ db } = {}) {
  const port = await freePort();
  const dir = tempDir("e2e");
  db ??= join(dir, "wijkkompas.db");
  // The app turns WebKit's DMA-BUF renderer off by default (src-tauri/src/main.rs says why). Under
  // Xvfb, WebKitWebDriver's screenshots then sometimes wait 30 s for a frame that never comes, so
  // the behavioural tests keep WebKit's own default; the speed measurements (tests/perf/) pass
  // RENDERER=app to run what users get.
  const renderer =
    process.env.RENDERER === "app"
      ? {}
      : { WEBKIT_DISABLE_DMABUF_RENDERER: process.env.WEBKIT_DISABLE_DMABUF_RENDERER ?? "0" };
  const env = { ...process.env, ...renderer, TAURI_WEBVIEW_AUTOMATION: "true", WIJKKOMPAS_DB: db };
  const proc = spawn("WebKitWebDriver", [`--port=${port}`], { env, stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForDriver(url);
    const driver = await new Builder()
      .usingServer(url)
      .withCapabilities({
        browserName: "wry",
        "webkitgtk:browserOptions": { binary: APP_BIN, args: [] },
      })
      .build();
    await driver.wait(until.elementLocated(By.css('body[data-map-ready="1"]')), 30000);
    const quit = async () => {
      try {
        await driver.quit();
      } finally {
        proc.kill();
      }
    };
    return { driver, db, quit };
  } catch (e) {
    proc.kill();
    throw e;
  }
}

export async function screenshot(driver, name) {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, `${name}.png`), await driver.takeScreenshot(), "base64");
}

/** Runs the CLI on its own database; returns parsed JSON. */
export function cli(args, db) {
  const bin = join(ROOT, "target/debug/wijkkompas");
  const out = execFileSync(bin, [...args, "--json"], {
    env: { ...process.env, WIJKKOMPAS_DB: db },
  });
  return JSON.parse(out.toString());
}

export function tempFile(name, contents) {
  const dir = tempDir("e2e");
  const p = join(dir, name);
  writeFileSync(p, contents);
  return p;
}

/** Presses Tab (on whatever has focus) until the focused element matches `selector`. */
export async function tabTo(driver, selector, max = 80) {
  for (let i = 0; i < max; i++) {
    if (
      await driver.executeScript(
        `return !!document.activeElement && document.activeElement.matches(arguments[0])`,
        selector,
      )
    )
      return;
    await driver.switchTo().activeElement().sendKeys(Key.TAB);
  }
  throw new Error(`Tab never reached ${selector}`);
}

export async function keys(driver, ...k) {
  await driver
    .switchTo()
    .activeElement()
    .sendKeys(...k);
}

export const textOf = async (driver, css) =>
  (await driver.findElement(By.css(css)).getText()).trim();

/** Clicks an element that may be re-rendered under our feet (search suggestions as results arrive). */
export async function clickFresh(driver, css, tries = 10) {
  for (let i = 0; ; i++) {
    try {
      const el = await driver.wait(until.elementLocated(By.css(css)), 5000);
      await el.click();
      return;
    } catch (e) {
      if (i >= tries || e.name !== "StaleElementReferenceError") throw e;
      await driver.sleep(50);
    }
  }
}

/** Clicks a control of a form as a person does: brought to the middle of the screen first (the
 * sticky header must not cover it), and again if the page was still moving (a busy machine). */
export async function clickInView(driver, css, tries = 10) {
  for (let i = 0; ; i++) {
    try {
      const el = await driver.wait(until.elementLocated(By.css(css)), 5000);
      await driver.executeScript("arguments[0].scrollIntoView({ block: 'center' })", el);
      await el.click();
      return;
    } catch (e) {
      if (
        i >= tries ||
        !["StaleElementReferenceError", "ElementClickInterceptedError"].includes(e.name)
      )
        throw e;
      await driver.sleep(50);
    }
  }
}

/** Types into an element that may be re-rendered under our feet (as clickFresh clicks). */
export async function typeFresh(driver, css, ...keys) {
  for (let i = 0; ; i++) {
    try {
      const el = await driver.wait(until.elementLocated(By.css(css)), 5000);
      await el.sendKeys(...keys);
      return;
    } catch (e) {
      if (i >= 10 || e.name !== "StaleElementReferenceError") throw e;
      await driver.sleep(50);
    }
  }
}

/** Waits until an element exists and is visible; returns it. */
export async function waitFor(driver, css, ms = 10000) {
  // A view may be drawn again between finding the element and asking whether it is visible: then
  // the element found is gone, and the new one is looked for.
  for (let i = 0; ; i++) {
    try {
      const el = await driver.wait(until.elementLocated(By.css(css)), ms);
      await driver.wait(until.elementIsVisible(el), ms);
      return el;
    } catch (e) {
      if (i >= 10 || e.name !== "StaleElementReferenceError") throw e;
    }
  }
}

/** Waits until lesson `n` (1-based) of the self-check is on screen: the form is re-rendered per
 * lesson, so waiting for "#questions-form" alone would return the previous lesson's form. */
export async function waitForLesson(driver, n, ms = 10000) {
  return waitFor(driver, `#questions-form[data-lesson="${n}"]`, ms);
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

/** WCAG 2.0/2.1 A and AA violations on the current screen, found by axe-core injected into the
 * real app (the app's CSP does not apply to automation scripts). */
export async function axeViolations(driver) {
  if (!(await driver.executeScript("return typeof window.axe"))?.includes("object"))
    await driver.executeScript(axeSource);
  return driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
      .then((r) => done(r.violations.map((v) => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "))))
      .catch((e) => done(["axe failed: " + e]));`);
}

/** By keyboard alone: opens the self-check, names a new initiative, chooses the first role
 * (resident) and a place from the search suggestions (`suggestion` and `status` are what the
 * first suggestion and the place line must show before going on). */
export async function newInitiativeByKeyboard(driver, { name, search, suggestion, status }) {
  await driver.executeScript("document.body.focus()");
  await tabTo(driver, 'a[data-view="check"]');
  await keys(driver, Key.ENTER);
  await waitFor(driver, "#initiative-form");
  await tabTo(driver, "#ini-name");
  await keys(driver, name);
  await tabTo(driver, 'input[name="role"]');
  await keys(driver, Key.SPACE);
  await tabTo(driver, "#place-search");
  await keys(driver, search);
  // Suggestions arrive per keystroke; wait for those of the whole name before choosing.
  await driver.wait(
    async () =>
      suggestion.test(await textOf(driver, "#place-options li[data-index='0']").catch(() => "")),
    5000,
  );
  await keys(driver, Key.ARROW_DOWN, Key.ENTER);
  await driver.wait(async () => status.test(await textOf(driver, "#place-status")), 5000);
}

/** The id of the visible X window titled `title`, waited for (a native dialog the app opened). */
async function nativeWindow(title, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const found = execFileSync("xdotool", ["search", "--onlyvisible", "--name", title], {
        stdio: ["ignore", "pipe", "ignore"],
      })
        .toString()
        .trim();
      if (found) return found.split("\n")[0];
    } catch {}
    if (Date.now() > end) throw new Error(`no window titled "${title}" appeared`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Chooses `path` in the native (GTK) file chooser titled `title` that the app opened, as a person
 * at the keyboard does: the home folder (Alt+Home: the chooser opens on "Recent", where a typed
 * path is not taken), the location bar (Ctrl+L), the path, Enter. WebDriver reaches only the web
 * view; xdotool reaches the dialog. */
export async function pickInNativeDialog(title, path) {
  const id = await nativeWindow(title);
  execFileSync("xdotool", ["windowfocus", "--sync", id]);
  execFileSync("xdotool", ["key", "--clearmodifiers", "alt+Home"]);
  execFileSync("xdotool", ["key", "--clearmodifiers", "ctrl+l"]);
  execFileSync("xdotool", ["type", "--delay", "2", path]);
  execFileSync("xdotool", ["key", "Return"]);
  return id;
}
