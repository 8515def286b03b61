// Drives the real Wijkkompas app through WebKitWebDriver (no tauri-driver needed): the driver
// starts the app binary itself, and TAURI_WEBVIEW_AUTOMATION lets it attach to the webview.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Builder, By, Key, until } from "selenium-webdriver";

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
  const dir = mkdtempSync(join(tmpdir(), "wijkkompas-e2e-"));
  db ??= join(dir, "wijkkompas.db");
  const env = { ...process.env, TAURI_WEBVIEW_AUTOMATION: "true", WIJKKOMPAS_DB: db };
  const proc = spawn("WebKitWebDriver", [`--port=${port}`], { env, stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForDriver(url);
    const driver = await new Builder()
      .usingServer(url)
      .withCapabilities({ browserName: "wry", "webkitgtk:browserOptions": { binary: APP_BIN, args: [] } })
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
  const out = execFileSync(bin, [...args, "--json"], { env: { ...process.env, WIJKKOMPAS_DB: db } });
  return JSON.parse(out.toString());
}

export function tempFile(name, contents) {
  const dir = mkdtempSync(join(tmpdir(), "wijkkompas-e2e-"));
  const p = join(dir, name);
  writeFileSync(p, contents);
  return p;
}

/** Presses Tab (on whatever has focus) until the focused element matches `selector`. */
export async function tabTo(driver, selector, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await driver.executeScript(`return !!document.activeElement && document.activeElement.matches(arguments[0])`, selector)) return;
    await driver.switchTo().activeElement().sendKeys(Key.TAB);
  }
  throw new Error(`Tab never reached ${selector}`);
}

export async function keys(driver, ...k) {
  await driver.switchTo().activeElement().sendKeys(...k);
}

export const textOf = async (driver, css) => (await driver.findElement(By.css(css)).getText()).trim();

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

/** Waits until an element exists and is visible; returns it. */
export async function waitFor(driver, css, ms = 10000) {
  const el = await driver.wait(until.elementLocated(By.css(css)), ms);
  await driver.wait(until.elementIsVisible(el), ms);
  return el;
}

/** Waits until lesson `n` (1-based) of the self-check is on screen: the form is re-rendered per
 * lesson, so waiting for "#questions-form" alone would return the previous lesson's form. */
export async function waitForLesson(driver, n, ms = 10000) {
  return waitFor(driver, `#questions-form[data-lesson="${n}"]`, ms);
}
