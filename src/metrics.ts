// Prometheus metrics: jobs, notifications sent / failed / skipped, open and
// overdue disputes (counted from PostgreSQL in the background). Served on
// their own port, bound to loopback unless told otherwise (metrics-server.ts).
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { Clock } from "./clock.ts";
import type { Database } from "./db/client.ts";
import { disputes, outbox } from "./db/schema.ts";

export interface Metrics {
  registry: Registry;
  notifications: Counter<"kind" | "result">;
  jobs: Counter<"queue" | "result">;
  /** counts open and overdue disputes and failed emails from the database now and then every few seconds */
  watch(db: Database, clock: Clock, everyMs?: number): void;
  /** counts them now */
  refresh(db: Database, clock: Clock): Promise<void>;
  stop(): void;
}

/** Counted in each process (the gauges are read from PostgreSQL and Redis): what `drp worker`'s other processes add to the first's /metrics. */
export const PROCESS_COUNTERS = ["drp_notifications_total", "drp_jobs_total"] as const;

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "drp_process_" });
  const notifications = new Counter({
    name: "drp_notifications_total",
    help: "Emails by kind and result (sent, skipped, failed, retried)",
    labelNames: ["kind", "result"],
    registers: [registry],
  });
  const jobs = new Counter({
    name: "drp_jobs_total",
    help: "Queue jobs finished, by queue and result",
    labelNames: ["queue", "result"],
    registers: [registry],
  });
  // Counted from PostgreSQL every REFRESH_MS in the background, not per scrape:
  // a scrape reads three numbers from memory, however often it comes.
  const counts = { open: 0, overdue: 0, failed: 0 };
  new Gauge({
    name: "drp_disputes_open",
    help: "Open disputes",
    registers: [registry],
    collect() {
      this.set(counts.open);
    },
  });
  new Gauge({
    name: "drp_disputes_overdue",
    help: "Open disputes whose stage response is overdue",
    registers: [registry],
    collect() {
      this.set(counts.overdue);
    },
  });
  new Gauge({
    name: "drp_outbox_failed",
    help: "Emails that failed after every retry",
    registers: [registry],
    collect() {
      this.set(counts.failed);
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const refresh = async (db: Database, clock: Clock) => {
    const n = async (q: Promise<{ n: number }[]>) => Number((await q)[0]?.n ?? 0);
    const count = sql<number>`count(*)::int`;
    counts.open = await n(db.select({ n: count }).from(disputes).where(eq(disputes.status, "open")));
    counts.overdue = await n(
      db
        .select({ n: count })
        .from(disputes)
        .where(and(eq(disputes.status, "open"), eq(disputes.awaiting, "response"), lt(disputes.respondByAt, clock.now()))),
    );
    counts.failed = await n(
      db
        .select({ n: count })
        .from(outbox)
        .where(inArray(outbox.status, ["failed", "bounced"])),
    );
  };
  const watch = (db: Database, clock: Clock, everyMs = Number(process.env.DRP_METRICS_REFRESH_MS ?? 15_000)) => {
    const tick = () => void refresh(db, clock).catch(() => {}); // a missed refresh keeps the last counts
    tick();
    clearInterval(timer);
    timer = setInterval(tick, everyMs);
    timer.unref();
  };
  return { registry, notifications, jobs, watch, stop: () => clearInterval(timer), refresh };
}
