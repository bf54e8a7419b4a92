// Between the domain's DisputeEvent and a dispute_events row. The log also
// holds rows the state machine does not replay (e.g. notification records,
// added by the worker), so replay takes only the domain's own types.

import type { EventRow, NewEvent } from "../db/queries/disputes.ts";
import type { IsoDate } from "../domain/calendar/dates.ts";
import { type DisputeEvent, type DisputeEventType, EVENT_TYPES } from "../domain/dispute/events.ts";
import type { ChairRole, InstigatorRole } from "../domain/procedure/roles.ts";

export interface Actor {
  name?: string;
  email?: string;
  role?: string;
}

const DOMAIN_TYPES = new Set<string>(EVENT_TYPES);

export function isDomainEvent(row: Pick<EventRow, "type">): boolean {
  return DOMAIN_TYPES.has(row.type);
}

export function toRow(disputeId: string, seq: number, e: DisputeEvent, actor: Actor, extra: Record<string, unknown> = {}): NewEvent {
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

export function fromRow(row: EventRow): DisputeEvent {
  const p = row.payload as Record<string, unknown>;
  const at = row.at;
  const type = row.type as DisputeEventType;
  switch (type) {
    case "raised":
      return {
        type,
        at,
        stage: p.stage as number,
        by: p.by as InstigatorRole,
        timescaleWorkingDays: p.timescaleWorkingDays as number | undefined,
        confirmed: p.confirmed as string[] | undefined,
        ...(p.concerning ? { concerning: p.concerning as { name: string; role: ChairRole } } : {}),
      };
    case "escalated":
      return {
        type,
        at,
        toStage: p.toStage as number,
        timescaleWorkingDays: p.timescaleWorkingDays as number | undefined,
        confirmed: p.confirmed as string[] | undefined,
      };
    case "extension_agreed":
      return { type, at, until: p.until as IsoDate };
    case "cafcass_referral_considered":
      return { type, at, confirmed: p.confirmed as string[] | undefined };
    default:
      return { type, at } as DisputeEvent;
  }
}
