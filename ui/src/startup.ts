// The first screen's data comes inside the page: the shell writes it into index.html as the
// webview loads it (src-tauri/src/first_screen.rs), anew on every load, so the map can be drawn
// as soon as the code runs, without waiting for an IPC round trip.
import type { Startup } from "./bindings/Startup";

/** Must match `BLOCK_ID` in src-tauri/src/first_screen.rs. */
export const STARTUP_BLOCK_ID = "wk-startup";

/** Reads the data once and takes it out of the page (nothing of it stays in the DOM). */
export function readStartup(doc: Document = document): Startup {
  const block = doc.getElementById(STARTUP_BLOCK_ID);
  if (!block?.textContent)
    throw new Error(
      "Wijkkompas must run inside its desktop app (the page came without its start-up data)",
    );
  block.remove();
  return JSON.parse(block.textContent) as Startup;
}
