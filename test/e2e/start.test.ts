// `npm start` with nothing installed: no DATABASE_URL, so the embedded PGlite
// under a data folder, migrated at start-up; and the CLI refusing to open the
// same embedded database while the server holds it.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { DEFAULT_AUTHORITIES_DIR } from "../../src/config/authorities.ts";
import { until } from "../support/mail-sink.ts";
import { freePort } from "../support/servers.ts";

let server: ChildProcess;
let port: number;
let metricsPort: number;
const data = join(mkdtempSync(join(tmpdir(), "drp-start-")), "pglite");
// the app's own copy of the authority files, so that a test may add one
const authoritiesDir = mkdtempSync(join(tmpdir(), "drp-start-authorities-"));
cpSync(DEFAULT_AUTHORITIES_DIR, authoritiesDir, { recursive: true });
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
    DRP_AUTHORITIES_DIR: authoritiesDir,
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
  try {
    if (server?.pid) process.kill(-server.pid, "SIGTERM");
  } catch {} // already stopped by the test that stops it
});

describe("npm start on the embedded defaults (PGlite, a private redis-server, an outbox folder)", () => {
  it("serves the API on PORT, ready, with its OpenAPI document and metrics, and runs the worker on a private Redis", async () => {
    expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toEqual({ status: "ready" });
    const doc = (await (await fetch(`http://127.0.0.1:${port}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(doc.paths["/disputes"]).toBeDefined();
    expect((await fetch(`http://127.0.0.1:${port}/disputes`)).status).toBe(401);
    expect(output).toContain(`pglite:${data}`);
    expect(output).toContain('"msg":"worker started"');
    // a line per phase of the start, each with an ISO time an operator can read
    const lines = output
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { msg: string; time: string });
    const phases = lines.map((l) => l.msg);
    for (const m of [
      "database ready",
      "redis: started a private redis-server under the data folder",
      "email templates compiled",
      "worker started",
      "drp-monitor listening",
    ])
      expect(phases, m).toContain(m);
    for (const l of lines) expect(l.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(lines.find((l) => l.msg === "drp-monitor listening")).toMatchObject({ url: `http://localhost:${port}` });
    // metrics are on their own port, on loopback, and not on the API's
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/drp_disputes_open 0/);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
  });

  it("runs a CLI command in the app while the app holds the embedded database, and the key it makes works", async () => {
    const env = { DRP_DATA_DIR: process.env.DRP_DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };
    process.env.DRP_DATA_DIR = data;
    delete process.env.DATABASE_URL;
    let out = "";
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main(["keys", "create", "--authority", "birmingham", "--json"]);
    } finally {
      process.stdout.write = write;
      Object.assign(process.env, env);
      if (env.DRP_DATA_DIR === undefined) delete process.env.DRP_DATA_DIR;
      if (env.DATABASE_URL === undefined) delete process.env.DATABASE_URL;
    }
    expect(code).toBe(0);
    const { key } = JSON.parse(out) as { key: string };
    expect((await fetch(`http://127.0.0.1:${port}/disputes`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
  });

  it("takes a new authority from the national template with drp authorities reload, and refuses an invalid file, keeping what it has", async () => {
    // the built drp, as an operator runs it beside the app
    const drp = (...args: string[]) =>
      spawnSync(process.execPath, ["dist/cli/bin.js", ...args], {
        env: { ...process.env, DRP_DATA_DIR: data, DRP_AUTHORITIES_DIR: authoritiesDir, DATABASE_URL: "" },
        encoding: "utf8",
      });
    const made = drp(
      "authorities",
      "new",
      "leeds",
      "--name",
      "Leeds City Council",
      "--case-record-url",
      "https://records.leeds.example/child/{childRef}",
    );
    expect(made.status).toBe(0);
    expect(made.stdout).toContain(join(authoritiesDir, "leeds.yaml"));
    expect(drp("keys", "create", "--authority", "leeds").stderr).toMatch(/no authority "leeds"/); // not yet: the app has not read it
    const reloaded = drp("authorities", "reload");
    expect(reloaded.status).toBe(0);
    expect(reloaded.stdout).toMatch(/^reloaded: .*leeds.*; added leeds$/m);
    expect(drp("keys", "create", "--authority", "leeds", "--json").status).toBe(0);
    // a mistake in any file: the app keeps every authority as it was, and says which file and field
    const b = join(authoritiesDir, "birmingham.yaml");
    const good = readFileSync(b, "utf8");
    writeFileSync(b, good.replace('closeOfBusiness: "17:00"', 'closeOfBusiness: "5pm"'));
    const refused = drp("authorities", "reload");
    writeFileSync(b, good);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/FAIL .*birmingham\.yaml: closeOfBusiness: /);
    expect(refused.stderr).toContain("not reloaded: the app keeps the authorities it has");
    expect(drp("keys", "create", "--authority", "leeds", "--json").status).toBe(0);
    // and logs both (read once this test yields: spawnSync held the event loop)
    await until(() => output.includes('"msg":"authority files not reloaded'), "the app's log of the reloads", 5_000);
    expect(output).toContain('"msg":"authority files reloaded"');
    expect(output).toContain('"msg":"authority files not reloaded: an invalid file; the authorities in use are kept"');
  });

  it("says why a second npm start cannot start, without a stack", async () => {
    const second = spawn("npm", ["start", "--silent"], {
      env: { ...process.env, PORT: String(await freePort()), METRICS_PORT: "off", DRP_DATA_DIR: data, DATABASE_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let said = "";
    second.stdout?.on("data", (b) => (said += String(b)));
    second.stderr?.on("data", (b) => (said += String(b)));
    const code = await new Promise<number | null>((r) => second.on("exit", r));
    expect(code).toBe(1);
    expect(said).toMatch(/drp-monitor could not start: the embedded database under .* is in use by process \d+/);
    expect(said).not.toMatch(/\n\s+at /);
  });

  it("keeps its files for their owner only: the data folder and every folder in it 700, every file 600", async () => {
    const { readdirSync, statSync } = await import("node:fs");
    const modes = new Map<string, number>();
    const walk = (dir: string) => {
      modes.set(dir, statSync(dir).mode & 0o777);
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile()) modes.set(p, statSync(p).mode & 0o777);
      }
    };
    walk(join(data, ".."));
    expect(modes.size).toBeGreaterThan(500); // the embedded database's files among them
    const open = [...modes].filter(([p, m]) => (m & 0o077) !== 0 && !p.endsWith(".sock"));
    expect(open.map(([p, m]) => `${m.toString(8)} ${p}`)).toEqual([]);
    expect(modes.get(data)).toBe(0o700);
    expect(modes.get(join(data, ".."))).toBe(0o700);
  });

  it("stops when npm's own process is sent SIGTERM, and leaves no redis-server behind", async () => {
    const redisPidFile = join(data, "..", "redis", "redis-server.pid");
    const redisPid = Number(readFileSync(redisPidFile, "utf8"));
    expect(redisPid).toBeGreaterThan(0);
    process.kill(server.pid!, "SIGTERM"); // npm's pid: with exec, it is the app itself
    const until = Date.now() + 20_000;
    while (Date.now() < until && alive(server.pid!)) await new Promise((r) => setTimeout(r, 100));
    expect(alive(server.pid!)).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    expect(alive(redisPid)).toBe(false);
    // and says so: the signal, the worker drained, the app stopped
    const said = output
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(said.slice(-3)).toEqual(["stopping: no new work; finishing the emails being sent", "worker stopped", "stopped"]);
  }, 30_000);
});

describe("a private redis-server left running by an app killed with -9", () => {
  it("is taken over by the next start, not joined by a second one on the same folder", async () => {
    const { startRedisServer } = await import("../../src/queue/redis.ts");
    const dir = mkdtempSync(join(tmpdir(), "drp-redis-left-"));
    const first = await startRedisServer(dir);
    const pid = Number(readFileSync(join(dir, "redis-server.pid"), "utf8"));
    // the app that started it dies without stopping it: the next start finds it
    const second = await startRedisServer(dir);
    expect(second.url).toBe(first.url);
    expect(Number(readFileSync(join(dir, "redis-server.pid"), "utf8"))).toBe(pid);
    await second.stop();
    expect(alive(pid)).toBe(false);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("settings that cannot work", () => {
  const run = async (env: NodeJS.ProcessEnv) => {
    const child = spawn(process.execPath, ["dist/main.js"], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let said = "";
    child.stdout?.on("data", (b) => (said += String(b)));
    child.stderr?.on("data", (b) => (said += String(b)));
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    return { code, said };
  };

  it("stop the app before it starts, with one line naming the setting", async () => {
    const r = await run({ DRP_LINK_DAYS: "two weeks", PORT: "3000" });
    expect(r.code).toBe(1);
    expect(r.said.trim()).toMatch(/^drp-monitor could not start: settings: DRP_LINK_DAYS must be a whole number \(it is "two weeks"\)$/);
  }, 30_000);

  it("refuse an empty or short link secret, whether in DRP_LINK_SECRET or in the file a crash left empty", async () => {
    const { writeFileSync } = await import("node:fs");
    const dir = mkdtempSync(join(tmpdir(), "drp-secret-"));
    writeFileSync(join(dir, "link-secret"), "", { mode: 0o600 });
    const empty = await run({ DRP_DATA_DIR: join(dir, "pglite"), DRP_LINK_SECRET: "" });
    expect(empty.code).toBe(1);
    expect(empty.said).toMatch(/could not start: the link secret in .*link-secret is 0 bytes; it must be at least 32 random bytes/);
    const weak = await run({ DRP_LINK_SECRET: "a".repeat(40) });
    expect(weak.code).toBe(1);
    expect(weak.said).toMatch(/could not start: DRP_LINK_SECRET does not look random/);
  }, 30_000);

  it("refuse to make a link secret of their own on PostgreSQL with links on: it would not outlive the container", async () => {
    const r = await run({ DATABASE_URL: "postgres://drp@127.0.0.1:1/drp", PUBLIC_URL: "https://drp.council.example", DRP_LINK_SECRET: "" });
    expect(r.code).toBe(1);
    expect(r.said.trim()).toMatch(
      /^drp-monitor could not start: DRP_LINK_SECRET is not set: with DATABASE_URL and PUBLIC_URL, emails carry links that must outlive this process and its data folder\. Set DRP_LINK_SECRET/,
    );
  }, 30_000);

  it("refuse a DRP_NOW before the latest step recorded, saying by how much, in one line", async () => {
    const { freshDatabase, insertBareDispute } = await import("../support/db.ts");
    const { disputeEvents } = await import("../../src/db/schema.ts");
    const db = await freshDatabase();
    try {
      const d = await insertBareDispute(db.db, { reference: "BIR-2026-0001" });
      await db.db.insert(disputeEvents).values({ disputeId: d.id, seq: 0, type: "raised", at: new Date("2026-11-26T10:00:00Z") });
      const r = await run({ DATABASE_URL: db.url, DRP_NOW: "2026-11-24T10:00:00Z", DRP_WORKER: "false", PORT: "0", METRICS_PORT: "off" });
      expect(r.code).toBe(1);
      expect(r.said.trim()).toBe(
        "drp-monitor could not start: DRP_NOW=2026-11-24T10:00:00Z is 2 days before the latest step recorded (2026-11-26T10:00:00.000Z): the clock would run backwards. Start without DRP_NOW, or with an instant after 2026-11-26T10:00:00.000Z.",
      );
    } finally {
      await db.close();
    }
  }, 30_000);
});
