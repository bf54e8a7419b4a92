// Reading disputes: one in full, or a filtered list. Always within the
// caller's authority; another authority's id is simply not found.
import { loadDirectory } from "../db/queries/directory.ts";
import { eventsOf, findDispute, type ListFilter, listDisputes } from "../db/queries/disputes.ts";
import { authorityOf, type Services } from "./context.ts";
import { replayRows, UUID } from "./disputes.ts";
import { NotFoundError } from "./errors.ts";
import { disputeDetail, disputeSummary } from "./views.ts";

export async function getDispute(svc: Services, authorityId: string, id: string) {
  const a = authorityOf(svc, authorityId);
  const row = UUID.test(id) ? await findDispute(svc.db, a.id, id) : undefined;
  if (!row) throw new NotFoundError("no such dispute");
  const [events, dir] = await Promise.all([eventsOf(svc.db, row.id), loadDirectory(svc.db, a.id)]);
  return disputeDetail(a, row, events, replayRows(a, row, events), dir, svc.clock.now());
}

export async function listDisputeSummaries(svc: Services, authorityId: string, filter: ListFilter) {
  const a = authorityOf(svc, authorityId);
  const now = svc.clock.now();
  const rows = await listDisputes(svc.db, a.id, filter, now);
  return rows.map((r) => disputeSummary(a, r, now));
}
