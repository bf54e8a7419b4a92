// One dispute as its page shows it: what it waits for, from whom, by when; its
// history; every email sent and planned; what the procedure says happens
// next; and, for QA, who has opened it. Only for someone who may see it:
// anyone else is told there is no such case, as for a reference that does
// not exist. Every opening is recorded (children's records need an access trail).
import { asc, eq, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { loadDirectory } from "../db/queries/directory.ts";
import { findDisputeByReference } from "../db/queries/disputes.ts";
import { outbox } from "../db/schema.ts";
import { maySeeDispute, type Viewer } from "../domain/access.ts";
import { localDate } from "../domain/calendar/local-time.ts";
import { explainProcedure } from "../domain/explain.ts";
import { accessTrail, recordAccess } from "./access-trail.ts";
import { authorityOf, type Services } from "./context.ts";
import { NotFoundError } from "./errors.ts";
import { outstandingRow } from "./outstanding.ts";
import { getDispute } from "./read.ts";

export async function casePage(svc: Services, v: Viewer, reference: string) {
  const a = authorityOf(svc, v.authorityId);
  const row = reference.length <= 64 ? await findDisputeByReference(svc.db, a.id, reference.toUpperCase()) : undefined;
  const dir = await loadDirectory(svc.db, a.id);
  if (!row || !maySeeDispute(v, a, dir, row, row.serviceId)) throw new NotFoundError(`no case ${reference} that you may see`);
  const now = svc.clock.now();
  await recordAccess(svc.db, v, { disputeId: row.id }, "page", now);
  const [detail, emails, trail] = await Promise.all([
    getDispute(svc, a.id, row.id),
    emailsAbout(svc.db, eq(outbox.disputeId, row.id)),
    v.qa ? accessTrail(svc.db, a.id, { disputeId: row.id }) : Promise.resolve(undefined),
  ]);
  const p = a.procedures[row.procedure]!;
  const explained = explainProcedure(a, p);
  return {
    authority: a,
    row,
    detail,
    now: outstandingRow(a, dir, row, localDate(now, a.timeZone)),
    stage: explained.stages.find((s) => s.stage === row.stage),
    next: explained.stages.filter((s) => s.stage > row.stage),
    emails,
    trail,
  };
}

export type CasePage = Awaited<ReturnType<typeof casePage>>;

/** Every email of a dispute or review in the outbox, oldest first. */
export function emailsAbout(db: Db, which: SQL) {
  return db
    .select({
      key: outbox.key,
      kind: outbox.kind,
      role: outbox.recipientRole,
      status: outbox.status,
      reason: outbox.reason,
      to: outbox.toAddresses,
      at: outbox.sentAt,
      createdAt: outbox.createdAt,
    })
    .from(outbox)
    .where(which)
    .orderBy(asc(outbox.createdAt), asc(outbox.key));
}
