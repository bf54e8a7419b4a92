// At least 2,000 generated bad and odd requests through the real app on a
// real PostgreSQL (fast-check): never a 5xx, never a stack or a query in a
// body, and the app healthy and working afterwards.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FuzzRequest, fuzzRequests, LEAKS } from "../fuzz/requests.ts";
import { raiseBody, type TestApp, testApp } from "../support/app.ts";

let t: TestApp;
let ids: { own: string; other: string };
beforeAll(async () => {
  t = await testApp("2026-11-23T10:00:00Z");
  const own = await t.call("birmingham", "POST", "/disputes", raiseBody({ childRef: "FUZZ-OWN" }));
  const other = await t.call(
    "newham",
    "POST",
    "/disputes",
    raiseBody({ childRef: "FUZZ-OTHER", team: "cla-a", categories: ["placement"] }),
  );
  ids = { own: own.body.id, other: other.body.id };
});
afterAll(async () => t?.close());

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);

async function send(r: FuzzRequest) {
  const headers = { ...r.headers };
  headers.authorization = (headers.authorization ?? "").replace("{own}", t.keys.birmingham!).replace("{other}", t.keys.newham!);
  if (!headers.authorization) delete headers.authorization;
  return t.app.inject({ method: r.method, url: r.url, headers, payload: r.body });
}

describe("generated requests", () => {
  it(`answers ${RUNS} of them without a 5xx or a leak, and stays healthy`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fuzzRequests(ids), async (r) => {
        const res = await send(r);
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        expect(res.statusCode, `${r.method} ${r.url} ${r.body?.slice(0, 200)}`).toBeLessThan(500);
        expect(res.body, `${r.method} ${r.url}`).not.toMatch(LEAKS);
      }),
      { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
    // every kind of answer was met, not only refusals
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200, 400, 401, 404]));
    expect((await t.call(null, "GET", "/readyz")).body).toEqual({ status: "ready" });
    const still = await t.call("birmingham", "POST", "/disputes", raiseBody({ childRef: "FUZZ-AFTER" }));
    expect(still.status).toBe(201);
    // no prototype was polluted on the way
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 300_000);
});
