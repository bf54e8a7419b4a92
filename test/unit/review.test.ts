// The deadlines before a dispute: Gloucestershire's post-review audit and
// Red response (000 ¶1–4), WF's review decisions and the team manager's
// answer (002 §3.3), across Christmas and Easter.
import { describe, expect, it } from "vitest";
import { parseIsoDate } from "../../src/domain/calendar/dates.ts";
import { planReview } from "../../src/domain/review/plan.ts";
import { addMonths, applyReviewEvent, type ReviewEvent, ReviewStepError, replayReview } from "../../src/domain/review/state.ts";
import { deadlineStatus, isOutstanding } from "../../src/domain/review/status.ts";
import { authority } from "../support/authorities.ts";

const glos = authority("gloucestershire");
const wf = authority("wf");
const at = (iso: string) => new Date(iso);
const held = (on: string, time = "T15:00:00Z"): ReviewEvent => ({ type: "held", at: at(`${on}${time}`), heldOn: parseIsoDate(on) });
const dueOf = (s: ReturnType<typeof replayReview>, id: string) => s.deadlines.find((d) => d.config.id === id)!;

describe("Gloucestershire: the post-review audit and a Red rating (¶1–4)", () => {
  const r = glos.procedures.iro!.reviews!;

  it("audits within three working days: a review on Tue 22 December 2026 is audited by Tue 29th (Christmas, Boxing Day's substitute)", () => {
    const s = replayReview(glos, r, [held("2026-12-22")]);
    expect(dueOf(s, "post_review_audit").due?.date).toBe("2026-12-29");
    expect(dueOf(s, "post_review_audit").due?.at.toISOString()).toBe("2026-12-29T17:00:00.000Z");
    // the Red response has not started: it waits for a Red rating
    expect(dueOf(s, "red_response").due).toBeNull();
  });

  it("a Red rating starts the team manager's month, from the review: Fri 22 January 2027; the rating meets the audit", () => {
    const s = replayReview(glos, r, [held("2026-12-22"), { type: "rated", at: at("2026-12-23T10:00:00Z"), rating: "red" }]);
    expect(dueOf(s, "post_review_audit").metAt?.toISOString()).toBe("2026-12-23T10:00:00.000Z");
    expect(dueOf(s, "red_response").due?.date).toBe("2027-01-22");
    const plan = planReview(glos, glos.procedures.iro!, s, "R1", at("2026-12-23T10:00:01Z"));
    const due = plan.find((n) => n.kind === "review_due" && n.deadline.config.id === "red_response")!;
    expect(due.addressees).toEqual([
      { role: "team_manager", audience: "who" },
      { role: "quality_manager", audience: "copied" },
      { role: "social_worker", audience: "copied" },
      // "the social worker's line manager (if that is not the team manager)": ¶4
      { role: "social_worker_line_manager", audience: "copied" },
    ]);
    expect(plan.filter((n) => n.deadline.config.id === "post_review_audit").every((n) => n.status === "superseded")).toBe(true);
    const overdue = plan.find((n) => n.kind === "review_overdue" && n.deadline.config.id === "red_response")!;
    expect(overdue.at.toISOString()).toBe("2027-01-22T17:00:00.000Z");
    expect(overdue.addressees.map((x) => x.role)).toEqual([
      "team_manager",
      "quality_manager",
      "social_worker",
      "social_worker_line_manager",
      "chair",
    ]);
  });

  it("an Amber or Green rating asks no response; a response before a Red rating, or a second rating, is refused", () => {
    const amber = replayReview(glos, r, [held("2026-12-22"), { type: "rated", at: at("2026-12-23T10:00:00Z"), rating: "amber" }]);
    expect(dueOf(amber, "red_response").applies).toBe(false);
    expect(() => applyReviewEvent(glos, r, amber, { type: "response_recorded", at: at("2026-12-24T10:00:00Z") })).toThrow(
      /no response is awaited/,
    );
    expect(() => applyReviewEvent(glos, r, amber, { type: "rated", at: at("2026-12-24T10:00:00Z"), rating: "red" })).toThrow(
      ReviewStepError,
    );
    expect(() => applyReviewEvent(glos, r, amber, { type: "decisions_sent", at: at("2026-12-24T10:00:00Z") })).toThrow(
      /no review decisions/,
    );
  });
});

describe("WF: review decisions and the team manager's answer (§3.3)", () => {
  const r = wf.procedures.iro!.reviews!;

  it("sends the decisions within five working days: a review on Tue 23 March 2027 by Thu 1 April (Good Friday and Easter Monday)", () => {
    const s = replayReview(wf, r, [held("2027-03-23", "T10:00:00Z")]);
    expect(dueOf(s, "review_decisions").due?.date).toBe("2027-04-01");
    // close of business in British Summer Time
    expect(dueOf(s, "review_decisions").due?.at.toISOString()).toBe("2027-04-01T16:00:00.000Z");
  });

  it("gives the team manager five working days from receiving them; no answer means the decisions are agreed, and both are told", () => {
    const s = replayReview(wf, r, [held("2027-03-23", "T10:00:00Z"), { type: "decisions_sent", at: at("2027-03-30T10:00:00Z") }]);
    expect(dueOf(s, "review_decisions").metAt).toBeDefined();
    expect(dueOf(s, "decisions_response").due?.date).toBe("2027-04-06");
    const plan = planReview(wf, wf.procedures.iro!, s, "R2", at("2027-04-07T09:00:00Z"));
    const agreed = plan.find((n) => n.kind === "review_agreed")!;
    expect(agreed.status).toBe("planned");
    expect(agreed.at.toISOString()).toBe("2027-04-06T16:00:00.000Z");
    expect(agreed.addressees.map((x) => x.role)).toEqual(["team_manager", "chair"]);
    expect(plan.some((n) => n.kind === "review_overdue" && n.deadline.config.id === "decisions_response")).toBe(false);
    // an answer in time: nothing more goes
    const answered = applyReviewEvent(wf, r, s, { type: "response_recorded", at: at("2027-04-05T10:00:00Z") });
    expect(
      planReview(wf, wf.procedures.iro!, answered, "R2", at("2027-04-07T09:00:00Z"))
        .filter((n) => n.deadline.config.id === "decisions_response")
        .every((n) => n.status === "superseded"),
    ).toBe(true);
  });

  it("reminds the chair before the decisions are due, and lets a reminder lapse once the date has passed", () => {
    const s = replayReview(wf, r, [held("2027-03-23", "T10:00:00Z")]);
    const reminder = planReview(wf, wf.procedures.iro!, s, "R2", at("2027-03-24T10:00:00Z")).find((n) => n.kind === "review_reminder")!;
    expect(reminder.at.toISOString()).toBe("2027-03-30T08:00:00.000Z"); // two working days before Thu 1 April, 09:00 BST
    expect(reminder.addressees).toEqual([{ role: "chair", audience: "chair" }]);
    const late = planReview(wf, wf.procedures.iro!, s, "R2", at("2027-04-02T10:00:00Z")).find((n) => n.kind === "review_reminder")!;
    expect(late.status).toBe("lapsed");
  });
});

describe("one month on", () => {
  it("keeps the day of the month, or the month's last day where it is shorter", () => {
    expect(addMonths(parseIsoDate("2026-12-22"), 1)).toBe("2027-01-22");
    expect(addMonths(parseIsoDate("2027-01-31"), 1)).toBe("2027-02-28");
    expect(addMonths(parseIsoDate("2028-01-31"), 1)).toBe("2028-02-29");
    expect(addMonths(parseIsoDate("2026-11-30"), 2)).toBe("2027-01-30");
  });
});

describe("where a review's deadline stands (the outstanding list's and the API's one rule)", () => {
  const r = wf.procedures.iro!.reviews!;
  const status = (s: ReturnType<typeof replayReview>, id: string, now: string) => deadlineStatus(dueOf(s, id), s, at(now));

  it("runs until 5pm on its day, is overdue after; WF §3.3's response is agreed, not overdue, when no answer comes", () => {
    // held Mon 23 Nov 2026: the decisions are due by Mon 30 Nov; sent Tue 24th, the answer by Tue 1 Dec
    const s = replayReview(wf, r, [held("2026-11-23"), { type: "decisions_sent", at: at("2026-11-24T10:00:00Z") }]);
    expect(status(s, "review_decisions", "2026-11-24T11:00:00Z")).toBe("met");
    expect(dueOf(s, "decisions_response").due?.date).toBe("2026-12-01");
    expect(status(s, "decisions_response", "2026-12-01T16:59:59Z")).toBe("running");
    expect(status(s, "decisions_response", "2026-12-01T17:00:01Z")).toBe("agreed_by_default");
    const late = replayReview(wf, r, [held("2026-11-23"), { type: "decisions_sent", at: at("2026-12-02T10:00:00Z") }]);
    expect(status(late, "review_decisions", "2026-12-02T11:00:00Z")).toBe("met_late");
    const none = replayReview(wf, r, [held("2026-11-23")]);
    expect(status(none, "review_decisions", "2026-12-01T09:00:00Z")).toBe("overdue");
    expect(status(none, "decisions_response", "2026-12-01T09:00:00Z")).toBe("not_started");
    expect(isOutstanding(status(none, "review_decisions", "2026-12-01T09:00:00Z"))).toBe(true);
    expect(isOutstanding("agreed_by_default")).toBe(false);
  });

  it("a deadline only after a Red rating waits for one, and does not apply after another", () => {
    const g = glos.procedures.iro!.reviews!;
    const s = replayReview(glos, g, [held("2026-11-23")]);
    expect(deadlineStatus(dueOf(s, "red_response"), s, at("2026-11-24T10:00:00Z"))).toBe("awaiting_rating");
    const green = replayReview(glos, g, [held("2026-11-23"), { type: "rated", at: at("2026-11-24T10:00:00Z"), rating: "green" }]);
    expect(deadlineStatus(dueOf(green, "red_response"), green, at("2026-11-24T11:00:00Z"))).toBe("not_applicable");
  });
});
