// The registers in the reports, without I/O: Newham's quarterly report shows
// the dispute steps under their own name, SLT's Action Log and the empty
// "Comments and issues" heading last (§10, Appendix 1); WF's reports count
// good practice (§1.2, §11.1); free text is escaped in the HTML; the text and
// CSV carry the same; an authority that keeps no register shows none.
import { beforeAll, describe, expect, it } from "vitest";
import { reportText } from "../../src/cli/report-text.ts";
import type { IsoDate } from "../../src/domain/calendar/dates.ts";
import { instantAt } from "../../src/domain/calendar/local-time.ts";
import type { Authority } from "../../src/domain/procedure/model.ts";
import { buildReport, type Report } from "../../src/domain/report/build.ts";
import { parsePeriod } from "../../src/domain/report/period.ts";
import { createRenderer, type Renderer } from "../../src/mail/render.ts";
import { reportCsv } from "../../src/reports/csv.ts";
import { reportView } from "../../src/reports/email.ts";
import { authority } from "../support/authorities.ts";

const d = (s: string) => s as IsoDate;
const HOSTILE = `<script>alert("x")</script> & <b>bold</b>`;
let renderer: Renderer;
beforeAll(async () => {
  renderer = await createRenderer();
});

function report(a: Authority, period: string, extra: Partial<Parameters<typeof buildReport>[0]> = {}): Report {
  const p = parsePeriod(period);
  const now = instantAt(d("2027-04-01"), "09:00", a.timeZone);
  return buildReport({
    authority: a,
    config: a.reports.find((r) => r.every === p.every)!,
    period: p,
    disputes: [],
    teams: new Map([["cic-1", "Children in Care 1"]]),
    now,
    ...extra,
  });
}

function rendered(a: Authority, r: Report) {
  const config = a.reports.find((x) => x.id === r.report.id)!;
  return renderer.render(reportView(a, config, r, { role: config.to[0]!, names: ["Pat Example"] }, new Map(), "drp@example.org"));
}

describe("Newham's quarterly report to SLT (§10, Appendix 1)", () => {
  const newham = authority("newham");
  const r = report(newham, "2027-Q1", {
    sltActions: [
      {
        reference: "NEW-ACT-2027-0001",
        action: HOSTILE,
        owner: "Operations Director",
        agreedOn: d("2027-01-18"),
        dueOn: d("2027-03-10"),
        status: "done",
        closedOn: d("2027-04-19"),
        progress: [{ on: d("2027-02-15"), note: "Data & figures <requested>" }],
      },
      {
        reference: "NEW-ACT-2026-0004",
        action: "An action closed last year",
        owner: "AD QA",
        agreedOn: d("2026-10-19"),
        dueOn: null,
        status: "done",
        closedOn: d("2026-12-14"),
        progress: [],
      },
    ],
  });

  it("gives the SLT action log in the JSON: the quarter's actions as they stood at its end", () => {
    expect(r.report.sections.slice(-3)).toEqual(["action_log", "slt_actions", "comments"]);
    expect(r.registers.goodPractice).toBeUndefined();
    expect(r.registers.sltActions).toMatchObject({ name: "SLT action log", open: 1, done: 0, agreed: 1 });
    expect(r.registers.sltActions!.actions.map((a) => [a.reference, a.status, a.carriedForward, a.overdue])).toEqual([
      ["NEW-ACT-2027-0001", "open", true, true],
    ]);
  });

  it("shows the action log, escaped, and ends with the empty comments heading; the steps under their own name", () => {
    const { html, text } = rendered(newham, r);
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;");
    expect(html).toContain("Data &amp; figures &lt;requested&gt;");
    expect(html).toMatch(/<h2[^>]*>SLT action log<\/h2>/);
    expect(html).toContain("Carried forward, overdue");
    expect(html).not.toContain("NEW-ACT-2026-0004");
    expect(html).not.toMatch(/>Action log</);
    const headings = [...html.matchAll(/<h2[^>]*>([^<]+)<\/h2>/g)].map((m) => m[1]);
    expect(headings.at(-1)).toBe("Comments and issues in relation to the Dispute Resolution Process");
    expect(headings.at(-2)).toBe("SLT action log");
    expect(text).toContain(
      "1 action agreed at SLT was open during the quarter (1 agreed in it). At its end, 0 were done, 0 dropped, and 1 is carried forward to the next meeting.",
    );
    expect(text).toMatch(/Comments and issues in relation to the Dispute Resolution Process\nLeft blank for the service managers/);
  });

  it("prints the log in `drp report`'s text, and gives each action and its progress in the CSV", () => {
    const t = reportText(r);
    expect(t).toMatch(/SLT action log \(1 open in the quarter or closed in it; 1 carried forward\)/);
    expect(t).toMatch(/NEW-ACT-2027-0001 +2027-01-18 +2027-03-10 +Operations Director +Carried forward, overdue/);
    expect(t).toMatch(/Dispute steps this quarter \(0\)/);
    expect(t.trimEnd().split("\n").at(-1)).toMatch(/^Left blank for the service managers/);
    const csv = reportCsv(r);
    expect(csv).toContain(",slt_actions,,,,,NEW-ACT-2027-0001,carried_forward,yes");
    expect(csv).toContain(",slt_action_progress,2027-02,,,,NEW-ACT-2027-0001,progress,2027-02-15: Data & figures <requested>");
  });
});

describe("WF's reports count good practice (§1.2, §11.1)", () => {
  const wf = authority("wf");
  const entry = (reference: string, noticedOn: string, over: object = {}) => ({
    reference,
    noticedOn: d(noticedOn),
    procedure: "iro" as const,
    team: "cic-1",
    about: "team" as const,
    disputeReference: null,
    childRef: null,
    description: `Good work ${HOSTILE}`,
    noticedBy: "Ivy Reviewer",
    ...over,
  });
  const rows = [
    entry("WF-GP-2027-0001", "2027-03-02"),
    entry("WF-GP-2027-0002", "2027-03-09", { procedure: "cp", about: "individual", childRef: "W-7" }),
    entry("WF-GP-2027-0003", "2027-02-09"),
  ];

  it("counts the month's by procedure and team, and lists them escaped, in the monthly report", () => {
    const r = report(wf, "2027-03", { goodPractice: rows });
    expect(r.registers.goodPractice).toMatchObject({
      total: 2,
      byProcedure: [
        { procedure: "iro", count: 1 },
        { procedure: "cp", count: 1 },
      ],
      byTeam: [{ team: "cic-1", aboutAnIndividual: 1, aboutTheTeam: 1, count: 2 }],
    });
    const { html } = rendered(wf, r);
    expect(html).toMatch(/<h2[^>]*>Good practice register<\/h2>/);
    expect(html).toContain("Good work &lt;script&gt;");
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("W-7");
    expect(reportCsv(r)).toContain("cp,good_practice,,,,,,count,1");
  });

  it("counts the quarter's in the quarterly analysis, and only the procedure asked for", () => {
    expect(report(wf, "2027-Q1", { goodPractice: rows }).registers.goodPractice!.total).toBe(3);
    expect(report(wf, "2027-Q1", { goodPractice: rows, only: "cp" }).registers.goodPractice!.total).toBe(1);
  });
});

describe("an authority that keeps no register", () => {
  it("shows none, even given entries", () => {
    const b = authority("birmingham");
    const r = report(b, "2027-Q1", { goodPractice: [], sltActions: [] });
    expect(r.registers).toEqual({});
    const { html } = rendered(b, r);
    expect(html).not.toMatch(/SLT action log|Good practice|Comments and issues/);
  });
});
