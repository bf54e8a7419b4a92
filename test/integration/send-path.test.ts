// The worker's send path on real PostgreSQL and a real SMTP server, driven
// batch by batch without BullMQ: what a stalled job handed to a second worker
// while the first still sends does, what a worker whose lease ran out may
// record, and the worker's own sending-hours guard on late and retried emails.
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.ts";
import { authorities } from "../../src/config/authorities.ts";
import type { DbHandle } from "../../src/db/client.ts";
import { disputeEvents, outbox } from "../../src/db/schema.ts";
import { createLogger } from "../../src/log.ts";
import { createRenderer } from "../../src/mail/render.ts";
import { type Mailer, smtpMailer } from "../../src/mail/transport.ts";
import { tokenOf } from "../../src/mail/verp.ts";
import { createMetrics } from "../../src/metrics.ts";
import { processBatch } from "../../src/queue/dispatch.ts";
import { workerDeps } from "../../src/queue/worker.ts";
import type { Services } from "../../src/service/context.ts";
import { importDirectory, parseDirectory } from "../../src/service/directory.ts";
import { raiseDispute } from "../../src/service/disputes.ts";
import type { RaiseInput } from "../../src/service/inputs.ts";
import { demoDirectory } from "../support/app.ts";
import { freshDatabase } from "../support/db.ts";
import { type Sink, startSink, until } from "../support/mail-sink.ts";

let h: DbHandle;
let sink: Sink;
let renderer: Awaited<ReturnType<typeof createRenderer>>;
const mailers: Mailer[] = [];
beforeAll(async () => {
  h = await freshDatabase();
  sink = await startSink();
  renderer = await createRenderer();
  const svc = services("2026-11-24T10:00:00Z");
  for (const id of ["national", "birmingham"]) await importDirectory(svc, parseDirectory(svc, demoDirectory(id)));
});
afterAll(async () => {
  for (const m of mailers) m.close();
  await sink?.stop();
  await h?.close();
});

function services(now: string): Services & { clock: ReturnType<typeof fixedClock> } {
  return { db: h.db, authorities: authorities(), clock: fixedClock(now), log: createLogger({ level: "silent" }) };
}

/** A real SMTP mailer whose hand-overs wait until `open()` is called. */
function gatedMailer() {
  const real = smtpMailer(sink.url);
  mailers.push(real);
  let open!: () => void;
  const gate = new Promise<void>((r) => {
    open = r;
  });
  let waiting = 0;
  const mailer: Mailer = {
    describe: "gated",
    connections: real.connections,
    async send(e) {
      waiting += 1;
      await gate;
      return real.send(e);
    },
    close: () => real.close(),
  };
  return { mailer, open, waiting: () => waiting };
}

function worker(svc: Services, mailer: Mailer, workerId: string, leaseMs = 60_000, bounceAddress: string | null = null) {
  return workerDeps({
    svc,
    renderer,
    mailer,
    metrics: createMetrics(),
    from: "IRO Dispute Resolution <drp@drp.example.org>",
    leaseMs,
    retry: { attempts: 5, baseDelayMs: 1_000 },
    links: null,
    workerId,
    bounceAddress,
  });
}

const ivy = { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" as const };
async function raise(svc: Services, childRef: string) {
  const r = await raiseDispute(svc, "national", {
    procedure: "iro",
    childRef,
    raisedBy: ivy,
    team: "cic-team",
    stage: 1,
    categories: ["other"],
    summary: "x",
  } as RaiseInput);
  return r.dispute.id;
}

const received = (id: string) => sink.received.filter((r) => r.key.startsWith(id));
const rows = (id: string) => h.db.select().from(outbox).where(eq(outbox.disputeId, id));
const sentRecords = (id: string) =>
  h.db
    .select()
    .from(disputeEvents)
    .where(and(eq(disputeEvents.disputeId, id), inArray(disputeEvents.type, ["notification_sent"])));

describe("two workers on one dispute's emails at once (a stalled job handed over while the first still sends)", () => {
  it("the second takes none of what the first holds, comes back when its lease would end, and every email goes once", async () => {
    const svc = services("2026-11-24T10:00:00Z");
    const id = await raise(svc, "TW-1");
    const a = gatedMailer();
    const first = processBatch(worker(svc, a.mailer, "wa"), [{ disputeId: id, authorityId: "national" }]);
    await until(() => a.waiting() === 3, "the first worker holding the three emails at the server");
    expect((await rows(id)).map((r) => [r.status, r.lockedBy])).toEqual(Array(3).fill(["sending", "wa"]));

    const b = smtpMailer(sink.url);
    mailers.push(b);
    const second = await processBatch(worker(svc, b, "wb"), [{ disputeId: id, authorityId: "national" }]);
    expect(second.get(id)?.sent).toBe(0);
    // it comes back once the first worker's lease could have run out, not before
    expect(second.get(id)?.next?.getTime()).toBeGreaterThanOrEqual(svc.clock.now().getTime() + 60_000);
    expect(received(id)).toHaveLength(0);

    a.open();
    expect((await first).get(id)?.sent).toBe(3);
    await until(() => received(id).length >= 3, "the three emails");
    expect(new Set(received(id).map((r) => r.key)).size).toBe(3);
    expect(received(id)).toHaveLength(3);
    expect(await sentRecords(id)).toHaveLength(3);
    expect((await rows(id)).every((r) => r.status === "sent")).toBe(true);
  });

  it("a worker whose lease ran out and was taken over may not record over the one that took it", async () => {
    const svc = services("2026-11-24T10:00:00Z");
    const id = await raise(svc, "TW-2");
    const a = gatedMailer();
    const first = processBatch(worker(svc, a.mailer, "wa", 1_000), [{ disputeId: id, authorityId: "national" }]);
    await until(() => a.waiting() === 3, "the first worker holding the three emails at the server");
    svc.clock.advance(2_000);
    const b = smtpMailer(sink.url);
    mailers.push(b);
    const logs: string[] = [];
    const logged = { ...svc, log: createLogger({ level: "info", destination: { write: (l: string) => void logs.push(l) } }) };
    const second = await processBatch(worker(logged, b, "wb"), [{ disputeId: id, authorityId: "national" }]);
    expect(second.get(id)?.sent).toBe(3);
    // the operator reads that it took over each of the first worker's emails
    const taken = logs.map((l) => JSON.parse(l)).filter((l) => l.msg === "lease ran out: sending an email another worker had claimed");
    expect(taken.map((l) => [l.from, l.attempt, l.disputeId])).toEqual([
      ["wa", 2, id],
      ["wa", 2, id],
      ["wa", 2, id],
    ]);
    a.open();
    // the server takes the first worker's late copies too (its lease had run out: the price of a lease),
    // but the outbox and the dispute's log hold the second worker's record only, once
    expect((await first).get(id)?.sent).toBe(0);
    expect((await rows(id)).map((r) => r.status)).toEqual(["sent", "sent", "sent"]);
    expect(await sentRecords(id)).toHaveLength(3);
  });
});

describe("each email's own envelope sender on the bounce mailbox (VERP)", () => {
  it("goes out as BOUNCE_ADDRESS with the email's token, which finds its outbox row, and nothing else", async () => {
    const svc = services("2026-11-24T10:00:00Z");
    const id = await raise(svc, "VERP-1");
    const m = smtpMailer(sink.url);
    mailers.push(m);
    await processBatch(worker(svc, m, "wv", 60_000, "drp-bounces@council.example"), [{ disputeId: id, authorityId: "national" }]);
    await until(() => received(id).length >= 3, "the three emails");
    for (const r of received(id)) {
      expect(r.envelopeFrom).toMatch(/^drp-bounces\+[0-9a-f]{20}@council\.example$/);
      expect(r.envelopeFrom).not.toContain("VERP-1");
      const token = tokenOf("drp-bounces@council.example", r.envelopeFrom)!;
      // the row's own random token finds the one row the email was
      const found = await h.db.select({ key: outbox.key }).from(outbox).where(eq(outbox.bounceToken, token));
      expect(found.map((f) => f.key)).toEqual([r.key]);
      expect(r.envelopeFrom).not.toContain(r.key.slice(0, 8)); // nothing of the key (the dispute's id)
    }
    // the envelope is not the header: From stays the service's
    for (const r of received(id)) expect(JSON.stringify(r.headers.get("from"))).toContain("drp@drp.example.org");
    expect(new Set(received(id).map((r) => r.envelopeFrom)).size).toBe(3);
  });

  it("without BOUNCE_ADDRESS, the envelope sender is From's address", async () => {
    const svc = services("2026-11-24T10:00:00Z");
    const id = await raise(svc, "VERP-2");
    const m = smtpMailer(sink.url);
    mailers.push(m);
    await processBatch(worker(svc, m, "wv2"), [{ disputeId: id, authorityId: "national" }]);
    await until(() => received(id).length >= 3, "the three emails");
    expect(received(id).map((r) => r.envelopeFrom)).toEqual(Array(3).fill("drp@drp.example.org"));
  });
});

describe("the worker's own sending-hours guard, for late and retried emails", () => {
  it("holds a retry that falls at 03:00 on a Sunday until Monday's opening, then sends it", async () => {
    // Friday 27 November 2026, 16:00 in London: the stage's emails fall due and the server refuses them
    const svc = services("2026-11-27T16:00:00Z");
    const id = await raise(svc, "SH-1");
    sink.refusing = true;
    const m = smtpMailer(sink.url);
    mailers.push(m);
    const w = worker(svc, m, "wh");
    const friday = await processBatch(w, [{ disputeId: id, authorityId: "national" }]);
    sink.refusing = false;
    expect(friday.get(id)?.sent).toBe(0);
    expect((await rows(id)).map((r) => r.status)).toEqual(["pending", "pending", "pending"]);

    // the retry comes round at 03:00 on Sunday 29 November: nothing goes
    svc.clock.set("2026-11-29T03:00:00Z");
    const sunday = await processBatch(w, [{ disputeId: id, authorityId: "national" }]);
    expect(sunday.get(id)?.sent).toBe(0);
    expect(received(id)).toHaveLength(0);
    // the next opening: Monday 30 November, 09:00 in London (GMT)
    expect(sunday.get(id)?.next?.toISOString()).toBe("2026-11-30T09:00:00.000Z");

    svc.clock.set("2026-11-30T09:00:00Z");
    expect((await processBatch(w, [{ disputeId: id, authorityId: "national" }])).get(id)?.sent).toBe(3);
    await until(() => received(id).length >= 3, "Monday's emails");
  });

  it("lets a notice due at close of business go within the hour after, and not later", async () => {
    // Birmingham, raised at 10:00 on 10 November 2026: stage 1 is due at close of business on 24 November
    const svc = services("2026-11-10T10:00:00Z");
    const r = await raiseDispute(svc, "birmingham", {
      procedure: "iro",
      childRef: "SH-2",
      raisedBy: ivy,
      team: "cla-north",
      stage: 1,
      categories: ["other"],
      summary: "x",
    } as RaiseInput);
    const id = r.dispute.id;
    const m = smtpMailer(sink.url);
    mailers.push(m);
    const w = worker(svc, m, "wg");
    await processBatch(w, [{ disputeId: id, authorityId: "birmingham" }]);
    const overdue = async () => (await rows(id)).filter((x) => x.kind === "overdue");
    // 18:30 on the day it fell due: an hour and a half late, outside sending hours: it waits for the morning
    svc.clock.set("2026-11-24T18:30:00Z");
    const evening = await processBatch(w, [{ disputeId: id, authorityId: "birmingham" }]);
    expect(await overdue()).toHaveLength(0);
    expect(evening.get(id)?.next?.toISOString()).toBe("2026-11-25T09:00:00.000Z");
    // 17:40 (a busy worker, forty minutes late): it goes that evening
    svc.clock.set("2026-11-24T17:40:00Z");
    await processBatch(w, [{ disputeId: id, authorityId: "birmingham" }]);
    expect((await overdue()).map((x) => x.status)).toContain("sent");
  });
});

describe("a resend is the same message, for every kind of email", () => {
  /** The server takes each email; the first time for each, the worker "dies" before it can record that. */
  function diesOnceEach() {
    const real = smtpMailer(sink.url);
    mailers.push(real);
    const seen = new Set<string>();
    const mailer: Mailer = {
      describe: "smtp that loses the worker once per email",
      connections: real.connections,
      async send(e) {
        const r = await real.send(e);
        const key = e.headers["X-DRP-Key"]!;
        if (!seen.has(key)) {
          seen.add(key);
          throw new Error("worker lost after the server took the message");
        }
        return r;
      },
      close: () => real.close(),
    };
    return mailer;
  }
  const copies = (prefix: string) => {
    const byKey = new Map<string, { messageIds: Set<string>; dates: Set<number>; n: number }>();
    for (const r of sink.received.filter((x) => x.key.startsWith(prefix))) {
      const c = byKey.get(r.key) ?? byKey.set(r.key, { messageIds: new Set(), dates: new Set(), n: 0 }).get(r.key)!;
      c.messageIds.add(r.messageId);
      c.dates.add(r.date.getTime());
      c.n += 1;
    }
    return [...byKey.values()];
  };
  const expectSameMessageTwice = (prefix: string) => {
    const c = copies(prefix);
    expect(c.length).toBeGreaterThan(0);
    for (const x of c) expect({ n: x.n, ids: x.messageIds.size, dates: x.dates.size }).toEqual({ n: 2, ids: 1, dates: 1 });
  };

  it("a review's emails (Gloucestershire's post-review audit)", async () => {
    const svc = services("2026-11-24T10:00:00Z");
    await importDirectory(svc, parseDirectory(svc, demoDirectory("gloucestershire")));
    const { createReview } = await import("../../src/service/reviews.ts");
    const { sendDueReviewEmails } = await import("../../src/queue/reviews.ts");
    const { review } = await createReview(svc, "gloucestershire", {
      procedure: "iro",
      childRef: "RV-1",
      team: "stroud-cla",
      heldOn: "2026-11-24",
      chairedBy: ivy,
    } as never);
    // the audit is due 27 November: the reminder, the due-today notice and the overdue notice come round
    const w = worker(svc, diesOnceEach(), "wr");
    for (const t of ["2026-11-26T10:00:00Z", "2026-11-27T10:00:00Z", "2026-11-27T17:00:00Z"]) {
      svc.clock.set(t);
      await sendDueReviewEmails(w);
      svc.clock.advance(60_000);
      await sendDueReviewEmails(w);
    }
    expectSameMessageTwice(`review:${review.id}`);
  });

  it("a report (the national template's quarterly report) and the QA inbox's failure list", async () => {
    const svc = services("2026-10-01T10:00:00Z");
    const { sendReport } = await import("../../src/queue/reports.ts");
    const { sendFailureDigests } = await import("../../src/queue/digest.ts");
    const { parsePeriod } = await import("../../src/domain/report/period.ts");
    const { recordFinal } = await import("../../src/mail/outbox.ts");
    const a = svc.authorities.get("national")!;
    const w = worker(svc, diesOnceEach(), "wq");
    await sendReport(w, a, a.reports[0]!, parsePeriod("2026-Q3"));
    svc.clock.advance(60_000);
    await sendReport(w, a, a.reports[0]!, parsePeriod("2026-Q3"));
    expectSameMessageTwice("report:national:quarterly:2026-Q3/");

    await recordFinal(h.db, [
      {
        key: "lost-one/team_manager",
        disputeId: null,
        authorityId: "national",
        plannerKey: "lost-one",
        kind: "overdue",
        stage: 1,
        recipientRole: "team_manager",
        status: "failed",
        reason: "gave up after 10 attempts",
      },
    ]);
    await sendFailureDigests(w);
    svc.clock.advance(60_000);
    await sendFailureDigests(w);
    expectSameMessageTwice("digest:national:");
  });
});

describe("a role held by two people", () => {
  it("sends each their own email, with links bound to them (so whoever acts is recorded as themselves)", async () => {
    const svc = services("2026-11-24T10:00:00Z");
    const dir = demoDirectory("national") as {
      people: { id: string; name: string; email: string }[];
      teams: { id: string; roles: Record<string, string | string[]> }[];
    };
    dir.people.push({ id: "tm2", name: "Tess Example", email: "tm2@national.example.org" });
    dir.teams.push({ id: "cic-two", name: "Children in Care Two", service: "cic", roles: { team_manager: ["tm", "tm2"] } } as never);
    await importDirectory(svc, parseDirectory(svc, dir));
    const r = await raiseDispute(svc, "national", {
      procedure: "iro",
      childRef: "TWO-1",
      raisedBy: ivy,
      team: "cic-two",
      stage: 1,
      categories: ["other"],
      summary: "x",
    } as RaiseInput);
    const id = r.dispute.id;
    const { linkKeys, openToken } = await import("../../src/links/token.ts");
    const keys = linkKeys(Buffer.from("Vb2-nM8qW4eR6tY0uI9oP3aS5dF7gH1jKlZxC_"));
    const m = smtpMailer(sink.url);
    mailers.push(m);
    const w = { ...worker(svc, m, "w2"), links: { publicUrl: "https://drp.example.org", keys, days: 14 } };
    await processBatch(w, [{ disputeId: id, authorityId: "national" }]);
    await until(() => received(id).length >= 4, "the four emails");
    const tms = received(id).filter((x) => x.key.includes("/team_manager"));
    expect(tms.map((x) => x.to).sort()).toEqual([["tm2@national.example.org"], ["tm@national.example.org"]]);
    expect(new Set(tms.map((x) => x.messageId)).size).toBe(2);
    for (const email of tms) {
      const url = /href="https:\/\/drp\.example\.org\/act\/([^"]+)"/.exec(email.html)?.[1];
      expect(url, email.to[0]).toBeDefined();
      const opened = await openToken(keys, url!, svc.clock.now(), 14);
      expect(opened.ok && opened.claims.e).toBe(email.to[0]);
      // each is told the other was sent it too
      expect(email.text).toContain(email.to[0] === "tm@national.example.org" ? "Tess Example" : "Timo Example");
    }
    // sent once each: a second batch sends nothing more
    expect((await processBatch(w, [{ disputeId: id, authorityId: "national" }])).get(id)?.sent).toBe(0);
  });
});

describe("the log of a directory gap", () => {
  it("names the team and the roles by id, never the team's name as the directory gives it", async () => {
    const lines: string[] = [];
    const svc = {
      ...services("2026-11-24T10:00:00Z"),
      log: createLogger({ level: "info", destination: { write: (l: string) => void lines.push(l) } }),
    };
    // the directory as it stands (earlier tests may have added teams with open disputes), and a team nobody manages
    const { directoryToFile, loadDirectory } = await import("../../src/db/queries/directory.ts");
    const dir = directoryToFile(await loadDirectory(h.db, "national"));
    dir.teams.push({ id: "cic-empty", name: "Fostering Team of Jane Doe", service: "cic", roles: {} });
    await importDirectory(svc, parseDirectory(svc, dir));
    const r = await raiseDispute(svc, "national", {
      procedure: "iro",
      childRef: "GAP-1",
      raisedBy: ivy,
      team: "cic-empty",
      stage: 1,
      categories: ["other"],
      summary: "x",
    } as RaiseInput);
    const m = smtpMailer(sink.url);
    mailers.push(m);
    await processBatch(worker(svc, m, "wl"), [{ disputeId: r.dispute.id, authorityId: "national" }]);
    const gap = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === "directory gap");
    expect(gap).toMatchObject({ team: "cic-empty", roles: ["team_manager"] });
    expect(lines.join("\n")).not.toContain("Jane Doe");
  });
});
