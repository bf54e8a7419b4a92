// The reviews on the outstanding list: each deadline still running after a
// statutory review or conference (the decisions to send, the post-review
// audit, the team manager's response), with who must meet it, by when, and
// how many working days are left. Only open reviews the person may see: QA
// every one of the authority, a chair the ones they chaired, a manager their
// teams', and the people named on the child's case.
import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import { reviews } from "../db/schema.ts";
import { maySeeReview, type Viewer } from "../domain/access.ts";
import { endOfWeek, type IsoDate, longDate } from "../domain/calendar/dates.ts";
import type { Directory } from "../domain/directory.ts";
import { resolveRole } from "../domain/directory.ts";
import { type Authority, roleLabel } from "../domain/procedure/model.ts";
import { replayReview } from "../domain/review/state.ts";
import { deadlineStatus, isOutstanding } from "../domain/review/status.ts";
import { ascii } from "../domain/text.ts";
import type { Services } from "./context.ts";
import type { OutstandingFilter } from "./outstanding.ts";
import { eventOf, type ReviewRow, reviewEventsByReview, reviewsOf } from "./reviews.ts";

export interface OutstandingReviewRow {
  id: string;
  reference: string;
  childRef: string;
  procedure: ReviewRow["procedure"];
  procedureName: string;
  teamId: string;
  teamName: string;
  /** "Statutory review, 2 December 2026: Post-review audit" */
  deadlineName: string;
  heldOnText: string;
  holder: { role: string; label: string; people: { id: string; name: string }[] };
  respondBy: IsoDate;
  respondByText: string;
  workingDaysLeft: number;
  overdue: boolean;
}

/** The SQL half of who may see which review: the same rule as maySeeReview, which narrows it exactly. */
function visibleTo(v: Viewer): SQL | undefined {
  if (v.qa) return undefined;
  const any: SQL[] = [sql`lower(${reviews.chairEmail}) = ${v.email}`];
  if (v.teams.size)
    any.push(
      sql`${reviews.teamId} in (${sql.join(
        [...v.teams].map((t) => sql`${t}`),
        sql`, `,
      )})`,
    );
  if (v.personIds.size)
    any.push(
      sql`exists (select 1 from jsonb_each_text(${reviews.casePeople}) c where c.value in (${sql.join(
        [...v.personIds].map((id) => sql`${id}`),
        sql`, `,
      )}))`,
    );
  return sql`(${sql.join(any, sql` or `)})`;
}

/** Who must meet a review's deadline: its chair (by the directory's person with that address, where there is one), or the role for the child. */
function holderOf(a: Authority, dir: Directory, r: ReviewRow, who: string): OutstandingReviewRow["holder"] {
  if (who === "chair") {
    const person = [...dir.people.values()].find((p) => p.email.toLowerCase() === r.chairEmail.toLowerCase());
    return {
      role: r.chairRole,
      label: r.chairRole === "cp_chair" ? "CP Chair" : "IRO",
      people: [{ id: person?.id ?? `chair:${r.chairEmail.toLowerCase()}`, name: r.chairName }],
    };
  }
  const found = resolveRole(dir, who, r.teamId, r.casePeople);
  return { role: who, label: roleLabel(a, who), people: found.found ? found.people.map((x) => ({ id: x.id, name: x.name })) : [] };
}

/** Each running or overdue deadline of the open reviews the viewer may see, the soonest due first. */
export async function outstandingReviews(
  svc: Services,
  a: Authority,
  dir: Directory,
  v: Viewer,
  today: IsoDate,
): Promise<OutstandingReviewRow[]> {
  const candidates = await svc.db
    .select()
    .from(reviews)
    .where(and(eq(reviews.authorityId, a.id), eq(reviews.status, "open"), visibleTo(v)))
    .orderBy(asc(reviews.heldOn), asc(reviews.reference));
  const rows = candidates.filter((r) => maySeeReview(v, r));
  if (!rows.length) return [];
  const byReview = await reviewEventsByReview(
    svc.db,
    rows.map((r) => r.id),
  );
  const now = svc.clock.now();
  const out: OutstandingReviewRow[] = [];
  for (const r of rows) {
    const p = a.procedures[r.procedure];
    if (!p?.reviews) continue;
    const state = replayReview(a, reviewsOf(a, p), (byReview.get(r.id) ?? []).map(eventOf));
    for (const d of state.deadlines) {
      const status = deadlineStatus(d, state, now);
      if (!isOutstanding(status) || !d.due) continue;
      const left = a.calendar.workingDaysBetween(today, d.due.date);
      out.push({
        id: r.id,
        reference: r.reference,
        childRef: r.childRef,
        procedure: p.id,
        procedureName: p.name,
        teamId: r.teamId,
        teamName: dir.teams.get(r.teamId)?.name ?? r.teamId,
        deadlineName: d.config.name,
        heldOnText: longDate(r.heldOn as IsoDate),
        holder: holderOf(a, dir, r, d.config.who),
        respondBy: d.due.date,
        respondByText: longDate(d.due.date),
        workingDaysLeft: left,
        overdue: status === "overdue",
      });
    }
  }
  return out.sort(byDue);
}

const byDue = (x: OutstandingReviewRow, y: OutstandingReviewRow) => ascii(x.respondBy, y.respondBy) || ascii(x.reference, y.reference);

/** The rows the filter shows, in its order; reviews have no stage, so a stage filter shows none. */
export function filterReviews(rows: OutstandingReviewRow[], f: OutstandingFilter, today: IsoDate): OutstandingReviewRow[] {
  if (f.stage !== undefined) return [];
  const friday = endOfWeek(today);
  const shown = rows.filter(
    (x) =>
      (!f.procedure || x.procedure === f.procedure) &&
      (!f.team || x.teamId === f.team) &&
      (!f.overdue || x.overdue) &&
      (!f.dueThisWeek || x.respondBy <= friday) &&
      (!f.holder || x.holder.people.some((p) => p.id === f.holder)),
  );
  return shown.sort(
    f.sort === "reference"
      ? (x, y) => ascii(x.reference, y.reference) || byDue(x, y)
      : f.sort === "team"
        ? (x, y) => x.teamName.localeCompare(y.teamName) || byDue(x, y)
        : byDue,
  );
}
