// From PostgreSQL into Redis: one delayed job per dispute, due at the next
// instant the planner has something for it. When it fires, the worker sends
// everything due and moves the job on to the dispute's next instant; a change
// to the dispute moves it too. The reconciler compares each dispute's version
// with the version whose job is in Redis, and re-arms what is missing or
// stale: a Redis that lost its data heals itself from PostgreSQL.

import type { Queue } from "bullmq";
import { and, eq, gt, isNotNull, or } from "drizzle-orm";
import { type DisputeRow, type EventRow, eventsByDispute, findDisputes, recordNextDue } from "../db/queries/disputes.ts";
import { disputes } from "../db/schema.ts";
import { deliveryFacts } from "../domain/delivery.ts";
import { planNotifications } from "../domain/planner.ts";
import { byNotification, notificationDone, type OutboxRow, outboxOf } from "../mail/outbox.ts";
import type { Services } from "../service/context.ts";
import { replayRows } from "../service/disputes.ts";
import {
  type DisputeJob,
  disputeJobId,
  jobKey,
  NOTIFY_QUEUE,
  notifyJobOptions,
  plannedMarker,
  type RetryPolicy,
  rearmFlag,
} from "./queues.ts";
import type { RedisClient } from "./redis-client.ts";

/** Closed disputes stay in the reconciler's view this long, for their closing notice. */
const CLOSED_WINDOW_MS = 14 * 86_400_000;
const MARKER_TTL_S = 30 * 86_400;

export interface SchedulerDeps {
  svc: Services;
  queue: Queue<DisputeJob>;
  redis: RedisClient;
  retry: RetryPolicy;
}

/**
 * When the dispute's job should next fire: now, for anything due and not yet
 * finished (or an email waiting for a retry); else the next notification's
 * time; undefined when nothing is left.
 */
export function nextInstant(svc: Services, row: DisputeRow, events: EventRow[], outbox: OutboxRow[]): Date | undefined {
  const a = svc.authorities.get(row.authorityId);
  if (!a) return undefined;
  const now = svc.clock.now();
  const state = replayRows(a, row, events);
  const plan = planNotifications({
    authority: a,
    procedure: a.procedures[row.procedure]!,
    state,
    disputeId: row.id,
    service: row.serviceId,
    now,
    delivery: deliveryFacts(events),
  });
  if (outbox.some((r) => r.status === "pending")) return now;
  const rows = byNotification(outbox);
  let next: Date | undefined;
  for (const n of plan.notifications) {
    if (
      notificationDone(
        rows.get(n.key) ?? [],
        n.key,
        n.addressees.map((x) => x.role),
      )
    )
      continue;
    // due now, unless sending hours hold it back (sendAt); a lapsed one is recorded as skipped now
    const at = n.status !== "lapsed" && n.sendAt > now ? n.sendAt : now;
    if (!next || at < next) next = at;
  }
  return next;
}

/** What arming a dispute's job needs of its row. */
type JobRow = Pick<DisputeRow, "id" | "authorityId" | "version">;

function jobOf(deps: SchedulerDeps, row: JobRow, next: Date) {
  const delay = Math.max(0, next.getTime() - deps.svc.clock.now().getTime());
  return {
    name: "dispute",
    data: { v: 2 as const, disputeId: row.id, authorityId: row.authorityId },
    opts: { ...notifyJobOptions(deps.retry), jobId: disputeJobId(row.id), delay },
  };
}

/**
 * Puts the dispute's job at `next`: adds it, or moves a delayed one. A job
 * running now is asked to look again when it finishes (it may have planned
 * before this change was committed).
 */
export async function armJob(deps: SchedulerDeps, row: JobRow, next: Date | undefined): Promise<void> {
  const id = disputeJobId(row.id);
  const job = await deps.queue.getJob(id);
  if (!next) return; // nothing ahead: a job still there fires, finds nothing, and ends
  const j = jobOf(deps, row, next);
  if (!job) {
    await deps.queue.add(j.name, j.data, j.opts);
    return;
  }
  const state = await job.getState();
  if (state === "delayed") {
    try {
      await job.changeDelay(j.opts.delay);
      return;
    } catch {
      // it started meanwhile: ask it to look again
    }
  } else if (state === "completed" || state === "failed" || state === "unknown") {
    await job.remove().catch(() => {});
    await deps.queue.add(j.name, j.data, j.opts);
    return;
  }
  await deps.redis.set(rearmFlag(row.id), "1", "EX", 3600);
}

export async function scheduleById(deps: SchedulerDeps, disputeId: string): Promise<number> {
  const [row] = await findDisputes(deps.svc.db, [disputeId]);
  if (!row) return 0;
  const [events, outbox] = await Promise.all([eventsByDispute(deps.svc.db, [row.id]), outboxOf(deps.svc.db, [row.id])]);
  const next = nextInstant(deps.svc, row, events.get(row.id) ?? [], outbox);
  await armJob(deps, row, next);
  await Promise.all([
    deps.redis.set(plannedMarker(row.id), String(row.version), "EX", MARKER_TTL_S),
    recordNextDue(deps.svc.db, [{ id: row.id, version: row.version, next }]),
  ]);
  return next ? 1 : 0;
}

/** Adds the jobs a page is missing, moves those it has, and marks the versions now armed. */
async function writePage(deps: SchedulerDeps, armed: { row: JobRow; next: Date | undefined }[], stale: JobRow[]): Promise<void> {
  // which of them already have a job (moved, rather than added)
  const exists = deps.redis.pipeline();
  for (const { row } of armed) exists.exists(jobKey(NOTIFY_QUEUE, disputeJobId(row.id)));
  const found = (await exists.exec()) ?? [];
  const fresh = armed.filter((x, i) => x.next && !found[i]?.[1]);
  if (fresh.length) await deps.queue.addBulk(fresh.map((x) => jobOf(deps, x.row, x.next!)));
  for (const [i, x] of armed.entries()) if (x.next && found[i]?.[1]) await armJob(deps, x.row, x.next);
  const marks = deps.redis.pipeline();
  for (const row of stale) marks.set(plannedMarker(row.id), String(row.version), "EX", MARKER_TTL_S);
  await marks.exec();
}

export interface ReconcileReport {
  checked: number;
  scheduled: number;
  jobs: number;
}

/**
 * Every open dispute (and every dispute closed in the last fortnight) whose
 * job is not in Redis at its current version is armed again, at the instant
 * PostgreSQL records for that version (planned afresh where it has none).
 * Pages through PostgreSQL by id, reading only the columns that arming needs
 * (a whole row only for a dispute to plan afresh); per page, one MGET asks
 * Redis what it holds, and one addBulk adds the missing jobs. Pages are small
 * and at most one is read ahead and one written behind, so that the worker's
 * memory stays flat however many disputes there are.
 */
export async function reconcile(deps: SchedulerDeps, pageSize = Number(process.env.DRP_RECONCILE_PAGE ?? 1000)): Promise<ReconcileReport> {
  const { db } = deps.svc;
  const since = new Date(deps.svc.clock.now().getTime() - CLOSED_WINDOW_MS);
  const report: ReconcileReport = { checked: 0, scheduled: 0, jobs: 0 };
  const pageAfter = async (after: string) =>
    db
      .select({
        id: disputes.id,
        authorityId: disputes.authorityId,
        version: disputes.version,
        nextDueAt: disputes.nextDueAt,
        nextDueVersion: disputes.nextDueVersion,
      })
      .from(disputes)
      .where(and(gt(disputes.id, after), or(eq(disputes.status, "open"), and(isNotNull(disputes.closedAt), gt(disputes.closedAt, since)))))
      .orderBy(disputes.id)
      .limit(pageSize);
  type PageRow = Awaited<ReturnType<typeof pageAfter>>[number];
  let next: Promise<PageRow[]> = pageAfter("00000000-0000-0000-0000-000000000000");
  // Redis writes of one page overlap the planning of the next (one page's writes in flight at a time)
  let writing: Promise<void> = Promise.resolve();
  for (;;) {
    const page = await next;
    if (!page.length) break;
    // the next page is read while this one is planned and written to Redis
    next = page.length < pageSize ? Promise.resolve([]) : pageAfter(page[page.length - 1]!.id);
    report.checked += page.length;
    const marks = await deps.redis.mget(...page.map((r) => plannedMarker(r.id)));
    const stale = page.filter((r, i) => marks[i] !== String(r.version));
    if (!stale.length) continue;
    // what PostgreSQL already knows for the dispute's current version needs no planning
    const known = stale.filter((r) => r.nextDueVersion === r.version);
    const unknown = stale.filter((r) => r.nextDueVersion !== r.version).map((r) => r.id);
    const armed: { row: JobRow; next: Date | undefined }[] = known.map((row) => ({ row, next: row.nextDueAt ?? undefined }));
    if (unknown.length) {
      const [rows, events, outbox] = await Promise.all([findDisputes(db, unknown), eventsByDispute(db, unknown), outboxOf(db, unknown)]);
      const rowsOf = new Map<string, OutboxRow[]>();
      for (const r of outbox) (rowsOf.get(r.disputeId!) ?? rowsOf.set(r.disputeId!, []).get(r.disputeId!)!).push(r);
      const planned = rows.map((row) => ({ row, next: nextInstant(deps.svc, row, events.get(row.id) ?? [], rowsOf.get(row.id) ?? []) }));
      await recordNextDue(
        db,
        planned.map((x) => ({ id: x.row.id, version: x.row.version, next: x.next })),
      );
      armed.push(...planned);
    }
    report.jobs += armed.filter((x) => x.next).length;
    report.scheduled += stale.length;
    await writing;
    writing = writePage(deps, armed, stale);
  }
  await writing;
  return report;
}
