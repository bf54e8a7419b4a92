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
  const what = `A delivery report received on ${on(w, f.at)} says an email to ${who} at ${f.address} could not be delivered: status ${code}, ${statusMeaning(code)}. It was ${whichEmail(w, f)}.`;
  const risk = atRisk(w, f);
  const standIn = `Until the directory gives the role a holder whose address works, the emails meant for them go to the QA inbox instead.`;
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
    heading: `The directory needs mending: an email about ${w.terms.dispute} ${w.ref} bounced`,
    preheader: `${capitalFirst(who)}: address bounced (status ${code}). The role needs a new holder or address.`,
    paragraphs: [
      what,
      ...(risk ? [risk] : []),
      `${standIn} Please give the role a new holder, or the person a new address, in the directory (drp directory import). If the address works again, clear its mark (drp directory undeliverable --clear ${f.address}).`,
    ],
  };
}

export function recipientAway(w: Words): Wording {
  const f = fact(w);
  const who = whom(w, f);
  const back = f.returnOn ? longDate(f.returnOn) : undefined;
  const said = f.phrase ? `: “${f.phrase}”` : back ? "" : ", and gives no date of return";
  const lines = [`An automatic reply received on ${on(w, f.at)} says ${who} is away${said}. It answered ${whichEmail(w, f)}.`];
  if (w.dueDate && w.s.awaiting === "response") {
    const due = `Their response to ${w.stageNo} is due by ${w.due}`;
    if (!f.returnOn) lines.push(`${due}. The reply does not say whether they will be back before then.`);
    else if (dayNumber(f.returnOn) > dayNumber(w.dueDate)) lines.push(`${due}, which falls while they are away: they are back on ${back}.`);
    else if (f.returnOn === w.dueDate) lines.push(`${due}: the day they are back.`);
    else {
      const left = w.a.calendar.workingDaysBetween(f.returnOn, w.dueDate);
      lines.push(`${due}. They are back on ${back}, with ${plural(left, "working day")} left before it.`);
    }
  }
  return {
    heading: `${capitalFirst(who)} is away${back ? ` until ${back}` : ""}`,
    preheader: `An automatic reply on ${w.terms.dispute} ${w.ref}${back ? `: back on ${back}` : ": no date of return"}.`,
    paragraphs: lines,
    lists: listOf(offers(w)),
  };
}

const capitalFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const listOf = (items: string[]) => (items.length ? [{ lead: "The procedure lets you:", items }] : []);
