// What the planner produces: notifications, who each goes to and in which
// audience, the obligations behind them, and the one rule for their keys.
import type { IsoDate } from "./calendar/dates.ts";
import type { DeliveryFact } from "./delivery.ts";
import type { DisputeState } from "./dispute/state.ts";
import type { Due } from "./procedure/deadlines.ts";
import type { Authority, Procedure } from "./procedure/model.ts";
import { INSTIGATOR } from "./procedure/roles.ts";

export type NotificationKind =
  | "stage_raised"
  | "reminder"
  | "due_today"
  | "overdue"
  | "escalation_prompt"
  | "overall_warning"
  | "overall_breach"
  | "extension_agreed"
  | "response_recorded"
  | "stage_left"
  | "closed"
  | "cafcass_referral_considered"
  | "cafcass_referral"
  | "informal_opened"
  | "informal_closed"
  | "delivery_failed"
  | "recipient_away";

export const NOTIFICATION_KINDS: readonly NotificationKind[] = [
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
  "delivery_failed",
  "recipient_away",
];

/**
 * Who reads what. The recipient is asked to act (respond, convene); the
 * instigator (or whoever escalates in their place) reads what the procedure
 * tells them to do; copied people read that it is for information.
 */
export type Audience = "recipient" | "copied" | "instigator";
export const AUDIENCES: readonly Audience[] = ["recipient", "copied", "instigator"];

export interface Addressee {
  /** a role, or "instigator" for whoever raised the dispute (the IRO, the CP Chair, or a WF §1.6 concern's worker) */
  role: string;
  audience: Audience;
  /** on the To line of the notification (false: copied) */
  copy: boolean;
}

export interface EscalationAdvice {
  reason: "response_overdue" | "decision_due" | "decision_overdue" | "stage_timescale_ended" | "informal_timescale_ended";
  /** the stage to escalate to, or none at the last stage */
  nextStage?: {
    stage: number;
    name: string;
    /** the role that will be asked to respond; absent when the next stage is the referral to Cafcass */
    recipient?: string;
    referral: boolean;
    requires: string[];
  };
  /** the role that escalates, where the procedure names one other than the instigator */
  escalatedBy?: string;
  /** what the procedure tells the instigator when this stage's time runs out */
  whenTimescaleEnds?: string;
}

export interface PlannedNotification {
  /** stable idempotency key: same history, same key */
  key: string;
  kind: NotificationKind;
  stage: number;
  /** when it falls due */
  at: Date;
  /** when it may be sent: `at`, or the next opening on a working day */
  sendAt: Date;
  status: "ahead" | "due" | "lapsed";
  /** each role gets an email of its own, worded for its audience */
  addressees: Addressee[];
  /** roles on the To line and copied (from `addressees`); "instigator" is the IRO or CP Chair */
  to: string[];
  cc: string[];
  /** the deadline the notification is about, if any */
  deadline?: { date: IsoDate; at: Date };
  rule: string;
  source: string;
  escalation?: EscalationAdvice;
  /** for a notice of an email that did not arrive: the bounce or absence behind it */
  delivery?: DeliveryFact;
}

/** What a builder writes: the rest is filled in by `finish`. */
export type Draft = Omit<PlannedNotification, "sendAt" | "status" | "to" | "cc">;

export interface Obligation {
  kind: "stage_response" | "instigator_decision" | "overall_limit";
  stage: number;
  /** role that owes it */
  owedBy: string;
  due: Due;
}

export interface Plan {
  obligations: Obligation[];
  notifications: PlannedNotification[];
}

export interface PlanInput {
  authority: Authority;
  procedure: Procedure;
  state: DisputeState;
  disputeId: string;
  /** the child's service, for roles that route by service */
  service?: string;
  now: Date;
  /** bounces and automatic replies recorded in the dispute's log (mail/inbound) */
  delivery?: readonly DeliveryFact[];
}

/** The one place planner keys are made: `<dispute>:s<stage>:e<event>:<what>`, or `<dispute>:<what>` for the dispute as a whole. */
export function planKey(id: string, what: string, at?: { stage?: number; seq: number }): string {
  if (!at) return `${id}:${what}`;
  return at.stage === undefined ? `${id}:e${at.seq}:${what}` : `${id}:s${at.stage}:e${at.seq}:${what}`;
}

/** Addressees in order, each role once (its first audience wins). */
export function addressees(...groups: (Addressee | Addressee[] | undefined)[]): Addressee[] {
  const seen = new Set<string>();
  const out: Addressee[] = [];
  for (const a of groups.flat()) {
    if (!a || seen.has(a.role)) continue;
    seen.add(a.role);
    out.push(a);
  }
  return out;
}

export const toRole = (role: string, audience: Audience = "recipient"): Addressee => ({
  role,
  audience: role === INSTIGATOR ? "instigator" : audience,
  copy: false,
});
export const copyRole = (role: string, audience: Audience = "copied"): Addressee => ({
  role,
  audience: role === INSTIGATOR ? "instigator" : audience,
  copy: true,
});
