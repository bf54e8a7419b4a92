import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../src/db/client.ts";
import { disputeEvents } from "../../src/db/schema.ts";
import { freshDatabase, insertBareDispute } from "../support/db.ts";

let h: DbHandle;
beforeAll(async () => {
  h = await freshDatabase();
});
afterAll(async () => h?.close());

describe("the PostgreSQL schema", () => {
  it("keeps the event log append-only", async () => {
    const d = await insertBareDispute(h.db, { reference: "R-1" });
    await h.db.insert(disputeEvents).values({ disputeId: d.id, seq: 0, type: "raised", at: new Date() });
    const refusal = async (q: Promise<unknown>) => {
      const e = await q.then(
        () => undefined,
        (err: Error & { cause?: Error }) => err,
      );
      return String(e?.cause?.message ?? e?.message);
    };
    expect(await refusal(h.db.execute(sql`update dispute_events set type = 'resolved'`))).toMatch(/append-only: UPDATE refused/);
    expect(await refusal(h.db.execute(sql`delete from dispute_events`))).toMatch(/append-only: DELETE refused/);
  });
});

describe("a DRP_NOW clock started again", () => {
  it("is refused when it would run back past the latest step recorded, saying by how much; a later one, or none, starts", async () => {
    const { refuseClockBehindRecord, latestRecorded } = await import("../../src/app/clock-check.ts");
    const d = await insertBareDispute(h.db, { reference: "R-CLOCK", raisedAt: new Date("2026-11-24T10:00:00Z") });
    // the demo's morning, run on for 3 hours and 12 minutes, then started again at the same instant
    await h.db.insert(disputeEvents).values({
      disputeId: d.id,
      seq: 0,
      type: "raised",
      at: new Date("2030-11-24T13:12:00Z"),
      recordedAt: new Date("2030-11-24T13:12:00Z"),
    });
    expect(await latestRecorded(h.db)).toEqual(new Date("2030-11-24T13:12:00Z"));
    const again = refuseClockBehindRecord(h.db, new Date("2030-11-24T10:00:00Z"), "2030-11-24T10:00:00Z");
    await expect(again).rejects.toThrow(
      "DRP_NOW=2030-11-24T10:00:00Z is 3 hours 12 minutes before the latest step recorded (2030-11-24T13:12:00.000Z): the clock would run backwards. Start without DRP_NOW, or with an instant after 2030-11-24T13:12:00.000Z.",
    );
    await expect(refuseClockBehindRecord(h.db, new Date("2030-11-24T13:13:00Z"), "2030-11-24T13:13:00Z")).resolves.toBeUndefined();
    // written later than it is dated (a backdated step): the date is what the next step is checked against
    await h.db.insert(disputeEvents).values({
      disputeId: d.id,
      seq: 1,
      type: "response_recorded",
      at: new Date("2030-11-24T13:12:30Z"),
      recordedAt: new Date("2030-11-25T09:00:00Z"),
    });
    await expect(refuseClockBehindRecord(h.db, new Date("2030-11-24T13:13:00Z"), "2030-11-24T13:13:00Z")).resolves.toBeUndefined();
    // the real clock is never refused here: a server whose clock is wrong is not this check's to judge
    await expect(refuseClockBehindRecord(h.db, new Date("2030-11-24T10:00:00Z"), undefined)).resolves.toBeUndefined();
  });
});
