// The case map as a person sees it when they start the app: basemap and markers in the real X
// window, on an idle machine and with every core busy, in the debug build and (where it was
// built) the release build. The end-to-end suite cannot see this: WebDriver starts the app with
// automation on, and its screenshots render the page rather than what the window shows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  ROOT,
  busyCores,
  mapAreaState,
  savePng,
  startApp,
  startX,
  waitForScreen,
} from "./real-window.mjs";

// `make package` points WINDOW_APP_BIN at the app unpacked from the .deb: the same check, on what
// an administrator installs.
const builds = process.env.WINDOW_APP_BIN
  ? [["packaged", process.env.WINDOW_APP_BIN]]
  : [
      ["debug", join(ROOT, "target/debug/wijkkompas-app")],
      ["release", join(ROOT, "target/release/wijkkompas-app")],
    ].filter(([, bin]) => existsSync(bin));

// The map area of the case map at the window's default size (1280×800, at the screen's corner):
// right of the list (370 px) and below the header (60 px), above the legend.
const MAP_AREA = { x: 450, y: 90, width: 780, height: 540 };
// A screen as tall as the window, and the common laptop screen that is shorter than it (the
// window is then cut off at the bottom; the map area above must still be drawn).
const SCREENS = ["1280x800x24", "1366x768x24"];

const drawn = (s) => s.missing.length === 0 && s.colours > 50;

for (const [build, bin] of builds) {
  for (const busy of [false, true]) {
    for (const screen of SCREENS) {
      test(`${build} build on ${screen}${busy ? " with every core busy" : ""}: the case map shows its basemap and markers`, async () => {
        const x = await startX(screen);
        const stopBusy = busy ? busyCores(2) : () => {};
        let app;
        try {
          app = await startApp(bin, x.display);
          const state = await waitForScreen(() => mapAreaState(x.display, MAP_AREA), drawn);
          const name = `window-case-map-${build}-${screen}${busy ? "-busy" : ""}`;
          if (!drawn(state)) savePng(x.display, name);
          assert.ok(
            drawn(state),
            `the map area shows ${state.colours} colours and lacks ${state.missing.join(", ")} (picture: test-results/${name}.png)`,
          );
        } finally {
          stopBusy();
          await app?.stop();
          await x.stop();
        }
      });
    }
  }
}

test("a build of the app exists to start", () => {
  assert.ok(builds.length > 0, "build the app first (make app)");
});
