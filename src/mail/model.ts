// What an email says, before it is rendered: one view per email, built by the
// worker from the planner's notification, the dispute and the directory.
// Templates only lay this out; every word that depends on a rule is decided
// here or in the domain. There is no field for a child's name, and no free
// text from the dispute (summary, notes) is put in an email.
import { type Audience, NOTIFICATION_KINDS, type NotificationKind } from "../domain/notification.ts";
import { REVIEW_KINDS, type ReviewKind } from "../domain/review/kinds.ts";

/** Every kind of email a person can receive. */
export type EmailKind =
  | NotificationKind
  | ReviewKind
  | "failure_digest"
  | "report"
  | "report_holder_list"
  | "good_practice_recorded"
  | "sign_in_link";

export const EMAIL_KINDS: readonly EmailKind[] = [
  ...NOTIFICATION_KINDS,
  ...REVIEW_KINDS,
  "failure_digest",
  "report",
  "report_holder_list",
  // a register's entry copied to the roles it names (WF §11.1 "QA DHOS will be copied in")
  "good_practice_recorded",
  // a sign-in link for the pages, asked for by the reader
  "sign_in_link",
];

/** A table in a report email; a caption for everyone, a header row for screen readers. */
export interface EmailTable {
  caption: string;
  head: string[];
  rows: string[][];
  /** columns whose cells are figures (right-aligned, never wrapped) */
  numeric: boolean[];
  /** columns whose cells are codes or dates (never wrapped: a reference broken at a hyphen misreads) */
  codes: boolean[];
}

/** An image sent with the email (Content-ID), with the same figures as a table beside it. */
export interface EmailFigure {
  cid: string;
  alt: string;
  width: number;
  height: number;
}

/** One part of a report email's body, in order: every key present, all but one empty. */
export interface EmailBlock {
  heading?: string;
  paragraph?: string;
  table?: EmailTable;
  figure?: EmailFigure;
}

export interface PersonInRole {
  name: string;
  /** the role's title in this authority, e.g. "Case-holding Team Manager" */
  role: string;
}

/** An event for the reader's calendar: the date to respond or convene by; updated by an extension, cancelled at the close. */
export interface CalendarEvent {
  /** the same for every email about one stage visit, so that clients update rather than add */
  uid: string;
  sequence: number;
  method: "request" | "cancel";
  start: Date;
  end: Date;
  summary: string;
  description: string;
}

export interface EmailView {
  kind: EmailKind;
  /** who this version is written for */
  audience: Audience;
  /** never changes for a dispute: [marking] prefix reference */
  subject: string;
  /** the inbox preview line: what is asked and by when */
  preheader: string;
  /** the first heading: the action and the date */
  heading: string;
  authorityName: string;
  /** the dispute's reference, e.g. NEW-2026-0042; absent on emails about no one dispute */
  reference?: string;
  /** the child's id in the case-management system (never a name) */
  caseReference?: string;
  /** what the reference is called: "Dispute reference" unless said ("Review reference") */
  referenceLabel?: string;
  /** full URL of the child's case record, when the authority has a URL template */
  caseUrl?: string;
  protectiveMarking?: string;
  /** who this copy is addressed to */
  recipient: PersonInRole;
  /** plain sentences, in order, under the heading */
  paragraphs: string[];
  /** a bulleted list with a lead-in sentence, e.g. who else is copied */
  lists: { lead: string; items: string[] }[];
  /** the GOV.UK "inset text": what happens if the date is missed, or the rule behind it */
  inset?: string;
  /** shown first, in a box: e.g. "No one holds the role Team Manager for team X" */
  banners: string[];
  /** the paragraph of the procedure this email comes from */
  source: string;
  /** whoever raised the dispute — the IRO, the CP Chair, or a WF §1.6 concern's worker (Reply-To) */
  instigator: { name: string; email: string; role: string };
  /** a line at the foot saying why the person is getting this */
  footer: string;
  /** an iCalendar event sent with the email (Outlook and Gmail show "add to calendar") */
  calendar?: CalendarEvent;
  /** a report's headings, tables and chart, after the paragraphs */
  blocks?: EmailBlock[];
  /** buttons: signed links to the step the email asks for (only with PUBLIC_URL) */
  actions?: { label: string; url: string }[];
  /** what the buttons do, where it is not a step on a dispute (a sign-in link) */
  actionsNote?: string;
}
