// A review's page, in words: its deadlines and where each stands, its history
// in London time, its emails, the disputes raised from it, the steps the
// person may record, and (for QA) who opened it.
import type { Viewer } from "../domain/access.ts";
import { type IsoDate, longDate } from "../domain/calendar/dates.ts";
import { roleLabel } from "../domain/procedure/model.ts";
import type { DeadlineStatus } from "../domain/review/status.ts";
import type { ReviewPage, ReviewStepName } from "../service/review-page.ts";
import { emailRow, londonTime, trailRow } from "./case-model.ts";

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const words = (s: string) => s.replaceAll("_", " ");
/** "Response to a Red rating" → "response to a Red rating": only the first letter, so that Red stays a rating */
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

const STATUS: Record<DeadlineStatus, { text: string; colour: string }> = {
  running: { text: "Running", colour: "blue" },
  overdue: { text: "Overdue", colour: "red" },
  met: { text: "Met", colour: "green" },
  met_late: { text: "Met late", colour: "yellow" },
  agreed_by_default: { text: "Agreed: no response", colour: "grey" },
  awaiting_rating: { text: "Only after a rating it names", colour: "grey" },
  not_applicable: { text: "Does not apply", colour: "grey" },
  not_started: { text: "Not started", colour: "grey" },
};

const STEP_TEXT: Record<ReviewStepName, string> = {
  decisions: "Record that the decisions were sent",
  response: "Record the response",
  rating: "Record the rating",
  close: "Close the review",
};

/** One event of the review's log in words. */
function eventText(e: { type: string; heldOn?: unknown; rating?: unknown }, chair: string): string {
  switch (e.type) {
    case "held":
      return `Recorded: the review was held on ${typeof e.heldOn === "string" ? longDate(e.heldOn as IsoDate) : "the date given"}, chaired by ${chair}`;
    case "decisions_sent":
      return "The decisions were sent to the team manager";
    case "response_recorded":
      return "The response was recorded";
    case "rated":
      return `Rated ${capital(String(e.rating))}`;
    case "closed":
      return "Closed: nothing more is sent about it";
    default:
      return capital(words(e.type));
  }
}

export function reviewModel(r: ReviewPage, viewer: Viewer) {
  const a = r.authority;
  const d = r.detail;
  const p = a.procedures[r.row.procedure]!;
  const noun = p.reviews?.noun ?? "review";
  const chair = `${d.chairedBy.name} (${d.chairedBy.role === "cp_chair" ? "CP Chair" : "IRO"})`;
  const running = d.deadlines.filter((x) => x.status === "running" || x.status === "overdue");
  const people = (w: { label: string; people: { name: string }[] }) =>
    w.people.length ? `${w.people.map((x) => x.name).join(", ")} (${w.label})` : `nobody holds the role (${w.label})`;
  return {
    title: d.reference,
    caption: `${p.name}: ${noun}`,
    noun,
    waiting:
      d.status !== "open"
        ? "Closed"
        : running.length
          ? `Waiting for ${running.map((x) => `the ${lowerFirst(x.name)} from ${people(x.who)}, by ${longDate(x.dueBy as IsoDate)}`).join("; and ")}`
          : "No deadline is running",
    overdue: running.some((x) => x.status === "overdue"),
    facts: [
      ["Child's case reference", d.childRef],
      ["Procedure", p.name],
      ["Team", r.teamName],
      ["Held on", longDate(d.heldOn as IsoDate)],
      ["Chaired by", chair],
      ["Rating", d.rating ? capital(d.rating) : "—"],
    ].map(([key, value]) => ({ key: { text: key }, value: { text: value } })),
    deadlines: d.deadlines.map((x) => ({
      name: x.name,
      text: x.text,
      who: people(x.who),
      due: x.dueBy ? longDate(x.dueBy as IsoDate) : "—",
      rule: x.rule ? `${x.rule} (${x.source})` : x.source,
      status: STATUS[x.status],
    })),
    notes: d.notes,
    timeline: d.timeline.map((e) => ({
      when: londonTime(e.at, a.timeZone),
      text: eventText(e as { type: string }, chair),
      by: e.by ?? null,
    })),
    emails: r.emails.map((e) => emailRow(e, e.role === "chair" ? chair : roleLabel(a, e.role), a.timeZone)),
    planned: d.planned
      // still to come: not lapsed or superseded, and not already in the outbox (sent, not sent, or on its way)
      .filter((x) => x.status === "planned" && !r.emails.some((e) => e.key.startsWith(`review:${r.row.id}:${x.deadline}:${x.kind}/`)))
      .map((x) => ({ kind: capital(words(x.kind)), when: londonTime(x.at, a.timeZone), to: x.to.map(people).join("; ") })),
    disputes: r.disputes,
    steps: r.steps.map((s) => ({ step: s, text: STEP_TEXT[s] })),
    version: d.version,
    trail: r.trail?.map((t) => trailRow(t, a.timeZone)),
    qa: viewer.qa,
  };
}
