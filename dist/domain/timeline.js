import { applyEvent } from "./dispute/state.js";
import { describeDays, openingTime, overallDeadline } from "./procedure/deadlines.js";
import { firstFormalStage, roleFor, stageOf } from "./procedure/model.js";
export const SET_BY_IRO = "set by the IRO";
export function worstCaseTimeline(a, p, raised, opts = {}) {
    const by = opts.raisedBy ?? p.raisedBy[0];
    const startStage = opts.stage ?? firstFormalStage(p).stage;
    const ctx = { authority: a, procedure: p };
    const timescaleFor = (n) => {
        const s = stageOf(p, n);
        return s && "setBy" in s.timescale ? opts.timescaleWorkingDays : undefined;
    };
    const all = (n) => stageOf(p, n)?.requires.map((r) => r.id) ?? [];
    const first = applyEvent(ctx, undefined, {
        type: "raised",
        at: openingTime(a, raised),
        stage: startStage,
        by,
        timescaleWorkingDays: timescaleFor(startStage),
        confirmed: all(startStage),
    }, 0);
    // A first stage whose timescale is the IRO's, with none given, has no dates
    // to show; the overall limit still runs from the day it is raised.
    if (!first.ok && first.error.code !== "timescale_required")
        throw first.error;
    const visited = first.ok ? [first.state] : [];
    let stoppedBecause = first.ok ? undefined : first.error.message;
    let overall = first.ok
        ? first.state.overall
        : stageOf(p, startStage)?.formal && p.overallLimit
            ? overallDeadline(a, p.overallLimit, raised)
            : undefined;
    for (let seq = 1, state = visited[0]; state; seq++) {
        const next = p.stages[p.stages.indexOf(state.stage) + 1];
        if (!next)
            break;
        if (state.deadline.kind !== "due") {
            stoppedBecause = `stage ${state.stage.stage} has no date to escalate from: ${state.deadline.rule}`;
            break;
        }
        const r = applyEvent(ctx, state, {
            type: "escalated",
            at: state.deadline.at,
            toStage: next.stage,
            timescaleWorkingDays: timescaleFor(next.stage),
            confirmed: all(next.stage),
        }, seq);
        if (!r.ok) {
            stoppedBecause = r.error.message;
            break;
        }
        state = r.state;
        overall = state.overall;
        visited.push(state);
    }
    const byStage = new Map(visited.map((v) => [v.stage.stage, v]));
    const stages = p.stages
        .filter((s) => s.stage >= startStage && (byStage.has(s.stage) || s.entry.by.includes(by)))
        .map((s) => {
        const v = byStage.get(s.stage);
        const date = v?.deadline.kind === "due" ? v.deadline.date : null;
        const respondBy = date ?? ("setBy" in s.timescale ? SET_BY_IRO : null);
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
function describeDeadline(d) {
    if (d.kind === "due")
        return d.rule;
    if (d.kind === "set_by_instigator")
        return SET_BY_IRO;
    return d.rule;
}
export function describeTimescale(p, t) {
    if ("days" in t)
        return `${describeDays(t.days, t.unit ?? p.timescaleUnit)} after the stage begins`;
    if ("setBy" in t)
        return SET_BY_IRO;
    if ("until" in t)
        return "until the overall limit";
    return t.none;
}
//# sourceMappingURL=timeline.js.map