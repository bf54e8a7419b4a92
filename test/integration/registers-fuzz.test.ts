// Generated bad and odd requests to the registers' routes, through the real app
// on a real PostgreSQL (fast-check): never a 5xx, never a stack or a query in
// a body, another authority's entries never answered, and the registers
// working afterwards.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEAKS } from "../fuzz/requests.ts";
import { type TestApp, testApp } from "../support/app.ts";

let t: TestApp;
let ids: { action: string; entry: string };
beforeAll(async () => {
  t = await testApp("2027-04-20T10:00:00Z");
  const action = await t.call("newham", "POST", "/registers/slt-actions", { action: "A", owner: "O", agreedOn: "2027-01-18" });
  const entry = await t.call("wf", "POST", "/registers/good-practice", {
    noticedOn: "2027-03-10",
    procedure: "iro",
    team: "cic-1",
    about: "team",
    description: "D",
    noticedBy: { name: "Ivy Reviewer", email: "ivy@example.org", role: "iro" },
  });
  ids = { action: action.body.id, entry: entry.body.id };
});
afterAll(async () => t?.close());

const nasty = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "",
      " ",
      "\u0000",
      "a\u0000b",
      "\ud800",
      "\r\nBcc: x@y",
      "<script>",
      "'; drop table slt_actions; --",
      "__proto__",
      "💥",
      "\u202e",
    ),
  },
  fc.constantFrom("2027-02-30", "1999-01-01", "2051-01-01", "2027-13-01", "2050-12-31", "2027-Q5", "2000-Q1", "2049-12", "9999-Q1"),
  fc.string({ maxLength: 30 }),
  fc.integer({ min: 1, max: 4 }).map((n) => "x".repeat(10 ** n * 3)),
);
const value = fc.oneof(
  { weight: 4, arbitrary: nasty },
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
  fc.array(nasty, { maxLength: 2 }),
  fc.object({ maxDepth: 1 }),
);
/** A valid body with one field bent (replaced by something odd, or left out), and now and then an unknown one beside it. */
const body = (valid: Record<string, unknown>) =>
  fc
    .tuple(
      fc.nat(),
      fc.option(value, { nil: undefined }),
      fc.option(fc.tuple(fc.constantFrom("__proto__", "extra", "constructor"), value), { nil: undefined }),
    )
    .map(([n, odd, extra]) => {
      const b: Record<string, unknown> = { ...valid };
      const key = Object.keys(valid)[n % Object.keys(valid).length]!;
      if (odd === undefined) delete b[key];
      else b[key] = odd;
      if (extra) b[extra[0]] = extra[1];
      return b;
    });
const maybe = (a: fc.Arbitrary<string>, valid: string) => fc.oneof({ weight: 2, arbitrary: fc.constant(valid) }, fc.constant(undefined), a);
const query = (params: Record<string, string | undefined>) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${q(v!)}`)
    .join("&");
const q = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return "%ED%A0%80";
  }
};

describe("generated requests to the registers", () => {
  it("answers 800 of them without a 5xx or a leak, and still works", async () => {
    const id = fc.oneof(
      fc.constant("own"),
      fc.constant("other"),
      fc.uuid(),
      nasty.map(q),
      fc.constantFrom("NEW-ACT-2027-0001", "WF-GP-2027-0001"),
    );
    const request = fc.oneof(
      body({ action: "A", owner: "O", agreedOn: "2027-01-18", dueOn: "2027-05-01" }).map((b) => ({
        method: "POST" as const,
        url: "/registers/slt-actions",
        b,
      })),
      fc
        .tuple(id, body({ on: "2027-04-19", note: "N", version: 1 }))
        .map(([i, b]) => ({ method: "POST" as const, url: `/registers/slt-actions/${i}/progress`, b })),
      fc
        .tuple(id, body({ status: "done", on: "2027-04-19", dueOn: null, note: "N", version: 2 }))
        .map(([i, b]) => ({ method: "PATCH" as const, url: `/registers/slt-actions/${i}`, b })),
      fc
        .tuple(maybe(nasty, "2027-Q1"), maybe(nasty, "open"))
        .map(([period, status]) => ({ method: "GET" as const, url: `/registers/slt-actions?${query({ period, status })}`, b: undefined })),
      body({
        noticedOn: "2027-03-10",
        procedure: "iro",
        team: "cic-1",
        about: "team",
        disputeReference: "WF-2027-0001",
        childRef: "W-1",
        description: "D",
        noticedBy: { name: "Ivy Reviewer", email: "ivy@example.org", role: "iro" },
        recordedBy: { name: "Bea Support", email: "bea@example.org" },
      }).map((b) => ({ method: "POST" as const, url: "/registers/good-practice", b })),
      fc.tuple(maybe(nasty, "2027-03"), maybe(nasty, "iro"), maybe(nasty, "cic-1")).map(([period, procedure, team]) => ({
        method: "GET" as const,
        url: `/registers/good-practice?${query({ period, procedure, team })}`,
        b: undefined,
      })),
      id.map((i) => ({ method: "GET" as const, url: `/registers/good-practice/${i}`, b: undefined })),
    );
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, fc.nat(5), async (r, pick) => {
        // mostly the authority that keeps the register, now and then one that does not or another
        const authority =
          pick < 4
            ? r.url.includes("slt-actions")
              ? "newham"
              : "wf"
            : pick === 4
              ? "birmingham"
              : r.url.includes("slt-actions")
                ? "wf"
                : "newham";
        const url = r.url
          .replace("/own", `/${authority === "wf" ? ids.entry : ids.action}`)
          .replace("/other", `/${authority === "wf" ? ids.action : ids.entry}`);
        const res = await t.app.inject({
          method: r.method,
          url,
          headers: { authorization: `Bearer ${t.keys[authority]}`, ...(r.b ? { "content-type": "application/json" } : {}) },
          payload: r.b === undefined ? undefined : JSON.stringify(r.b),
        });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        expect(res.statusCode, `${r.method} ${url} ${JSON.stringify(r.b)?.slice(0, 200)}`).toBeLessThan(500);
        expect(res.body).not.toMatch(LEAKS);
      }),
      { numRuns: 800 },
    );
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([400, 404]));
    // another authority's action, by its id, is still not found; the owner still reads it
    expect((await t.call("wf", "GET", `/registers/slt-actions/${ids.action}`)).status).toBe(404);
    expect((await t.call("newham", "GET", `/registers/slt-actions/${ids.action}`)).status).toBe(200);
    expect((await t.call("wf", "GET", `/registers/good-practice/${ids.entry}`)).status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);
});
