import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseIsoDate as d } from "../../src/domain/calendar/dates.ts";
import { TransitionError } from "../../src/domain/dispute/errors.ts";
import type { DisputeEvent } from "../../src/domain/dispute/events.ts";
import { applyEvent, type DisputeState, replay } from "../../src/domain/dispute/state.ts";
import { at, ctx, stateAfter, step } from "../support/dispute.ts";

const raisedBham: DisputeEvent = { type: "raised", at: at("2026-11-02T10:00:00Z"), stage: 1, by: "iro" };

function refusal(r: ReturnType<typeof step>) {
  if (r.ok) throw new Error("expected a refusal");
  return r.error;
}

describe("raising a dispute", () => {
  it("enters the stage, starts the 20-working-day clock and sets the response deadline", () => {
    const s = stateAfter("birmingham", [raisedBham]);
    expect(s).toMatchObject({ status: "open", stageEnteredOn: "2026-11-02", formalStartedOn: "2026-11-02", awaiting: "response" });
    expect(s.deadline).toMatchObject({ kind: "due", date: "2026-11-16" });
    expect(s.overall?.date).toBe("2026-11-30");
  });

  it("refuses a CP Chair under an IRO procedure", () => {
    const r = replay(ctx("newham"), [{ ...raisedBham, by: "cp_chair" }]);
    expect(r.ok || r.error.code).toBe("procedure_role");
  });

  it("refuses a stage the procedure does not have", () => {
    const r = replay(ctx("birmingham"), [{ ...raisedBham, stage: 7 }]);
    expect(r.ok || r.error.code).toBe("no_such_stage");
    expect(r.ok || r.error.message).toMatch(/stages are 0, 1, 2, 3, 4/);
  });

  it("requires the IRO's timescale where the IRO sets it (Gloucestershire ¶8)", () => {
    const r = replay(ctx("gloucestershire"), [{ ...raisedBham, stage: 1 }]);
    expect(r.ok || r.error.code).toBe("timescale_required");
    const s = stateAfter("gloucestershire", [{ ...raisedBham, timescaleWorkingDays: 7 }]);
    expect(s.deadline).toMatchObject({ kind: "due", date: "2026-11-11" });
  });

  it("refuses a per-dispute timescale on a fixed stage, but takes an agreed one where the procedure allows (WF §4.2)", () => {
    const r = replay(ctx("birmingham"), [{ ...raisedBham, timescaleWorkingDays: 4 }]);
    expect(r.ok || r.error.code).toBe("timescale_not_allowed");
    const s = stateAfter("wf", [{ ...raisedBham, stage: 2, timescaleWorkingDays: 8 }]);
    expect(s.deadline).toMatchObject({ kind: "due", date: "2026-11-12" });
  });

  it("starts informal stages without the 20-working-day clock", () => {
    const s = stateAfter("wf", [{ ...raisedBham, stage: 1 }]);
    expect(s.formalStartedOn).toBeUndefined();
    expect(s.deadline.kind).toBe("set_by_instigator");
  });
});

describe("Newham stage 5 is for IROs only (003 §7)", () => {
  const cpAtStage4: DisputeEvent[] = [
    { type: "raised", at: at("2026-11-02T10:00:00Z"), stage: 1, by: "cp_chair" },
    { type: "escalated", at: at("2026-11-09T17:00:00Z"), toStage: 2 },
    { type: "escalated", at: at("2026-11-16T17:00:00Z"), toStage: 3 },
    { type: "escalated", at: at("2026-11-23T17:00:00Z"), toStage: 4 },
  ];

  it("refuses a CP Chair's escalation to stage 5, saying why", () => {
    const e = refusal(step("newham", cpAtStage4, { type: "escalated", at: at("2026-11-30T17:00:00Z"), toStage: 5 }, "cp"));
    expect(e).toBeInstanceOf(TransitionError);
    // the CP procedure ends at stage 4: its stage 5 (Cafcass) is for IROs only
    expect(e.code).toBe("past_last_stage");
    expect(e.message).toMatch(/for IROs only/);
  });

  it("lets an IRO escalate to stage 5, which is the referral to Cafcass, but not start there", () => {
    const iro = cpAtStage4.map((e) => (e.type === "raised" ? { ...e, by: "iro" as const } : e));
    const ok = step("newham", iro, { type: "escalated", at: at("2026-11-30T17:00:00Z"), toStage: 5 });
    if (!ok.ok) throw ok.error;
    expect(ok.state.stage.recipient).toBeUndefined();
    expect(ok.state.cafcassReferral).toBeDefined();
    expect(ok.state.status).toBe("referred_to_cafcass");
    const r = replay(ctx("newham"), [{ ...iro[0]!, stage: 5 } as DisputeEvent]);
    expect(r.ok || r.error.code).toBe("start_not_allowed");
  });

  it("lets an IRO start at stage 1, 2 or 3 and jump from 2 to 4, but not start at 4 (starting and skipping are two rules)", () => {
    for (const stage of [1, 2, 3]) expect(replay(ctx("newham"), [{ ...raisedBham, stage }]).ok).toBe(true);
    const r = replay(ctx("newham"), [{ ...raisedBham, stage: 4 }]);
    expect(r.ok || r.error.code).toBe("start_not_allowed");
    const jump = step("newham", [{ ...raisedBham, stage: 2 }], { type: "escalated", at: at("2026-11-03T10:00:00Z"), toStage: 4 });
    expect(jump.ok && jump.state.stage.stage).toBe(4);
  });

  it("asks a CP Chair who starts above stage 1 to record why (003 §7)", () => {
    const r = replay(ctx("newham", "cp"), [{ ...raisedBham, by: "cp_chair", stage: 3 }]);
    expect(r.ok && r.warnings.join()).toMatch(/most circumstances commence at stage 1/);
    const first = replay(ctx("newham", "cp"), [{ ...raisedBham, by: "cp_chair", stage: 1 }]);
    expect(first.ok && first.warnings).toEqual([]);
  });
});

describe("escalation", () => {
  it("refuses to go past the last stage, and says what comes next instead", () => {
    const atStage4: DisputeEvent[] = [
      raisedBham,
      { type: "escalated", at: at("2026-11-16T17:00:00Z"), toStage: 2 },
      { type: "escalated", at: at("2026-11-19T17:00:00Z"), toStage: 3 },
      { type: "escalated", at: at("2026-11-24T17:00:00Z"), toStage: 4 },
    ];
    const e = refusal(step("birmingham", atStage4, { type: "escalated", at: at("2026-11-30T17:00:00Z"), toStage: 5 }));
    expect(e.code).toBe("past_last_stage");
    expect(e.message).toMatch(/Cafcass/);
  });

  it("refuses a stage that is not later", () => {
    const e = refusal(step("birmingham", [raisedBham], { type: "escalated", at: at("2026-11-16T17:00:00Z"), toStage: 1 }));
    expect(e.code).toBe("not_later_stage");
    expect(e.message).toBe("the dispute is at stage 1; escalation must be to a later stage, not stage 1");
  });

  it("says it in the procedure's own words: a WF child protection concern has levels", () => {
    const atFour: DisputeEvent[] = [
      { type: "raised", at: at("2026-11-02T10:00:00Z"), stage: 3, by: "cp_chair" },
      { type: "escalated", at: at("2026-11-09T17:00:00Z"), toStage: 4 },
    ];
    const back = step("wf", atFour, { type: "escalated", at: at("2026-11-16T17:00:00Z"), toStage: 3 }, "cp");
    expect(refusal(back).message).toBe("the concern is at level 4; escalation must be to a later level, not level 3");
    const none = step("wf", atFour, { type: "escalated", at: at("2026-11-16T17:00:00Z"), toStage: 9 }, "cp");
    expect(refusal(none).message).toMatch(/has no level 9; its levels are /);
    const high = applyEvent(ctx("wf", "cp"), undefined, { type: "raised", at: at("2026-11-02T10:00:00Z"), stage: 4, by: "cp_chair" }, 0);
    expect(refusal(high).message).toMatch(/^a concern cannot start at level 4 /);
  });

  it("refuses to skip into a stage that may only be reached by escalation (WF CP level 4 from level 1)", () => {
    const raised: DisputeEvent = { type: "raised", at: at("2026-11-02T10:00:00Z"), stage: 1, by: "cp_chair" };
    const e = refusal(step("wf", [raised], { type: "escalated", at: at("2026-11-03T10:00:00Z"), toStage: 4 }, "cp"));
    // from an informal level, the formal process starts where it may start: level 3 (§10.4)
    expect(e.code).toBe("start_not_allowed");
    expect(e.message).toMatch(/the formal process starts at level 3, not level 4/);
  });

  it("warns of what the IRO has not confirmed before the stage (Gloucestershire ¶15), until Cafcass Legal is consulted", () => {
    const g: DisputeEvent[] = [
      { ...raisedBham, timescaleWorkingDays: 5 },
      {
        type: "escalated",
        at: at("2026-11-03T10:00:00Z"),
        toStage: 2,
        timescaleWorkingDays: 5,
        confirmed: ["discuss_with_quality_manager", "explain_actions_taken"],
      },
    ];
    const before = step("gloucestershire", g, { type: "escalated", at: at("2026-11-09T17:00:00Z"), toStage: 3, timescaleWorkingDays: 5 });
    expect(before.ok && before.warnings.join("\n")).toMatch(/Cafcass Legal/);
    // ¶15's discussion with the quality manager is its own step: ¶11's, confirmed before stage 2, does not count for it
    expect(before.ok && before.warnings.join("\n")).toMatch(/Discuss the issue with the quality manager \(Gloucestershire procedure ¶15\)/);
    const consulted: DisputeEvent[] = [...g, { type: "cafcass_consulted", at: at("2026-11-05T10:00:00Z") }];
    const after = step("gloucestershire", consulted, {
      type: "escalated",
      at: at("2026-11-09T17:00:00Z"),
      toStage: 3,
      timescaleWorkingDays: 5,
      confirmed: ["discuss_with_quality_manager_before_stage_3"],
    });
    expect(after.ok && after.warnings).toEqual([]);
  });

  it("goes one stage at a time where the document writes a strict sequence (Birmingham §3)", () => {
    const e = refusal(step("birmingham", [raisedBham], { type: "escalated", at: at("2026-11-16T17:00:00Z"), toStage: 3 }));
    expect(e.code).toBe("bypass_not_allowed");
    expect(e.message).toMatch(/one stage at a time: escalate to stage 2/);
    const r = replay(ctx("birmingham"), [{ ...raisedBham, stage: 2 }]);
    expect(r.ok || r.error.code).toBe("start_not_allowed");
    expect(replay(ctx("birmingham"), [{ ...raisedBham, stage: 0 }]).ok).toBe(true);
  });

  it("notes the bypass rule when the IRO skips stages (WF §3.4)", () => {
    const r = replay(ctx("wf"), [{ ...raisedBham, stage: 4, confirmed: ["discuss_with_qa_dhos"] }]);
    expect(r.ok && r.warnings.join()).toMatch(/Skipping stage 2, stage 3: .*line manager/);
    const next = replay(ctx("wf"), [{ ...raisedBham, stage: 2 }]);
    expect(next.ok && next.warnings).toEqual([]);
  });

  it("keeps the overall clock running from the first formal stage", () => {
    const s = stateAfter("birmingham", [raisedBham, { type: "escalated", at: at("2026-11-10T12:00:00Z"), toStage: 2 }]);
    expect(s.overall?.date).toBe("2026-11-30");
    expect(s.deadline).toMatchObject({ date: "2026-11-13" });
    expect(s.visits.map((v) => v.stage)).toEqual([1, 2]);
  });
});

describe("responses and extensions", () => {
  it("records a response once per deadline", () => {
    const responded: DisputeEvent[] = [raisedBham, { type: "response_recorded", at: at("2026-11-05T10:00:00Z") }];
    expect(stateAfter("birmingham", responded).awaiting).toBe("decision");
    const e = refusal(step("birmingham", responded, { type: "response_recorded", at: at("2026-11-06T10:00:00Z") }));
    expect(e.code).toBe("already_responded");
  });

  it("allows Gloucestershire one extension per stage and no more (000 ¶8)", () => {
    const g: DisputeEvent[] = [
      { ...raisedBham, timescaleWorkingDays: 5 },
      { type: "extension_agreed", at: at("2026-11-06T10:00:00Z"), until: d("2026-11-13") },
    ];
    expect(stateAfter("gloucestershire", g).deadline).toMatchObject({ date: "2026-11-13" });
    const e = refusal(step("gloucestershire", g, { type: "extension_agreed", at: at("2026-11-12T10:00:00Z"), until: d("2026-11-20") }));
    expect(e.code).toBe("extension_limit");
    expect(e.message).toMatch(/may be extended once and has been \(Gloucestershire procedure ¶8\)/);
  });

  it("starts a new stage with its own extension: one at stage 2 after one at stage 1 (Gloucestershire)", () => {
    const g: DisputeEvent[] = [
      { ...raisedBham, timescaleWorkingDays: 5 },
      { type: "extension_agreed", at: at("2026-11-06T10:00:00Z"), until: d("2026-11-13") },
      { type: "escalated", at: at("2026-11-13T17:00:00Z"), toStage: 2, timescaleWorkingDays: 5 },
    ];
    const r = step("gloucestershire", g, { type: "extension_agreed", at: at("2026-11-16T10:00:00Z"), until: d("2026-11-27") });
    if (!r.ok) throw r.error;
    expect(r.state.deadline).toMatchObject({ date: "2026-11-27" });
    expect(r.state.extensionsThisStage).toBe(1);
  });

  it("refuses any extension where the document fixes the time (Gloucestershire stages 4 and 5, ¶21–23)", () => {
    const toStage = (n: number, t: string): DisputeEvent => ({
      type: "escalated",
      at: at(t),
      toStage: n,
      timescaleWorkingDays: n === 4 || n === 5 ? undefined : 5,
      confirmed: n === 5 ? ["consult_cafcass_legal"] : undefined,
    });
    const g: DisputeEvent[] = [
      { ...raisedBham, timescaleWorkingDays: 5 },
      toStage(2, "2026-11-09T17:00:00Z"),
      toStage(3, "2026-11-16T17:00:00Z"),
      toStage(4, "2026-11-23T17:00:00Z"),
    ];
    const four = refusal(step("gloucestershire", g, { type: "extension_agreed", at: at("2026-11-24T10:00:00Z"), until: d("2026-12-18") }));
    expect(four.code).toBe("extension_limit");
    expect(four.message).toMatch(/cannot be extended/);
    const five = refusal(
      step("gloucestershire", [...g, toStage(5, "2026-12-07T17:00:00Z")], {
        type: "extension_agreed",
        at: at("2026-12-08T10:00:00Z"),
        until: d("2027-03-31"),
      }),
    );
    expect(five.code).toBe("extension_limit");
  });

  it("caps the working days an extension may add where the procedure says (Newham: one, of at most 5 working days)", () => {
    const n: DisputeEvent[] = [raisedBham];
    const long = refusal(step("newham", n, { type: "extension_agreed", at: at("2026-11-05T10:00:00Z"), until: d("2026-11-20") }));
    expect(long.code).toBe("extension_limit");
    expect(long.message).toMatch(/at most 5 working days/);
    const ok = step("newham", n, { type: "extension_agreed", at: at("2026-11-05T10:00:00Z"), until: d("2026-11-16") });
    expect(ok.ok && ok.state.extendedWorkingDaysThisStage).toBe(5);
  });

  it("counts Newham's 5 working days afresh at each stage: 4 added at stage 1 leave stage 2 its own 5", () => {
    const n: DisputeEvent[] = [
      raisedBham,
      // stage 1 due Monday 9 November; 4 working days more
      { type: "extension_agreed", at: at("2026-11-05T10:00:00Z"), until: d("2026-11-13") },
      { type: "escalated", at: at("2026-11-13T17:00:00Z"), toStage: 2 },
    ];
    expect(stateAfter("newham", n)).toMatchObject({ extendedWorkingDaysThisStage: 0, deadline: { date: "2026-11-20" } });
    const r = step("newham", n, { type: "extension_agreed", at: at("2026-11-16T10:00:00Z"), until: d("2026-11-27") });
    if (!r.ok) throw r.error;
    expect(r.state).toMatchObject({ extendedWorkingDaysThisStage: 5, deadline: { date: "2026-11-27" } });
    const over = refusal(step("newham", n, { type: "extension_agreed", at: at("2026-11-16T10:00:00Z"), until: d("2026-11-30") }));
    expect(over.message).toMatch(/at most 5 working days in all/);
  });

  it('does not enter Gloucestershire stage 5 until the discussion with Cafcass Legal is recorded or confirmed (¶22: it "must")', () => {
    const toStage = (n: number, t: string, confirmed?: string[]): DisputeEvent => ({
      type: "escalated",
      at: at(t),
      toStage: n,
      timescaleWorkingDays: n >= 4 ? undefined : 5,
      confirmed,
    });
    const four: DisputeEvent[] = [
      { ...raisedBham, timescaleWorkingDays: 5 },
      toStage(2, "2026-11-09T17:00:00Z"),
      toStage(3, "2026-11-16T17:00:00Z"),
      toStage(4, "2026-11-23T17:00:00Z"),
    ];
    const refused = refusal(step("gloucestershire", four, toStage(5, "2026-12-07T17:00:00Z")));
    expect(refused.code).toBe("prerequisite_missing");
    expect(refused.message).toMatch(/discussed with Cafcass Legal.*Gloucestershire procedure ¶22/);
    expect(step("gloucestershire", four, toStage(5, "2026-12-07T17:00:00Z", ["consult_cafcass_legal"])).ok).toBe(true);
    const consulted = [...four, { type: "cafcass_consulted", at: at("2026-12-01T10:00:00Z") } as DisputeEvent];
    expect(step("gloucestershire", consulted, toStage(5, "2026-12-07T17:00:00Z")).ok).toBe(true);
  });

  it("starts the formal process from Newham's informal stage only where it may start: stages 1 to 3, not 4 or 5 (§7)", () => {
    const informal: DisputeEvent[] = [{ ...raisedBham, stage: 0, timescaleWorkingDays: 5 }];
    for (const toStage of [4, 5]) {
      const r = refusal(step("newham", informal, { type: "escalated", at: at("2026-11-10T17:00:00Z"), toStage }));
      expect(r.code, `0 → ${toStage}`).toBe("start_not_allowed");
      expect(r.message).toMatch(/the formal process starts at stage 1, 2, 3/);
    }
    for (const toStage of [1, 2, 3])
      expect(step("newham", informal, { type: "escalated", at: at("2026-11-10T17:00:00Z"), toStage }).ok, `0 → ${toStage}`).toBe(true);
    // once formal, Newham's bypass still lets an escalation jump stages (2 → 4)
    expect(step("newham", [{ ...raisedBham, stage: 2 }], { type: "escalated", at: at("2026-11-10T17:00:00Z"), toStage: 4 }).ok).toBe(true);
  });

  it("keeps Gloucestershire's one stage-one extension short: 5 working days at most (¶8 'a short period')", () => {
    const g: DisputeEvent[] = [{ ...raisedBham, timescaleWorkingDays: 5 }]; // due Monday 9 November
    const long = refusal(step("gloucestershire", g, { type: "extension_agreed", at: at("2026-11-05T10:00:00Z"), until: d("2026-12-31") }));
    expect(long.code).toBe("extension_limit");
    expect(long.message).toMatch(/at most 5 working days/);
    expect(step("gloucestershire", g, { type: "extension_agreed", at: at("2026-11-05T10:00:00Z"), until: d("2026-11-16") }).ok).toBe(true);
  });

  it("does not escalate from WF CP level 1 to level 2, which is where a later low-level concern starts; level 3 it may (§10.3–10.4)", () => {
    const one: DisputeEvent = { type: "raised", at: at("2026-11-02T10:00:00Z"), stage: 1, by: "cp_chair", timescaleWorkingDays: 5 };
    const two = refusal(step("wf", [one], { type: "escalated", at: at("2026-11-09T10:00:00Z"), toStage: 2 }, "cp"));
    expect(two.code).toBe("start_not_allowed");
    expect(two.message).toMatch(
      /level 2 is where a concern starts informally, not a step from level 1; to go on, start the formal process at level 3/,
    );
    expect(step("wf", [one], { type: "escalated", at: at("2026-11-09T10:00:00Z"), toStage: 3 }, "cp").ok).toBe(true);
  });

  it("lets WF managers ask for more time again and again (002 §5–6)", () => {
    const w: DisputeEvent[] = [
      { ...raisedBham, stage: 2 },
      { type: "extension_agreed", at: at("2026-11-06T10:00:00Z"), until: d("2026-11-13") },
      { type: "extension_agreed", at: at("2026-11-12T10:00:00Z"), until: d("2026-11-20") },
    ];
    expect(stateAfter("wf", w).extensionsThisStage).toBe(2);
  });

  it("moves an extension that lands on a bank holiday to the next working day, and refuses one that is not later", () => {
    // raised on 1 December: stage one is due on 15 December, the 20 working days end on 31 December
    const december: DisputeEvent = { ...raisedBham, at: at("2026-12-01T10:00:00Z") };
    const s = stateAfter("birmingham", [december, { type: "extension_agreed", at: at("2026-12-03T10:00:00Z"), until: d("2026-12-25") }]);
    // Christmas Day, then the substitute Boxing Day (Monday 28th): Tuesday 29th
    expect(s.deadline).toMatchObject({ date: "2026-12-29" });
    expect(s.overall).toMatchObject({ date: "2026-12-31" });
    const e = refusal(
      step("birmingham", [raisedBham], { type: "extension_agreed", at: at("2026-11-10T10:00:00Z"), until: d("2026-11-16") }),
    );
    expect(e.code).toBe("extension_not_later");
  });
});

describe("dates the IRO chooses, against the overall limit", () => {
  it("refuses an extension past Birmingham's 20 working days in total (001 §1.2): the limit does not move", () => {
    const e = refusal(
      step("birmingham", [raisedBham], { type: "extension_agreed", at: at("2026-11-10T10:00:00Z"), until: d("2050-12-30") }),
    );
    expect(e.code).toBe("past_overall_limit");
    expect(e.message).toMatch(/ends on Monday 30 November 2026\. Choose a date on or before it, or escalate/);
    expect(e.message).toMatch(/Birmingham procedure §1\.2/);
    // the last day of the limit itself is agreed
    const last = stateAfter("birmingham", [
      raisedBham,
      { type: "extension_agreed", at: at("2026-11-10T10:00:00Z"), until: d("2026-11-30") },
    ]);
    expect(last.deadline).toMatchObject({ date: "2026-11-30" });
    expect(
      refusal(step("birmingham", [raisedBham], { type: "extension_agreed", at: at("2026-11-10T10:00:00Z"), until: d("2026-12-01") })).code,
    ).toBe("past_overall_limit");
  });

  it("refuses a timescale the IRO sets that would end after the overall limit", () => {
    const c = ctx("birmingham");
    // Birmingham's stage two, had its file let the IRO set the time
    const p = {
      ...c.procedure,
      stages: c.procedure.stages.map((s) => (s.stage === 2 ? { ...s, timescale: { setBy: "instigator" as const } } : s)),
    };
    const state = stateAfter("birmingham", [raisedBham]);
    const up = (days: number) =>
      applyEvent(
        { ...c, procedure: p },
        state,
        { type: "escalated", at: at("2026-11-16T17:00:00Z"), toStage: 2, timescaleWorkingDays: days },
        1,
      );
    const long = up(11);
    expect(long.ok).toBe(false);
    if (!long.ok) expect(long.error.code).toBe("past_overall_limit");
    // 16 November + 10 working days is 30 November, the limit's last day
    expect(up(10).ok).toBe(true);
  });

  it("records a long timescale where the procedure sets no overall limit (Gloucestershire ¶13), and says so to the IRO", () => {
    const g: DisputeEvent[] = [{ ...raisedBham, timescaleWorkingDays: 5 }];
    const r = step("gloucestershire", g, { type: "escalated", at: at("2026-11-09T17:00:00Z"), toStage: 2, timescaleWorkingDays: 200 });
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(r.warnings.join(" ")).toMatch(
        /200 working days for stage 2 .* is longer than the 20 working days IRO Handbook 6\.2 gives the whole process/,
      );
    const short = step("gloucestershire", g, { type: "escalated", at: at("2026-11-09T17:00:00Z"), toStage: 2, timescaleWorkingDays: 20 });
    expect(short.ok && short.warnings.some((w) => /IRO Handbook 6\.2/.test(w))).toBe(false);
  });
});

describe("closing", () => {
  it("closes Birmingham's dispute as 'referral to Cafcass' after the Director of Practice (001 §4.1), not before (§4.4)", () => {
    const early = stateAfter("birmingham", [raisedBham, { type: "referred_to_cafcass", at: at("2026-11-05T10:00:00Z") }]);
    expect(early.status).toBe("open");
    const atStage4: DisputeEvent[] = [
      raisedBham,
      { type: "escalated", at: at("2026-11-16T17:00:00Z"), toStage: 2 },
      { type: "escalated", at: at("2026-11-19T17:00:00Z"), toStage: 3 },
      { type: "escalated", at: at("2026-11-24T17:00:00Z"), toStage: 4 },
    ];
    const late = stateAfter("birmingham", [...atStage4, { type: "referred_to_cafcass", at: at("2026-11-30T17:00:00Z") }]);
    expect(late.status).toBe("referred_to_cafcass");
  });

  it("refuses a Cafcass referral where the procedure has none (WF CP conference)", () => {
    const raised: DisputeEvent = { type: "raised", at: at("2026-11-02T10:00:00Z"), stage: 3, by: "cp_chair" };
    const e = refusal(step("wf", [raised], { type: "referred_to_cafcass", at: at("2026-11-03T10:00:00Z") }, "cp"));
    expect(e.code).toBe("cafcass_not_allowed");
  });

  it("refuses every step on a resolved or withdrawn dispute", () => {
    for (const end of ["resolved", "withdrawn"] as const) {
      const closed: DisputeEvent[] = [raisedBham, { type: end, at: at("2026-11-05T10:00:00Z") }];
      const e = refusal(step("birmingham", closed, { type: "escalated", at: at("2026-11-06T10:00:00Z"), toStage: 2 }));
      expect(e.code).toBe("closed");
    }
  });

  it("records that a referral is being considered, and warns when a referral skips that step (Gloucestershire Introduction)", () => {
    const g: DisputeEvent[] = [{ ...raisedBham, timescaleWorkingDays: 5 }];
    const direct = step("gloucestershire", g, { type: "referred_to_cafcass", at: at("2026-11-05T10:00:00Z") });
    expect(direct.ok && direct.warnings.join()).toMatch(/being considered/);
    const considered = step("gloucestershire", g, {
      type: "cafcass_referral_considered",
      at: at("2026-11-04T10:00:00Z"),
      confirmed: ["discuss_referral_with_quality_manager"],
    });
    if (!considered.ok) throw considered.error;
    expect(considered.warnings).toEqual([]);
    expect(considered.state.referralConsidered).toBeDefined();
    const then = step("gloucestershire", [...g, { type: "cafcass_referral_considered", at: at("2026-11-04T10:00:00Z") }], {
      type: "referred_to_cafcass",
      at: at("2026-11-05T10:00:00Z"),
    });
    expect(then.ok && then.warnings).toEqual([]);
  });

  it("refuses a step dated before the previous one", () => {
    const e = refusal(step("birmingham", [raisedBham], { type: "resolved", at: at("2026-11-01T10:00:00Z") }));
    expect(e.code).toBe("out_of_order");
  });
});

describe("state machine properties", () => {
  const anyEvent = (t: number): fc.Arbitrary<DisputeEvent> =>
    fc.oneof(
      fc.record({ type: fc.constant("response_recorded" as const), at: fc.constant(new Date(t)) }),
      fc.record({ type: fc.constant("escalated" as const), at: fc.constant(new Date(t)), toStage: fc.integer({ min: 0, max: 6 }) }),
      fc.record({
        type: fc.constant("extension_agreed" as const),
        at: fc.constant(new Date(t)),
        until: fc.constantFrom(d("2026-11-20"), d("2026-12-25"), d("2027-01-29")),
      }),
      fc.record({ type: fc.constant("cafcass_consulted" as const), at: fc.constant(new Date(t)) }),
      fc.record({ type: fc.constant("referred_to_cafcass" as const), at: fc.constant(new Date(t)) }),
      fc.record({ type: fc.constant("resolved" as const), at: fc.constant(new Date(t)) }),
      fc.record({ type: fc.constant("withdrawn" as const), at: fc.constant(new Date(t)) }),
    );

  it("answers any sequence of steps with a state or a TransitionError, and keeps its invariants", () => {
    const start = Date.parse("2026-11-02T10:00:00Z");
    fc.assert(
      fc.property(
        fc.constantFrom<[string, "iro" | "cp" | "performance"]>(
          ["birmingham", "iro"],
          ["gloucestershire", "iro"],
          ["wf", "iro"],
          ["wf", "cp"],
          ["wf", "performance"],
          ["newham", "iro"],
          ["newham", "cp"],
          ["national", "iro"],
        ),
        fc.array(
          fc.integer({ min: 0, max: 20 }).chain((i) => anyEvent(start + (i + 1) * 86_400_000)),
          { maxLength: 12 },
        ),
        ([id, pid], events) => {
          const c = ctx(id, pid);
          const first = c.procedure.stages.find((x) => x.formal && c.procedure.entry.startAt.includes(x.stage))!;
          let s: DisputeState | undefined = stateAfter(
            id,
            [
              {
                type: "raised",
                at: new Date(start),
                stage: first.stage,
                by: c.procedure.raisedBy[0]!,
                timescaleWorkingDays: "setBy" in first.timescale ? 5 : undefined,
                // a WF §1.6 concern names the chair it is about
                ...(c.procedure.concerning ? { concerning: { name: "Ivy Reviewer", role: c.procedure.concerning.roles[0]! } } : {}),
              },
            ],
            pid,
          );
          const overall = s.overall?.date;
          events.forEach((e, i) => {
            const before: DisputeState = s!;
            const r = applyEvent(
              c,
              before,
              { ...e, ...(e.type === "escalated" ? { timescaleWorkingDays: 5 } : {}) } as DisputeEvent,
              i + 1,
            );
            if (before.closed) expect(r.ok).toBe(false);
            if (!r.ok) {
              expect(r.error).toBeInstanceOf(TransitionError);
              expect(r.error.message.length).toBeGreaterThan(10);
              return;
            }
            s = r.state;
            // the stage never goes down, and moves only by escalation
            expect(s.stage.stage).toBeGreaterThanOrEqual(before.stage.stage);
            if (e.type !== "escalated") expect(s.stage.stage).toBe(before.stage.stage);
            // the overall deadline, once set, never moves
            if (overall) expect(s.overall?.date).toBe(overall);
            // extensions stay within the stage's limits
            const { max, totalWorkingDays } = s.stage.extensions;
            if (max !== null) expect(s.extensionsThisStage).toBeLessThanOrEqual(max);
            if (totalWorkingDays !== undefined) expect(s.extendedWorkingDaysThisStage).toBeLessThanOrEqual(totalWorkingDays);
            // an escalation never skips a formal stage where the procedure goes one at a time
            if (e.type === "escalated" && !c.procedure.entry.skipping) {
              const between = c.procedure.stages.filter((x) => x.formal && x.stage > before.stage.stage && x.stage < s!.stage.stage);
              expect(between).toEqual([]);
            }
          });
        },
      ),
      { numRuns: 400 },
    );
  });

  it("dates a stage by its London date: raised at 23:30Z on 1 June 2026 is entered on 2 June", () => {
    const s = stateAfter("birmingham", [{ ...raisedBham, at: at("2026-06-01T23:30:00Z") }]);
    expect(s.stageEnteredOn).toBe("2026-06-02");
    expect(s.deadline).toMatchObject({ date: "2026-06-16" });
  });
});
