// `npm run demo -- --reset` clears the demo's own folder, and refuses any other.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { markDemoFolder, resetDemoFolder } from "../../src/app/demo-folder.ts";

const saved = {
  DRP_DATA_DIR: process.env.DRP_DATA_DIR,
  DRP_OUTBOX_DIR: process.env.DRP_OUTBOX_DIR,
  DATABASE_URL: process.env.DATABASE_URL,
};
afterEach(() => {
  for (const [k, v] of Object.entries(saved))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
});

function folder() {
  const root = join(mkdtempSync(join(tmpdir(), "drp-demo-")), "demo");
  mkdirSync(join(root, "pglite"), { recursive: true });
  writeFileSync(join(root, "pglite", "PG_VERSION"), "17");
  process.env.DRP_DATA_DIR = join(root, "pglite");
  process.env.DRP_OUTBOX_DIR = join(root, "..", "outbox");
  mkdirSync(process.env.DRP_OUTBOX_DIR);
  delete process.env.DATABASE_URL;
  return root;
}

describe("the demo's folder", () => {
  it("is cleared by --reset once the demo has marked it, with its outbox", () => {
    const root = folder();
    markDemoFolder();
    expect(resetDemoFolder()).toEqual([root, process.env.DRP_OUTBOX_DIR]);
    expect(existsSync(root)).toBe(false);
    expect(existsSync(process.env.DRP_OUTBOX_DIR!)).toBe(false);
    // nothing there: nothing to clear, and no refusal
    expect(resetDemoFolder()).toEqual([]);
  });

  it("is the only folder --reset clears: one the demo did not make, or a PostgreSQL database, is refused", () => {
    const root = folder();
    expect(() => resetDemoFolder()).toThrow(/is not the demo's folder \(it has no \.drp-demo\)/);
    expect(existsSync(join(root, "pglite", "PG_VERSION"))).toBe(true);
    process.env.DATABASE_URL = "postgres://localhost/drp";
    expect(() => resetDemoFolder()).toThrow(/with DATABASE_URL, start from an empty database/);
  });
});
