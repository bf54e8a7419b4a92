// The words of each email: one entry per kind (src/mail/wording/), each
// worded for its audience. Heading and preheader say what is asked and by
// when; then who else it went to, and the paragraph of the authority's
// document it comes from. No child's name and no free text from the dispute:
// the case reference and a link to the record.
import type { NotificationKind } from "../domain/planner.ts";
import type { Authority } from "../domain/procedure/model.ts";
import { alsoSentTo } from "./addressing.ts";
import type { CalendarEvent, EmailView } from "./model.ts";
import { disputeSubject } from "./threading.ts";
import { spellOutOnce } from "./wording/abbreviations.ts";
import { deliveryFailed, recipientAway } from "./wording/delivery.ts";
import { closed, informalClosed, informalOpened, referral, referralConsidered, responseRecorded, stageLeft } from "./wording/notices.ts";
import { escalationPrompt, overallBreach, overallWarning } from "./wording/prompts.ts";
import { dueToday, extensionAgreed, overdue, reminder, stageRaised } from "./wording/stage.ts";
import { type ComposeInput, forInformation, twelveHour, type Wording, type Words, wordsFor } from "./wording/words.ts";

export type { ComposeInput, DisputeFacts } from "./wording/words.ts";
export { twelveHour };

/** One entry per kind of email a dispute produces. */
export const WORDING: Record<NotificationKind, (w: Words) => Wording> = {
  stage_raised: stageRaised,
  reminder,
  due_today: dueToday,
  overdue,
  escalation_prompt: escalationPrompt,
  overall_warning: overallWarning,
  overall_breach: overallBreach,
  extension_agreed: extensionAgreed,
  response_recorded: responseRecorded,
  stage_left: stageLeft,
  closed,
  cafcass_referral_considered: referralConsidered,
  cafcass_referral: referral,
  informal_opened: informalOpened,
  informal_closed: informalClosed,
  delivery_failed: deliveryFailed,
  recipient_away: recipientAway,
};

export function composeEmail(input: ComposeInput): EmailView {
  const w = wordsFor(input);
  const { a, p, d, n, email } = w;
  const worded = forInformation(w.audience === "copied", email.redirected ? standIn(w, WORDING[n.kind](w)) : WORDING[n.kind](w));
  const { text: plain, cited } = citationsOut(a, worded);
  const names = [a.name, p.name, d.raisedByName, d.teamName ?? "", ...input.addressing.emails.flatMap((e) => e.to.map((t) => t.name))];
  const text = spellOutOnce(plain, p.terms.abbreviations, names);
  const also = alsoSentTo(input.addressing, input.role);
  const caseUrl = a.caseRecordUrl?.replace("{childRef}", encodeURIComponent(d.childRef));
  const role = email.redirected ? "QA inbox (standing in)" : email.roleLabel;
  const as = email.role === "instigator" ? `as the ${role} who raised it` : `as the ${role}`;
  const why =
    email.audience === "instigator" && email.role !== "instigator"
      ? `${as}, who escalates in the ${w.instigatorTitle}'s place`
      : email.audience === "copied"
        ? `${as} (a copy for information)`
        : as;
  return {
    kind: n.kind,
    audience: email.audience,
    subject: disputeSubject(a, p, d.reference),
    preheader: text.preheader,
    heading: text.heading,
    authorityName: a.name,
    reference: d.reference,
    // "Alert reference", "Concern reference": the procedure's own noun
    referenceLabel: `${w.Noun} reference`,
    caseReference: d.childRef,
    caseUrl,
    protectiveMarking: a.protectiveMarking,
    recipient: { name: email.to.map((t) => t.name).join(", "), role },
    paragraphs: text.paragraphs,
    lists: [...(text.lists ?? []), ...(also.length ? [{ lead: "Also sent to:", items: also }] : [])],
    inset: text.inset,
    banners: bannersFor(w),
    source: `${p.name}: ${sourceLine(a, [w.cite(n.source), ...cited])}`,
    instigator: { name: d.raisedByName, email: d.raisedByEmail, role: w.instigatorTitle },
    footer: `You are receiving this ${why}${d.teamName ? `, for ${d.teamName}` : ""}, in the dispute resolution process of ${a.name}.${email.audience === "instigator" && email.role === "instigator" ? "" : ` Reply to this email to reach ${d.raisedByName}.`}`,
    calendar: calendarEvent(w, input.mailDomain ?? "drp-monitor.invalid"),
  };
}

/**
 * Citations out of the sentences and into the one "Source:" line at the foot:
 * the text reads as plain sentences, and the foot says where each rule comes
 * from ("Birmingham procedure §3.7, §9.2"; "IRO Handbook 8.12").
 */
function citationsOut(a: Authority, t: Wording): { text: Wording; cited: string[] } {
  const doc = a.documentName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // "(Birmingham procedure §3.8)", "(IRO Handbook 8.12)", and a bare "(§3.8)" in the authority's own words
  const pattern = new RegExp(` ?\\(((?:${doc}|IRO Handbook|national standards|Working Together|Care Planning|[§¶])[^()]*)\\)`, "gi");
  const cited: string[] = [];
  const out = (s: string) =>
    s
      .replace(pattern, (_, c: string) => {
        cited.push(/^[§¶]/.test(c) ? `${a.documentName} ${c}` : c);
        return "";
      })
      .replace(/\s+([.,:;])/g, "$1");
  return {
    text: {
      ...t,
      paragraphs: t.paragraphs.map(out),
      lists: t.lists?.map((l) => ({ lead: out(l.lead), items: l.items.map(out) })),
      inset: t.inset === undefined ? undefined : out(t.inset),
    },
    cited,
  };
}

/** "Birmingham procedure §3.6–3.8, §3.9; IRO Handbook 8.12": each citation once, the document named once. */
function sourceLine(a: Authority, cites: string[]): string {
  const ours: string[] = [];
  const others: string[] = [];
  for (const c of new Set(cites)) {
    if (c.startsWith(a.documentName)) ours.push(c.slice(a.documentName.length).replace(/^,?\s*/, ""));
    else others.push(c);
  }
  const parts = [...new Set(ours.flatMap((x) => x.split(/,\s*/)))];
  return [...(parts.length ? [`${a.documentName} ${parts.join(", ")}`] : []), ...others].join("; ");
}

/**
 * Who is told of a gap in the directory: the QA inbox standing in for the
 * role nobody holds (its own gap), and the QA inbox's own copy (every gap, so
 * that the directory is mended). Nobody else: the banner would not be true of
 * them.
 */
function bannersFor(w: Words): string[] {
  if (w.email.redirected) return w.addressing.gaps.filter((g) => g.includes(`(${w.email.role})`));
  if (w.email.role === w.p.qaInbox) return w.addressing.gaps;
  return [];
}

/**
 * The email for a role nobody holds, as the QA inbox standing in reads it:
 * pass it on; nothing is asked of the inbox itself. What the holder is asked
 * is told in the third person, and the procedure's instruction to the holder
 * is quoted as theirs, so that no "you" in it is read as the inbox.
 */
function standIn(w: Words, text: Wording): Wording {
  const title = w.email.roleLabel;
  const how = w.howToRespond;
  const they = (s: string) =>
    s
      .replace(how, `What the ${title} is asked to do: “${how}”`)
      .replaceAll("You are asked, as the", "The")
      .replace(/^You are asked to respond as the ([^,.]+)/, "The $1 is asked to respond")
      .replace(/^Your response to /, `The ${title}'s response to `)
      .replace(/^Please respond (now|by)/, "They should respond $1")
      .replace(/\. Please respond (now|by)/g, ". They should respond $1")
      .replaceAll("please respond now", "they should respond now")
      .replaceAll("If you have already responded", "If they have already responded")
      .replaceAll("No further response is needed from you", "No further response is needed from them")
      .replaceAll("Nothing more is asked of you", "Nothing more is asked of them")
      // a stand-in is sent no calendar event, so there is none to withdraw
      .replace(/ ?This email withdraws its deadline from your calendar\./, "");
  return {
    heading: `Pass this on to the ${title}: ${text.heading.charAt(0).toLowerCase()}${text.heading.slice(1)}`,
    preheader: `Nobody holds the role of ${title} in the directory: please pass this on, and update the directory.`,
    paragraphs: [
      // the banner above says who is missing; this says what the inbox may and may not do with it
      `This email is for the ${title}, to pass on. Nothing can be recorded in their name from it: once the directory names them, the next email reaches them.`,
      ...text.paragraphs.map(they),
    ],
    lists: text.lists,
    inset: text.inset,
  };
}

/** The withdrawal of a stage's deadline from its recipient's calendar, once the dispute has moved on: the same UID, a later SEQUENCE. */
function leftEvent(w: Words, domain: string): CalendarEvent | undefined {
  const left = w.s.left;
  if (left?.deadline.kind !== "due") return undefined;
  const summary = `Cancelled: respond to ${w.terms.dispute} ${w.ref} by ${twelveHour(w.a.closeOfBusiness)}`;
  return {
    uid: `drp-${w.d.id}-s${left.stage}-e${left.seq}@${domain}`,
    sequence: left.extensions + 1,
    method: "cancel",
    start: new Date(left.deadline.at.getTime() - 30 * 60_000),
    end: left.deadline.at,
    summary,
    description: `${w.Noun} ${w.ref} has moved on from ${w.stageNo}: nothing more is asked of you there.`,
  };
}

/**
 * The recipient's calendar: the date to respond (or convene the meeting) by.
 * One event per stage visit: the announcement adds it, an extension moves it
 * (same UID, higher SEQUENCE), the close cancels it.
 */
function calendarEvent(w: Words, domain: string): CalendarEvent | undefined {
  const { s, n, stage } = w;
  if (w.audience !== "recipient" || w.email.redirected) return undefined;
  if (n.kind === "stage_left") return leftEvent(w, domain);
  const uid = `drp-${w.d.id}-s${stage.stage}-e${s.stageSeq}@${domain}`;
  const d = s.deadline;
  if (d.kind !== "due" || stage.stage !== s.stage.stage || !stage.formal) return undefined;
  const meeting = stage.meeting?.required;
  const summary = meeting
    ? `Meeting with the ${w.instigatorTitle} on ${w.terms.dispute} ${w.ref} to be held by today`
    : `Respond to ${w.terms.dispute} ${w.ref} by ${twelveHour(w.a.closeOfBusiness)}`;
  const event = {
    uid,
    start: new Date(d.at.getTime() - 30 * 60_000),
    end: d.at,
    summary,
    description: `${w.Noun} ${w.ref}, ${w.stageNo}. Case reference ${w.d.childRef}. ${w.howToRespond}`,
  };
  // sent late, after an extension, it carries the event as it now stands
  if (n.kind === "stage_raised" && !w.pastDue) return { ...event, sequence: s.extensionsThisStage, method: "request" };
  if (n.kind === "extension_agreed") return { ...event, sequence: s.extensionsThisStage, method: "request" };
  if (n.kind === "closed") return { ...event, sequence: s.extensionsThisStage + 1, method: "cancel", summary: `Cancelled: ${summary}` };
  return undefined;
}
