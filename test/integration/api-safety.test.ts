// Tenant isolation, authentication, concurrency, logs and bad input.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { raiseBody, type TestApp, testApp } from "../support/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await testApp("2026-11-23T10:00:00Z");
});
afterAll(async () => t?.close());

const SECRET_SUMMARY = "Summary with a name-like phrase Jamie Placeholder and private detail 7f3a";
const SECRET_CHILD = "CHILD-REF-SECRET-4421";

describe("tenant isolation", () => {
  it("keeps one authority's disputes out of another's reach: read, list or change", async () => {
    const mine = await t.call("newham", "POST", "/disputes", raiseBody({ team: "cla-a", categories: ["placement"], childRef: "NEW-1" }));
    expect(mine.status).toBe(201);
    const id = mine.body.id;
    expect((await t.call("birmingham", "GET", `/disputes/${id}`)).status).toBe(404);
    const list = await t.call("birmingham", "GET", "/disputes");
    expect(list.body.disputes.map((d: { id: string }) => d.id)).not.toContain(id);
    for (const path of ["responses", "escalate", "extend", "resolve", "cafcass-consultation", "cafcass-referral", "withdraw"]) {
      const r = await t.call("birmingham", "POST", `/disputes/${id}/${path}`, path === "extend" ? { workingDays: 1 } : {});
      expect(r.status, path).toBe(404);
    }
    const still = await t.call("newham", "GET", `/disputes/${id}`);
    expect(still.body).toMatchObject({ status: "open", version: 1, stage: 1 });
    // and the other authority's directory is not reachable either
    const dir = await t.call("birmingham", "GET", "/directory");
    expect(JSON.stringify(dir.body)).not.toContain("newham.example.org");
  });

  it("refuses requests without a key or with an unknown one", async () => {
    expect((await t.call(null, "GET", "/disputes")).status).toBe(401);
    const r = await t.app.inject({ method: "GET", url: "/disputes", headers: { authorization: "Bearer drp_not-a-real-key" } });
    expect(r.statusCode).toBe(401);
    expect(r.json().message).toMatch(/unknown or revoked/);
  });

  it("stores keys hashed, never as given", async () => {
    const { apiKeys } = await import("../../src/db/schema.ts");
    const rows = await t.handle.db.select().from(apiKeys);
    for (const row of rows) {
      expect(Object.values(t.keys)).not.toContain(row.keyHash);
      expect(row.keyHash).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});

describe("two escalations of one dispute at the same moment", () => {
  it("lets exactly one through", async () => {
    for (const body of [{}, { toStage: 2 }]) {
      const d = await t.call("birmingham", "POST", "/disputes", raiseBody({ childRef: `RACE-${JSON.stringify(body).length}` }));
      const [a, b] = await Promise.all([
        t.call("birmingham", "POST", `/disputes/${d.body.id}/escalate`, body),
        t.call("birmingham", "POST", `/disputes/${d.body.id}/escalate`, body),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const after = await t.call("birmingham", "GET", `/disputes/${d.body.id}`);
      expect(after.body.stage).toBe(2);
      expect(after.body.timeline.filter((e: { type: string }) => e.type === "escalated")).toHaveLength(1);
    }
  });

  it("lets two escalations in turn through: with the version, or once the click that made the first has passed", async () => {
    const d = await t.call("birmingham", "POST", "/disputes", raiseBody({ childRef: "SEQ-1" }));
    const first = await t.call("birmingham", "POST", `/disputes/${d.body.id}/escalate`, {});
    expect(first.body.stage).toBe(2);
    // the same click again, moments later: refused, not applied
    const again = await t.call("birmingham", "POST", `/disputes/${d.body.id}/escalate`, {});
    expect(again.status).toBe(409);
    expect(again.body.error).toBe("concurrent_step");
    // a client that saw stage 2 says so, and goes on
    expect((await t.call("birmingham", "POST", `/disputes/${d.body.id}/escalate`, { version: first.body.version })).body.stage).toBe(3);
    t.clock.advance(11_000);
    expect((await t.call("birmingham", "POST", `/disputes/${d.body.id}/escalate`, {})).body.stage).toBe(4);
  });

  it("honours If-Match / version for clients that send it", async () => {
    const d = await t.call("birmingham", "POST", "/disputes", raiseBody({ childRef: "VER-1" }));
    const stale = await t.call("birmingham", "POST", `/disputes/${d.body.id}/escalate`, {}, { "if-match": '"7"' });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toBe("version_mismatch");
    expect((await t.call("birmingham", "POST", `/disputes/${d.body.id}/escalate`, { version: 1 })).status).toBe(200);
  });
});

describe("logs", () => {
  it("never carry a dispute's summary or the child's reference", async () => {
    const before = t.logs.length;
    const d = await t.call(
      "wf",
      "POST",
      "/disputes",
      raiseBody({ team: "cic-1", stage: 2, categories: ["permanence_drift"], childRef: SECRET_CHILD, summary: SECRET_SUMMARY }),
    );
    expect(d.status).toBe(201);
    await t.call("wf", "GET", `/disputes/${d.body.id}`);
    await t.call("wf", "POST", `/disputes/${d.body.id}/responses`, { note: SECRET_SUMMARY });
    await t.call("wf", "POST", `/disputes/${d.body.id}/escalate`, { toStage: 9 });
    await t.call("wf", "POST", "/disputes", raiseBody({ team: "nope", childRef: SECRET_CHILD, summary: SECRET_SUMMARY }));
    await t.call("wf", "GET", `/disputes?status=open&childRef=${SECRET_CHILD}`);
    const lines = t.logs.slice(before);
    expect(lines.length).toBeGreaterThan(5);
    for (const line of t.logs) {
      expect(line).not.toContain(SECRET_CHILD);
      expect(line).not.toContain("Jamie Placeholder");
      expect(line).not.toContain("7f3a");
    }
    expect(lines.some((l) => l.includes('"msg":"dispute raised"'))).toBe(true);
  });
});

describe("bad input", () => {
  const endpoints = ["/disputes", "/disputes/00000000-0000-4000-8000-000000000000/escalate", "/disputes/not-a-uuid/extend"];

  it("answers malformed bodies with a 4xx and a message, never a 500", async () => {
    const d = await t.call("birmingham", "POST", "/disputes", raiseBody({ childRef: "FUZZ-TARGET" }));
    const steps = [
      ...endpoints.slice(1),
      `/disputes/${d.body.id}/extend`,
      `/disputes/${d.body.id}/responses`,
      `/disputes/${d.body.id}/escalate`,
    ];
    const notAnObject = fc.oneof(fc.array(fc.anything()), fc.string(), fc.integer(), fc.boolean());
    const badStage = fc.oneof(
      fc.string(),
      fc.constant(null),
      fc.integer({ min: 21, max: 10_000 }),
      fc.integer({ max: -1 }),
      fc.double({ min: 0.1, max: 0.9 }),
    );
    // a raise body that is wrong in at least its stage, and maybe in much else
    const badRaise = fc.record(
      {
        procedure: fc.oneof(fc.constantFrom("iro", "cp", "xyz"), fc.anything()),
        childRef: fc.oneof(fc.string(), fc.integer()),
        raisedBy: fc.oneof(fc.record({ name: fc.string(), email: fc.string(), role: fc.string() }), fc.anything()),
        team: fc.oneof(fc.constantFrom("cla-north", ""), fc.anything()),
        stage: badStage,
        categories: fc.oneof(fc.array(fc.string()), fc.anything()),
        summary: fc.oneof(fc.string(), fc.anything()),
        at: fc.oneof(
          fc.string(),
          fc.date({ noInvalidDate: true }).map((x) => x.toISOString()),
        ),
      },
      { requiredKeys: ["stage"] },
    );
    // a step body whose `at` is never an instant, whatever else it holds
    const badStep = fc.record(
      {
        at: fc.string().map((x) => `x${x}`),
        toStage: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.string()),
        workingDays: fc.oneof(fc.double({ min: 0.1, max: 0.9 }), fc.string()),
        until: fc.string(),
        version: fc.oneof(fc.string(), fc.integer({ max: 0 })),
      },
      { requiredKeys: ["at"] },
    );
    const cases = fc.oneof(
      fc.tuple(fc.constant("/disputes"), fc.oneof(badRaise, notAnObject)),
      fc.tuple(fc.constantFrom(...steps), fc.oneof(badStep, notAnObject)),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ([url, b]) => {
        const r = await t.call("birmingham", "POST", url, JSON.stringify(b ?? null));
        expect(r.status, `${url} ${JSON.stringify(b)} → ${JSON.stringify(r.body)}`).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
        expect(typeof r.body?.message).toBe("string");
        expect(r.body.message.length).toBeGreaterThan(3);
      }),
      { numRuns: 200 },
    );
    // and whatever arrives, the dispute it aimed at is still whole
    expect((await t.call("birmingham", "GET", `/disputes/${d.body.id}`)).body).toMatchObject({ version: 1, stage: 1 });
  });

  it("names the field at fault", async () => {
    const r = await t.call("birmingham", "POST", "/disputes", raiseBody({ raisedBy: { name: "I", email: "nope", role: "iro" } }));
    expect(r.status).toBe(400);
    expect(r.body.issues).toEqual([expect.objectContaining({ field: "raisedBy.email" })]);
    const bad = await t.call("birmingham", "POST", "/disputes", "{not json");
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/not valid JSON/);
  });
});

describe("service endpoints", () => {
  it("serve health, readiness and the OpenAPI document", async () => {
    expect((await t.call(null, "GET", "/healthz")).body).toEqual({ status: "ok" });
    expect((await t.call(null, "GET", "/readyz")).body).toEqual({ status: "ready" });
    const doc = await t.call(null, "GET", "/openapi.json");
    expect(doc.body.openapi).toMatch(/^3\./);
    for (const p of ["/disputes", "/disputes/{id}", "/disputes/{id}/escalate", "/disputes/{id}/cafcass-referral", "/directory"])
      expect(Object.keys(doc.body.paths)).toContain(p);
  });

  it("replace the directory atomically and refuse a bad one naming the field", async () => {
    const bad = await t.call("national", "PUT", "/directory", {
      people: [{ id: "a", name: "A", email: "a@example.org" }],
      teams: [{ id: "t", name: "T", service: "missing" }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([expect.objectContaining({ field: "teams[0].service" })]);
    const kept = await t.call("national", "GET", "/directory/resolve?team=cic-team&role=team_manager");
    expect(kept.body).toMatchObject({ heldAt: "team", people: [{ name: "Timo Example" }] });
    const gap = await t.call("national", "GET", "/directory/resolve?team=cic-team&role=chief_executive");
    expect(gap.body.gap).toMatch(/no one holds role chief_executive for team cic-team/);
  });
});
