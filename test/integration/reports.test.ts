// Reports on a real PostgreSQL: in every authority, the same small backdated
// history, raised and stepped through the API, gives the figures counted by
// hand; GET /reports and `drp report` refuse what they cannot answer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firstFormalStage, type Procedure, stageOf } from "../../src/domain/procedure/model.ts";
import { AUTHORITY_IDS, type TestApp, testApp } from "../support/app.ts";
import { drp as runDrp } from "../support/cli.ts";

let t: TestApp;
const TEAMS: Record<string, string> = {
  birmingham: "cla-north",
  gloucestershire: "stroud-cla",
  wf: "cic-1",
  newham: "cla-a",
  national: "cic-team",
};

/** The body for raising at `stage` (timescale and confirmations as the stage asks). */
function raiseAt(id: string, p: Procedure, stage: number, at: string, over: Record<string, unknown>) {
  const s = stageOf(p, stage)!;
  return {
    procedure: "iro",
    childRef: "C1",
    raisedBy: { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" },
    team: TEAMS[id],
    stage,
    categories: ["c0"],
    summary: "x",
    at: `${at}T10:00:00Z`,
    ...("setBy" in s.timescale ? { timescaleWorkingDays: 5 } : {}),
    ...(s.requires.length ? { confirmed: s.requires.map((r) => r.id) } : {}),
    ...over,
  };
}

beforeAll(async () => {
  t = await testApp("2027-04-20T10:00:00Z");
  for (const id of AUTHORITY_IDS) {
    const a = t.svc.authorities.get(id)!;
    const p = a.procedures.iro!;
    const cats = a.categories.filter((c) => !c.procedures || c.procedures.includes("iro")).map((c) => c.id);
    const F = firstFormalStage(p).stage;
    const N = p.stages.find((s) => s.stage > F && s.formal && !s.referral)!.stage;
    const I = p.stages[0]!.formal ? undefined : p.stages[0]!.stage;
    const raise = async (stage: number, at: string, over: Record<string, unknown>) => {
      const r = await t.call(id, "POST", "/disputes", raiseAt(id, p, stage, at, { categories: [cats[0]], ...over }));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id as string;
    };
    const step = async (d: string, path: string, at: string, body: Record<string, unknown> = {}) => {
      const r = await t.call(id, "POST", `/disputes/${d}/${path}`, { at: `${at}T10:00:00Z`, ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    };
    // D1: raised Mon 11 Jan, answered Wed 13th, resolved Thu 14th
    const d1 = await raise(F, "2027-01-11", { childRef: "C1", familyRef: "F1" });
    await step(d1, "responses", "2027-01-13");
    await step(d1, "resolve", "2027-01-14");
    // D2: raised Mon 8 Feb, escalated Mon 22nd: outstanding
    const d2 = await raise(F, "2027-02-08", { childRef: "C2", familyRef: "F2", categories: [cats[0], cats[1]] });
    const n = stageOf(p, N)!;
    await step(d2, "escalate", "2027-02-22", {
      toStage: N,
      ...("setBy" in n.timescale ? { timescaleWorkingDays: 5 } : {}),
      ...(n.requires.length ? { confirmed: n.requires.map((r) => r.id) } : {}),
    });
    // D3: informal (where the procedure has an informal stage), Mon 1 March, same child as D1: outstanding
    if (I !== undefined) await raise(I, "2027-03-01", { childRef: "C1", categories: [cats[1]] });
    // D4: a year earlier, never closed; D5: after the quarter
    await raise(F, "2026-02-10", { childRef: "C4" });
    await raise(F, "2027-04-06", { childRef: "C5" });
  }
}, 60_000);
afterAll(async () => t?.close());

describe("GET /reports", () => {
  it.each(AUTHORITY_IDS.filter((id) => id !== "wf"))("%s, January to March 2027: the figures counted by hand", async (id) => {
    const a = t.svc.authorities.get(id)!;
    const hasInformal = !a.procedures.iro!.stages[0]!.formal;
    const r = await t.call(id, "GET", "/reports?period=2027-Q1&procedure=iro");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.authority).toBe(id);
    expect(r.body.period).toMatchObject({ from: "2027-01-01", to: "2027-03-31", complete: true });
    const iro = r.body.procedures.iro;
    expect({ ...iro, lastYear: undefined }).toMatchObject({
      raised: hasInformal ? 3 : 2,
      escalated: 1,
      resolved: 1,
      outstanding: hasInformal ? 3 : 2,
      informal: hasInformal ? 1 : 0,
      formal: 2,
    });
    expect(iro.lastYear).toMatchObject({ period: { id: "2026-Q1" }, raised: 1, outstanding: 1, resolved: 0 });
    const cats = a.categories.filter((c) => !c.procedures || c.procedures.includes("iro")).map((c) => c.id);
    const cat = (c: string) => iro.byCategory.find((x: { category: string }) => x.category === c);
    expect(cat(cats[0]!)).toMatchObject({ count: 2, percent: hasInformal ? 66.7 : 100 });
    expect(cat(cats[1]!)).toMatchObject({ count: hasInformal ? 2 : 1, percent: hasInformal ? 66.7 : 50 });
    // every team of the directory is listed (Appendix 1), those without disputes at zero
    expect(iro.byTeam.filter((t: { count: number }) => t.count > 0)).toEqual([
      expect.objectContaining({ team: TEAMS[id], children: 2, families: 2, count: hasInformal ? 3 : 2 }),
    ]);
    const { demoDirectory } = await import("../support/app.ts");
    expect(iro.byTeam.length).toBe((demoDirectory(id) as { teams: unknown[] }).teams.length);
    expect(iro.byTeam.filter((t: { count: number }) => t.count === 0).every((t: { children: number }) => t.children === 0)).toBe(true);
    const F = firstFormalStage(a.procedures.iro!).stage;
    const entered = iro.byMonthAndStage
      .filter((x: { count: number }) => x.count > 0)
      .map((x: { month: string; stage: number; count: number }) => `${x.month} ${x.stage} ${x.count}`);
    expect(entered).toEqual(
      expect.arrayContaining([
        `2027-01 ${F} 1`,
        `2027-02 ${F} 1`,
        ...(hasInformal ? [`2027-03 ${a.procedures.iro!.stages[0]!.stage} 1`] : []),
      ]),
    );
    expect(entered).toHaveLength(hasInformal ? 4 : 3);
    // D1 answered two working days after it began, on time
    const f = iro.timeliness.find((x: { stage: number }) => x.stage === F);
    expect(f).toMatchObject({ medianWorkingDays: 2 });
    expect(f.onTime).toBeGreaterThanOrEqual(1);
    expect(iro.outstandingList.map((o: { childRef?: string; reference: string }) => o.reference)).toHaveLength(hasInformal ? 3 : 2);
  });

  it("wf, February 2027 (its monthly report): one raised and escalated, two outstanding", async () => {
    const r = await t.call("wf", "GET", "/reports?period=2027-02");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.report).toMatchObject({ id: "monthly_alerts", every: "month" });
    expect(r.body.procedures.iro).toMatchObject({ raised: 1, escalated: 1, resolved: 0, outstanding: 2, informal: 0, formal: 1 });
    expect(r.body.procedures.cp).toMatchObject({ raised: 0, outstanding: 0 });
  });

  it("gives the figures as CSV, and no other authority's disputes", async () => {
    const csv = await t.app.inject({
      method: "GET",
      url: "/reports?period=2027-Q1&format=csv",
      headers: { authorization: `Bearer ${t.keys.newham}` },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    const lines = csv.body.split("\r\n");
    expect(lines[0]).toBe("procedure,section,month,stage,category,team,reference,measure,value");
    expect(lines).toContain("iro,summary,,,,,,raised,3");
    // Newham's report counts Newham's five, not the other authorities' twenty
    const all = await t.call("newham", "GET", "/reports?period=2027-Q1");
    const references = all.body.procedures.iro.actionLog.map((e: { reference: string }) => e.reference);
    expect(references.length).toBeGreaterThan(0);
    expect(references.every((ref: string) => ref.startsWith("NEW-"))).toBe(true);
  });

  it.each([
    ["newham", "2027-13", /not a period/],
    ["newham", "2027-Q3", /in the future/],
    ["newham", "2027-01", /no monthly report/],
    ["birmingham", "", /not a period/],
  ])("%s ?period=%s: 400, saying why", async (id, period, why) => {
    const r = await t.call(id, "GET", `/reports?period=${encodeURIComponent(period)}`);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toMatch(why);
  });

  it("asks for a key", async () => {
    expect((await t.call(null, "GET", "/reports?period=2027-Q1")).status).toBe(401);
  });
});

describe("drp report", () => {
  async function drp(...args: string[]) {
    process.env.DATABASE_URL = t.handle.url;
    process.env.DRP_NOW = "2027-04-20T10:00:00Z";
    try {
      return await runDrp(...args);
    } finally {
      delete process.env.DATABASE_URL;
      delete process.env.DRP_NOW;
    }
  }

  it("prints the same figures as the API, as JSON and as tables", async () => {
    const api = await t.call("newham", "GET", "/reports?period=2027-Q1");
    const json = await drp("report", "--authority", "newham", "--period", "2027-Q1", "--format", "json");
    expect(json.code, json.err).toBe(0);
    const cli = JSON.parse(json.out);
    expect({ ...cli, generatedAt: undefined }).toEqual({ ...api.body, generatedAt: undefined });
    const text = await drp("report", "--authority", "newham", "--period", "2027-Q1", "--procedure", "iro");
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/Quarterly Dispute Resolution report to SLT: London Borough of Newham/);
    expect(text.out).toMatch(/^raised\s+3\s+1$/m);
    const html = await drp("report", "--authority", "newham", "--period", "2027-Q1", "--format", "html");
    expect(html.code, html.err).toBe(0);
    expect(html.out).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/]{100,}/);
    expect(html.out).not.toContain("cid:");
    expect(html.out).toMatch(/<caption[^>]*>Disputes entering each stage, by month<\/caption>/);
  }, 30_000);

  it("exits 2 with the reason for a period it cannot answer", async () => {
    for (const [period, why] of [
      ["2027-Q3", /in the future/],
      ["2027-01", /no monthly report/],
    ] as const) {
      const r = await drp("report", "--authority", "newham", "--period", period);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(why);
    }
    const bad = await drp("report", "--authority", "newham", "--period", "2027-Q1", "--format", "pdf");
    expect(bad.code).toBe(2);
  });
});
