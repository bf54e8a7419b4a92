// What can happen to a dispute. The event log is the record an auditor or a
// court reads; the current state is always derived from it (state.ts).
import type { IsoDate } from "../calendar/dates.ts";
import type { ChairRole, InstigatorRole } from "../procedure/roles.ts";

/** The IRO or CP Chair a concern is about (WF §1.6): a name and a role, never an address. */
export interface Concerning {
  name: string;
  role: ChairRole;
}

export type DisputeEvent =
  | {
      type: "raised";
      at: Date;
      stage: number;
      by: InstigatorRole;
      /** the IRO's timescale where the stage lets the IRO set or agree one */
      timescaleWorkingDays?: number;
      /** requirement ids the IRO confirms are done (e.g. consult_cafcass_legal) */
      confirmed?: string[];
      /** where the procedure is about a named IRO or CP Chair */
      concerning?: Concerning;
    }
  | { type: "response_recorded"; at: Date }
  | { type: "extension_agreed"; at: Date; until: IsoDate }
  | { type: "escalated"; at: Date; toStage: number; timescaleWorkingDays?: number; confirmed?: string[] }
  | { type: "cafcass_consulted"; at: Date }
  /** the nominated officer is told a referral is being considered (IRO Handbook 8.12) */
  | { type: "cafcass_referral_considered"; at: Date; confirmed?: string[] }
  | { type: "referred_to_cafcass"; at: Date }
  | { type: "resolved"; at: Date }
  | { type: "withdrawn"; at: Date };

export type DisputeEventType = DisputeEvent["type"];

export const EVENT_TYPES: readonly DisputeEventType[] = [
  "raised",
  "response_recorded",
  "extension_agreed",
  "escalated",
  "cafcass_consulted",
  "cafcass_referral_considered",
  "referred_to_cafcass",
  "resolved",
  "withdrawn",
];

/** Consulting Cafcass Legal satisfies this requirement id wherever a stage names it. */
export const CAFCASS_CONSULTATION_REQUIREMENT = "consult_cafcass_legal";
