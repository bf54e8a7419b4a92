import { describe, expect, it } from "vitest";
import { parseIsoDate as d } from "../../src/domain/calendar/dates.ts";
import type { DisputeEvent } from "../../src/domain/dispute/events.ts";
import { type PlannedNotification, planNotifications } from "../../src/domain/planner.ts";
import { nextSendingTime } from "../../src/domain/sending-hours.ts";
import { at, ctx, stateAfter } from "../support/dispute.ts";

function plan(id: string, events: DisputeEvent[], now: string, opts: { service?: string; p?: "iro" | "cp" } = {}) {
  const c = ctx(id, opts.p);
  return planNotifications({ ...c, state: stateAfter(id, events, opts.p), disputeId: "D1", service: opts.service, now: at(now) });
}

const byKind = (ns: PlannedNotification[], kind: string) => ns.filter((n) => n.kind === kind);
const one = (ns: PlannedNotification[], kind: string) => {
  const found = byKind(ns, kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!;
};

// Monday 2 November 2026 (GMT): stage one due Monday 16 November, Day 20 is Monday 30 November.
const raised: DisputeEvent = { type: "raised", at: at("2026-11-02T10:00:00Z"), stage: 1, by: "iro" };

describe("a Birmingham dispute at stage one", () => {
  const { notifications: ns, obligations } = plan("birmingham", [raised], "2026-11-02T10:00:01Z");

  it("tells the team manager at once, copying the QA inbox and the IRO", () => {
    const n = one(ns, "stage_raised");
    expect(n).toMatchObject({ to: ["team_manager"], status: "due", stage: 1 });
    expect(n.cc).toEqual(expect.arrayContaining(["qa_inbox", "instigator"]));
    expect(n.at.toISOString()).toBe("2026-11-02T10:00:00.000Z");
  });

  it("reminds 2 working days before, and on the morning of, the 10th working day", () => {
    expect(one(ns, "reminder").at.toISOString()).toBe("2026-11-12T09:00:00.000Z");
    expect(one(ns, "due_today").at.toISOString()).toBe("2026-11-16T09:00:00.000Z");
  });

  it("sends the overdue notice and the IRO's escalation prompt at close of business on the due day", () => {
    const overdue = one(ns, "overdue");
    expect(overdue).toMatchObject({ to: ["team_manager"], cc: ["qa_inbox"] });
    expect(overdue.at.toISOString()).toBe("2026-11-16T17:00:00.000Z");
    const prompt = one(ns, "escalation_prompt");
    expect(prompt.to).toEqual(["instigator"]);
    expect(prompt.escalation).toMatchObject({ reason: "response_overdue", nextStage: { stage: 2, recipient: "head_of_service" } });
    expect(prompt.escalation?.nextStage?.requires.join()).toMatch(/IRO Service HoS/);
  });

  it("warns 5 working days before the overall limit and marks its breach, to the IRO, the IRO's manager and QA", () => {
    const warn = one(ns, "overall_warning");
    expect(warn.at.toISOString()).toBe("2026-11-23T09:00:00.000Z");
    expect(warn.to).toEqual(["instigator", "iro_service_assistant_head_of_service"]);
    const breach = one(ns, "overall_breach");
    expect(breach.at.toISOString()).toBe("2026-11-30T17:00:00.000Z");
    expect(breach.cc).toEqual(["qa_inbox"]);
  });

  it("lists the obligations behind them", () => {
    expect(obligations.map((o) => [o.kind, o.due.date])).toEqual([
      ["stage_response", "2026-11-16"],
      ["overall_limit", "2026-11-30"],
    ]);
  });

  it("gives every notification a distinct key that says which dispute it belongs to", () => {
    const keys = ns.map((n) => n.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(k.startsWith("D1:")).toBe(true);
  });
});

describe("keys", () => {
  it("stay the same when the same history is planned again later", () => {
    const early = plan("birmingham", [raised], "2026-11-03T09:00:00Z").notifications.map((n) => n.key);
    const late = plan("birmingham", [raised], "2026-11-20T09:00:00Z").notifications.map((n) => n.key);
    expect(late).toEqual(early);
  });

  it("change for the stage's reminders when an extension moves the deadline, but not for the overall limit", () => {
    const before = plan("birmingham", [raised], "2026-11-10T09:00:00Z").notifications;
    const after = plan(
      "birmingham",
      [raised, { type: "extension_agreed", at: at("2026-11-10T09:00:00Z"), until: d("2026-11-20") }],
      "2026-11-10T09:00:01Z",
    ).notifications;
    expect(one(after, "overdue").key).not.toBe(one(before, "overdue").key);
    expect(one(after, "overdue").at.toISOString()).toBe("2026-11-20T17:00:00.000Z");
    expect(one(after, "overall_breach").key).toBe(one(before, "overall_breach").key);
    expect(one(after, "extension_agreed")).toMatchObject({ to: ["team_manager"], status: "due" });
  });
});

describe("catching up after the worker was down", () => {
  it("still sends the overdue notice but lets a reminder whose deadline has passed lapse", () => {
    const { notifications: ns } = plan("birmingham", [raised], "2026-11-17T08:00:00Z");
    // the stage's announcement never lapses: it goes late, saying the response is overdue
    expect(one(ns, "stage_raised").status).toBe("due");
    expect(one(ns, "reminder").status).toBe("lapsed");
    expect(one(ns, "due_today").status).toBe("lapsed");
    expect(one(ns, "overdue").status).toBe("due");
    expect(one(ns, "escalation_prompt").status).toBe("due");
    expect(one(ns, "overall_warning").status).toBe("ahead");
  });
});

describe("after a response", () => {
  it("stops chasing the recipient and prompts the IRO at the stage's end", () => {
    const { notifications: ns } = plan(
      "birmingham",
      [raised, { type: "response_recorded", at: at("2026-11-05T11:00:00Z") }],
      "2026-11-05T11:00:01Z",
    );
    expect(byKind(ns, "overdue")).toEqual([]);
    expect(byKind(ns, "reminder")).toEqual([]);
    expect(one(ns, "escalation_prompt").escalation?.reason).toBe("stage_timescale_ended");
  });

  it("gives a Newham instigator 2 calendar days to record the outcome (003 form)", () => {
    const events: DisputeEvent[] = [raised, { type: "response_recorded", at: at("2026-11-06T11:00:00Z") }]; // Friday
    const { notifications: ns, obligations } = plan("newham", events, "2026-11-06T11:00:01Z");
    const [reminder, prompt] = byKind(ns, "escalation_prompt");
    // Sunday 8th is not a working day, so Monday 9th at close of business, with
    // a reminder that morning and the prompt once it has passed
    expect(reminder?.escalation?.reason).toBe("decision_due");
    expect(reminder?.at.toISOString()).toBe("2026-11-09T09:00:00.000Z");
    expect(prompt?.escalation?.reason).toBe("decision_overdue");
    expect(prompt?.deadline?.date).toBe("2026-11-09");
    expect(prompt?.at.toISOString()).toBe("2026-11-09T17:00:00.000Z");
    expect(obligations.find((o) => o.kind === "instigator_decision")?.owedBy).toBe("instigator");
  });
});

describe("routing", () => {
  it("sends Gloucestershire's over-11s stage three to that service's head of service", () => {
    const g: DisputeEvent[] = [
      { ...raised, timescaleWorkingDays: 5 },
      { type: "escalated", at: at("2026-11-02T10:10:00Z"), toStage: 2, timescaleWorkingDays: 5 },
      { type: "escalated", at: at("2026-11-02T10:20:00Z"), toStage: 3, timescaleWorkingDays: 5 },
    ];
    expect(one(plan("gloucestershire", g, "2026-11-02T11:00:00Z", { service: "over-11s" }).notifications, "stage_raised").to).toEqual([
      "head_of_service",
    ]);
    expect(one(plan("gloucestershire", g, "2026-11-02T11:00:00Z", { service: "under-11s" }).notifications, "stage_raised").to).toEqual([
      "assistant_director",
    ]);
  });

  it("copies the CPRS inbox, not the LAC Request box, on a Newham CP Chair's dispute", () => {
    const cp: DisputeEvent[] = [{ ...raised, by: "cp_chair" }];
    const ns = plan("newham", cp, "2026-11-02T11:00:00Z", { p: "cp" }).notifications;
    expect(one(ns, "stage_raised").cc).toContain("cp_qa_inbox");
    expect(one(ns, "stage_raised").cc).not.toContain("qa_inbox");
    expect(one(ns, "overall_warning").to).toEqual(["instigator", "cp_service_manager"]);
  });

  it("tells Gloucestershire's nominated officer of a Cafcass referral", () => {
    const g: DisputeEvent[] = [
      { ...raised, timescaleWorkingDays: 5 },
      { type: "referred_to_cafcass", at: at("2026-11-04T10:00:00Z") },
    ];
    const n = one(plan("gloucestershire", g, "2026-11-04T10:00:01Z").notifications, "cafcass_referral");
    expect(n.to).toEqual(["operations_director"]);
  });
});

describe("a closed dispute", () => {
  it("plans only the closing notice to all parties", () => {
    const { notifications: ns } = plan(
      "birmingham",
      [raised, { type: "resolved", at: at("2026-11-05T10:00:00Z") }],
      "2026-11-05T10:00:01Z",
    );
    expect(ns.map((n) => n.kind)).toEqual(["closed"]);
    expect(ns[0]!.to).toEqual(["team_manager", "instigator"]);
    expect(ns[0]!.cc).toContain("qa_inbox");
  });
});

describe("sending hours", () => {
  const { authority: a } = ctx("birmingham");
  it("hold a 03:00 notification until 09:00 and a Saturday one until Monday", () => {
    expect(nextSendingTime(a, at("2026-11-04T03:00:00Z")).toISOString()).toBe("2026-11-04T09:00:00.000Z");
    expect(nextSendingTime(a, at("2026-11-07T12:00:00Z")).toISOString()).toBe("2026-11-09T09:00:00.000Z");
    expect(nextSendingTime(a, at("2026-11-04T18:00:00Z")).toISOString()).toBe("2026-11-05T09:00:00.000Z");
  });
  it("hold Christmas Eve evening until the first working day after Boxing Day's substitute", () => {
    expect(nextSendingTime(a, at("2026-12-24T18:00:00Z")).toISOString()).toBe("2026-12-29T09:00:00.000Z");
  });
  it("follow the clock change: 09:00 is 08:00 UTC in summer", () => {
    expect(nextSendingTime(a, at("2026-03-28T12:00:00Z")).toISOString()).toBe("2026-03-30T08:00:00.000Z");
    expect(nextSendingTime(a, at("2026-10-24T12:00:00Z")).toISOString()).toBe("2026-10-26T09:00:00.000Z");
  });
  it("send within hours at once", () => {
    expect(nextSendingTime(a, at("2026-11-04T13:15:00Z")).toISOString()).toBe("2026-11-04T13:15:00.000Z");
  });
});

describe("deadlines across the clock changes", () => {
  it("puts a Newham stage raised in GMT and due in BST at 17:00 BST (16:00 UTC)", () => {
    const events: DisputeEvent[] = [{ ...raised, at: at("2026-03-26T10:00:00Z") }]; // Thursday; clocks go forward Sunday 29th
    const overdue = one(plan("newham", events, "2026-03-26T10:00:01Z").notifications, "overdue");
    expect(overdue.deadline?.date).toBe("2026-04-02");
    expect(overdue.at.toISOString()).toBe("2026-04-02T16:00:00.000Z");
  });

  it("puts a Newham stage raised in BST and due in GMT at 17:00 GMT", () => {
    const events: DisputeEvent[] = [{ ...raised, at: at("2026-10-22T09:00:00Z") }]; // Thursday; clocks go back Sunday 25th
    const ns = plan("newham", events, "2026-10-22T09:00:01Z").notifications;
    expect(one(ns, "overdue").at.toISOString()).toBe("2026-10-29T17:00:00.000Z");
    expect(one(ns, "reminder").at.toISOString()).toBe("2026-10-27T09:00:00.000Z"); // 09:00 GMT
  });
});

const toStage = (n: number, iso: string, timescaleWorkingDays?: number): DisputeEvent => ({
  type: "escalated",
  at: at(iso),
  toStage: n,
  timescaleWorkingDays,
});
const audiences = (n: PlannedNotification) =>
  Object.fromEntries(n.addressees.map((x) => [x.role, `${x.audience}${x.copy ? " (copy)" : ""}`]));

describe("who reads what", () => {
  it("gives the recipient, each copied role and the instigator an email of their own", () => {
    const n = one(plan("birmingham", [raised], "2026-11-02T10:00:01Z").notifications, "stage_raised");
    expect(audiences(n)).toEqual({ team_manager: "recipient", qa_inbox: "copied (copy)", instigator: "instigator (copy)" });
  });

  it("prompts the IRO Service HoS, copying the IRO, when Birmingham's stage 3 runs out (§3.13)", () => {
    const b = [raised, toStage(2, "2026-11-16T17:00:00Z"), toStage(3, "2026-11-19T17:00:00Z")];
    const prompt = one(plan("birmingham", b, "2026-11-19T17:00:01Z").notifications, "escalation_prompt");
    expect(audiences(prompt)).toEqual({ iro_service_head_of_service: "instigator", instigator: "instigator (copy)" });
    expect(prompt.escalation).toMatchObject({
      escalatedBy: "iro_service_head_of_service",
      nextStage: { stage: 4, recipient: "director_of_practice" },
    });
  });

  it("announces Birmingham's stage 4 even when it is entered after Day 20: the Director of Practice and the CEO hear of it", () => {
    const b = [raised, toStage(2, "2026-11-16T17:00:00Z"), toStage(3, "2026-11-19T17:00:00Z"), toStage(4, "2027-01-15T10:00:00Z")];
    const n = one(plan("birmingham", b, "2027-01-15T10:00:01Z").notifications, "stage_raised");
    expect(n.status).toBe("due");
    expect(audiences(n)).toMatchObject({
      director_of_practice: "recipient",
      chief_executive: "copied (copy)",
      iro_service_head_of_service: "copied (copy)",
    });
    expect(n.deadline?.date).toBe("2026-11-30");
  });
});

describe("what each procedure asks for", () => {
  it("plans no overall-limit email where the procedure names no limit (WF CP, Gloucestershire)", () => {
    const wf = plan("wf", [{ ...raised, by: "cp_chair", stage: 3 }], "2026-11-02T10:00:01Z", { p: "cp" });
    expect(wf.notifications.filter((n) => n.kind.startsWith("overall_"))).toEqual([]);
    expect(wf.obligations.map((o) => o.kind)).toEqual(["stage_response"]);
    const g = plan("gloucestershire", [{ ...raised, timescaleWorkingDays: 5 }], "2026-11-02T10:00:01Z");
    expect(g.notifications.filter((n) => n.kind.startsWith("overall_"))).toEqual([]);
  });

  it("never addresses Cafcass in Newham: stage 5 records the referral and alerts the Corporate Director, LAC box copied", () => {
    const n = [{ ...raised, stage: 3 }, toStage(4, "2026-11-09T17:00:00Z"), toStage(5, "2026-11-16T17:00:00Z")];
    const ns = plan("newham", n, "2026-11-16T17:00:01Z").notifications;
    for (const x of ns) expect(x.addressees.map((a) => a.role)).not.toContain("cafcass");
    const referral = one(ns, "cafcass_referral");
    expect(audiences(referral)).toEqual({
      director_childrens_services: "recipient",
      qa_inbox: "copied (copy)",
      instigator: "instigator (copy)",
    });
    // closed by the referral: the referral notice tells the IRO; the closing copy goes to the SM and the tracker
    expect(one(ns, "closed")).toMatchObject({ to: [], cc: ["iro_service_manager", "qa_inbox"] });
  });

  it("copies Newham's closing notice to the Service Manager and the QA inbox, for the tracker (the form)", () => {
    const ns = plan("newham", [raised, { type: "resolved", at: at("2026-11-05T10:00:00Z") }], "2026-11-05T10:00:01Z").notifications;
    const closed = one(ns, "closed");
    expect(closed.to).toEqual(["practice_lead", "instigator"]);
    expect(closed.cc).toEqual(["iro_service_manager", "qa_inbox"]);
  });

  it("prompts the IRO to start the formal process when the informal stage's agreed time runs out (Birmingham §3.3)", () => {
    const b: DisputeEvent = { ...raised, stage: 0, timescaleWorkingDays: 5 };
    const prompt = one(plan("birmingham", [b], "2026-11-02T10:00:01Z").notifications, "escalation_prompt");
    expect(prompt.deadline?.date).toBe("2026-11-09");
    expect(prompt.escalation).toMatchObject({ reason: "informal_timescale_ended", nextStage: { stage: 1 } });
    expect(prompt.escalation?.nextStage?.requires.join()).toMatch(/IRO Service AHoS/);
    expect(prompt.to).toEqual(["instigator"]);
  });

  it("registers WF's informal CP levels with business support, copying the QA DHoS, when they open and close (§11.1)", () => {
    const opened = plan("wf", [{ ...raised, by: "cp_chair" }], "2026-11-02T10:00:01Z", { p: "cp" }).notifications;
    expect(audiences(one(opened, "informal_opened"))).toEqual({ qa_inbox: "recipient", qa_deputy_head_of_service: "copied (copy)" });
    const formal = plan("wf", [{ ...raised, by: "cp_chair" }, toStage(3, "2026-11-04T10:00:00Z")], "2026-11-04T10:00:01Z", { p: "cp" });
    const closed = one(formal.notifications, "informal_closed");
    expect(closed).toMatchObject({ stage: 1, to: ["qa_inbox"], cc: ["qa_deputy_head_of_service"] });
  });

  it("asks Gloucestershire's Operations Director to convene a meeting in 10 working days, inviting without copying (¶21)", () => {
    const g = [
      { ...raised, timescaleWorkingDays: 5 },
      toStage(2, "2026-11-09T17:00:00Z", 5),
      toStage(3, "2026-11-16T17:00:00Z", 5),
      toStage(4, "2026-11-23T17:00:00Z"),
    ];
    const n = one(plan("gloucestershire", g, "2026-11-23T17:00:01Z").notifications, "stage_raised");
    expect(n.deadline?.date).toBe("2026-12-07");
    expect(n.to).toEqual(["operations_director"]);
    expect(n.cc).not.toContain("director_learning_development");
  });

  it("tells the nominated officer, before any referral, that one is being considered (Gloucestershire Introduction)", () => {
    const g: DisputeEvent[] = [
      { ...raised, timescaleWorkingDays: 5 },
      { type: "cafcass_referral_considered", at: at("2026-11-04T10:00:00Z") },
    ];
    const n = one(plan("gloucestershire", g, "2026-11-04T10:00:01Z", { service: "over-11s" }).notifications, "cafcass_referral_considered");
    expect(n.to).toEqual(["operations_director"]);
    expect(n.cc).toContain("instigator");
  });

  it("tells the QA inbox of a referral where the procedure names no officer (Birmingham)", () => {
    const b: DisputeEvent[] = [raised, { type: "referred_to_cafcass", at: at("2026-11-04T10:00:00Z") }];
    const n = one(plan("birmingham", b, "2026-11-04T10:00:01Z").notifications, "cafcass_referral");
    expect(n.to).toEqual(["qa_inbox"]);
  });
});
