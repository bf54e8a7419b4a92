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

/** Writes the row if it is not there yet. */
export async function ensureRow(db: Database, e: OutboxEntry): Promise<void> {
  await db
    .insert(outbox)
    .values({ ...e, status: "pending" })
    .onConflictDoNothing({ target: outbox.key });
}

/** Takes the row for sending, or returns undefined if it is sent, skipped, failed or held by a live lease. */
export async function claim(db: Database, key: string, worker: string, now: Date, leaseMs: number): Promise<OutboxRow | undefined> {
  const [row] = await db
    .update(outbox)
    .set({ status: "sending", lockedBy: worker, lockExpiresAt: new Date(now.getTime() + leaseMs), attempts: sql`${outbox.attempts} + 1` })
    .where(and(eq(outbox.key, key), or(eq(outbox.status, "pending"), and(eq(outbox.status, "sending"), lt(outbox.lockExpiresAt, now)))))
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

export async function markSent(
  db: Database,
  key: string,
  r: { smtpResponse: string; to: string[]; cc: string[]; at: Date },
): Promise<void> {
  await db
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

/** Planner keys of a dispute whose every email is finished (sent, skipped or failed). */
export async function finishedKeys(db: Database, disputeId: string): Promise<Set<string>> {
  const rows = await db
    .select({ plannerKey: outbox.plannerKey, status: outbox.status })
    .from(outbox)
    .where(eq(outbox.disputeId, disputeId));
  const open = new Set(rows.filter((r) => r.status === "pending" || r.status === "sending").map((r) => r.plannerKey));
  return new Set(rows.filter((r) => !open.has(r.plannerKey)).map((r) => r.plannerKey));
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
  await db.transaction(async (t) => {
    const tx = t as unknown as Database;
    await tx.select({ id: disputes.id }).from(disputes).where(eq(disputes.id, disputeId)).for("update");
    const [{ next }] = (await tx
      .select({ next: sql<number>`coalesce(max(${disputeEvents.seq}), -1) + 1` })
      .from(disputeEvents)
      .where(eq(disputeEvents.disputeId, disputeId))) as [{ next: number }];
    await tx.insert(disputeEvents).values({ disputeId, seq: Number(next), type, at, payload, recordedAt: at });
  });
}
