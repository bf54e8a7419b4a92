// The directory gaps page: every role the procedures use that nobody holds for
// some team, with the open disputes waiting on it now (their stage's
// recipient is that role, for that team). QA see every team; anyone else
// their own teams.
import type { Viewer } from "../domain/access.ts";
import { longDate } from "../domain/calendar/dates.ts";
import { localDate } from "../domain/calendar/local-time.ts";
import { directoryGaps } from "../domain/gaps.ts";
import type { Services } from "./context.ts";
import { outstandingRow, visibleOpenDisputes } from "./outstanding.ts";

export async function gapsFor(svc: Services, v: Viewer) {
  const { a, dir, rows } = await visibleOpenDisputes(svc, v);
  const today = localDate(svc.clock.now(), a.timeZone);
  const waiting = rows.map((d) => outstandingRow(a, dir, d, today)).filter((r) => r.holder.gap);
  return directoryGaps(a, dir)
    .filter((g) => v.qa || v.teams.has(g.teamId))
    .map((g) => ({
      ...g,
      // "Held by Sam Leaver, whose address bounced on Monday 7 December 2026 (status 5.1.1)"
      bouncedText: g.bounced?.map(
        (b) => `Held by ${b.name}, whose address ${b.email} bounced on ${longDate(localDate(b.since, a.timeZone))} (status ${b.status})`,
      ),
      disputes: waiting.filter((r) => r.teamId === g.teamId && r.holder.role === g.role).map((r) => r.reference),
    }));
}
