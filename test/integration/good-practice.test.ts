// The good-practice register (WF §1.2, §11.1) on a real PostgreSQL, through
// the API and `drp good-practice`: entries by the chair or business support,
// counted by procedure and team; the refusals (a name for a child, another
// authority's dispute); and no other authority seeing it (the national
// template is given a register of its own here, so that two authorities keep one).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Authority } from "../../src/domain/procedure/model.ts";
import { type TestApp, testApp } from "../support/app.ts";
import { drp } from "../support/cli.ts";

let t: TestApp;
const ivy = { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" };
const entry = (over: Record<string, unknown> = {}) => ({
  noticedOn: "2027-03-10",
  procedure: "iro",
  team: "cic-1",
  about: "team",
  description: "Life-story work begun promptly and shared with the carers",
  noticedBy: ivy,
  ...over,
});
let wfDispute: { reference: string; childRef: string };

beforeAll(async () => {
  t = await testApp("2027-04-20T10:00:00Z");
  const national = t.svc.authorities.get("national")!;
  t.svc.authorities.set("national", {
    ...national,
    registers: [{ kind: "good_practice", name: "Good practice register", copied: [], source: "test" }],
  } as Authority);
  const raised = await t.call("wf", "POST", "/disputes", {
    procedure: "iro",
    childRef: "W-41",
    raisedBy: ivy,
    team: "cic-1",
    stage: 1,
    categories: ["permanence_drift"],
    summary: "x",
    at: "2027-03-01T10:00:00Z",
  });
  expect(raised.status, JSON.stringify(raised.body)).toBe(201);
  wfDispute = raised.body;
});
afterAll(async () => {
  delete process.env.DATABASE_URL;
  delete process.env.DRP_NOW;
  await t?.close();
});

describe("POST /registers/good-practice (WF)", () => {
  it("records an entry by the IRO, and one business support records for a CP Chair, tied to a dispute", async () => {
    const a = await t.call("wf", "POST", "/registers/good-practice", entry());
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(a.body).toMatchObject({
      reference: "WF-GP-2027-0001",
      procedure: "iro",
      team: "cic-1",
      about: "team",
      disputeReference: null,
      childRef: null,
      noticedBy: ivy,
      recordedBy: null,
      copiedTo: [{ role: "qa_deputy_head_of_service", label: "QA Deputy Head of Service (QA DHoS)" }],
    });
    const b = await t.call(
      "wf",
      "POST",
      "/registers/good-practice",
      entry({
        disputeReference: wfDispute.reference.toLowerCase(),
        about: "individual",
        recordedBy: { name: "Bea Support", email: "bea@example.org" },
      }),
    );
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    // the dispute's child is recorded with it
    expect(b.body).toMatchObject({ disputeReference: wfDispute.reference, childRef: "W-41", recordedBy: { name: "Bea Support" } });
    const c = await t.call(
      "wf",
      "POST",
      "/registers/good-practice",
      entry({ procedure: "cp", team: "cp-east", noticedOn: "2027-04-02", noticedBy: { ...ivy, name: "Casey Chair", role: "cp_chair" } }),
    );
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect((await t.call("wf", "GET", `/registers/good-practice/${c.body.reference}`)).body).toEqual(c.body);
  });

  it("lists a period's entries counted by procedure and team, and filters by procedure and team", async () => {
    const march = await t.call("wf", "GET", "/registers/good-practice?period=2027-03");
    expect(march.status).toBe(200);
    expect(march.body).toMatchObject({
      period: "2027-03",
      total: 2,
      byProcedure: [
        { procedure: "iro", count: 2 },
        { procedure: "cp", count: 0 },
      ],
      byTeam: [{ team: "cic-1", name: "Children in Care 1", aboutAnIndividual: 1, aboutTheTeam: 1, count: 2 }],
    });
    expect(march.body.entries.map((e: { reference: string }) => e.reference)).toEqual(["WF-GP-2027-0001", "WF-GP-2027-0002"]);
    expect((await t.call("wf", "GET", "/registers/good-practice?procedure=cp")).body.total).toBe(1);
    expect((await t.call("wf", "GET", "/registers/good-practice?team=cp-east&period=2027-Q2")).body.total).toBe(1);
    expect((await t.call("wf", "GET", "/registers/good-practice")).body.total).toBe(3);
  });

  it("refuses a child's name, another authority's dispute, a chair the procedure does not have, an unknown team, a future date", async () => {
    const refused = async (over: Record<string, unknown>, field: string) => {
      const r = await t.call("wf", "POST", "/registers/good-practice", entry(over));
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.issues.map((i: { field: string }) => i.field)).toContain(field);
    };
    await refused({ childRef: "Jane Smith" }, "childRef");
    const newham = await t.call("newham", "POST", "/disputes", {
      procedure: "iro",
      childRef: "N-1",
      raisedBy: ivy,
      team: "cla-a",
      stage: 1,
      categories: ["statutory_requirements"],
      summary: "x",
    });
    expect(newham.status, JSON.stringify(newham.body)).toBe(201);
    await refused({ disputeReference: newham.body.reference }, "disputeReference");
    await refused({ disputeReference: wfDispute.reference, childRef: "W-99" }, "childRef");
    await refused({ noticedBy: { ...ivy, role: "cp_chair" } }, "noticedBy.role");
    await refused({ team: "nowhere" }, "team");
    await refused({ noticedOn: "2027-04-21" }, "noticedOn");
    await refused({ about: "service" }, "about");
    await refused({ description: "" }, "description");
    expect((await t.call("wf", "GET", "/registers/good-practice?period=March")).status).toBe(400);
  });

  it("answers 404 to an authority that keeps no register, and never shows one authority's entries to another's key", async () => {
    expect((await t.call("newham", "POST", "/registers/good-practice", entry({ team: "cla-a" }))).status).toBe(404);
    expect((await t.call("newham", "GET", "/registers/good-practice")).status).toBe(404);
    const theirs = await t.call("national", "POST", "/registers/good-practice", entry({ team: "cic-team" }));
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
    expect(theirs.body.reference).toMatch(/-GP-2027-0001$/);
    for (const key of ["WF-GP-2027-0001", (await t.call("wf", "GET", "/registers/good-practice/WF-GP-2027-0001")).body.id])
      expect((await t.call("national", "GET", `/registers/good-practice/${key}`)).status).toBe(404);
    const listed = await t.call("national", "GET", "/registers/good-practice");
    expect(listed.body.entries.map((e: { id: string }) => e.id)).toEqual([theirs.body.id]);
    expect((await t.call("wf", "GET", "/registers/good-practice")).body.total).toBe(3);
  });

  it("never logs the description or the names", () => {
    const all = t.logs.join("\n");
    for (const text of ["Life-story work", "Bea Support", "Casey Chair", "W-41"]) expect(all).not.toContain(text);
    expect(all).toMatch(/good practice recorded/);
  });
});

describe("drp good-practice", () => {
  it("adds and lists, printing the API's shapes with --json", async () => {
    process.env.DATABASE_URL = t.handle.url;
    process.env.DRP_NOW = "2027-04-20T10:00:00Z";
    const added = await drp(
      "good-practice",
      "add",
      "--authority",
      "wf",
      "--noticed-on",
      "2027-04-19",
      "--procedure",
      "cp",
      "--team",
      "cp-east",
      "--about",
      "individual",
      "--child-ref",
      "W-52",
      "--description",
      "Clear, child-centred conference report",
      "--by-name",
      "Casey Chair",
      "--by-email",
      "casey@example.org",
      "--by-role",
      "cp_chair",
    );
    expect(added.code, added.err).toBe(0);
    expect(added.out).toMatch(
      /WF-GP-2027-0004 {2}2027-04-19 {2}cp {2}team cp-east, about an individual \(case W-52\) {2}noticed by Casey Chair/,
    );
    expect(added.out).toContain("  Clear, child-centred conference report");
    const list = await drp("good-practice", "list", "--authority", "wf", "--period", "2027-Q2", "--json");
    expect(list.code, list.err).toBe(0);
    expect(list.json()).toMatchObject({ period: "2027-Q2", total: 2, byProcedure: [{ count: 0 }, { count: 2 }] });
    const text = await drp("good-practice", "list", "--authority", "wf", "--period", "2027-Q2");
    expect(text.out).toMatch(/^2 recorded in 2027-Q2: iro 0, cp 2/);
    const bad = await drp("good-practice", "add", "--authority", "wf", "--about", "individual");
    expect(bad.code).toBe(2);
    const none = await drp("good-practice", "list", "--authority", "newham");
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/keeps no good-practice register/);
  });
});
