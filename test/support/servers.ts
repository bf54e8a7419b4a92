// Throwaway servers for the tests: a real PostgreSQL (initdb + postgres on a
// free port) and, later, a real Redis, each under a temporary folder and gone
// when the run ends. Debian's packages put them outside PATH, so look there.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { freePort } from "../../src/queue/redis.ts";

export { freePort };

export function findBinary(name: string): string | undefined {
  const onPath = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).stdout.trim();
  if (onPath) return onPath;
  const pgRoot = "/usr/lib/postgresql";
  if (existsSync(pgRoot)) {
    for (const v of readdirSync(pgRoot).sort().reverse()) {
      const p = join(pgRoot, v, "bin", name);
      if (existsSync(p)) return p;
    }
  }
  return undefined;
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

export interface RunningPostgres extends RunningServer {
  /** a fast shutdown (as a restart or a failover does), keeping the data */
  halt(): Promise<void>;
  /** starts it again on the same port and data */
  resume(): Promise<void>;
}

// PostgreSQL refuses to run as root; run it as the postgres user then.
function asServerUser(cmd: string, args: string[]): [string, string[]] {
  if (userInfo().uid !== 0) return [cmd, args];
  return ["runuser", ["-u", "postgres", "--", cmd, ...args]];
}

export async function startPostgres(): Promise<RunningPostgres> {
  const initdb = findBinary("initdb");
  const postgres = findBinary("postgres");
  if (!initdb || !postgres) throw new Error("PostgreSQL is not installed: apt-get install postgresql (or set DATABASE_URL)");
  const dir = mkdtempSync(join(tmpdir(), "drp-pg-"));
  const data = join(dir, "data");
  if (userInfo().uid === 0) {
    const pgUser = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
    const uid = Number(pgUser.stdout.trim());
    const gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const [c1, a1] = asServerUser(initdb, ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  const init = spawnSync(c1, a1, { encoding: "utf8" });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const [c2, a2] = asServerUser(postgres, [
    "-D",
    data,
    "-p",
    String(port),
    "-k",
    dir,
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "full_page_writes=off",
    "-c",
    "max_connections=200",
  ]);
  let proc: ChildProcess;
  const run = async () => {
    const p = spawn(c2, a2, { stdio: ["ignore", "ignore", "pipe"] });
    proc = p;
    let log = "";
    p.stderr?.on("data", (b) => (log += String(b)));
    await waitFor(() => log.includes("ready to accept connections") || p.exitCode !== null, "postgres to start");
    if (p.exitCode !== null) throw new Error(`postgres exited: ${log}`);
  };
  const halt = async () => {
    // Signal the postmaster itself: runuser, when used, does not pass SIGINT on.
    const pid = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
    if (pid) process.kill(pid, "SIGINT");
    await waitFor(() => proc.exitCode !== null, "postgres to stop", 10_000).catch(() => proc.kill("SIGKILL"));
  };
  await run();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    halt,
    resume: run,
    stop: async () => {
      if (proc.exitCode === null) await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
