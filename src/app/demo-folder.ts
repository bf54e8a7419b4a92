// The demo's own folder (npm run demo: DRP_DATA_DIR=data/demo/pglite): marked
// as the demo's, so that `--reset` clears that folder and nothing else.
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { embeddedDataDir } from "./embedded-lock.ts";
import { privateFolder } from "./private-files.ts";

const MARK = ".drp-demo";

export class DemoResetRefused extends Error {
  override name = "DemoResetRefused";
}

/** The folder holding the embedded database (and the private Redis) of this process. */
function dataRoot(): string {
  return dirname(embeddedDataDir());
}

/** Marks the embedded data folder as the demo's. */
export function markDemoFolder(): void {
  if (process.env.DATABASE_URL) return;
  privateFolder(dataRoot());
  writeFileSync(join(dataRoot(), MARK), "made by drp demo: `npm run demo -- --reset` may clear this folder\n", { mode: 0o600 });
}

/** Clears the demo's folder and its outbox folder, refusing any folder the demo did not make. */
export function resetDemoFolder(): string[] {
  if (process.env.DATABASE_URL)
    throw new DemoResetRefused("--reset clears the demo's own embedded database; with DATABASE_URL, start from an empty database instead");
  const root = dataRoot();
  const cleared: string[] = [];
  if (existsSync(root) && readdirSync(root).length) {
    if (!existsSync(join(root, MARK)))
      throw new DemoResetRefused(`${root} is not the demo's folder (it has no ${MARK}): --reset clears only the folder npm run demo made`);
    rmSync(root, { recursive: true, force: true });
    cleared.push(root);
    const outbox = process.env.DRP_OUTBOX_DIR && resolve(process.env.DRP_OUTBOX_DIR);
    if (outbox && existsSync(outbox)) {
      rmSync(outbox, { recursive: true, force: true });
      cleared.push(outbox);
    }
  }
  return cleared;
}
