// Between the domain's DisputeEvent and a dispute_events row. The log also
// holds rows the state machine does not replay (e.g. notification records,
// added by the worker), so replay takes only the domain's own types.
import { EVENT_TYPES } from "../domain/dispute/events.js";
const DOMAIN_TYPES = new Set(EVENT_TYPES);
export function isDomainEvent(row) {
    return DOMAIN_TYPES.has(row.type);
}
export function toRow(disputeId, seq, e, actor, extra = {}) {
    const { type, at, ...rest } = e;
    return {
        disputeId,
        seq,
        type,
        at,
        actorName: actor.name,
        actorEmail: actor.email,
        actorRole: actor.role,
        payload: { ...rest, ...extra },
    };
}
export function fromRow(row) {
    const p = row.payload;
    const at = row.at;
    const type = row.type;
    switch (type) {
        case "raised":
            return {
                type,
                at,
                stage: p.stage,
                by: p.by,
                timescaleWorkingDays: p.timescaleWorkingDays,
                confirmed: p.confirmed,
            };
        case "escalated":
            return {
                type,
                at,
                toStage: p.toStage,
                timescaleWorkingDays: p.timescaleWorkingDays,
                confirmed: p.confirmed,
            };
        case "extension_agreed":
            return { type, at, until: p.until };
        case "cafcass_referral_considered":
            return { type, at, confirmed: p.confirmed };
        default:
            return { type, at };
    }
}
//# sourceMappingURL=event-log.js.map