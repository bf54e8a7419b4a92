// Review deadlines end to end: a worker on real Redis, PostgreSQL and SMTP on
// Wednesday 7 April 2027 at 11:00 BST. WF: decisions sent on 30 March and no
// answer by 5pm on Tuesday 6 April, so the team manager and the IRO are told
// the decisions are agreed (§3.3). Gloucestershire: a review held on 6 April,
// audit due Friday 9th (¶1); rated Red, the team manager is asked to respond
// within a month of the review, copying the quality manager (¶4).

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "../../src/db/schema.ts";
import { parseIsoDate } from "../../src/domain/calendar/dates.ts";
import { createReview, stepReview } from "../../src/service/reviews.ts";
import { until } from "../support/mail-sink.ts";
import { type Stack, startStack } from "../support/worker.ts";

let s: Stack;
const ivy = { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" as const };
const kinds = () => s.sink.received.filter((m) => String(m.headers.get("x-drp-kind")).startsWith("review_"));
const line = (m: (typeof s.sink.received)[number]) => `${m.headers.get("x-drp-kind")} ${m.to.join(",")}`;
let glos = "";

beforeAll(async () => {
  process.env.DRP_REVIEWS_MS = "300";
  s = await startStack("2027-04-07T10:00:00Z");
  const wf = await createReview(s.svc, "wf", {
    procedure: "iro",
    childRef: "W-1",
    team: "cic-1",
    heldOn: parseIsoDate("2027-03-23"),
    chairedBy: ivy,
    at: new Date("2027-03-23T15:00:00Z"),
  });
  await stepReview(s.svc, "wf", wf.review.id, { type: "decisions_sent", at: new Date("2027-03-30T09:00:00Z") });
  const g = await createReview(s.svc, "gloucestershire", {
    procedure: "iro",
    childRef: "G-1",
    team: "stroud-cla",
    heldOn: parseIsoDate("2027-04-06"),
    chairedBy: ivy,
    at: new Date("2027-04-06T14:00:00Z"),
  });
  glos = g.review.id;
  await s.startWorker({ concurrency: 4 });
  await until(() => kinds().length >= 4, "the review emails", 30_000);
  await new Promise((r) => setTimeout(r, 1500));
}, 60_000);
afterAll(async () => {
  delete process.env.DRP_REVIEWS_MS;
  await s?.stop();
});

describe("review emails", () => {
  it("tell WF's team manager and the IRO that the decisions are agreed, and send nothing overtaken or lapsed", () => {
    const wf = kinds().filter((m) => m.subject.includes("WF-REV-"));
    expect(wf.map(line).sort()).toEqual(["review_agreed ivy.reviewer@example.org", "review_agreed tm-cic1@wf.example.org"]);
    const [tm] = wf.filter((m) => m.to.includes("tm-cic1@wf.example.org"));
    expect(tm!.text).toMatch(
      /No response was recorded by 5pm on Tuesday 6 April 2027\. No response was received, so the Independent Reviewing Officer \(IRO\) considers that the decisions are agreed/,
    );
    expect(tm!.text).toMatch(/Review reference: WF-REV-2027-0001/);
    expect(tm!.replyTo).toBe("ivy.reviewer@example.org");
  });

  it("tell Gloucestershire's IRO the audit is due on Friday 9 April (three working days)", () => {
    const g = kinds().filter((m) => m.subject.includes("GLO-REV-"));
    expect(g.map(line).sort()).toEqual(["review_due ivy.reviewer@example.org", "review_reminder ivy.reviewer@example.org"]);
    expect(g[0]!.text).toMatch(/Post-review audit for statutory review GLO-REV-2027-0001/);
    expect(g[0]!.text).toMatch(/by 5pm on Friday 9 April 2027/);
  });

  it("after a Red rating, ask the team manager, copy the quality manager, and say that no one holds the social worker's role", async () => {
    const before = kinds().length;
    await stepReview(s.svc, "gloucestershire", glos, { type: "rated", rating: "red" });
    await until(() => kinds().length >= before + 2, "the Red rating's emails", 20_000);
    await new Promise((r) => setTimeout(r, 1500));
    const red = kinds().slice(before);
    expect(red.map(line).sort()).toEqual(["review_due qm@gloucestershire.example.org", "review_due tm-stroud@gloucestershire.example.org"]);
    const tm = red.find((m) => m.to.includes("tm-stroud@gloucestershire.example.org"))!;
    expect(tm.text).toMatch(/Response to a Red rating for statutory review GLO-REV-2027-0001: due by 5pm on Thursday 6 May 2027/);
    expect(tm.text).toMatch(/No one holds the role Social Worker/);
    // each email once
    expect(new Set(kinds().map((m) => m.key)).size).toBe(kinds().length);
  });

  it("copies the child's own social worker and their line manager named on the review (¶4), and the line manager once when that is the team manager", async () => {
    const held = (childRef: string, casePeople: Record<string, string>) =>
      createReview(s.svc, "gloucestershire", {
        procedure: "iro",
        childRef,
        casePeople,
        team: "stroud-cla",
        heldOn: parseIsoDate("2027-04-06"),
        chairedBy: ivy,
        at: new Date("2027-04-06T14:00:00Z"),
      });
    const named = await held("G-2", { social_worker: "sw-stroud-1", social_worker_line_manager: "ps-stroud" });
    const same = await held("G-3", { social_worker: "sw-stroud-1", social_worker_line_manager: "tm-stroud" });
    const before = kinds().length;
    await stepReview(s.svc, "gloucestershire", named.review.id, { type: "rated", rating: "red" });
    await stepReview(s.svc, "gloucestershire", same.review.id, { type: "rated", rating: "red" });
    const red = (ref: string) =>
      kinds()
        .slice(before)
        .filter((m) => m.subject.includes(ref) && m.headers.get("x-drp-kind") === "review_due");
    await until(() => red(named.review.reference).length >= 4 && red(same.review.reference).length >= 3, "the Red ratings' emails", 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(
      red(named.review.reference)
        .flatMap((m) => m.to)
        .sort(),
    ).toEqual([
      "ps-stroud@gloucestershire.example.org",
      "qm@gloucestershire.example.org",
      "sw-stroud-1@gloucestershire.example.org",
      "tm-stroud@gloucestershire.example.org",
    ]);
    const tm = red(named.review.reference).find((m) => m.to.includes("tm-stroud@gloucestershire.example.org"))!;
    expect(tm.text).not.toMatch(/No one holds the role/);
    expect(tm.text).toMatch(/Social Worker's line manager|Social worker's line manager/i);
    // the line manager is the team manager: one email, as the team manager asked to respond
    const once = red(same.review.reference);
    expect(once.flatMap((m) => m.to).sort()).toEqual([
      "qm@gloucestershire.example.org",
      "sw-stroud-1@gloucestershire.example.org",
      "tm-stroud@gloucestershire.example.org",
    ]);
    const rows = await s.svc.db.select().from(outbox).where(eq(outbox.recipientRole, "social_worker_line_manager"));
    const skipped = rows.find((r) => r.key.includes(same.review.id));
    expect(skipped).toMatchObject({ status: "skipped" });
    expect(skipped?.reason).toMatch(/the same person as the team_manager/);
  }, 45_000);
});
