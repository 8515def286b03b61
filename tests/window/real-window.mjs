// The app as a person starts it: no WebDriver, no automation flag, its own X server, and a picture
// of the real X window (what the screen shows, not what WebKit renders for a driver).
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempDir } from "../temp.mjs";

export const ROOT = resolve(import.meta.dirname, "../..");
export const RESULTS = join(ROOT, "test-results");

/** Starts Xvfb on a free display; returns { display, stop }. */
export async function startX(screen = "1280x800x24") {
  const proc = spawn("Xvfb", ["-displayfd", "1", "-screen", "0", screen, "-nolisten", "tcp"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const display = await new Promise((ok, fail) => {
    let out = "";
    proc.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) ok(`:${out.trim()}`);
    });
    proc.on("exit", (code) => fail(new Error(`Xvfb exited (${code}) before it had a display`)));
  });
  return {
    display,
    stop: () =>
      new Promise((done) => {
        if (proc.exitCode !== null) return done();
        proc.once("exit", () => done());
        proc.kill();
      }),
  };
}

/** Keeps every core busy (as a slower PC, or a machine doing other work) until stopped. */
export function busyCores(n = 2) {
  const loops = Array.from({ length: n }, () =>
    spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }),
  );
  return () => loops.forEach((p) => p.kill());
}

/** Starts the app binary on a fresh database; resolves once the app says its map is interactive. */
export async function startApp(bin, display) {
  const dir = tempDir("window");
  // The user's environment, minus what the end-to-end harness sets: the app must work as started.
  const env = { ...process.env, DISPLAY: display, WIJKKOMPAS_DB: join(dir, "wijkkompas.db") };
  delete env.TAURI_WEBVIEW_AUTOMATION;
  delete env.WEBKIT_DISABLE_DMABUF_RENDERER;
  const proc = spawn(bin, [], { env, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  await new Promise((ok, fail) => {
    proc.stderr.on("data", (d) => {
      log += d;
      if (log.includes("wijkkompas-measure: interactive")) ok();
    });
    proc.on("exit", (code) =>
      fail(new Error(`the app exited (${code}) before its map was interactive:\n${log}`)),
    );
  });
  return {
    log: () => log,
    stop: () =>
      new Promise((done) => {
        if (proc.exitCode !== null) return done();
        proc.once("exit", () => done());
        proc.kill();
      }),
  };
}

/** The screen's pixels in a rectangle, as raw RGB (ImageMagick's `import` of the root window). */
export function grab(display, { x, y, width, height }) {
  return execFileSync(
    "import",
    [
      "-display",
      display,
      "-window",
      "root",
      "-crop",
      `${width}x${height}+${x}+${y}`,
      "-depth",
      "8",
      "rgb:-",
    ],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
}

export function savePng(display, name) {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    join(RESULTS, `${name}.png`),
    execFileSync("import", ["-display", display, "-window", "root", "png:-"], {
      maxBuffer: 64 * 1024 * 1024,
    }),
  );
}

/** Where the visible X window titled `title` is and how large, from xdotool. */
export function windowGeometry(display, title) {
  const out = execFileSync(
    "xdotool",
    ["search", "--onlyvisible", "--name", `^${title}$`, "getwindowgeometry", "--shell"],
    { env: { ...process.env, DISPLAY: display } },
  ).toString();
  const value = (key) => Number(new RegExp(`^${key}=(-?\\d+)$`, "m").exec(out)?.[1]);
  return { width: value("WIDTH"), height: value("HEIGHT"), x: value("X"), y: value("Y") };
}

/** How many pixels of each colour (as "#rrggbb") the raw RGB holds. */
export function colourCounts(rgb) {
  const counts = new Map();
  for (let i = 0; i + 2 < rgb.length; i += 3) {
    const key =
      "#" + ((rgb[i] << 16) | (rgb[i + 1] << 8) | rgb[i + 2]).toString(16).padStart(6, "0");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The colours that show the case map is really drawn: water and land of the basemap, and the
 * fills of the bonding and bridging markers (ui/src/map.ts, ui/src/styles.css). */
export const MAP_COLOURS = {
  water: "#dbe8f1",
  land: "#f3f1ea",
  bonding: "#01689b",
  bridging: "#b34700",
};

/** What the map area shows: which of the map's colours are there, and how many colours in all. */
export function mapAreaState(display, area) {
  const counts = colourCounts(grab(display, area));
  const missing = Object.entries(MAP_COLOURS)
    .filter(([, hex]) => (counts.get(hex) ?? 0) < 20)
    .map(([name]) => name);
  return { colours: counts.size, missing };
}

/** Polls the screen until `ready(state)` holds; returns the last state either way. Waits for what
 * the screen shows, with a deadline only to end a test that would otherwise never end. */
export async function waitForScreen(read, ready, deadlineMs = 30000) {
  const end = Date.now() + deadlineMs;
  let state = read();
  while (!ready(state) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 200));
    state = read();
  }
  return state;
}
