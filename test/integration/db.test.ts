import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../src/db/client.ts";
import { disputeEvents, disputes } from "../../src/db/schema.ts";
import { freshDatabase } from "../support/db.ts";

let h: DbHandle;
beforeAll(async () => {
  h = await freshDatabase();
});
afterAll(async () => h?.close());

describe("the PostgreSQL schema", () => {
  it("keeps the event log append-only", async () => {
    const [d] = await h.db
      .insert(disputes)
      .values({
        authorityId: "birmingham",
        reference: "R-1",
        procedure: "iro",
        childRef: "C1",
        raisedByName: "I",
        raisedByEmail: "i@example.org",
        raisedByRole: "iro",
        teamId: "t",
        serviceId: "s",
        categories: ["other"],
        summary: "x",
        stage: 1,
        status: "open",
        awaiting: "response",
        raisedAt: new Date(),
      })
      .returning();
    await h.db.insert(disputeEvents).values({ disputeId: d!.id, seq: 0, type: "raised", at: new Date() });
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
