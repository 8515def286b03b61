// Issue 13 §3: Dutch on every Dutch screen and English on every English one. The test walks the
// screens in both languages (the cards of all 29 cases, the self-check with its problems, a
// result, the municipality view with a rejected import, settings, About, the kiosk's code and PIN
// screens) and fails on words of the other language that leaked before: English place
// descriptions and roles, the core's English errors, the system's file button.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { execFileSync } from "node:child_process";
import { Key } from "selenium-webdriver";
import {
  ROOT,
  cli,
  clickFresh,
  clickInView,
  launchApp,
  screenshot,
  typeFresh,
  waitFor,
} from "./harness.mjs";
import { tempDir } from "../temp.mjs";

const LEAKS = {
  // English that reached Dutch screens before.
  nl: /\b(village of|unknown|probable|national|resident|policy maker|Choose File|no file selected|cannot|nothing was|is not|rejected|Lessons it illustrates|the file|bundle)\b/i,
  // Dutch that could reach English screens.
  en: /\b(dorp|onbekend|waarschijnlijk|landelijk|bewoners|niet|geen|kiezen|bestand|versie|Lessen die|bundel)\b/i,
};

/** The visible text of an element without its list of source addresses (addresses are not words). */
const visibleText = (d, css) =>
  d.executeScript(
    `const e = document.querySelector(arguments[0]); if (!e) return "";
     const c = e.cloneNode(true); c.querySelectorAll(".sources, .source-url").forEach((s) => s.remove());
     return c.innerText;`,
    css,
  );

function noLeak(lang, where, text) {
  const m = text.match(LEAKS[lang]);
  assert.equal(
    m,
    null,
    `${where} (${lang}) shows "${m?.[0]}": ${text.slice(Math.max(0, (m?.index ?? 0) - 60), (m?.index ?? 0) + 60)}`,
  );
}

describe("every screen in one language", () => {
  let app;
  let bad;
  let check;
  before(async () => {
    const dir = tempDir("lang");
    bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ format: "wijkkompas-bundle", version: 9 }));
    // A stored self-check, so that its result screen can be walked too.
    const db = join(dir, "wijkkompas.db");
    const statements = cli(["lessons"], db).flatMap((l) => l.statements.map((s) => s.id));
    const input = join(dir, "check.json");
    writeFileSync(
      input,
      JSON.stringify({
        initiative: { name: "Buurtkamer", lat: 52.979, lon: 6.483, role: "resident" },
        answers: Object.fromEntries(statements.map((id, i) => [id, (i % 5) + 1])),
      }),
    );
    check = cli(["check", "--input", input], db);
    app = await launchApp({ db });
  });
  after(async () => app?.quit());

  for (const lang of ["nl", "en"]) {
    it(`shows the case cards, the self-check, the municipality, settings and About in ${lang} only`, async () => {
      const d = app.driver;
      await clickFresh(d, `.lang-switch button[data-lang="${lang}"]`);
      await clickFresh(d, 'a[data-view="map"]');
      await waitFor(d, "#case-list");
      const ids = await d.executeScript(
        `return [...document.querySelectorAll("#case-list button.case-item")].map((b) => b.dataset.caseId)`,
      );
      assert.equal(ids.length, 29);
      for (const id of ids) {
        // Brought into view first: on a low screen the whole case panel scrolls, not only its list.
        await clickInView(d, `#case-list button.case-item[data-case-id="${id}"]`);
        await d.wait(
          async () =>
            await d.executeScript(
              `const c = document.getElementById("case-card"); return !c.hidden && c.innerText.length > 0`,
            ),
          5000,
        );
        noLeak(lang, `case card ${id}`, await visibleText(d, "#case-card"));
        noLeak(lang, "case list", await visibleText(d, "#case-list"));
      }
      await screenshot(d, `language-case-card-${lang}`);

      await clickFresh(d, 'a[data-view="check"]');
      await waitFor(d, "#initiative-form");
      await clickFresh(d, "#to-questions");
      await waitFor(d, "#problems");
      noLeak(lang, "self-check with problems", await visibleText(d, "#view-check"));

      await clickFresh(d, 'a[data-view="municipality"]');
      await waitFor(d, "#municipality-select");
      await d.executeScript(
        `const s = document.getElementById("municipality-select"); s.value = "GM0344"; s.dispatchEvent(new Event("change"));`,
      );
      await waitFor(d, "#no-initiatives");
      noLeak(lang, "municipality before an import", await visibleText(d, "#view-municipality"));
      await typeFresh(d, "#import-file", bad);
      await d.wait(async () => /\d/.test(await visibleText(d, "#municipality-message")), 10000);
      const message = await visibleText(d, "#municipality-message");
      assert.match(message, lang === "nl" ? /versie 9/ : /version 9/);
      noLeak(
        lang,
        "municipality with a rejected import",
        await visibleText(d, "#view-municipality"),
      );
      await screenshot(d, `language-municipality-${lang}`);

      await clickFresh(d, 'a[data-view="initiatives"]');
      await clickFresh(d, `[data-initiative="${check.initiative_id}"]`);
      await clickFresh(d, `[data-check="${check.id}"]`);
      await waitFor(d, "#result");
      noLeak(lang, "a stored result", await visibleText(d, "#view-initiatives"));
      await screenshot(d, `language-result-${lang}`);

      await clickFresh(d, 'a[data-view="settings"]');
      await waitFor(d, "#view-settings form, #view-settings h1");
      noLeak(lang, "settings", await visibleText(d, "#view-settings"));

      await clickFresh(d, "#about-open");
      await waitFor(d, "#about-body p");
      noLeak(lang, "About", await visibleText(d, "#about-body"));
      await d.executeScript(`document.getElementById("about-dialog").close()`);
    });
  }
});

describe("the kiosk in one language", () => {
  let app;
  before(async () => {
    const db = join(tempDir("lang-kiosk"), "wijkkompas.db");
    execFileSync(
      join(ROOT, "target/debug/wijkkompas"),
      ["settings", "--kiosk", "on", "--new-pin"],
      { env: { ...process.env, WIJKKOMPAS_DB: db, WIJKKOMPAS_NEW_PIN: "2468" } },
    );
    app = await launchApp({ db });
  });
  after(async () => app?.quit());

  for (const lang of ["nl", "en"]) {
    it(`words a wrong return code and a wrong PIN in ${lang} only`, async () => {
      const d = app.driver;
      await clickFresh(d, `.lang-switch button[data-lang="${lang}"]`);
      await d.executeScript(`location.hash = "#zelfcheck"`);
      await waitFor(d, "#return-code");
      await typeFresh(d, "#return-code", "WRONG-CODE");
      await clickFresh(d, "#use-code");
      await d.wait(async () => (await visibleText(d, "#code-error")).length > 0, 5000);
      noLeak(lang, "kiosk self-check with a wrong code", await visibleText(d, "#view-check"));
      await d.executeScript(`location.hash = "#instellingen"`);
      await waitFor(d, "#unlock-form");
      await typeFresh(d, "#unlock-pin", "0000", Key.ENTER);
      await d.wait(async () => (await visibleText(d, "#unlock-error")).length > 0, 5000);
      noLeak(lang, "kiosk lock with a wrong PIN", await visibleText(d, "#view-settings"));
      await screenshot(d, `language-kiosk-lock-${lang}`);
    });
  }
});
