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

describe("reports for every year the calendar covers", () => {
  it("answers GET /reports for a month and a quarter of every year 2000–2050, for every authority, without a 5xx", async () => {
    const statuses = new Map<number, number>();
    for (let year = 2000; year <= 2050; year++)
      for (const authority of ["birmingham", "gloucestershire", "wf", "newham", "national"])
        for (const period of [`${year}-${year % 2 ? "Q1" : "Q4"}`, `${year}-${String((year % 12) + 1).padStart(2, "0")}`]) {
          const csv = year % 5 === 0 ? "&format=csv" : "";
          const r = await t.app.inject({
            method: "GET",
            url: `/reports?period=${period}${csv}`,
            headers: { authorization: `Bearer ${t.keys[authority]}` },
          });
          statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
          expect(r.statusCode, `${authority} ${period}: ${r.body.slice(0, 200)}`).toBeLessThan(500);
          expect(r.body).not.toMatch(LEAKS);
        }
    // both kinds of answer: the years before the calendar's second and after today are refused, the rest answered
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
  }, 300_000);
});

describe("the action links' forms", () => {
  it(`answers ${Math.round(RUNS / 5)} generated form posts, from the page and not, without a 5xx or a leak`, async () => {
    const { linkKeys, linkSecret, sealLink } = await import("../../src/links/token.ts");
    const keys = linkKeys(linkSecret());
    const iat = Math.floor(t.svc.clock.now().getTime() / 1000);
    // a post that is good enough moves the dispute on: the next run gets a link to it as it now is, or to a new one once closed
    let target = (await t.call("birmingham", "POST", "/disputes", raiseBody({ childRef: "FUZZ-FORM" }))).body.id as string;
    const link = async (act: "respond" | "extend" | "resolve" | "escalate" | "refer") => {
      let d = (await t.call("birmingham", "GET", `/disputes/${target}`)).body as { version: number; status: string };
      if (d.status !== "open") {
        target = (await t.call("birmingham", "POST", "/disputes", raiseBody({ childRef: "FUZZ-FORM" }))).body.id;
        d = (await t.call("birmingham", "GET", `/disputes/${target}`)).body;
      }
      const [r, e] = act === "respond" ? ["team_manager", "tm-north@birmingham.example.org"] : ["instigator", "ivy.reviewer@example.org"];
      return `/act/${await sealLink(keys, { v: 2, a: "birmingham", d: target, r, e, act, ver: d.version, iat, exp: iat + 86_400 })}`;
    };
    const field = fc.oneof(
      fc.constantFrom("csrf", "note", "timescale", "date-day", "date-month", "date-year", "confirmed", "__proto__", "constructor"),
      fc.string({ maxLength: 12 }),
    );
    const value = fc.oneof(
      fc.constantFrom("", "1", "31", "2", "2026", "2051", "1999", "0000", "99999", "a\u0000b", "\ud800", "<b>x</b>", "x".repeat(30_000)),
      fc.string({ maxLength: 30 }),
    );
    const form = fc.array(fc.tuple(field, value), { maxLength: 8 });
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("respond", "extend", "resolve", "escalate", "refer" as const),
        form,
        fc.boolean(),
        fc.constantFrom("form", "json", "text"),
        async (act, pairs, fromPage, kind) => {
          const url = await link(act);
          const page = fromPage ? await t.app.inject({ method: "GET", url }) : undefined;
          const csrf = page ? (/name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "") : "made-up";
          const cookie = page ? String(page.headers["set-cookie"] ?? "").split(";")[0]! : "";
          const all = [["csrf", csrf], ...pairs] as [string, string][];
          const body =
            kind === "form"
              ? all
                  .map(
                    ([k, v]) =>
                      `${encodeURIComponent(k)}=${(() => {
                        try {
                          return encodeURIComponent(v);
                        } catch {
                          return "%ED%A0%80";
                        }
                      })()}`,
                  )
                  .join("&")
              : kind === "json"
                ? JSON.stringify(Object.fromEntries(all))
                : "csrf=x";
          const type = kind === "form" ? "application/x-www-form-urlencoded" : kind === "json" ? "application/json" : "text/plain";
          const r = await t.app.inject({
            method: "POST",
            url,
            headers: { "content-type": type, ...(cookie ? { cookie } : {}) },
            payload: body,
          });
          statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
          expect(r.statusCode, `${kind} ${body.slice(0, 200)}`).toBeLessThan(500);
          expect(r.body).not.toMatch(LEAKS);
        },
      ),
      { numRuns: Math.round(RUNS / 5) },
    );
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([400, 403]));
  }, 300_000);
});
