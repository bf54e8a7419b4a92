// npm run build: src/ bundled to dist/ by esbuild (tsup), one file per entry and
// shared chunks, so that what a command loads lazily stays a separate file.
import { defineConfig } from "tsup";

export default defineConfig({
  entry: { main: "src/main.ts", "cli/bin": "src/cli/bin.ts", prebuilt: "src/prebuilt.ts" },
  format: ["esm"],
  platform: "node",
  target: "node22",
  outDir: "dist",
  splitting: true,
  sourcemap: true,
  clean: true,
  // Dependencies stay in node_modules, but drizzle-orm: Node 22 and 24 read its
  // 179 kB package.json again for each of the ~400 files it loads (nodejs/node#58126),
  // 1 s and 170 MB at every start; bundled, it is read never.
  noExternal: ["drizzle-orm"],
  // MJML's output and an empty embedded database, kept beside the code (src/prebuilt.ts)
  onSuccess: "node --liftoff-only dist/prebuilt.js",
});
