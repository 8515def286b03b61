// The app's own security: the page reaches only the app's commands (no dialog, file-system or
// shell APIs), cannot evaluate code, and cannot reach the network.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { launchApp } from "./harness.mjs";

describe("security of the app itself", () => {
  let app;
  before(async () => {
    app = await launchApp();
  });
  after(async () => {
    await app?.quit();
  });

  it("refuses plugin, file-system and shell calls from the page", async () => {
    const results = await app.driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      const call = (cmd, args) => window.__TAURI__.core.invoke(cmd, args).then(() => "ALLOWED " + cmd, (e) => "refused: " + e);
      Promise.all([
        call("plugin:dialog|open", { options: {} }),
        call("plugin:dialog|save", { options: {} }),
        call("plugin:fs|read_text_file", { path: "/etc/passwd" }),
        call("plugin:shell|execute", { program: "sh", args: ["-c", "id"] }),
        call("not_a_command"),
      ]).then(done);`);
    for (const r of results) assert.match(r, /^refused/, r);
    const about = await app.driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      window.__TAURI__.core.invoke("about").then(done, (e) => done(String(e)));`);
    assert.match(
      about?.lessons_source?.nl ?? String(about),
      /Movisie/,
      "the app's own commands still work",
    );
  });

  it("cannot evaluate strings as code or reach the network", async () => {
    const r = await app.driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      let evaluated;
      try { evaluated = window.eval("1 + 1") === 2 ? "eval ran" : "?"; } catch (e) { evaluated = "blocked"; }
      fetch("https://example.org/").then(() => done([evaluated, "fetched"]), () => done([evaluated, "blocked"]));`);
    assert.deepEqual(r, ["blocked", "blocked"]);
  });
});
