// REDIS_URL naming a master watched by Sentinel, or a Redis Cluster of three
// masters: real redis-server processes on loopback (Sentinel is the same
// binary with --sentinel). The worker arms the dispute's one job there, sends
// the stage's emails once, and moves the job on to the dispute's next instant.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { disputeJobId, jobKey, NOTIFY_QUEUE, notifyQueue, plannedMarker } from "../../src/queue/queues.ts";
import { freePort, redisServerBinary } from "../../src/queue/redis.ts";
import { queueConnection, redisConnection } from "../../src/queue/redis-client.ts";
import { raiseDispute } from "../../src/service/disputes.ts";
import type { RaiseInput } from "../../src/service/inputs.ts";
import { until } from "../support/mail-sink.ts";
import { type Stack, startStack } from "../support/worker.ts";

const children: ChildProcess[] = [];
const stacks: Stack[] = [];
afterAll(async () => {
  for (const s of stacks) await s.stop();
  for (const c of children) c.kill("SIGKILL");
});

async function redisServer(dir: string, args: string[]): Promise<number> {
  const port = await freePort();
  const c = spawn(redisServerBinary()!, [...args, "--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", ""], {
    stdio: "ignore",
  });
  children.push(c);
  await until(async () => {
    const r = new Redis(port, "127.0.0.1", { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    r.on("error", () => {});
    try {
      await r.connect();
      return (await r.ping()) === "PONG";
    } catch {
      return false;
    } finally {
      r.disconnect();
    }
  }, `redis-server on ${port}`);
  return port;
}

const ivy = { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" as const };

/** Raises a Birmingham stage 1 now and waits for its three emails; returns the dispute's id. */
async function raiseAndDeliver(s: Stack, redisUrl: string): Promise<string> {
  await s.startWorker({ redisUrl, concurrency: 4 });
  const d = await raiseDispute(s.svc, "birmingham", {
    procedure: "iro",
    childRef: "T-1",
    raisedBy: ivy,
    team: "cla-north",
    stage: 1,
    categories: ["other"],
    summary: "x",
    at: s.svc.clock.now(),
  } as RaiseInput);
  await until(() => s.sink.received.length >= 3, "the stage's three emails");
  await new Promise((r) => setTimeout(r, 1000)); // nothing more may follow
  const ref = d.dispute.reference;
  expect(s.sink.received.map((m) => [m.to[0], m.key.replace(/^[^:]+:/, "")]).sort()).toEqual(
    [
      ["ivy.reviewer@example.org", "s1:e0:stage_raised/instigator"],
      ["qa-inbox@birmingham.example.org", "s1:e0:stage_raised/qa_inbox"],
      ["tm-north@birmingham.example.org", "s1:e0:stage_raised/team_manager"],
    ].sort(),
  );
  expect(s.sink.received.every((m) => m.subject.includes(ref))).toBe(true);
  return d.dispute.id;
}

/** The dispute's job waits, delayed, for its next instant (the stage's reminder). */
async function expectArmed(redisUrl: string, disputeId: string): Promise<void> {
  const shared = queueConnection(redisUrl);
  const q = notifyQueue(shared.connection);
  try {
    await until(async () => (await (await q.getJob(disputeJobId(disputeId)))?.getState()) === "delayed", "the job moved on");
  } finally {
    await q.close();
    await shared.close();
  }
}

describe.skipIf(!redisServerBinary())("REDIS_URL naming Sentinel or a Cluster", () => {
  it("works through Sentinel: redis+sentinel://host:port/<master name>", async () => {
    const dir = mkdtempSync(join(tmpdir(), "drp-sentinel-"));
    const master = await redisServer(dir, ["--appendonly", "yes", "--maxmemory-policy", "noeviction"]);
    const conf = join(dir, "sentinel.conf");
    writeFileSync(conf, `sentinel monitor drpmaster 127.0.0.1 ${master} 1\nsentinel down-after-milliseconds drpmaster 5000\n`);
    const sentinel = await redisServer(dir, [conf, "--sentinel"]);
    const url = `redis+sentinel://127.0.0.1:${sentinel}/drpmaster`;
    const s = await startStack("2026-11-24T10:00:00Z");
    stacks.push(s);
    const id = await raiseAndDeliver(s, url);
    await expectArmed(url, id);
    // the job is on the master Sentinel named
    const direct = new Redis(master, "127.0.0.1");
    expect(await direct.exists(jobKey(NOTIFY_QUEUE, disputeJobId(id)))).toBe(1);
    direct.disconnect();
  }, 90_000);

  it("works on a Redis Cluster of three masters: redis+cluster://host:port,…", async () => {
    const dir = mkdtempSync(join(tmpdir(), "drp-cluster-"));
    const ports: number[] = [];
    for (let i = 0; i < 3; i++) {
      const nodeDir = mkdtempSync(join(dir, "node-"));
      ports.push(await redisServer(nodeDir, ["--cluster-enabled", "yes", "--cluster-config-file", join(nodeDir, "nodes.conf")]));
    }
    const created = spawnSync(
      "redis-cli",
      ["--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", "0", "--cluster-yes"],
      { encoding: "utf8" },
    );
    expect(created.status, created.stdout + created.stderr).toBe(0);
    await until(async () => {
      const states = await Promise.all(
        ports.map(async (p) => {
          const r = new Redis(p, "127.0.0.1");
          const info = await r.cluster("INFO");
          r.disconnect();
          return String(info).includes("cluster_state:ok");
        }),
      );
      return states.every(Boolean);
    }, "the cluster to be ready");
    const url = `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(",")}`;
    const s = await startStack("2026-11-24T10:00:00Z");
    stacks.push(s);
    const id = await raiseAndDeliver(s, url);
    await expectArmed(url, id);
    // every key of the queue is in {drp}'s slot, on one master
    const cluster = redisConnection(url);
    const slotOf = async (key: string) => Number(await (cluster as unknown as Redis).cluster("KEYSLOT", key));
    expect(await slotOf(plannedMarker(id))).toBe(await slotOf(jobKey(NOTIFY_QUEUE, disputeJobId(id))));
    expect(await cluster.exists(jobKey(NOTIFY_QUEUE, disputeJobId(id)))).toBe(1);
    cluster.disconnect();
  }, 90_000);
});
