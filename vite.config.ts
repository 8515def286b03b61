import { defineConfig } from "vite";

// The UI is built into ui/dist, which the Tauri shell embeds (tauri.conf.json frontendDist).
export default defineConfig({
  root: "ui",
  base: "./",
  build: { outDir: "dist", emptyOutDir: true, target: "safari15", assetsInlineLimit: 0 },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
