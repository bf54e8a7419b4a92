// Raising a dispute and taking every later step on it. Each step is one
// transaction: lock the dispute row, replay its log through the state machine,
// apply the step, append it to the log and rewrite the projection. Two clicks
// on "escalate" queue on the lock, and the second meets the new state.

import { and, eq } from "drizzle-orm";
import type { Database, Db } from "../db/client.ts";
import { loadDirectory } from "../db/queries/directory.ts";
import {
  appendEvent,
  type DisputeRow,
  type EventRow,
  eventsOf,
  findDispute,
  insertDispute,
  lockDispute,
  nextReferenceNumber,
  type Projection,
  saveProjection,
} from "../db/queries/disputes.ts";
import { type RequestedAction, reviews } from "../db/schema.ts";
import { addDays as addCalendarDays, parseIsoDate } from "../domain/calendar/dates.ts";
import { localDate } from "../domain/calendar/local-time.ts";
import { casePeopleIssues, type Directory } from "../domain/directory.ts";
import type { TransitionError } from "../domain/dispute/errors.ts";
import type { DisputeEvent } from "../domain/dispute/events.ts";
import { applyEvent, type DisputeState, replay } from "../domain/dispute/state.ts";
import { type Authority, cite, isProcedureId, nextStage, type Procedure } from "../domain/procedure/model.ts";
import { authorityOf, disputeChanged, type Services } from "./context.ts";
import { ConflictError, InputError, type Issue, NotFoundError } from "./errors.ts";
import { type Actor, fromRow, isDomainEvent, toRow } from "./event-log.ts";
import type { RaiseInput, StepInput } from "./inputs.ts";

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface StepResult {
  dispute: DisputeRow;
  state: DisputeState;
  warnings: string[];
}

export function procedureOf(a: Authority, id: string): Procedure {
  const p = isProcedureId(id) && Object.hasOwn(a.procedures, id) ? a.procedures[id] : undefined;
  if (!p) throw new InputError("procedure", `${a.name} has no "${id}" procedure; it has ${Object.keys(a.procedures).join(", ")}`);
  return p;
}

export function checkAt(svc: Services, at: Date | undefined): Date {
  const now = svc.clock.now();
  if (!at) return now;
  if (at.getTime() > now.getTime() + 60_000) throw new InputError("at", "must not be in the future");
  return at;
}

function projection(s: DisputeState): Projection {
  return {
    stage: s.stage.stage,
    stagesEntered: [...new Set(s.visits.map((v) => v.stage))].sort((x, y) => x - y),
    status: s.status,
    awaiting: s.awaiting,
    formalStartedOn: s.formalStartedOn ?? null,
    overallDeadline: s.overall?.date ?? null,
    respondBy: s.deadline.kind === "due" ? s.deadline.date : null,
    respondByAt: s.deadline.kind === "due" ? s.deadline.at : null,
    closedAt: s.closed?.at ?? null,
  };
}

// reviews and the registers count apart from disputes, each with its own infix
const INFIX = { dispute: "", review: "-REV", slt_action: "-ACT", good_practice: "-GP" } as const;

/** BIR-2026-0042 for a dispute; BIR-REV-2026-0007 for a review; NEW-ACT-2027-0001 an SLT action; WF-GP-2027-0001 good practice. */
export function referenceFor(a: Authority, year: number, n: number, kind: keyof typeof INFIX = "dispute"): string {
  const prefix =
    a.referencePrefix ??
    a.id
      .replace(/[^a-z0-9]/g, "")
      .slice(0, 3)
      .toUpperCase();
  return `${prefix}${INFIX[kind]}-${year}-${String(n).padStart(4, "0")}`;
}

// A timescale the caller had to give, or may not give, or a stage the procedure does not
// have, is a field of the request: 400, not 409.
const FIELD_CODES: ReadonlyMap<string, string> = new Map([
  ["timescale_required", "timescaleWorkingDays"],
  ["timescale_not_allowed", "timescaleWorkingDays"],
  ["timescale_too_long", "timescaleWorkingDays"],
  ["no_such_stage", "stage"],
  ["concerning", "concerning"],
]);

function refused(e: TransitionError, stageField = "stage"): Error {
  const field = FIELD_CODES.get(e.code);
  if (!field) return ConflictError.from(e);
  return new InputError(field === "stage" ? stageField : field, e.message);
}

export interface PreparedRaise {
  authority: Authority;
  procedure: Procedure;
  input: RaiseInput;
  at: Date;
  team: { id: string; service: string };
  requestedActions: RequestedAction[];
  event: DisputeEvent;
  state: DisputeState;
  warnings: string[];
}

/** Everything about raising a dispute that can be checked before writing. */
export function prepareRaise(svc: Services, a: Authority, dir: Directory, input: RaiseInput): PreparedRaise {
  const p = procedureOf(a, input.procedure);
  const at = checkAt(svc, input.at);
  const issues: Issue[] = [];
  const team = dir.teams.get(input.team);
  if (!team) issues.push({ field: "team", message: `no team "${input.team}" in ${a.name}'s directory` });
  issues.push(...casePeopleIssues(a, dir, input.casePeople ?? {}));
  const allowed = new Set(a.categories.filter((c) => !c.procedures || c.procedures.includes(p.id)).map((c) => c.id));
  input.categories.forEach((c, i) => {
    if (c !== "other" && !allowed.has(c))
      issues.push({ field: `categories[${i}]`, message: `"${c}" is not one of ${a.name}'s ${p.id} categories (or "other")` });
  });
  const raisedOn = localDate(at, a.timeZone);
  const requestedActions: RequestedAction[] = [];
  (input.requestedActions ?? []).forEach((r, i) => {
    const by = r.by ? parseIsoDate(r.by) : a.calendar.addWorkingDays(raisedOn, r.timescaleWorkingDays!);
    const max = p.requestedActions?.maxWorkingDays;
    if (by < raisedOn) issues.push({ field: `requestedActions[${i}].by`, message: `is before the dispute is raised (${raisedOn})` });
    else if (max !== undefined && a.calendar.workingDaysBetween(raisedOn, by) > max) {
      issues.push({
        field: `requestedActions[${i}]`,
        message: `${a.name} allows at most ${max} working days for a requested action (${cite(a, p.requestedActions!.source)})`,
      });
    }
    requestedActions.push({ action: r.action, by });
  });
  if (issues.length || !team) throw InputError.all(issues);
  const event: DisputeEvent = {
    type: "raised",
    at,
    stage: input.stage,
    by: input.raisedBy.role,
    timescaleWorkingDays: input.timescaleWorkingDays,
    confirmed: input.confirmed,
    ...(input.concerning ? { concerning: { name: input.concerning.name, role: input.concerning.role } } : {}),
  };
  const applied = applyEvent({ authority: a, procedure: p }, undefined, event, 0);
  if (!applied.ok) throw refused(applied.error, "stage");
  return { authority: a, procedure: p, input, at, team, requestedActions, event, state: applied.state, warnings: applied.warnings };
}

/**
 * Writes a new dispute with its history (the raise, and for an imported
 * tracker row the steps since), ending in `state`. Call inside a transaction.
 */
export async function insertNewDispute(
  tx: Database,
  svc: Services,
  r: PreparedRaise,
  history: { event: DisputeEvent; warnings: string[] }[],
  state: DisputeState,
): Promise<DisputeRow> {
  const { authority: a, input } = r;
  const year = Number(localDate(r.at, a.timeZone).slice(0, 4));
  const reference = referenceFor(a, year, await nextReferenceNumber(tx, a.id, year));
  const row = await insertDispute(tx, {
    authorityId: a.id,
    reference,
    procedure: r.procedure.id,
    childRef: input.childRef,
    familyRef: input.familyRef ?? null,
    casePeople: input.casePeople ?? {},
    reviewId: input.reviewId ?? null,
    raisedByName: input.raisedBy.name,
    raisedByEmail: input.raisedBy.email,
    raisedByRole: input.raisedBy.role,
    teamId: r.team.id,
    serviceId: r.team.service,
    categories: input.categories,
    otherCategory: input.otherCategory,
    summary: input.summary,
    requestedActions: r.requestedActions,
    raisedAt: r.at,
    ...projection(state),
  });
  const actor = { name: input.raisedBy.name, email: input.raisedBy.email, role: input.raisedBy.role };
  const now = svc.clock.now();
  for (const [seq, h] of history.entries()) {
    await appendEvent(tx, { ...toRow(row.id, seq, h.event, actor, h.warnings.length ? { warnings: h.warnings } : {}), recordedAt: now });
  }
  return row;
}

/** Runs inside a step's transaction, after the step is written: what must be recorded with it or not at all (an Idempotency-Key's answer). */
export type AlongWith = (tx: Db, result: StepResult) => Promise<void>;

export async function raiseDispute(svc: Services, authorityId: string, input: RaiseInput, along?: AlongWith): Promise<StepResult> {
  const a = authorityOf(svc, authorityId);
  const prepared = prepareRaise(svc, a, await loadDirectory(svc.db, a.id), input);
  if (input.reviewId) await checkReview(svc, a, input);
  const { state, warnings } = prepared;
  const dispute = await svc.db.transaction(async (t) => {
    const row = await insertNewDispute(t, svc, prepared, [{ event: prepared.event, warnings }], state);
    await along?.(t, { dispute: row, state, warnings });
    return row;
  });
  svc.log.info(
    // the dispute's id, not its reference: a log holds ids and codes, nothing a person could be looked up by
    { authority: a.id, disputeId: dispute.id, procedure: dispute.procedure, stage: state.stage.stage },
    "dispute raised",
  );
  disputeChanged(svc, dispute.id);
  return { dispute, state, warnings };
}

/** A dispute raised from a review is about the same child, under the same procedure. */
async function checkReview(svc: Services, a: Authority, input: RaiseInput): Promise<void> {
  const [r] = UUID.test(input.reviewId!)
    ? await svc.db
        .select({ childRef: reviews.childRef, procedure: reviews.procedure })
        .from(reviews)
        .where(and(eq(reviews.authorityId, a.id), eq(reviews.id, input.reviewId!)))
    : [];
  if (!r) throw new InputError("reviewId", `no review ${input.reviewId} in ${a.name}`);
  if (r.childRef !== input.childRef || r.procedure !== input.procedure)
    throw new InputError("reviewId", "that review is about another child or under another procedure");
}

/** Turns a step request into the domain event, filling in what the caller left out. */
function eventFor(a: Authority, p: Procedure, state: DisputeState, input: StepInput, at: Date): DisputeEvent {
  switch (input.type) {
    case "escalated": {
      const toStage = input.toStage ?? nextStage(p, state.stage, state.raisedBy)?.stage;
      // no later stage: let the state machine say why (past the last stage)
      return {
        type: "escalated",
        at,
        toStage: toStage ?? state.stage.stage + 1,
        timescaleWorkingDays: input.timescaleWorkingDays,
        confirmed: input.confirmed,
      };
    }
    case "extension_agreed": {
      if (input.until) return { type: "extension_agreed", at, until: parseIsoDate(input.until) };
      if (state.deadline.kind !== "due") return { type: "extension_agreed", at, until: addCalendarDays(localDate(at, a.timeZone), 1) };
      return { type: "extension_agreed", at, until: a.calendar.addWorkingDays(state.deadline.date, input.workingDays!) };
    }
    case "cafcass_referral_considered":
      return { type: input.type, at, confirmed: input.confirmed };
    default:
      return { type: input.type, at } as DisputeEvent;
  }
}

function extraOf(input: StepInput): Record<string, unknown> {
  if (input.type === "response_recorded" && input.note) return { note: input.note };
  if (input.type === "resolved" && input.outcome) return { outcome: input.outcome };
  if (input.type === "withdrawn" && input.reason) return { reason: input.reason };
  return {};
}

export function replayRows(a: Authority, row: DisputeRow, rows: EventRow[]): DisputeState {
  const p = procedureOf(a, row.procedure);
  const r = replay({ authority: a, procedure: p }, rows.filter(isDomainEvent).map(fromRow));
  // The log was checked step by step as it was written; failing now means the
  // procedure file changed under a running dispute.
  if (!r.ok) throw new Error(`dispute ${row.id}: its history no longer replays: ${r.error.message}`);
  return r.state;
}

/** Steps being recorded in this process, by authority and dispute: a second one arriving meanwhile is a double click. */
const inFlight = new Map<string, Promise<unknown>>();

/**
 * Steps recorded in this process, numbered in order; and per dispute, the
 * number of its latest (set inside the step's transaction, under the row
 * lock). A request notes the count when it arrives (arrivalMark(), at the
 * HTTP layer before anything waits): a step that names no version is refused
 * if its dispute had a step recorded after that, which its sender cannot
 * have seen. Kept for the latest disputes only.
 */
let stepsHere = 0;
const latestHere = new Map<string, number>();
/** The mark a request takes when it arrives. */
export const arrivalMark = (): number => stepsHere;
function noteRecorded(flight: string): void {
  stepsHere += 1;
  latestHere.delete(flight);
  latestHere.set(flight, stepsHere);
  if (latestHere.size > 50_000) latestHere.delete(latestHere.keys().next().value!);
}

/**
 * A step with neither `version` nor `at` is a click: one that repeats the
 * dispute's last step within this long of it being recorded is the same click
 * again (a double click, a retried request), not a second step.
 */
export const REPEAT_WINDOW_MS = 10_000;

/**
 * Records one step. Two steps on the same dispute at the same moment (a double
 * click, two tabs, a retried request) must not both land: the second is refused
 * with 409 if another step was in flight when it arrived here, or if the
 * dispute's version moved on between its arrival and its turn at the row lock
 * (another process got there first).
 */
export async function takeStep(
  svc: Services,
  authorityId: string,
  disputeId: string,
  input: StepInput,
  opts: { arrived?: number; along?: AlongWith } = {},
): Promise<StepResult> {
  const arrived = opts.arrived ?? arrivalMark();
  const flight = `${authorityId}/${disputeId}`;
  const a = authorityOf(svc, authorityId);
  if (!UUID.test(disputeId)) throw new NotFoundError("no such dispute");
  const at = checkAt(svc, input.at);
  // another authority's dispute is not found before anything else: it never meets this one's steps
  const found = await findDispute(svc.db, a.id, disputeId);
  if (!found) throw new NotFoundError("no such dispute");
  const guard = {
    // the version the request is taken on: the one it names, else the one it found on arrival
    seen: input.version ?? found.version,
    movedSinceArrival: () => (latestHere.get(flight) ?? 0) > arrived,
    recorded: () => noteRecorded(flight),
    along: opts.along,
  };
  // a step naming a version waits its turn at the row lock, where the version decides
  if (input.version !== undefined) return recordStep(svc, a, disputeId, input, at, guard);
  const busy = inFlight.get(flight);
  if (busy) {
    await busy.catch(() => {});
    throw new ConflictError(
      "concurrent_step",
      "another step on this dispute was being recorded at the same moment; reload it and try again",
    );
  }
  const run = recordStep(svc, a, disputeId, input, at, guard);
  inFlight.set(flight, run);
  try {
    return await run;
  } finally {
    inFlight.delete(flight);
  }
}

/**
 * The same step as the last one, moments after it, from a request that named
 * no version: the same click again (or the same backdated step sent twice).
 */
function refuseRepeat(rows: EventRow[], input: StepInput, at: Date, now: Date): void {
  if (input.version !== undefined) return;
  const last = rows.filter(isDomainEvent).at(-1);
  if (!last || last.type !== input.type) return;
  if (input.at !== undefined && last.at.getTime() !== at.getTime()) return;
  const ago = now.getTime() - last.recordedAt.getTime();
  if (ago < 0 || ago >= REPEAT_WINDOW_MS) return;
  throw new ConflictError(
    "concurrent_step",
    `the same step (${input.type.replaceAll("_", " ")}) was recorded on this dispute ${Math.round(ago / 1000)} seconds ago; to take it again, send the dispute's version (If-Match) or an Idempotency-Key`,
  );
}

interface StepGuard {
  seen: number;
  movedSinceArrival(): boolean;
  recorded(): void;
  along?: AlongWith;
}

async function recordStep(svc: Services, a: Authority, disputeId: string, input: StepInput, at: Date, g: StepGuard): Promise<StepResult> {
  const seen = g.seen;
  const result = await svc.db.transaction(async (t) => {
    const tx = t;
    const row = await lockDispute(tx, a.id, disputeId);
    if (!row) throw new NotFoundError("no such dispute");
    if (input.version === undefined && g.movedSinceArrival())
      throw new ConflictError(
        "concurrent_step",
        "another step on this dispute was recorded after this request arrived; reload it, and to take this step as well send the dispute's version (If-Match)",
      );
    if (row.version !== seen) {
      throw new ConflictError(
        input.version === undefined ? "concurrent_step" : "version_mismatch",
        `the dispute changed (now version ${row.version}, stage ${row.stage}, ${row.status}) while this step waited; reload it and try again`,
      );
    }
    const rows = await eventsOf(tx, row.id);
    const p = procedureOf(a, row.procedure);
    const state = replayRows(a, row, rows);
    const event = eventFor(a, p, state, input, at);
    // The state machine numbers only the dispute's own steps (planner keys
    // depend on it); the log's seq also counts notification records.
    const domainSeq = rows.filter(isDomainEvent).length;
    const applied = applyEvent({ authority: a, procedure: p }, state, event, domainSeq);
    if (!applied.ok) throw refused(applied.error, "toStage");
    refuseRepeat(rows, input, at, svc.clock.now());
    const actor: Actor = input.by
      ? { ...input.by }
      : input.type === "response_recorded"
        ? {}
        : { name: row.raisedByName, email: row.raisedByEmail, role: row.raisedByRole };
    const extra = { ...extraOf(input), ...(applied.warnings.length ? { warnings: applied.warnings } : {}) };
    const now = svc.clock.now();
    await appendEvent(tx, { ...toRow(row.id, rows.length, event, actor, extra), recordedAt: now });
    const proj = projection(applied.state);
    if (!(await saveProjection(tx, row.id, row.version, proj, now))) {
      throw new ConflictError("concurrent_step", "the dispute changed while this step was being recorded; reload it and try again");
    }
    g.recorded();
    const result = {
      dispute: { ...row, ...proj, version: row.version + 1, updatedAt: now },
      state: applied.state,
      warnings: applied.warnings,
    };
    await g.along?.(tx, result);
    return result;
  });
  svc.log.info(
    { authority: a.id, disputeId, step: input.type, stage: result.state.stage.stage, status: result.state.status },
    "dispute step recorded",
  );
  disputeChanged(svc, disputeId);
  return result;
}
