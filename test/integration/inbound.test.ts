// Filing what the bounce mailbox holds, on a real PostgreSQL: a hard bounce
// marks its one outbox row and the address; a second copy of the same
// message changes nothing; the directory's gaps and the outstanding list name
// the bounced holder; `drp directory undeliverable` lists and clears marks.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDirectory } from "../../src/db/queries/directory.ts";
import { outbox } from "../../src/db/schema.ts";
import { directoryGaps } from "../../src/domain/gaps.ts";
import { parseInbound } from "../../src/mail/inbound/parse.ts";
import { verpAddress } from "../../src/mail/verp.ts";
import { fileMessage } from "../../src/service/inbound.ts";
import { raiseBody, type TestApp, testApp } from "../support/app.ts";
import { drp } from "../support/cli.ts";
import { fixture } from "../support/inbound.ts";

const BOUNCE = "drp-bounces@council.example";
const TM = "tm-north@birmingham.example.org";
let t: TestApp;
let disputeId: string;
beforeAll(async () => {
  t = await testApp("2026-11-23T10:00:00Z");
  const r = await t.call("birmingham", "POST", "/disputes", raiseBody());
  disputeId = r.body.id;
  // the CLI on the test's clock, as one deployment's processes share one
  Object.assign(process.env, { DATABASE_URL: t.handle.url, DRP_NOW: "2026-11-23T10:00:00Z" });
});
afterAll(async () => {
  delete process.env.DATABASE_URL;
  delete process.env.DRP_NOW;
  await t?.close();
});

let n = 0;
/** An email of the dispute as the worker leaves it once sent: its row, with its own token. */
async function sentEmail(to = TM) {
  n += 1;
  const [row] = await t.svc.db
    .insert(outbox)
    .values({
      key: `${disputeId}:s1:e0:test_${n}/team_manager`,
      disputeId,
      authorityId: "birmingham",
      plannerKey: `${disputeId}:s1:e0:test_${n}`,
      kind: "stage_raised",
      stage: 1,
      recipientRole: "team_manager",
      status: "sent",
      toAddresses: [to],
      messageId: `<test-${n}@drp.example.org>`,
    })
    .returning();
  return row!;
}

const report = async (name: string, row: Awaited<ReturnType<typeof sentEmail>>, tag: string) =>
  parseInbound(fixture(name, { verp: verpAddress(BOUNCE, row.bounceToken), rcpt: row.toAddresses![0]!, msgid: row.messageId! }, tag));

describe("a hard bounce, filed", () => {
  it("marks its one row bounced with the code, and the address undeliverable; the same message again changes nothing", async () => {
    const row = await sentEmail();
    const other = await sentEmail();
    const m = await report("postfix-dsn.eml", row, "a");
    const r = await fileMessage(t.svc, BOUNCE, m, new Date("2026-11-23T10:05:00Z"));
    expect(r).toMatchObject({ result: "filed", as: "delivery_report", authority: "birmingham", disputes: [disputeId] });
    const [after] = await t.svc.db.select().from(outbox).where(eq(outbox.key, row.key));
    expect(after).toMatchObject({ status: "bounced", deliveryStatus: "5.1.1" });
    expect(after!.reason).toMatch(/^bounced: 5\.1\.1, no mailbox has that address/);
    const [untouched] = await t.svc.db.select().from(outbox).where(eq(outbox.key, other.key));
    expect(untouched!.status).toBe("sent");
    expect(await fileMessage(t.svc, BOUNCE, m, new Date())).toEqual({ result: "already" });
    const dir = await loadDirectory(t.svc.db, "birmingham");
    expect(dir.undeliverable?.get(TM)).toMatchObject({ status: "5.1.1" });
  });

  it("the role is a gap: on the directory gaps with who bounced", async () => {
    const a = t.svc.authorities.get("birmingham")!;
    const gaps = directoryGaps(a, await loadDirectory(t.svc.db, "birmingham"));
    const g = gaps.find((x) => x.teamId === "cla-north" && x.role === "team_manager");
    expect(g?.bounced).toEqual([expect.objectContaining({ email: TM, status: "5.1.1" })]);
    // the other team's manager is reachable: no gap there
    expect(gaps.find((x) => x.teamId === "cla-south" && x.role === "team_manager")).toBeUndefined();
  });

  it("a report about no email of ours, and a person's reply, are left for a person", async () => {
    const row = await sentEmail();
    const stranger = await parseInbound(
      fixture("postfix-dsn.eml", { verp: verpAddress(BOUNCE, "ffffffffffffffffffff"), rcpt: TM, msgid: "<x@y>" }, "b"),
    );
    expect(await fileMessage(t.svc, BOUNCE, stranger, new Date())).toEqual({ result: "left", why: "about no email of ours" });
    const reply = await report("person-reply.eml", row, "c");
    expect(await fileMessage(t.svc, BOUNCE, reply, new Date())).toMatchObject({ result: "left" });
  });

  it("drp directory undeliverable lists the mark, and --clear clears it", async () => {
    const listed = await drp("directory", "undeliverable", "--authority", "birmingham", "--json");
    expect(listed.code).toBe(0);
    expect(listed.json().undeliverable).toEqual([expect.objectContaining({ email: TM, status: "5.1.1" })]);
    const cleared = await drp("directory", "undeliverable", "--authority", "birmingham", "--clear", TM.toUpperCase(), "--json");
    expect(cleared.json()).toMatchObject({ cleared: true, undeliverable: [] });
    expect((await loadDirectory(t.svc.db, "birmingham")).undeliverable?.size).toBe(0);
    const again = await drp("directory", "undeliverable", "--authority", "birmingham", "--clear", TM);
    expect(again.out).toMatch(/was not marked undeliverable/);
    expect((await drp("directory", "undeliverable", "--authority", "nowhere")).code).not.toBe(0);
  });

  it("soft bounces count afresh from the mark's clearing: the third in a row is hard", async () => {
    // a minute after the CLI cleared the mark (its clock runs from the same start)
    t.clock.advance(60_000);
    const rows = [await sentEmail(), await sentEmail(), await sentEmail()];
    const results = [];
    for (const [i, row] of rows.entries()) {
      await fileMessage(t.svc, BOUNCE, await report("postfix-delayed.eml", row, `soft${i}`), new Date());
      const [r] = await t.svc.db.select({ status: outbox.status }).from(outbox).where(eq(outbox.key, row.key));
      results.push(r!.status);
    }
    expect(results).toEqual(["sent", "sent", "bounced"]);
  });
});
