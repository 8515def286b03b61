// Syncing with a shared PostgreSQL/PostGIS database from the coordinator's settings, in the real
// app, against the server that `make test` starts (tests/pg/with-postgres.sh): the address is
// remembered, the password is not; what another machine sent arrives here.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { By } from "selenium-webdriver";
import { axeViolations, cli, launchApp, ROOT, screenshot, textOf, waitFor } from "./harness.mjs";
import { tempDir } from "../temp.mjs";

const server = process.env.WIJKKOMPAS_TEST_PG;
const bin = join(ROOT, "target/debug/wijkkompas");

/** A database of its own on the test server, made from its `wijkkompas` template; returns
 * psql's URL for it and the owner account's address without its password. */
function sharedDatabase() {
  const name = `e2e_${process.pid}_${Date.now()}`;
  const on = (url, db) => {
    const u = new URL(url);
    u.pathname = `/${db}`;
    return u.toString();
  };
  execFileSync("psql", [
    "-X",
    "-q",
    on(server, "postgres"),
    "-c",
    `CREATE DATABASE ${name} TEMPLATE wijkkompas`,
  ]);
  execFileSync("psql", [
    "-X",
    "-q",
    on(server, name),
    "-c",
    `GRANT CREATE ON DATABASE ${name} TO wijkkompas_owner`,
  ]);
  const owner = new URL(on(process.env.WIJKKOMPAS_TEST_PG_OWNER, name));
  const password = decodeURIComponent(owner.password);
  owner.password = "";
  return { admin: on(server, name), address: owner.toString(), password };
}

const psql = (url, sql) =>
  execFileSync("psql", ["-X", "-q", "-t", "-A", url, "-c", sql]).toString().trim();

/** A check made with the CLI on a database of the machine's own. */
function checkOn(db, name, lat) {
  const statements = cli(["lessons"], db).flatMap((l) => l.statements.map((s) => s.id));
  const input = join(tempDir("sync"), "c.json");
  writeFileSync(
    input,
    JSON.stringify({
      initiative: { name, lat, lon: 5.12, role: "resident" },
      answers: Object.fromEntries(statements.map((id, i) => [id, (i % 5) + 1])),
    }),
  );
  return cli(["check", "--input", input], db);
}

describe("sync with a shared database", () => {
  let app;
  let shared;
  before(async () => {
    assert.ok(
      server,
      "the sync test needs the PostgreSQL server that `make test` starts (tests/pg/with-postgres.sh)",
    );
    shared = sharedDatabase();
    const db = join(tempDir("e2e"), "wijkkompas.db");
    execFileSync(bin, ["settings", "--name", "Buurthuis De Kolk"], {
      env: { ...process.env, WIJKKOMPAS_DB: db },
    });
    checkOn(db, "Taalcafé De Kolk", 52.09);
    app = await launchApp({ db });
  });
  after(async () => {
    await app?.quit();
  });

  const message = (d) => textOf(d, "#sync-status").catch(() => "");

  it("refuses an address with a password in it, then syncs both ways and remembers only the address", async () => {
    const d = app.driver;
    await d.executeScript(`location.hash = "#instellingen"`);
    await waitFor(d, "#sync-form");
    // A password in the address is refused before anything is stored or sent.
    const withPassword = new URL(shared.address);
    withPassword.password = "geheim";
    await d.findElement(By.id("sync-url")).sendKeys(withPassword.toString());
    await d.findElement(By.id("sync-now")).click();
    await d.wait(
      async () => !(await d.findElement(By.id("sync-error")).getAttribute("hidden")),
      10000,
    );
    assert.match(await textOf(d, "#sync-error"), /bevat een wachtwoord/);
    assert.equal(
      psql(
        shared.admin,
        "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'wijkkompas'",
      ),
      "0",
    );
    assert.equal(cli(["settings"], app.db).sync_url, "");

    await d.findElement(By.id("sync-url")).clear();
    await d.findElement(By.id("sync-url")).sendKeys(shared.address);
    await d.findElement(By.id("sync-password")).sendKeys(shared.password);
    await d.findElement(By.id("sync-now")).click();
    await d
      .wait(async () => /^Gesynchroniseerd/.test(await message(d)), 30000)
      .catch(async (e) => {
        await screenshot(d, "settings-sync-failed");
        throw new Error(
          `${e.message}; message: ${await message(d)}; error: ${await textOf(d, "#sync-error").catch(() => "")}`,
        );
      });
    assert.match(await message(d), /Verstuurd: 2 nieuw, 0 stonden er al/);
    assert.equal(
      psql(shared.admin, "SELECT name FROM wijkkompas.latest_checks"),
      "Taalcafé De Kolk",
    );
    // The address is kept, the password nowhere: not in the field, not in the database file.
    assert.equal(cli(["settings"], app.db).sync_url, shared.address);
    assert.equal(await d.findElement(By.id("sync-password")).getAttribute("value"), "");
    for (const file of [app.db, `${app.db}-wal`].filter((f) => existsSync(f))) {
      assert.ok(!readFileSync(file).includes(shared.password), `no password in ${file}`);
    }
    await d.executeScript(
      `const h = document.getElementById("sync-heading"); const page = h.closest(".page-view"); if (page) page.scrollTop += h.getBoundingClientRect().top - page.getBoundingClientRect().top - 8;`,
    );
    await d.executeAsyncScript(
      "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()))",
    );
    await screenshot(d, "settings-sync-nl");
    assert.deepEqual(await axeViolations(d), []);

    // Another community centre syncs; this machine receives its initiative.
    const other = join(tempDir("e2e"), "linde.db");
    execFileSync(bin, ["settings", "--name", "Wijkcentrum De Linde"], {
      env: { ...process.env, WIJKKOMPAS_DB: other },
    });
    checkOn(other, "Moestuin De Linde", 52.1);
    execFileSync(bin, ["sync", "--postgres", shared.address], {
      env: { ...process.env, WIJKKOMPAS_DB: other, PGPASSWORD: shared.password },
    });
    await d.findElement(By.id("sync-password")).sendKeys(shared.password);
    await d.findElement(By.id("sync-now")).click();
    await d.wait(async () => /Ontvangen: 2 nieuw/.test(await message(d)), 30000);
    const names = cli(["list"], app.db)
      .map((c) => c.initiative.name)
      .sort();
    assert.deepEqual(names, ["Moestuin De Linde", "Taalcafé De Kolk"]);
  });

  it("lists a server row it cannot take in, with what is wrong, until it is corrected there", async () => {
    const d = app.driver;
    const third = join(tempDir("e2e"), "oost.db");
    checkOn(third, "Buurtkamer Oost", 52.11);
    execFileSync(bin, ["sync", "--postgres", shared.address], {
      env: { ...process.env, WIJKKOMPAS_DB: third, PGPASSWORD: shared.password },
    });
    // Someone edits the row on the server: a character that turns the reading direction.
    const renumber = (name) =>
      psql(
        shared.admin,
        `UPDATE wijkkompas.initiatives SET record = jsonb_set(record, '{name}', to_jsonb('${name}'::text)),
           seq = nextval('wijkkompas.record_seq') WHERE name = 'Buurtkamer Oost'`,
      );
    renumber("Buurtkamer Oost" + "\u202e");
    await d.findElement(By.id("sync-password")).sendKeys(shared.password);
    await d.findElement(By.id("sync-now")).click();
    await waitFor(d, "#sync-skipped-rows li");
    const listed = await textOf(d, "#sync-skipped");
    assert.match(listed, /Niet overgenomen van de server/);
    assert.match(listed, /tabel initiatives, [0-9a-f-]{36} \(nummer \d+\): .*leesrichting/);
    assert.equal(cli(["list"], app.db).length, 2, "the rest came in; the bad row did not");
    await screenshot(d, "settings-sync-skipped-nl");
    assert.deepEqual(await axeViolations(d), []);

    renumber("Buurtkamer Oost");
    await d.findElement(By.id("sync-password")).sendKeys(shared.password);
    await d.findElement(By.id("sync-now")).click();
    await d.wait(
      async () => (await d.findElement(By.id("sync-skipped")).getAttribute("hidden")) !== null,
      30000,
    );
    await d
      .wait(async () => /^Gesynchroniseerd/.test(await message(d)), 30000)
      .catch(async (e) => {
        throw new Error(
          `${e.message}; message: ${await message(d)}; error: ${await textOf(d, "#sync-error").catch(() => "")}; skipped: ${await textOf(d, "#sync-skipped").catch(() => "")}`,
        );
      });
    assert.equal(cli(["list"], app.db).length, 3, "taken in once corrected");
  });
});
