// The outbox: every email is a row before it is sent. Claiming a row is one
// conditional UPDATE, so of several workers exactly one sends it; a claim is a
// lease that another worker may take over once it expires (the holder died).
import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
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

export async function fixHeaders(
  db: Database,
  key: string,
  h: { messageId: string; dateHeader: Date; threadIndex: string },
): Promise<void> {
  await db.update(outbox).set(h).where(eq(outbox.key, key));
}

/** Marks the email sent and records it in the dispute's log, together. */
export async function markSent(
  db: Database,
  key: string,
  r: { smtpResponse: string; to: string[]; cc: string[]; at: Date },
  log?: { disputeId: string; payload: Record<string, unknown> },
): Promise<void> {
  await db.transaction(async (t) => {
    const tx = t as unknown as Database;
    await tx
      .update(outbox)
      .set({
        status: "sent",
        smtpResponse: r.smtpResponse.slice(0, 500),
        toAddresses: r.to,
        ccAddresses: r.cc,
        sentAt: r.at,
        lockedBy: null,
        lockExpiresAt: null,
      })
      .where(eq(outbox.key, key));
    if (log) await appendNotificationEvent(tx, log.disputeId, "notification_sent", r.at, log.payload);
  });
}

/** Gives the row back for a later attempt. */
export async function release(db: Database, key: string, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "pending", lastError: error.slice(0, 500), lockedBy: null, lockExpiresAt: null })
    .where(eq(outbox.key, key));
}

export async function markFailed(db: Database, key: string, reason: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "failed", reason: reason.slice(0, 500), lockedBy: null, lockExpiresAt: null })
    .where(eq(outbox.key, key));
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

/** Per dispute, the planner keys whose every email is finished (sent, skipped or failed). */
export async function finishedKeys(db: Database, disputeIds: string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>(disputeIds.map((id) => [id, new Set()]));
  if (!disputeIds.length) return out;
  const rows = await db
    .select({ disputeId: outbox.disputeId, plannerKey: outbox.plannerKey, status: outbox.status })
    .from(outbox)
    .where(inArray(outbox.disputeId, disputeIds));
  const open = new Set(rows.filter((r) => r.status === "pending" || r.status === "sending").map((r) => r.plannerKey));
  for (const r of rows) if (r.disputeId && !open.has(r.plannerKey)) out.get(r.disputeId)?.add(r.plannerKey);
  return out;
}

export async function unreportedFailures(db: Database, authorityId: string): Promise<OutboxRow[]> {
  return db
    .select()
    .from(outbox)
    .where(and(eq(outbox.authorityId, authorityId), eq(outbox.status, "failed"), isNull(outbox.reportedAt)));
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
  await db.transaction((t) => appendNotificationEvent(t as unknown as Database, disputeId, type, at, payload));
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
