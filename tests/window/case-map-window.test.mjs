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
  colourCounts,
  grab,
  mapAreaState,
  savePng,
  startApp,
  startX,
  waitForScreen,
  windowGeometry,
} from "./real-window.mjs";

// `make package` points WINDOW_APP_BIN at the app unpacked from the .deb: the same check, on what
// an administrator installs.
const builds = process.env.WINDOW_APP_BIN
  ? [["packaged", process.env.WINDOW_APP_BIN]]
  : [
      ["debug", join(ROOT, "target/debug/wijkkompas-app")],
      ["release", join(ROOT, "target/release/wijkkompas-app")],
    ].filter(([, bin]) => existsSync(bin));

// The window's minimum (a 1024×700 screen), its default size, a full-HD screen, and the common
// laptop screen that is shorter than the default window. On a screen smaller than 1280×800 the
// shell opens the window at the screen's size (src-tauri/src/window_size.rs); there is no window
// manager under Xvfb, so the window sits at the screen's corner.
const SCREENS = ["1024x700x24", "1280x800x24", "1366x768x24", "1920x1080x24"];
const DEFAULT_WINDOW = { width: 1280, height: 800 };

/** The window's size on a screen like "1024x700x24": the default, or the screen where smaller. */
function windowOn(screen) {
  const [width, height] = screen.split("x").map(Number);
  return {
    width: Math.min(width, DEFAULT_WINDOW.width),
    height: Math.min(height, DEFAULT_WINDOW.height),
  };
}

/** The case map's map area in a window of that size: right of the list (370 px, 320 px below
 * 1180 px, ui/src/styles.css) and below the 56 px header, above the legend. */
function mapArea({ width, height }) {
  const x = (width < 1180 ? 320 : 370) + 80;
  return { x, y: 90, width: width - 50 - x, height: height - 260 };
}

/** The header drawn: a band of the theme's dark colour across the window's width, with white
 * words and controls in it, also at its right end (the language switch: nothing off-screen). */
function headerState(display, { width }) {
  const band = colourCounts(grab(display, { x: 0, y: 0, width, height: 56 }));
  const end = colourCounts(grab(display, { x: width - 240, y: 0, width: 240, height: 56 }));
  const [colour, count] = [...band].sort((a, b) => b[1] - a[1])[0];
  return {
    colour,
    share: count / (width * 56),
    white: band.get("#ffffff") ?? 0,
    whiteAtEnd: end.get("#ffffff") ?? 0,
  };
}
/** Dark enough for white words (4.5:1, WCAG's relative luminance). */
function dark(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05) >= 4.5;
}
const headerDrawn = (h) => dark(h.colour) && h.share > 0.5 && h.white > 200 && h.whiteAtEnd > 50;

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
          const size = windowOn(screen);
          const state = await waitForScreen(() => mapAreaState(x.display, mapArea(size)), drawn);
          const name = `window-case-map-${build}-${screen}${busy ? "-busy" : ""}`;
          const header = headerState(x.display, size);
          const geometry = windowGeometry(x.display, "Wijkkompas");
          if (!drawn(state) || !headerDrawn(header) || screen === "1024x700x24")
            savePng(x.display, name);
          assert.ok(
            drawn(state),
            `the map area shows ${state.colours} colours and lacks ${state.missing.join(", ")} (picture: test-results/${name}.png)`,
          );
          assert.ok(
            headerDrawn(header),
            `the header is not drawn across the window: ${JSON.stringify(header)} (picture: test-results/${name}.png)`,
          );
          assert.deepEqual(
            geometry,
            { ...size, x: 0, y: 0 },
            `the window on a ${screen} screen (picture: test-results/${name}.png)`,
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
