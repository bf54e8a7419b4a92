// The counting rules of the reports, against a small Newham history counted by
// hand: five IRO disputes across December 2026 to March 2027 (and one a year
// earlier), escalations, a contact with Cafcass, one resolved, one withdrawn,
// two outstanding; and a CP Chair's dispute, counted apart.
import { describe, expect, it } from "vitest";
import type { IsoDate } from "../../src/domain/calendar/dates.ts";
import type { DisputeEvent } from "../../src/domain/dispute/events.ts";
import { buildReport, ReportRequestError, reportFor, requestedPeriod } from "../../src/domain/report/build.ts";
import { countProcedure, type ReportDispute } from "../../src/domain/report/count.ts";
import { parsePeriod, periodContaining, reportDueAt, samePeriodLastYear } from "../../src/domain/report/period.ts";
import { authority } from "../support/authorities.ts";

const newham = authority("newham");
const at = (iso: string) => new Date(`${iso}T10:00:00Z`);
const raised = (on: string, stage: number, extra: Partial<Extract<DisputeEvent, { type: "raised" }>> = {}): DisputeEvent => ({
  type: "raised",
  at: at(on),
  stage,
  by: "iro",
  ...extra,
});
const esc = (on: string, toStage: number): DisputeEvent => ({ type: "escalated", at: at(on), toStage });
const responded = (on: string): DisputeEvent => ({ type: "response_recorded", at: at(on) });

function dispute(reference: string, over: Partial<ReportDispute> & { events: DisputeEvent[] }): ReportDispute {
  return {
    reference,
    procedure: "iro",
    team: "cla-a",
    childRef: reference,
    familyRef: null,
    categories: ["health"],
    actors: over.events.map(() => "Ivy Reviewer"),
    ...over,
  };
}

const history: ReportDispute[] = [
  // stage 1 Mon 4 Jan (due Mon 11th), answered Fri 8th; stage 2 Tue 12th (due Tue 19th), no answer;
  // stage 3 Wed 3 Feb (due Wed 10th), answered Tue 9th; resolved Wed 10th
  dispute("NEW-1", {
    childRef: "C1",
    familyRef: "F1",
    categories: ["health"],
    events: [
      raised("2027-01-04", 1),
      responded("2027-01-08"),
      esc("2027-01-12", 2),
      esc("2027-02-03", 3),
      responded("2027-02-09"),
      { type: "resolved", at: at("2027-02-10") },
    ],
  }),
  // informal, 10 working days set by the IRO (due Wed 3 Feb), never answered: outstanding
  dispute("NEW-2", {
    childRef: "C2",
    familyRef: "F1",
    categories: ["health", "education"],
    events: [raised("2027-01-20", 0, { timescaleWorkingDays: 10 })],
  }),
  // stage 3 Mon 15 Feb (due Mon 22nd), Cafcass consulted 16th, answered Fri 19th; stage 4 Mon 1 Mar (due Mon 8th): outstanding
  dispute("NEW-3", {
    team: "cla-b",
    childRef: "C3",
    categories: ["education"],
    events: [
      raised("2027-02-15", 3, { confirmed: ["consult_cafcass_legal"] }),
      { type: "cafcass_consulted", at: at("2027-02-16") },
      responded("2027-02-19"),
      esc("2027-03-01", 4),
    ],
  }),
  // raised in December; stage 2 on Tue 5 Jan, withdrawn the next day (before its deadline)
  dispute("NEW-4", {
    team: "cla-b",
    childRef: "C4",
    events: [raised("2026-12-15", 1), responded("2026-12-21"), esc("2027-01-05", 2), { type: "withdrawn", at: at("2027-01-06") }],
  }),
  // a year earlier: raised and resolved in January 2026
  dispute("NEW-5", { events: [raised("2026-01-12", 1), responded("2026-01-14"), { type: "resolved", at: at("2026-01-20") }] }),
  // after the quarter
  dispute("NEW-6", { events: [raised("2027-04-05", 1)] }),
  // a CP Chair's, counted under cp only
  dispute("NEW-7", { procedure: "cp", events: [raised("2027-03-10", 1, { by: "cp_chair" })] }),
];

const teams = new Map([
  ["cla-a", "Children Looked After A"],
  ["cla-b", "Children Looked After B"],
]);
const q1 = parsePeriod("2027-Q1");
const now = at("2027-04-20");
const iro = countProcedure({ authority: newham, procedure: newham.procedures.iro!, period: q1, disputes: history, teams, now });

describe("counting a quarter (Newham, January to March 2027)", () => {
  it("counts raised, escalated, resolved, outstanding, informal and formal", () => {
    expect({
      raised: iro.raised,
      escalated: iro.escalated,
      resolved: iro.resolved,
      outstanding: iro.outstanding,
      informal: iro.informal,
      formal: iro.formal,
    }).toEqual({ raised: 3, escalated: 4, resolved: 1, outstanding: 2, informal: 1, formal: 2 });
  });

  it("counts a dispute raised informally as formal if it entered a formal stage by the period's end, and not if it did so after", () => {
    const h = [
      // informal on 18 January, stage 1 on 1 February: formal in the quarter
      dispute("NEW-8", { events: [raised("2027-01-18", 0, { timescaleWorkingDays: 5 }), esc("2027-02-01", 1)] }),
      // informal on 22 March, stage 1 on 6 April: informal in the quarter it was raised
      dispute("NEW-9", { events: [raised("2027-03-22", 0, { timescaleWorkingDays: 10 }), esc("2027-04-06", 1)] }),
    ];
    const c = countProcedure({ authority: newham, procedure: newham.procedures.iro!, period: q1, disputes: h, teams, now });
    expect({ raised: c.raised, formal: c.formal, informal: c.informal }).toEqual({ raised: 2, formal: 1, informal: 1 });
  });

  it("counts disputes entering each stage by month, and contact with Cafcass", () => {
    const nonZero = iro.byMonthAndStage.filter((x) => x.count > 0);
    expect(nonZero).toEqual([
      { month: "2027-01", stage: 0, count: 1 },
      { month: "2027-01", stage: 1, count: 1 },
      { month: "2027-01", stage: 2, count: 2 },
      { month: "2027-02", stage: 3, count: 2 },
      { month: "2027-03", stage: 4, count: 1 },
    ]);
    // every month and every stage is listed, zeros included (Appendix 1's grid)
    expect(iro.byMonthAndStage).toHaveLength(3 * newham.procedures.iro!.stages.length);
    expect(iro.cafcassContactByMonth).toEqual([
      { month: "2027-01", count: 0 },
      { month: "2027-02", count: 1 },
      { month: "2027-03", count: 0 },
    ]);
  });

  it("counts categories as a share of the disputes raised, and teams with their children and families", () => {
    const byId = Object.fromEntries(iro.byCategory.map((c) => [c.category, [c.count, c.percent]]));
    expect(byId.health).toEqual([2, 66.7]);
    expect(byId.education).toEqual([2, 66.7]);
    expect(byId.placement).toEqual([0, 0]);
    expect(iro.byTeam.map(({ team, name, children, families, count }) => ({ team, name, children, families, count }))).toEqual([
      { team: "cla-a", name: "Children Looked After A", children: 2, families: 1, count: 2 },
      { team: "cla-b", name: "Children Looked After B", children: 1, families: 0, count: 1 },
    ]);
  });

  it("measures each stage's responses against their deadlines", () => {
    const t = Object.fromEntries(iro.timeliness.map((x) => [x.stage, [x.measured, x.onTime, x.medianWorkingDays]]));
    expect(t[0]).toEqual([1, 0, null]); // NEW-2's informal deadline passed unanswered
    expect(t[1]).toEqual([1, 1, 4]); // NEW-1 answered in 4 working days (NEW-4's was in December)
    expect(t[2]).toEqual([1, 0, null]); // NEW-1's stage 2 went unanswered; NEW-4 was withdrawn before its deadline
    expect(t[3]).toEqual([2, 2, 4]);
    expect(t[4]).toEqual([1, 0, null]); // NEW-3's stage 4 was due Mon 8 March
    expect(iro.timeliness.find((x) => x.stage === 3)!.percentOnTime).toBe(100);
  });

  it("lists what is outstanding at the quarter's end, and every step taken in it", () => {
    expect(iro.outstandingList.map((o) => [o.reference, o.stage, o.raisedOn, o.daysOpen, o.respondBy, o.overdue])).toEqual([
      ["NEW-2", 0, "2027-01-20", 70, "2027-02-03", true],
      ["NEW-3", 4, "2027-02-15", 44, "2027-03-08", true],
    ]);
    expect(iro.actionLog.map((e) => `${e.date} ${e.reference} ${e.step}`)).toEqual([
      "2027-01-04 NEW-1 Raised at stage 1",
      "2027-01-05 NEW-4 Escalated to stage 2",
      "2027-01-06 NEW-4 Withdrawn",
      "2027-01-08 NEW-1 Response recorded",
      "2027-01-12 NEW-1 Escalated to stage 2",
      "2027-01-20 NEW-2 Raised at stage 0",
      "2027-02-03 NEW-1 Escalated to stage 3",
      "2027-02-09 NEW-1 Response recorded",
      "2027-02-10 NEW-1 Resolved",
      "2027-02-15 NEW-3 Raised at stage 3",
      "2027-02-16 NEW-3 Cafcass consulted",
      "2027-02-19 NEW-3 Response recorded",
      "2027-03-01 NEW-3 Escalated to stage 4",
    ]);
  });

  it("counts the CP Chairs' disputes apart, and puts last year's quarter beside this one", () => {
    const config = reportFor(newham, q1);
    const r = buildReport({ authority: newham, config, period: q1, disputes: history, teams, now });
    expect(r.procedures.cp!.raised).toBe(1);
    expect(r.procedures.iro!.raised).toBe(3);
    expect(r.procedures.iro!.lastYear).toMatchObject({ period: { id: "2026-Q1" }, raised: 1, resolved: 1, outstanding: 0 });
    expect(r.period).toMatchObject({ from: "2027-01-01", to: "2027-03-31", name: "January to March 2027", complete: true });
  });
});

describe("reviews in a report (WF, March 2027)", () => {
  it("counts reviews held, each deadline due in the month, met on time, and decisions agreed because no answer came", () => {
    const wf = authority("wf");
    const held = (on: string, extra: DisputeEvent[] = []) => ({
      procedure: "iro" as const,
      events: [{ type: "held" as const, at: at(on), heldOn: on as IsoDate }, ...(extra as never[])],
    });
    const reviews = [
      // held Tue 2 March: decisions due Tue 9th, sent Thu 4th; the answer was due Thu 11th and never came
      held("2027-03-02", [{ type: "decisions_sent", at: at("2027-03-04") } as never]),
      // held Tue 23 March: its decisions are due on Thu 1 April, after the month
      held("2027-03-23"),
    ];
    const config = reportFor(wf, parsePeriod("2027-03"));
    const r = buildReport({ authority: wf, config, period: parsePeriod("2027-03"), disputes: [], reviews, teams, now: at("2027-04-20") });
    expect(r.procedures.iro!.reviews).toEqual({
      held: 2,
      rated: { green: 0, amber: 0, red: 0 },
      deadlines: [
        { id: "review_decisions", name: "Review decisions", due: 1, metOnTime: 1, agreedByDefault: 0 },
        { id: "decisions_response", name: "Response to the review decisions", due: 1, metOnTime: 0, agreedByDefault: 1 },
      ],
    });
    expect(r.procedures.cp!.reviews).toBeUndefined(); // WF's CP procedure sets no review deadlines
  });
});

describe("periods", () => {
  it("reads months and quarters, and refuses anything else", () => {
    expect(parsePeriod("2027-02")).toMatchObject({ from: "2027-02-01", to: "2027-02-28", months: ["2027-02"] });
    expect(parsePeriod("2028-02").to).toBe("2028-02-29");
    expect(parsePeriod("2026-Q4")).toMatchObject({ from: "2026-10-01", to: "2026-12-31" });
    expect(samePeriodLastYear(parsePeriod("2027-Q1")).id).toBe("2026-Q1");
    expect(periodContaining("2027-05-17" as IsoDate, "quarter").id).toBe("2027-Q2");
    for (const bad of ["2027-13", "2027-Q5", "Q1 2027", "2027", ""]) expect(() => parsePeriod(bad)).toThrow(/not a period/);
  });

  it("is due at opening time on the first working day after it ends", () => {
    // Q4 2026 ends Thu 31 Dec; Fri 1 Jan is New Year's Day: Mon 4 January, 09:00 GMT
    expect(reportDueAt(newham, parsePeriod("2026-Q4")).toISOString()).toBe("2027-01-04T09:00:00.000Z");
    // March 2027 ends Wed 31st: Thu 1 April, 09:00 BST
    expect(reportDueAt(newham, parsePeriod("2027-03")).toISOString()).toBe("2027-04-01T08:00:00.000Z");
  });

  it("refuses a period in the future, and a kind of report the authority does not have", () => {
    expect(() => requestedPeriod(newham, "2027-Q3", now)).toThrow(/in the future/);
    expect(() => requestedPeriod(newham, "2027-Q2", now)).not.toThrow(); // begun: counted to date
    expect(() => reportFor(newham, parsePeriod("2027-01"))).toThrow(ReportRequestError);
    expect(() => reportFor(newham, parsePeriod("2027-01"))).toThrow(/no monthly report/);
  });
});
