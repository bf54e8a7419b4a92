// The dispute state machine: a pure reducer from the event log to the current
// state. Every step is checked against the authority's procedure; an illegal
// step comes back as a TransitionError that says why, never as a quiet no-op.
import { longDate } from "../calendar/dates.js";
import { localDate } from "../calendar/local-time.js";
import { extendedDeadline, overallDeadline, stageDeadline } from "../procedure/deadlines.js";
import { cite, lastStage, mayStartAt, skippedStages, stageOf, } from "../procedure/model.js";
import { INSTIGATOR_LABELS } from "../procedure/roles.js";
import { TransitionError } from "./errors.js";
import { CAFCASS_CONSULTATION_REQUIREMENT } from "./events.js";
const fail = (code, message) => ({
    ok: false,
    error: new TransitionError(code, message),
});
function who(role) {
    return INSTIGATOR_LABELS[role];
}
function stageTitle(s) {
    return `stage ${s.stage} (${s.name})`;
}
function procedureTitle(ctx) {
    return `the ${ctx.procedure.name} of ${ctx.authority.name}`;
}
const capitalFirst = (s) => s.charAt(0).toUpperCase() + s.slice(1);
/** "1, 2 or 3" */
function orList(xs) {
    return xs.length < 2 ? xs.join("") : `${xs.slice(0, -1).join(", ")} or ${xs.at(-1)}`;
}
/** Applies one event to the state it follows (none for the first event). */
export function applyEvent(ctx, state, event, seq) {
    if (!state) {
        if (event.type !== "raised")
            return fail("not_raised", `the first step of a dispute must be raising it, not "${event.type}"`);
        return raise(ctx, event, seq);
    }
    if (event.type === "raised")
        return fail("already_raised", "this dispute has already been raised");
    if (state.closed) {
        return fail("closed", `this dispute was closed (${state.status.replaceAll("_", " ")}) on ${longDate(localDate(state.closed.at, ctx.authority.timeZone))}; no further steps can be taken on it`);
    }
    if (event.at.getTime() < state.lastAt.getTime()) {
        return fail("out_of_order", `this step is dated ${event.at.toISOString()}, before the dispute's previous step at ${state.lastAt.toISOString()}`);
    }
    const next = { ...state, lastAt: event.at, seq };
    switch (event.type) {
        case "response_recorded":
            if (state.awaiting === "decision") {
                return fail("already_responded", `a response to ${stageTitle(state.stage)} is already recorded; resolve, escalate or agree an extension`);
            }
            return ok({ ...next, awaiting: "decision", respondedAt: event.at, respondedSeq: seq });
        case "extension_agreed":
            return extend(ctx, next, event.until, seq);
        case "escalated":
            return escalate(ctx, next, event, seq);
        case "cafcass_consulted":
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
export function replay(ctx, events) {
    let state;
    const warnings = [];
    for (let i = 0; i < events.length; i++) {
        const r = applyEvent(ctx, state, events[i], i);
        if (!r.ok)
            return { ...r, failedAt: i };
        state = r.state;
        warnings.push(...r.warnings);
    }
    if (!state)
        return { ...fail("not_raised", "a dispute with no events has not been raised"), failedAt: 0 };
    return { ok: true, state, warnings };
}
function ok(state, warnings = []) {
    return { ok: true, state, warnings };
}
function union(a, b = []) {
    return [...new Set([...a, ...b])];
}
function raise(ctx, event, seq) {
    const p = ctx.procedure;
    if (!p.raisedBy.includes(event.by)) {
        return fail("procedure_role", `${capitalFirst(procedureTitle(ctx))} is raised by ${orList(p.raisedBy.map(who))}, not by ${who(event.by)}`);
    }
    const stage = stageOf(p, event.stage);
    if (!stage)
        return noSuchStage(ctx, event.stage);
    if (!stage.entry.by.includes(event.by))
        return stageNotForRole(ctx, stage, event.by);
    if (!mayStartAt(p, stage)) {
        const starts = p.stages.filter((s) => mayStartAt(p, s) && s.entry.by.includes(event.by)).map((s) => s.stage);
        return fail("start_not_allowed", `a dispute cannot start at ${stageTitle(stage)}: under ${procedureTitle(ctx)} it starts at ${p.terms.stage} ${orList(starts)} and reaches ${p.terms.stage} ${stage.stage} by escalation${p.entry.source ? ` (${cite(ctx.authority, p.entry.source)})` : ""}`);
    }
    const blank = {
        procedure: p.id,
        status: "open",
        raisedBy: event.by,
        raisedAt: event.at,
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
function escalate(ctx, state, event, seq) {
    const p = ctx.procedure;
    const from = state.stage;
    if (from.stage === lastStage(p).stage) {
        const after = from.whenTimescaleEnds ? ` ${from.whenTimescaleEnds}` : "";
        return fail("past_last_stage", `${stageTitle(from)} is the last stage of ${procedureTitle(ctx)}; there is no stage to escalate to.${after}`);
    }
    const target = stageOf(p, event.toStage);
    if (!target)
        return noSuchStage(ctx, event.toStage);
    if (target.stage <= from.stage) {
        return fail("not_later_stage", `the dispute is at stage ${from.stage}; escalation must be to a later stage, not stage ${target.stage}`);
    }
    if (!target.entry.by.includes(state.raisedBy))
        return stageNotForRole(ctx, target, state.raisedBy);
    // an informal stage leads to the formal process, not to another informal stage: that is where a
    // different concern starts (WF CP level 2, "a subsequent low-level concern", §10.3)
    if (!from.formal && !target.formal) {
        const formal = p.entry.startAt.filter((n) => stageOf(p, n)?.formal).join(", ");
        return fail("start_not_allowed", `${p.terms.stage} ${target.stage} is where a concern starts informally, not a step from ${p.terms.stage} ${from.stage}; to go on, start the formal process at ${p.terms.stage} ${formal}`);
    }
    // leaving the informal stage for a formal one starts the formal process: only where it may start (Newham §7: stages 1 to 3)
    if (!from.formal && target.formal && !mayStartAt(p, target)) {
        const where = p.entry.startAt.filter((n) => stageOf(p, n)?.formal).join(", ");
        return fail("start_not_allowed", `the formal process starts at ${p.terms.stage} ${where}, not ${p.terms.stage} ${target.stage}${p.entry.source ? ` (${cite(ctx.authority, p.entry.source)})` : ""}; from the informal ${p.terms.stage}, go to one of those`);
    }
    const skipped = skippedStages(p, from.stage, target.stage, state.raisedBy);
    if (skipped.length && !p.entry.skipping) {
        return fail("bypass_not_allowed", `${capitalFirst(procedureTitle(ctx))} goes one ${p.terms.stage} at a time: escalate to ${stageTitle(skipped[0])} first${p.entry.source ? ` (${cite(ctx.authority, p.entry.source)})` : ""}`);
    }
    return enter(ctx, { ...state, confirmed: union(state.confirmed, event.confirmed) }, target, event, seq, skipNote(ctx, skipped));
}
/** The procedure's note when a dispute starts above, or jumps over, formal stages the instigator could have used. */
function skipNote(ctx, skipped) {
    const note = ctx.procedure.entry.note;
    if (!skipped.length || !note)
        return [];
    return [`Skipping ${skipped.map((s) => `${ctx.procedure.terms.stage} ${s.stage}`).join(", ")}: ${note}`];
}
// Entering a stage (raising or escalating): its deadline, the overall clock if
// this is the first formal stage, and warnings for what the IRO has not confirmed.
function enter(ctx, state, stage, event, seq, notes) {
    const a = ctx.authority;
    const p = ctx.procedure;
    const t = stage.timescale;
    const given = event.timescaleWorkingDays;
    if (given !== undefined) {
        if (!Number.isInteger(given) || given < 1) {
            return fail("timescale_not_allowed", `timescaleWorkingDays must be a whole number of working days, 1 or more (got ${given})`);
        }
        if ("days" in t && !stage.timescaleMayBeAgreed) {
            return fail("timescale_not_allowed", `${stageTitle(stage)} has a fixed response time of ${t.days} days (${cite(ctx.authority, stage.source)}); it cannot be set per dispute`);
        }
        if ("until" in t || "none" in t) {
            return fail("timescale_not_allowed", `${stageTitle(stage)} has no timescale the IRO can set (${cite(ctx.authority, stage.source)})`);
        }
        if ("setBy" in t && t.maxWorkingDays !== undefined && given > t.maxWorkingDays) {
            return fail("timescale_too_long", `${stageTitle(stage)} allows at most ${t.maxWorkingDays} working days (${cite(ctx.authority, stage.source)}); got ${given}`);
        }
    }
    else if ("setBy" in t && stage.formal) {
        return fail("timescale_required", `the IRO sets the timescale for ${stageTitle(stage)} (${cite(ctx.authority, stage.source)}): give timescaleWorkingDays`);
    }
    const enteredOn = localDate(event.at, a.timeZone);
    let { formalStartedOn, overall } = state;
    if (stage.formal && !formalStartedOn) {
        formalStartedOn = enteredOn;
        overall = p.overallLimit ? overallDeadline(a, p.overallLimit, enteredOn) : undefined;
    }
    const deadline = stageDeadline(a, p, stage, enteredOn, { timescaleWorkingDays: given, overallDeadline: overall });
    if (given !== undefined && deadline.kind === "due") {
        const beyond = pastOverallLimit(ctx, overall, deadline.date, `a timescale of ${given} working days for ${stageTitle(stage)}`);
        if (beyond)
            return beyond;
    }
    const unconfirmed = stage.requires.filter((r) => r.confirm && !state.confirmed.includes(r.id));
    const missing = unconfirmed.filter((r) => r.blocking);
    if (missing.length) {
        return fail("prerequisite_missing", `${stageTitle(stage)} cannot begin until this is done and recorded: ${missing.map((r) => `${r.text} (${cite(a, r.source)})`).join("; ")}. Record it, or confirm it with the step (confirmed: ${missing.map((r) => r.id).join(", ")})`);
    }
    const warnings = [...notes, ...unconfirmed.map((r) => `Not yet confirmed before ${stageTitle(stage)}: ${r.text} (${cite(a, r.source)})`)];
    // no overall limit to refuse it by (Gloucestershire): a long timescale is the IRO's to set, and said back to them
    if (given !== undefined && !overall && given > HANDBOOK_WORKING_DAYS) {
        warnings.push(`${given} working days for ${stageTitle(stage)} is longer than the ${HANDBOOK_WORKING_DAYS} working days IRO Handbook 6.2 gives the whole process; it is recorded as given`);
    }
    if (stage.referral) {
        const refused = referralRefused(ctx, state);
        if (refused)
            return refused;
        warnings.push(...referralWarnings(ctx, state));
    }
    const entered = {
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
function extend(ctx, state, until, seq) {
    const { stage, deadline } = state;
    const a = ctx.authority;
    if (deadline.kind !== "due") {
        return fail("no_deadline", `${stageTitle(stage)} has no deadline to extend (${deadline.rule})`);
    }
    const { max, totalWorkingDays, source } = stage.extensions;
    const why = source ? ` (${cite(a, source)})` : "";
    if (max !== null && state.extensionsThisStage >= max) {
        return fail("extension_limit", max === 0
            ? `${stageTitle(stage)} cannot be extended${why}; escalate instead`
            : `${stageTitle(stage)} may be extended ${max === 1 ? "once" : `${max} times`} and has been${why}; escalate instead`);
    }
    const extended = extendedDeadline(a, until, stage);
    if (extended.date <= deadline.date) {
        return fail("extension_not_later", `an extension must move the deadline later than ${longDate(deadline.date)}; ${longDate(extended.date)} is not later`);
    }
    const beyond = pastOverallLimit(ctx, state.overall, extended.date, `an extension of ${stageTitle(stage)} to ${longDate(extended.date)}`);
    if (beyond)
        return beyond;
    const added = state.extendedWorkingDaysThisStage + a.calendar.workingDaysBetween(deadline.date, extended.date);
    if (totalWorkingDays !== undefined && added > totalWorkingDays) {
        return fail("extension_limit", `extensions of ${stageTitle(stage)} may add at most ${totalWorkingDays} working days in all${why}; this one would make ${added}`);
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
function pastOverallLimit(ctx, overall, date, what) {
    const limit = ctx.procedure.overallLimit;
    if (!overall || !limit || date <= overall.date)
        return undefined;
    return fail("past_overall_limit", `${capitalFirst(what)} would end after the overall limit of ${limit.workingDays} working days (${cite(ctx.authority, limit.source)}), which ends on ${longDate(overall.date)}. Choose a date on or before it, or escalate`);
}
function referralRefused(ctx, state) {
    const c = ctx.procedure.cafcass;
    if (c?.referralBy.includes(state.raisedBy))
        return undefined;
    return fail("cafcass_not_allowed", `${capitalFirst(procedureTitle(ctx))} has no Cafcass referral for a dispute raised by ${who(state.raisedBy)}`);
}
/** What the procedure asks before a referral that the log does not show. */
function referralWarnings(ctx, state) {
    const before = ctx.procedure.cafcass?.beforeReferral;
    if (!before || state.referralConsidered)
        return [];
    return [
        `Before referring, the procedure asks the ${who(state.raisedBy)} to tell the nominated officer that a referral is being considered: ${before.text} (${cite(ctx.authority, before.source)})`,
    ];
}
function considerReferral(ctx, state, event, seq) {
    const refused = referralRefused(ctx, state);
    if (refused)
        return refused;
    const confirmed = union(state.confirmed, event.confirmed);
    const unconfirmed = (ctx.procedure.cafcass?.beforeReferral?.requires ?? []).filter((r) => r.confirm && !confirmed.includes(r.id));
    return ok({ ...state, confirmed, referralConsidered: { at: event.at, seq } }, unconfirmed.map((r) => `Not yet confirmed before considering a referral: ${r.text} (${cite(ctx.authority, r.source)})`));
}
function referred(ctx, state, at, seq) {
    const c = ctx.procedure.cafcass;
    const closes = c.referralCloses === "always" || (c.referralCloses === "at_last_stage" && state.stage === lastStage(ctx.procedure));
    const next = { ...state, cafcassReferral: { at, seq } };
    return closes ? { ...next, status: "referred_to_cafcass", closed: { at, seq } } : next;
}
function refer(ctx, state, at, seq) {
    return referralRefused(ctx, state) ?? ok(referred(ctx, state, at, seq), referralWarnings(ctx, state));
}
function noSuchStage(ctx, n) {
    const stages = ctx.procedure.stages.map((s) => s.stage).join(", ");
    return fail("no_such_stage", `${capitalFirst(procedureTitle(ctx))} has no stage ${n}; its stages are ${stages}`);
}
function stageNotForRole(ctx, stage, role) {
    return fail("stage_role", `${stageTitle(stage)} of ${procedureTitle(ctx)} is for ${orList(stage.entry.by.map(who))} only; a ${who(role)} cannot enter it (${cite(ctx.authority, stage.source)})`);
}
//# sourceMappingURL=state.js.map