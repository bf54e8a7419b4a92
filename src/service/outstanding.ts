// What is outstanding, as the QA tracker spreadsheet shows it: each open
// dispute the signed-in person may see, with the child's case reference, the
// team, the stage and who holds it, when the response is due and how many
// working days are left (or how overdue it is), and where it stands against
// the procedure's overall limit. Read from the projection on `disputes` and
// the directory; filtered first in SQL by who may see what, then exactly.
import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import { loadDirectory } from "../db/queries/directory.ts";
import type { DisputeRow } from "../db/queries/disputes.ts";
import { disputes } from "../db/schema.ts";
import { maySeeDispute, stagesHeldBy, type Viewer } from "../domain/access.ts";
import { endOfWeek, type IsoDate, longDate } from "../domain/calendar/dates.ts";
import { localDate } from "../domain/calendar/local-time.ts";
import { type Directory, type Resolution, resolveRole, undeliverable } from "../domain/directory.ts";
import { type Authority, roleLabel } from "../domain/procedure/model.ts";
import type { Recipient } from "../domain/procedure/schema.ts";
import { ascii } from "../domain/text.ts";
import { authorityOf, type Services } from "./context.ts";
import { filterReviews, type OutstandingReviewRow, outstandingReviews } from "./outstanding-reviews.ts";

export interface OutstandingFilter {
  procedure?: string;
  stage?: number;
  team?: string;
  /** a directory person id: the disputes they hold now */
  holder?: string;
  overdue?: boolean;
  /** due by the end of this working week (Friday), overdue ones included */
  dueThisWeek?: boolean;
  sort?: "due" | "reference" | "team" | "limit";
  /** 1-based; PAGE_SIZE rows a page (the CSV has them all) */
  page?: number;
}

export const PAGE_SIZE = 100;

export interface OutstandingRow {
  id: string;
  reference: string;
  childRef: string;
  procedure: string;
  procedureName: string;
  teamId: string;
  teamName: string;
  stage: number;
  /** "Stage 2 — Head of Service", in the procedure's own word */
  stageLabel: string;
  awaiting: "response" | "decision";
  /** who holds it now: the stage's recipient, as the directory resolves the role for the child */
  holder: { role: string; label: string; people: { id: string; name: string }[]; gap?: string };
  respondBy: IsoDate | null;
  /** "Thursday 26 November 2026" */
  respondByText: string | null;
  /** working days from today to the date it is due: negative once overdue */
  workingDaysLeft: number | null;
  overdue: boolean;
  /** "day 13 of 20", where the procedure has an overall limit and the formal process has begun */
  limit: { day: number; of: number; ends: IsoDate; over: boolean } | null;
}

export interface Outstanding {
  /** this page's rows */
  rows: OutstandingRow[];
  /** every dispute the filter shows, in order, as read (the CSV makes its rows a chunk at a time) */
  all: ListedDispute[];
  today: IsoDate;
  authority: Authority;
  directory: Directory;
  page: number;
  pages: number;
  /** the running deadlines of open reviews the filter shows (reviews have no stage: a stage filter shows none) */
  reviews: OutstandingReviewRow[];
  /** of the rows shown (after the filter) */
  counts: { shown: number; overdue: number; dueThisWeek: number; reviews: number; reviewsOverdue: number };
  /** for the filters' choices: what the viewer's open disputes have */
  teams: { id: string; name: string }[];
  holders: { id: string; name: string }[];
  procedures: { id: string; name: string }[];
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function recipientRole(r: Recipient | undefined, service: string): string | undefined {
  if (r === undefined) return undefined;
  return typeof r === "string" ? r : r.byService[service] || r.role;
}

/** The SQL half of who may see what: wide enough for every dispute the viewer may see, narrowed exactly afterwards. */
function visibleTo(a: Authority, v: Viewer): SQL | undefined {
  if (v.qa) return undefined;
  const any: SQL[] = [sql`lower(${disputes.raisedByEmail}) = ${v.email}`];
  if (v.teams.size)
    any.push(
      sql`${disputes.teamId} in (${sql.join(
        [...v.teams].map((t) => sql`${t}`),
        sql`, `,
      )})`,
    );
  for (const p of Object.values(a.procedures)) {
    const held = stagesHeldBy(p, v.roles);
    if (held.length)
      any.push(
        sql`(${disputes.procedure} = ${p.id} and ${disputes.stagesEntered} && array[${sql.join(
          held.map((n) => sql`${n}`),
          sql`, `,
        )}]::integer[])`,
      );
  }
  if (v.personIds.size)
    any.push(
      sql`exists (select 1 from jsonb_each_text(${disputes.casePeople}) c where c.value in (${sql.join(
        [...v.personIds].map((id) => sql`${id}`),
        sql`, `,
      )}))`,
    );
  return sql`(${sql.join(any, sql` or `)})`;
}

/** What the list reads of each dispute: not its summary, categories or requested actions. */
const LISTED = {
  id: disputes.id,
  authorityId: disputes.authorityId,
  reference: disputes.reference,
  procedure: disputes.procedure,
  childRef: disputes.childRef,
  raisedByEmail: disputes.raisedByEmail,
  teamId: disputes.teamId,
  serviceId: disputes.serviceId,
  casePeople: disputes.casePeople,
  stage: disputes.stage,
  stagesEntered: disputes.stagesEntered,
  awaiting: disputes.awaiting,
  formalStartedOn: disputes.formalStartedOn,
  overallDeadline: disputes.overallDeadline,
  respondBy: disputes.respondBy,
};
export type ListedDispute = Pick<DisputeRow, keyof typeof LISTED>;

/** The open disputes the viewer may see, as the SQL and the exact rule agree. */
export async function visibleOpenDisputes(svc: Services, v: Viewer): Promise<{ a: Authority; dir: Directory; rows: ListedDispute[] }> {
  const a = authorityOf(svc, v.authorityId);
  const where = and(eq(disputes.authorityId, a.id), eq(disputes.status, "open"), visibleTo(a, v));
  const [candidates, dir] = await Promise.all([
    svc.db.select(LISTED).from(disputes).where(where).orderBy(asc(disputes.respondByAt), asc(disputes.reference)),
    loadDirectory(svc.db, a.id),
  ]);
  const rows = v.qa ? candidates : candidates.filter((d) => maySeeDispute(v, a, dir, d, d.serviceId));
  return { a, dir, rows };
}

/** Who holds a dispute now: its stage's recipient, as the directory resolves the role for the child. */
function holding(a: Authority, dir: Directory, d: ListedDispute): { role: string | undefined; found: Resolution | undefined } {
  const stage = a.procedures[d.procedure]?.stages.find((s) => s.stage === d.stage);
  const role = recipientRole(stage?.recipient, d.serviceId);
  return { role, found: role ? resolveRole(dir, role, d.teamId, d.casePeople) : undefined };
}

export function outstandingRow(a: Authority, dir: Directory, d: ListedDispute, today: IsoDate): OutstandingRow {
  const p = a.procedures[d.procedure]!;
  const stage = p.stages.find((s) => s.stage === d.stage);
  const { role, found } = holding(a, dir, d);
  // a holder whose address bounced is not reached: the role is a gap until the directory is mended
  const reachable = found?.found ? found.people.filter((x) => !undeliverable(dir, x)) : [];
  const holder = !role
    ? { role: "cafcass", label: "Cafcass (referred)", people: [] }
    : reachable.length
      ? { role, label: roleLabel(a, role), people: reachable.map((x) => ({ id: x.id, name: x.name })) }
      : found?.found
        ? { role, label: roleLabel(a, role), people: [], gap: "their address bounced" }
        : { role, label: roleLabel(a, role), people: [], gap: found && !found.found ? found.gap : undefined };
  const respondBy = (d.respondBy as IsoDate | null) ?? null;
  const left = respondBy ? a.calendar.workingDaysBetween(today, respondBy) : null;
  const overdue = d.awaiting === "response" && respondBy !== null && respondBy < today;
  const limit =
    p.overallLimit && d.formalStartedOn && d.overallDeadline
      ? {
          day: a.calendar.workingDaysBetween(d.formalStartedOn as IsoDate, today),
          of: p.overallLimit.workingDays,
          ends: d.overallDeadline as IsoDate,
          over: (d.overallDeadline as IsoDate) < today,
        }
      : null;
  return {
    id: d.id,
    reference: d.reference,
    childRef: d.childRef,
    procedure: p.id,
    procedureName: p.name,
    teamId: d.teamId,
    teamName: dir.teams.get(d.teamId)?.name ?? d.teamId,
    stage: d.stage,
    // a stage's own name where it says which it is ("Stage two — case-holding Team Manager"), else numbered
    stageLabel: stage?.name.toLowerCase().startsWith(p.terms.stage.toLowerCase())
      ? stage.name
      : `${capital(p.terms.stage)} ${d.stage}${stage ? ` — ${stage.name}` : ""}`,
    awaiting: d.awaiting,
    holder,
    respondBy,
    respondByText: respondBy ? longDate(respondBy) : null,
    workingDaysLeft: left,
    overdue,
    limit,
  };
}

/** The list: the disputes the filter shows (a page of them in full), and, unless left out (the CSV, in the tracker's columns, has disputes only), the reviews' running deadlines. */
export async function outstanding(svc: Services, v: Viewer, f: OutstandingFilter = {}, withReviews = true): Promise<Outstanding> {
  const { a, dir, rows } = await visibleOpenDisputes(svc, v);
  const today = localDate(svc.clock.now(), a.timeZone);
  const reviewRows = withReviews ? await outstandingReviews(svc, a, dir, v, today) : [];
  const reviewsShown = filterReviews(reviewRows, f, today);
  const friday = endOfWeek(today);
  // who holds each: one resolution per team, role and people on the case, however many disputes share them
  const held = new Map<string, { id: string; name: string }[]>();
  const holders = (d: ListedDispute) => {
    const key = `${d.procedure}|${d.stage}|${d.teamId}|${d.serviceId}|${JSON.stringify(d.casePeople)}`;
    let people = held.get(key);
    if (!people) {
      const { found } = holding(a, dir, d);
      people = found?.found ? found.people.map((x) => ({ id: x.id, name: x.name })) : [];
      held.set(key, people);
    }
    return people;
  };
  const overdue = (d: ListedDispute) => d.awaiting === "response" && d.respondBy !== null && d.respondBy < today;
  const thisWeek = (d: ListedDispute) => d.respondBy !== null && d.respondBy <= friday;
  const shown = rows.filter(
    (d) =>
      (!f.procedure || d.procedure === f.procedure) &&
      (f.stage === undefined || d.stage === f.stage) &&
      (!f.team || d.teamId === f.team) &&
      (!f.overdue || overdue(d)) &&
      (!f.dueThisWeek || thisWeek(d)) &&
      (!f.holder || holders(d).some((p) => p.id === f.holder)),
  );
  // dates and references are ASCII, compared as they are (a locale's comparison, twenty thousand rows over, costs a tenth of a second);
  // team names once each, in the reader's order
  const teamRank = new Map(
    [...new Set(shown.map((d) => d.teamId))]
      .map((id) => [id, dir.teams.get(id)?.name ?? id] as const)
      .sort((x, y) => x[1].localeCompare(y[1]))
      .map(([id], i) => [id, i]),
  );
  const by: Record<NonNullable<OutstandingFilter["sort"]>, (x: ListedDispute, y: ListedDispute) => number> = {
    due: (x, y) => ascii(x.respondBy ?? "9999", y.respondBy ?? "9999") || ascii(x.reference, y.reference),
    reference: (x, y) => ascii(x.reference, y.reference),
    team: (x, y) => teamRank.get(x.teamId)! - teamRank.get(y.teamId)! || by.due(x, y),
    limit: (x, y) => ascii(x.overallDeadline ?? "9999", y.overallDeadline ?? "9999") || by.due(x, y),
  };
  shown.sort(by[f.sort ?? "due"]);
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const page = Math.min(Math.max(1, f.page ?? 1), pages);
  const unique = (xs: { id: string; name: string }[]) =>
    [...new Map(xs.map((x) => [x.id, { id: x.id, name: x.name }])).values()].sort((x, y) => x.name.localeCompare(y.name));
  return {
    // the page's rows in full; the others stay as read, for the CSV to take in chunks
    rows: shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((d) => outstandingRow(a, dir, d, today)),
    all: shown,
    page,
    pages,
    reviews: reviewsShown,
    counts: {
      shown: shown.length,
      overdue: shown.filter(overdue).length,
      dueThisWeek: shown.filter(thisWeek).length,
      reviews: reviewsShown.length,
      reviewsOverdue: reviewsShown.filter((r) => r.overdue).length,
    },
    teams: unique([...new Set([...rows, ...reviewRows].map((d) => d.teamId))].map((id) => ({ id, name: dir.teams.get(id)?.name ?? id }))),
    holders: unique([...rows.flatMap(holders), ...reviewRows.flatMap((r) => r.holder.people)]),
    procedures: unique(
      [...new Set([...rows, ...reviewRows].map((d) => d.procedure))].map((id) => ({ id, name: a.procedures[id]?.name ?? id })),
    ),
    today,
    authority: a,
    directory: dir,
  };
}
