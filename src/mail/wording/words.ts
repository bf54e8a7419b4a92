// The facts every email's wording draws on, worked out once per email: the
// procedure's own nouns (alert, level, child protection plan), the titles of
// roles as resolved for the child's service, dates in words, how late
// something is, and citations that name the authority's document.
import { type IsoDate, longDate } from "../../domain/calendar/dates.ts";
import { localDate } from "../../domain/calendar/local-time.ts";
import type { DisputeState } from "../../domain/dispute/state.ts";
import type { Audience, PlannedNotification } from "../../domain/planner.ts";
import {
  type Authority,
  cite,
  nextStage,
  type Procedure,
  recipientLabel,
  roleFor,
  roleLabel,
  type Stage,
  stageOf,
  type Terms,
} from "../../domain/procedure/model.ts";
import { INSTIGATOR_LABELS } from "../../domain/procedure/roles.ts";
import type { AddressedEmail, Addressing } from "../addressing.ts";

export interface DisputeFacts {
  id: string;
  reference: string;
  childRef: string;
  teamId: string;
  teamName?: string;
  /** the child's service, for roles that route by service */
  serviceId?: string;
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
  addressing: Addressing;
  /** the email's key in the addressing: its role, or "role+person" where several people hold the role */
  role: string;
  /** when the email is sent: a late email counts from then */
  now: Date;
  /** the domain of calendar event ids */
  mailDomain?: string;
}

/** What one kind of email says to one audience. */
export interface Wording {
  heading: string;
  preheader: string;
  paragraphs: string[];
  lists?: { lead: string; items: string[] }[];
  /** the GOV.UK inset: for the instigator, what the procedure says to do next */
  inset?: string;
}

export interface Words {
  a: Authority;
  p: Procedure;
  s: DisputeState;
  d: DisputeFacts;
  n: PlannedNotification;
  email: AddressedEmail;
  addressing: Addressing;
  audience: Audience;
  terms: Terms;
  /** "Dispute", "Alert", "Concern" */
  Noun: string;
  /** "a dispute", "an alert" */
  aNoun: string;
  /** "a child's care plan", "a child protection plan"; for a concern about a chair, the chair (WF §1.6): "Ivy Reviewer (IRO)" */
  aPlan: string;
  /** the details are on the child's case record; not so for a concern about a chair, which is not the child's */
  onCaseRecord: boolean;
  ref: string;
  /** the stage the notification is about */
  stage: Stage;
  /** "stage 2", "level 4" */
  stageNo: string;
  /** "Ivy Reviewer (IRO)" */
  who: string;
  instigatorName: string;
  /** "IRO", "CP Chair" */
  instigatorTitle: string;
  /** the title of the stage's recipient, for the child's service ("Head of Service" for over-11s) */
  recipientTitle: string;
  /** "Paula Example (Practice Lead)": whoever the recipient's email went to */
  recipientNamed: string;
  today: IsoDate;
  /** "5pm on Monday 16 November 2026" */
  due?: string;
  dueDate?: IsoDate;
  /** working days from the notification's deadline to today: > 0 when it has passed */
  lateBy: number;
  /** the deadline's moment has passed as this is sent */
  pastDue: boolean;
  overall?: { date: IsoDate; by: string; workingDays: number; source: string; left: number };
  cite(source: string): string;
  byWhen(date: IsoDate): string;
  /** how the recipient responds, in the procedure's words */
  howToRespond: string;
}

/** "17:00" → "5pm", "17:30" → "5:30pm" (GOV.UK style). */
export function twelveHour(time: string): string {
  const [h, m] = time.split(":").map(Number) as [number, number];
  const suffix = h >= 12 ? "pm" : "am";
  const hour = h % 12 === 0 ? 12 : h % 12;
  return m ? `${hour}:${String(m).padStart(2, "0")}${suffix}` : `${hour}${suffix}`;
}

export const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const article = (noun: string) => (/^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`);
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function wordsFor(input: ComposeInput): Words {
  const { authority: a, procedure: p, state: s, dispute: d, notification: n, addressing, role, now } = input;
  const email = addressing.emails.find((e) => e.key === role);
  if (!email) throw new Error(`no addressee "${role}" in notification ${n.key}`);
  const stage = stageOf(p, n.stage) ?? s.stage;
  const today = localDate(now, a.timeZone);
  const byWhen = (date: IsoDate) => `${twelveHour(a.closeOfBusiness)} on ${longDate(date)}`;
  const recipientTitle = recipientLabel(a, stage.recipient, d.serviceId);
  const recipients = addressing.emails.filter((e) => !e.copy && e.audience === "recipient").flatMap((e) => e.to);
  // "Henrik Example (Head of Service, HoS)": a title's own parenthesis is not nested in the name's
  const recipientNamed = recipients.length
    ? `${recipients.map((x) => x.name).join(", ")} (${recipientTitle.replace(/ \(([^()]+)\)$/, ", $1")})`
    : `the ${recipientTitle}`;
  const limit = p.overallLimit;
  const o = s.overall;
  const instigatorTitle = roleLabel(a, d.raisedByRole);
  return {
    a,
    p,
    s,
    d,
    n,
    email,
    addressing,
    audience: email.audience,
    terms: p.terms,
    Noun: capital(p.terms.dispute),
    aNoun: article(p.terms.dispute),
    aPlan: s.concerning
      ? `${s.concerning.name} (${INSTIGATOR_LABELS[s.concerning.role]})`
      : /\bchild\b/i.test(p.terms.plan)
        ? article(p.terms.plan)
        : `a child's ${p.terms.plan}`,
    onCaseRecord: !s.concerning,
    ref: d.reference,
    stage,
    // "stage 0" means nothing to a reader: an informal stage is "the informal stage"
    stageNo: stage.formal ? `${p.terms.stage} ${stage.stage}` : `the informal ${p.terms.stage}`,
    who: `${d.raisedByName} (${instigatorTitle})`,
    instigatorName: d.raisedByName,
    instigatorTitle,
    recipientTitle,
    recipientNamed,
    today,
    due: n.deadline ? byWhen(n.deadline.date) : undefined,
    dueDate: n.deadline?.date,
    lateBy: n.deadline ? a.calendar.workingDaysBetween(n.deadline.date, today) : 0,
    pastDue: n.deadline !== undefined && now.getTime() >= n.deadline.at.getTime(),
    overall:
      o && limit
        ? {
            date: o.date,
            by: byWhen(o.date),
            workingDays: limit.workingDays,
            source: limit.source,
            left: a.calendar.workingDaysBetween(today, o.date),
          }
        : undefined,
    cite: (source) => cite(a, source),
    byWhen,
    howToRespond:
      (stage.howToRespond ?? p.howToRespond)?.replaceAll("{instigator}", d.raisedByName) ??
      `Please send your response to ${d.raisedByName}.`,
  };
}

/** Where the overall limit stands: never a negative count. */
export function limitSentence(w: Words): string | undefined {
  const o = w.overall;
  if (!o) return undefined;
  if (o.left >= o.workingDays) return `The ${o.workingDays}-working-day limit ends at ${o.by}.`;
  if (o.left > 0) return `${plural(o.left, "working day")} of the ${o.workingDays} remain: the limit ends at ${o.by}.`;
  if (o.left === 0) return `The ${o.workingDays}-working-day limit ends today, at ${o.by}.`;
  return `The ${o.workingDays}-working-day limit passed ${plural(-o.left, "working day")} ago, on ${longDate(o.date)}.`;
}

/** "It was due by …" with how late, when it is. */
export function lateness(w: Words): string {
  if (!w.due) return "";
  if (w.lateBy <= 0) return `It was due by ${w.due}.`;
  return `It was due by ${w.due}, ${plural(w.lateBy, "working day")} ago.`;
}

/** The next stage in words: "escalate it to stage 2, the Head of Service" or "refer it to Cafcass (stage 5)". */
export function nextStepWords(w: Words): string | undefined {
  const next = w.n.escalation?.nextStage;
  if (!next) return undefined;
  const at = `${w.terms.stage} ${next.stage}`;
  if (next.referral) return `refer it to Cafcass (${at})`;
  return `escalate it to ${at}, the ${roleLabel(w.a, next.recipient ?? "")}`;
}

/** What a copied person is asked to do at this stage, if the procedure says: said when the stage is announced. */
export function tasksForCopied(w: Words): string[] {
  if (w.n.kind !== "stage_raised") return [];
  return w.stage.forCopied
    .filter((f) => f.role === undefined || roleFor(f.role, w.d.serviceId) === w.email.role)
    .flatMap((f) => {
      // a sentence that says something was done, only when the record shows it
      const text = !f.ifRecorded || w.s.confirmed.includes(f.ifRecorded) ? f.text : f.otherwise;
      return text ? [`${text} (${w.cite(f.source)})`] : [];
    });
}

/** The "for information" line for a copied person, or what the procedure asks of them instead. */
export function copiedLine(w: Words): string[] {
  const tasks = tasksForCopied(w);
  if (tasks.length) return tasks;
  return [`You are copied for information: nothing is asked of you.`];
}

/** The procedure's reminders for the instigator (the national standards: keep the child informed). */
export function instigatorLists(w: Words): { lead: string; items: string[] }[] {
  if (w.s.closed) return []; // nothing more to do once it is closed
  const notes = w.p.instigatorNotes.map((x) => `${x.text} (${w.cite(x.source)})`);
  return notes.length ? [{ lead: "The procedure also asks you to:", items: notes }] : [];
}

/** Who is prompted when this stage's time runs out: the instigator, or the role that escalates in their place. */
export function whoDecides(w: Words, you = false): string {
  const next = nextStage(w.p, w.stage, w.s.raisedBy);
  if (next?.escalatedBy) return `the ${recipientLabel(w.a, next.escalatedBy, w.d.serviceId)}`;
  return you ? "you" : w.instigatorName;
}

/** A copy says first that it is for information, in its heading and preheader alike: nothing in it is asked of the reader. */
export function forInformation<T extends { heading: string; preheader: string }>(copied: boolean, text: T): T {
  if (!copied) return text;
  const prefix = (s: string) => (/^For information\b/.test(s) ? s : `For information: ${s.charAt(0).toLowerCase()}${s.slice(1)}`);
  return { ...text, heading: prefix(text.heading), preheader: prefix(text.preheader) };
}

/** "the Quality Manager, the Head of Quality and the Deputy / Assistant Director" */
export function listOf(items: string[]): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
