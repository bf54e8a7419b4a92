// `drp demo` with a running worker on the same Redis: within a minute every
// kind of email a dispute, a review, a report or a register produces has been
// sent. (The failure list goes at a worker's start: npm-demo.test.ts.)
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.ts";
import { NOTIFICATION_KINDS } from "../../src/domain/planner.ts";
import { until } from "../support/mail-sink.ts";
import { type Stack, startStack } from "../support/worker.ts";

let s: Stack;
const NOW = "2026-11-24T10:00:00Z";
beforeAll(async () => {
  // the review and report sweeps look often here (every minute and quarter-hour in production)
  Object.assign(process.env, { DRP_REVIEWS_MS: "300", DRP_REPORTS_MS: "300", DRP_REGISTERS_MS: "300" });
  s = await startStack(NOW);
  await s.startWorker({ concurrency: 8 });
}, 60_000);
afterAll(async () => {
  for (const k of ["DATABASE_URL", "REDIS_URL", "DRP_NOW", "DRP_REVIEWS_MS", "DRP_REPORTS_MS", "DRP_REGISTERS_MS"]) delete process.env[k];
  await s?.stop();
});

describe("drp demo", () => {
  it("has every kind of email sent within a minute", async () => {
    Object.assign(process.env, { DATABASE_URL: s.dbUrl, REDIS_URL: s.redis.url, DRP_NOW: s.svc.clock.now().toISOString() });
    let out = "";
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((c) => ((out += String(c)), true));
    let code: number;
    try {
      code = await main(["demo", "--json"]);
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(0);
    const made = JSON.parse(out).disputes as { authority: string }[];
    expect(new Set(made.map((d) => d.authority))).toEqual(new Set(["birmingham", "gloucestershire", "wf", "newham", "national"]));
    const kinds = () => new Set(s.sink.received.map((r) => String(r.headers.get("x-drp-kind"))));
    // the notices of a bounce or an automatic reply come from the bounce mailbox: npm-demo.test.ts and bounces.test.ts
    const expected = NOTIFICATION_KINDS.filter((k) => k !== "delivery_failed" && k !== "recipient_away");
    await until(() => expected.every((k) => kinds().has(k)), "every kind of email", 60_000);
    // and the reviews' and the reports' (the period just ended, as if the system had run through it)
    const json = JSON.parse(out) as { reviews: string[]; reports: string[] };
    expect(json.reviews.length).toBeGreaterThan(0);
    expect(json.reports.length).toBeGreaterThan(0);
    await until(
      () =>
        [
          "review_agreed",
          "review_overdue",
          "review_due",
          "review_reminder",
          "report",
          "report_holder_list",
          "good_practice_recorded",
        ].every((k) => kinds().has(k)),
      "the reviews' and reports' emails",
      60_000,
    ).catch((e) => {
      throw new Error(`${e.message}: had ${[...kinds()].sort().join(", ")}`);
    });
    // a second demo on the first is refused, not piled on
    const again = await main(["demo"]);
    expect(again).toBe(1);
    // the unstaffed demo team's emails reach the QA inbox with the banner
    expect(s.sink.received.some((r) => r.text.includes("No one holds the role"))).toBe(true);
    // and nothing was sent twice
    const keys = s.sink.received.map((r) => `${r.to.join()}|${r.key}`);
    expect(new Set(keys).size).toBe(keys.length);
  }, 90_000);
});
