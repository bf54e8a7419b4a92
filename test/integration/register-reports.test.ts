// The registers in the reports, on a real PostgreSQL: what is recorded through
// the API shows in GET /reports (JSON and CSV) and `drp report` (text and
// HTML) for its period: Newham's SLT action log carried forward (§10), WF's
// good practice counted (§1.2, §11.1). No authority's report shows another's
// register (the national template is given a good-practice register here).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Authority } from "../../src/domain/procedure/model.ts";
import { type TestApp, testApp } from "../support/app.ts";
import { drp } from "../support/cli.ts";

let t: TestApp;
const ivy = { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" };
const HOSTILE = "<img src=x onerror=alert(1)> & more";

beforeAll(async () => {
  t = await testApp("2027-04-20T10:00:00Z");
  const national = t.svc.authorities.get("national")!;
  t.svc.authorities.set("national", {
    ...national,
    registers: [{ kind: "good_practice", name: "Good practice register", copied: [], source: "test" }],
    reports: national.reports.map((r) => ({ ...r, sections: [...r.sections, "good_practice"] })),
  } as Authority);
  const post = async (authority: string, url: string, body: unknown, method: "POST" | "PATCH" = "POST") => {
    const r = await t.call(authority, method, url, body);
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    return r.body;
  };
  const a1 = await post("newham", "/registers/slt-actions", { action: HOSTILE, owner: "Operations Director", agreedOn: "2027-01-18" });
  await post("newham", `/registers/slt-actions/${a1.id}/progress`, { on: "2027-02-15", note: "Data requested" });
  await post("newham", `/registers/slt-actions/${a1.id}`, { status: "done", on: "2027-04-19", note: "Done" }, "PATCH");
  const a2 = await post("newham", "/registers/slt-actions", { action: "Closed in Q1", owner: "AD QA", agreedOn: "2027-02-15" });
  await post("newham", `/registers/slt-actions/${a2.id}`, { status: "dropped", on: "2027-03-15" }, "PATCH");
  const gp = (noticedOn: string, over: object = {}) =>
    post("wf", "/registers/good-practice", {
      noticedOn,
      procedure: "iro",
      team: "cic-1",
      about: "team",
      description: HOSTILE,
      noticedBy: ivy,
      ...over,
    });
  await gp("2027-03-02");
  await gp("2027-03-16", { about: "individual", childRef: "W-7" });
  await gp("2027-02-09");
  await post("national", "/registers/good-practice", {
    noticedOn: "2027-03-03",
    procedure: "iro",
    team: "cic-team",
    about: "team",
    description: "National's own",
    noticedBy: ivy,
  });
});
afterAll(async () => {
  delete process.env.DATABASE_URL;
  delete process.env.DRP_NOW;
  await t?.close();
});

describe("GET /reports with the registers", () => {
  it("Newham 2027-Q1: the action done in April carried forward with February's progress; the one dropped in March", async () => {
    const r = await t.call("newham", "GET", "/reports?period=2027-Q1");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const log = r.body.registers.sltActions;
    expect(log).toMatchObject({ open: 1, done: 0, dropped: 1, agreed: 2 });
    expect(log.actions).toMatchObject([
      { reference: "NEW-ACT-2027-0001", status: "open", carriedForward: true, progress: [{ on: "2027-02-15" }] },
      { reference: "NEW-ACT-2027-0002", status: "dropped", closedOn: "2027-03-15", carriedForward: false },
    ]);
    expect(log.actions[0].progress).toHaveLength(1);
    const q2 = (await t.call("newham", "GET", "/reports?period=2027-Q2")).body.registers.sltActions;
    expect(q2.actions.map((a: { status: string }) => a.status)).toEqual(["done"]);
    const csv = await t.app.inject({
      method: "GET",
      url: "/reports?period=2027-Q1&format=csv",
      headers: { authorization: `Bearer ${t.keys.newham}` },
    });
    expect(csv.body).toContain(",slt_actions,,,,,NEW-ACT-2027-0001,carried_forward,yes");
    expect(csv.body).toContain(",slt_action_progress,2027-02,,,,NEW-ACT-2027-0001,progress,2027-02-15: Data requested");
  });

  it("WF March 2027 and 2027-Q1: good practice counted by procedure and team; the CSV has each entry", async () => {
    const month = (await t.call("wf", "GET", "/reports?period=2027-03")).body.registers.goodPractice;
    expect(month).toMatchObject({ total: 2, byTeam: [{ team: "cic-1", aboutAnIndividual: 1, aboutTheTeam: 1, count: 2 }] });
    expect(month.byProcedure.map((p: { count: number }) => p.count)).toEqual([2, 0]);
    expect((await t.call("wf", "GET", "/reports?period=2027-Q1")).body.registers.goodPractice.total).toBe(3);
    expect((await t.call("wf", "GET", "/reports?period=2027-03&procedure=cp")).body.registers.goodPractice.total).toBe(0);
    const res = await t.app.inject({
      method: "GET",
      url: "/reports?period=2027-03&format=csv",
      headers: { authorization: `Bearer ${t.keys.wf}` },
    });
    expect(res.body).toContain("iro,good_practice_entry,2027-03,,,Children in Care 1,WF-GP-2027-0002,case,W-7");
  });

  it("shows no authority another's register", async () => {
    const national = (await t.call("national", "GET", "/reports?period=2027-Q1")).body.registers;
    expect(national.goodPractice.total).toBe(1);
    expect(national.goodPractice.list[0].description).toBe("National's own");
    expect(national.sltActions).toBeUndefined();
    expect((await t.call("birmingham", "GET", "/reports?period=2027-Q1")).body.registers).toEqual({});
    expect((await t.call("wf", "GET", "/reports?period=2027-Q1")).body.registers.sltActions).toBeUndefined();
  });
});

describe("drp report with the registers", () => {
  it("prints them as text and as HTML, the free text escaped", async () => {
    process.env.DATABASE_URL = t.handle.url;
    process.env.DRP_NOW = "2027-04-20T10:00:00Z";
    const text = await drp("report", "--authority", "newham", "--period", "2027-Q1");
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/NEW-ACT-2027-0001 +2027-01-18 +— +Operations Director +Carried forward +<img/);
    expect(text.out).toContain("Comments and issues in relation to the Dispute Resolution Process");
    const html = await drp("report", "--authority", "newham", "--period", "2027-Q1", "--format", "html");
    expect(html.code, html.err).toBe(0);
    expect(html.out).not.toContain("<img src=x");
    expect(html.out).toContain("&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; &amp; more");
    const wf = await drp("report", "--authority", "wf", "--period", "2027-03", "--format", "html");
    expect(wf.out).toMatch(/Good practice register/);
    expect(wf.out).not.toContain("<img src=x");
  });
});
