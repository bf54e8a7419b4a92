import { nextStage, roleFor } from "../domain/procedure/model.js";
import { INSTIGATOR } from "../domain/procedure/roles.js";
const ASKS_RESPONSE = new Set(["stage_raised", "reminder", "due_today", "overdue", "extension_agreed"]);
const PROMPTS = new Set(["escalation_prompt", "response_recorded", "overall_warning", "overall_breach"]);
const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);
/** Whose step this is now: the stage's recipient responds; the escalator (or the instigator) escalates; the instigator does the rest. */
export function stepOwner(p, state, action, service) {
    if (action === "respond" || action === "meeting")
        return state.stage.recipient ? roleFor(state.stage.recipient, service) : undefined;
    if (action === "escalate") {
        const next = nextStage(p, state.stage, state.raisedBy);
        return next?.escalatedBy ? roleFor(next.escalatedBy, service) : INSTIGATOR;
    }
    return INSTIGATOR;
}
/**
 * The buttons for one addressee's email, given the dispute as it now stands,
 * and the steps a link may take: each step is its owner's. Responding is the
 * stage's recipient's; escalating is the instigator's, or the escalator's
 * where the procedure names one for the next stage (Birmingham's IRO Service,
 * §3.13); extending, resolving and referring are the instigator's (§4.1,
 * §4.3). Nobody else — a copied manager, the QA inbox — is offered any.
 */
export function actionsFor(p, state, kind, audience, role, service) {
    if (state.closed)
        return [];
    if (audience === "recipient" && ASKS_RESPONSE.has(kind) && state.awaiting === "response" && !state.stage.referral) {
        if (role !== stepOwner(p, state, "respond", service))
            return [];
        return state.stage.meeting?.required
            ? [{ action: "meeting", label: "Record that the meeting is arranged" }]
            : [{ action: "respond", label: "Record your response" }];
    }
    if (audience !== "instigator" || !PROMPTS.has(kind))
        return [];
    const out = [];
    const next = nextStage(p, state.stage, state.raisedBy);
    if (next && role === stepOwner(p, state, "escalate", service))
        out.push({ action: "escalate", label: `Escalate to ${p.terms.stage} ${next.stage}` });
    if (role !== INSTIGATOR)
        return out.map((x) => ({ ...x, label: capital(x.label) }));
    const { max } = state.stage.extensions;
    if (state.deadline.kind === "due" && (max === null || state.extensionsThisStage < max))
        out.push({ action: "extend", label: "Agree an extension" });
    out.push({ action: "resolve", label: "Mark resolved" });
    if (p.cafcass?.referralBy.includes(state.raisedBy))
        out.push({ action: "refer", label: "Refer to Cafcass" });
    return out.map((x) => ({ ...x, label: capital(x.label) }));
}
//# sourceMappingURL=actions.js.map