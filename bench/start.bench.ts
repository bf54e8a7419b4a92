// What running it costs: the CLI's answer time, the app's time to /readyz and
// its memory at rest, for the built code (npm run build; node with the flags
// npm start gives it) against the naive way it replaces: TypeScript run from
// src/ through tsx, transpiled at every start, with node's defaults.
// Each time is the median of a few runs; the app runs on a data folder of its
// own (the embedded default), or on a throwaway PostgreSQL (DATABASE_URL).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { freePort, startPostgres } from "../test/support/servers.ts";
import { type Benchmark, type Result, result } from "./harness.ts";
import { BUILT_FLAGS } from "./node-flags.ts";

const BUILT = { cli: [...BUILT_FLAGS, "dist/cli/bin.js"], app: [...BUILT_FLAGS, "dist/main.js"] };
const NAIVE = { cli: ["--import", "tsx", "src/cli/bin.ts"], app: ["--import", "tsx", "src/main.ts"] };
type Way = typeof BUILT;

const RUNS = Number(process.env.BENCH_START_RUNS ?? 5);
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 10_000);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function cliMs(way: Way, args: string[], env: NodeJS.ProcessEnv): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [...way.cli, ...args], { env, encoding: "utf8" });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`drp ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  }
  return median(times);
}

interface Running {
  child: ChildProcess;
  readyMs: number;
  stop(): Promise<void>;
}

async function startApp(way: Way, env: NodeJS.ProcessEnv): Promise<Running> {
  const port = await freePort();
  const t = performance.now();
  const child = spawn(process.execPath, way.app, {
    env: { ...env, PORT: String(port), METRICS_PORT: "off", LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr?.on("data", (b) => (err += String(b)));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited at start: ${err}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 25));
  }
  const readyMs = performance.now() - t;
  return {
    child,
    readyMs,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
  return kb / 1024;
}

/** Ready time of a start on a data folder that already holds the database, and RSS after IDLE_MS at rest. */
async function appFigures(way: Way, env: NodeJS.ProcessEnv): Promise<{ firstMs: number; readyMs: number; rss: number }> {
  const first = await startApp(way, env); // a first start makes the database (or migrates it)
  await first.stop();
  const ready: number[] = [];
  let rss = 0;
  for (let i = 0; i < Math.max(1, Math.min(RUNS, 3)); i++) {
    const app = await startApp(way, env);
    ready.push(app.readyMs);
    if (i === 0) {
      await new Promise((r) => setTimeout(r, IDLE_MS));
      rss = rssMb(app.child.pid!);
    }
    await app.stop();
  }
  return { firstMs: first.readyMs, readyMs: median(ready), rss };
}

function embeddedEnv(): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), "drp-bench-start-"));
  const env: NodeJS.ProcessEnv = { ...process.env, DRP_DATA_DIR: join(dir, "pglite"), DRP_OUTBOX_DIR: join(dir, "outbox") };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  delete env.SMTP_URL;
  return env;
}

export const startBenchmark: Benchmark = {
  name: "start",
  async run(): Promise<Result[]> {
    if (!existsSync("dist/main.js")) throw new Error("no dist/: run npm run build first");
    const results: Result[] = [];
    const help = { built: cliMs(BUILT, ["--help"], process.env), naive: cliMs(NAIVE, ["--help"], process.env) };
    results.push(result("cli.help_ms", "ms", help.built, help.naive, false));

    // the embedded default: the app, then `drp disputes list` sent to it over its socket
    const built = embeddedEnv();
    const naive = embeddedEnv();
    const b = await appFigures(BUILT, built);
    const n = await appFigures(NAIVE, naive);
    const running = { built: await startApp(BUILT, built), naive: await startApp(NAIVE, naive) };
    const list = ["disputes", "list", "--authority", "birmingham"];
    const listMs = { built: cliMs(BUILT, list, built), naive: cliMs(NAIVE, list, naive) };
    await running.built.stop();
    await running.naive.stop();
    results.push(result("cli.list_ms", "ms", listMs.built, listMs.naive, false));
    results.push(result("app.ready_ms", "ms", b.readyMs, n.readyMs, false));
    results.push(result("app.first_ready_ms", "ms", b.firstMs, n.firstMs, false));
    results.push(result("app.idle_rss_mb", "MB", b.rss, n.rss, false));

    // on PostgreSQL (DATABASE_URL), as compose runs it
    const pg = process.env.DATABASE_URL ? undefined : await startPostgres();
    try {
      const env = { ...embeddedEnv(), DATABASE_URL: process.env.DATABASE_URL || pg!.url };
      const bp = await appFigures(BUILT, env);
      const np = await appFigures(NAIVE, env);
      results.push(result("app.ready_ms_postgres", "ms", bp.readyMs, np.readyMs, false));
      results.push(result("app.idle_rss_mb_postgres", "MB", bp.rss, np.rss, false));
    } finally {
      await pg?.stop();
    }
    return results;
  },
};
