// WF §1.6: a concern about an IRO's or CP Chair's performance, raised by a
// worker or team manager, investigated by the QA DHoS within 15 working days,
// then escalated to the QA HoS or the DD. Its dates, who is told (never the
// IRO concerned), and what the rules refuse.
import { describe, expect, it } from "vitest";
import { parseIsoDate as d } from "../../src/domain/calendar/dates.ts";
import type { DisputeEvent } from "../../src/domain/dispute/events.ts";
import { replay } from "../../src/domain/dispute/state.ts";
import { explainProcedure, explainText } from "../../src/domain/explain.ts";
import { type PlannedNotification, planNotifications } from "../../src/domain/planner.ts";
import { worstCaseTimeline } from "../../src/domain/timeline.ts";
import { allSamples, samplesAt } from "../../src/mail/samples.ts";
import { at, ctx, stateAfter, step } from "../support/dispute.ts";
import { naiveAddWorkingDays } from "../support/naive-calendar.ts";

const ivy = { name: "Ivy Reviewer", role: "iro" as const };
// Monday 14 December 2026, 10:00 in London (GMT)
const raised: DisputeEvent = { type: "raised", at: at("2026-12-14T10:00:00Z"), stage: 1, by: "team_manager", concerning: ivy };
const wf = ctx("wf", "performance");

function plan(events: DisputeEvent[], now: string) {
  return planNotifications({ ...wf, state: stateAfter("wf", events, "performance"), disputeId: "D1", service: "cic", now: at(now) });
}
const one = (ns: PlannedNotification[], kind: string) => {
  const found = ns.filter((n) => n.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!;
};
function refusal(r: ReturnType<typeof step> | ReturnType<typeof replay>) {
  if (r.ok) throw new Error("expected a refusal");
  return r.error;
}
/** Raising alone, under WF's `p` procedure. */
const raising = (e: DisputeEvent, p: "iro" | "performance" = "performance") => replay(ctx("wf", p), [e]);

describe("the 15 working days of §1.6, across Christmas and New Year", () => {
  it("fall due on Thursday 7 January 2027 for a concern raised on Monday 14 December 2026", () => {
    // 15, 16, 17, 18, 21, 22, 23, 24, 29, 30, 31 December, 4, 5, 6, 7 January: not the 25th (Christmas),
    // the 28th (Boxing Day's substitute) or 1 January
    const s = stateAfter("wf", [raised], "performance");
    expect(s.deadline).toMatchObject({ kind: "due", date: "2027-01-07" });
    expect(s.deadline.kind === "due" && s.deadline.at.toISOString()).toBe("2027-01-07T17:00:00.000Z");
    expect(s.deadline.rule).toBe("15 working days after stage 1 began on Monday 14 December 2026");
    // the day-by-day oracle agrees (weekdays alone would give Monday 4 January)
    expect(naiveAddWorkingDays(d("2026-12-14"), 15)).toBe("2027-01-07");
    // and no overall limit: §2.1's 20 working days are the IRO's
    expect(s.overall).toBeUndefined();
  });

  it("remind the QA DHoS two working days before and on the morning, then tell them and prompt the team manager at 5pm", () => {
    const { notifications: ns, obligations } = plan([raised], "2026-12-14T10:00:01Z");
    expect(one(ns, "reminder").at.toISOString()).toBe("2027-01-05T09:00:00.000Z");
    expect(one(ns, "due_today").at.toISOString()).toBe("2027-01-07T09:00:00.000Z");
    expect(one(ns, "overdue")).toMatchObject({ to: ["qa_deputy_head_of_service"] });
    expect(one(ns, "overdue").at.toISOString()).toBe("2027-01-07T17:00:00.000Z");
    const prompt = one(ns, "escalation_prompt");
    expect(prompt.to).toEqual(["instigator"]);
    expect(prompt.escalation).toMatchObject({ reason: "response_overdue", nextStage: { stage: 2, recipient: "qa_head_of_service" } });
    expect(obligations.map((o) => [o.kind, o.owedBy, o.due.date])).toEqual([["stage_response", "qa_deputy_head_of_service", "2027-01-07"]]);
    expect(ns.map((n) => n.kind)).not.toContain("overall_warning");
  });

  it("are what `drp plan` shows", () => {
    const t = worstCaseTimeline(wf.authority, wf.procedure, d("2026-12-14"));
    expect(t.stages[0]).toMatchObject({ stage: 1, respondBy: "2027-01-07" });
  });
});

describe("who is told", () => {
  it("the QA DHoS, copying the team manager who raised it; not business support's shared inbox, nor any IRO", () => {
    const { notifications: ns } = plan([raised], "2026-12-14T10:00:01Z");
    const roles = ns.flatMap((n) => n.addressees.map((x) => x.role));
    expect(one(ns, "stage_raised")).toMatchObject({ to: ["qa_deputy_head_of_service"], cc: ["instigator"] });
    expect(roles).not.toContain("qa_inbox");
    expect(roles).not.toContain("principal_iro");
    expect(roles.every((r) => !/iro|chair/.test(r))).toBe(true);
  });

  it("at an escalation, the QA HoS or the DD, copying the QA DHoS and the team manager", () => {
    const toDd: DisputeEvent[] = [raised, { type: "escalated", at: at("2027-01-08T10:00:00Z"), toStage: 3 }];
    const n = one(plan(toDd, "2027-01-08T10:00:01Z").notifications, "stage_raised");
    expect(n).toMatchObject({ to: ["divisional_director"], cc: ["qa_deputy_head_of_service", "instigator"] });
  });
});

describe("the rules", () => {
  it("let a team manager or a social worker raise it, never an IRO or a CP Chair", () => {
    expect(stateAfter("wf", [{ ...raised, by: "social_worker" }], "performance").raisedBy).toBe("social_worker");
    const r = refusal(raising({ ...raised, by: "iro" }));
    expect(r.code).toBe("procedure_role");
    expect(r.message).toMatch(/is raised by Team manager or Social worker, not by IRO/);
  });

  it("name the IRO or CP Chair it is about, and only under this procedure", () => {
    const { concerning: _, ...unnamed } = raised as Extract<DisputeEvent, { type: "raised" }>;
    expect(refusal(raising(unnamed)).message).toMatch(/name the IRO or CP Chair the concern is about \(WF procedure §1\.6\)/);
    expect(stateAfter("wf", [raised], "performance").concerning).toEqual(ivy);
    const iroAlert: DisputeEvent = { type: "raised", at: raised.at, stage: 2, by: "iro", concerning: ivy };
    expect(refusal(raising(iroAlert, "iro")).code).toBe("concerning");
  });

  it("start with the QA DHoS, and go from there to the QA HoS or straight to the DD (§1.6 'QA HOS or DD')", () => {
    expect(refusal(raising({ ...raised, stage: 2 })).code).toBe("start_not_allowed");
    const dd = step("wf", [raised], { type: "escalated", at: at("2027-01-08T10:00:00Z"), toStage: 3 }, "performance");
    expect(dd.ok && dd.state.stage.recipient).toBe("divisional_director");
    expect(dd.ok && dd.warnings.join()).toMatch(/Skipping stage 2: §1\.6 escalates the matter to the QA HoS or the DD/);
  });

  it("set no deadline once escalated, and take none: the document gives none", () => {
    const s = stateAfter("wf", [raised, { type: "escalated", at: at("2027-01-08T10:00:00Z"), toStage: 2 }], "performance");
    expect(s.deadline.kind).toBe("none");
    const timed = step(
      "wf",
      [raised],
      { type: "escalated", at: at("2027-01-08T10:00:00Z"), toStage: 2, timescaleWorkingDays: 5 },
      "performance",
    );
    expect(refusal(timed).message).toMatch(/has no timescale the Team manager can set/);
  });

  it("have no Cafcass referral, and no Cafcass consultation to record", () => {
    const later = at("2026-12-15T10:00:00Z");
    expect(refusal(step("wf", [raised], { type: "referred_to_cafcass", at: later }, "performance")).code).toBe("cafcass_not_allowed");
    const consulted = refusal(step("wf", [raised], { type: "cafcass_consulted", at: later }, "performance"));
    expect(consulted).toMatchObject({ code: "cafcass_not_allowed" });
    expect(consulted.message).toMatch(/has no Cafcass step/);
  });
});

describe("what people read", () => {
  const samples = samplesAt(wf.authority, wf.procedure, 1, { kind: "stage_raised" });
  const as = (audience: string) => samples.find((x) => x.audience === audience)!.view;

  it("the QA DHoS: who raised it, whom it is about, what to do by when, and that the details are not on the child's record", () => {
    const v = as("recipient");
    const text = v.paragraphs.join("\n");
    expect(v.recipient.name).toBe("Queenie Example");
    expect(v.subject).toBe("IRO/CPC performance concern WF-2026-0042");
    expect(text).toMatch(/Toby Manager \(Team Manager\) has raised a concern about Ivy Reviewer \((Independent Reviewing Officer, )?IRO\)/);
    expect(text).toMatch(/Arrange an investigation, and give your feedback to Toby Manager\./);
    expect(text).toMatch(/15 working days after stage 1 began/);
    expect(text).not.toMatch(/case record|care plan|Cafcass/);
    expect(v.subject).not.toContain("Ivy");
  });

  it("the team manager: as the one who raised it, with §1.6's next step", () => {
    const v = as("instigator");
    expect(v.footer).toMatch(/as the Team Manager who raised it/);
    expect(v.inset).toMatch(/escalate it to the QA Head of Service \(stage 2\) or to the Divisional Director \(stage 3\)/);
    expect([v.heading, ...v.paragraphs].join()).not.toMatch(/\bIRO\b/);
  });
});

describe("the preview (drp preview --all)", () => {
  const all = allSamples(wf.authority).filter((x) => x.procedure === "performance");

  it("has every stage's announcement, and the QA DHoS's reminder, due-today and overdue notices", () => {
    const kinds = new Set(all.map((x) => `${x.kind}-s${x.stage}-${x.audience}`));
    for (const k of ["stage_raised-s1-recipient", "stage_raised-s2-recipient", "stage_raised-s3-recipient", "stage_raised-s1-instigator"])
      expect(kinds).toContain(k);
    for (const k of ["reminder-s1-recipient", "due_today-s1-recipient", "overdue-s1-recipient", "escalation_prompt-s1-instigator"])
      expect(kinds).toContain(k);
  });

  it("sends none of them to, or copies any to, the IRO concerned, and none carries the Cafcass or case-record words", () => {
    expect(all.length).toBeGreaterThan(20);
    for (const x of all) {
      const v = x.view;
      expect(v.recipient.name).not.toContain("Ivy");
      expect(v.recipient.role).not.toMatch(/\bIRO\b|CP Chair/);
      for (const l of v.lists.filter((l) => l.lead === "Also sent to:")) expect(l.items.join()).not.toContain("Ivy");
      expect([v.heading, ...v.paragraphs].join("\n")).not.toMatch(/Cafcass|care plan|child's case record/);
    }
  });
});

describe("the reports and explain", () => {
  it("keep §1.6 concerns out of WF's alert reports, and say so", () => {
    for (const r of wf.authority.reports) expect(r.procedures).toEqual(["iro", "cp"]);
    const text = explainText(wf.authority, [explainProcedure(wf.authority, wf.procedure)]);
    expect(text).toMatch(/raised by Team Manager or Social worker/);
    expect(text).toMatch(/About: a named IRO or CP Chair, who is never emailed about it \(WF procedure §1\.6\)/);
    expect(text).toMatch(/Monthly alerts report: .*counts the iro and cp procedures only/);
  });
});
