// The outbox, many rows at a time: a batch of emails is claimed in one
// statement, and finished (sent, failed, released for a retry) with its
// records in the disputes' logs in one transaction. The rules are the
// single-row ones of outbox.ts: a claim takes a row that is new, pending, or
// held by a lease that has run out; finishing a row needs the lease.
import { and, eq, inArray, isNotNull, lt, or, sql } from "drizzle-orm";
import type { Database, Db } from "../db/client.ts";
import { disputes, outbox } from "../db/schema.ts";
import type { OutboxEntry, OutboxRow } from "./outbox.ts";

export interface NewEmail extends OutboxEntry {
  /** fixed at the first claim, kept on later ones: a resend is the same message */
  messageId: string;
  dateHeader: Date;
  threadIndex: string;
  toAddresses: string[];
}

/** Claims every email it can: new, pending, or held by a lease that ran out. Returns the rows now held. */
export async function claimMany(db: Db, emails: NewEmail[], worker: string, now: Date, leaseMs: number): Promise<OutboxRow[]> {
  if (!emails.length) return [];
  const lease = { status: "sending" as const, lockedBy: worker, lockExpiresAt: new Date(now.getTime() + leaseMs) };
  return db
    .insert(outbox)
    .values(emails.map((e) => ({ ...e, ...lease, attempts: 1 })))
    .onConflictDoUpdate({
      target: outbox.key,
      set: {
        ...lease,
        attempts: sql`${outbox.attempts} + 1`,
        toAddresses: sql`excluded.to_addresses`,
        messageId: sql`coalesce(${outbox.messageId}, excluded.message_id)`,
        dateHeader: sql`coalesce(${outbox.dateHeader}, excluded.date_header)`,
        threadIndex: sql`coalesce(${outbox.threadIndex}, excluded.thread_index)`,
      },
      setWhere: or(eq(outbox.status, "pending"), and(eq(outbox.status, "sending"), lt(outbox.lockExpiresAt, now))),
    })
    .returning();
}

export type NotificationEventType = "notification_sent" | "notification_skipped" | "notification_failed";

export interface NotificationRecord {
  disputeId: string;
  type: NotificationEventType;
  at: Date;
  payload: Record<string, unknown>;
}

export interface Finished {
  sent: { key: string; smtpResponse: string; to: string[]; refused: string[]; at: Date; record: NotificationRecord }[];
  failed: { key: string; reason: string; record: NotificationRecord }[];
  released: { key: string; error: string }[];
}

/**
 * Marks what this worker holds as sent, failed or pending again, and records
 * the sent and failed ones in their disputes' logs, in one transaction.
 * Returns the keys that were this worker's to finish.
 */
export async function finishMany(db: Database, worker: string, f: Finished): Promise<Set<string>> {
  if (!f.sent.length && !f.failed.length && !f.released.length) return new Set();
  return db.transaction(async (tx) => {
    const done = new Set<string>();
    if (f.sent.length) {
      const rows = f.sent.map((s) => ({
        k: s.key,
        r: s.smtpResponse.slice(0, 500),
        to: s.to,
        why: s.refused.length ? `refused: ${s.refused.join(", ")}`.slice(0, 500) : null,
        at: s.at.toISOString(),
      }));
      const updated = await tx
        .update(outbox)
        .set({
          status: "sent",
          smtpResponse: sql`v.r`,
          toAddresses: sql`array(select jsonb_array_elements_text(v.to))`,
          ccAddresses: sql`'{}'::text[]`,
          reason: sql`v.why`,
          sentAt: sql`v.at`,
          lockedBy: null,
          lockExpiresAt: null,
        })
        .from(sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(k text, r text, "to" jsonb, why text, at timestamptz)`)
        .where(and(sql`${outbox.key} = v.k`, eq(outbox.status, "sending"), eq(outbox.lockedBy, worker)))
        .returning({ key: outbox.key });
      for (const u of updated) done.add(u.key);
    }
    if (f.failed.length) {
      const rows = f.failed.map((x) => ({ k: x.key, why: x.reason.slice(0, 500) }));
      const updated = await tx
        .update(outbox)
        .set({ status: "failed", reason: sql`v.why`, lockedBy: null, lockExpiresAt: null })
        .from(sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(k text, why text)`)
        .where(and(sql`${outbox.key} = v.k`, eq(outbox.status, "sending"), eq(outbox.lockedBy, worker)))
        .returning({ key: outbox.key });
      for (const u of updated) done.add(u.key);
    }
    if (f.released.length) {
      const rows = f.released.map((x) => ({ k: x.key, e: x.error.slice(0, 500) }));
      await tx
        .update(outbox)
        .set({ status: "pending", lastError: sql`v.e`, lockedBy: null, lockExpiresAt: null })
        .from(sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(k text, e text)`)
        .where(and(sql`${outbox.key} = v.k`, eq(outbox.status, "sending"), eq(outbox.lockedBy, worker)));
    }
    const records = [...f.sent, ...f.failed].filter((x) => done.has(x.key)).map((x) => x.record);
    await appendRecords(tx, records);
    return done;
  });
}

/** Writes rows that will not be sent (skipped, or failed before any attempt) and records each one written. */
export async function recordFinal(
  db: Database,
  rows: (OutboxEntry & { status: "skipped" | "failed"; reason: string; record: NotificationRecord })[],
): Promise<string[]> {
  if (!rows.length) return [];
  return db.transaction(async (tx) => {
    const written = await tx
      .insert(outbox)
      .values(rows.map(({ record: _r, ...r }) => ({ ...r, reason: r.reason.slice(0, 500) })))
      .onConflictDoNothing({ target: outbox.key })
      .returning({ key: outbox.key });
    const keys = new Set(written.map((w) => w.key));
    await appendRecords(
      tx,
      rows.filter((r) => keys.has(r.key)).map((r) => r.record),
    );
    return [...keys];
  });
}

/** Pending rows of these disputes that no plan asks for any more: skipped as superseded. */
export async function supersede(db: Db, keys: string[], reason: string): Promise<number> {
  if (!keys.length) return 0;
  const rows = await db
    .update(outbox)
    .set({ status: "skipped", reason })
    .where(and(inArray(outbox.key, keys), eq(outbox.status, "pending")))
    .returning({ key: outbox.key });
  return rows.length;
}

/** Every outbox row of these disputes, for the planner's "already done" and the next email's Date. */
export async function outboxOf(db: Db, disputeIds: string[]): Promise<OutboxRow[]> {
  if (!disputeIds.length) return [];
  return db
    .select()
    .from(outbox)
    .where(and(inArray(outbox.disputeId, disputeIds), isNotNull(outbox.disputeId)));
}

/**
 * Appends notification records to their disputes' logs: each dispute's rows
 * locked first (in id order, so that two writers never deadlock), then the
 * records numbered after the dispute's last event.
 */
async function appendRecords(tx: Db, records: NotificationRecord[]): Promise<void> {
  if (!records.length) return;
  const ids = [...new Set(records.map((r) => r.disputeId))].sort();
  await tx.select({ id: disputes.id }).from(disputes).where(inArray(disputes.id, ids)).orderBy(disputes.id).for("update");
  const rows = records.map((r, i) => ({ i, d: r.disputeId, type: r.type, at: r.at.toISOString(), payload: r.payload }));
  await tx.execute(sql`
    insert into dispute_events (dispute_id, seq, type, at, payload, recorded_at)
    select v.d::uuid,
      coalesce((select max(e.seq) from dispute_events e where e.dispute_id = v.d::uuid), -1) + row_number() over (partition by v.d order by v.i),
      v.type, v.at, v.payload, v.at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(i int, d text, type text, at timestamptz, payload jsonb)`);
}
