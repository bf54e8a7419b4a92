// The words of each email. Heading and preheader say what is asked and by
// when (weekday and date); then who else is copied, what happens if the date
// is missed, and the step of the procedure it comes from. No child's name and
// no free text from the dispute: the case reference and a link to the record.
import { type IsoDate, longDate } from "../domain/calendar/dates.ts";
import { localDate } from "../domain/calendar/local-time.ts";
import type { DisputeState } from "../domain/dispute/state.ts";
import type { PlannedNotification } from "../domain/planner.ts";
import { type Authority, type Procedure, roleLabel, stageOf } from "../domain/procedure/model.ts";
import type { Addressed } from "./addressing.ts";
import type { EmailView } from "./model.ts";
import { disputeSubject } from "./threading.ts";

export interface DisputeFacts {
  id: string;
  reference: string;
  childRef: string;
  teamId: string;
  teamName?: string;
  raisedByName: string;
  raisedByEmail: string;
  raisedByRole: string;
}

export interface ComposeInput {
  authority: Authority;
  procedure: Procedure;
  state: DisputeState;
  dispute: DisputeFacts;
  notification: PlannedNotification;
  addressed: Addressed;
  /** when the email is sent: a late email counts the days left from then */
  now: Date;
}

/** "17:00" → "5pm", "17:30" → "5:30pm" (GOV.UK style). */
export function twelveHour(time: string): string {
  const [h, m] = time.split(":").map(Number) as [number, number];
  const suffix = h >= 12 ? "pm" : "am";
  const hour = h % 12 === 0 ? 12 : h % 12;
  return m ? `${hour}:${String(m).padStart(2, "0")}${suffix}` : `${hour}${suffix}`;
}

function byWhen(a: Authority, date: IsoDate): string {
  return `${twelveHour(a.closeOfBusiness)} on ${longDate(date)}`;
}

const STATUS_WORDS: Record<DisputeState["status"], string> = {
  open: "open",
  resolved: "resolved",
  referred_to_cafcass: "closed as a referral to Cafcass",
  withdrawn: "withdrawn",
};

export function composeEmail(input: ComposeInput): EmailView {
  const { authority: a, procedure: p, state: s, dispute: d, notification: n, addressed } = input;
  const stage = stageOf(p, n.stage) ?? s.stage;
  const who = `${d.raisedByName} (${roleLabel(a, d.raisedByRole)})`;
  const due = n.deadline ? byWhen(a, n.deadline.date) : undefined;
  const recipientLabel = roleLabel(a, typeof stage.recipient === "string" ? stage.recipient : stage.recipient.role);
  const copied = addressed.cc.map((c) => (c.name === c.roleLabel ? c.name : `${c.name}, ${c.roleLabel}`));
  const lists: EmailView["lists"] = copied.length ? [{ lead: "Also sent to:", items: copied }] : [];
  const next = n.escalation?.nextStage;
  const nextWords = next ? `escalate it to stage ${next.stage}: ${roleLabel(a, next.recipient)}` : undefined;
  const ifMissed =
    stage.whenTimescaleEnds ??
    (nextWords ? `If there is no response by then, ${d.raisedByName} will be prompted to ${nextWords}.` : undefined);
  const left = s.overall ? a.calendar.workingDaysBetween(localDate(input.now, a.timeZone), s.overall.date) : n.escalation?.workingDaysLeft;
  const overall = s.overall ? byWhen(a, s.overall.date) : undefined;

  let heading: string;
  let preheader: string;
  let paragraphs: string[];
  let inset: string | undefined = ifMissed;
  switch (n.kind) {
    case "stage_raised":
      heading = due ? `Respond to dispute ${d.reference} by ${due}` : `Dispute ${d.reference} has been escalated to you`;
      preheader = due
        ? `Stage ${stage.stage} of a dispute: please respond by ${due}.`
        : `Stage ${stage.stage} of a dispute has been escalated to you.`;
      paragraphs = [
        `${who} has raised a dispute about a child's care plan under the ${p.name} of ${a.name}. It is at ${stage.name}, and you are asked to respond as ${recipientLabel}.`,
        due && s.deadline.kind === "due"
          ? `Please send your response to ${d.raisedByName} by ${due}: ${s.deadline.rule}.`
          : `There is no response date at this stage: ${n.rule}.`,
        "The concern, the evidence needed and the actions requested are on the child's case record.",
      ];
      break;
    case "reminder":
      heading = `Reminder: respond to dispute ${d.reference} by ${due}`;
      preheader = `Your response to stage ${stage.stage} of dispute ${d.reference} is due by ${due}.`;
      paragraphs = [
        `This is a reminder that your response to ${stage.name} of this dispute, raised by ${who}, is due by ${due}.`,
        "If you have already replied, please make sure the response is recorded.",
      ];
      break;
    case "due_today":
      heading = `Response due today: dispute ${d.reference}, by ${twelveHour(a.closeOfBusiness)}`;
      preheader = `Your response to stage ${stage.stage} is due by ${due}.`;
      paragraphs = [`Your response to ${stage.name} of this dispute, raised by ${who}, is due today, by ${due}.`];
      break;
    case "overdue":
      heading = `Response overdue: dispute ${d.reference} was due by ${due}`;
      preheader = `No response to stage ${stage.stage} has been recorded. It was due by ${due}.`;
      paragraphs = [
        `No response to ${stage.name} of this dispute has been recorded. It was due by ${due}${s.deadline.kind === "due" ? `: ${s.deadline.rule}` : ""}.`,
        `Please respond to ${d.raisedByName} now.`,
      ];
      break;
    case "escalation_prompt": {
      const reason = n.escalation?.reason;
      heading =
        reason === "decision_due"
          ? `Record the outcome of dispute ${d.reference} by ${due}`
          : next
            ? `Decide whether to escalate dispute ${d.reference} to stage ${next.stage}`
            : `The last stage of dispute ${d.reference} has run its time`;
      preheader =
        reason === "response_overdue"
          ? `No response from ${recipientLabel} by ${due}.${left !== undefined ? ` ${left} working days of the ${p.overallLimit.workingDays} remain.` : ""}`
          : `${stage.name}: ${n.rule}.`;
      paragraphs = [
        reason === "response_overdue"
          ? `No response from ${recipientLabel} to ${stage.name} was recorded by ${due}.`
          : reason === "decision_due"
            ? `A response to ${stage.name} has been recorded. Please record whether the matter is resolved, or escalate it, by ${due}.`
            : `The time for ${stage.name} ended at ${due}.`,
        next ? `If the matter is not resolved, the next step is to ${nextWords}.` : "This is the last stage of the procedure.",
      ];
      if (left !== undefined && overall)
        paragraphs.push(`${left} of the ${p.overallLimit.workingDays} working days remain; the limit ends at ${overall}.`);
      if (next?.requires.length)
        lists.unshift({ lead: `Before escalating to stage ${next.stage}, the procedure asks you to:`, items: next.requires });
      inset = n.escalation?.whenTimescaleEnds;
      break;
    }
    case "overall_warning":
      heading = `${p.overallLimit.workingDays}-working-day limit for dispute ${d.reference} ends ${overall}`;
      preheader = `${p.overallLimit.warnWorkingDaysBefore} working days remain to resolve this dispute.`;
      paragraphs = [
        `The formal process for this dispute began on ${longDate(s.formalStartedOn as IsoDate)} and must take no more than ${p.overallLimit.workingDays} working days (${p.overallLimit.source}).`,
        `It is at ${stage.name}. ${p.overallLimit.warnWorkingDaysBefore} working days remain: the limit ends at ${overall}.`,
      ];
      inset = undefined;
      break;
    case "overall_breach":
      heading = `Dispute ${d.reference} has passed its ${p.overallLimit.workingDays}-working-day limit`;
      preheader = `The limit ended at ${overall} and the dispute is still open at stage ${stage.stage}.`;
      paragraphs = [
        `The formal process for this dispute began on ${longDate(s.formalStartedOn as IsoDate)}. The ${p.overallLimit.workingDays} working days ended at ${overall} (${p.overallLimit.source}), and it is still open at ${stage.name}.`,
      ];
      inset = stage.whenTimescaleEnds;
      break;
    case "extension_agreed":
      heading = `Extension agreed: respond to dispute ${d.reference} by ${due}`;
      preheader = `${stage.name}: the new date for a response is ${due}.`;
      paragraphs = [`${d.raisedByName} has agreed more time for ${stage.name}. Please respond by ${due}.`];
      if (overall) paragraphs.push(`The overall limit does not move: it ends at ${overall}.`);
      break;
    case "closed": {
      const closedOn = s.closed ? longDate(localDate(s.closed.at, a.timeZone)) : "";
      heading = `Dispute ${d.reference} is ${STATUS_WORDS[s.status]}`;
      preheader = `Closed on ${closedOn} at ${stage.name}. No further response is needed.`;
      paragraphs = [
        `This dispute, raised by ${who}, was ${STATUS_WORDS[s.status]} on ${closedOn}, at ${stage.name}.`,
        "No further response is needed. The outcome is recorded on the child's case record.",
      ];
      inset = undefined;
      break;
    }
    case "cafcass_referral":
      heading = `Dispute ${d.reference} has been referred to Cafcass`;
      preheader = `${d.raisedByName} has referred this dispute to Cafcass.`;
      paragraphs = [
        `${who} has referred this dispute to Cafcass. You are told as the authority's nominated officer (IRO Handbook 8.12).`,
        `The dispute is ${STATUS_WORDS[s.status]}, at ${stage.name}.`,
      ];
      inset = undefined;
      break;
  }
  const caseUrl = a.caseRecordUrl?.replace("{childRef}", encodeURIComponent(d.childRef));
  const role = addressed.redirected ? "QA inbox (standing in)" : addressed.toRoleLabel;
  return {
    kind: n.kind,
    subject: disputeSubject(a, p, d.reference),
    preheader,
    heading,
    authorityName: a.name,
    reference: d.reference,
    caseReference: d.childRef,
    caseUrl,
    protectiveMarking: a.protectiveMarking,
    recipient: { name: addressed.to.map((t) => t.name).join(", "), role },
    paragraphs,
    lists,
    inset,
    banners: addressed.gaps,
    source: `${p.name}: ${n.source}`,
    instigator: { name: d.raisedByName, email: d.raisedByEmail, role: roleLabel(a, d.raisedByRole) },
    footer: `You are receiving this as ${role}${d.teamName ? ` for ${d.teamName}` : ""} in the dispute resolution process of ${a.name}. Reply to this email to reach ${d.raisedByName}.`,
  };
}
