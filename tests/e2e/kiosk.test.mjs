// Kiosk mode in the real app: two residents in a row on one machine. The second cannot reach the
// first's answers by any route the UI offers, nor by calling the app's commands directly; the
// first comes back to their own initiative with the return code; the timeout ends a session.
import assert from "node:assert/strict";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { By, Key } from "selenium-webdriver";
import {
  cli,
  clickFresh,
  launchApp,
  ROOT,
  screenshot,
  textOf,
  waitFor,
  waitForLesson,
  clickInView,
} from "./harness.mjs";
import { tempDir } from "../temp.mjs";

const bin = join(ROOT, "target/debug/wijkkompas");

async function selfCheck(d, name, place) {
  await d.findElement(By.css('a[data-view="check"]')).click();
  await waitFor(d, "#initiative-form");
  await d.findElement(By.id("ini-name")).sendKeys(name);
  await clickInView(d, "label:has(> #role-resident)");
  await d.findElement(By.id("place-search")).sendKeys(place);
  await d.wait(
    async () =>
      new RegExp(place).test(await textOf(d, "#place-options li[data-index='0']").catch(() => "")),
    5000,
  );
  await clickFresh(d, "#place-options li[data-index='0']");
  await d.wait(async () => /Gemeente/.test(await textOf(d, "#place-status").catch(() => "")), 5000);
  await d.findElement(By.id("to-questions")).click();
  for (let i = 0; i < 9; i++) {
    await waitForLesson(d, i + 1);
    for (const fs of await d.findElements(By.css("fieldset.statement"))) {
      const id = await fs.getAttribute("data-statement");
      await clickInView(d, `label:has(> #st-${id}-4)`);
    }
    await d.findElement(By.css(i < 8 ? "#q-next" : "#q-save")).click();
  }
  await waitFor(d, "#result");
}

describe("kiosk mode", () => {
  let app;
  let code;
  let firstCheck;
  before(async () => {
    const dir = tempDir("kiosk");
    const db = join(dir, "wijkkompas.db");
    // The PIN from the environment: the CLI takes none as an argument.
    execFileSync(bin, ["settings", "--kiosk", "on", "--new-pin", "--timeout", "1"], {
      env: { ...process.env, WIJKKOMPAS_DB: db, WIJKKOMPAS_NEW_PIN: "2468" },
    });
    app = await launchApp({ db });
  });
  after(async () => {
    await app?.quit();
  });

  it("shows a resident only the map and the self-check", async () => {
    const d = app.driver;
    assert.equal(await d.findElement(By.css('a[data-view="initiatives"]')).isDisplayed(), false);
    assert.equal(await d.findElement(By.css('a[data-view="municipality"]')).isDisplayed(), false);
    assert.equal(await d.findElement(By.id("kiosk-done")).isDisplayed(), true);
  });

  it("gives the first resident a return code after their check", async () => {
    const d = app.driver;
    await selfCheck(d, "Eerste bewoner", "Bovensmilde");
    code = await textOf(d, "#return-code-value");
    assert.match(code, /^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    firstCheck = await d.executeScript(
      "return document.querySelector('[data-show-case]') && location.hash",
    );
    assert.equal(
      (await d.findElements(By.id("r-initiative"))).length,
      0,
      "no way into the list of initiatives",
    );
    await screenshot(d, "kiosk-result-nl");
    await d.findElement(By.id("kiosk-done")).click();
    await d.wait(async () => (await d.executeScript("return location.hash")) === "#kaart", 5000);
  });

  it("lets the second resident reach none of the first one's answers", async () => {
    const d = app.driver;
    // Back and history: a fresh wizard, no result.
    await d.navigate().back();
    await d.executeScript(`location.hash = "#zelfcheck"`);
    await waitFor(d, "#initiative-form");
    assert.equal((await d.findElements(By.id("result"))).length, 0);
    assert.equal(
      (await d.findElements(By.id("repeat-select"))).length,
      0,
      "no list of earlier initiatives",
    );
    assert.equal(await d.findElement(By.id("ini-name")).getAttribute("value"), "");
    // The coordinator's screens ask for the PIN.
    for (const hash of ["#initiatieven", "#gemeente/GM1731", "#instellingen"]) {
      await d.executeScript(`location.hash = "${hash}"`);
      await waitFor(
        d,
        "#view-" +
          {
            "#initiatieven": "initiatives",
            "#gemeente/GM1731": "municipality",
            "#instellingen": "settings",
          }[hash] +
          " #unlock-form",
      );
    }
    // Even calling the app's commands directly is refused by the shell.
    const refused = await d.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      const call = (cmd, args) => window.__TAURI__.core.invoke(cmd, args).then(() => "ALLOWED " + cmd, (e) => e.kind);
      Promise.all([
        call("initiatives"),
        call("municipality_overview", { code: "GM1731", query: { sort: "name", descending: false, status: null, text: "", offset: 0, limit: 100 } }),
        call("municipality_rows", { code: "GM1731", query: { sort: "name", descending: false, status: null, text: "", offset: 0, limit: 100 } }),
        call("export_file", { format: "bundle", municipality: null, lang: "nl" }),
        call("get_settings"),
        call("list_backups"),
      ]).then(done);`);
    // The shell answers with the problem as data: its kind, never text to be read.
    for (const r of refused) assert.equal(r, "kiosk_locked", r);
    await screenshot(d, "kiosk-locked-nl");
  });

  it("lets the first resident come back with the return code", async () => {
    const d = app.driver;
    await d.executeScript(`location.hash = "#zelfcheck"`);
    await waitFor(d, "#return-code");
    await d.findElement(By.id("return-code")).sendKeys("WRONG-CODE");
    await d.findElement(By.id("use-code")).click();
    assert.match(await textOf(d, "#code-error"), /terugkomcode kennen we niet/);
    await d.findElement(By.id("return-code")).clear();
    await d.findElement(By.id("return-code")).sendKeys(code.toLowerCase());
    await d.findElement(By.id("use-code")).click();
    await waitFor(d, "#repeat-notice");
    assert.match(await textOf(d, "#repeat-notice"), /Eerste bewoner/);
    await d.findElement(By.id("kiosk-done")).click();
    await d.wait(async () => (await d.executeScript("return location.hash")) === "#kaart", 5000);
  });

  it("ends a session after the inactivity timeout, with a warning first", async () => {
    const d = app.driver;
    await d.executeScript(`location.hash = "#zelfcheck"`);
    await waitFor(d, "#initiative-form");
    await d.findElement(By.id("ini-name")).sendKeys("Bijna vergeten");
    const dialog = await d.findElement(By.id("timeout-dialog"));
    await d.wait(async () => (await dialog.getAttribute("open")) !== null, 45000);
    assert.match(await textOf(d, "#timeout-dialog"), /Ben je er nog/);
    await d.wait(async () => (await d.executeScript("return location.hash")) === "#kaart", 45000);
    await d.executeScript(`location.hash = "#zelfcheck"`);
    await waitFor(d, "#initiative-form");
    assert.equal(
      await d.findElement(By.id("ini-name")).getAttribute("value"),
      "",
      "nothing of the previous person is left",
    );
  });

  it("opens the coordinator's screens with the PIN", async () => {
    const d = app.driver;
    await d.executeScript(`location.hash = "#instellingen"`);
    await waitFor(d, "#unlock-form");
    await d.findElement(By.id("unlock-pin")).sendKeys("0000", Key.ENTER);
    assert.match(await textOf(d, "#unlock-error"), /pincode klopt niet. Je kunt het nog 4 keer/);
    await d.findElement(By.id("unlock-pin")).sendKeys("2468", Key.ENTER);
    await waitFor(d, "#settings-form");
    assert.equal(await d.findElement(By.css('a[data-view="initiatives"]')).isDisplayed(), true);
    await screenshot(d, "kiosk-settings-nl");
    // The coordinator names the machine: its bundles carry the name from now on.
    const name = await d.findElement(By.id("set-machine-name"));
    await name.clear();
    await name.sendKeys("Buurthuis De Kolk");
    assert.match(
      await d.executeScript(`return document.getElementById("set-machine-note").textContent`),
      /Vaste code: [0-9a-f]{8}-/,
    );
    await d.findElement(By.id("settings-save")).click();
    await d.wait(
      async () =>
        /opgeslagen/.test(
          await d.executeScript(
            `return document.getElementById("settings-message")?.textContent ?? ""`,
          ),
        ),
      5000,
    );
    assert.equal(cli(["settings"], app.db).machine_name, "Buurthuis De Kolk");
    assert.equal(
      await d.findElement(By.id("set-machine-name")).getAttribute("value"),
      "Buurthuis De Kolk",
    );
    await d.findElement(By.id("lock-again")).click();
    await d.wait(
      async () => !(await d.findElement(By.css('a[data-view="initiatives"]')).isDisplayed()),
      5000,
    );
  });
});
