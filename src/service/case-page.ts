// One dispute as its page shows it: what it waits for, from whom, by when; its
// history; every email sent and planned; what the procedure says happens
// next; and, for QA, who has opened it. Only for someone who may see it:
// anyone else is told there is no such case, as for a reference that does
// not exist. Every opening is recorded (children's records need an access trail).
import { and, asc, desc, eq } from "drizzle-orm";
import { loadDirectory } from "../db/queries/directory.ts";
import { findDisputeByReference } from "../db/queries/disputes.ts";
import { caseViews, outbox } from "../db/schema.ts";
import { maySeeDispute, type Viewer } from "../domain/access.ts";
import { localDate } from "../domain/calendar/local-time.ts";
import { explainProcedure } from "../domain/explain.ts";
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
  await svc.db.insert(caseViews).values({ authorityId: a.id, disputeId: row.id, viewerEmail: v.email, viewerName: v.name, at: now });
  const [detail, emails, trail] = await Promise.all([
    getDispute(svc, a.id, row.id),
    svc.db
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
      .where(eq(outbox.disputeId, row.id))
      .orderBy(asc(outbox.createdAt), asc(outbox.key)),
    v.qa
      ? svc.db
          .select({ name: caseViews.viewerName, email: caseViews.viewerEmail, at: caseViews.at })
          .from(caseViews)
          .where(and(eq(caseViews.authorityId, a.id), eq(caseViews.disputeId, row.id)))
          .orderBy(desc(caseViews.at))
          .limit(200)
      : Promise.resolve(undefined),
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
