// The bounce mailbox's reader on its folder (the embedded default's mailbox)
// and a real PostgreSQL: a message that cannot be filed does not stop the rest
// (left for a person after three passes), and a good one after it is filed
// and moved; nothing is logged of what either message says.
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "../../src/db/schema.ts";
import { folderMailbox } from "../../src/mail/inbound/folder-mailbox.ts";
import type { Mailbox } from "../../src/mail/inbound/mailbox.ts";
import { startBounceReader } from "../../src/mail/inbound/reader.ts";
import { verpAddress } from "../../src/mail/verp.ts";
import { raiseBody, type TestApp, testApp } from "../support/app.ts";
import { fixture } from "../support/inbound.ts";
import { until } from "../support/mail-sink.ts";

const BOUNCE = "drp-bounces@council.example";
let t: TestApp;
beforeAll(async () => {
  t = await testApp("2026-11-23T10:00:00Z");
});
afterAll(async () => t?.close());

describe("the reader", () => {
  it("leaves a message it cannot file after three passes, and files the next one", async () => {
    const d = (await t.call("birmingham", "POST", "/disputes", raiseBody())).body;
    const [row] = await t.svc.db
      .insert(outbox)
      .values({
        key: `${d.id}:s1:e0:reader/team_manager`,
        disputeId: d.id,
        authorityId: "birmingham",
        plannerKey: `${d.id}:s1:e0:reader`,
        kind: "stage_raised",
        stage: 1,
        recipientRole: "team_manager",
        status: "sent",
        toAddresses: ["tm-north@birmingham.example.org"],
        messageId: "<reader@drp.example.org>",
      })
      .returning();
    const dir = mkdtempSync(join(tmpdir(), "drp-bounces-"));
    mkdirSync(join(dir, "new"), { recursive: true });
    const fill = { verp: verpAddress(BOUNCE, row!.bounceToken), rcpt: "tm-north@birmingham.example.org", msgid: row!.messageId! };
    writeFileSync(join(dir, "new", "1-bad.eml"), fixture("postfix-dsn.eml", fill, "bad"));
    writeFileSync(join(dir, "new", "2-good.eml"), fixture("postfix-dsn.eml", fill, "good"));
    // the first message cannot be read whole (as an IMAP server may fail one message): its id is known, its text never comes
    const open = async (): Promise<Mailbox> => {
      const box = folderMailbox(dir);
      const unreadable = () => Promise.reject(Object.assign(new Error("x"), { code: "EUNREADABLE" }));
      return {
        ...box,
        list: async () =>
          (await box.list()).map((m) =>
            m.handle === "1-bad.eml" ? { ...m, messageId: "<unreadable@mail.example.org>", raw: unreadable } : m,
          ),
      };
    };
    const reader = startBounceReader({ svc: t.svc, bounceAddress: BOUNCE, open, log: t.svc.log, pollMs: 50 });
    try {
      await until(() => readdirSync(join(dir, "filed")).length === 1, "the good message filed", 10_000);
      await until(
        async () =>
          (
            (await t.svc.db.execute(
              sql`select 1 from inbound_messages where id = '<unreadable@mail.example.org>' and filed_as = 'other'`,
            )) as unknown[]
          ).length === 1,
        "the bad one left for a person",
        10_000,
      );
    } finally {
      await reader.stop();
    }
    expect(readdirSync(join(dir, "new"))).toEqual(["1-bad.eml"]);
    expect(readdirSync(join(dir, "filed"))).toEqual(["2-good.eml"]);
    const [after] = await t.svc.db.select().from(outbox).where(eq(outbox.key, row!.key));
    expect(after?.status).toBe("bounced");
    const lines = t.logs.filter((l) => l.includes("bounce mailbox"));
    expect(lines.some((l) => l.includes("left it for a person"))).toBe(true);
    for (const l of lines) expect(l).not.toMatch(/Recipient address rejected|tm-north|BIR-20/);
  });
});
