// Scheduling 100,000 open disputes from PostgreSQL into an empty Redis: the
// reconciler (pages of 2,000, one MGET and one addBulk per page, one job per
// dispute at the instant PostgreSQL records for it) against the naive way
// (each dispute read and planned, and each of its notifications added as a
// job, on its own, measured on a sample and scaled up); the same with every
// dispute planned afresh (no instant recorded yet); and the Redis memory.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import { eventsOf } from "../src/db/queries/disputes.ts";
import { disputes } from "../src/db/schema.ts";
import { planNotifications } from "../src/domain/planner.ts";
import { notifyJobOptions, notifyQueue, retryPolicy } from "../src/queue/queues.ts";
import { redisOptions } from "../src/queue/redis-client.ts";
import { reconcile } from "../src/queue/scheduler.ts";
import { replayRows } from "../src/service/disputes.ts";
import { type Benchmark, result } from "./harness.ts";
import { BUILT_FLAGS } from "./node-flags.ts";
import { benchStack, seedDisputes } from "./stack.ts";

const N = Number(process.env.BENCH_DISPUTES ?? 100_000);
const SAMPLE = Math.min(N, 2_000);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 30_000);

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info("memory");
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

/**
 * The resident memory of a `drp worker` process (the built code, with the
 * flags npm start gives node: npm run build first) once it has armed every
 * dispute's job in an empty Redis (its clock set before anything is due, so
 * that it only schedules): settled, once it has been idle for SETTLE_MS, and
 * at its peak (VmHWM), while it scheduled.
 */
async function workerRss(stack: Awaited<ReturnType<typeof benchStack>>): Promise<{ settled: number; peak: number }> {
  if (!existsSync("dist/cli/bin.js")) throw new Error("no dist/: run npm run build first");
  const child = spawn(process.execPath, [...BUILT_FLAGS, "dist/cli/bin.js", "worker"], {
    env: {
      ...process.env,
      DATABASE_URL: stack.databaseUrl,
      REDIS_URL: stack.redisUrl,
      DRP_NOW: "2026-11-20T09:00:00Z",
      LOG_LEVEL: "info",
      SMTP_URL: "smtp://127.0.0.1:9?requireTLS=false",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (b: Buffer) => {
        out += String(b);
        if (out.includes('"msg":"worker started"')) resolve();
      });
      child.once("exit", () => reject(new Error(`the worker stopped before it had scheduled: ${out.slice(-500)}`)));
    });
    // V8 keeps the heap it grew while scheduling until the process has been idle for a while
    // (its memory reducer); the settled figure is what the worker holds from then on.
    const kb = (field: string) =>
      Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    return { settled: kb("VmRSS"), peak: kb("VmHWM") };
  } finally {
    child.kill("SIGTERM");
  }
}

export const scheduleBenchmark: Benchmark = {
  name: "schedule",
  async run() {
    const stack = await benchStack("2026-11-24T10:00:00Z");
    const redis = new Redis(stack.redisUrl);
    const queue = notifyQueue(redisOptions(stack.redisUrl));
    try {
      await seedDisputes(stack.sql, N, "2026-11-20T10:00:00Z", "BENCH");
      const deps = { svc: stack.svc, queue, redis, retry: retryPolicy() };

      // In service, each dispute's next instant is in PostgreSQL (worked out at each step and each
      // send); a first pass records it for the seeded disputes, as the system would have.
      const first = performance.now();
      await reconcile(deps);
      const planning = (performance.now() - first) / 1000;
      await redis.flushall();
      const before = await usedMemory(redis);
      const t0 = performance.now();
      const report = await reconcile(deps);
      const ours = (performance.now() - t0) / 1000;
      const bytes = (await usedMemory(redis)) - before;

      // the naive way, on a sample: one dispute, one query, one job at a time
      await redis.flushall();
      const rows = await stack.svc.db.select().from(disputes).limit(SAMPLE);
      const a = stack.svc.authorities.get("birmingham")!;
      const t1 = performance.now();
      for (const row of rows) {
        const state = replayRows(a, row, await eventsOf(stack.svc.db, row.id));
        const plan = planNotifications({
          authority: a,
          procedure: a.procedures.iro!,
          state,
          disputeId: row.id,
          now: stack.svc.clock.now(),
        });
        for (const n of plan.notifications) {
          await queue.add(
            n.kind,
            { disputeId: row.id, authorityId: a.id, key: n.key, kind: n.kind },
            { ...notifyJobOptions(deps.retry), jobId: n.key.replaceAll(":", "."), delay: 60_000 },
          );
        }
      }
      const naive = ((performance.now() - t1) / 1000) * (N / rows.length);
      await redis.flushall();
      const rss = await workerRss(stack);
      return [
        result(`schedule.${N}_open_disputes`, "s", ours, naive, false),
        result(`schedule.${N}_open_disputes_planned_afresh`, "s", planning, naive, false),
        result(`schedule.redis_memory_for_${N}_disputes`, "MB", bytes / 1_048_576, null),
        result("schedule.jobs_per_dispute", "jobs", report.jobs / report.scheduled, null),
        result(`worker.rss_mb_${N}_open`, "MB", rss.settled, null),
        result(`worker.peak_rss_mb_${N}_open`, "MB", rss.peak, null),
      ];
    } finally {
      await queue.close();
      redis.disconnect();
      await stack.stop();
    }
  },
};
