// The worst-case timeline of a procedure: raise a dispute on a date and let
// every stage escalate on the day its response is due. It runs the real state
// machine, so the dates are the ones a real dispute would get.
import type { IsoDate } from "./calendar/dates.ts";
import { applyEvent, type DisputeState } from "./dispute/state.ts";
import { type Deadline, describeDays, openingTime, overallDeadline } from "./procedure/deadlines.ts";
import { type Authority, firstFormalStage, type Procedure, roleFor, setByWords, stageOf } from "./procedure/model.ts";
import type { InstigatorRole } from "./procedure/roles.ts";

/** "set by the IRO", "set by the CP Chair" (setByWords): the procedure's instigator sets the timescale */
type SetBy = `set by the ${string}`;

export interface TimelineStage {
  stage: number;
  name: string;
  formal: boolean;
  /** null on a referral stage: Cafcass is referred to, not emailed */
  recipient: string | null;
  copied: string[];
  enteredOn: IsoDate | null;
  /**
   * The date the response is due; "set by the IRO" (the procedure's
   * instigator) where they set the timescale and none was given; null where
   * the stage has no timed response or its start date is not known.
   */
  respondBy: IsoDate | SetBy | null;
  timescale: string;
  /** working day of the overall limit on which the response falls due */
  dayOfLimit: number | null;
  requires: string[];
  source: string;
}

export interface Timeline {
  authority: string;
  procedure: string;
  raised: IsoDate;
  raisedBy: InstigatorRole;
  stages: TimelineStage[];
  overallDeadline: IsoDate | null;
  /** null where the procedure names no overall limit */
  overallLimit: { workingDays: number; source: string } | null;
  /** why the timeline stops before the last stage, if it does */
  stoppedBecause?: string;
}

export interface TimelineOptions {
  stage?: number;
  /** working days for stages whose timescale the IRO sets */
  timescaleWorkingDays?: number;
  raisedBy?: InstigatorRole;
  service?: string;
}

export function worstCaseTimeline(a: Authority, p: Procedure, raised: IsoDate, opts: TimelineOptions = {}): Timeline {
  const by = opts.raisedBy ?? p.raisedBy[0]!;
  const startStage = opts.stage ?? firstFormalStage(p).stage;
  const ctx = { authority: a, procedure: p };
  const timescaleFor = (n: number) => {
    const s = stageOf(p, n);
    return s && "setBy" in s.timescale ? opts.timescaleWorkingDays : undefined;
  };
  const all = (n: number) => stageOf(p, n)?.requires.map((r) => r.id) ?? [];

  const first = applyEvent(
    ctx,
    undefined,
    {
      type: "raised",
      at: openingTime(a, raised),
      stage: startStage,
      by,
      timescaleWorkingDays: timescaleFor(startStage),
      confirmed: all(startStage),
      // a §1.6 concern names the chair it is about; a timeline names nobody real
      ...(p.concerning ? { concerning: { name: "(the chair concerned)", role: p.concerning.roles[0]! } } : {}),
    },
    0,
  );
  // A first stage whose timescale is the IRO's, with none given, has no dates
  // to show; the overall limit still runs from the day it is raised.
  if (!first.ok && first.error.code !== "timescale_required") throw first.error;
  const visited: DisputeState[] = first.ok ? [first.state] : [];
  let stoppedBecause = first.ok ? undefined : first.error.message;
  let overall = first.ok
    ? first.state.overall
    : stageOf(p, startStage)?.formal && p.overallLimit
      ? overallDeadline(a, p.overallLimit, raised)
      : undefined;
  for (let seq = 1, state = visited[0]; state; seq++) {
    const next = p.stages[p.stages.indexOf(state.stage) + 1];
    if (!next) break;
    if (state.deadline.kind !== "due") {
      stoppedBecause = `stage ${state.stage.stage} has no date to escalate from: ${state.deadline.rule}`;
      break;
    }
    const r = applyEvent(
      ctx,
      state,
      {
        type: "escalated",
        at: state.deadline.at,
        toStage: next.stage,
        timescaleWorkingDays: timescaleFor(next.stage),
        confirmed: all(next.stage),
      },
      seq,
    );
    if (!r.ok) {
      stoppedBecause = r.error.message;
      break;
    }
    state = r.state;
    overall = state.overall;
    visited.push(state);
  }

  const byStage = new Map(visited.map((v) => [v.stage.stage, v]));
  const stages: TimelineStage[] = p.stages
    .filter((s) => s.stage >= startStage && (byStage.has(s.stage) || s.entry.by.includes(by)))
    .map((s) => {
      const v = byStage.get(s.stage);
      const date = v?.deadline.kind === "due" ? v.deadline.date : null;
      const respondBy = date ?? ("setBy" in s.timescale ? setByWords(p) : null);
      return {
        stage: s.stage,
        name: s.name,
        formal: s.formal,
        recipient: s.recipient ? roleFor(s.recipient, opts.service) : null,
        copied: s.copied.map((c) => roleFor(c, opts.service)),
        enteredOn: v?.stageEnteredOn ?? (s.stage === startStage ? raised : null),
        respondBy,
        timescale: v ? describeDeadline(v.deadline) : describeTimescale(p, s.timescale),
        dayOfLimit: date && v?.formalStartedOn && p.overallLimit ? a.calendar.workingDaysBetween(v.formalStartedOn, date) : null,
        requires: s.requires.map((r) => r.text),
        source: s.source,
      };
    });
  return {
    authority: a.id,
    procedure: p.id,
    raised,
    raisedBy: by,
    stages,
    overallDeadline: overall?.date ?? null,
    overallLimit: p.overallLimit ? { workingDays: p.overallLimit.workingDays, source: p.overallLimit.source } : null,
    stoppedBecause,
  };
}

function describeDeadline(d: Deadline): string {
  return d.rule;
}

export function describeTimescale(p: Procedure, t: Procedure["stages"][number]["timescale"]): string {
  if ("days" in t) return `${describeDays(t.days, t.unit ?? p.timescaleUnit)} after the stage begins`;
  if ("setBy" in t) return setByWords(p);
  if ("until" in t) return "until the overall limit";
  return t.none;
}
