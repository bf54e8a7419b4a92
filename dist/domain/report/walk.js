import { localDate } from "../calendar/local-time.js";
import { applyEvent } from "../dispute/state.js";
const CAFCASS_CONTACT = new Set(["cafcass_consulted", "cafcass_referral_considered", "referred_to_cafcass"]);
/**
 * Walks the events up to `until` (an instant: the end of the period, or now).
 * A stage still waiting for its response when its deadline passed before
 * `until` counts as a response missed on the deadline's date.
 */
export function walkDispute(a, p, events, until) {
    const ctx = { authority: a, procedure: p };
    const on = (d) => localDate(d, a.timeZone);
    let state;
    const w = {
        entries: [],
        escalations: [],
        cafcassContacts: [],
        responses: [],
        steps: [],
    };
    const missed = (s, by) => {
        if (s.awaiting !== "response" || s.deadline.kind !== "due" || s.deadline.at.getTime() >= by.getTime())
            return;
        w.responses.push({
            stage: s.stage.stage,
            enteredOn: s.stageEnteredOn,
            countedOn: s.deadline.date,
            deadline: s.deadline.date,
            onTime: false,
        });
    };
    for (const [seq, event] of events.entries()) {
        if (event.at.getTime() > until.getTime())
            break;
        if (state && !state.closed) {
            if (event.type === "response_recorded" && state.awaiting === "response") {
                const d = state.deadline;
                if (d.kind === "due")
                    w.responses.push({
                        stage: state.stage.stage,
                        enteredOn: state.stageEnteredOn,
                        respondedOn: on(event.at),
                        countedOn: on(event.at),
                        deadline: d.date,
                        onTime: event.at.getTime() <= d.at.getTime(),
                    });
            }
            else if (event.type === "escalated" ||
                event.type === "resolved" ||
                event.type === "withdrawn" ||
                event.type === "referred_to_cafcass") {
                missed(state, event.at); // left the stage after its deadline with no response
            }
        }
        const r = applyEvent(ctx, state, event, seq);
        if (!r.ok)
            break; // the log was checked as it was written; a changed procedure stops the count here
        const before = state;
        state = r.state;
        w.steps.push({ on: on(event.at), seq, stage: state.stage.stage, event });
        if (event.type === "raised")
            w.raisedOn = on(event.at);
        if (!before || before.stage.stage !== state.stage.stage)
            w.entries.push({ stage: state.stage.stage, on: state.stageEnteredOn, formal: state.stage.formal });
        if (event.type === "escalated")
            w.escalations.push(on(event.at));
        if (CAFCASS_CONTACT.has(event.type) || (event.type === "escalated" && state.stage.referral))
            w.cafcassContacts.push(on(event.at));
        if (state.closed && !before?.closed)
            w.closed = { on: on(state.closed.at), status: state.status };
    }
    if (!state || !w.raisedOn)
        return undefined;
    if (!state.closed)
        missed(state, until);
    return { ...w, raisedOn: w.raisedOn, state };
}
//# sourceMappingURL=walk.js.map