// Builds dispute histories for the pure-domain tests.
import type { DisputeEvent } from "../../src/domain/dispute/events.ts";
import { applyEvent, type DisputeState, replay } from "../../src/domain/dispute/state.ts";
import type { ProcedureId } from "../../src/domain/procedure/model.ts";
import { procedure } from "./authorities.ts";

export function ctx(id: string, p: ProcedureId = "iro") {
  return procedure(id, p);
}

/** Replays events that must all be legal, returning the final state. */
export function stateAfter(id: string, events: DisputeEvent[], p: ProcedureId = "iro"): DisputeState {
  const r = replay(ctx(id, p), events);
  if (!r.ok) throw r.error;
  return r.state;
}

/** Applies one more event to a legal history. */
export function step(id: string, events: DisputeEvent[], next: DisputeEvent, p: ProcedureId = "iro") {
  const state = stateAfter(id, events, p);
  return applyEvent(ctx(id, p), state, next, events.length);
}

export const at = (iso: string) => new Date(iso);

/** A concern raised at stage 1 with what Birmingham's stage 1 asks confirmed (other procedures ignore what they do not ask). */
export function stageOneInput(childRef: string, team: string, raisedBy: { name: string; email: string; role: "iro" | "cp_chair" }) {
  return {
    procedure: "iro",
    childRef,
    raisedBy,
    team,
    stage: 1,
    categories: ["other"],
    otherCategory: "Permanence",
    summary: "A concern that must never appear in an email",
    confirmed: ["explain_why_informal_failed", "consult_iro_service_ahos", "discuss_actions_with_team_manager"],
  };
}

/** A fictional dispute of Ivy Reviewer's in `team`, as the wording reads it. */
export function disputeIn(team: { id: string; name: string; service: string }, id: string, reference: string, childRef: string) {
  return {
    id,
    reference,
    childRef,
    teamId: team.id,
    teamName: team.name,
    serviceId: team.service,
    raisedByName: "Ivy Reviewer",
    raisedByEmail: "ivy@example.org",
    raisedByRole: "iro",
  };
}
