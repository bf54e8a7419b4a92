// A worker on real Redis, PostgreSQL and SMTP, for the end-to-end tests.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "../../src/clock.ts";
import { authorities } from "../../src/config/authorities.ts";
import { createLogger } from "../../src/log.ts";
import { createRenderer } from "../../src/mail/render.ts";
import { smtpMailer } from "../../src/mail/transport.ts";
import { createMetrics } from "../../src/metrics.ts";
import { type RedisEndpoint, startRedisServer } from "../../src/queue/redis.ts";
import { type RunningWorker, startWorker } from "../../src/queue/worker.ts";
import type { Services } from "../../src/service/context.ts";
import { importDirectory, parseDirectory } from "../../src/service/directory.ts";
import { demoDirectory } from "./app.ts";
import { freshDatabase } from "./db.ts";
import { type Sink, startSink } from "./mail-sink.ts";

export async function startRedis(): Promise<RedisEndpoint> {
  return startRedisServer(mkdtempSync(join(tmpdir(), "drp-redis-")));
}

export interface Stack {
  svc: Services;
  dbUrl: string;
  redis: RedisEndpoint;
  sink: Sink;
  logs: string[];
  startWorker(extra?: Partial<Parameters<typeof startWorker>[0]>): Promise<RunningWorker>;
  stop(): Promise<void>;
}

/** PostgreSQL, Redis and an SMTP sink; the clock starts at `now` and runs. */
export async function startStack(now: string): Promise<Stack> {
  const db = await freshDatabase();
  const redis = await startRedis();
  const sink = await startSink();
  const logs: string[] = [];
  const log = createLogger({ level: "info", destination: { write: (l: string) => void logs.push(l) } });
  const svc: Services = { db: db.db, authorities: authorities(), clock: systemClock(now), log };
  for (const id of ["birmingham", "gloucestershire", "wf", "newham", "national"]) {
    await importDirectory(svc, parseDirectory(svc, demoDirectory(id)));
  }
  const renderer = await createRenderer();
  const workers: RunningWorker[] = [];
  const mailers: ReturnType<typeof smtpMailer>[] = [];
  return {
    svc,
    dbUrl: db.url,
    redis,
    sink,
    logs,
    async startWorker(extra = {}) {
      const mailer = smtpMailer(sink.url);
      mailers.push(mailer);
      const w = await startWorker({
        svc,
        redisUrl: redis.url,
        renderer,
        mailer,
        metrics: createMetrics(),
        from: "IRO Dispute Resolution <drp@drp.example.org>",
        ...extra,
      });
      workers.push(w);
      return w;
    },
    async stop() {
      for (const w of workers) await w.stop();
      for (const m of mailers) m.close();
      await sink.stop();
      await redis.stop();
      await db.close();
    },
  };
}

/** A worker in a child process (`drp worker`), for killing. */
export function spawnWorker(stack: Stack, now: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/bin.ts", "worker"], {
    env: {
      ...process.env,
      DATABASE_URL: stack.dbUrl,
      REDIS_URL: stack.redis.url,
      SMTP_URL: stack.sink.url,
      DRP_NOW: now,
      MAIL_FROM: "IRO Dispute Resolution <drp@drp.example.org>",
      LOG_LEVEL: "warn",
      DRP_STALLED_MS: "500",
      DRP_LOCK_MS: "1500",
      DRP_SEND_LEASE_MS: "1500",
      DRP_WORKER_CONCURRENCY: "4",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // what it said, log lines and errors alike, for a failing test to show
  let err = "";
  child.stdout?.on("data", (b) => (err += String(b)));
  child.stderr?.on("data", (b) => (err += String(b)));
  return { child, stderr: () => err };
}
