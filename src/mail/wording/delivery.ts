// Notices of an email that did not arrive. Each says what the record holds —
// a delivery report, or an automatic reply, and when it came — and nothing
// more: not that the person has left, nor that they will be back.
import { dayNumber, longDate } from "../../domain/calendar/dates.ts";
import { localDate } from "../../domain/calendar/local-time.ts";
import type { DeliveryFact } from "../../domain/delivery.ts";
import { statusMeaning } from "../../domain/inbound/delivery-status.ts";
import { nextStage, recipientLabel, roleLabel, stageOf } from "../../domain/procedure/model.ts";
import { INSTIGATOR } from "../../domain/procedure/roles.ts";
import { plural, type Wording, type Words } from "./words.ts";

const KIND_WORDS: Record<string, string> = {
  stage_raised: "asking them to respond",
  reminder: "reminding them of their deadline",
  due_today: "saying their response is due today",
  overdue: "saying their response is overdue",
  escalation_prompt: "prompting a decision on escalation",
  extension_agreed: "recording an extension",
  response_recorded: "recording a response",
  stage_left: "saying the dispute had moved on",
  closed: "saying the dispute was closed",
};

function fact(w: Words): DeliveryFact {
  const f = w.n.delivery;
  if (!f) throw new Error(`notification ${w.n.key} has no delivery report behind it`);
  return f;
}

/** "Sam Leaver (Team Manager)", or the title alone where the record has no name */
function whom(w: Words, f: DeliveryFact): string {
  const title = f.role === INSTIGATOR ? w.instigatorTitle : roleLabel(w.a, f.role);
  return f.name ? `${f.name} (${title.replace(/ \(([^()]+)\)$/, ", $1")})` : `the ${title}`;
}

/** "the email on dispute X asking them to respond at stage 2" */
function whichEmail(w: Words, f: DeliveryFact): string {
  const at = f.stage !== null ? stageOf(w.p, f.stage) : undefined;
  const stage = at ? ` at ${at.formal ? `${w.terms.stage} ${at.stage}` : `the informal ${w.terms.stage}`}` : "";
  return `the email on ${w.terms.dispute} ${w.ref} ${KIND_WORDS[f.kind] ?? `(${f.kind.replaceAll("_", " ")})`}${stage}`;
}

const on = (w: Words, at: Date) => longDate(localDate(at, w.a.timeZone));

/** The deadline of the stage the email was about, where the dispute is still there. */
function atRisk(w: Words, f: DeliveryFact): string | undefined {
  if (!w.due || f.stage !== w.s.stage.stage || w.s.awaiting !== "response") return undefined;
  return `The response to ${w.stageNo} is due by ${w.due}${w.pastDue ? ", and is already overdue" : ""}.`;
}

/** What the procedure offers the IRO at this stage: escalating, or agreeing an extension. */
function offers(w: Words): string[] {
  const out: string[] = [];
  const next = nextStage(w.p, w.s.stage, w.s.raisedBy);
  if (next)
    out.push(
      next.referral
        ? `refer it to Cafcass (${w.terms.stage} ${next.stage}) if no response comes by the deadline`
        : `escalate it to ${w.terms.stage} ${next.stage}, the ${recipientLabel(w.a, next.recipient, w.d.serviceId)}, if no response comes by the deadline`,
    );
  if (w.s.stage.extensions.max !== 0 && w.s.deadline.kind === "due")
    out.push(
      `agree an extension of the deadline with them, or with whoever covers for them${w.s.stage.extensions.source ? ` (${w.cite(w.s.stage.extensions.source)})` : ""}`,
    );
  return out;
}

export function deliveryFailed(w: Words): Wording {
  const f = fact(w);
  const code = f.status ?? "unknown";
  const who = whom(w, f);
  const what = f.delays
    ? `Delivery reports received up to ${on(w, f.at)} say that ${f.delays} emails in a row to ${who} at ${f.address} were delayed (the latest status ${code}), so the address is treated as one that does not work. The latest was ${whichEmail(w, f)}.`
    : `A delivery report received on ${on(w, f.at)} says an email to ${who} at ${f.address} could not be delivered: status ${code}, ${statusMeaning(code)}. It was ${whichEmail(w, f)}.`;
  const risk = atRisk(w, f);
  // what addressing does next (mail/addressing.ts): the address is left out; only a role nobody else holds, asked to act, is the QA inbox's
  const standIn =
    f.role === INSTIGATOR
      ? `It is the address given for them when the ${w.terms.dispute} was raised, and the ${w.terms.dispute}'s emails to them still go to it.`
      : `Their address is left out of the emails that follow until the directory is mended: where nobody else holds the role, an email asking the role to act goes to the QA inbox in their place.`;
  if (w.audience === "instigator") {
    return {
      heading: `${capitalFirst(who)} did not receive an email about ${w.terms.dispute} ${w.ref}`,
      preheader: `Their address bounced (status ${code}).${risk ? ` ${risk}` : ""}`,
      paragraphs: [
        what,
        ...(risk ? [`${risk} They may not know it is asked of them.`] : []),
        `You may want to reach them, or whoever covers for them, another way. ${standIn}`,
      ],
      lists: risk ? listOf(offers(w)) : [],
    };
  }
  return {
    heading:
      f.role === INSTIGATOR
        ? `${capitalFirst(who)} did not receive an email about ${w.terms.dispute} ${w.ref}`
        : `The directory needs mending: an email about ${w.terms.dispute} ${w.ref} bounced`,
    preheader: `${capitalFirst(who)}: address bounced (status ${code}). The role needs a new holder or address.`,
    paragraphs: [
      what,
      ...(risk ? [risk] : []),
      f.role === INSTIGATOR
        ? `${standIn} Please reach them another way.`
        : `${standIn} Please give the role a new holder, or the person a new address, in the directory (drp directory import). If the address works again, clear its mark (drp directory undeliverable --clear ${f.address}).`,
    ],
  };
}

export function recipientAway(w: Words): Wording {
  const f = fact(w);
  const who = whom(w, f);
  const cal = w.a.calendar;
  // a date already past when the reply came (an out-of-office left on) says nothing of when they are back
  const past = f.returnOn !== undefined && dayNumber(f.returnOn) < dayNumber(localDate(f.at, w.a.timeZone));
  const until = f.returnOn && !past ? f.returnOn : undefined;
  // "until Monday 4 January": back the next working day; "back on Monday 4 January": that day
  const firstBack = until ? (f.returnKind === "until" ? cal.addWorkingDays(until, 1) : cal.onOrNextWorkingDay(until)) : undefined;
  const said = f.phrase ? `: “${f.phrase}”` : ", and gives no date of return";
  const lines = [`An automatic reply received on ${on(w, f.at)} says ${who} is away${said}. It answered ${whichEmail(w, f)}.`];
  if (past) lines.push("The date in the reply had already passed when it came, so it does not say when they will be back.");
  if (w.dueDate && w.s.awaiting === "response") {
    const due = `Their response to ${w.stageNo} is due by ${w.due}`;
    if (!firstBack) lines.push(`${due}. The reply does not say whether they will be back before then.`);
    else if (dayNumber(firstBack) > dayNumber(w.dueDate))
      lines.push(`${due}, which falls while they are away: they are back on ${longDate(firstBack)} at the earliest.`);
    else if (firstBack === w.dueDate) lines.push(`${due}: the day they are back.`);
    else {
      const left = cal.workingDaysBetween(firstBack, w.dueDate) + 1;
      lines.push(`${due}. They are back on ${longDate(firstBack)}, with ${plural(left, "working day")} to respond, that day included.`);
    }
  }
  const state = !until ? "is away" : f.returnKind === "until" ? `is away until ${longDate(until)}` : `is away: back on ${longDate(until)}`;
  return {
    heading: `${capitalFirst(who)} ${state}`,
    preheader: `An automatic reply on ${w.terms.dispute} ${w.ref}${firstBack ? `: back on ${longDate(firstBack)}` : ": no date of return"}.`,
    paragraphs: lines,
    lists: listOf(offers(w)),
  };
}

const capitalFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const listOf = (items: string[]) => (items.length ? [{ lead: "The procedure lets you:", items }] : []);
