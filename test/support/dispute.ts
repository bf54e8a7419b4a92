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
