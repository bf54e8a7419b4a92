// The seeds' own numbers: each procedure's worst-case timeline, where every
// stage escalates on the day its response is due.
import { describe, expect, it } from "vitest";
import { parseIsoDate as d } from "../../src/domain/calendar/dates.ts";
import { worstCaseTimeline } from "../../src/domain/timeline.ts";
import { procedure } from "../support/authorities.ts";

function timeline(id: string, raised: string, opts: Parameters<typeof worstCaseTimeline>[3] = {}, proc: "iro" | "cp" = "iro") {
  const { authority, procedure: p } = procedure(id, proc);
  return worstCaseTimeline(authority, p, d(raised), opts);
}

describe("Birmingham: day 10 / 13 / 16 / 20 (001 §3.7, §3.9, §3.12, §3.13)", () => {
  it("falls on working days 10, 13, 16 and 20 of the formal process", () => {
    const t = timeline("birmingham", "2026-11-02");
    expect(t.stages.map((s) => [s.stage, s.recipient, s.respondBy, s.dayOfLimit])).toEqual([
      [1, "team_manager", "2026-11-16", 10],
      [2, "head_of_service", "2026-11-19", 13],
      [3, "assistant_director", "2026-11-24", 16],
      [4, "director_of_practice", "2026-11-30", 20],
    ]);
    expect(t.overallDeadline).toBe("2026-11-30");
  });

  it("stretches across Christmas and New Year", () => {
    // Raised Monday 14 December 2026: 25 and 28 December and 1 January are bank holidays.
    const t = timeline("birmingham", "2026-12-14");
    expect(t.stages.map((s) => s.respondBy)).toEqual(["2026-12-30", "2027-01-05", "2027-01-08", "2027-01-14"]);
  });

  it("copies the IRO Service HoS at stages two and three and notifies the Trust CEO at stage four", () => {
    const t = timeline("birmingham", "2026-11-02");
    expect(t.stages[1]!.copied).toContain("iro_service_head_of_service");
    expect(t.stages[2]!.copied).toContain("iro_service_head_of_service");
    expect(t.stages[3]!.copied).toEqual(["chief_executive"]);
  });
});

describe("Newham: 5-day stages within 20 working days, stage 5 for IROs only (003 §7)", () => {
  it("runs 5 working days a stage across Easter 2026", () => {
    // Raised Monday 30 March 2026 (the day after the clocks go forward); Good Friday 3 April, Easter Monday 6 April.
    const t = timeline("newham", "2026-03-30");
    expect(t.stages.map((s) => [s.stage, s.recipient, s.respondBy])).toEqual([
      [1, "practice_lead", "2026-04-08"],
      [2, "service_manager", "2026-04-15"],
      [3, "operations_director", "2026-04-22"],
      [4, "director_childrens_services", "2026-04-29"],
      [5, null, null], // the referral to Cafcass: nobody is asked to respond
    ]);
    expect(t.overallDeadline).toBe("2026-04-29");
  });

  it("stops a CP Chair's timeline at stage 4 and copies the CPRS inbox", () => {
    const t = timeline("newham", "2026-03-30", {}, "cp");
    // stage 5 (Cafcass) is for IROs only, so the CP procedure ends at stage 4
    expect(t.stages.map((s) => s.stage)).toEqual([1, 2, 3, 4]);
    expect(t.stages[0]!.copied).toEqual(["cp_qa_inbox"]);
  });

  it("may start at stage 3 but not at stage 4", () => {
    expect(timeline("newham", "2026-03-30", { stage: 3 }).stages[0]).toMatchObject({ stage: 3, respondBy: "2026-04-08" });
    expect(() => timeline("newham", "2026-03-30", { stage: 4 })).toThrow(/cannot start at stage 4/);
  });
});

describe("WF: IRO stages 5 / 5 / 3 working days, CP levels 10 / 5 / 5 (002 §4.2, §10.4–10.6)", () => {
  it("starts the IRO alert at the team manager (stage 2) with 5, 5 and 3 working days", () => {
    const t = timeline("wf", "2026-11-02");
    expect(t.stages.map((s) => [s.stage, s.recipient, s.respondBy])).toEqual([
      [2, "team_manager", "2026-11-09"],
      [3, "head_of_service", "2026-11-16"],
      [4, "divisional_director", "2026-11-19"],
      [5, "deputy_chief_executive", null],
    ]);
    expect(t.stages[0]!.copied).toEqual(["qa_inbox", "service_manager"]);
  });

  it("runs CP levels 3, 4 and 5 for 10, 5 and 5 working days, with no overall limit", () => {
    const t = timeline("wf", "2026-11-02", {}, "cp");
    expect(t.stages.map((s) => [s.stage, s.recipient, s.respondBy, s.dayOfLimit])).toEqual([
      [3, "team_manager", "2026-11-16", null],
      [4, "deputy_head_of_service", "2026-11-23", null],
      [5, "head_of_service", "2026-11-30", null],
      [6, "divisional_director", null, null],
    ]);
    expect(t.overallLimit).toBeNull();
    expect(t.overallDeadline).toBeNull();
  });

  it("includes the informal first stage when asked, with the IRO's timescale", () => {
    const t = timeline("wf", "2026-11-02", { stage: 1, timescaleWorkingDays: 3 });
    expect(t.stages[0]).toMatchObject({ stage: 1, formal: false, respondBy: "2026-11-05" });
    // the 20 working days start when the formal alert is raised at stage 2
    expect(t.stages[1]).toMatchObject({ stage: 2, enteredOn: "2026-11-05", respondBy: "2026-11-12", dayOfLimit: 5 });
  });
});

describe("Gloucestershire: IRO-set timescales, a 10-working-day meeting, 20 working days after the DCS referral (000 ¶8, ¶21, ¶23)", () => {
  it("shows 'set by the IRO' until the IRO gives a timescale", () => {
    const t = timeline("gloucestershire", "2026-11-02");
    expect(t.stages.slice(0, 3).map((s) => s.respondBy)).toEqual(["set by the IRO", "set by the IRO", "set by the IRO"]);
    // the document names no overall limit, and its own fixed times could not fit one of 20 working days
    expect(t.overallDeadline).toBeNull();
  });

  it("meets the operations director within 10 working days and gives the DCS 20 working days, over Christmas", () => {
    // stages one to three of 5 working days each bring stage four to Thursday 10 December
    const t = timeline("gloucestershire", "2026-11-19", { timescaleWorkingDays: 5 });
    expect(t.stages.map((s) => [s.stage, s.recipient, s.respondBy])).toEqual([
      [1, "team_manager", "2026-11-26"],
      [2, "service_leader", "2026-12-03"],
      [3, "assistant_director", "2026-12-10"],
      [4, "operations_director", "2026-12-24"],
      [5, "director_childrens_services", "2027-01-26"],
    ]);
    // ¶20's copies; the Director of Learning & Development is invited to the meeting (¶21), not copied
    expect(t.stages[3]!.copied).toEqual(["quality_manager", "head_of_quality", "assistant_director"]);
    expect(t.stages[4]!.copied).toEqual(["chief_executive"]);
  });

  it("applies the IRO's timescale to stages one to three and routes the over-11s service to its head of service", () => {
    const t = timeline("gloucestershire", "2026-11-02", { timescaleWorkingDays: 5, service: "over-11s" });
    expect(t.stages.map((s) => s.respondBy)).toEqual(["2026-11-09", "2026-11-16", "2026-11-23", "2026-12-07", "2027-01-07"]);
    expect(t.stages[2]!.recipient).toBe("head_of_service");
    expect(timeline("gloucestershire", "2026-11-02", { timescaleWorkingDays: 5 }).stages[2]!.recipient).toBe("assistant_director");
  });
});

describe("national template (IRO Handbook 6.2)", () => {
  it("fits the formal process into 20 working days", () => {
    const t = timeline("national", "2026-12-21");
    expect(t.stages.map((s) => s.dayOfLimit)).toEqual([5, 10, 15, 20]);
    expect(t.stages.at(-1)!.respondBy).toBe(t.overallDeadline);
    expect(t.overallDeadline).toBe("2027-01-21");
  });
});
