// The planner: from a dispute's state and the time now, every obligation that
// is running and every notification that belongs to it — who, when, why — with
// a key that stays the same for as long as the history behind it does. The
// scheduler only executes this list; it decides nothing about dates.
import { type IsoDate, longDate } from "./calendar/dates.ts";
import { localDate } from "./calendar/local-time.ts";
import type { DisputeState } from "./dispute/state.ts";
import { type Due, decisionDeadline, openingTime, workingDaysBefore } from "./procedure/deadlines.ts";
import { type Authority, type Procedure, roleFor, type Stage, stageOf } from "./procedure/model.ts";
import { INSTIGATOR } from "./procedure/roles.ts";
import { nextSendingTime } from "./sending-hours.ts";

export type NotificationKind =
  | "stage_raised"
  | "reminder"
  | "due_today"
  | "overdue"
  | "escalation_prompt"
  | "overall_warning"
  | "overall_breach"
  | "extension_agreed"
  | "closed"
  | "cafcass_referral";

export const NOTIFICATION_KINDS: readonly NotificationKind[] = [
  "stage_raised",
  "reminder",
  "due_today",
  "overdue",
  "escalation_prompt",
  "overall_warning",
  "overall_breach",
  "extension_agreed",
  "closed",
  "cafcass_referral",
];

/**
 * Once the deadline they announce has passed these say nothing useful ("respond
 * by" a day gone, "due in 2 days"): a worker catching up, or a backdated
 * dispute, lets them lapse. The overdue notice says what matters instead.
 */
const LAPSE_AT_DEADLINE = new Set<NotificationKind>(["stage_raised", "reminder", "due_today", "overall_warning"]);

export interface EscalationAdvice {
  reason: "response_overdue" | "decision_due" | "stage_timescale_ended";
  /** the stage to escalate to, or none at the last stage */
  nextStage?: { stage: number; name: string; recipient: string; requires: string[] };
  /** what the procedure says happens when this stage's time runs out */
  whenTimescaleEnds?: string;
  /** working days left of the overall limit at the moment of the prompt */
  workingDaysLeft?: number;
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
  /** roles; "instigator" is the IRO or CP Chair who raised the dispute */
  to: string[];
  cc: string[];
  /** the deadline the notification is about, if any */
  deadline?: { date: IsoDate; at: Date };
  rule: string;
  source: string;
  escalation?: EscalationAdvice;
}

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
}

export function planNotifications(input: PlanInput): Plan {
  const { authority: a, procedure: p, state: s, disputeId: id, service } = input;
  const out: Omit<PlannedNotification, "sendAt" | "status">[] = [];
  const obligations: Obligation[] = [];
  const stage = s.stage;
  const recipient = roleFor(stage.recipient, service);
  const copied = stage.copied.map((r) => roleFor(r, service));
  const qa = p.qaInbox;
  const tag = `${id}:s${stage.stage}`;

  if (s.closed) {
    out.push({
      key: `${id}:closed`,
      kind: "closed",
      stage: stage.stage,
      at: s.closed.at,
      to: uniq([recipient, INSTIGATOR]),
      cc: uniq([...copied, qa]),
      rule: `the dispute was closed: ${s.status.replaceAll("_", " ")}`,
      source: p.source,
    });
    referral(input, out);
    return finish(a, out, obligations, input.now);
  }

  if (stage.formal) {
    out.push({
      key: `${tag}:e${s.stageSeq}:stage_raised`,
      kind: "stage_raised",
      stage: stage.stage,
      at: s.stageEnteredAt,
      to: [recipient],
      cc: uniq([...copied, qa, INSTIGATOR]),
      deadline: s.deadline.kind === "due" ? { date: s.deadline.date, at: s.deadline.at } : undefined,
      rule: `${stage.name}: response ${s.deadline.kind === "due" ? `due by ${longDate(s.deadline.date)}, ${s.deadline.rule}` : s.deadline.rule}`,
      source: stage.source,
    });
  }

  if (s.deadlineSeq !== s.stageSeq) {
    out.push({
      key: `${tag}:e${s.deadlineSeq}:extension_agreed`,
      kind: "extension_agreed",
      stage: stage.stage,
      at: s.lastExtensionAt ?? s.stageEnteredAt,
      to: [recipient],
      cc: uniq([INSTIGATOR, qa]),
      deadline: s.deadline.kind === "due" ? { date: s.deadline.date, at: s.deadline.at } : undefined,
      rule: s.deadline.rule,
      source: stage.source,
    });
  }

  const d = s.deadline;
  if (d.kind === "due" && stage.formal) {
    const dl = { date: d.date, at: d.at };
    const base = `${tag}:e${s.deadlineSeq}`;
    if (s.awaiting === "response") {
      obligations.push({ kind: "stage_response", stage: stage.stage, owedBy: recipient, due: d });
      for (const n of stage.reminders.workingDaysBefore) {
        const on = workingDaysBefore(a, d.date, n);
        if (on <= s.stageEnteredOn) continue; // no reminder on or before the day the stage began
        out.push({
          key: `${base}:reminder_${n}wd`,
          kind: "reminder",
          stage: stage.stage,
          at: openingTime(a, on),
          to: [recipient],
          cc: [],
          deadline: dl,
          rule: `${n} working day${n === 1 ? "" : "s"} before the response is due (${d.rule})`,
          source: d.source,
        });
      }
      if (stage.reminders.dueToday && d.date > s.stageEnteredOn) {
        out.push({
          key: `${base}:due_today`,
          kind: "due_today",
          stage: stage.stage,
          at: openingTime(a, d.date),
          to: [recipient],
          cc: [],
          deadline: dl,
          rule: `the response is due today (${d.rule})`,
          source: d.source,
        });
      }
      out.push({
        key: `${base}:overdue`,
        kind: "overdue",
        stage: stage.stage,
        at: d.at,
        to: [recipient],
        cc: [qa],
        deadline: dl,
        rule: `no response recorded by close of business on ${longDate(d.date)} (${d.rule})`,
        source: d.source,
      });
      out.push(prompt(input, `${base}:escalation_prompt`, d, "response_overdue"));
    } else {
      const decision = s.respondedAt ? decisionDeadline(a, p, localDate(s.respondedAt, a.timeZone)) : undefined;
      if (decision) {
        obligations.push({ kind: "instigator_decision", stage: stage.stage, owedBy: INSTIGATOR, due: decision });
        out.push(prompt(input, `${tag}:e${s.respondedSeq}:decision_prompt`, decision, "decision_due"));
      } else {
        out.push(prompt(input, `${base}:escalation_prompt`, d, "stage_timescale_ended"));
      }
    }
  }

  if (s.overall) {
    const o = s.overall;
    const { warnWorkingDaysBefore: n } = p.overallLimit;
    const limitRecipients = uniq([INSTIGATOR, p.iroManager]);
    obligations.push({ kind: "overall_limit", stage: stage.stage, owedBy: recipient, due: o });
    const warnOn = workingDaysBefore(a, o.date, n);
    if (s.formalStartedOn && warnOn > s.formalStartedOn) {
      out.push({
        key: `${id}:overall_warning:${o.date}`,
        kind: "overall_warning",
        stage: stage.stage,
        at: openingTime(a, warnOn),
        to: limitRecipients,
        cc: [qa],
        deadline: { date: o.date, at: o.at },
        rule: `${n} working days before the overall limit (${o.rule})`,
        source: o.source,
      });
    }
    out.push({
      key: `${id}:overall_breach:${o.date}`,
      kind: "overall_breach",
      stage: stage.stage,
      at: o.at,
      to: limitRecipients,
      cc: [qa],
      deadline: { date: o.date, at: o.at },
      rule: `the overall limit has run out (${o.rule})`,
      source: o.source,
    });
  }
  referral(input, out);
  return finish(a, out, obligations, input.now);
}

function referral(input: PlanInput, out: Omit<PlannedNotification, "sendAt" | "status">[]): void {
  const { procedure: p, state: s, disputeId: id, service } = input;
  const officers = (p.cafcass?.nominatedOfficers ?? []).map((r) => roleFor(r, service));
  if (!s.cafcassReferral || officers.length === 0) return;
  out.push({
    key: `${id}:e${s.cafcassReferral.seq}:cafcass_referral`,
    kind: "cafcass_referral",
    stage: s.stage.stage,
    at: s.cafcassReferral.at,
    to: uniq(officers),
    cc: uniq([INSTIGATOR, p.qaInbox]),
    rule: "the IRO has referred the dispute to Cafcass; the nominated officer is told",
    source: p.cafcass!.source,
  });
}

function prompt(
  input: PlanInput,
  key: string,
  due: Due,
  reason: EscalationAdvice["reason"],
): Omit<PlannedNotification, "sendAt" | "status"> {
  const { authority: a, procedure: p, state: s, service } = input;
  const stage = s.stage;
  const next = nextStageFor(p, stage, s);
  const left = s.overall ? a.calendar.workingDaysBetween(due.date, s.overall.date) : undefined;
  const why = {
    response_overdue: "no response by the deadline",
    decision_due: "a response was recorded and the IRO's decision is due",
    stage_timescale_ended: "the stage's timescale has run out",
  }[reason];
  return {
    key,
    kind: "escalation_prompt",
    stage: stage.stage,
    at: due.at,
    to: [INSTIGATOR],
    cc: [],
    deadline: { date: due.date, at: due.at },
    rule: `${why} (${due.rule})`,
    source: due.source,
    escalation: {
      reason,
      nextStage: next && {
        stage: next.stage,
        name: next.name,
        recipient: roleFor(next.recipient, service),
        requires: next.requires.filter((r) => !s.confirmed.includes(r.id)).map((r) => `${r.text} (${r.source})`),
      },
      whenTimescaleEnds: stage.whenTimescaleEnds,
      workingDaysLeft: left,
    },
  };
}

/** The stage an escalation would normally go to, if the instigator may enter it. */
function nextStageFor(p: Procedure, stage: Stage, s: DisputeState): Stage | undefined {
  const after = p.stages.filter((x) => x.stage > stage.stage && x.entry.by.includes(s.raisedBy));
  return after[0] && stageOf(p, after[0].stage);
}

function finish(a: Authority, list: Omit<PlannedNotification, "sendAt" | "status">[], obligations: Obligation[], now: Date): Plan {
  const notifications = list
    .map((n) => {
      const lapsed = LAPSE_AT_DEADLINE.has(n.kind) && n.deadline !== undefined && now.getTime() >= n.deadline.at.getTime();
      const status: PlannedNotification["status"] = lapsed ? "lapsed" : n.at.getTime() > now.getTime() ? "ahead" : "due";
      return { ...n, sendAt: nextSendingTime(a, n.at), status };
    })
    .sort((x, y) => x.at.getTime() - y.at.getTime() || x.key.localeCompare(y.key));
  return { obligations, notifications };
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}
