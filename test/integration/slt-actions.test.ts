// SLT's Action Log (Newham §10) on a real PostgreSQL, through the API and
// `drp actions`: an action agreed, progress at later meetings, done; which
// actions a period shows; the refusals; and no other authority seeing or
// changing it (here the national template is given a log of its own, so that
// two authorities keep one).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Authority } from "../../src/domain/procedure/model.ts";
import { type TestApp, testApp } from "../support/app.ts";
import { drp } from "../support/cli.ts";

let t: TestApp;
const action = (over: Record<string, unknown> = {}) => ({
  action: "Review placement sufficiency for children over 12 with the commissioning team",
  owner: "Operations Director",
  agreedOn: "2027-01-20",
  dueOn: "2027-03-31",
  ...over,
});

beforeAll(async () => {
  t = await testApp("2027-05-04T10:00:00Z");
  const national = t.svc.authorities.get("national")!;
  t.svc.authorities.set("national", {
    ...national,
    registers: [{ kind: "slt_actions", name: "SLT action log", source: "test" }],
  } as Authority);
});
afterAll(async () => {
  delete process.env.DATABASE_URL;
  delete process.env.DRP_NOW;
  await t?.close();
});

describe("POST /registers/slt-actions and its steps (Newham)", () => {
  it("records an action, progress at the next meeting, and its closing with a note", async () => {
    const created = await t.call("newham", "POST", "/registers/slt-actions", action());
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      reference: "NEW-ACT-2027-0001",
      owner: "Operations Director",
      agreedOn: "2027-01-20",
      dueOn: "2027-03-31",
      status: "open",
      closedOn: null,
      version: 1,
      progress: [],
      overdue: true,
    });
    const ref = created.body.reference;
    const p = await t.call("newham", "POST", `/registers/slt-actions/${ref}/progress`, { on: "2027-02-17", note: "Report drafted" });
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    expect(p.body).toMatchObject({ version: 2, progress: [{ on: "2027-02-17", note: "Report drafted" }] });
    const done = await t.call("newham", "PATCH", `/registers/slt-actions/${created.body.id}`, {
      status: "done",
      on: "2027-04-21",
      note: "Agreed by SLT: closed",
      version: 2,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ status: "done", closedOn: "2027-04-21", version: 3, overdue: false });
    expect(done.body.progress.map((x: { on: string }) => x.on)).toEqual(["2027-02-17", "2027-04-21"]);
    const read = await t.call("newham", "GET", `/registers/slt-actions/${ref.toLowerCase()}`);
    expect(read.body).toEqual(done.body);
  });

  it("lists the actions open at any time in a period or closed in it", async () => {
    const old = await t.call("newham", "POST", "/registers/slt-actions", action({ agreedOn: "2026-10-05", dueOn: undefined }));
    await t.call("newham", "PATCH", `/registers/slt-actions/${old.body.id}`, { status: "dropped", on: "2026-12-14" });
    const late = await t.call("newham", "POST", "/registers/slt-actions", action({ agreedOn: "2027-04-14", dueOn: undefined }));
    const refs = async (q: string) =>
      (await t.call("newham", "GET", `/registers/slt-actions${q}`)).body.actions.map((a: { reference: string }) => a.reference);
    expect(await refs("?period=2027-Q1")).toEqual(["NEW-ACT-2027-0001"]);
    expect(await refs("?period=2026-Q4")).toEqual([old.body.reference]);
    expect(await refs("?period=2027-Q2")).toEqual(["NEW-ACT-2027-0001", late.body.reference]);
    expect(await refs("?status=open")).toEqual([late.body.reference]);
    expect((await refs("")).length).toBe(3);
  });

  it("refuses what cannot be: a future date, dates before the action, progress on a closed action, a stale version", async () => {
    const bad = async (method: "POST" | "PATCH" | "GET", url: string, body?: unknown) => t.call("newham", method, url, body);
    expect((await bad("POST", "/registers/slt-actions", action({ agreedOn: "2027-05-05" }))).status).toBe(400);
    const early = await bad("POST", "/registers/slt-actions", action({ dueOn: "2027-01-19" }));
    expect(early.status).toBe(400);
    expect(early.body.issues[0].field).toBe("dueOn");
    expect((await bad("POST", "/registers/slt-actions", action({ owner: "" }))).status).toBe(400);
    expect((await bad("POST", "/registers/slt-actions/NEW-ACT-2027-0002/progress", { on: "2027-04-13", note: "x" })).status).toBe(400);
    const closed = await bad("POST", "/registers/slt-actions/NEW-ACT-2027-0001/progress", { on: "2027-05-04", note: "more" });
    expect(closed.status).toBe(409);
    expect(closed.body.error).toBe("action_closed");
    expect((await bad("PATCH", "/registers/slt-actions/NEW-ACT-2027-0001", { status: "done" })).body.error).toBe("status_unchanged");
    expect((await bad("PATCH", "/registers/slt-actions/NEW-ACT-2027-0001", { status: "open", version: 1 })).body.error).toBe(
      "version_mismatch",
    );
    expect((await bad("PATCH", "/registers/slt-actions/NEW-ACT-2027-0001", { status: "finished" })).status).toBe(400);
    expect((await bad("PATCH", "/registers/slt-actions/NEW-ACT-2027-0001", {})).status).toBe(400);
    expect((await bad("GET", "/registers/slt-actions?period=2027-Q5")).status).toBe(400);
    expect((await bad("GET", "/registers/slt-actions/NEW-ACT-2027-0099")).status).toBe(404);
    // reopened, it takes progress again
    const reopened = await bad("PATCH", "/registers/slt-actions/NEW-ACT-2027-0001", { status: "open" });
    expect(reopened.body).toMatchObject({ status: "open", closedOn: null });
  });

  it("answers 404 to an authority that keeps no action log", async () => {
    const wf = await t.call("wf", "POST", "/registers/slt-actions", action());
    expect(wf.status).toBe(404);
    expect(wf.body.message).toMatch(/WF keeps no SLT action log/);
    expect((await t.call("wf", "GET", "/registers/slt-actions")).status).toBe(404);
  });

  it("never shows or changes one authority's action for another's key, by id or by reference", async () => {
    const mine = await t.call("newham", "POST", "/registers/slt-actions", action({ owner: "AD QA" }));
    const theirs = await t.call("national", "POST", "/registers/slt-actions", action({ owner: "Head of QA" }));
    expect(theirs.status).toBe(201);
    for (const key of [mine.body.id, mine.body.reference]) {
      expect((await t.call("national", "GET", `/registers/slt-actions/${key}`)).status).toBe(404);
      expect((await t.call("national", "PATCH", `/registers/slt-actions/${key}`, { status: "dropped" })).status).toBe(404);
      expect((await t.call("national", "POST", `/registers/slt-actions/${key}/progress`, { on: "2027-05-04", note: "x" })).status).toBe(
        404,
      );
    }
    const listed = (await t.call("national", "GET", "/registers/slt-actions")).body.actions;
    expect(listed.map((a: { id: string }) => a.id)).toEqual([theirs.body.id]);
    expect((await t.call("newham", "GET", `/registers/slt-actions/${mine.body.id}`)).body.status).toBe("open");
    expect((await t.call(null, "GET", "/registers/slt-actions")).status).toBe(401);
  });

  it("never logs the action, its owner or a note", () => {
    const all = t.logs.join("\n");
    for (const text of ["placement sufficiency", "Operations Director", "Report drafted", "Agreed by SLT", "Head of QA"])
      expect(all).not.toContain(text);
    expect(all).toMatch(/slt action recorded/);
  });
});

describe("drp actions", () => {
  it("adds, records progress, closes and lists, printing the API's shapes with --json", async () => {
    process.env.DATABASE_URL = t.handle.url;
    process.env.DRP_NOW = "2027-05-04T10:00:00Z";
    const added = await drp(
      "actions",
      "add",
      "--authority",
      "newham",
      "--action",
      "Audit CP plans for drift",
      "--owner",
      "Head of Safeguarding",
      "--agreed-on",
      "2027-04-21",
      "--json",
    );
    expect(added.code, added.err).toBe(0);
    const ref = added.json().reference as string;
    expect(added.json()).toMatchObject({ status: "open", dueOn: null, progress: [] });
    const prog = await drp("actions", "progress", ref, "--authority", "newham", "--on", "2027-05-04", "--note", "Sample chosen");
    expect(prog.code, prog.err).toBe(0);
    expect(prog.out).toContain(`${ref}  open  agreed 2027-04-21, no due date  owner: Head of Safeguarding`);
    expect(prog.out).toContain("  2027-05-04: Sample chosen");
    const closed = await drp("actions", "close", ref, "--authority", "newham", "--status", "dropped", "--json");
    expect(closed.code, closed.err).toBe(0);
    expect(closed.json()).toMatchObject({ status: "dropped", closedOn: "2027-05-04" });
    const list = await drp("actions", "list", "--authority", "newham", "--period", "2027-Q2", "--status", "dropped", "--json");
    expect(list.json().actions.map((a: { reference: string }) => a.reference)).toEqual([ref]);
    const bad = await drp("actions", "list", "--authority", "newham", "--status", "closed");
    expect(bad.code).toBe(2);
    const none = await drp("actions", "show", ref, "--authority", "wf");
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/WF keeps no SLT action log/);
  });
});
