// Reports from the store: the disputes a period (and the same period a year
// earlier) needs, read in two queries, and counted by the domain's rules.
import { and, eq, gte, isNull, lte, or } from "drizzle-orm";
import { loadDirectory } from "../db/queries/directory.ts";
import { eventsByDispute } from "../db/queries/disputes.ts";
import { disputes, reviews } from "../db/schema.ts";
import { addDays } from "../domain/calendar/dates.ts";
import { instantAt } from "../domain/calendar/local-time.ts";
import { isProcedureId, PROCEDURE_IDS, type ProcedureId } from "../domain/procedure/model.ts";
import { buildReport, type Report, ReportRequestError, reportFor, requestedPeriod } from "../domain/report/build.ts";
import type { ReportConfig } from "../domain/report/config.ts";
import type { ReportDispute } from "../domain/report/count.ts";
import { type Period, samePeriodLastYear } from "../domain/report/period.ts";
import type { ReportReview } from "../domain/report/reviews.ts";
import type { Services } from "./context.ts";
import { InputError, NotFoundError } from "./errors.ts";
import { fromRow, isDomainEvent } from "./event-log.ts";
import { entryOf, goodPracticeRows } from "./good-practice.ts";
import { eventOf, reviewEventsByReview } from "./reviews.ts";
import { actionsIn } from "./slt-actions.ts";

export interface ReportRequest {
  period: string;
  procedure?: string;
  /** a report id, where the authority has more than one of the period's kind */
  report?: string;
}

/** The disputes that count towards `period` and the same period last year, with their histories. */
export async function reportDisputes(svc: Services, authorityId: string, period: Period): Promise<ReportDispute[]> {
  const a = svc.authorities.get(authorityId)!;
  const since = instantAt(samePeriodLastYear(period).from, "00:00", a.timeZone);
  const until = instantAt(addDays(period.to, 1), "00:00", a.timeZone);
  const rows = await svc.db
    .select()
    .from(disputes)
    .where(
      and(
        eq(disputes.authorityId, authorityId),
        lte(disputes.raisedAt, until),
        or(isNull(disputes.closedAt), gte(disputes.closedAt, since)),
      ),
    );
  const events = await eventsByDispute(
    svc.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const log = (events.get(r.id) ?? []).filter(isDomainEvent);
    return {
      reference: r.reference,
      procedure: r.procedure,
      team: r.teamId,
      service: r.serviceId,
      childRef: r.childRef,
      familyRef: r.familyRef,
      categories: r.categories,
      events: log.map(fromRow),
      actors: log.map((e) => e.actorName ?? e.actorRole ?? undefined),
    };
  });
}

/** Reviews held up to the period's end whose deadlines could fall in it (a review's last deadline is at most a year on). */
export async function reportReviews(svc: Services, authorityId: string, period: Period): Promise<ReportReview[]> {
  const rows = await svc.db
    .select()
    .from(reviews)
    .where(and(eq(reviews.authorityId, authorityId), lte(reviews.heldOn, period.to), gte(reviews.heldOn, samePeriodLastYear(period).from)));
  const events = await reviewEventsByReview(
    svc.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ procedure: r.procedure, events: (events.get(r.id) ?? []).map(eventOf) }));
}

/** Builds a report for an authority and period already checked. */
export async function reportOf(
  svc: Services,
  authorityId: string,
  config: ReportConfig,
  period: Period,
  only?: ProcedureId,
): Promise<Report> {
  const a = svc.authorities.get(authorityId)!;
  const wants = (section: "slt_actions" | "good_practice") => config.sections.includes(section);
  const [list, held, dir, sltActions, goodPractice] = await Promise.all([
    reportDisputes(svc, authorityId, period),
    reportReviews(svc, authorityId, period),
    loadDirectory(svc.db, authorityId),
    wants("slt_actions") ? actionsIn(svc, authorityId, period) : [],
    wants("good_practice") ? goodPracticeRows(svc, authorityId, { period }).then((rows) => rows.map(entryOf)) : [],
  ]);
  const teams = new Map([...dir.teams.values()].map((t) => [t.id, t.name]));
  return buildReport({
    authority: a,
    config,
    period,
    disputes: list,
    reviews: held,
    sltActions,
    goodPractice,
    teams,
    now: svc.clock.now(),
    only,
  });
}

/** `drp report` and GET /reports: the request checked (400 / exit 2 with the reason), then the report. */
export async function requestReport(svc: Services, authorityId: string, req: ReportRequest): Promise<Report> {
  const a = svc.authorities.get(authorityId);
  if (!a) throw new NotFoundError(`no authority "${authorityId}"`);
  if (req.procedure !== undefined && !isProcedureId(req.procedure))
    throw new InputError("procedure", `"${req.procedure}" is not a procedure: ${PROCEDURE_IDS.join(", ")}`);
  try {
    const period = requestedPeriod(a, req.period, svc.clock.now());
    const config = reportFor(a, period, req.report);
    return await reportOf(svc, authorityId, config, period, req.procedure as ProcedureId | undefined);
  } catch (e) {
    if (e instanceof ReportRequestError) throw new InputError(req.report && /no report/.test(e.message) ? "report" : "period", e.message);
    throw e;
  }
}
