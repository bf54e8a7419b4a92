// What the worker holds back and what it still sends: Sunday, a refused
// address among several, and the QA inbox's list of what did not arrive.
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { outbox } from "../../src/db/schema.ts";
import { maintenanceQueue, notifyQueue } from "../../src/queue/queues.ts";
import { redisOptions } from "../../src/queue/redis-client.ts";
import { raiseDispute } from "../../src/service/disputes.ts";
import type { RaiseInput } from "../../src/service/inputs.ts";
import { until } from "../support/mail-sink.ts";
import { type Stack, startStack } from "../support/worker.ts";

const stacks: Stack[] = [];
afterAll(async () => {
  for (const s of stacks) await s.stop();
});
const ivy = { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" as const };
const raise = (s: Stack, over: Partial<RaiseInput>) =>
  raiseDispute(s.svc, "birmingham", {
    procedure: "iro",
    childRef: "S-1",
    raisedBy: ivy,
    team: "cla-north",
    stage: 1,
    categories: ["other"],
    summary: "x",
    ...over,
  } as RaiseInput);

describe("sending hours", () => {
  it("holds an email that falls due on a Sunday until Monday's opening", async () => {
    const s = await startStack("2026-11-29T10:00:00Z"); // Sunday
    stacks.push(s);
    await s.startWorker();
    const d = await raise(s, { at: s.svc.clock.now() });
    const q = notifyQueue(redisOptions(s.redis.url));
    await until(async () => (await q.getDelayedCount()) > 0, "the jobs to be queued", 10_000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(s.sink.received).toHaveLength(0);
    // the dispute's one job waits for Monday's opening
    const job = (await q.getJob(`d.${d.dispute.id}`))!;
    expect(await job.getState()).toBe("delayed");
    expect(job.data.disputeId).toBe(d.dispute.id);
    // due Monday 09:00 GMT: about 23 hours from the clock's Sunday 10:00
    const wait = job.timestamp + (job.opts.delay ?? 0) - Date.now();
    expect(wait).toBeGreaterThan(22 * 3_600_000);
    expect(wait).toBeLessThan(24 * 3_600_000);
    await q.close();
  }, 60_000);
});

describe("a refused address", () => {
  it("does not hold up the other addressees, and is listed for the QA inbox", async () => {
    const s = await startStack("2026-11-24T10:00:00Z");
    stacks.push(s);
    s.sink.refuseTo.add(ivy.email);
    await s.startWorker({ retry: { attempts: 2, baseDelayMs: 100 } });
    // raised 16 working days ago: the 20-working-day warning is due, to the IRO, the IRO Service AHoS and the QA inbox
    const d = await raise(s, { at: new Date("2026-10-30T10:00:00Z") });
    const warningKey = (role: string) => `${d.dispute.id}:overall_warning:2026-11-27/${role}`;
    // the IRO's warning is folded into the IRO's prompt, due with it; the others went on their own
    await until(
      async () => {
        const rows = await s.svc.db.select().from(outbox).where(eq(outbox.kind, "overall_warning"));
        return rows.length === 3 && rows.every((r) => r.status === "sent" || r.status === "skipped");
      },
      "the warning's three emails",
      20_000,
    );
    const warning = s.sink.received.filter((r) => String(r.headers.get("x-drp-kind")) === "overall_warning");
    expect(warning.map((r) => r.to.join()).sort()).toEqual(["iro-ahos@birmingham.example.org", "qa-inbox@birmingham.example.org"]);
    const [row] = await s.svc.db
      .select()
      .from(outbox)
      .where(eq(outbox.key, warningKey("instigator")));
    expect(row).toMatchObject({ status: "skipped" });
    expect(row!.reason).toMatch(/^folded: sent as one email with the escalation prompt/);
    // the escalation prompt, to the IRO alone, is refused at every attempt: failed after its retries
    await until(
      async () => {
        const rows = await s.svc.db.select().from(outbox).where(eq(outbox.kind, "escalation_prompt"));
        return rows.some((r) => r.status === "failed");
      },
      "the prompt to fail",
      20_000,
    );
    const q = maintenanceQueue(redisOptions(s.redis.url));
    await q.add("failure_digest", { task: "failure_digest" });
    await until(() => s.sink.received.some((r) => String(r.headers.get("x-drp-kind")) === "failure_digest"), "the failure list", 20_000);
    await q.close();
    const list = s.sink.received.find((r) => String(r.headers.get("x-drp-kind")) === "failure_digest")!;
    expect(list.to).toEqual(["qa-inbox@birmingham.example.org"]);
    expect(list.text).toContain(`${d.dispute.reference}: escalation prompt for the instigator`);
    expect(list.text).toMatch(/gave up after 2 attempts/);
  }, 60_000);
});
