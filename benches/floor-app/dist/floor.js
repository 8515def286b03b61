// Reports "interactive" after the first frame, as Wijkkompas does once its map is drawn.
requestAnimationFrame(() => window.__TAURI__.core.invoke("mark_interactive"));
