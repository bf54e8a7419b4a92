// The app's own folders (authorities, templates, drizzle, demo), found from
// the folder that holds its package.json: the same whether the code runs from
// src/ (tests, tsx) or from the bundled dist/, whose files sit at other depths.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function appRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return dir;
}

export const APP_ROOT = appRoot();

/** A path inside the app: appPath("templates", "pages"). */
export function appPath(...parts: string[]): string {
  return join(APP_ROOT, ...parts);
}
