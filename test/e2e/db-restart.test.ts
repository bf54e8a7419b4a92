// A database restart is an ordinary event. The app (API and worker in one
// process, `node src/main.ts`) runs on a PostgreSQL of its own, which is
// stopped (a fast shutdown, as a restart or a failover does) and started again
// five times while four clients keep raising disputes through the API and the
// worker is sending their emails. The process stays up; /readyz says not
// ready while the database is away and ready when it is back; the API answers
// 503 with Retry-After meanwhile, never 500; every dispute a client was told
// was raised has its emails, each exactly once; none is left being sent.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inArray } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.ts";
import { authorities } from "../../src/config/authorities.ts";
import { type DbHandle, openDatabase } from "../../src/db/client.ts";
import { outbox } from "../../src/db/schema.ts";
import { createLogger } from "../../src/log.ts";
import type { RedisEndpoint } from "../../src/queue/redis.ts";
import type { Services } from "../../src/service/context.ts";
import { importDirectory, parseDirectory } from "../../src/service/directory.ts";
import { createKey } from "../../src/service/keys.ts";
import { demoDirectory, raiseBody } from "../support/app.ts";
import { type Sink, startSink, until } from "../support/mail-sink.ts";
import { freePort, type RunningPostgres, startPostgres } from "../support/servers.ts";
import { startRedis } from "../support/worker.ts";

const NOW = "2026-11-24T10:00:00Z";
let pg: RunningPostgres | undefined;
let redis: RedisEndpoint | undefined;
let sink: Sink | undefined;
let db: DbHandle | undefined;
let app: ChildProcess | undefined;
afterAll(async () => {
  if (app?.exitCode === null) app.kill("SIGKILL");
  await db?.close().catch(() => {});
  await sink?.stop();
  await redis?.stop();
  await pg?.stop();
});

describe("PostgreSQL stopped and started five times under API writes and a send burst", () => {
  it("keeps the process up, says not ready and 503 while it is away, and loses and doubles nothing", async () => {
    pg = await startPostgres();
    redis = await startRedis();
    sink = await startSink();
    sink.delayMs = 15; // the burst lasts through the restarts
    db = await openDatabase({ url: pg.url, max: 2 });
    await db.migrate();
    const svc: Services = { db: db.db, authorities: authorities(), clock: systemClock(NOW), log: createLogger({ level: "silent" }) };
    await importDirectory(svc, parseDirectory(svc, demoDirectory("birmingham")));
    const { key } = await createKey(svc, "birmingham", "db-restart test");

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let output = "";
    app = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: pg.url,
        REDIS_URL: redis.url,
        SMTP_URL: sink.url,
        DRP_NOW: NOW,
        DRP_MIGRATE: "false",
        PORT: String(port),
        HOST: "127.0.0.1",
        METRICS_PORT: "0",
        LOG_LEVEL: "info",
        DRP_DATA_DIR: join(mkdtempSync(join(tmpdir(), "drp-dbr-")), "pglite"),
        DRP_SEND_LEASE_MS: "15000",
        DRP_STALLED_MS: "2000",
        DATABASE_CONNECT_TIMEOUT_S: "2",
        // a reservation left by a request the outage cut off is taken over after twice this
        HTTP_REQUEST_TIMEOUT_MS: "4000",
        // a dispute raised just before the database went, whose job could not be armed then, is armed by the reconciler
        DRP_RECONCILE_MS: "5000",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    app.stdout?.on("data", (b) => (output += String(b)));
    app.stderr?.on("data", (b) => (output += String(b)));
    const ready = async () => {
      try {
        return (await fetch(`${base}/readyz`)).status;
      } catch {
        return 0;
      }
    };
    await until(async () => (await ready()) === 200, "the app to be ready", 90_000);

    // four clients raising disputes, each request with its own Idempotency-Key, tried again after a 503 or a lost connection
    const raised: string[] = [];
    const answers = new Map<number, number>();
    let writing = true;
    const client = async (c: number) => {
      for (let i = 0; writing; i++) {
        const idem = randomUUID();
        for (;;) {
          let status = 0;
          let body: { id?: string } = {};
          try {
            const r = await fetch(`${base}/disputes`, {
              method: "POST",
              headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "idempotency-key": idem },
              body: JSON.stringify(raiseBody({ childRef: `DBR-${c}-${i}` })),
            });
            status = r.status;
            body = (await r.json()) as { id?: string };
            if (status === 503) expect(r.headers.get("retry-after")).toBe("5");
          } catch {
            status = -1; // the connection went: the same request again
          }
          answers.set(status, (answers.get(status) ?? 0) + 1);
          if (status === 201) {
            raised.push(body.id!);
            await new Promise((r) => setTimeout(r, 250)); // a steady stream, not a flood
            break;
          }
          // 409 concurrent_step: the same key's first attempt is still recorded as in progress (cut off by the outage); try again
          const again = status === 503 || status === -1 || (status === 409 && (body as { error?: string }).error === "concurrent_step");
          if (!again) throw new Error(`POST /disputes answered ${status}: ${JSON.stringify(body)}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    const clients = Promise.all([0, 1, 2, 3].map(client));

    for (let cycle = 0; cycle < 5; cycle++) {
      await until(() => raised.length >= 15 * (cycle + 1), `disputes raised before stop ${cycle + 1}`, 60_000);
      await pg.halt();
      await until(async () => (await ready()) === 503, "/readyz to say not ready", 20_000);
      await new Promise((r) => setTimeout(r, 1_500));
      expect(app.exitCode, output.slice(-2000)).toBeNull();
      await pg.resume();
      await until(async () => (await ready()) === 200, "/readyz to say ready again", 30_000);
    }
    writing = false;
    await clients;
    expect(app.exitCode, output.slice(-2000)).toBeNull();
    expect(answers.get(503) ?? 0).toBeGreaterThan(0);
    expect([...answers.keys()].filter((s) => ![201, 503, 409, -1].includes(s))).toEqual([]);

    // every dispute a client was told was raised: its three emails (team manager, QA inbox, IRO), once each
    const expected = raised.length * 3;
    let rows: (typeof outbox.$inferSelect)[] = [];
    await until(
      async () => {
        rows = await db!.db.select().from(outbox).where(inArray(outbox.disputeId, raised));
        return rows.length === expected && rows.every((r) => r.status === "sent");
      },
      `${expected} emails sent`,
      180_000,
    ).catch((e) => {
      const by = new Map<string, number>();
      for (const r of rows) by.set(`${r.status}:${r.lastError ?? ""}`, (by.get(`${r.status}:${r.lastError ?? ""}`) ?? 0) + 1);
      console.log("NOT SETTLED", rows.length, "of", expected, JSON.stringify([...by]), output.slice(-3000));
      throw e;
    });
    await until(
      () => sink!.received.filter((r) => raised.some((id) => r.key.startsWith(id))).length >= expected,
      "the emails at the server",
    );
    const got = sink.received.filter((r) => raised.some((id) => r.key.startsWith(id)));
    const copies = new Map<string, number>();
    for (const r of got) for (const to of r.to) copies.set(`${to}|${r.key}`, (copies.get(`${to}|${r.key}`) ?? 0) + 1);
    expect(copies.size).toBe(expected);
    expect([...copies.values()].filter((n) => n > 1)).toEqual([]);
    // the log says what happened, once per outage, not once per email
    expect(output).toMatch(/the database is not answering|could not record emails/);
    expect(output).not.toMatch(/TypeError|uncaught exception/);
    app.kill("SIGTERM");
  }, 420_000);
});
