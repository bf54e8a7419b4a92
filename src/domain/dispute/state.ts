// The dispute state machine: a pure reducer from the event log to the current
// state. Every step is checked against the authority's procedure; an illegal
// step comes back as a TransitionError that says why, never as a quiet no-op.
import { type IsoDate, longDate } from "../calendar/dates.ts";
import { localDate } from "../calendar/local-time.ts";
import { type Deadline, type Due, extendedDeadline, overallDeadline, stageDeadline } from "../procedure/deadlines.ts";
import {
  type Authority,
  cite,
  lastStage,
  mayStartAt,
  type Procedure,
  type ProcedureId,
  type Stage,
  skippedStages,
  stageOf,
} from "../procedure/model.ts";
import { INSTIGATOR_LABELS, type InstigatorRole } from "../procedure/roles.ts";
import { TransitionError } from "./errors.ts";
import { CAFCASS_CONSULTATION_REQUIREMENT, type Concerning, type DisputeEvent } from "./events.ts";

export type DisputeStatus = "open" | "resolved" | "referred_to_cafcass" | "withdrawn";

export interface StageVisit {
  stage: number;
  enteredAt: Date;
  enteredOn: IsoDate;
  /** index in the event log of the event that entered the stage */
  seq: number;
}

export interface DisputeState {
  procedure: ProcedureId;
  status: DisputeStatus;
  raisedBy: InstigatorRole;
  raisedAt: Date;
  /** the IRO or CP Chair the concern is about (WF §1.6), where the procedure is about one */
  concerning?: Concerning;
  stage: Stage;
  stageEnteredAt: Date;
  stageEnteredOn: IsoDate;
  stageSeq: number;
  timescaleWorkingDays?: number;
  /** when the current stage's response is due (after any extension) */
  deadline: Deadline;
  /** index of the event that set `deadline` (stage entry or extension) */
  deadlineSeq: number;
  /** whose move it is: the recipient's response, or the IRO's decision on it */
  awaiting: "response" | "decision";
  respondedAt?: Date;
  respondedSeq?: number;
  extensionsThisStage: number;
  /** working days the extensions of this stage have added to its first deadline */
  extendedWorkingDaysThisStage: number;
  lastExtensionAt?: Date;
  formalStartedOn?: IsoDate;
  overall?: Due;
  cafcassConsulted: boolean;
  cafcassReferral?: { at: Date; seq: number };
  /** the nominated officer was told a referral is being considered */
  referralConsidered?: { at: Date; seq: number };
  confirmed: string[];
  closed?: { at: Date; seq: number };
  lastAt: Date;
  /** index of the last event applied */
  seq: number;
  visits: StageVisit[];
  /** the stage the dispute last left by escalation, as it stood then: whose deadline to withdraw */
  left?: LeftStage;
}

export interface LeftStage {
  stage: number;
  /** the event that had entered it */
  seq: number;
  /** its deadline when it was left, and how many times it had been extended */
  deadline: Deadline;
  extensions: number;
  /** whether its recipient had responded */
  responded: boolean;
  at: Date;
}

export interface Context {
  authority: Authority;
  procedure: Procedure;
}

export type Applied = { ok: true; state: DisputeState; warnings: string[] } | { ok: false; error: TransitionError };

const fail = (code: ConstructorParameters<typeof TransitionError>[0], message: string): Applied => ({
  ok: false,
  error: new TransitionError(code, message),
});

function who(role: InstigatorRole): string {
  return INSTIGATOR_LABELS[role];
}

/** "stage 2 (…)", "level 4 (…)": in the procedure's own word */
function stageTitle(s: Stage, ctx: Context): string {
  return `${ctx.procedure.terms.stage} ${s.stage} (${s.name})`;
}

function procedureTitle(ctx: Context): string {
  return `the ${ctx.procedure.name} of ${ctx.authority.name}`;
}

const capitalFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** "an IRO", "a CP Chair" */
const an = (s: string) => `${/^[AEIOU]/.test(s) ? "an" : "a"} ${s}`;

/** "1, 2 or 3" */
function orList(xs: readonly (string | number)[]): string {
  return xs.length < 2 ? xs.join("") : `${xs.slice(0, -1).join(", ")} or ${xs.at(-1)}`;
}

/** Applies one event to the state it follows (none for the first event). */
export function applyEvent(ctx: Context, state: DisputeState | undefined, event: DisputeEvent, seq: number): Applied {
  if (!state) {
    if (event.type !== "raised") return fail("not_raised", `the first step of a dispute must be raising it, not "${event.type}"`);
    return raise(ctx, event, seq);
  }
  if (event.type === "raised") return fail("already_raised", "this dispute has already been raised");
  if (state.closed) {
    return fail(
      "closed",
      `this dispute was closed (${state.status.replaceAll("_", " ")}) on ${longDate(localDate(state.closed.at, ctx.authority.timeZone))}; no further steps can be taken on it`,
    );
  }
  if (event.at.getTime() < state.lastAt.getTime()) {
    return fail(
      "out_of_order",
      `this step is dated ${event.at.toISOString()}, before the dispute's previous step at ${state.lastAt.toISOString()}`,
    );
  }
  const next: DisputeState = { ...state, lastAt: event.at, seq };
  switch (event.type) {
    case "response_recorded":
      if (state.awaiting === "decision") {
        return fail(
          "already_responded",
          `a response to ${stageTitle(state.stage, ctx)} is already recorded; resolve, escalate or agree an extension`,
        );
      }
      return ok({ ...next, awaiting: "decision", respondedAt: event.at, respondedSeq: seq });
    case "extension_agreed":
      return extend(ctx, next, event.until, seq);
    case "escalated":
      return escalate(ctx, next, event, seq);
    case "cafcass_consulted":
      // a procedure with no Cafcass step has no Cafcass consultation either (a WF §1.6 concern about a chair)
      if (!ctx.procedure.cafcass)
        return fail("cafcass_not_allowed", `${capitalFirst(procedureTitle(ctx))} has no Cafcass step: nothing to consult Cafcass about`);
      return ok({
        ...next,
        cafcassConsulted: true,
        confirmed: union(state.confirmed, [CAFCASS_CONSULTATION_REQUIREMENT]),
      });
    case "cafcass_referral_considered":
      return considerReferral(ctx, next, event, seq);
    case "referred_to_cafcass":
      return refer(ctx, next, event.at, seq);
    case "resolved":
      return ok({ ...next, status: "resolved", closed: { at: event.at, seq } });
    case "withdrawn":
      return ok({ ...next, status: "withdrawn", closed: { at: event.at, seq } });
  }
}

/** Replays a whole log; the first illegal event stops it, with its index. */
export function replay(ctx: Context, events: readonly DisputeEvent[]): Applied & { failedAt?: number } {
  let state: DisputeState | undefined;
  const warnings: string[] = [];
  for (let i = 0; i < events.length; i++) {
    const r = applyEvent(ctx, state, events[i]!, i);
    if (!r.ok) return { ...r, failedAt: i };
    state = r.state;
    warnings.push(...r.warnings);
  }
  if (!state) return { ...fail("not_raised", "a dispute with no events has not been raised"), failedAt: 0 };
  return { ok: true, state, warnings };
}

function ok(state: DisputeState, warnings: string[] = []): Applied {
  return { ok: true, state, warnings };
}

function union(a: readonly string[], b: readonly string[] = []): string[] {
  return [...new Set([...a, ...b])];
}

function raise(ctx: Context, event: Extract<DisputeEvent, { type: "raised" }>, seq: number): Applied {
  const p = ctx.procedure;
  if (!p.raisedBy.includes(event.by)) {
    return fail(
      "procedure_role",
      `${capitalFirst(procedureTitle(ctx))} is raised by ${orList(p.raisedBy.map(who))}, not by ${who(event.by)}`,
    );
  }
  const about = concerningRefused(ctx, event.concerning);
  if (about) return about;
  const stage = stageOf(p, event.stage);
  if (!stage) return noSuchStage(ctx, event.stage);
  if (!stage.entry.by.includes(event.by)) return stageNotForRole(ctx, stage, event.by);
  if (!mayStartAt(p, stage)) {
    const starts = p.stages.filter((s) => mayStartAt(p, s) && s.entry.by.includes(event.by)).map((s) => s.stage);
    return fail(
      "start_not_allowed",
      `a ${p.terms.dispute} cannot start at ${stageTitle(stage, ctx)}: under ${procedureTitle(ctx)} it starts at ${p.terms.stage} ${orList(starts)} and reaches ${p.terms.stage} ${stage.stage} by escalation${p.entry.source ? ` (${cite(ctx.authority, p.entry.source)})` : ""}`,
    );
  }
  const blank: DisputeState = {
    procedure: p.id,
    status: "open",
    raisedBy: event.by,
    raisedAt: event.at,
    ...(event.concerning ? { concerning: { name: event.concerning.name, role: event.concerning.role } } : {}),
    stage,
    stageEnteredAt: event.at,
    stageEnteredOn: localDate(event.at, ctx.authority.timeZone),
    stageSeq: seq,
    deadline: { kind: "none", rule: "", source: "" },
    deadlineSeq: seq,
    awaiting: "response",
    extensionsThisStage: 0,
    extendedWorkingDaysThisStage: 0,
    cafcassConsulted: false,
    confirmed: union([], event.confirmed),
    lastAt: event.at,
    seq,
    visits: [],
  };
  return enter(ctx, blank, stage, event, seq, skipNote(ctx, skippedStages(p, -1, stage.stage, event.by)));
}

/** A concern about a chair names them, in a role the procedure is about (WF §1.6); a dispute about a child's plan names nobody. */
function concerningRefused(ctx: Context, concerning: Concerning | undefined): Applied | undefined {
  const about = ctx.procedure.concerning;
  if (!about && concerning) return fail("concerning", `${capitalFirst(procedureTitle(ctx))} is about a child's plan, not a named person`);
  if (!about) return undefined;
  const roles = orList(about.roles.map(who));
  if (!concerning)
    return fail("concerning", `name the ${roles} the ${ctx.procedure.terms.dispute} is about (${cite(ctx.authority, about.source)})`);
  if (!about.roles.includes(concerning.role))
    return fail("concerning", `${capitalFirst(procedureTitle(ctx))} is about ${an(roles)}, not ${an(who(concerning.role))}`);
  return undefined;
}

function escalate(ctx: Context, state: DisputeState, event: Extract<DisputeEvent, { type: "escalated" }>, seq: number): Applied {
  const p = ctx.procedure;
  const from = state.stage;
  if (from.stage === lastStage(p).stage) {
    const after = from.whenTimescaleEnds ? ` ${from.whenTimescaleEnds}` : "";
    return fail(
      "past_last_stage",
      `${stageTitle(from, ctx)} is the last stage of ${procedureTitle(ctx)}; there is no stage to escalate to.${after}`,
    );
  }
  const target = stageOf(p, event.toStage);
  if (!target) return noSuchStage(ctx, event.toStage);
  if (target.stage <= from.stage) {
    return fail(
      "not_later_stage",
      `the ${ctx.procedure.terms.dispute} is at ${ctx.procedure.terms.stage} ${from.stage}; escalation must be to a later ${ctx.procedure.terms.stage}, not ${ctx.procedure.terms.stage} ${target.stage}`,
    );
  }
  if (!target.entry.by.includes(state.raisedBy)) return stageNotForRole(ctx, target, state.raisedBy);
  // an informal stage leads to the formal process, not to another informal stage: that is where a
  // different concern starts (WF CP level 2, "a subsequent low-level concern", §10.3)
  if (!from.formal && !target.formal) {
    const formal = p.entry.startAt.filter((n) => stageOf(p, n)?.formal).join(", ");
    return fail(
      "start_not_allowed",
      `${p.terms.stage} ${target.stage} is where a concern starts informally, not a step from ${p.terms.stage} ${from.stage}; to go on, start the formal process at ${p.terms.stage} ${formal}`,
    );
  }
  // leaving the informal stage for a formal one starts the formal process: only where it may start (Newham §7: stages 1 to 3)
  if (!from.formal && target.formal && !mayStartAt(p, target)) {
    const where = p.entry.startAt.filter((n) => stageOf(p, n)?.formal).join(", ");
    return fail(
      "start_not_allowed",
      `the formal process starts at ${p.terms.stage} ${where}, not ${p.terms.stage} ${target.stage}${p.entry.source ? ` (${cite(ctx.authority, p.entry.source)})` : ""}; from the informal ${p.terms.stage}, go to one of those`,
    );
  }
  const skipped = skippedStages(p, from.stage, target.stage, state.raisedBy);
  if (skipped.length && !p.entry.skipping) {
    return fail(
      "bypass_not_allowed",
      `${capitalFirst(procedureTitle(ctx))} goes one ${p.terms.stage} at a time: escalate to ${stageTitle(skipped[0]!, ctx)} first${p.entry.source ? ` (${cite(ctx.authority, p.entry.source)})` : ""}`,
    );
  }
  return enter(ctx, { ...state, confirmed: union(state.confirmed, event.confirmed) }, target, event, seq, skipNote(ctx, skipped));
}

/** The procedure's note when a dispute starts above, or jumps over, formal stages the instigator could have used. */
function skipNote(ctx: Context, skipped: Stage[]): string[] {
  const note = ctx.procedure.entry.note;
  if (!skipped.length || !note) return [];
  return [`Skipping ${skipped.map((s) => `${ctx.procedure.terms.stage} ${s.stage}`).join(", ")}: ${note}`];
}

// Entering a stage (raising or escalating): its deadline, the overall clock if
// this is the first formal stage, and warnings for what the IRO has not confirmed.
function enter(
  ctx: Context,
  state: DisputeState,
  stage: Stage,
  event: { at: Date; timescaleWorkingDays?: number },
  seq: number,
  notes: string[],
): Applied {
  const a = ctx.authority;
  const p = ctx.procedure;
  const t = stage.timescale;
  const given = event.timescaleWorkingDays;
  if (given !== undefined) {
    if (!Number.isInteger(given) || given < 1) {
      return fail("timescale_not_allowed", `timescaleWorkingDays must be a whole number of working days, 1 or more (got ${given})`);
    }
    if ("days" in t && !stage.timescaleMayBeAgreed) {
      return fail(
        "timescale_not_allowed",
        `${stageTitle(stage, ctx)} has a fixed response time of ${t.days} days (${cite(ctx.authority, stage.source)}); it cannot be set per dispute`,
      );
    }
    if ("until" in t || "none" in t) {
      return fail(
        "timescale_not_allowed",
        `${stageTitle(stage, ctx)} has no timescale the ${who(state.raisedBy)} can set (${cite(ctx.authority, stage.source)})`,
      );
    }
    if ("setBy" in t && t.maxWorkingDays !== undefined && given > t.maxWorkingDays) {
      return fail(
        "timescale_too_long",
        `${stageTitle(stage, ctx)} allows at most ${t.maxWorkingDays} working days (${cite(ctx.authority, stage.source)}); got ${given}`,
      );
    }
  } else if ("setBy" in t && stage.formal) {
    return fail(
      "timescale_required",
      `the ${who(state.raisedBy)} sets the timescale for ${stageTitle(stage, ctx)} (${cite(ctx.authority, stage.source)}): give timescaleWorkingDays`,
    );
  }
  const enteredOn = localDate(event.at, a.timeZone);
  let { formalStartedOn, overall } = state;
  if (stage.formal && !formalStartedOn) {
    formalStartedOn = enteredOn;
    overall = p.overallLimit ? overallDeadline(a, p.overallLimit, enteredOn) : undefined;
  }
  const deadline = stageDeadline(a, p, stage, enteredOn, { timescaleWorkingDays: given, overallDeadline: overall });
  if (given !== undefined && deadline.kind === "due") {
    const beyond = pastOverallLimit(ctx, overall, deadline.date, `a timescale of ${given} working days for ${stageTitle(stage, ctx)}`);
    if (beyond) return beyond;
  }
  const unconfirmed = stage.requires.filter((r) => r.confirm && !state.confirmed.includes(r.id));
  const missing = unconfirmed.filter((r) => r.blocking);
  if (missing.length) {
    return fail(
      "prerequisite_missing",
      `${stageTitle(stage, ctx)} cannot begin until this is done and recorded: ${missing.map((r) => `${r.text} (${cite(a, r.source)})`).join("; ")}. Record it, or confirm it with the step (confirmed: ${missing.map((r) => r.id).join(", ")})`,
    );
  }
  const warnings = [
    ...notes,
    ...unconfirmed.map((r) => `Not yet confirmed before ${stageTitle(stage, ctx)}: ${r.text} (${cite(a, r.source)})`),
  ];
  // no overall limit to refuse it by (Gloucestershire): a long timescale is the IRO's to set, and said back to them
  if (given !== undefined && !overall && given > HANDBOOK_WORKING_DAYS) {
    warnings.push(
      `${given} working days for ${stageTitle(stage, ctx)} is longer than the ${HANDBOOK_WORKING_DAYS} working days IRO Handbook 6.2 gives the whole process; it is recorded as given`,
    );
  }
  if (stage.referral) {
    const refused = referralRefused(ctx, state);
    if (refused) return refused;
    warnings.push(...referralWarnings(ctx, state));
  }
  const entered: DisputeState = {
    ...state,
    stage,
    stageEnteredAt: event.at,
    stageEnteredOn: enteredOn,
    stageSeq: seq,
    timescaleWorkingDays: given,
    deadline,
    deadlineSeq: seq,
    awaiting: "response",
    respondedAt: undefined,
    respondedSeq: undefined,
    extensionsThisStage: 0,
    extendedWorkingDaysThisStage: 0,
    lastExtensionAt: undefined,
    formalStartedOn,
    overall,
    visits: [...state.visits, { stage: stage.stage, enteredAt: event.at, enteredOn, seq }],
    left: state.visits.length
      ? {
          stage: state.stage.stage,
          seq: state.stageSeq,
          deadline: state.deadline,
          extensions: state.extensionsThisStage,
          responded: state.awaiting === "decision",
          at: event.at,
        }
      : undefined,
  };
  // entering a referral stage is the referral (Newham stage 5)
  return ok(stage.referral ? referred(ctx, entered, event.at, seq) : entered, warnings);
}

function extend(ctx: Context, state: DisputeState, until: IsoDate, seq: number): Applied {
  const { stage, deadline } = state;
  const a = ctx.authority;
  if (deadline.kind !== "due") {
    return fail("no_deadline", `${stageTitle(stage, ctx)} has no deadline to extend (${deadline.rule})`);
  }
  const { max, totalWorkingDays, source } = stage.extensions;
  const why = source ? ` (${cite(a, source)})` : "";
  if (max !== null && state.extensionsThisStage >= max) {
    return fail(
      "extension_limit",
      max === 0
        ? `${stageTitle(stage, ctx)} cannot be extended${why}; escalate instead`
        : `${stageTitle(stage, ctx)} may be extended ${max === 1 ? "once" : `${max} times`} and has been${why}; escalate instead`,
    );
  }
  const extended = extendedDeadline(a, until, stage);
  if (extended.date <= deadline.date) {
    return fail(
      "extension_not_later",
      `an extension must move the deadline later than ${longDate(deadline.date)}; ${longDate(extended.date)} is not later`,
    );
  }
  const beyond = pastOverallLimit(
    ctx,
    state.overall,
    extended.date,
    `an extension of ${stageTitle(stage, ctx)} to ${longDate(extended.date)}`,
  );
  if (beyond) return beyond;
  const added = state.extendedWorkingDaysThisStage + a.calendar.workingDaysBetween(deadline.date, extended.date);
  if (totalWorkingDays !== undefined && added > totalWorkingDays) {
    return fail(
      "extension_limit",
      `extensions of ${stageTitle(stage, ctx)} may add at most ${totalWorkingDays} working days in all${why}; this one would make ${added}`,
    );
  }
  return ok({
    ...state,
    deadline: extended,
    deadlineSeq: seq,
    awaiting: "response",
    extensionsThisStage: state.extensionsThisStage + 1,
    extendedWorkingDaysThisStage: added,
    lastExtensionAt: state.lastAt,
  });
}

/** IRO Handbook 6.2: the whole process within 20 working days; said to an IRO whose procedure sets no overall limit. */
const HANDBOOK_WORKING_DAYS = 20;

/**
 * A date the IRO chooses (a timescale, an extension) may not take a stage past
 * the overall limit where the procedure has one (Birmingham §1.2 "no more than
 * 20 working days in total"): the limit does not move, so a later date is
 * agreeing to breach it (or a typing slip, such as 2050).
 */
function pastOverallLimit(ctx: Context, overall: Due | undefined, date: IsoDate, what: string): Applied | undefined {
  const limit = ctx.procedure.overallLimit;
  if (!overall || !limit || date <= overall.date) return undefined;
  return fail(
    "past_overall_limit",
    `${capitalFirst(what)} would end after the overall limit of ${limit.workingDays} working days (${cite(ctx.authority, limit.source)}), which ends on ${longDate(overall.date)}. Choose a date on or before it, or escalate`,
  );
}

function referralRefused(ctx: Context, state: DisputeState): Applied | undefined {
  const c = ctx.procedure.cafcass;
  if (c?.referralBy.includes(state.raisedBy)) return undefined;
  return fail(
    "cafcass_not_allowed",
    `${capitalFirst(procedureTitle(ctx))} has no Cafcass referral for a dispute raised by ${who(state.raisedBy)}`,
  );
}

/** What the procedure asks before a referral that the log does not show. */
function referralWarnings(ctx: Context, state: DisputeState): string[] {
  const before = ctx.procedure.cafcass?.beforeReferral;
  if (!before || state.referralConsidered) return [];
  return [
    `Before referring, the procedure asks the ${who(state.raisedBy)} to tell the nominated officer that a referral is being considered: ${before.text} (${cite(ctx.authority, before.source)})`,
  ];
}

function considerReferral(
  ctx: Context,
  state: DisputeState,
  event: Extract<DisputeEvent, { type: "cafcass_referral_considered" }>,
  seq: number,
): Applied {
  const refused = referralRefused(ctx, state);
  if (refused) return refused;
  const confirmed = union(state.confirmed, event.confirmed);
  const unconfirmed = (ctx.procedure.cafcass?.beforeReferral?.requires ?? []).filter((r) => r.confirm && !confirmed.includes(r.id));
  return ok(
    { ...state, confirmed, referralConsidered: { at: event.at, seq } },
    unconfirmed.map((r) => `Not yet confirmed before considering a referral: ${r.text} (${cite(ctx.authority, r.source)})`),
  );
}

function referred(ctx: Context, state: DisputeState, at: Date, seq: number): DisputeState {
  const c = ctx.procedure.cafcass!;
  const closes = c.referralCloses === "always" || (c.referralCloses === "at_last_stage" && state.stage === lastStage(ctx.procedure));
  const next = { ...state, cafcassReferral: { at, seq } };
  return closes ? { ...next, status: "referred_to_cafcass", closed: { at, seq } } : next;
}

function refer(ctx: Context, state: DisputeState, at: Date, seq: number): Applied {
  return referralRefused(ctx, state) ?? ok(referred(ctx, state, at, seq), referralWarnings(ctx, state));
}

function noSuchStage(ctx: Context, n: number): Applied {
  const stages = ctx.procedure.stages.map((s) => s.stage).join(", ");
  return fail(
    "no_such_stage",
    `${capitalFirst(procedureTitle(ctx))} has no ${ctx.procedure.terms.stage} ${n}; its ${ctx.procedure.terms.stage}s are ${stages}`,
  );
}

function stageNotForRole(ctx: Context, stage: Stage, role: InstigatorRole): Applied {
  return fail(
    "stage_role",
    `${stageTitle(stage, ctx)} of ${procedureTitle(ctx)} is for ${orList(stage.entry.by.map(who))} only; a ${who(role)} cannot enter it (${cite(ctx.authority, stage.source)})`,
  );
}
