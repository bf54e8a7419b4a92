// Sample reports for `drp preview`: a made-up quarter (or month) of disputes in
// each procedure of an authority, counted by the real rules, so the preview
// shows each report and each holder's list as its readers would see it.
import type { IsoDate } from "../domain/calendar/dates.ts";
import { instantAt } from "../domain/calendar/local-time.ts";
import type { DisputeEvent } from "../domain/dispute/events.ts";
import { type Authority, firstFormalStage, type ProcedureId } from "../domain/procedure/model.ts";
import { buildReport, type Report } from "../domain/report/build.ts";
import type { ReportConfig } from "../domain/report/config.ts";
import type { ReportDispute } from "../domain/report/count.ts";
import { type Period, parsePeriod } from "../domain/report/period.ts";
import { demoDirectory } from "../mail/samples.ts";
import { sampleGoodPractice, sampleSltActions } from "./register-samples.ts";

/** The sample period: the first quarter of 2027, or its last month. */
export function samplePeriod(r: ReportConfig): Period {
  return parsePeriod(r.every === "quarter" ? "2027-Q1" : "2027-03");
}

/** A dozen disputes a procedure, spread over the period: raised, answered, escalated, resolved, some left outstanding. */
function sampleDisputes(a: Authority, id: ProcedureId, period: Period, teams: string[]): ReportDispute[] {
  const p = a.procedures[id]!;
  const by = p.raisedBy[0]!;
  const F = firstFormalStage(p).stage;
  const next = p.stages.filter((s) => s.stage > F && s.formal && !s.referral).map((s) => s.stage);
  const informal = p.stages[0]!.formal ? undefined : p.stages[0]!.stage;
  const cats = a.categories.filter((c) => !c.procedures || c.procedures.includes(id)).map((c) => c.id);
  const day = (month: number, d: number) =>
    instantAt(`${period.months[month % period.months.length]}-${String(d).padStart(2, "0")}` as IsoDate, "10:00", a.timeZone);
  const timescale = (stage: number) => ("setBy" in p.stages.find((s) => s.stage === stage)!.timescale ? { timescaleWorkingDays: 5 } : {});
  const out: ReportDispute[] = [];
  for (let i = 0; i < (id === "cp" ? 7 : 12); i++) {
    const m = i % period.months.length;
    const start = informal !== undefined && i % 4 === 3 ? informal : F;
    const events: DisputeEvent[] = [{ type: "raised", at: day(m, 4 + (i % 5)), stage: start, by, ...timescale(start) }];
    if (i % 3 !== 2) events.push({ type: "response_recorded", at: day(m, 9 + (i % 5)) });
    if (i % 2 === 0 && next[0] !== undefined && start === F) {
      events.push({ type: "escalated", at: day(m, 15 + (i % 4)), toStage: next[0], ...timescale(next[0]) });
      if (i % 4 === 0) events.push({ type: "response_recorded", at: day(m, 21) });
    }
    if (i === 6 && p.cafcass) events.push({ type: "cafcass_consulted", at: day(m, 22) });
    if (i % 4 === 1) events.push({ type: "resolved", at: day(m, 25) });
    out.push({
      reference: `${a.referencePrefix ?? a.id.slice(0, 3).toUpperCase()}-2027-${String(100 + i + (id === "cp" ? 50 : 0)).padStart(4, "0")}`,
      procedure: id,
      team: teams[i % teams.length]!,
      childRef: `ECL-${200000 + i * 7}`,
      familyRef: i % 3 === 0 ? `FAM-${3000 + i}` : null,
      categories: [cats[i % cats.length]!, ...(i % 4 === 0 ? [cats[(i + 3) % cats.length]!] : [])],
      events,
      actors: events.map(() => (id === "cp" ? "Casey Chair" : "Ivy Reviewer")),
    });
  }
  return out;
}

/** The authority's report for its sample period, as if counted on the day it fell due. */
export function sampleReport(a: Authority, r: ReportConfig): Report {
  const period = samplePeriod(r);
  const dir = demoDirectory(a);
  const teams = [...dir.teams.values()];
  const ids = r.procedures ?? (Object.keys(a.procedures) as ProcedureId[]);
  const disputes = ids.flatMap((id) =>
    sampleDisputes(
      a,
      id,
      period,
      teams.map((t) => t.id),
    ),
  );
  const now = instantAt(a.calendar.onOrNextWorkingDay(a.calendar.addCalendarDays(period.to, 1)), a.openingTime, a.timeZone);
  return buildReport({
    authority: a,
    config: r,
    period,
    disputes,
    sltActions: sampleSltActions(a, period),
    goodPractice: sampleGoodPractice(
      a,
      period,
      teams.map((t) => t.id),
    ),
    teams: new Map(teams.map((t) => [t.id, t.name])),
    now,
  });
}
