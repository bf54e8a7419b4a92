// When things are due. Every date the system works to is computed here, from
// a stage's timescale in the authority file and the counting rules of the
// working-day calendar; each answer carries the rule in words and the source
// paragraph it comes from.
import { type IsoDate, longDate } from "../calendar/dates.ts";
import { instantAt } from "../calendar/local-time.ts";
import { type Authority, type Procedure, type Stage, setByWords } from "./model.ts";
import type { DayUnit } from "./schema.ts";

export interface Due {
  kind: "due";
  date: IsoDate;
  /** close of business on `date`, in the authority's time zone */
  at: Date;
  rule: string;
  source: string;
}
export interface NotTimed {
  kind: "set_by_instigator" | "none";
  rule: string;
  source: string;
}
export type Deadline = Due | NotTimed;

export function closeOfBusiness(a: Authority, date: IsoDate): Date {
  return instantAt(date, a.closeOfBusiness, a.timeZone);
}

export function openingTime(a: Authority, date: IsoDate): Date {
  return instantAt(date, a.openingTime, a.timeZone);
}

function due(a: Authority, date: IsoDate, rule: string, source: string): Due {
  return { kind: "due", date, at: closeOfBusiness(a, date), rule, source };
}

/** N days of `unit` after `from`, by the two counting rules. */
export function addDaysOf(a: Authority, from: IsoDate, n: number, unit: DayUnit): IsoDate {
  return unit === "working_days" ? a.calendar.addWorkingDays(from, n) : a.calendar.addCalendarDays(from, n);
}

export function describeDays(n: number, unit: DayUnit): string {
  const word = unit === "working_days" ? "working day" : "calendar day";
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The last day of the overall limit: N working days after the first formal stage began. */
export function overallDeadline(a: Authority, limit: OverallLimit, formalStart: IsoDate): Due {
  const { workingDays, source } = limit;
  return due(
    a,
    a.calendar.addWorkingDays(formalStart, workingDays),
    `${workingDays} working days after the formal process began on ${longDate(formalStart)}`,
    source,
  );
}

export type OverallLimit = NonNullable<Procedure["overallLimit"]>;

export interface StageTiming {
  /** the timescale the IRO set or agreed, in working days, where the stage allows one */
  timescaleWorkingDays?: number;
  /** needed by stages that run until the overall limit */
  overallDeadline?: Due;
}

/**
 * When the response to a stage is due, the stage having been entered on
 * `enteredOn`. This is the rule for "when is stage N due".
 */
export function stageDeadline(a: Authority, p: Procedure, stage: Stage, enteredOn: IsoDate, timing: StageTiming = {}): Deadline {
  const t = stage.timescale;
  const since = `after ${p.terms.stage} ${stage.stage} began on ${longDate(enteredOn)}`;
  const agreed = timing.timescaleWorkingDays;
  if ("days" in t) {
    if (agreed !== undefined && stage.timescaleMayBeAgreed) {
      return due(
        a,
        a.calendar.addWorkingDays(enteredOn, agreed),
        `${describeDays(agreed, "working_days")} ${since}, as agreed with the recipient`,
        stage.source,
      );
    }
    const unit = t.unit ?? p.timescaleUnit;
    const rule =
      unit === "calendar_days"
        ? `${describeDays(t.days, unit)} ${since}, moved to the next working day if it is not one`
        : `${describeDays(t.days, unit)} ${since}`;
    return due(a, addDaysOf(a, enteredOn, t.days, unit), rule, stage.source);
  }
  if ("setBy" in t) {
    if (agreed === undefined) return { kind: "set_by_instigator", rule: `timescale ${setByWords(p)}`, source: stage.source };
    return due(
      a,
      a.calendar.addWorkingDays(enteredOn, agreed),
      `${describeDays(agreed, "working_days")} ${since}, as ${setByWords(p)}`,
      stage.source,
    );
  }
  if ("until" in t) {
    const o = timing.overallDeadline;
    if (!o) return { kind: "none", rule: "until the overall limit, which has not started", source: stage.source };
    return { ...o, rule: `when the overall limit runs out (${o.rule})`, source: stage.source };
  }
  return { kind: "none", rule: t.none, source: stage.source };
}

/** Newham's form: the instigator records the outcome within 2 days of a response. */
export function decisionDeadline(a: Authority, p: Procedure, respondedOn: IsoDate): Due | undefined {
  const d = p.decisionAfterResponse;
  if (!d) return undefined;
  const unit = d.unit ?? p.timescaleUnit;
  return due(
    a,
    addDaysOf(a, respondedOn, d.days, unit),
    `${describeDays(d.days, unit)} after the response on ${longDate(respondedOn)}`,
    d.source,
  );
}

/** An agreed extension: the new date, moved to the next working day if it is not one. */
export function extendedDeadline(a: Authority, until: IsoDate, stage: Stage): Due {
  const date = a.calendar.onOrNextWorkingDay(until);
  const moved = date === until ? "" : ` (moved from ${longDate(until)}, not a working day)`;
  return due(a, date, `extended to ${longDate(date)} by agreement${moved}`, stage.source);
}

/** The date of "N working days before" a due date, for reminders and warnings. */
export function workingDaysBefore(a: Authority, date: IsoDate, n: number): IsoDate {
  return a.calendar.subtractWorkingDays(date, n);
}
