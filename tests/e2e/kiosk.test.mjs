// Kiosk mode in the real app: two residents in a row on one machine. The second cannot reach the
// first's answers by any route the UI offers, nor by calling the app's commands directly; the
// first comes back to their own initiative with the return code; the timeout ends a session.
// A resident never meets a file or print dialog: the report goes straight to the coordinator's
// printer (a stand-in for CUPS on PATH, tests/fixtures/cups, records what it was given); "Klaar"
// and the timeout leave nothing of a visit, the web view's history included.
import assert from "node:assert/strict";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { By, Key } from "selenium-webdriver";
import {
  axeViolations,
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

async function selfCheck(d, name, place, lang = "nl") {
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
  const municipality = lang === "nl" ? /Gemeente/ : /Municipality/;
  await d.wait(
    async () => municipality.test(await textOf(d, "#place-status").catch(() => "")),
    5000,
  );
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
    // No printer chosen: no way to print or save at all (both would open a dialog).
    for (const id of ["r-pdf", "r-print", "r-print-report"])
      assert.equal((await d.findElements(By.id(id))).length, 0, id);
    await scrollToActions(d);
    await screenshot(d, "kiosk-result-noprinter-nl");
    await d.findElement(By.id("kiosk-done")).click();
    await d.wait(async () => (await d.executeScript("return location.hash")) === "#kaart", 15000);
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
    await d.wait(async () => (await d.executeScript("return location.hash")) === "#kaart", 15000);
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

/** Brings the result's buttons into view (WebDriver's screenshot shows the scrolled view). */
async function scrollToActions(d, id = "r-new") {
  await d.executeScript(
    `const b = document.getElementById(arguments[0]); const page = b.closest(".page-view");
    page.scrollTop += b.getBoundingClientRect().bottom - page.getBoundingClientRect().bottom + 120;`,
    id,
  );
  // The window shows the scrolled view a frame after the page has it.
  await d.executeAsyncScript(
    "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()))",
  );
}

async function setWindow(d, width, height) {
  await d.manage().window().setRect({ width, height });
  await d.wait(async () => (await d.executeScript("return window.innerWidth")) <= width, 15000);
}

/** The file chooser and the print dialog are never reachable for a resident, not even by calling
 * the commands directly: the shell refuses them. */
async function dialogsRefused(d, checkId) {
  return d.executeAsyncScript(
    `
    const done = arguments[arguments.length - 1];
    const call = (cmd, args) => window.__TAURI__.core.invoke(cmd, args).then(() => "ALLOWED " + cmd, (e) => e.kind);
    Promise.all([
      call("save_report", { checkId: arguments[0], municipality: null, lang: "nl" }),
      call("save_guide", { lang: "nl" }),
      call("printers"),
    ]).then(done);`,
    checkId,
  );
}

describe("kiosk printing on the coordinator's printer", () => {
  let app;
  let spool;
  before(async () => {
    const dir = tempDir("kiosk-print");
    const db = join(dir, "wijkkompas.db");
    spool = tempDir("kiosk-print-spool");
    // The app finds lp and lpstat on its PATH: here the stand-ins, which keep what they print.
    process.env.PATH = `${join(ROOT, "tests/fixtures/cups")}:${process.env.PATH}`;
    process.env.FAKE_CUPS_DIR = spool;
    writeFileSync(join(spool, "printers"), "Buurthuis-Kleur Kantoor\n");
    execFileSync(bin, ["settings", "--kiosk", "on", "--new-pin", "--printer", "Buurthuis-Kleur"], {
      env: { ...process.env, WIJKKOMPAS_DB: db, WIJKKOMPAS_NEW_PIN: "2468" },
    });
    app = await launchApp({ db });
  });
  after(async () => {
    await app?.quit();
  });

  for (const [lang, size] of [
    ["nl", [1024, 700]],
    ["en", [1280, 800]],
  ]) {
    it(`prints a resident's report straight on the chosen printer, without a dialog (${lang}, ${size.join("×")})`, async () => {
      const d = app.driver;
      await setWindow(d, ...size);
      if (lang === "en") await d.findElement(By.css('.lang-switch button[data-lang="en"]')).click();
      const name = lang === "nl" ? "Moestuin De Kolk" : "Reading club";
      await selfCheck(d, name, "Bovensmilde", lang);
      const code = await textOf(d, "#return-code-value");
      for (const id of ["r-pdf", "r-print", "r-initiative"])
        assert.equal((await d.findElements(By.id(id))).length, 0, `no ${id} for a resident`);
      assert.match(await textOf(d, "#r-print-where"), /Buurthuis-Kleur/);
      // The resident's own check: even its report is not saved through a dialog here.
      const checkId = cli(["list"], app.db).find((c) => c.initiative.name === name).id;
      assert.deepEqual(await dialogsRefused(d, checkId), [
        "kiosk_locked",
        "kiosk_locked",
        "kiosk_locked",
      ]);
      await scrollToActions(d);
      await screenshot(d, `kiosk-result-printer-${lang}-${size[0]}`);
      const job = lang === "nl" ? 1 : 2;
      await d.findElement(By.id("r-print-report")).click();
      await d.wait(
        async () => /Buurthuis-Kleur/.test(await textOf(d, "#r-printed").catch(() => "")),
        10000,
      );
      assert.match(
        await textOf(d, "#r-printed"),
        lang === "nl" ? /wordt afgedrukt. Haal het op bij de printer/ : /being printed. Collect it/,
      );
      const args = readFileSync(join(spool, `lp-args-${job}`), "utf8")
        .trim()
        .split("\n");
      assert.deepEqual(args.slice(0, 2), ["-d", "Buurthuis-Kleur"]);
      assert.equal(readFileSync(join(spool, `mode-${job}`), "utf8").trim(), "600");
      assert.equal(existsSync(args.at(-1)), false, "the temporary PDF is removed");
      // The PDF that reached the printer is this resident's report, in their language.
      const text = execFileSync("pdftotext", [join(spool, `job-${job}.pdf`), "-"]).toString();
      assert.ok(text.includes(name), text.slice(0, 300));
      assert.ok(text.includes(code), "the return code is on the report");
      assert.deepEqual(await axeViolations(d), []);
      await scrollToActions(d);
      await screenshot(d, `kiosk-result-printed-${lang}-${size[0]}`);

      // The printer taken away meanwhile: said in the resident's words, in their language.
      writeFileSync(join(spool, "printers"), "Kantoor\n");
      await d.findElement(By.id("r-print-report")).click();
      await waitFor(d, "#r-print-error");
      assert.match(
        await textOf(d, "#r-print-error"),
        lang === "nl"
          ? /De printer Buurthuis-Kleur is niet te vinden. Vraag de coördinator om hulp/
          : /The printer Buurthuis-Kleur cannot be found. Ask the coordinator for help/,
      );
      assert.equal(await d.findElement(By.id("r-printed")).isDisplayed(), false);
      assert.deepEqual(await axeViolations(d), []);
      await scrollToActions(d);
      await screenshot(d, `kiosk-result-printer-gone-${lang}`);
      writeFileSync(join(spool, "printers"), "Buurthuis-Kleur Kantoor\n");
      await d.findElement(By.id("kiosk-done")).click();
      await d.wait(async () => (await d.executeScript("return location.hash")) === "#kaart", 15000);
    });
  }

  it("lets the coordinator choose the printer among those CUPS knows (nl and en)", async () => {
    const d = app.driver;
    // At 1280×800; the unlocked kiosk's header at 1024×700 is layout.test.mjs's.
    await setWindow(d, 1280, 800);
    await d.findElement(By.css('.lang-switch button[data-lang="nl"]')).click();
    await d.findElement(By.id("coordinator")).click();
    await waitFor(d, "#unlock-form");
    await d.findElement(By.id("unlock-pin")).sendKeys("2468", Key.ENTER);
    await waitFor(d, "#set-printer");
    const options = await d.executeScript(
      `return [...document.querySelectorAll("#set-printer option")].map((o) => [o.value, o.textContent.trim(), o.selected])`,
    );
    assert.deepEqual(options, [
      ["", "Geen printer: bewoners kunnen niet afdrukken", false],
      ["Buurthuis-Kleur", "Buurthuis-Kleur", true],
      ["Kantoor", "Kantoor", false],
    ]);
    assert.deepEqual(await axeViolations(d), []);
    await scrollToActions(d, "set-printer");
    await screenshot(d, "kiosk-settings-printer-nl");
    const select = await d.findElement(By.id("set-printer"));
    await d.executeScript("arguments[0].focus()", select);
    await select.sendKeys(Key.ARROW_DOWN); // Kantoor
    await d.findElement(By.id("settings-save")).click();
    await d.wait(async () => cli(["settings"], app.db).printer === "Kantoor", 15000);
    await d.findElement(By.css('.lang-switch button[data-lang="en"]')).click();
    await d.wait(
      async () => /Printer for a resident/.test(await textOf(d, 'label[for="set-printer"]')),
      5000,
    );
    await scrollToActions(d, "set-printer");
    await screenshot(d, "kiosk-settings-printer-en");
    // No printer: the resident's result then offers no printing at all.
    await d.executeScript(
      `const s = document.getElementById("set-printer"); s.value = ""; s.dispatchEvent(new Event("input", { bubbles: true }))`,
    );
    await d.findElement(By.id("settings-save")).click();
    await d.wait(async () => cli(["settings"], app.db).printer === null, 15000);
    await d.findElement(By.css('.lang-switch button[data-lang="nl"]')).click();
    await d.findElement(By.id("lock-again")).click();
    await d.wait(
      async () => (await d.executeScript("return document.body.dataset.locked")) === "1",
      5000,
    );
  });
});

describe("switching kiosk mode on in the settings", () => {
  let app;
  before(async () => {
    app = await launchApp();
  });
  after(async () => {
    await app?.quit();
  });

  it("ends on the start screen, locked, with nothing of the settings on display", async () => {
    const d = app.driver;
    await d.findElement(By.css('a[data-view="settings"]')).click();
    await waitFor(d, "#settings-form");
    await d.findElement(By.id("set-kiosk")).click();
    await d.findElement(By.id("set-pin")).sendKeys("2468");
    await d.findElement(By.id("settings-save")).click();
    await d.wait(
      async () => (await d.executeScript("return document.body.dataset.locked")) === "1",
      5000,
    );
    assert.equal(await d.executeScript("return location.hash"), "#kaart");
    assert.equal(await d.findElement(By.id("view-map")).isDisplayed(), true);
    const left = await d.executeScript(`return {
      settings: document.querySelectorAll("#sync-form, #settings-form, #backups-table, #backup-now").length,
      viewHidden: document.getElementById("view-settings").hidden,
    }`);
    assert.deepEqual(left, { settings: 0, viewHidden: true });
    assert.equal(await d.findElement(By.css('a[data-view="settings"]')).isDisplayed(), false);
    assert.equal(await d.findElement(By.id("kiosk-done")).isDisplayed(), true);
    assert.equal(cli(["settings"], app.db).kiosk, true);
    await screenshot(d, "kiosk-switched-on-nl");
  });
});

describe("a kiosk visit leaves no trace", () => {
  let app;
  before(async () => {
    const dir = tempDir("kiosk-trace");
    const db = join(dir, "wijkkompas.db");
    execFileSync(bin, ["settings", "--kiosk", "on", "--new-pin", "--timeout", "1"], {
      env: { ...process.env, WIJKKOMPAS_DB: db, WIJKKOMPAS_NEW_PIN: "2468" },
    });
    app = await launchApp({ db });
  });
  after(async () => {
    await app?.quit();
  });

  /** A visitor looks around: a case card open, the filters and search filled in, the list and
   * map moved, the self-check begun. */
  async function lookAround(d) {
    await d.findElement(By.css('a[data-view="map"]')).click();
    await waitFor(d, "#case-list .case-item");
    await d.findElement(By.id("filter-text")).sendKeys("a");
    await d.findElement(By.css("#filter-strategies input[value='bonding']")).click();
    await clickInView(d, "#case-list .case-item");
    await waitFor(d, "#case-card-title");
    await d.executeScript(
      `document.getElementById("case-list").scrollTop = 200; window.scrollTo(0, 50)`,
    );
    await d.findElement(By.css('a[data-view="check"]')).click();
    await waitFor(d, "#initiative-form");
    await d.findElement(By.id("ini-name")).sendKeys("Van de vorige bezoeker");
  }

  async function assertNoTrace(d, lengthBefore) {
    await d.wait(async () => (await d.executeScript("return location.hash")) === "#kaart", 15000);
    const state = await d.executeScript(`return {
      card: document.getElementById("case-card").hidden,
      filterText: document.getElementById("filter-text").value,
      checked: [...document.querySelectorAll("#case-filters input:checked")].length,
      listTop: document.getElementById("case-list").scrollTop,
      pageTop: window.scrollY,
      current: document.querySelectorAll("#case-list [aria-current]").length,
      history: history.length,
    }`);
    assert.deepEqual(state, {
      card: true,
      filterText: "",
      checked: 0,
      listTop: 0,
      pageTop: 0,
      current: 0,
      history: lengthBefore,
    });
    // Back reveals nothing of the visit: the history holds no step of it.
    await d.navigate().back();
    assert.equal(await d.executeScript("return location.hash"), "#kaart");
    assert.equal(await d.findElement(By.id("case-card")).isDisplayed(), false);
    await d.findElement(By.css('a[data-view="check"]')).click();
    await waitFor(d, "#initiative-form");
    assert.equal(await d.findElement(By.id("ini-name")).getAttribute("value"), "");
    await d.findElement(By.css('a[data-view="map"]')).click();
  }

  it("after Klaar: no open card, empty filters and fields, lists at the top, no history", async () => {
    const d = app.driver;
    const lengthBefore = await d.executeScript("return history.length");
    await lookAround(d);
    assert.equal(await d.executeScript("return history.length"), lengthBefore, "no step added");
    await d.findElement(By.id("kiosk-done")).click();
    await assertNoTrace(d, lengthBefore);
    await screenshot(d, "kiosk-after-done-nl");
  });

  it("after the idle timeout: the same", async () => {
    const d = app.driver;
    const lengthBefore = await d.executeScript("return history.length");
    await lookAround(d);
    const dialog = await d.findElement(By.id("timeout-dialog"));
    await d.wait(async () => (await dialog.getAttribute("open")) !== null, 45000);
    await d.wait(async () => (await d.executeScript("return location.hash")) === "#kaart", 45000);
    assert.equal(await dialog.getAttribute("open"), null);
    await assertNoTrace(d, lengthBefore);
  });
});
