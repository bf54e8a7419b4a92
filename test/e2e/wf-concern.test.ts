// WF §1.6 through a real worker, Redis, PostgreSQL and an SMTP server: a team
// manager's concern about an IRO goes to the QA DHoS, with the 15 working days
// counted across Christmas, and a copy to the team manager; nothing about it
// goes to the IRO concerned (who does get their own alert's emails), to
// business support's shared inbox, or to the Principal IRO.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { raiseDispute, takeStep } from "../../src/service/disputes.ts";
import type { RaiseInput } from "../../src/service/inputs.ts";
import { until } from "../support/mail-sink.ts";
import { type Stack, startStack } from "../support/worker.ts";

let s: Stack;
beforeAll(async () => {
  // Monday 14 December 2026, 10:00 in London: sending hours
  s = await startStack("2026-12-14T10:00:00Z");
  await s.startWorker({ concurrency: 4 });
}, 60_000);
afterAll(async () => s?.stop());

const ivy = { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" as const };
const toby = { name: "Toby Manager", email: "toby.manager@example.org", role: "team_manager" as const };
const DHOS = "qa-dhos@wf.example.org";
const SECRET = "A concern that must never appear in an email";
const of = (id: string) => s.sink.received.filter((r) => r.key.startsWith(id));
const kind = (id: string, k: string) => of(id).filter((r) => r.key.includes(`:${k}/`));
const addressees = (id: string) => new Set(of(id).flatMap((r) => [...r.to, ...r.cc]));

describe("a §1.6 concern about an IRO", () => {
  let alert: string;
  let concern: string;
  let reference: string;

  beforeAll(async () => {
    // the IRO's own alert, so that the sink shows their address is one the worker sends to
    const a = await raiseDispute(s.svc, "wf", {
      procedure: "iro",
      childRef: "WF-C-1",
      raisedBy: ivy,
      team: "cic-1",
      stage: 2,
      categories: ["permanence_drift"],
      summary: SECRET,
    } as RaiseInput);
    alert = a.dispute.id;
    const c = await raiseDispute(s.svc, "wf", {
      procedure: "performance",
      childRef: "WF-C-1",
      raisedBy: toby,
      concerning: { name: ivy.name, role: "iro" },
      team: "cic-1",
      stage: 1,
      categories: ["review_or_conference_conduct"],
      summary: SECRET,
    } as RaiseInput);
    concern = c.dispute.id;
    reference = c.dispute.reference;
    await until(() => kind(concern, "stage_raised").length >= 2 && kind(alert, "stage_raised").length >= 1, "both announcements");
    await new Promise((r) => setTimeout(r, 1_500)); // nothing more may follow
  }, 60_000);

  it("goes to the QA DHoS, due at 5pm on Thursday 7 January 2027, and to the team manager who raised it", () => {
    const [toDhos] = kind(concern, "stage_raised").filter((r) => r.to.includes(DHOS));
    expect(toDhos, "the QA DHoS's email").toBeDefined();
    expect(toDhos!.to).toEqual([DHOS]);
    expect(toDhos!.subject).toBe(`IRO/CPC performance concern ${reference}`);
    expect(toDhos!.replyTo).toBe(toby.email);
    expect(toDhos!.text).toMatch(
      /Toby Manager \(Team Manager\) has raised a concern about Ivy Reviewer \(Independent Reviewing Officer, IRO\)/,
    );
    expect(toDhos!.text).toMatch(/by 5pm on Thursday 7 January 2027: 15 working days after stage 1 began on Monday 14 December 2026/);
    expect(toDhos!.text).toMatch(/Arrange an investigation, and give your feedback to Toby Manager\./);
    expect(toDhos!.calendar).toMatch(/DTEND:20270107T170000Z/);
    const [toToby] = kind(concern, "stage_raised").filter((r) => r.to.includes(toby.email));
    expect(toToby!.text).toMatch(/Your concern is at stage 1, with Queenie Example \(QA Deputy Head of Service, QA DHoS\)/);
    expect(toToby!.text).toMatch(/You are receiving this as the Team Manager who raised it/);
  });

  it("reaches nobody else: not the IRO concerned, not business support, not the Principal IRO", () => {
    expect(addressees(concern)).toEqual(new Set([DHOS, toby.email]));
    expect(addressees(alert)).toContain(ivy.email); // the IRO is emailed about their own alert
    // nor do the logs carry the summary or whom the concern is about
    expect(s.logs.join("\n")).not.toContain(SECRET);
    expect(s.logs.join("\n")).not.toContain(ivy.name);
    for (const r of of(concern)) {
      expect(r.subject).not.toContain("Ivy");
      expect(r.text).not.toContain(SECRET);
      expect(r.text).not.toMatch(/Cafcass|child's case record/);
    }
  });

  it("escalated straight to the DD: the DD, with the QA DHoS and the team manager copied, and still not the IRO", async () => {
    await takeStep(s.svc, "wf", concern, { type: "escalated", toStage: 3, version: 1 });
    await until(() => of(concern).some((r) => r.key.includes(":s3:") && r.to.includes("dd@wf.example.org")), "the DD's email");
    await until(() => kind(concern, "stage_left").length >= 1, "the QA DHoS told it has moved on");
    await new Promise((r) => setTimeout(r, 1_500));
    const dd = of(concern).find((r) => r.key.includes(":s3:") && r.to.includes("dd@wf.example.org"))!;
    expect(dd.text).toMatch(/There is no response date at this stage: the procedure gives no timescale once the matter is escalated\./);
    expect(kind(concern, "stage_left")[0]!.to).toEqual([DHOS]);
    expect(addressees(concern)).toEqual(new Set([DHOS, toby.email, "dd@wf.example.org"]));
  }, 60_000);
});
