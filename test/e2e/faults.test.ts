// Faults, each ending with every expected email sent exactly once (counted by
// recipient and X-DRP-Key in a real SMTP server): a worker killed mid-batch
// and restarted; two workers at once; Redis flushed and rebuilt by the
// reconciler; SMTP refusing for a while; and an email given up on, reported
// in the QA inbox's failure list. Each test has its own stack, and waits for
// the outbox and the queue to settle rather than for a fixed time.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { eq, inArray } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { outbox } from "../../src/db/schema.ts";
import { maintenanceQueue, notifyQueue } from "../../src/queue/queues.ts";
import { redisConnection, redisOptions } from "../../src/queue/redis-client.ts";
import { raiseDispute } from "../../src/service/disputes.ts";
import type { RaiseInput } from "../../src/service/inputs.ts";
import { type Received, until } from "../support/mail-sink.ts";
import { freePort } from "../support/servers.ts";
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

async function rowsOf(s: Stack, ids: string[]) {
  return s.svc.db.select().from(outbox).where(inArray(outbox.disputeId, ids));
}

/** The outbox rows of these disputes are all finished and the queue has nothing waiting or running. */
async function settled(s: Stack, ids: string[], expected: number, which: (r: { kind: string }) => boolean = () => true): Promise<void> {
  const q = notifyQueue(redisOptions(s.redis.url));
  try {
    await until(
      async () => {
        const rows = (await rowsOf(s, ids)).filter(which);
        const done = rows.filter((r) => r.status === "sent" || r.status === "failed" || r.status === "skipped");
        if (done.length < expected || done.length !== rows.length) return false;
        const counts = await q.getJobCounts("waiting", "active", "prioritized");
        return counts.waiting === 0 && counts.active === 0 && counts.prioritized === 0;
      },
      `${expected} emails finished and the queue idle`,
      // generous: a loaded machine is slow, and the test fails only if it never settles
      240_000,
    );
  } finally {
    await q.close();
  }
}

/** Every addressee's email of a dispute's stage announcement: the recipient, each copied role, the IRO. */
const ANNOUNCEMENT = { birmingham: 3, newham: 3, wf: 4, national: 3 } as const;

describe("worker processes", () => {
  const NOW = "2026-11-24T10:00:00Z";

  it("a worker killed (SIGKILL) mid-batch and restarted: every email once", async () => {
    const s = await startStack(NOW);
    stacks.push(s);
    const ids = await raiseMany(s, "birmingham", "cla-north", 20, s.svc.clock.now());
    const total = ids.length * ANNOUNCEMENT.birmingham;
    s.sink.delayMs = 100;
    // a send lease longer than BullMQ's job lock: the restarted worker meets
    // the dead worker's claims still standing and must come back for them
    const lease = { DRP_SEND_LEASE_MS: "4000" };
    const first = spawnWorker(s, NOW, lease);
    await until(() => mine(s, ids).length >= 15, "the first 15 emails", 60_000);
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));
    // what the dead worker held at the SMTP server: only these may arrive twice
    const inFlight = new Set((await rowsOf(s, ids)).filter((r) => r.status === "sending").map((r) => r.key));
    expect(mine(s, ids).length).toBeLessThan(total);
    const second = spawnWorker(s, s.svc.clock.now().toISOString(), lease);
    try {
      await settled(s, ids, total).catch(async (e) => {
        const rows = (await rowsOf(s, ids)).filter((r) => r.status !== "sent");
        console.log(
          "STUCK",
          JSON.stringify(rows.map((r) => [r.key.slice(0, 12), r.status, r.attempts, r.lastError])),
          second.stderr().slice(-3000),
        );
        throw e;
      });
    } finally {
      second.child.kill("SIGTERM");
    }
    const seen = visible(mine(s, ids));
    expect(seen.size).toBe(total);
    // a resend after the kill is the same message (same Message-ID): a mailbox shows it once
    for (const messageIds of seen.values()) expect(messageIds.size).toBe(1);
    // an email that arrived twice was one the killed worker was still sending, and no other
    const deliveries = new Map<string, number>();
    for (const r of mine(s, ids)) deliveries.set(r.key, (deliveries.get(r.key) ?? 0) + 1);
    for (const [key, n] of deliveries) if (n > 1) expect(inFlight, key).toContain(key);
    expect((await rowsOf(s, ids)).filter((r) => r.status === "sent")).toHaveLength(total);
  }, 120_000);

  it("two workers at once: every email once", async () => {
    const s = await startStack(NOW);
    stacks.push(s);
    const ids = await raiseMany(s, "newham", "cla-a", 14, s.svc.clock.now());
    const total = ids.length * ANNOUNCEMENT.newham;
    s.sink.delayMs = 20;
    const a = spawnWorker(s, s.svc.clock.now().toISOString());
    const b = spawnWorker(s, s.svc.clock.now().toISOString());
    try {
      await settled(s, ids, total);
    } finally {
      a.child.kill("SIGTERM");
      b.child.kill("SIGTERM");
    }
    const got = mine(s, ids);
    expect(got).toHaveLength(total);
    expect(new Set(got.map((r) => r.key)).size).toBe(total);
  }, 120_000);

  it("DRP_WORKER_PROCESSES=2: one command, two processes sharing a burst, every email once, and a stop stops both", async () => {
    const metricsPort = await freePort();
    const { s, w, said, otherPid: other, bothStarted } = await twoProcesses({ DRP_RECONCILE_MS: "500", METRICS_PORT: String(metricsPort) });
    s.sink.delayMs = 50;
    await bothStarted();
    expect(
      new Set(
        said()
          .filter((l) => l.msg === "worker started")
          .map((l) => l.worker),
      ).size,
    ).toBe(2);
    const otherPid = other();
    expect(running(otherPid)).toBe(true);
    // raised once both run: the next reconcile arms them, and either process may take any
    const ids = await raiseMany(s, "national", "cic-team", 24, s.svc.clock.now());
    const total = ids.length * ANNOUNCEMENT.national;
    let scraped = "";
    try {
      await settled(s, ids, total);
      scraped = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    } finally {
      w.child.kill("SIGTERM");
    }
    const got = mine(s, ids);
    expect(got).toHaveLength(total);
    expect(new Set(got.map((r) => r.key)).size).toBe(total);
    // one scrape of the first process counts the other's emails too
    const sent = [...scraped.matchAll(/^drp_notifications_total\{([^}]*)\} (\d+)$/gm)]
      .filter(([, labels]) => labels!.includes('kind="stage_raised"') && labels!.includes('result="sent"'))
      .reduce((n, [, , v]) => n + Number(v), 0);
    expect(sent).toBe(total);
    // each process sent some of them
    const senders = new Set(
      said()
        .filter((l) => l.msg === "batch" && l.sent > 0)
        .map((l) => l.worker),
    );
    expect(senders.size).toBe(2);
    expect(await new Promise((r) => w.child.once("exit", (code) => r(code)))).toBe(0);
    expect(running(otherPid)).toBe(false);
  }, 120_000);

  it("DRP_WORKER_PROCESSES=2: the process that started the other killed, the other stops rather than run on alone", async () => {
    const { w, said, otherPid: other, bothStarted } = await twoProcesses();
    await bothStarted();
    const otherPid = other();
    w.child.kill("SIGKILL");
    await until(() => !running(otherPid), "the other process gone", 30_000);
    expect(said().some((l) => String(l.msg).startsWith("stopping"))).toBe(true);
  }, 90_000);

  it("DRP_WORKER_PROCESSES=2: the first process killed while the other is still loading, the other does not start", async () => {
    const { w, said, otherPid: other } = await twoProcesses();
    await until(() => other() > 0, "the other process spawned", 60_000);
    const otherPid = other();
    w.child.kill("SIGKILL");
    await until(() => !running(otherPid), "the other process gone", 30_000);
    // it left before starting, or stopped as on SIGTERM once started: either way it does not run on alone
    expect(said().some((l) => /the worker process that started this one is gone/.test(String(l.msg)))).toBe(true);
  }, 90_000);

  it("DRP_WORKER_PROCESSES=2: the first process unable to start (its metrics port taken) exits, and takes the other with it", async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", () => r()));
    try {
      const { w, otherPid: other } = await twoProcesses({ METRICS_PORT: String((taken.address() as AddressInfo).port) });
      const code = await new Promise((r) => w.child.once("exit", (c) => r(c)));
      expect(code).not.toBe(0);
      const otherPid = other();
      expect(otherPid).toBeGreaterThan(0);
      expect(running(otherPid)).toBe(false);
    } finally {
      taken.close();
    }
  }, 90_000);

  it("DRP_WORKER_PROCESSES=2 on the embedded database and Redis: refused, saying what it needs", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/bin.ts", "worker"], {
      env: { ...process.env, DRP_WORKER_PROCESSES: "2", DATABASE_URL: "", REDIS_URL: "" },
      encoding: "utf8",
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/DRP_WORKER_PROCESSES=2 needs DATABASE_URL and REDIS_URL/);
  });
});

/** `drp worker` with DRP_WORKER_PROCESSES=2 on a stack of its own, and what it says. */
async function twoProcesses(env: Record<string, string> = {}) {
  const s = await startStack("2026-11-24T10:00:00Z");
  stacks.push(s);
  const w = spawnWorker(s, s.svc.clock.now().toISOString(), { DRP_WORKER_PROCESSES: "2", LOG_LEVEL: "info", ...env });
  const said = () => logLines(w.stderr());
  return {
    s,
    w,
    said,
    /** the process the first one started, once it has said so */
    otherPid: () => Number(said().find((l) => l.msg === "worker process started")?.pid),
    bothStarted: () => until(() => said().filter((l) => l.msg === "worker started").length === 2, "two worker processes started", 60_000),
  };
}

/** The JSON log lines in what a process wrote. */
function logLines(out: string): Record<string, any>[] {
  return out
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
}

/** Whether a process is still running (a zombie, exited but not yet reaped by init, is not). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

describe("in one process", () => {
  it("Redis flushed: the reconciler rebuilds the jobs and nothing is lost or doubled", async () => {
    // Four seconds before close of business on the day a Birmingham stage is due.
    const s = await startStack("2026-11-24T16:59:56Z");
    stacks.push(s);
    const [id] = await raiseMany(s, "birmingham", "cla-north", 1, new Date("2026-11-10T10:00:00Z"));
    const w = await s.startWorker({ reconcileEveryMs: 500 });
    // due now: the stage's announcement (team manager, QA inbox, IRO); the reminder and "due today" fold into the manager's
    await until(() => mine(s, [id!]).length >= 3, "the emails due now", 20_000);
    const redis = redisConnection(s.redis.url);
    await redis.flushall();
    redis.disconnect();
    // at 17:00: the overdue notice (team manager, QA inbox) and the IRO's prompt
    await settled(s, [id!], 8);
    await w.stop();
    const kinds = mine(s, [id!])
      .map((r) => String(r.headers.get("x-drp-kind")))
      .sort();
    expect(kinds).toEqual(["escalation_prompt", "overdue", "overdue", "stage_raised", "stage_raised", "stage_raised"]);
    const folded = (await rowsOf(s, [id!])).filter((r) => r.reason?.startsWith("folded:")).map((r) => r.kind);
    expect(folded.sort()).toEqual(["due_today", "reminder"]);
  }, 60_000);

  it("SMTP refusing for a while, then recovering: every email once", async () => {
    const s = await startStack("2026-11-24T10:00:00Z");
    stacks.push(s);
    s.sink.refusing = true;
    const w = await s.startWorker({ retry: { attempts: 8, baseDelayMs: 200 } });
    const ids = await raiseMany(s, "wf", "cic-1", 10, s.svc.clock.now(), { stage: 2 });
    const total = ids.length * ANNOUNCEMENT.wf;
    await until(
      async () => (await rowsOf(s, ids)).filter((r) => r.kind === "stage_raised" && r.attempts >= 2).length >= total,
      "two refused attempts each",
      30_000,
    );
    expect(mine(s, ids)).toHaveLength(0);
    s.sink.refusing = false;
    await settled(s, ids, total);
    await w.stop();
    expect(mine(s, ids)).toHaveLength(total);
    expect(new Set(mine(s, ids).map((r) => r.key)).size).toBe(total);
  }, 60_000);

  it("an email given up on is marked failed and listed for the QA inbox", async () => {
    const s = await startStack("2026-11-24T10:00:00Z");
    stacks.push(s);
    // a team whose manager's mailbox refuses everything
    s.sink.refuseTo.add("tm-cic2@wf.example.org");
    const w = await s.startWorker({ retry: { attempts: 2, baseDelayMs: 100 } });
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
    await settled(s, [id!], ANNOUNCEMENT.wf);
    const [row] = await s.svc.db
      .select()
      .from(outbox)
      .where(eq(outbox.key, `${id}:s2:e0:stage_raised/team_manager`));
    expect(row?.status).toBe("failed");
    // the other addressees' emails went
    expect(
      mine(s, [id!])
        .map((r) => r.to.join())
        .sort(),
    ).toEqual(["ivy.reviewer@example.org", "qa-inbox@wf.example.org", "sm-cic@wf.example.org"]);
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
      connections: real.connections,
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
    await settled(s, [id!], ANNOUNCEMENT.national);
    await w.stop();
    const got = mine(s, [id!]);
    // every addressee's email, and one of them twice
    expect(got).toHaveLength(ANNOUNCEMENT.national + 1);
    const twice = [...new Set(got.map((r) => r.key))].filter((k) => got.filter((r) => r.key === k).length === 2);
    expect(twice).toHaveLength(1);
    const [a, b] = got.filter((r) => r.key === twice[0]) as [Received, Received];
    expect(b.messageId).toBe(a.messageId);
    expect(b.date.getTime()).toBe(a.date.getTime());
    expect(String(b.headers.get("thread-index"))).toBe(String(a.headers.get("thread-index")));
    expect(visible(got).size).toBe(ANNOUNCEMENT.national);
    const [row] = await s.svc.db.select().from(outbox).where(eq(outbox.key, a.key));
    expect(row).toMatchObject({ status: "sent", attempts: 2 });
  }, 60_000);
});

describe("a burst: 2,000 emails due at one instant", () => {
  // Birmingham stage 1 raised Tue 10 Nov, answered: due Tue 24 Nov at 17:00, when
  // the IRO's prompt is the one email left for each dispute.
  async function burst(s: Stack, n: number): Promise<string[]> {
    const ids = await raiseMany(s, "birmingham", "cla-north", n, new Date("2026-11-10T10:00:00Z"));
    const { disputeEvents, disputes } = await import("../../src/db/schema.ts");
    await s.svc.db
      .insert(disputeEvents)
      .values(ids.map((id) => ({ disputeId: id, seq: 1, type: "response_recorded", at: new Date("2026-11-12T10:00:00Z"), payload: {} })));
    await s.svc.db.update(disputes).set({ awaiting: "decision" }).where(inArray(disputes.id, ids));
    // their announcements, and the IRO's notice of the response, went long ago
    await s.svc.db.insert(outbox).values(
      ids.flatMap((id) =>
        [
          ["stage_raised", `${id}:s1:e0:stage_raised`],
          ["response_recorded", `${id}:s1:e1:response_recorded`],
        ].map(([kind, plannerKey]) => ({
          key: `${plannerKey}/-`,
          disputeId: id,
          authorityId: "birmingham",
          plannerKey: plannerKey!,
          kind: kind!,
          stage: 1,
          recipientRole: "-",
          status: "skipped" as const,
          reason: "sent before the test",
        })),
      ),
    );
    return ids;
  }
  const N = 2000;
  const prompts = (r: { kind: string }) => r.kind === "escalation_prompt";
  // ten seconds before close of business on the due day
  const BEFORE = "2026-11-24T16:59:50Z";

  it("a worker killed (SIGKILL) in the middle of it: every email once, at most one per SMTP connection twice", async () => {
    const s = await startStack(BEFORE);
    stacks.push(s);
    const ids = await burst(s, N);
    // each hand-over takes a moment, so that the kill finds emails claimed and on the wire, not only between batches
    s.sink.delayMs = 20;
    // a lease longer than the restarted worker takes to start: it must wait for the dead worker's claims
    // and batches as large as in production, so that many claims stand at the kill
    const lease = { DRP_SEND_LEASE_MS: "20000", DRP_WORKER_CONCURRENCY: "200" };
    const first = spawnWorker(s, BEFORE, lease);
    await until(() => mine(s, ids).length >= N / 3, `a third of the ${N} emails`, 120_000);
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));
    const killedAt = Date.now();
    // what the dead worker held: handed to the server (at most one per connection) or claimed and waiting
    const heldRows = (await rowsOf(s, ids)).filter((r) => r.status === "sending");
    const held = new Set(heldRows.map((r) => r.key));
    // the dead worker's clock (it started at DRP_NOW) read from the Date of what it sent: a Date is whole seconds,
    // taken at the claim, so this is at most a second or so behind it, never ahead. The restarted worker runs on it,
    // as two workers on one real clock would.
    const realMinusApp = Math.min(...mine(s, ids).map((r) => r.receivedAt - r.date.getTime()));
    const second = spawnWorker(s, new Date(Date.now() - realMinusApp).toISOString(), lease);
    try {
      await settled(s, ids, N, prompts);
    } finally {
      second.child.kill("SIGTERM");
    }
    const seen = visible(mine(s, ids));
    expect(seen.size).toBe(N);
    // a resend after the kill is the same message (same Message-ID): a mailbox shows it once
    for (const messageIds of seen.values()) expect(messageIds.size).toBe(1);
    const deliveries = new Map<string, number>();
    for (const r of mine(s, ids)) deliveries.set(r.key, (deliveries.get(r.key) ?? 0) + 1);
    const twice = [...deliveries].filter(([, count]) => count > 1).map(([key]) => key);
    // each email is recorded as soon as the server takes it: only those on the wire at the kill go twice
    expect(twice.length).toBeLessThanOrEqual(10); // SMTP_CONNECTIONS
    for (const key of twice) expect(held, key).toContain(key);
    // the restarted worker sent what nobody held at once, and what the dead worker held only once its leases ran out
    const after = mine(s, ids).filter((r) => r.receivedAt > killedAt);
    const firstFree = Math.min(...after.filter((r) => !held.has(r.key)).map((r) => r.receivedAt));
    const firstHeld = Math.min(...after.filter((r) => held.has(r.key)).map((r) => r.receivedAt));
    expect(held.size).toBeGreaterThan(0);
    expect(firstHeld).toBeGreaterThan(firstFree);
    // and not before each lease ran out
    for (const r of heldRows)
      for (const copy of after.filter((x) => x.key === r.key))
        expect(copy.receivedAt, r.key).toBeGreaterThanOrEqual(r.lockExpiresAt!.getTime() + realMinusApp - 2_000);
    expect((await rowsOf(s, ids)).filter((r) => r.status === "sent" && prompts(r))).toHaveLength(N);
  }, 300_000);

  /** One signal or more mid-burst: the worker finishes what it is sending, records it, and stops; the next sends the rest. */
  async function stoppedMidBurst(
    signal: (child: import("node:child_process").ChildProcess) => void,
    start: (s: Stack) => { child: import("node:child_process").ChildProcess; stderr: () => string } = (s) =>
      // production-size batches: many emails claimed at the signal, so that the drain outlasts a second one
      spawnWorker(s, BEFORE, { DRP_SEND_LEASE_MS: "10000", DRP_WORKER_CONCURRENCY: "200" }),
    n = 600,
  ) {
    const s = await startStack(BEFORE);
    stacks.push(s);
    // each hand-over takes a while: the burst lasts long enough to be interrupted, and the drain longer than 50 ms
    s.sink.delayMs = 100;
    const ids = await burst(s, n);
    const first = start(s);
    await until(() => mine(s, ids).length >= n / 4, `a quarter of the ${n} emails`, 120_000);
    signal(first.child);
    const [code, by] = await new Promise<[number | null, string | null]>((r) => first.child.once("exit", (c, sig) => r([c, sig])));
    expect({ code, by }, first.stderr().slice(-2000)).toEqual({ code: 0, by: null });
    // nothing left half done: every email it claimed is recorded as sent
    expect((await rowsOf(s, ids)).filter((r) => r.status === "sending").map((r) => r.key)).toEqual([]);
    const second = spawnWorker(s, s.svc.clock.now().toISOString());
    try {
      await settled(s, ids, n, prompts);
    } finally {
      second.child.kill("SIGTERM");
    }
    const got = mine(s, ids);
    expect(new Set(got.map((r) => r.key)).size).toBe(n);
    expect(got).toHaveLength(n);
    return first.stderr();
  }

  it("two SIGTERMs 50 ms apart mid-burst: the second does not cut the drain short; nothing twice, nothing left sending", async () => {
    const said = await stoppedMidBurst((child) => {
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGTERM"), 50);
    });
    // the second was heard, and let the first finish
    expect(said).toContain("already stopping");
  }, 300_000);

  it("Ctrl-C on npm start (SIGINT to the process group, npm passing it on as well) mid-burst: nothing twice, nothing left sending", async () => {
    const { spawn } = await import("node:child_process");
    const { freePort } = await import("../support/servers.ts");
    const port = await freePort();
    await stoppedMidBurst(
      (child) => process.kill(-child.pid!, "SIGINT"),
      (s) => {
        let err = "";
        const child = spawn("npm", ["start", "--silent"], {
          env: {
            ...process.env,
            DATABASE_URL: s.dbUrl,
            REDIS_URL: s.redis.url,
            SMTP_URL: s.sink.url,
            DRP_NOW: BEFORE,
            MAIL_FROM: "IRO Dispute Resolution <drp@drp.example.org>",
            DRP_MIGRATE: "false",
            PORT: String(port),
            HOST: "127.0.0.1",
            METRICS_PORT: "off",
            LOG_LEVEL: "warn",
            DRP_SEND_LEASE_MS: "10000",
            DRP_LINK_SECRET: "Hx4-pQ9wE2rT7yU0iO5aS8dF3gJ6kL1zX_cVbN",
          },
          stdio: ["ignore", "pipe", "pipe"],
          detached: true,
        });
        child.stdout?.on("data", (b) => (err += String(b)));
        child.stderr?.on("data", (b) => (err += String(b)));
        return { child, stderr: () => err };
      },
    );
  }, 300_000);

  it("three worker processes share it: every email once, none twice", async () => {
    const s = await startStack(BEFORE);
    stacks.push(s);
    const ids = await burst(s, N);
    const workers = [0, 1, 2].map(() => spawnWorker(s, BEFORE));
    try {
      await settled(s, ids, N, prompts);
    } finally {
      for (const w of workers) w.child.kill("SIGTERM");
    }
    const got = mine(s, ids);
    expect(got).toHaveLength(N);
    expect(new Set(got.map((r) => r.key)).size).toBe(N);
  }, 180_000);
});
