// The notifications of the stage a dispute is at: its announcement, reminders,
// the overdue notice, the prompt to the instigator (or escalator) when its
// time runs out, and the overall limit's warning and breach.
import { longDate } from "./calendar/dates.js";
import { localDate } from "./calendar/local-time.js";
import { addressees, copyRole, planKey, toRole, } from "./notification.js";
import { decisionDeadline, openingTime, workingDaysBefore } from "./procedure/deadlines.js";
import { cite, nextStage, roleFor } from "./procedure/model.js";
import { INSTIGATOR } from "./procedure/roles.js";
export function stageNotices(input, obligations) {
    const { authority: a, procedure: p, state: s, disputeId: id, service } = input;
    const stage = s.stage;
    if (stage.referral || !stage.recipient)
        return []; // the referral notice says it all
    const out = [];
    const recipient = roleFor(stage.recipient, service);
    const copied = stage.copied.map((r) => copyRole(roleFor(r, service)));
    const escalator = stage.escalatedBy && s.visits.length > 1 ? copyRole(roleFor(stage.escalatedBy, service)) : undefined;
    const d = s.deadline;
    const dl = d.kind === "due" ? { date: d.date, at: d.at } : undefined;
    const entered = { stage: stage.stage, seq: s.stageSeq };
    const current = { stage: stage.stage, seq: s.deadlineSeq };
    if (stage.formal) {
        out.push({
            key: planKey(id, "stage_raised", entered),
            kind: "stage_raised",
            stage: stage.stage,
            at: s.stageEnteredAt,
            addressees: addressees(toRole(recipient), copied, copyRole(p.qaInbox), escalator, copyRole(INSTIGATOR)),
            deadline: dl,
            rule: `${stage.name}: response ${d.kind === "due" ? `due by ${longDate(d.date)}, ${d.rule}` : d.rule}`,
            source: stage.source,
        });
    }
    if (s.deadlineSeq !== s.stageSeq && stage.formal) {
        out.push({
            key: planKey(id, "extension_agreed", current),
            kind: "extension_agreed",
            stage: stage.stage,
            at: s.lastExtensionAt ?? s.stageEnteredAt,
            addressees: addressees(toRole(recipient), copyRole(INSTIGATOR), copyRole(p.qaInbox)),
            deadline: dl,
            rule: d.rule,
            source: stage.source,
        });
    }
    if (d.kind !== "due")
        return out;
    if (!stage.formal) {
        // the informal stage's agreed time has ended: the instigator decides whether to go formal (Birmingham §3.3)
        out.push(prompt(input, planKey(id, "escalation_prompt", current), d, "informal_timescale_ended"));
        return out;
    }
    if (s.awaiting === "response") {
        obligations.push({ kind: "stage_response", stage: stage.stage, owedBy: recipient, due: d });
        for (const n of stage.reminders.workingDaysBefore) {
            const on = workingDaysBefore(a, d.date, n);
            if (on <= s.stageEnteredOn)
                continue; // no reminder on or before the day the stage began
            out.push({
                key: planKey(id, `reminder_${n}wd`, current),
                kind: "reminder",
                stage: stage.stage,
                at: openingTime(a, on),
                addressees: [toRole(recipient)],
                deadline: dl,
                rule: `${n} working day${n === 1 ? "" : "s"} before the response is due (${d.rule})`,
                source: d.source,
            });
        }
        if (stage.reminders.dueToday && d.date > s.stageEnteredOn) {
            out.push({
                key: planKey(id, "due_today", current),
                kind: "due_today",
                stage: stage.stage,
                at: openingTime(a, d.date),
                addressees: [toRole(recipient)],
                deadline: dl,
                rule: `the response is due today (${d.rule})`,
                source: d.source,
            });
        }
        out.push({
            key: planKey(id, "overdue", current),
            kind: "overdue",
            stage: stage.stage,
            at: d.at,
            addressees: addressees(toRole(recipient), copyRole(p.qaInbox)),
            deadline: dl,
            rule: `no response recorded by close of business on ${longDate(d.date)} (${d.rule})`,
            source: d.source,
        });
        out.push(prompt(input, planKey(id, "escalation_prompt", current), d, "response_overdue"));
        return out;
    }
    const decision = s.respondedAt ? decisionDeadline(a, p, localDate(s.respondedAt, a.timeZone)) : undefined;
    if (decision) {
        obligations.push({ kind: "instigator_decision", stage: stage.stage, owedBy: INSTIGATOR, due: decision });
        const after = { stage: stage.stage, seq: s.respondedSeq };
        // a reminder on the morning the outcome is due, and a prompt once it is overdue
        if (decision.date > localDate(s.respondedAt, a.timeZone))
            out.push({ ...prompt(input, planKey(id, "decision_reminder", after), decision, "decision_due"), at: openingTime(a, decision.date) });
        out.push(prompt(input, planKey(id, "decision_prompt", after), decision, "decision_overdue"));
    }
    else {
        out.push(prompt(input, planKey(id, "escalation_prompt", current), d, "stage_timescale_ended"));
    }
    return out;
}
/** The overall limit: a warning before it runs out and a notice when it has, to the instigator and their manager. */
export function overallNotices(input, obligations) {
    const { authority: a, procedure: p, state: s, disputeId: id, service } = input;
    const o = s.overall;
    const limit = p.overallLimit;
    if (!o || !limit)
        return [];
    const out = [];
    const owedBy = s.stage.recipient ? roleFor(s.stage.recipient, service) : INSTIGATOR;
    obligations.push({ kind: "overall_limit", stage: s.stage.stage, owedBy, due: o });
    const told = addressees(toRole(INSTIGATOR), toRole(p.iroManager, "copied"), copyRole(p.qaInbox));
    const n = limit.warnWorkingDaysBefore;
    const warnOn = workingDaysBefore(a, o.date, n);
    if (s.formalStartedOn && warnOn > s.formalStartedOn) {
        out.push({
            key: planKey(id, `overall_warning:${o.date}`),
            kind: "overall_warning",
            stage: s.stage.stage,
            at: openingTime(a, warnOn),
            addressees: told,
            deadline: { date: o.date, at: o.at },
            rule: `${n} working days before the overall limit (${o.rule})`,
            source: o.source,
        });
    }
    out.push({
        key: planKey(id, `overall_breach:${o.date}`),
        kind: "overall_breach",
        stage: s.stage.stage,
        at: o.at,
        addressees: told,
        deadline: { date: o.date, at: o.at },
        rule: `the overall limit has run out (${o.rule})`,
        source: o.source,
    });
    return out;
}
/** The prompt to decide: escalate, extend, resolve, or (at an informal stage) go formal. */
function prompt(input, key, due, reason) {
    const { authority: a, state: s, service } = input;
    const stage = s.stage;
    const next = nextFor(input, stage);
    const escalatedBy = next?.escalatedBy ? roleFor(next.escalatedBy, service) : undefined;
    const why = {
        response_overdue: "no response by the deadline",
        decision_due: "a response was recorded and the instigator's decision is due today",
        decision_overdue: "a response was recorded and the instigator's decision is overdue",
        stage_timescale_ended: "the stage's timescale has run out",
        informal_timescale_ended: "the time agreed for informal resolution has run out",
    }[reason];
    return {
        key,
        kind: "escalation_prompt",
        stage: stage.stage,
        at: due.at,
        // the escalator acts in the instigator's place (Birmingham §3.13), and the instigator is copied
        addressees: escalatedBy ? addressees(toRole(escalatedBy, "instigator"), copyRole(INSTIGATOR)) : [toRole(INSTIGATOR)],
        deadline: { date: due.date, at: due.at },
        rule: `${why} (${due.rule})`,
        source: due.source,
        escalation: {
            reason,
            nextStage: next && {
                stage: next.stage,
                name: next.name,
                recipient: next.recipient ? roleFor(next.recipient, service) : undefined,
                referral: next.referral,
                requires: next.requires.filter((r) => !s.confirmed.includes(r.id)).map((r) => `${r.text} (${cite(a, r.source)})`),
            },
            escalatedBy,
            whenTimescaleEnds: stage.whenTimescaleEnds,
        },
    };
}
/** Where an escalation would normally go: the next stage, or from an informal stage the next formal one. */
function nextFor(input, stage) {
    const { procedure: p, state: s } = input;
    if (stage.formal)
        return nextStage(p, stage, s.raisedBy);
    return p.stages.find((x) => x.stage > stage.stage && x.formal && x.entry.by.includes(s.raisedBy));
}
//# sourceMappingURL=planner-stage.js.map