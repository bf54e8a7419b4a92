// A report: the authority's report for a period, with each procedure's
// figures counted by count.ts. The same object is the JSON of `drp report` and
// GET /reports, and what the report email, its chart and its CSV are drawn from.
import { localDate } from "../calendar/local-time.ts";
import type { Authority, ProcedureId } from "../procedure/model.ts";
import { registerOf } from "../register/config.ts";
import {
  type GoodPracticeEntry,
  type GoodPracticeSection,
  goodPracticeSection,
  isGoodPracticeProcedure,
} from "../register/good-practice.ts";
import { type SltAction, type SltActionsSection, sltActionsSection } from "../register/slt-actions.ts";
import type { ReportConfig, ReportSection } from "./config.ts";
import { countProcedure, type ProcedureFigures, type ReportDispute, type Summary, summarise } from "./count.ts";
import { type Period, type PeriodError, parsePeriod, periodName, samePeriodLastYear } from "./period.ts";
import { countReviews, type ReportReview, type ReviewFigures } from "./reviews.ts";

export interface ProcedureReport extends ProcedureFigures {
  name: string;
  lastYear: Summary & { period: { id: string; from: string; to: string } };
  /** present where the procedure sets deadlines after a review */
  reviews?: ReviewFigures;
}

export interface Report {
  authority: string;
  authorityName: string;
  report: { id: string; name: string; every: "month" | "quarter"; sections: ReportSection[] };
  period: { id: string; from: string; to: string; name: string; months: string[]; complete: boolean };
  generatedAt: string;
  procedures: Partial<Record<ProcedureId, ProcedureReport>>;
  /** the registers the report's sections show, authority-wide (src/domain/register/) */
  registers: { sltActions?: SltActionsSection; goodPractice?: GoodPracticeSection };
}

export class ReportRequestError extends Error {
  override name = "ReportRequestError";
}

/** The authority's report for this kind of period (month or quarter), or why there is none. */
export function reportFor(a: Authority, period: Period, reportId?: string): ReportConfig {
  const reports = reportId ? a.reports.filter((r) => r.id === reportId) : a.reports;
  if (reportId && !reports.length) throw new ReportRequestError(`${a.name} has no report "${reportId}"`);
  const r = reports.find((x) => x.every === period.every);
  if (r) return r;
  const have = a.reports.map((x) => `${x.name} (${x.every}ly, e.g. ${x.every === "month" ? "2027-01" : "2027-Q1"})`).join("; ");
  throw new ReportRequestError(`${a.name} has no ${period.every}ly report${have ? `: its reports are ${have}` : ""}`);
}

/** Reads and checks a requested period: well formed, and begun by `now`. */
export function requestedPeriod(a: Authority, text: string, now: Date): Period {
  let p: Period;
  try {
    p = parsePeriod(text);
    // every report sets the period beside the same one a year earlier: that year must be covered too
    samePeriodLastYear(p);
  } catch (e) {
    throw new ReportRequestError(
      Number(text.trim().slice(0, 4)) === 2000
        ? `${text.trim()}: a report compares its period with the same one a year earlier, and the calendar begins in 2000: reports cover 2001 to 2049`
        : (e as PeriodError).message,
    );
  }
  const today = localDate(now, a.timeZone);
  if (p.from > today) throw new ReportRequestError(`${p.id} is in the future: it begins on ${p.from}`);
  return p;
}

export interface BuildInput {
  authority: Authority;
  config: ReportConfig;
  period: Period;
  disputes: readonly ReportDispute[];
  reviews?: readonly ReportReview[];
  /** the registers' entries the period could show (all of them will do: the sections choose) */
  sltActions?: readonly SltAction[];
  goodPractice?: readonly GoodPracticeEntry[];
  teams: ReadonlyMap<string, string>;
  now: Date;
  /** only this procedure (drp report --procedure) */
  only?: ProcedureId;
}

export function buildReport(input: BuildInput): Report {
  const { authority: a, config, period, now } = input;
  const ids = (config.procedures ?? (Object.keys(a.procedures) as ProcedureId[])).filter((id) => !input.only || id === input.only);
  if (input.only && !ids.length) throw new ReportRequestError(`the ${config.name} does not cover the ${input.only} procedure`);
  const last = samePeriodLastYear(period);
  const procedures: Partial<Record<ProcedureId, ProcedureReport>> = {};
  for (const id of ids) {
    const procedure = a.procedures[id]!;
    const count = { authority: a, procedure, period, disputes: input.disputes, teams: input.teams, now };
    procedures[id] = {
      name: procedure.name,
      ...countProcedure(count),
      lastYear: { period: { id: last.id, from: last.from, to: last.to }, ...summarise(count, last) },
      ...(procedure.reviews ? { reviews: countReviews(a, procedure, period, input.reviews ?? [], now) } : {}),
    };
  }
  return {
    authority: a.id,
    authorityName: a.name,
    report: { id: config.id, name: config.name, every: config.every, sections: [...config.sections] },
    period: {
      id: period.id,
      from: period.from,
      to: period.to,
      name: periodName(period),
      months: period.months,
      complete: localDate(now, a.timeZone) > period.to,
    },
    generatedAt: now.toISOString(),
    procedures,
    registers: registersOf(input, ids),
  };
}

/** The register sections the report asks for, of the registers the authority keeps. */
function registersOf(input: BuildInput, ids: readonly ProcedureId[]): Report["registers"] {
  const { authority: a, config, period } = input;
  const out: Report["registers"] = {};
  const actions = registerOf(a, "slt_actions");
  if (actions && config.sections.includes("slt_actions")) out.sltActions = sltActionsSection(actions, input.sltActions ?? [], period);
  const gp = registerOf(a, "good_practice");
  if (gp && config.sections.includes("good_practice")) {
    const procedures = ids.filter((id) => isGoodPracticeProcedure(id)).map((id) => ({ id, name: a.procedures[id]!.name }));
    out.goodPractice = goodPracticeSection({ ...gp, procedures, teams: input.teams }, input.goodPractice ?? [], period);
  }
  return out;
}
