// The outbox: every email — a dispute's, a review's, a report, the failure
// list, an event notice — is a row before it is sent, and this module alone
// changes a row's state. The rules, written once:
//   - a claim takes a row that is new, pending, or held by a lease that has
//     run out (its holder died); never a live lease, never a finished row;
//   - only the worker holding a row may finish it (sent, failed, or released
//     for a retry), and a finished row is never taken again.
// Every call works on many rows at once; one email is a batch of one.
import { and, eq, inArray, isNotNull, isNull, like, lt, or, type SQL, sql } from "drizzle-orm";
import type { Database, Db } from "../db/client.ts";
import { disputes, outbox } from "../db/schema.ts";

export type OutboxRow = typeof outbox.$inferSelect;
export type OutboxStatus = OutboxRow["status"];
export const FINISHED_STATUSES = ["sent", "skipped", "failed", "bounced"] as const satisfies readonly OutboxStatus[];
export const isFinished = (status: string | undefined): boolean => (FINISHED_STATUSES as readonly string[]).includes(status ?? "");

/**
 * Whether a notification needs nothing more sent: its own row says so
 * ("<key>/-"), or each addressee role's row is finished — or, for a role held
 * by several people, each holder's row ("<key>/<role>+<person>").
 * `rows` are the notification's rows (its planner key's).
 */
export function notificationDone(
  rows: readonly Pick<OutboxRow, "key" | "status">[],
  plannerKey: string,
  roles: readonly string[],
): boolean {
  if (rows.some((r) => r.key === `${plannerKey}/-`)) return true;
  return roles.every((role) => {
    const own = rows.find((r) => r.key === `${plannerKey}/${role}`);
    if (own) return isFinished(own.status);
    const each = rows.filter((r) => r.key.startsWith(`${plannerKey}/${role}+`));
    return each.length > 0 && each.every((r) => isFinished(r.status));
  });
}

/** Rows grouped by their notification (planner key). */
export function byNotification<R extends Pick<OutboxRow, "plannerKey">>(rows: readonly R[]): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const r of rows) (out.get(r.plannerKey) ?? out.set(r.plannerKey, []).get(r.plannerKey)!).push(r);
  return out;
}

export interface OutboxEntry {
  key: string;
  disputeId: string | null;
  authorityId: string;
  plannerKey: string;
  kind: string;
  stage: number | null;
  recipientRole: string;
}

/** An email to claim. Its headers are fixed at the first claim and kept on later ones: a resend is the same message. */
export interface Claim extends OutboxEntry {
  messageId: string;
  dateHeader: Date;
  threadIndex?: string | null;
  toAddresses?: string[];
}

/** The row may be claimed at `now`: pending, or sending under a lease that has run out. */
const claimable = (now: Date): SQL =>
  or(eq(outbox.status, "pending"), and(eq(outbox.status, "sending"), lt(outbox.lockExpiresAt, now))) as SQL;

/** The row is this worker's to finish: it holds the lease (run out or not, so long as nobody took it over). */
const heldBy = (worker: string): SQL => and(eq(outbox.status, "sending"), eq(outbox.lockedBy, worker)) as SQL;

/** Writes each row if need be and takes what it can, in one statement. Returns the rows this worker now holds. */
export async function claim(db: Db, emails: Claim[], worker: string, now: Date, leaseMs: number): Promise<OutboxRow[]> {
  if (!emails.length) return [];
  const lease = { status: "sending" as const, lockedBy: worker, lockExpiresAt: new Date(now.getTime() + leaseMs) };
  // rows are written (and locked) in key order, so that two workers claiming overlapping batches never deadlock
  const sorted = [...emails].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return db
    .insert(outbox)
    .values(sorted.map((e) => ({ ...e, ...lease, attempts: 1 })))
    .onConflictDoUpdate({
      target: outbox.key,
      set: {
        ...lease,
        attempts: sql`${outbox.attempts} + 1`,
        toAddresses: sql`coalesce(excluded.to_addresses, ${outbox.toAddresses})`,
        messageId: sql`coalesce(${outbox.messageId}, excluded.message_id)`,
        dateHeader: sql`coalesce(${outbox.dateHeader}, excluded.date_header)`,
        threadIndex: sql`coalesce(${outbox.threadIndex}, excluded.thread_index)`,
      },
      setWhere: claimable(now),
    })
    .returning();
}

export type NotificationEventType =
  | "notification_sent"
  | "notification_skipped"
  | "notification_failed"
  /** what the bounce mailbox said of one of the dispute's emails (mail/inbound) */
  | "email_bounced"
  | "email_delayed"
  | "recipient_away";

/** What goes into a dispute's event log when one of its emails is finished. */
export interface NotificationRecord {
  disputeId: string;
  type: NotificationEventType;
  at: Date;
  payload: Record<string, unknown>;
}

export interface SentEmail {
  key: string;
  smtpResponse: string;
  to: string[];
  refused: string[];
  at: Date;
  record?: NotificationRecord;
}
export interface FailedEmail {
  key: string;
  reason: string;
  record?: NotificationRecord;
}
export interface ReleasedEmail {
  key: string;
  error: string;
}
export interface Finished {
  sent: SentEmail[];
  failed: FailedEmail[];
  released: ReleasedEmail[];
}

/**
 * Marks what this worker holds as sent, failed or pending again, and records
 * the sent and failed ones in their disputes' logs, in one transaction (with
 * `also`, given the keys that were this worker's, in the same one). Returns
 * the keys that were this worker's to finish; the others are left untouched.
 */
export async function finish(
  db: Database,
  worker: string,
  f: Finished,
  also?: (tx: Db, done: Set<string>) => Promise<void>,
): Promise<Set<string>> {
  if (!f.sent.length && !f.failed.length && !f.released.length) return new Set();
  return db.transaction(async (tx) => {
    const done = new Set<string>();
    const update = async (set: Record<string, unknown>, columns: string, rows: Record<string, unknown>[]) => {
      const updated = await tx
        .update(outbox)
        .set({ ...set, lockedBy: null, lockExpiresAt: null })
        .from(sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(${sql.raw(columns)})`)
        .where(and(sql`${outbox.key} = v.k`, heldBy(worker)))
        .returning({ key: outbox.key });
      for (const u of updated) done.add(u.key);
    };
    if (f.sent.length)
      await update(
        {
          status: "sent",
          smtpResponse: sql`v.r`,
          toAddresses: sql`array(select jsonb_array_elements_text(v.to))`,
          ccAddresses: sql`'{}'::text[]`,
          reason: sql`v.why`,
          sentAt: sql`v.at`,
        },
        `k text, r text, "to" jsonb, why text, at timestamptz`,
        f.sent.map((s) => ({
          k: s.key,
          r: s.smtpResponse.slice(0, 500),
          to: s.to,
          why: s.refused.length ? `refused: ${s.refused.join(", ")}`.slice(0, 500) : null,
          at: s.at.toISOString(),
        })),
      );
    if (f.failed.length)
      await update(
        { status: "failed", reason: sql`v.why` },
        "k text, why text",
        f.failed.map((x) => ({ k: x.key, why: x.reason.slice(0, 500) })),
      );
    if (f.released.length)
      await update(
        { status: "pending", lastError: sql`v.e` },
        "k text, e text",
        f.released.map((x) => ({ k: x.key, e: x.error.slice(0, 500) })),
      );
    const records = [...f.sent, ...f.failed].filter((x) => done.has(x.key) && x.record).map((x) => x.record!);
    await appendRecords(tx, records);
    if (also) await also(tx, done);
    return done;
  });
}

export type FinalRow = OutboxEntry & {
  status: "skipped" | "failed";
  reason: string;
  record?: NotificationRecord;
  /** when it was written, where that is not now (the demo's history) */
  createdAt?: Date;
};

/** Writes rows that will not be sent (skipped, or failed before any attempt), once, recording each one written. */
export async function recordFinal(db: Database, rows: FinalRow[]): Promise<string[]> {
  if (!rows.length) return [];
  return db.transaction(async (tx) => {
    const sorted = [...rows].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    const written = await tx
      .insert(outbox)
      .values(sorted.map(({ record: _r, ...r }) => ({ ...r, reason: r.reason.slice(0, 500) })))
      .onConflictDoNothing({ target: outbox.key })
      .returning({ key: outbox.key });
    const keys = new Set(written.map((w) => w.key));
    await appendRecords(
      tx,
      rows.filter((r) => keys.has(r.key) && r.record).map((r) => r.record!),
    );
    return [...keys];
  });
}

/** Pending rows that no plan asks for any more: skipped as superseded. */
export async function supersede(db: Db, keys: string[], reason: string): Promise<number> {
  if (!keys.length) return 0;
  const rows = await db
    .update(outbox)
    .set({ status: "skipped", reason })
    .where(and(inArray(outbox.key, keys), eq(outbox.status, "pending")))
    .returning({ key: outbox.key });
  return rows.length;
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

export async function findRow(db: Db, key: string): Promise<OutboxRow | undefined> {
  const [row] = await db.select().from(outbox).where(eq(outbox.key, key));
  return row;
}

/** Every outbox row of these disputes, for the planner's "already done" and the next email's Date. */
export async function outboxOf(db: Db, disputeIds: string[]): Promise<OutboxRow[]> {
  if (!disputeIds.length) return [];
  return db
    .select()
    .from(outbox)
    .where(and(inArray(outbox.disputeId, disputeIds), isNotNull(outbox.disputeId)));
}

/** The finished keys under a prefix (a review's, a report period's). */
export async function finishedUnder(db: Db, prefix: string): Promise<Set<string>> {
  const rows = await db
    .select({ key: outbox.key })
    .from(outbox)
    .where(and(like(outbox.key, `${prefix.replace(/[\\%_]/g, "\\$&")}%`), inArray(outbox.status, [...FINISHED_STATUSES])));
  return new Set(rows.map((r) => r.key));
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
  createdAt: Date;
}

/** Emails failed for good, bounced, or sent with some addresses refused, not yet listed for the QA inbox. */
export async function unreportedFailures(db: Db, authorityId: string): Promise<FailureToReport[]> {
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
      createdAt: outbox.createdAt,
    })
    .from(outbox)
    .leftJoin(disputes, eq(disputes.id, outbox.disputeId))
    .where(
      and(
        eq(outbox.authorityId, authorityId),
        isNull(outbox.reportedAt),
        or(inArray(outbox.status, ["failed", "bounced"]), and(eq(outbox.status, "sent"), like(outbox.reason, "refused:%"))),
      ),
    );
}

export async function markReported(db: Db, keys: string[], at: Date): Promise<void> {
  if (keys.length) await db.update(outbox).set({ reportedAt: at }).where(inArray(outbox.key, keys));
}

/**
 * Appends notification records to their disputes' logs: each dispute's rows
 * locked first (in id order, so that two writers never deadlock), then the
 * records numbered after the dispute's last event.
 */
export async function appendRecords(tx: Db, records: NotificationRecord[]): Promise<void> {
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
