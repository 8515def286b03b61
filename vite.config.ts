import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { defineConfig, type Plugin } from "vite";

const require = createRequire(import.meta.url);

/** The stylesheets whose `var(--…)` references decide which design tokens the app needs: our own
 * and every component stylesheet `main.ts` imports (so a component added there counts at once). */
const READERS = [
  "ui/src/styles.css",
  ...[
    ...readFileSync("ui/src/main.ts", "utf8").matchAll(
      /^import "(@utrecht\/[\w-]+\/dist\/index\.css)";/gm,
    ),
  ].map((m) => require.resolve(m[1])),
];

/**
 * The Voorbeeld theme defines about 2,800 design tokens (207 KB) for every NL Design System
 * component; the app reads a few hundred. Every element inherits all of them, so the build keeps
 * only the tokens that some stylesheet of ours reads, directly or through another token. A token
 * that is not kept is one nothing refers to: the rendering cannot change.
 */
function onlyUsedTokens(): Plugin {
  const refs = (css: string) => [...css.matchAll(/var\(\s*(--[\w-]+)/g)].map((m) => m[1]);
  return {
    name: "wijkkompas-only-used-tokens",
    transform(code, id) {
      if (!id.includes("voorbeeld-design-tokens/dist/theme.css")) return null;
      const declarations = new Map<string, string>();
      for (const m of code.matchAll(/^\s*(--[\w-]+)\s*:\s*([^;]*);/gm))
        declarations.set(m[1], m[2]);
      const wanted = new Set<string>();
      const todo = READERS.flatMap((file) => refs(readFileSync(file, "utf8")));
      while (todo.length) {
        const name = todo.pop()!;
        if (wanted.has(name) || !declarations.has(name)) continue;
        wanted.add(name);
        todo.push(...refs(declarations.get(name)!));
      }
      const body = [...declarations]
        .filter(([name]) => wanted.has(name))
        .map(([name, value]) => `  ${name}: ${value};`);
      return { code: `.voorbeeld-theme {\n${body.join("\n")}\n}\n`, map: null };
    },
  };
}

// The UI is built into ui/dist, which the Tauri shell embeds (tauri.conf.json frontendDist).
export default defineConfig({
  root: "ui",
  base: "./",
  plugins: [onlyUsedTokens()],
  build: { outDir: "dist", emptyOutDir: true, target: "safari15", assetsInlineLimit: 0 },
  test: { environment: "node", include: ["src/**/*.test.ts"], setupFiles: ["src/test-setup.ts"] },
});
