// The outbox: every email is a row before it is sent. Claiming a row is one
// conditional UPDATE, so of several workers exactly one sends it; a claim is a
// lease that another worker may take over once it expires (the holder died).
import { and, eq, inArray, isNotNull, isNull, like, lt, or, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { disputeEvents, disputes, outbox } from "../db/schema.ts";

export type OutboxRow = typeof outbox.$inferSelect;

export interface OutboxEntry {
  key: string;
  disputeId: string | null;
  authorityId: string;
  plannerKey: string;
  kind: string;
  stage: number | null;
  recipientRole: string;
}

export async function findRow(db: Database, key: string): Promise<OutboxRow | undefined> {
  const [row] = await db.select().from(outbox).where(eq(outbox.key, key));
  return row;
}

/**
 * Writes the row if need be and takes it for sending, in one statement; or
 * returns undefined if it is sent, skipped, failed, or held by a live lease.
 */
export async function claim(db: Database, e: OutboxEntry, worker: string, now: Date, leaseMs: number): Promise<OutboxRow | undefined> {
  const lease = { status: "sending" as const, lockedBy: worker, lockExpiresAt: new Date(now.getTime() + leaseMs) };
  const [row] = await db
    .insert(outbox)
    .values({ ...e, ...lease, attempts: 1 })
    .onConflictDoUpdate({
      target: outbox.key,
      set: { ...lease, attempts: sql`${outbox.attempts} + 1` },
      setWhere: or(eq(outbox.status, "pending"), and(eq(outbox.status, "sending"), lt(outbox.lockExpiresAt, now))),
    })
    .returning();
  return row;
}

/**
 * The Date of the next email of a dispute: now, or a second after its last
 * one, whichever is later, so that no two emails of a dispute share a second.
 */
export async function nextEmailSlot(db: Database, disputeId: string, now: Date): Promise<Date> {
  const [row] = await db
    .update(disputes)
    .set({
      lastEmailAt: sql`greatest(coalesce(${disputes.lastEmailAt} + interval '1 second', ${now.toISOString()}::timestamptz), ${now.toISOString()}::timestamptz)`,
    })
    .where(eq(disputes.id, disputeId))
    .returning({ at: disputes.lastEmailAt });
  return row?.at ?? now;
}

/** The Date already fixed for another addressee's email of the same notification, if any. */
export async function notificationDate(db: Database, plannerKey: string): Promise<Date | undefined> {
  const [row] = await db
    .select({ at: outbox.dateHeader })
    .from(outbox)
    .where(and(eq(outbox.plannerKey, plannerKey), isNotNull(outbox.dateHeader)))
    .limit(1);
  return row?.at ?? undefined;
}

export async function fixHeaders(
  db: Database,
  key: string,
  h: { messageId: string; dateHeader: Date; threadIndex: string },
): Promise<void> {
  await db.update(outbox).set(h).where(eq(outbox.key, key));
}

/**
 * Marks the email sent and records it in the dispute's log, together; only
 * while `worker` holds the row (a worker that lost its lease to another must
 * not overwrite what the other records). True if this call marked it.
 */
export async function markSent(
  db: Database,
  key: string,
  worker: string,
  r: { smtpResponse: string; to: string[]; cc: string[]; at: Date; refused?: string[] },
  log?: { disputeId: string; payload: Record<string, unknown> },
): Promise<boolean> {
  return db.transaction(async (t) => {
    const tx = t;
    const marked = await tx
      .update(outbox)
      .set({
        status: "sent",
        reason: r.refused?.length ? `refused: ${r.refused.join(", ")}`.slice(0, 500) : null,
        smtpResponse: r.smtpResponse.slice(0, 500),
        toAddresses: r.to,
        ccAddresses: r.cc,
        sentAt: r.at,
        lockedBy: null,
        lockExpiresAt: null,
      })
      .where(and(eq(outbox.key, key), eq(outbox.status, "sending"), eq(outbox.lockedBy, worker)))
      .returning({ key: outbox.key });
    if (!marked.length) return false;
    if (log) await appendNotificationEvent(tx, log.disputeId, "notification_sent", r.at, log.payload);
    return true;
  });
}

/** Gives the row back for a later attempt, if this worker still holds it. */
export async function release(db: Database, key: string, worker: string, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "pending", lastError: error.slice(0, 500), lockedBy: null, lockExpiresAt: null })
    .where(and(eq(outbox.key, key), eq(outbox.status, "sending"), eq(outbox.lockedBy, worker)));
}

/**
 * Marks the email failed for good. With `worker`, only while that worker
 * still holds it (another may have taken it over and sent it meanwhile).
 */
export async function markFailed(db: Database, key: string, reason: string, worker?: string): Promise<void> {
  const held = worker ? and(eq(outbox.status, "sending"), eq(outbox.lockedBy, worker)) : undefined;
  await db
    .update(outbox)
    .set({ status: "failed", reason: reason.slice(0, 500), lockedBy: null, lockExpiresAt: null })
    .where(and(eq(outbox.key, key), held));
}

/** Records a notification that will not be sent; true if this call recorded it. */
export async function recordSkip(db: Database, e: OutboxEntry, reason: string): Promise<boolean> {
  const rows = await db
    .insert(outbox)
    .values({ ...e, status: "skipped", reason })
    .onConflictDoNothing({ target: outbox.key })
    .returning({ key: outbox.key });
  return rows.length === 1;
}

/** Per dispute, the outbox keys that are finished (sent, skipped or failed). */
export async function finishedKeys(db: Database, disputeIds: string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>(disputeIds.map((id) => [id, new Set()]));
  if (!disputeIds.length) return out;
  const rows = await db
    .select({ disputeId: outbox.disputeId, key: outbox.key, status: outbox.status })
    .from(outbox)
    .where(inArray(outbox.disputeId, disputeIds));
  for (const r of rows) if (r.disputeId && r.status !== "pending" && r.status !== "sending") out.get(r.disputeId)?.add(r.key);
  return out;
}

/**
 * A notification job that failed for good (it kept killing workers, or the
 * database kept failing): its unfinished emails are marked failed, or, if it
 * never got as far as writing any, a failed row is written for it, so that it
 * reaches the QA inbox's failure list and is not lost.
 */
export async function failUnfinished(db: Database, e: Omit<OutboxEntry, "key" | "recipientRole">, reason: string): Promise<number> {
  // one transaction: a worker that claims a row meanwhile, or a second failure, sees all of it or none
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(outbox)
      .set({ status: "failed", reason: reason.slice(0, 500), lockedBy: null, lockExpiresAt: null })
      .where(and(eq(outbox.plannerKey, e.plannerKey), inArray(outbox.status, ["pending", "sending"])))
      .returning({ key: outbox.key });
    const [any] = await tx.select({ key: outbox.key }).from(outbox).where(eq(outbox.plannerKey, e.plannerKey)).limit(1);
    if (any) return rows.length;
    const written = await tx
      .insert(outbox)
      .values({ ...e, key: `${e.plannerKey}/-`, recipientRole: "-", status: "failed", reason: reason.slice(0, 500) })
      .onConflictDoNothing({ target: outbox.key })
      .returning({ key: outbox.key });
    return written.length;
  });
}

export interface FailureToReport {
  key: string;
  kind: string;
  recipientRole: string;
  reason: string | null;
  lastError: string | null;
  reference: string | null;
  procedure: string | null;
  teamId: string | null;
}

/** Emails failed for good, or sent with some addresses refused, not yet listed for the QA inbox. */
export async function unreportedFailures(db: Database, authorityId: string): Promise<FailureToReport[]> {
  return db
    .select({
      key: outbox.key,
      kind: outbox.kind,
      recipientRole: outbox.recipientRole,
      reason: outbox.reason,
      lastError: outbox.lastError,
      reference: disputes.reference,
      procedure: disputes.procedure,
      teamId: disputes.teamId,
    })
    .from(outbox)
    .leftJoin(disputes, eq(disputes.id, outbox.disputeId))
    .where(
      and(
        eq(outbox.authorityId, authorityId),
        isNull(outbox.reportedAt),
        or(eq(outbox.status, "failed"), and(eq(outbox.status, "sent"), like(outbox.reason, "refused:%"))),
      ),
    );
}

export async function markReported(db: Database, keys: string[], at: Date): Promise<void> {
  if (keys.length) await db.update(outbox).set({ reportedAt: at }).where(inArray(outbox.key, keys));
}

/**
 * Appends a notification record to the dispute's event log, under the
 * dispute's row lock so that its seq cannot collide with a step's.
 */
export async function logNotification(
  db: Database,
  disputeId: string,
  type: "notification_sent" | "notification_skipped" | "notification_failed",
  at: Date,
  payload: Record<string, unknown>,
): Promise<void> {
  await db.transaction((t) => appendNotificationEvent(t, disputeId, type, at, payload));
}

async function appendNotificationEvent(
  tx: Database,
  disputeId: string,
  type: string,
  at: Date,
  payload: Record<string, unknown>,
): Promise<void> {
  await tx.select({ id: disputes.id }).from(disputes).where(eq(disputes.id, disputeId)).for("update");
  await tx.insert(disputeEvents).values({
    disputeId,
    seq: sql`(select coalesce(max(${disputeEvents.seq}), -1) + 1 from ${disputeEvents} where ${disputeEvents.disputeId} = ${disputeId})`,
    type,
    at,
    payload,
    recordedAt: at,
  });
}
