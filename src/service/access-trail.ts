// The access trail children's records need: who opened a dispute's or a
// review's page, or a step's form on it, or downloaded it in a list, and when.
// Recorded before anything of the case is shown; read back for QA.
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { caseViews } from "../db/schema.ts";
import type { Viewer } from "../domain/access.ts";

export type Opened = { disputeId: string } | { reviewId: string };
export type Access = (typeof caseViews.$inferInsert)["what"] & string;

export async function recordAccess(db: Db, v: Viewer, target: Opened, what: Access, at: Date): Promise<void> {
  await db.insert(caseViews).values({ authorityId: v.authorityId, ...target, what, viewerEmail: v.email, viewerName: v.name, at });
}

/** One row a dispute in a download, in one statement however many there are. */
export async function recordDownload(db: Db, v: Viewer, disputeIds: readonly string[], at: Date): Promise<void> {
  if (!disputeIds.length) return;
  await db.execute(sql`insert into ${caseViews} (authority_id, dispute_id, what, viewer_email, viewer_name, at)
    select ${v.authorityId}, d, 'csv', ${v.email}, ${v.name}, ${at.toISOString()}::timestamptz
    from unnest(${`{${disputeIds.join(",")}}`}::uuid[]) as d`);
}

/** The latest 200 accesses, newest first. */
export async function accessTrail(db: Db, authorityId: string, target: Opened) {
  const which = "disputeId" in target ? eq(caseViews.disputeId, target.disputeId) : eq(caseViews.reviewId, target.reviewId);
  return db
    .select({ name: caseViews.viewerName, email: caseViews.viewerEmail, what: caseViews.what, at: caseViews.at })
    .from(caseViews)
    .where(and(eq(caseViews.authorityId, authorityId), which))
    .orderBy(desc(caseViews.at))
    .limit(200);
}
