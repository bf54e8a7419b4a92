// The outbox on a real PostgreSQL: the promise that each email is sent once
// rests on these statements, so each rule is pinned down here.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../src/db/client.ts";
import { outbox } from "../../src/db/schema.ts";
import { claim, failUnfinished, findRow, markFailed, markSent, type OutboxEntry, recordSkip, release } from "../../src/mail/outbox.ts";
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
const entry = (over: Partial<OutboxEntry> = {}): OutboxEntry => {
  n += 1;
  return {
    key: `k${n}/team_manager`,
    disputeId: null,
    authorityId: "birmingham",
    plannerKey: `k${n}`,
    kind: "overdue",
    stage: 1,
    recipientRole: "team_manager",
    ...over,
  };
};
const sentResult = { smtpResponse: "250 ok", to: ["a@example.org"], cc: [], at: T0 };

describe("claim", () => {
  it("takes a new row, and refuses it to another worker while the lease is live", async () => {
    const e = entry();
    expect(await claim(h.db, e, "w1", T0, LEASE)).toMatchObject({ status: "sending", lockedBy: "w1", attempts: 1 });
    expect(await claim(h.db, e, "w2", later(LEASE - 1), LEASE)).toBeUndefined();
    expect(await findRow(h.db, e.key)).toMatchObject({ lockedBy: "w1" });
  });

  it("takes a row over once its holder's lease has run out, counting the attempt", async () => {
    const e = entry();
    await claim(h.db, e, "w1", T0, LEASE);
    const taken = await claim(h.db, e, "w2", later(LEASE + 1), LEASE);
    expect(taken).toMatchObject({ status: "sending", lockedBy: "w2", attempts: 2 });
  });

  it("takes a released row again", async () => {
    const e = entry();
    await claim(h.db, e, "w1", T0, LEASE);
    await release(h.db, e.key, "w1", "451 try later");
    expect(await findRow(h.db, e.key)).toMatchObject({ status: "pending", lastError: "451 try later", lockedBy: null });
    expect(await claim(h.db, e, "w2", later(1), LEASE)).toMatchObject({ lockedBy: "w2", attempts: 2 });
  });

  it("never takes a row that is sent, skipped or failed, however old", async () => {
    const sent = entry();
    await claim(h.db, sent, "w1", T0, LEASE);
    expect(await markSent(h.db, sent.key, "w1", sentResult)).toBe(true);
    const skipped = entry();
    expect(await recordSkip(h.db, skipped, "lapsed")).toBe(true);
    const failed = entry();
    await claim(h.db, failed, "w1", T0, LEASE);
    await markFailed(h.db, failed.key, "gave up", "w1");
    for (const e of [sent, skipped, failed]) {
      expect(await claim(h.db, e, "w9", later(365 * 86_400_000), LEASE), e.key).toBeUndefined();
    }
    expect((await findRow(h.db, sent.key))?.status).toBe("sent");
    expect((await findRow(h.db, skipped.key))?.status).toBe("skipped");
    expect((await findRow(h.db, failed.key))?.status).toBe("failed");
  });
});

describe("only the worker holding a row may finish it", () => {
  it("refuses markSent from a worker that lost the row to another", async () => {
    const e = entry();
    await claim(h.db, e, "w1", T0, LEASE);
    await claim(h.db, e, "w2", later(LEASE + 1), LEASE);
    expect(await markSent(h.db, e.key, "w1", sentResult)).toBe(false);
    expect(await findRow(h.db, e.key)).toMatchObject({ status: "sending", lockedBy: "w2" });
    expect(await markSent(h.db, e.key, "w2", sentResult)).toBe(true);
    expect(await findRow(h.db, e.key)).toMatchObject({ status: "sent", lockedBy: null });
  });

  it("ignores release and markFailed from a worker that does not hold the row", async () => {
    const e = entry();
    await claim(h.db, e, "w1", T0, LEASE);
    await release(h.db, e.key, "w2", "not mine");
    await markFailed(h.db, e.key, "not mine", "w2");
    expect(await findRow(h.db, e.key)).toMatchObject({ status: "sending", lockedBy: "w1", lastError: null });
    await markFailed(h.db, e.key, "mine", "w1");
    expect(await findRow(h.db, e.key)).toMatchObject({ status: "failed", reason: "mine" });
  });
});

describe("failUnfinished", () => {
  it("fails every unfinished email of a notification, leaving the finished ones alone", async () => {
    const plannerKey = "fu1";
    const a = entry({ key: `${plannerKey}/team_manager`, plannerKey });
    const b = entry({ key: `${plannerKey}/qa_inbox`, plannerKey, recipientRole: "qa_inbox" });
    await claim(h.db, a, "w1", T0, LEASE);
    await claim(h.db, b, "w1", T0, LEASE);
    await markSent(h.db, b.key, "w1", sentResult);
    const failed = await failUnfinished(
      h.db,
      { disputeId: null, authorityId: "birmingham", plannerKey, kind: "overdue", stage: 1 },
      "the job failed",
    );
    expect(failed).toBe(1);
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
