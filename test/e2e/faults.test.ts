// Faults, each ending with every expected email sent exactly once (counted by
// recipient and X-DRP-Key in a real SMTP server): a worker killed mid-batch
// and restarted; two workers at once; Redis flushed and rebuilt by the
// reconciler; SMTP refusing for a while; and an email given up on, reported
// in the QA inbox's failure list.
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { outbox } from "../../src/db/schema.ts";
import { maintenanceQueue } from "../../src/queue/queues.ts";
import { redisConnection, redisOptions } from "../../src/queue/redis.ts";
import { raiseDispute } from "../../src/service/disputes.ts";
import type { RaiseInput } from "../../src/service/inputs.ts";
import { type Received, until } from "../support/mail-sink.ts";
import { type Stack, spawnWorker, startStack } from "../support/worker.ts";

const stacks: Stack[] = [];
afterAll(async () => {
  for (const s of stacks) await s.stop();
});

const ivy = { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" as const };
async function raiseMany(s: Stack, authority: string, team: string, n: number, at: Date, over: Partial<RaiseInput> = {}) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await raiseDispute(s.svc, authority, {
      procedure: "iro",
      childRef: `K-${i}`,
      raisedBy: ivy,
      team,
      stage: 1,
      categories: ["other"],
      summary: "x",
      at,
      ...over,
    } as RaiseInput);
    ids.push(r.dispute.id);
  }
  return ids;
}

/** What a mailbox shows: one message per Message-ID. */
function visible(received: Received[]): Map<string, Set<string>> {
  const byKey = new Map<string, Set<string>>();
  for (const r of received)
    for (const to of r.to) {
      const k = `${to}|${r.key}`;
      (byKey.get(k) ?? byKey.set(k, new Set()).get(k)!).add(r.messageId);
    }
  return byKey;
}

const mine = (s: Stack, ids: string[]) => s.sink.received.filter((r) => ids.some((id) => r.key.startsWith(id)));

describe("worker processes", () => {
  const NOW = "2026-11-24T10:00:00Z";

  it("a worker killed (SIGKILL) mid-batch and restarted: every email once", async () => {
    const s = await startStack(NOW);
    stacks.push(s);
    const ids = await raiseMany(s, "birmingham", "cla-north", 60, s.svc.clock.now());
    s.sink.delayMs = 100;
    // a send lease longer than BullMQ's job lock: the restarted worker meets
    // the dead worker's claims still standing and must come back for them
    const lease = { DRP_SEND_LEASE_MS: "4000" };
    const first = spawnWorker(s, NOW, lease);
    await until(() => mine(s, ids).length >= 15, "the first 15 emails", 60_000);
    first.child.kill("SIGKILL");
    const killedAt = mine(s, ids).length;
    expect(killedAt).toBeLessThan(60);
    const second = spawnWorker(s, s.svc.clock.now().toISOString(), lease);
    const sentRows = async () =>
      (await s.svc.db.select().from(outbox).where(eq(outbox.status, "sent"))).filter((r) => ids.includes(r.disputeId!));
    try {
      await until(async () => (await sentRows()).length >= 60, "all 60 emails marked sent after the restart", 20_000).catch(async (e) => {
        const rows = (await s.svc.db.select().from(outbox)).filter((r) => ids.includes(r.disputeId!) && r.status !== "sent");
        console.log(
          "STUCK",
          JSON.stringify(rows.map((r) => [r.key.slice(0, 12), r.status, r.attempts, r.lockExpiresAt, r.lastError])),
          first.stderr().slice(-2000),
          "SECOND",
          second.stderr().slice(-3000),
        );
        throw e;
      });
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      second.child.kill("SIGTERM");
    }
    const seen = visible(mine(s, ids));
    expect(seen.size).toBe(60);
    // a resend after the kill is the same message (same Message-ID): a mailbox shows it once
    for (const messageIds of seen.values()) expect(messageIds.size).toBe(1);
    // raw re-deliveries can only be the few the killed worker had in flight at the SMTP server
    expect(mine(s, ids).length - 60).toBeLessThanOrEqual(4);
    expect(await sentRows()).toHaveLength(60);
  }, 120_000);

  it("two workers at once: every email once", async () => {
    const s = stacks[0]!;
    const ids = await raiseMany(s, "newham", "cla-a", 40, s.svc.clock.now());
    s.sink.delayMs = 20;
    const a = spawnWorker(s, s.svc.clock.now().toISOString());
    const b = spawnWorker(s, s.svc.clock.now().toISOString());
    try {
      await until(() => visible(mine(s, ids)).size >= 40, "40 emails from two workers", 60_000);
      await new Promise((r) => setTimeout(r, 2000));
    } finally {
      a.child.kill("SIGTERM");
      b.child.kill("SIGTERM");
    }
    const got = mine(s, ids);
    expect(got).toHaveLength(40);
    expect(new Set(got.map((r) => r.key)).size).toBe(40);
  }, 120_000);
});

describe("in one process", () => {
  it("Redis flushed: the reconciler rebuilds the jobs and nothing is lost or doubled", async () => {
    // Four seconds before close of business on the day a Birmingham stage is due.
    const s = await startStack("2026-11-24T16:59:56Z");
    stacks.push(s);
    const [id] = await raiseMany(s, "birmingham", "cla-north", 1, new Date("2026-11-10T10:00:00Z"));
    const w = await s.startWorker({ reconcileEveryMs: 500 });
    await until(() => mine(s, [id!]).length >= 3, "the emails due now", 20_000);
    const redis = redisConnection(s.redis.url);
    await redis.flushall();
    redis.disconnect();
    await until(() => mine(s, [id!]).length >= 5, "the overdue notice and the prompt at 17:00", 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    await w.stop();
    const kinds = mine(s, [id!])
      .map((r) => String(r.headers.get("x-drp-kind")))
      .sort();
    expect(kinds).toEqual(["due_today", "escalation_prompt", "overdue", "reminder", "stage_raised"]);
  }, 60_000);

  it("SMTP refusing for a while, then recovering: every email once", async () => {
    const s = await startStack("2026-11-24T10:00:00Z");
    stacks.push(s);
    s.sink.refusing = true;
    const w = await s.startWorker({ retry: { attempts: 8, baseDelayMs: 200 } });
    const ids = await raiseMany(s, "wf", "cic-1", 10, s.svc.clock.now(), { stage: 2 });
    await until(
      async () => {
        const rows = await s.svc.db.select().from(outbox).where(eq(outbox.kind, "stage_raised"));
        return rows.filter((r) => r.attempts >= 2).length >= 10;
      },
      "two refused attempts each",
      30_000,
    );
    expect(mine(s, ids)).toHaveLength(0);
    s.sink.refusing = false;
    await until(() => mine(s, ids).length >= 10, "10 emails after recovery", 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    await w.stop();
    expect(mine(s, ids)).toHaveLength(10);
    expect(new Set(mine(s, ids).map((r) => r.key)).size).toBe(10);
  }, 60_000);

  it("an email given up on is marked failed and listed for the QA inbox", async () => {
    const s = stacks[stacks.length - 1]!;
    s.sink.refusing = true;
    const w = await s.startWorker({ retry: { attempts: 2, baseDelayMs: 100 } });
    // a team whose manager's mailbox refuses everything
    const { demoDirectory } = await import("../support/app.ts");
    const { importDirectory, parseDirectory } = await import("../../src/service/directory.ts");
    const dir = demoDirectory("wf") as {
      people: { id: string; name: string; email: string }[];
      teams: { id: string; name: string; service: string; roles: Record<string, string> }[];
    };
    dir.people.push({ id: "tm-cic2", name: "Tom Example", email: "tm-cic2@wf.example.org" });
    dir.teams.push({ id: "cic-2", name: "Children in Care 2", service: "cic", roles: { team_manager: "tm-cic2" } });
    await importDirectory(s.svc, parseDirectory(s.svc, dir));
    const [id] = await raiseMany(s, "wf", "cic-2", 1, s.svc.clock.now(), { stage: 2 });
    await until(
      async () => {
        const [row] = await s.svc.db
          .select()
          .from(outbox)
          .where(eq(outbox.key, `${id}:s2:e0:stage_raised/team_manager`));
        return row?.status === "failed";
      },
      "the email to be given up on",
      30_000,
    );
    s.sink.refusing = false;
    const q = maintenanceQueue(redisOptions(s.redis.url));
    await q.add("failure_digest", { task: "failure_digest" });
    await until(() => s.sink.received.some((r) => String(r.headers.get("x-drp-key")).startsWith("digest:wf:")), "the failure list", 30_000);
    await q.close();
    await w.stop();
    const digest = s.sink.received.find((r) => r.key.startsWith("digest:wf:"))!;
    expect(digest.to).toEqual(["qa-inbox@wf.example.org"]);
    expect(digest.text).toContain(`${id}:s2:e0:stage_raised/team_manager`);
  }, 60_000);
});

describe("a worker that dies after the SMTP server took an email, before marking it sent", () => {
  it("resends it as the same message: same Message-ID, Date and Thread-Index, so a mailbox shows it once", async () => {
    const s = await startStack("2026-11-24T10:00:00Z");
    stacks.push(s);
    const { smtpMailer } = await import("../../src/mail/transport.ts");
    const real = smtpMailer(s.sink.url);
    let dies = true;
    // the server takes the message; the worker "dies" before it can record that
    const mailer = {
      describe: "smtp that loses the worker once",
      async send(e: Parameters<typeof real.send>[0]) {
        const r = await real.send(e);
        if (dies) {
          dies = false;
          throw new Error("worker lost after the server took the message");
        }
        return r;
      },
      close: () => real.close(),
    };
    const w = await s.startWorker({ mailer, retry: { attempts: 3, baseDelayMs: 100 } });
    const [id] = await raiseMany(s, "national", "cic-team", 1, s.svc.clock.now());
    await until(() => mine(s, [id!]).length >= 2, "the email and its resend", 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    await w.stop();
    const got = mine(s, [id!]);
    expect(got).toHaveLength(2);
    const [a, b] = got as [Received, Received];
    expect(b.messageId).toBe(a.messageId);
    expect(b.date.getTime()).toBe(a.date.getTime());
    expect(String(b.headers.get("thread-index"))).toBe(String(a.headers.get("thread-index")));
    expect(b.key).toBe(a.key);
    expect(visible(got).size).toBe(1);
    const [row] = await s.svc.db.select().from(outbox).where(eq(outbox.key, a.key));
    expect(row).toMatchObject({ status: "sent", attempts: 2 });
  }, 60_000);
});
