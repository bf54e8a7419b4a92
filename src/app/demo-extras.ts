// What `drp demo` adds beside its disputes, so that every kind of email a
// person receives goes out: the review deadlines (WF §3.3's decisions, agreed
// by silence; Gloucestershire's post-review audit and a Red rating's response)
// and the reports for the period just ended, as if the system had run through it.
import { reportWatermarks } from "../db/schema.ts";
import { type IsoDate, parseIsoDate } from "../domain/calendar/dates.ts";
import { instantAt, localDate } from "../domain/calendar/local-time.ts";
import type { Authority, Procedure } from "../domain/procedure/model.ts";
import { periodContaining, previousPeriod } from "../domain/report/period.ts";
import type { Services } from "../service/context.ts";
import { createReview, stepReview } from "../service/reviews.ts";

const CHAIRS = {
  iro: { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" as const },
  cp_chair: { name: "Cora Chair", email: "cora.chair@example.org", role: "cp_chair" as const },
};

/** Reviews whose deadlines fall due now: one long past its first date, one just rated Red where a rating starts one. */
export async function demoReviews(svc: Services, a: Authority, p: Procedure, team: string, now: Date): Promise<string[]> {
  const cfg = p.reviews;
  const chairRole = p.raisedBy.find((r): r is keyof typeof CHAIRS => r in CHAIRS);
  if (!cfg || !chairRole || p.id === "performance") return [];
  const procedure = p.id;
  const cal = a.calendar;
  const today = cal.onOrNextWorkingDay(localDate(now, a.timeZone));
  const before = (n: number): IsoDate => cal.subtractWorkingDays(today, n);
  const at = (d: IsoDate) => {
    const t = instantAt(d, "15:00", a.timeZone);
    return t.getTime() < now.getTime() ? t : new Date(now.getTime() - 60_000);
  };
  const made: string[] = [];
  const held = async (n: number, ago: number) => {
    const heldOn = before(ago);
    const r = await createReview(svc, a.id, {
      procedure,
      childRef: `DEMO-${a.id.slice(0, 3).toUpperCase()}-REV-${n}`,
      team,
      heldOn: parseIsoDate(heldOn),
      chairedBy: CHAIRS[chairRole],
      at: at(heldOn),
    });
    made.push(r.review.reference);
    return { id: r.review.id, heldOn };
  };
  // long past: its first deadline has passed (WF: decisions sent and unanswered, so agreed; Gloucestershire: the audit overdue)
  const old = await held(1, 12);
  if (cfg.deadlines.some((d) => d.metBy === "decisions_sent"))
    await stepReview(svc, a.id, old.id, { type: "decisions_sent", at: at(before(10)) });
  // held yesterday and rated Red today, where a rating starts a response (Gloucestershire ¶4)
  if (cfg.deadlines.some((d) => d.onlyIfRated?.includes("red"))) {
    const red = await held(2, 1);
    await stepReview(svc, a.id, red.id, { type: "rated", rating: "red", at: new Date(now.getTime() - 30_000) });
  }
  return made;
}

/**
 * Each report as if the system had run through the period just ended, so that
 * the worker sends that period's report now (on the first working day after
 * the period, from opening time: a fixed demo morning after a month's end).
 */
export async function demoReports(svc: Services, a: Authority, now: Date): Promise<string[]> {
  const today = localDate(now, a.timeZone);
  const out: string[] = [];
  for (const r of a.reports) {
    const last = previousPeriod(periodContaining(today, r.every));
    await svc.db
      .insert(reportWatermarks)
      .values({ authorityId: a.id, reportId: r.id, firstPeriod: last.id })
      .onConflictDoUpdate({ target: [reportWatermarks.authorityId, reportWatermarks.reportId], set: { firstPeriod: last.id } });
    out.push(`${r.name}: ${last.id}`);
  }
  return out;
}
