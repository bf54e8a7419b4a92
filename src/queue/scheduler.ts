// From PostgreSQL into Redis: a dispute's planned notifications become delayed
// jobs whose ids are the planner's keys, so adding them again changes nothing.
// The reconciler compares each dispute's version with the version whose plan
// is in Redis, and schedules what is missing: a Redis that lost its data
// heals itself from PostgreSQL.

import type { Queue } from "bullmq";
import { and, eq, gt, inArray, isNotNull, or } from "drizzle-orm";
import type { Redis } from "ioredis";
import type { Database } from "../db/client.ts";
import type { DisputeRow, EventRow } from "../db/queries/disputes.ts";
import { disputeEvents, disputes } from "../db/schema.ts";
import { planNotifications } from "../domain/planner.ts";
import { finishedKeys } from "../mail/outbox.ts";
import type { Services } from "../service/context.ts";
import { replayRows } from "../service/disputes.ts";
import { jobIdFor, type NotifyJob, notifyJobOptions, plannedMarker, type RetryPolicy } from "./queues.ts";

/** Closed disputes stay in the reconciler's view this long, for their closing notice. */
const CLOSED_WINDOW_MS = 14 * 86_400_000;
const MARKER_TTL_S = 30 * 86_400;

export interface SchedulerDeps {
  svc: Services;
  queue: Queue<NotifyJob>;
  redis: Redis;
  retry: RetryPolicy;
}

type PlannedJob = Parameters<Queue<NotifyJob>["addBulk"]>[0][number];

/** The jobs for one dispute's plan, leaving out `done` (planner keys whose emails are finished). */
export function jobsFor(deps: SchedulerDeps, row: DisputeRow, events: EventRow[], done: Set<string>): PlannedJob[] {
  const a = deps.svc.authorities.get(row.authorityId);
  if (!a) return [];
  const now = deps.svc.clock.now();
  const state = replayRows(a, row, events);
  const plan = planNotifications({
    authority: a,
    procedure: a.procedures[row.procedure]!,
    state,
    disputeId: row.id,
    service: row.serviceId,
    now,
  });
  // finished: skipped as a whole, or every addressee's email finished
  return plan.notifications
    .filter((n) => !done.has(`${n.key}/-`) && !n.addressees.every((x) => done.has(`${n.key}/${x.role}`)))
    .map((n) => ({
      name: n.kind,
      data: { v: 1, disputeId: row.id, authorityId: row.authorityId, key: n.key, kind: n.kind },
      opts: { ...notifyJobOptions(deps.retry), jobId: jobIdFor(n.key), delay: Math.max(0, n.sendAt.getTime() - now.getTime()) },
    }));
}

/** Adds the jobs (ids make this idempotent), then marks the versions whose plans are now in Redis. */
async function enqueue(deps: SchedulerDeps, jobs: PlannedJob[], rows: DisputeRow[]): Promise<void> {
  if (jobs.length) await deps.queue.addBulk(jobs);
  const marks = deps.redis.pipeline();
  for (const row of rows) marks.set(plannedMarker(row.id), String(row.version), "EX", MARKER_TTL_S);
  await marks.exec();
}

async function eventsByDispute(db: Database, ids: string[]): Promise<Map<string, EventRow[]>> {
  const rows = ids.length
    ? await db.select().from(disputeEvents).where(inArray(disputeEvents.disputeId, ids)).orderBy(disputeEvents.disputeId, disputeEvents.seq)
    : [];
  const out = new Map<string, EventRow[]>();
  for (const r of rows) (out.get(r.disputeId) ?? out.set(r.disputeId, []).get(r.disputeId)!).push(r);
  return out;
}

export async function scheduleById(deps: SchedulerDeps, disputeId: string): Promise<number> {
  const [row] = await deps.svc.db.select().from(disputes).where(eq(disputes.id, disputeId));
  if (!row) return 0;
  const events = (await eventsByDispute(deps.svc.db, [row.id])).get(row.id) ?? [];
  const jobs = jobsFor(deps, row, events, (await finishedKeys(deps.svc.db, [row.id])).get(row.id)!);
  await enqueue(deps, jobs, [row]);
  return jobs.length;
}

export interface ReconcileReport {
  checked: number;
  scheduled: number;
  jobs: number;
}

/**
 * Every open dispute (and every dispute closed in the last fortnight) whose
 * plan is not in Redis at its current version is scheduled again. Pages
 * through PostgreSQL by id; one MGET per page asks Redis what it holds.
 */
export async function reconcile(deps: SchedulerDeps, pageSize = 1000): Promise<ReconcileReport> {
  const { db } = deps.svc;
  const since = new Date(deps.svc.clock.now().getTime() - CLOSED_WINDOW_MS);
  const report: ReconcileReport = { checked: 0, scheduled: 0, jobs: 0 };
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const page = await db
      .select()
      .from(disputes)
      .where(and(gt(disputes.id, after), or(eq(disputes.status, "open"), and(isNotNull(disputes.closedAt), gt(disputes.closedAt, since)))))
      .orderBy(disputes.id)
      .limit(pageSize);
    if (!page.length) break;
    after = page[page.length - 1]!.id;
    report.checked += page.length;
    const marks = await deps.redis.mget(...page.map((r) => plannedMarker(r.id)));
    const stale = page.filter((r, i) => marks[i] !== String(r.version));
    if (stale.length) {
      const ids = stale.map((r) => r.id);
      const [events, done] = await Promise.all([eventsByDispute(db, ids), finishedKeys(db, ids)]);
      const jobs = stale.flatMap((row) => jobsFor(deps, row, events.get(row.id) ?? [], done.get(row.id)!));
      await enqueue(deps, jobs, stale);
      report.jobs += jobs.length;
      report.scheduled += stale.length;
    }
    if (page.length < pageSize) break;
  }
  return report;
}
