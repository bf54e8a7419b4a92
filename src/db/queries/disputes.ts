// Disputes and their event log: plain (db, params) functions.
import { and, asc, desc, eq, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { disputeEvents, disputes, referenceCounters } from "../schema.ts";

export type DisputeRow = typeof disputes.$inferSelect;
export type NewDispute = typeof disputes.$inferInsert;
export type EventRow = typeof disputeEvents.$inferSelect;
export type NewEvent = typeof disputeEvents.$inferInsert;

export type Projection = Pick<
  DisputeRow,
  "stage" | "stagesEntered" | "status" | "awaiting" | "formalStartedOn" | "overallDeadline" | "respondBy" | "respondByAt" | "closedAt"
>;

/** Allocates the next reference number for an authority and year. */
export async function nextReferenceNumber(tx: Database, authorityId: string, year: number): Promise<number> {
  const [row] = await tx
    .insert(referenceCounters)
    .values({ authorityId, year, last: 1 })
    .onConflictDoUpdate({
      target: [referenceCounters.authorityId, referenceCounters.year],
      set: { last: sql`${referenceCounters.last} + 1` },
    })
    .returning({ last: referenceCounters.last });
  return row!.last;
}

export async function insertDispute(tx: Database, values: NewDispute): Promise<DisputeRow> {
  const [row] = await tx.insert(disputes).values(values).returning();
  return row!;
}

/** The dispute, locked until the transaction ends, so that steps on it queue up. */
export async function lockDispute(tx: Database, authorityId: string, id: string): Promise<DisputeRow | undefined> {
  const [row] = await tx
    .select()
    .from(disputes)
    .where(and(eq(disputes.id, id), eq(disputes.authorityId, authorityId)))
    .for("update");
  return row;
}

export async function findDispute(db: Database, authorityId: string, id: string): Promise<DisputeRow | undefined> {
  const [row] = await db
    .select()
    .from(disputes)
    .where(and(eq(disputes.id, id), eq(disputes.authorityId, authorityId)));
  return row;
}

export async function findDisputeByReference(db: Database, authorityId: string, reference: string): Promise<DisputeRow | undefined> {
  const [row] = await db
    .select()
    .from(disputes)
    .where(and(eq(disputes.reference, reference), eq(disputes.authorityId, authorityId)));
  return row;
}

export async function findDisputes(db: Database, ids: string[]): Promise<DisputeRow[]> {
  return ids.length ? db.select().from(disputes).where(inArray(disputes.id, ids)) : [];
}

/** The event logs of many disputes in one query, by dispute, in order. */
export async function eventsByDispute(db: Database, ids: string[]): Promise<Map<string, EventRow[]>> {
  const rows = ids.length
    ? await db.select().from(disputeEvents).where(inArray(disputeEvents.disputeId, ids)).orderBy(disputeEvents.disputeId, disputeEvents.seq)
    : [];
  const out = new Map<string, EventRow[]>();
  for (const r of rows) {
    const list = out.get(r.disputeId);
    if (list) list.push(r);
    else out.set(r.disputeId, [r]);
  }
  return out;
}

/**
 * Records when each dispute's job is next due, for the version it was worked
 * out at; a dispute that has moved on since keeps its newer value.
 */
export async function recordNextDue(db: Database, rows: { id: string; version: number; next: Date | undefined }[]): Promise<void> {
  if (!rows.length) return;
  const data = rows.map((r) => ({ id: r.id, v: r.version, at: r.next?.toISOString() ?? null }));
  await db
    .update(disputes)
    .set({ nextDueAt: sql`v.at`, nextDueVersion: sql`v.v` })
    .from(sql`jsonb_to_recordset(${JSON.stringify(data)}::jsonb) as v(id uuid, v int, at timestamptz)`)
    .where(and(sql`${disputes.id} = v.id`, sql`${disputes.version} = v.v`));
}

export async function eventsOf(db: Database, disputeId: string): Promise<EventRow[]> {
  return db.select().from(disputeEvents).where(eq(disputeEvents.disputeId, disputeId)).orderBy(asc(disputeEvents.seq));
}

export async function appendEvent(tx: Database, event: NewEvent): Promise<EventRow> {
  const [row] = await tx.insert(disputeEvents).values(event).returning();
  return row!;
}

/** Writes the new projection if the version is still the one read; false if it moved on. */
export async function saveProjection(tx: Database, id: string, version: number, p: Projection, now: Date): Promise<boolean> {
  const rows = await tx
    .update(disputes)
    .set({ ...p, version: version + 1, updatedAt: now })
    .where(and(eq(disputes.id, id), eq(disputes.version, version)))
    .returning({ id: disputes.id });
  return rows.length === 1;
}

export interface ListFilter {
  status?: DisputeRow["status"];
  overdue?: boolean;
  procedure?: DisputeRow["procedure"];
  limit?: number;
}

export async function listDisputes(db: Database, authorityId: string, f: ListFilter, now: Date): Promise<DisputeRow[]> {
  const where: SQL[] = [eq(disputes.authorityId, authorityId)];
  if (f.status) where.push(eq(disputes.status, f.status));
  if (f.procedure) where.push(eq(disputes.procedure, f.procedure));
  if (f.overdue) {
    where.push(eq(disputes.status, "open"), eq(disputes.awaiting, "response"), lt(disputes.respondByAt, now));
  }
  return db
    .select()
    .from(disputes)
    .where(and(...where))
    .orderBy(f.overdue ? asc(disputes.respondByAt) : desc(disputes.raisedAt))
    .limit(f.limit ?? 500);
}
