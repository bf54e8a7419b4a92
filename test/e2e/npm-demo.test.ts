// `npm run demo` as a newcomer runs it: the built app (dist/, npm run build),
// on the embedded defaults, in a folder of its own. Every kind of email goes;
// the app killed with SIGKILL is restarted, refusing a clock that would run
// backwards, taking over the redis-server it left and sending nothing twice;
// SIGTERM stops it, saying so. Its whole log holds no name or reference of
// the demo's, and every file it wrote is its owner's alone.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { EMAIL_KINDS } from "../../src/mail/model.ts";
import { until } from "../support/mail-sink.ts";
import { freePort } from "../support/servers.ts";

const root = mkdtempSync(join(tmpdir(), "drp-npm-demo-"));
const data = join(root, "data");
const outbox = join(root, "outbox");
let log = "";
const running: ChildProcess[] = [];

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, METRICS_PORT: "off", LOG_LEVEL: "info", ...extra };
  for (const k of ["DATABASE_URL", "REDIS_URL", "SMTP_URL", "DRP_NOW", "DRP_DATA_DIR", "DRP_OUTBOX_DIR", "PUBLIC_URL"]) delete e[k];
  return { ...e, ...extra };
}

function run(args: string[], extra: NodeJS.ProcessEnv): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn("npm", ["run", "-s", ...args], { env: env(extra), stdio: ["ignore", "pipe", "pipe"], detached: true });
  running.push(child);
  child.stdout?.on("data", (b) => (log += String(b)));
  child.stderr?.on("data", (b) => (log += String(b)));
  return { child, exited: new Promise((r) => child.on("exit", (code) => r(code))) };
}

/** What the app's own start needs: the demo's folders, a port, a clock. */
const appEnv = (port: number, now: string) => ({
  PORT: String(port),
  DRP_DATA_DIR: join(data, "pglite"),
  DRP_OUTBOX_DIR: outbox,
  DRP_NOW: now,
});

/** Each email in the outbox folder: its key and kind, from its headers. */
function emails(): { key: string; kind: string }[] {
  if (!existsSync(outbox)) return [];
  return readdirSync(outbox)
    .filter((f) => f.endsWith(".eml"))
    .map((f) => {
      const head = readFileSync(join(outbox, f), "utf8")
        .split(/\r?\n\r?\n/)[0]!
        .replace(/\r?\n[ \t]+/g, " ");
      return { key: /^X-Drp-Key: (.*)$/im.exec(head)?.[1] ?? "", kind: /^X-Drp-Kind: (.*)$/im.exec(head)?.[1] ?? "" };
    });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The JSON log lines, from `from` (a length of the log) on. */
const logLines = (from = 0) =>
  log
    .slice(from)
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown> & { msg: string; time: string });

async function ready(port: number, what: string): Promise<void> {
  await until(
    async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok;
      } catch {
        return false;
      }
    },
    what,
    60_000,
  ).catch((e) => {
    throw new Error(`${e.message}\n${log.slice(-3000)}`);
  });
}

afterAll(() => {
  for (const c of running)
    try {
      if (c.pid) process.kill(-c.pid, "SIGKILL");
    } catch {}
  const pidFile = join(data, "redis", "redis-server.pid");
  if (existsSync(pidFile))
    try {
      process.kill(Number(readFileSync(pidFile, "utf8")), "SIGKILL");
    } catch {}
});

describe("npm run demo, then the app killed, restarted and stopped", () => {
  let redisPid = 0;

  it("sends every kind of email a person receives, each once", async () => {
    const port = await freePort();
    run(["demo"], { DRP_DEMO_DIR: data, DRP_DEMO_OUTBOX: outbox, PORT: String(port) });
    await ready(port, "the demo's app");
    // a person asks for a sign-in link on the pages, as QA would: that email goes too
    const form = await fetch(`http://127.0.0.1:${port}/sign-in`);
    const cookie = form.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? "";
    const asked = await fetch(`http://127.0.0.1:${port}/sign-in`, {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf, email: "qa-inbox@birmingham.example.org" }),
    });
    expect(asked.status).toBe(200);
    const kinds = () => new Set(emails().map((e) => e.kind));
    await until(() => EMAIL_KINDS.every((k) => kinds().has(k)), "every kind of email", 120_000).catch((e) => {
      throw new Error(`${e.message}: missing ${EMAIL_KINDS.filter((k) => !kinds().has(k)).join(", ")}`);
    });
    const keys = emails().map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    // the start, a line per phase, with ISO times; and a line per batch
    const lines = logLines();
    for (const m of ["database ready", "email templates compiled", "worker started", "drp-monitor listening"])
      expect(lines.map((l) => l.msg)).toContain(m);
    expect(lines.find((l) => l.msg.startsWith("redis: started"))).toBeDefined();
    for (const l of lines) expect(l.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const batch = lines.find((l) => l.msg === "batch");
    expect(batch).toMatchObject({ sent: expect.any(Number), skipped: expect.any(Number), failed: 0, folded: expect.any(Number) });
    expect(batch).toHaveProperty("byKind");
    expect(batch).toHaveProperty("ms");
  }, 180_000);

  it("killed with SIGKILL, leaves its redis-server, and refuses a restart on a clock behind what it recorded", async () => {
    const appPid = Number(readFileSync(join(data, "app.pid"), "utf8"));
    redisPid = Number(readFileSync(join(data, "redis", "redis-server.pid"), "utf8"));
    process.kill(appPid, "SIGKILL");
    await until(() => !alive(appPid), "the app to die", 10_000);
    expect(alive(redisPid)).toBe(true);
    // the demo's clock again: its steps and emails are recorded after it
    const before = log.length;
    const refused = run(["start"], appEnv(await freePort(), "2026-11-24T10:00:00Z"));
    expect(await refused.exited).toBe(1);
    const said = log.slice(before).trim();
    expect(said.split("\n").filter((l) => l.includes("could not start"))).toHaveLength(1);
    expect(said).toMatch(
      /drp-monitor could not start: DRP_NOW=2026-11-24T10:00:00Z is .+ before the latest step recorded \(2026-11-24T10:0\d:\d\d\.\d{3}Z\): the clock would run backwards/,
    );
  }, 60_000);

  it("restarted later, takes over the redis-server left running, sends nothing twice, and stops on SIGTERM saying so", async () => {
    const sentBefore = emails().length;
    const port = await freePort();
    const before = log.length;
    const app = run(["start"], appEnv(port, "2026-11-24T11:00:00Z"));
    await ready(port, "the restarted app");
    expect(logLines(before).find((l) => l.msg === "redis: took over the private redis-server an earlier start left running")).toMatchObject(
      {
        pid: redisPid,
      },
    );
    // a reconcile has run ("worker started" is logged after it): whatever it sends is new, never a second copy
    expect(logLines(before).map((l) => l.msg)).toContain("worker started");
    await new Promise((r) => setTimeout(r, 3_000));
    const keys = emails().map((e) => e.key);
    expect(keys.length).toBeGreaterThanOrEqual(sentBefore);
    expect(new Set(keys).size).toBe(keys.length);
    process.kill(app.child.pid!, "SIGTERM");
    expect(await app.exited).toBe(0);
    expect(alive(redisPid)).toBe(false);
    const said = logLines(before).map((l) => l.msg);
    expect(said.slice(-3)).toEqual(["stopping: no new work; finishing the emails being sent", "worker stopped", "stopped"]);
    expect(existsSync(join(data, "app.pid"))).toBe(false);
  }, 90_000);

  it("logs no name, email address or reference of the demo's, in any line", () => {
    const people = readdirSync("demo/directories").flatMap((f) => {
      const d = parseDocument(readFileSync(join("demo/directories", f), "utf8")).toJS() as {
        people: { name: string; email: string }[];
      };
      return d.people.flatMap((p) => [p.name, p.email]);
    });
    // the demo's own instigators and chairs, its children's case references and its disputes', reviews' and register entries'
    const refs = [...log.matchAll(/\b[A-Z]{2,6}-(?:REV-|GP-)?20\d\d-\d{4}\b|\bDEMO-[A-Z0-9-]+\b/g)].map((m) => m[0]);
    expect(refs.length).toBeGreaterThan(50); // the demo's table of what it raised, on its standard output
    const secrets = [...new Set([...people, "Ivy Reviewer", "Cora Chair", "Toby Manager", "Sasha Worker", ...refs])];
    const lines = log.split("\n").filter((l) => l.startsWith("{"));
    expect(lines.length).toBeGreaterThan(20);
    const leaks = lines.flatMap((l) => secrets.filter((s) => l.includes(s)).map((s) => `${s} in ${l.slice(0, 200)}`));
    expect(leaks).toEqual([]);
  });

  it("leaves every file it wrote to its owner alone: folders 700, files 600", () => {
    const open: string[] = [];
    let files = 0;
    const walk = (dir: string) => {
      if ((statSync(dir).mode & 0o077) !== 0) open.push(`${(statSync(dir).mode & 0o777).toString(8)} ${dir}`);
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile()) {
          files += 1;
          if ((statSync(p).mode & 0o077) !== 0) open.push(`${(statSync(p).mode & 0o777).toString(8)} ${p}`);
        }
      }
    };
    walk(data);
    walk(outbox);
    expect(files).toBeGreaterThan(500); // the embedded database's files and the emails among them
    expect(open).toEqual([]);
  });
});
