// Good practice copied to the QA DHoS (WF §11.1 "QA DHOS will be copied in")
// on a real PostgreSQL and a real SMTP server, through the worker's own sweep
// and send path (without BullMQ): once per entry and role, in sending hours,
// without the description; a role nobody holds is a failed row for the QA
// inbox's daily list, not a silent gap.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.ts";
import { authorities } from "../../src/config/authorities.ts";
import type { DbHandle } from "../../src/db/client.ts";
import { goodPractice, outbox } from "../../src/db/schema.ts";
import type { Authority } from "../../src/domain/procedure/model.ts";
import { createLogger } from "../../src/log.ts";
import { createRenderer } from "../../src/mail/render.ts";
import { type Mailer, smtpMailer } from "../../src/mail/transport.ts";
import { createMetrics } from "../../src/metrics.ts";
import { sendDueGoodPracticeNotices } from "../../src/queue/good-practice.ts";
import { workerDeps } from "../../src/queue/worker.ts";
import type { Services } from "../../src/service/context.ts";
import { importDirectory, parseDirectory } from "../../src/service/directory.ts";
import { recordGoodPractice } from "../../src/service/good-practice.ts";
import { goodPracticeInput } from "../../src/service/register-inputs.ts";
import { demoDirectory } from "../support/app.ts";
import { freshDatabase } from "../support/db.ts";
import { type Sink, startSink } from "../support/mail-sink.ts";

let h: DbHandle;
let sink: Sink;
let mailer: Mailer;
let svc: Services & { clock: ReturnType<typeof fixedClock> };
let deps: ReturnType<typeof workerDeps>;
const logs: string[] = [];
const SECRET = "Description-not-for-email-7731";
const input = (over: Record<string, unknown> = {}) =>
  goodPracticeInput.parse({
    noticedOn: "2027-03-10",
    procedure: "iro",
    team: "cic-1",
    about: "team",
    description: SECRET,
    noticedBy: { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" },
    ...over,
  });

beforeAll(async () => {
  h = await freshDatabase();
  sink = await startSink();
  mailer = smtpMailer(sink.url);
  const all = new Map(authorities());
  // the national template copies a role its directory leaves empty
  all.set("national", {
    ...all.get("national")!,
    registers: [{ kind: "good_practice", name: "Good practice register", copied: ["qa_deputy_head_of_service"], source: "test" }],
  } as Authority);
  const log = createLogger({ level: "debug", destination: { write: (l: string) => void logs.push(l) } });
  // Wednesday 10 March 2027, 10:00 in London: sending hours
  svc = { db: h.db, authorities: all, clock: fixedClock("2027-03-10T10:00:00Z"), log };
  for (const id of ["wf", "national"]) await importDirectory(svc, parseDirectory(svc, demoDirectory(id)));
  deps = workerDeps({
    svc,
    renderer: await createRenderer(),
    mailer,
    metrics: createMetrics(),
    from: "IRO Dispute Resolution <drp@drp.example.org>",
    leaseMs: 60_000,
    retry: { attempts: 5, baseDelayMs: 1_000 },
    links: null,
    workerId: "w1",
  });
});
afterAll(async () => {
  mailer?.close();
  await sink?.stop();
  await h?.close();
});

const dueAt = async (id: string) => (await h.db.select().from(goodPractice).where(eq(goodPractice.id, id)))[0]!.noticeDueAt;

describe("good practice copied to the QA DHoS (WF §11.1)", () => {
  it("sends one email per entry to the QA DHoS, replying to the chair, without the description; once", async () => {
    const entry = await recordGoodPractice(svc, "wf", input());
    expect(await dueAt(entry.id)).not.toBeNull();
    expect(await sendDueGoodPracticeNotices(deps)).toBe(1);
    const mine = sink.received.filter((m) => m.key === `register:wf:good_practice:${entry.id}/qa_deputy_head_of_service`);
    expect(mine).toHaveLength(1);
    const m = mine[0]!;
    expect(m.to).toEqual(["qa-dhos@wf.example.org"]);
    expect(m.replyTo).toContain("ivy.reviewer@example.org");
    expect(String(m.headers.get("x-drp-kind"))).toBe("good_practice_recorded");
    expect(m.subject).toContain(`good practice recorded, ${entry.reference}`);
    expect(m.text).toMatch(/Ivy Reviewer \(IRO\) has recorded good practice by the team in Children in Care 1/);
    expect(m.text + m.html).not.toContain(SECRET);
    expect(await dueAt(entry.id)).toBeNull();
    // the next sweep has nothing to send
    expect(await sendDueGoodPracticeNotices(deps)).toBe(0);
    expect(sink.received.filter((r) => r.key.includes(entry.id))).toHaveLength(1);
    expect(logs.join("\n")).not.toContain(SECRET);
  });

  it("waits for sending hours: recorded on a Saturday, sent at Monday's opening", async () => {
    svc.clock.set("2027-03-13T11:00:00Z");
    const entry = await recordGoodPractice(svc, "wf", input({ noticedOn: "2027-03-12" }));
    expect(await sendDueGoodPracticeNotices(deps)).toBe(0);
    expect(await dueAt(entry.id)).not.toBeNull();
    svc.clock.set("2027-03-15T09:05:00Z");
    expect(await sendDueGoodPracticeNotices(deps)).toBe(1);
    expect(sink.received.filter((r) => r.key.includes(entry.id))).toHaveLength(1);
  });

  it("records a copy nobody can be sent as failed, for the QA inbox's list, and sends no other authority's entry", async () => {
    const before = sink.received.length;
    const entry = await recordGoodPractice(svc, "national", input({ team: "cic-team" }));
    expect(await sendDueGoodPracticeNotices(deps)).toBe(0);
    const [row] = await h.db
      .select()
      .from(outbox)
      .where(eq(outbox.key, `register:national:good_practice:${entry.id}/qa_deputy_head_of_service`));
    expect(row).toMatchObject({ status: "failed", authorityId: "national", kind: "good_practice_recorded" });
    expect(row!.reason).toMatch(/no one holds the role qa_deputy_head_of_service/);
    expect(await dueAt(entry.id)).toBeNull();
    expect(sink.received.length).toBe(before);
    expect(sink.received.every((r) => r.to.every((x) => x.endsWith("@wf.example.org")))).toBe(true);
  });
});
