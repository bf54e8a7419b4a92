// `npm start` with nothing installed: no DATABASE_URL, so the embedded PGlite
// under a data folder, migrated at start-up; and the CLI refusing to open the
// same embedded database while the server holds it.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { freePort } from "../support/servers.ts";

let server: ChildProcess;
let port: number;
let metricsPort: number;
const data = join(mkdtempSync(join(tmpdir(), "drp-start-")), "pglite");
let output = "";

beforeAll(async () => {
  port = await freePort();
  metricsPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    DRP_DATA_DIR: data,
    DRP_OUTBOX_DIR: join(data, "..", "outbox"),
    LOG_LEVEL: "info",
  };
  delete env.REDIS_URL;
  delete env.SMTP_URL;
  delete env.DATABASE_URL;
  server = spawn("npm", ["start", "--silent"], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  server.stdout?.on("data", (b) => (output += String(b)));
  server.stderr?.on("data", (b) => (output += String(b)));
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`npm start did not come up:\n${output}`);
}, 70_000);

afterAll(() => {
  if (server?.pid) process.kill(-server.pid, "SIGTERM");
});

describe("npm start on the embedded defaults (PGlite, a private redis-server, an outbox folder)", () => {
  it("serves the API on PORT, ready, with its OpenAPI document and metrics, and runs the worker on a private Redis", async () => {
    expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toEqual({ status: "ready" });
    const doc = (await (await fetch(`http://127.0.0.1:${port}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(doc.paths["/disputes"]).toBeDefined();
    expect((await fetch(`http://127.0.0.1:${port}/disputes`)).status).toBe(401);
    expect(output).toContain(`pglite:${data}`);
    expect(output).toContain('"msg":"worker started"');
    // metrics are on their own port, on loopback, and not on the API's
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/drp_disputes_open 0/);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
  });

  it("keeps the CLI off the embedded database while the server holds it", async () => {
    const env = { DRP_DATA_DIR: process.env.DRP_DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };
    process.env.DRP_DATA_DIR = data;
    delete process.env.DATABASE_URL;
    let err = "";
    const orig = console.error;
    console.error = (...a: unknown[]) => void (err += a.join(" "));
    try {
      expect(await main(["keys", "create", "--authority", "birmingham"])).toBe(1);
    } finally {
      console.error = orig;
      Object.assign(process.env, env);
      if (env.DRP_DATA_DIR === undefined) delete process.env.DRP_DATA_DIR;
      if (env.DATABASE_URL === undefined) delete process.env.DATABASE_URL;
    }
    expect(err).toMatch(/in use by process \d+/);
  });
});
