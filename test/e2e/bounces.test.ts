// Emails that don't arrive, end to end: a real worker sending to the SMTP
// sink with each email's own envelope sender, a real IMAP server (Dovecot)
// as the bounce mailbox, and the reader filing what comes back. A delivery
// report (Exchange Online's, Gmail's, Postfix's) marks the one email bounced
// and tells the IRO and the QA inbox once; an automatic reply tells the IRO
// once, with the date read from it; a message that is neither is left unread;
// a reader stopped between filing and moving files nothing twice.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imapMailbox, imapSettingsFromEnv } from "../../src/mail/inbound/imap-mailbox.ts";
import { FILED_FOLDER, type Mailbox } from "../../src/mail/inbound/mailbox.ts";
import { type BounceReader, startBounceReader } from "../../src/mail/inbound/reader.ts";
import { findRow } from "../../src/mail/outbox.ts";
import { raiseDispute } from "../../src/service/disputes.ts";
import { clearUndeliverable } from "../../src/service/inbound.ts";
import type { RaiseInput } from "../../src/service/inputs.ts";
import { stageOneInput } from "../support/dispute.ts";
import { type RunningDovecot, startDovecot } from "../support/dovecot.ts";
import { fixture } from "../support/inbound.ts";
import { type Received, until } from "../support/mail-sink.ts";
import { type Stack, startStack } from "../support/worker.ts";

const BOUNCE = "drp-bounces@council.example";
const IVY = { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" as const };
const TM = "tm-north@birmingham.example.org";
const QA = "qa-inbox@birmingham.example.org";

let s: Stack;
let imap: RunningDovecot;
let reader: BounceReader | undefined;
const env = () => ({ IMAP_URL: imap.url, IMAP_PASSWORD: imap.pass, IMAP_STARTTLS: "false" });
const openImap = () => imapMailbox(imapSettingsFromEnv(env())!);

beforeAll(async () => {
  [s, imap] = await Promise.all([startStack("2026-11-24T10:00:00Z"), startDovecot()]);
  await s.startWorker({ concurrency: 4, bounceAddress: BOUNCE });
  reader = startBounceReader({ svc: s.svc, bounceAddress: BOUNCE, open: openImap, log: s.svc.log, pollMs: 300 });
}, 60_000);
afterAll(async () => {
  await reader?.stop();
  await s?.stop();
  await imap?.stop();
});

let n = 0;
async function raised(): Promise<{ id: string; reference: string; email: Received }> {
  n += 1;
  const r = await raiseDispute(s.svc, "birmingham", stageOneInput(`BOUNCE-${n}`, "cla-north", IVY) as RaiseInput);
  const id = r.dispute.id;
  const first = () => s.sink.received.find((m) => m.key.startsWith(`${id}:`) && m.key.endsWith(":stage_raised/team_manager"));
  await until(() => first() !== undefined, "the team manager's email", 20_000);
  return { id, reference: r.dispute.reference, email: first()! };
}

/** The rows a query returns. */
const rows = async (q: ReturnType<typeof sql>) => (await s.svc.db.execute(q)) as unknown as Record<string, unknown>[];
const of = (id: string, kind: string) =>
  s.sink.received.filter((m) => m.key.startsWith(`${id}:`) && String(m.headers.get("x-drp-kind")) === kind);
const fill = (e: Received) => ({ verp: e.envelopeFrom, rcpt: e.to[0]!, msgid: e.messageId });

describe("a delivery report", () => {
  it.each(["exchange-online-ndr.eml", "gmail-dsn.eml", "postfix-dsn.eml"])(
    "%s: one bounced row, one email to the IRO and one to the QA inbox, the message filed away",
    async (name) => {
      const d = await raised();
      // the envelope sender is this email's own address on the bounce mailbox: no reference, id or name in it
      expect(d.email.envelopeFrom).toMatch(/^drp-bounces\+[0-9a-f]{20}@council\.example$/);
      for (const secret of [d.reference, d.id, "BOUNCE-", "Tessa", "north"]) expect(d.email.envelopeFrom).not.toContain(secret);
      await imap.deliver(fixture(name, fill(d.email), `t${n}`));
      await until(() => of(d.id, "delivery_failed").length >= 2, "the notices of the bounce", 20_000);
      await new Promise((r) => setTimeout(r, 1_000)); // nothing more comes
      const told = of(d.id, "delivery_failed");
      expect(told.map((m) => m.to[0]).sort()).toEqual([QA, IVY.email].sort());
      const ivy = told.find((m) => m.to[0] === IVY.email)!;
      expect(ivy.text).toMatch(/could not be delivered: status 5\.1\.1?0?/);
      expect(ivy.text).toContain(d.reference);
      expect(ivy.text).not.toContain("must never appear");
      expect(told.find((m) => m.to[0] === QA)!.text).toMatch(/directory/);
      const row = await findRow(s.svc.db, String(d.email.headers.get("x-drp-key")));
      expect(row).toMatchObject({ status: "bounced" });
      expect(row?.deliveryStatus).toMatch(/^5\.1\.1/);
      const bounced = await rows(sql`select count(*)::int as n from outbox where dispute_id = ${d.id} and status = 'bounced'`);
      expect(bounced[0]).toMatchObject({ n: 1 });
      // the dispute's timeline records it
      const events = await rows(sql`select type from dispute_events where dispute_id = ${d.id} and type = 'email_bounced'`);
      expect(events).toHaveLength(1);
      // filed away, read; the inbox empty
      await until(async () => (await imap.folder("INBOX")).length === 0, "the inbox emptied", 10_000);
      expect((await imap.folder(FILED_FOLDER)).filter((m) => m.seen).length).toBeGreaterThan(0);
      await clearUndeliverable(s.svc, "birmingham", TM);
    },
    40_000,
  );

  it("the next email for the role goes to the QA inbox, standing in, until the directory is mended", async () => {
    const d = await raised();
    await imap.deliver(fixture("postfix-dsn.eml", fill(d.email), `t${n}`));
    await until(() => of(d.id, "delivery_failed").length >= 2, "the notices of the bounce", 20_000);
    // a second dispute for the same team: its first email is the QA inbox's, with the banner naming the bounce
    const r = await raiseDispute(s.svc, "birmingham", stageOneInput("BOUNCE-NEXT", "cla-north", IVY) as RaiseInput);
    await until(() => of(r.dispute.id, "stage_raised").length >= 2, "the next dispute's emails", 20_000);
    const forTm = of(r.dispute.id, "stage_raised").filter((m) => m.key.endsWith("/team_manager"));
    expect(forTm.map((m) => m.to[0])).toEqual([QA]);
    expect(forTm[0]!.text).toMatch(/bounced on Tuesday 24 November 2026 \(status 5\.1\.1\)/);
    expect(s.sink.received.filter((m) => m.to.includes(TM) && m.key.startsWith(r.dispute.id))).toEqual([]);
    await clearUndeliverable(s.svc, "birmingham", TM);
  }, 40_000);

  it("three emails in a row delayed (soft bounces) count as one hard bounce", async () => {
    const ds = [await raised(), await raised(), await raised()];
    for (const [i, d] of ds.entries()) {
      await imap.deliver(fixture("postfix-delayed.eml", fill(d.email), `t${n}-${i}`));
      // a second report of the first delay (the far end's, after the relay's) is the same email's: it does not count again
      if (i === 0) await imap.deliver(fixture("postfix-delayed.eml", fill(d.email), `t${n}-${i}-again`));
      await until(async () => (await imap.folder("INBOX")).length === 0, "the reports filed", 10_000);
    }
    await until(() => of(ds[2]!.id, "delivery_failed").length >= 2, "the notices of the third delay", 20_000);
    const types = async (id: string) =>
      (
        await rows(
          sql`select type from dispute_events where dispute_id = ${id} and type in ('email_delayed', 'email_bounced') order by seq`,
        )
      ).map((e) => e.type);
    expect(await types(ds[0]!.id)).toEqual(["email_delayed", "email_delayed"]);
    expect(await types(ds[1]!.id)).toEqual(["email_delayed"]);
    expect(await types(ds[2]!.id)).toEqual(["email_bounced"]);
    expect(of(ds[0]!.id, "delivery_failed")).toEqual([]);
    expect(of(ds[2]!.id, "delivery_failed").find((m) => m.to[0] === IVY.email)!.text).toMatch(/3 emails in a row .* were delayed/);
    await clearUndeliverable(s.svc, "birmingham", TM);
  }, 40_000);
});

describe("an automatic reply", () => {
  it("tells the IRO once, with the return date read from it, however many replies come", async () => {
    const d = await raised();
    await imap.deliver(fixture("exchange-auto-reply.eml", fill(d.email)));
    await until(() => of(d.id, "recipient_away").length >= 1, "the notice of the absence", 20_000);
    await imap.deliver(fixture("gmail-vacation.eml", fill(d.email)));
    await until(async () => (await imap.folder("INBOX")).length === 0, "both filed", 10_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const told = of(d.id, "recipient_away");
    expect(told).toHaveLength(1);
    expect(told[0]!.to).toEqual([IVY.email]);
    expect(told[0]!.text).toMatch(/is away until Monday 4 January 2027/);
    expect(told[0]!.text).toMatch(/due by 5pm on Tuesday 8 December 2026, which falls while they are away/);
    expect(of(d.id, "delivery_failed")).toEqual([]);
    const row = await findRow(s.svc.db, String(d.email.headers.get("x-drp-key")));
    expect(row?.status).toBe("sent");
  }, 40_000);
});

describe("anything else", () => {
  it("is left in the inbox unread, and nobody is emailed", async () => {
    const d = await raised();
    const before = s.sink.received.length;
    await imap.deliver(fixture("person-reply.eml", fill(d.email)));
    await until(
      async () => (await rows(sql`select 1 from inbound_messages where id = '<CAF=personreply77@mail.example.org>'`)).length === 1,
      "the reader to look at it",
      10_000,
    );
    await new Promise((r) => setTimeout(r, 1_000));
    const inbox = await imap.folder("INBOX");
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.seen).toBe(false);
    expect(s.sink.received.length).toBe(before);
    // taken away by hand, so that the tests after this one start from an empty inbox
    const box = await openImap();
    await box.fileAway(String(inbox[0]!.uid));
    await box.close();
  }, 30_000);
});

describe("a reader stopped between filing a message and moving it", () => {
  it("files it exactly once when it starts again", async () => {
    await reader?.stop();
    reader = undefined;
    const d = await raised();
    // a mailbox that dies as it moves the message: the filing is committed, the message still in the inbox
    let died = false;
    const dying = async (): Promise<Mailbox> => {
      const box = await openImap();
      return {
        ...box,
        fileAway: async () => {
          died = true;
          await box.close();
          throw new Error("killed");
        },
      };
    };
    const first = startBounceReader({ svc: s.svc, bounceAddress: BOUNCE, open: dying, log: s.svc.log, pollMs: 300 });
    await imap.deliver(fixture("exchange-online-ndr.eml", fill(d.email), `t${n}`));
    await until(() => died, "the filing", 20_000);
    await first.stop();
    expect(await imap.folder("INBOX")).toHaveLength(1);
    reader = startBounceReader({ svc: s.svc, bounceAddress: BOUNCE, open: openImap, log: s.svc.log, pollMs: 300 });
    await until(async () => (await imap.folder("INBOX")).length === 0, "the message moved on restart", 20_000);
    await until(() => of(d.id, "delivery_failed").length >= 2, "the notices", 20_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const counts = await rows(
      sql`select (select count(*)::int from delivery_reports where outbox_key = ${String(d.email.headers.get("x-drp-key"))}) as reports,
                 (select count(*)::int from dispute_events where dispute_id = ${d.id} and type = 'email_bounced') as events`,
    );
    expect(counts[0]).toEqual({ reports: 1, events: 1 });
    expect(of(d.id, "delivery_failed")).toHaveLength(2);
    await clearUndeliverable(s.svc, "birmingham", TM);
  }, 60_000);
});
