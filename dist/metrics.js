// Prometheus metrics: jobs, notifications sent / failed / skipped, open and
// overdue disputes (counted from PostgreSQL in the background). Served on
// their own port, bound to loopback unless told otherwise (metrics-server.ts).
import { and, eq, lt, sql } from "drizzle-orm";
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { disputes, outbox } from "./db/schema.js";
export function createMetrics() {
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
    let timer;
    const refresh = async (db, clock) => {
        const n = async (q) => Number((await q)[0]?.n ?? 0);
        const count = sql `count(*)::int`;
        counts.open = await n(db.select({ n: count }).from(disputes).where(eq(disputes.status, "open")));
        counts.overdue = await n(db
            .select({ n: count })
            .from(disputes)
            .where(and(eq(disputes.status, "open"), eq(disputes.awaiting, "response"), lt(disputes.respondByAt, clock.now()))));
        counts.failed = await n(db.select({ n: count }).from(outbox).where(eq(outbox.status, "failed")));
    };
    const watch = (db, clock, everyMs = Number(process.env.DRP_METRICS_REFRESH_MS ?? 15_000)) => {
        const tick = () => void refresh(db, clock).catch(() => { }); // a missed refresh keeps the last counts
        tick();
        clearInterval(timer);
        timer = setInterval(tick, everyMs);
        timer.unref();
    };
    return { registry, notifications, jobs, watch, stop: () => clearInterval(timer), refresh };
}
//# sourceMappingURL=metrics.js.map