// Notices of what happened to a dispute, rather than of what is due: a
// response was recorded, the dispute moved on from someone's stage, it closed,
// an informal stage opened or closed (where the procedure registers them), a
// Cafcass referral was considered or made. Each is keyed on the event behind
// it, so it goes once.
import { localDate } from "./calendar/local-time.js";
import { addressees, copyRole, planKey, toRole } from "./notification.js";
import { decisionDeadline } from "./procedure/deadlines.js";
import { nextStage, roleFor, stageOf } from "./procedure/model.js";
import { INSTIGATOR } from "./procedure/roles.js";
/**
 * A response was recorded: the instigator is told at once (and whoever
 * escalates in their place, where the procedure names one), with the date to
 * decide by where the procedure sets one (Newham's form: 2 calendar days).
 */
export function responseNotice(input) {
    const { authority: a, procedure: p, state: s, disputeId: id, service } = input;
    if (s.closed || s.awaiting !== "decision" || !s.respondedAt || s.respondedSeq === undefined || !s.stage.formal)
        return [];
    const escalator = nextStage(p, s.stage, s.raisedBy)?.escalatedBy;
    const decision = decisionDeadline(a, p, localDate(s.respondedAt, a.timeZone));
    return [
        {
            key: planKey(id, "response_recorded", { stage: s.stage.stage, seq: s.respondedSeq }),
            kind: "response_recorded",
            stage: s.stage.stage,
            at: s.respondedAt,
            addressees: escalator ? addressees(toRole(roleFor(escalator, service), "instigator"), copyRole(INSTIGATOR)) : [toRole(INSTIGATOR)],
            deadline: decision ? { date: decision.date, at: decision.at } : undefined,
            rule: `a response to ${s.stage.name} was recorded${decision ? `; the decision is due by ${decision.date} (${decision.rule})` : ""}`,
            source: decision?.source ?? s.stage.source,
        },
    ];
}
/**
 * The dispute moved on from a stage: its recipient is told who holds it now,
 * and the deadline in their calendar is withdrawn. Only the latest move: a
 * dispute imported with its history does not tell each earlier holder again.
 */
export function stageLeftNotice(input) {
    const { procedure: p, state: s, disputeId: id, service } = input;
    const left = s.left;
    const was = left && stageOf(p, left.stage);
    if (!left || !was?.formal || !was.recipient)
        return [];
    const role = roleFor(was.recipient, service);
    // the same role holds the new stage: its announcement says so
    if (s.stage.recipient && roleFor(s.stage.recipient, service) === role)
        return [];
    return [
        {
            key: planKey(id, "stage_left", { stage: left.stage, seq: s.stageSeq }),
            kind: "stage_left",
            stage: left.stage,
            at: left.at,
            addressees: [toRole(role)],
            rule: `the dispute moved from ${was.name} to ${s.stage.name}`,
            source: s.stage.source,
        },
    ];
}
export function closedNotice(input) {
    const { procedure: p, state: s, disputeId: id, service } = input;
    // nobody outside the informal discussion has heard of a dispute that never went formal
    if (!s.closed || !s.formalStartedOn)
        return [];
    const stage = s.stage;
    const recipient = stage.recipient && stage.formal ? toRole(roleFor(stage.recipient, service)) : undefined;
    // a referral closes the dispute with its own notice to the instigator (cafcassNotices)
    const instigator = s.status === "referred_to_cafcass" ? undefined : toRole(INSTIGATOR);
    const copies = p.closing ? p.closing.copied : [...stage.copied, p.qaInbox];
    return [
        {
            key: planKey(id, "closed"),
            kind: "closed",
            stage: stage.stage,
            at: s.closed.at,
            addressees: addressees(recipient, instigator, copies.map((r) => copyRole(roleFor(r, service)))),
            rule: `the dispute was closed: ${s.status.replaceAll("_", " ")}`,
            source: p.closing?.source ?? p.source,
        },
    ];
}
/** WF §11.1: informal concerns are registered with business support when they open and close. */
export function informalNotices(input) {
    const { procedure: p, state: s, disputeId: id, service } = input;
    const out = [];
    const told = (stageNumber) => {
        const r = stageOf(p, stageNumber)?.register;
        return (r &&
            addressees(toRole(roleFor(r.to, service)), r.copied.map((c) => copyRole(roleFor(c, service)))));
    };
    const current = s.stage;
    const here = !current.formal ? told(current.stage) : undefined;
    if (here && current.register) {
        out.push({
            key: planKey(id, "informal_opened", { stage: current.stage, seq: s.stageSeq }),
            kind: "informal_opened",
            stage: current.stage,
            at: s.stageEnteredAt,
            addressees: here,
            rule: `${current.name} opened`,
            source: current.register.source,
        });
        if (s.closed) {
            out.push({
                key: planKey(id, "informal_closed", { stage: current.stage, seq: s.closed.seq }),
                kind: "informal_closed",
                stage: current.stage,
                at: s.closed.at,
                addressees: here,
                rule: `${current.name} closed: ${s.status.replaceAll("_", " ")}`,
                source: current.register.source,
            });
        }
    }
    // the stage before this one was a registered informal stage: it closed when this one began
    const before = s.visits.at(-2);
    const left = before && stageOf(p, before.stage);
    const prior = left && !left.formal ? told(left.stage) : undefined;
    if (left && prior && left.register) {
        out.push({
            key: planKey(id, "informal_closed", { stage: left.stage, seq: s.stageSeq }),
            kind: "informal_closed",
            stage: left.stage,
            at: s.stageEnteredAt,
            addressees: prior,
            rule: `${left.name} closed: moved to ${current.name}`,
            source: left.register.source,
        });
    }
    return out;
}
/** IRO Handbook 8.12: the nominated officer is told when a referral is considered, and when it is made. */
export function cafcassNotices(input) {
    const { procedure: p, state: s, disputeId: id, service } = input;
    const c = p.cafcass;
    if (!c)
        return [];
    const officers = c.nominatedOfficers.map((r) => toRole(roleFor(r, service)));
    // with no officer named, the QA inbox is told, so that a referral is never unseen
    const told = addressees(officers.length ? officers : [toRole(p.qaInbox)], c.copied.map((r) => copyRole(roleFor(r, service))), copyRole(p.qaInbox), copyRole(INSTIGATOR));
    const out = [];
    if (s.referralConsidered && c.beforeReferral) {
        out.push({
            key: planKey(id, "cafcass_referral_considered", { seq: s.referralConsidered.seq }),
            kind: "cafcass_referral_considered",
            stage: s.stage.stage,
            at: s.referralConsidered.at,
            addressees: told,
            rule: "a referral to Cafcass is being considered; the nominated officer is told first",
            source: c.beforeReferral.source,
        });
    }
    if (s.cafcassReferral) {
        out.push({
            key: planKey(id, "cafcass_referral", { seq: s.cafcassReferral.seq }),
            kind: "cafcass_referral",
            stage: s.stage.stage,
            at: s.cafcassReferral.at,
            addressees: told,
            rule: officers.length
                ? "the dispute has been referred to Cafcass; the nominated officer is told"
                : "the dispute has been referred to Cafcass; the procedure names no officer, so the QA inbox is told",
            source: c.source,
        });
    }
    return out;
}
//# sourceMappingURL=planner-notices.js.map