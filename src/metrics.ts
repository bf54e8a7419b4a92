// Prometheus metrics: jobs, notifications sent / failed / skipped, open and
// overdue disputes (counted from PostgreSQL when scraped).
import { and, eq, lt, sql } from "drizzle-orm";
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { Clock } from "./clock.ts";
import type { Database } from "./db/client.ts";
import { disputes, outbox } from "./db/schema.ts";

export interface Metrics {
  registry: Registry;
  notifications: Counter<"kind" | "result">;
  jobs: Counter<"queue" | "result">;
  /** counts disputes in the database on each scrape */
  watch(db: Database, clock: Clock): void;
}

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
  let source: { db: Database; clock: Clock } | undefined;
  const count = async (where: ReturnType<typeof and>) => {
    const [row] = await source!.db.select({ n: sql<number>`count(*)::int` }).from(disputes).where(where);
    return Number(row?.n ?? 0);
  };
  new Gauge({
    name: "drp_disputes_open",
    help: "Open disputes",
    registers: [registry],
    async collect() {
      if (source) this.set(await count(eq(disputes.status, "open")));
    },
  });
  new Gauge({
    name: "drp_disputes_overdue",
    help: "Open disputes whose stage response is overdue",
    registers: [registry],
    async collect() {
      if (source)
        this.set(
          await count(and(eq(disputes.status, "open"), eq(disputes.awaiting, "response"), lt(disputes.respondByAt, source.clock.now()))),
        );
    },
  });
  new Gauge({
    name: "drp_outbox_failed",
    help: "Emails that failed after every retry",
    registers: [registry],
    async collect() {
      if (!source) return;
      const [row] = await source.db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(eq(outbox.status, "failed"));
      this.set(Number(row?.n ?? 0));
    },
  });
  return { registry, notifications, jobs, watch: (db, clock) => void (source = { db, clock }) };
}
