// Redis for the queues: REDIS_URL, or a private redis-server under ./data
// when one is on PATH (the local default), configured as BullMQ needs it:
// maxmemory-policy noeviction (never drop a job) and an append-only file.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import type { ConnectionOptions } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";

export const REDIS_SETTINGS = ["--maxmemory-policy", "noeviction", "--appendonly", "yes", "--appendfsync", "everysec"];

export interface RedisEndpoint {
  url: string;
  /** stops a private server this process started; nothing for REDIS_URL */
  stop(): Promise<void>;
}

/**
 * Connection options for BullMQ, which then opens (and on close, closes) its
 * own connections, with no retry limit per request as it needs.
 */
export function redisOptions(url: string): ConnectionOptions {
  return { url, maxRetriesPerRequest: null };
}

/** A connection of our own (BullMQ leaves such connections open: close them yourself). */
export function redisConnection(url: string, extra: RedisOptions = {}): Redis {
  const r = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false, ...extra });
  // A lost connection shows up as failed commands and job retries; ioredis
  // also emits it here, and an unheard "error" event would end the process.
  r.on("error", () => {});
  return r;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const a = srv.address();
      srv.close(() => (typeof a === "object" && a ? res(a.port) : rej(new Error("no free port"))));
    });
  });
}

export function redisServerBinary(): string | undefined {
  const found = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).stdout.trim();
  return found || undefined;
}

/** Starts redis-server in `dir` on a free loopback port; resolves once it answers PING. */
export async function startRedisServer(dir: string, opts: { port?: number; extra?: string[] } = {}): Promise<RedisEndpoint> {
  const bin = redisServerBinary();
  if (!bin) {
    throw new Error(
      "Redis is needed for the queues: set REDIS_URL, or install redis-server (Debian: apt-get install redis-server) so a private one can be started under ./data",
    );
  }
  mkdirSync(dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const proc = spawn(
    bin,
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", resolve(dir), "--save", "", ...REDIS_SETTINGS, ...(opts.extra ?? [])],
    {
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let err = "";
  proc.stderr?.on("data", (b) => (err += String(b)));
  const url = `redis://127.0.0.1:${port}`;
  const until = Date.now() + 15_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited: ${err}`);
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on("error", () => {}); // refused until the server is up: that is what we are waiting for
    try {
      await probe.connect();
      if ((await probe.ping()) === "PONG") {
        probe.disconnect();
        break;
      }
    } catch {
      probe.disconnect();
    }
    if (Date.now() > until) throw new Error(`redis-server did not answer on ${url}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    stop: async () => {
      if (proc.exitCode !== null) return;
      proc.kill("SIGTERM");
      await new Promise((r) => proc.once("exit", r));
    },
  };
}

/** REDIS_URL, or a private server in data/redis (beside the embedded database's folder). */
export async function redisEndpoint(
  dataDir = process.env.DRP_REDIS_DIR ?? join(dirname(process.env.DRP_DATA_DIR ?? "data/pglite"), "redis"),
): Promise<RedisEndpoint> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => {} };
  return startRedisServer(dataDir);
}
