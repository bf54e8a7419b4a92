// The outbox on a real PostgreSQL: the promise that each email is sent once
// rests on these statements (src/mail/outbox.ts, the one module that changes
// a row's state, for every kind of email), so each rule is pinned down here,
// in batches as the worker uses them and as a batch of one.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.ts";
import { authorities } from "../../src/config/authorities.ts";
import type { DbHandle } from "../../src/db/client.ts";
import { disputeEvents, outbox } from "../../src/db/schema.ts";
import { createLogger } from "../../src/log.ts";
import {
  type Claim,
  claim,
  failUnfinished,
  findRow,
  finish,
  type NotificationRecord,
  recordFinal,
  supersede,
} from "../../src/mail/outbox.ts";
import type { Services } from "../../src/service/context.ts";
import { importDirectory, parseDirectory } from "../../src/service/directory.ts";
import { raiseDispute } from "../../src/service/disputes.ts";
import { demoDirectory } from "../support/app.ts";
import { freshDatabase } from "../support/db.ts";

let h: DbHandle;
beforeAll(async () => {
  h = await freshDatabase();
});
afterAll(async () => h?.close());

const T0 = new Date("2026-11-24T10:00:00Z");
const later = (ms: number) => new Date(T0.getTime() + ms);
const LEASE = 60_000;
let n = 0;
const email = (over: Partial<Claim> = {}): Claim => {
  n += 1;
  return {
    key: `k${n}/team_manager`,
    disputeId: null,
    authorityId: "birmingham",
    plannerKey: `k${n}`,
    kind: "overdue",
    stage: 1,
    recipientRole: "team_manager",
    messageId: `<m${n}@drp.example.org>`,
    dateHeader: T0,
    threadIndex: `t${n}`,
    toAddresses: ["tm@example.org"],
    ...over,
  };
};
const sent = (key: string, record?: NotificationRecord) => ({
  sent: [{ key, smtpResponse: "250 ok", to: ["tm@example.org"], refused: [], at: T0, record }],
  failed: [],
  released: [],
});
const failed = (key: string) => ({ sent: [], failed: [{ key, reason: "gave up" }], released: [] });
const released = (key: string) => ({ sent: [], failed: [], released: [{ key, error: "451 try later" }] });
const keys = (rows: { key: string }[]) => rows.map((r) => r.key).sort();

describe("claim", () => {
  it("takes new rows, and refuses them to another worker while the lease is live", async () => {
    const batch = [email(), email(), email()];
    expect(keys(await claim(h.db, batch, "w1", T0, LEASE))).toEqual(keys(batch));
    expect(await claim(h.db, batch, "w2", later(LEASE - 1), LEASE)).toEqual([]);
    for (const e of batch) expect(await findRow(h.db, e.key)).toMatchObject({ status: "sending", lockedBy: "w1", attempts: 1 });
  });

  it("takes rows over once their holder's lease has run out, counting the attempt", async () => {
    const e = email();
    await claim(h.db, [e], "w1", T0, LEASE);
    const [taken] = await claim(h.db, [e], "w2", later(LEASE + 1), LEASE);
    expect(taken).toMatchObject({ status: "sending", lockedBy: "w2", attempts: 2 });
  });

  it("takes a released row again, and keeps the headers of the first claim: a resend is the same message", async () => {
    const e = email();
    await claim(h.db, [e], "w1", T0, LEASE);
    await finish(h.db, "w1", released(e.key));
    expect(await findRow(h.db, e.key)).toMatchObject({ status: "pending", lastError: "451 try later", lockedBy: null });
    const [again] = await claim(
      h.db,
      [{ ...e, messageId: "<other@x>", dateHeader: later(5000), threadIndex: "other" }],
      "w2",
      later(1),
      LEASE,
    );
    expect(again).toMatchObject({ lockedBy: "w2", attempts: 2, messageId: e.messageId, dateHeader: T0, threadIndex: e.threadIndex });
  });

  it("never takes a row that is sent, skipped or failed, however old, alone or in a batch with new rows", async () => {
    const [s, f] = [email(), email()];
    await claim(h.db, [s, f], "w1", T0, LEASE);
    await finish(h.db, "w1", sent(s.key));
    await finish(h.db, "w1", failed(f.key));
    const skipped = email();
    await recordFinal(h.db, [{ ...skipped, status: "skipped", reason: "lapsed" }]);
    const fresh = email();
    const took = await claim(h.db, [s, skipped, f, fresh], "w9", later(365 * 86_400_000), LEASE);
    expect(keys(took)).toEqual([fresh.key]);
    expect((await findRow(h.db, s.key))?.status).toBe("sent");
    expect((await findRow(h.db, skipped.key))?.status).toBe("skipped");
    expect((await findRow(h.db, f.key))?.status).toBe("failed");
  });

  it("gives each row to exactly one of two workers claiming the same rows at the same moment", async () => {
    for (let trial = 0; trial < 10; trial++) {
      const batch = Array.from({ length: 20 }, () => email());
      const [a, b] = await Promise.all([claim(h.db, batch, "wa", T0, LEASE), claim(h.db, [...batch].reverse(), "wb", T0, LEASE)]);
      expect(a.length + b.length).toBe(20);
      expect(new Set([...keys(a), ...keys(b)]).size).toBe(20);
    }
  });
});

describe("only the worker holding a row may finish it", () => {
  it("refuses sent, failed and released from a worker that lost the rows to another", async () => {
    const [x, y, z] = [email(), email(), email()];
    await claim(h.db, [x, y, z], "w1", T0, LEASE);
    await claim(h.db, [x, y, z], "w2", later(LEASE + 1), LEASE);
    const done = await finish(h.db, "w1", {
      sent: sent(x.key).sent,
      failed: failed(y.key).failed,
      released: released(z.key).released,
    });
    expect(done.size).toBe(0);
    for (const e of [x, y, z]) expect(await findRow(h.db, e.key)).toMatchObject({ status: "sending", lockedBy: "w2", lastError: null });
    expect([...(await finish(h.db, "w2", sent(x.key)))]).toEqual([x.key]);
    expect(await findRow(h.db, x.key)).toMatchObject({ status: "sent", lockedBy: null, smtpResponse: "250 ok" });
  });

  it("refuses a finish from a worker that never held the row", async () => {
    const e = email();
    await claim(h.db, [e], "w1", T0, LEASE);
    expect((await finish(h.db, "w3", failed(e.key))).size).toBe(0);
    expect(await findRow(h.db, e.key)).toMatchObject({ status: "sending", lockedBy: "w1" });
  });

  it("lets a holder whose lease ran out, with nobody taking it over, record what the server took (else it would be sent twice)", async () => {
    const e = email();
    await claim(h.db, [e], "w1", T0, 1);
    expect([...(await finish(h.db, "w1", sent(e.key)))]).toEqual([e.key]);
    expect((await findRow(h.db, e.key))?.status).toBe("sent");
  });

  it("never finishes a row twice: a second finish by its holder changes nothing", async () => {
    const e = email();
    await claim(h.db, [e], "w1", T0, LEASE);
    await finish(h.db, "w1", sent(e.key));
    expect((await finish(h.db, "w1", failed(e.key))).size).toBe(0);
    expect(await findRow(h.db, e.key)).toMatchObject({ status: "sent", reason: null });
  });
});

describe("records in the dispute's log", () => {
  it("are written only for the rows this worker finished, in the same transaction", async () => {
    const svc: Services = { db: h.db, authorities: authorities(), clock: fixedClock(T0), log: createLogger({ level: "silent" }) };
    await importDirectory(svc, parseDirectory(svc, demoDirectory("national")));
    const { dispute } = await raiseDispute(svc, "national", {
      procedure: "iro",
      childRef: "K-1",
      raisedBy: { name: "Ivy Reviewer", email: "ivy@example.org", role: "iro" },
      team: "cic-team",
      stage: 1,
      categories: ["other"],
      summary: "x",
    } as never);
    const record = (key: string): NotificationRecord => ({ disputeId: dispute.id, type: "notification_sent", at: T0, payload: { key } });
    const mine = email({ disputeId: dispute.id });
    const theirs = email({ disputeId: dispute.id });
    await claim(h.db, [mine, theirs], "w1", T0, LEASE);
    await claim(h.db, [theirs], "w2", later(LEASE + 1), LEASE);
    await finish(h.db, "w1", {
      sent: [...sent(mine.key, record(mine.key)).sent, ...sent(theirs.key, record(theirs.key)).sent],
      failed: [],
      released: [],
    });
    const events = await h.db
      .select()
      .from(disputeEvents)
      .where(and(eq(disputeEvents.disputeId, dispute.id), eq(disputeEvents.type, "notification_sent")));
    expect(events.map((e) => (e.payload as { key: string }).key)).toEqual([mine.key]);
  });
});

describe("recordFinal and supersede", () => {
  it("writes a skipped or failed row once, and never over a row already there", async () => {
    const e = email();
    expect(await recordFinal(h.db, [{ ...e, status: "skipped", reason: "lapsed" }])).toEqual([e.key]);
    expect(await recordFinal(h.db, [{ ...e, status: "failed", reason: "again" }])).toEqual([]);
    const held = email();
    await claim(h.db, [held], "w1", T0, LEASE);
    expect(await recordFinal(h.db, [{ ...held, status: "skipped", reason: "x" }])).toEqual([]);
    expect(await findRow(h.db, held.key)).toMatchObject({ status: "sending" });
  });

  it("skips only pending rows as superseded, never one being sent or finished", async () => {
    const [p, s] = [email(), email()];
    await claim(h.db, [p, s], "w1", T0, LEASE);
    await finish(h.db, "w1", released(p.key));
    expect(await supersede(h.db, [p.key, s.key], "superseded")).toBe(1);
    expect((await findRow(h.db, p.key))?.status).toBe("skipped");
    expect((await findRow(h.db, s.key))?.status).toBe("sending");
  });
});

describe("failUnfinished", () => {
  it("fails every unfinished email of a notification, leaving the finished ones alone", async () => {
    const plannerKey = "fu1";
    const a = email({ key: `${plannerKey}/team_manager`, plannerKey });
    const b = email({ key: `${plannerKey}/qa_inbox`, plannerKey, recipientRole: "qa_inbox" });
    await claim(h.db, [a, b], "w1", T0, LEASE);
    await finish(h.db, "w1", sent(b.key));
    const count = await failUnfinished(
      h.db,
      { disputeId: null, authorityId: "birmingham", plannerKey, kind: "overdue", stage: 1 },
      "the job failed",
    );
    expect(count).toBe(1);
    expect(await findRow(h.db, a.key)).toMatchObject({ status: "failed", reason: "the job failed" });
    expect(await findRow(h.db, b.key)).toMatchObject({ status: "sent" });
  });

  it("writes one failed row for a notification that never wrote any, once", async () => {
    const plannerKey = "fu2";
    const e = { disputeId: null, authorityId: "birmingham", plannerKey, kind: "overdue", stage: 1 };
    expect(await failUnfinished(h.db, e, "the job failed")).toBe(1);
    expect(await failUnfinished(h.db, e, "the job failed again")).toBe(0);
    const rows = await h.db.select().from(outbox).where(eq(outbox.plannerKey, plannerKey));
    expect(rows.map((r) => [r.key, r.status])).toEqual([[`${plannerKey}/-`, "failed"]]);
  });

  it("runs as one transaction: two at once write one row between them", async () => {
    const plannerKey = "fu3";
    const e = { disputeId: null, authorityId: "birmingham", plannerKey, kind: "overdue", stage: 1 };
    const counts = await Promise.all([failUnfinished(h.db, e, "one"), failUnfinished(h.db, e, "two")]);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(1);
    expect(await h.db.select().from(outbox).where(eq(outbox.plannerKey, plannerKey))).toHaveLength(1);
  });
});
