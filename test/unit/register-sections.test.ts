// The registers' report sections, without I/O: which SLT actions a quarter
// shows and how each stood at its end (Newham §10), and good practice counted
// by team and by procedure (WF §1.2, §11.1).
import { describe, expect, it } from "vitest";
import type { IsoDate } from "../../src/domain/calendar/dates.ts";
import { type GoodPracticeEntry, goodPracticeSection } from "../../src/domain/register/good-practice.ts";
import { type SltAction, sltActionsSection, statusOn } from "../../src/domain/register/slt-actions.ts";
import { parsePeriod } from "../../src/domain/report/period.ts";

const d = (s: string) => s as IsoDate;
const q1 = parsePeriod("2027-Q1");

const act = (reference: string, over: Partial<SltAction>): SltAction => ({
  reference,
  action: `Action ${reference}`,
  owner: "Operations Director",
  agreedOn: d("2027-01-20"),
  dueOn: null,
  status: "open",
  closedOn: null,
  progress: [],
  ...over,
});

describe("the SLT action log in a quarter's report (Newham §10)", () => {
  const rows = [
    act("A1", { agreedOn: d("2026-10-05"), status: "done", closedOn: d("2026-12-14") }), // closed before the quarter
    act("A2", { agreedOn: d("2026-11-16"), dueOn: d("2027-02-28"), progress: [{ on: d("2027-02-17"), note: "Drafted" }] }),
    act("A3", {
      agreedOn: d("2027-01-20"),
      status: "done",
      closedOn: d("2027-04-21"), // done after the quarter: open at its end
      progress: [
        { on: d("2027-02-17"), note: "Begun" },
        { on: d("2027-04-21"), note: "Done" },
      ],
    }),
    act("A4", { agreedOn: d("2027-02-17"), status: "dropped", closedOn: d("2027-03-17") }),
    act("A5", { agreedOn: d("2027-04-21") }), // agreed after the quarter
  ];
  const s = sltActionsSection({ name: "SLT action log", source: "§10" }, rows, q1);

  it("shows the actions open at any time in the quarter or closed in it, oldest first", () => {
    expect(s.actions.map((a) => a.reference)).toEqual(["A2", "A3", "A4"]);
    expect(s).toMatchObject({ open: 2, done: 0, dropped: 1, agreed: 2 });
  });

  it("carries forward what was open at the quarter's end, with the progress recorded by then; overdue if its date had passed", () => {
    const [a2, a3, a4] = s.actions;
    expect(a2).toMatchObject({ status: "open", carriedForward: true, overdue: true });
    expect(a3).toMatchObject({ status: "open", closedOn: null, carriedForward: true, overdue: false });
    expect(a3!.progress.map((p) => p.note)).toEqual(["Begun"]);
    expect(a4).toMatchObject({ status: "dropped", closedOn: "2027-03-17", carriedForward: false });
  });

  it("reads a closing on its own day", () => {
    expect(statusOn({ status: "done", closedOn: d("2027-03-31") }, d("2027-03-31"))).toBe("done");
    expect(statusOn({ status: "done", closedOn: d("2027-04-01") }, d("2027-03-31"))).toBe("open");
  });
});

describe("good practice in a period's report (WF §1.2, §11.1)", () => {
  const gp = (reference: string, over: Partial<GoodPracticeEntry>): GoodPracticeEntry => ({
    reference,
    noticedOn: d("2027-03-10"),
    procedure: "iro",
    team: "cic-1",
    about: "team",
    disputeReference: null,
    childRef: null,
    description: "Thorough, timely pathway plan",
    noticedBy: "Ivy Reviewer",
    ...over,
  });
  const cx = {
    name: "Good practice register",
    source: "§1.2, §11.1",
    procedures: [
      { id: "iro" as const, name: "IRO alerts" },
      { id: "cp" as const, name: "CP concerns" },
    ],
    teams: new Map([
      ["cic-1", "Children in Care 1"],
      ["cp-east", "Child Protection East"],
    ]),
  };
  const rows = [
    gp("G3", { noticedOn: d("2027-03-30"), team: "cp-east", procedure: "cp", about: "individual" }),
    gp("G1", { noticedOn: d("2027-03-02"), about: "individual" }),
    gp("G2", {}),
    gp("G0", { noticedOn: d("2027-02-26") }), // the month before
  ];

  it("counts the month's entries by procedure and by team, individuals apart from teams, and lists them oldest first", () => {
    const s = goodPracticeSection(cx, rows, parsePeriod("2027-03"));
    expect(s.total).toBe(3);
    expect(s.byProcedure).toEqual([
      { procedure: "iro", name: "IRO alerts", count: 2 },
      { procedure: "cp", name: "CP concerns", count: 1 },
    ]);
    expect(s.byTeam).toEqual([
      { team: "cp-east", name: "Child Protection East", aboutAnIndividual: 1, aboutTheTeam: 0, count: 1 },
      { team: "cic-1", name: "Children in Care 1", aboutAnIndividual: 1, aboutTheTeam: 1, count: 2 },
    ]);
    expect(s.list.map((e) => `${e.reference} ${e.teamName}`)).toEqual([
      "G1 Children in Care 1",
      "G2 Children in Care 1",
      "G3 Child Protection East",
    ]);
  });

  it("counts only the procedures asked for, and every entry when no period is given", () => {
    expect(goodPracticeSection({ ...cx, procedures: [cx.procedures[1]!] }, rows, parsePeriod("2027-03")).total).toBe(1);
    expect(goodPracticeSection(cx, rows).total).toBe(4);
  });
});
