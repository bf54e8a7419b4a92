// A dispute's page, in words: what it waits for, its history in London time,
// its emails, what the procedure says happens next, and (for QA) who opened it.
import type { Viewer } from "../domain/access.ts";
import { type IsoDate, longDate } from "../domain/calendar/dates.ts";
import { localDate, localTime } from "../domain/calendar/local-time.ts";
import { type Authority, roleLabel } from "../domain/procedure/model.ts";
import { INSTIGATOR } from "../domain/procedure/roles.ts";
import type { CasePage } from "../service/case-page.ts";

const ZONE = "Europe/London";
/** "Tuesday 24 November 2026, 10:00" in London time. */
export function londonTime(at: Date | string, zone = ZONE): string {
  const d = typeof at === "string" ? new Date(at) : at;
  return `${longDate(localDate(d, zone))}, ${localTime(d, zone)}`;
}

const words = (kind: string) => kind.replaceAll("_", " ");

/** A role's title; the instigator's is the IRO's or CP Chair's who raised it, by name. */
function who(a: Authority, c: CasePage, role: string): string {
  return role === INSTIGATOR ? `${roleLabel(a, c.row.raisedByRole)} (${c.row.raisedByName})` : roleLabel(a, role);
}
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

type TimelineEntry = CasePage["detail"]["timeline"][number] & Record<string, unknown>;

/** One event of the log in words, as a person reads it. */
function eventText(a: Authority, c: CasePage, e: TimelineEntry): string {
  const p = a.procedures[c.row.procedure]!;
  const stage = (n: unknown) => {
    const s = p.stages.find((x) => x.stage === n);
    return `${p.terms.stage} ${String(n)}${s ? ` (${s.name})` : ""}`;
  };
  const role = (r: unknown) => (typeof r === "string" ? who(a, c, r) : "");
  switch (e.type) {
    case "raised":
      return `Raised at ${stage(e.stage)}`;
    case "escalated":
      return `Escalated to ${stage(e.toStage)}`;
    case "response_recorded":
      return "Response recorded";
    case "extension_agreed":
      return `Extension agreed: response now due by ${typeof e.until === "string" ? longDate(e.until as IsoDate) : "the new date"}`;
    case "cafcass_consulted":
      return "Cafcass consulted";
    case "cafcass_referral_considered":
      return "Referral to Cafcass being considered: the nominated officer told";
    case "referred_to_cafcass":
      return "Referred to Cafcass";
    case "resolved":
      return "Resolved";
    case "withdrawn":
      return "Withdrawn";
    case "notification_sent":
      return `Email sent: ${words(String(e.kind ?? "email"))}${e.role ? ` to the ${role(e.role)}` : ""}`;
    case "notification_skipped":
      return `Email not sent: ${words(String(e.kind ?? "email"))}${e.role ? ` to the ${role(e.role)}` : ""}${e.reason ? ` (${String(e.reason)})` : ""}`;
    case "email_bounced":
      return `Email bounced: ${words(String(e.kind ?? "email"))}${e.role ? ` to the ${role(e.role)}` : ""} (status ${String(e.status ?? "unknown")}): the address is marked undeliverable`;
    case "email_delayed":
      return `Email delayed: ${words(String(e.kind ?? "email"))}${e.role ? ` to the ${role(e.role)}` : ""} (status ${String(e.status ?? "unknown")}): the mail server is still trying`;
    case "recipient_away":
      return `Automatic reply: the ${e.role ? role(e.role) : "addressee"} is away${typeof e.returnOn === "string" ? ` until ${longDate(e.returnOn as IsoDate)}` : ""}`;
    case "notification_failed":
      return `Email failed: ${words(String(e.kind ?? "email"))}${e.role ? ` to the ${role(e.role)}` : ""}${e.reason ? ` (${String(e.reason)})` : ""}`;
    default:
      return capital(words(e.type));
  }
}

const STATUS: Record<string, { text: string; colour: string }> = {
  sent: { text: "Sent", colour: "green" },
  skipped: { text: "Not sent", colour: "grey" },
  failed: { text: "Failed", colour: "red" },
  bounced: { text: "Bounced", colour: "red" },
  pending: { text: "Waiting", colour: "blue" },
  sending: { text: "Sending", colour: "blue" },
};

/** One email of a dispute or review, as its page lists it. */
export function emailRow(e: CasePage["emails"][number], role: string, zone: string) {
  return {
    kind: capital(words(e.kind)),
    to: `${role}${e.to?.length ? `: ${e.to.join(", ")}` : ""}`,
    status: STATUS[e.status] ?? { text: e.status, colour: "grey" },
    reason: e.status === "skipped" || e.status === "failed" || e.status === "bounced" ? e.reason : null,
    when: londonTime(e.at ?? e.createdAt, zone),
  };
}

const ACCESS: Record<string, string> = {
  page: "opened its page",
  step: "opened a step's form",
  csv: "downloaded it in the outstanding list",
};

/** One line of the access trail: who, what, when. */
export function trailRow(t: NonNullable<CasePage["trail"]>[number], zone: string) {
  return { who: `${t.name} (${t.email})`, what: ACCESS[t.what] ?? t.what, when: londonTime(t.at, zone) };
}

export function caseModel(c: CasePage, viewer: Viewer) {
  const a = c.authority;
  const p = a.procedures[c.row.procedure]!;
  const n = c.now;
  const d = c.detail;
  const holder = n.holder.people.map((x) => x.name).join(", ") || `nobody holds the role (${n.holder.label})`;
  const waiting =
    d.status !== "open"
      ? `Closed: ${words(d.status)}`
      : n.awaiting === "decision"
        ? `Waiting for ${d.raisedBy.name}'s decision on the response`
        : `Waiting for a response from ${holder} (${n.holder.label})${n.respondByText ? ` by ${n.respondByText}` : ""}`;
  const facts = [
    ["Child's case reference", d.childRef],
    ["Procedure", p.name],
    ["Team", n.teamName],
    [capital(p.terms.stage), n.stageLabel],
    ["Held by", `${holder} (${n.holder.label})`],
    [
      "Response due",
      n.respondByText
        ? `${n.respondByText}${n.workingDaysLeft !== null ? (n.overdue ? `: overdue by ${Math.abs(n.workingDaysLeft)} working days` : `: ${n.workingDaysLeft} working days left`) : ""}`
        : "—",
    ],
    [
      "Overall limit",
      n.limit ? `Day ${n.limit.day} of ${n.limit.of}, ending ${longDate(n.limit.ends)}` : "None named by the procedure, or not begun",
    ],
    ["Raised by", `${d.raisedBy.name} (${roleLabel(a, d.raisedBy.role)}), ${londonTime(d.raisedAt, a.timeZone)}`],
  ].map(([key, value]) => ({ key: { text: key }, value: { text: value } }));
  return {
    title: `${d.reference}`,
    caption: p.name,
    noun: p.terms.dispute,
    waiting,
    overdue: n.overdue,
    facts,
    timeline: d.timeline.map((e) => ({
      when: londonTime(e.at, a.timeZone),
      text: eventText(a, c, e as TimelineEntry),
      // the raise is the instigator's, recorded on the dispute rather than the event
      by: e.by?.name ?? (e.type === "raised" ? d.raisedBy.name : null),
    })),
    emails: c.emails.map((e) => emailRow(e, who(a, c, e.role), a.timeZone)),
    planned: d.planned
      // still to come: not lapsed, and not already in the outbox (sent, not sent, or on its way)
      .filter((x) => x.status !== "lapsed" && !c.emails.some((e) => e.key.startsWith(`${x.key}/`)))
      .map((x) => ({
        kind: capital(words(x.kind)),
        when: londonTime(x.sendAt, a.timeZone),
        to: x.to.map((t) => `${t.label}${t.people.length ? ` (${t.people.map((q) => q.name).join(", ")})` : ""}`).join("; "),
      })),
    stage: c.stage,
    next: c.next.slice(0, 1),
    trail: c.trail?.map((t) => trailRow(t, a.timeZone)),
    qa: viewer.qa,
  };
}
