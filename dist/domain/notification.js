import { INSTIGATOR } from "./procedure/roles.js";
export const NOTIFICATION_KINDS = [
    "stage_raised",
    "reminder",
    "due_today",
    "overdue",
    "escalation_prompt",
    "overall_warning",
    "overall_breach",
    "extension_agreed",
    "response_recorded",
    "stage_left",
    "closed",
    "cafcass_referral_considered",
    "cafcass_referral",
    "informal_opened",
    "informal_closed",
];
export const AUDIENCES = ["recipient", "copied", "instigator"];
/** The one place planner keys are made: `<dispute>:s<stage>:e<event>:<what>`, or `<dispute>:<what>` for the dispute as a whole. */
export function planKey(id, what, at) {
    if (!at)
        return `${id}:${what}`;
    return at.stage === undefined ? `${id}:e${at.seq}:${what}` : `${id}:s${at.stage}:e${at.seq}:${what}`;
}
/** Addressees in order, each role once (its first audience wins). */
export function addressees(...groups) {
    const seen = new Set();
    const out = [];
    for (const a of groups.flat()) {
        if (!a || seen.has(a.role))
            continue;
        seen.add(a.role);
        out.push(a);
    }
    return out;
}
export const toRole = (role, audience = "recipient") => ({
    role,
    audience: role === INSTIGATOR ? "instigator" : audience,
    copy: false,
});
export const copyRole = (role, audience = "copied") => ({
    role,
    audience: role === INSTIGATOR ? "instigator" : audience,
    copy: true,
});
//# sourceMappingURL=notification.js.map