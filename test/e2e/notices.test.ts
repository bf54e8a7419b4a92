// Notices of what happened, through a real worker, Redis, PostgreSQL and an
// SMTP server: a response recorded tells the IRO at once (Newham's with its
// two-calendar-day outcome date); an escalation tells the previous holder and
// withdraws their deadline from their calendar (METHOD:CANCEL, the same UID);
// a close cancels the current holder's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { raiseDispute, takeStep } from "../../src/service/disputes.ts";
import type { RaiseInput } from "../../src/service/inputs.ts";
import { stageOneInput } from "../support/dispute.ts";
import { type Received, until } from "../support/mail-sink.ts";
import { type Stack, startStack } from "../support/worker.ts";

let s: Stack;
beforeAll(async () => {
  // Tuesday 24 November 2026, 10:00 in London: sending hours
  s = await startStack("2026-11-24T10:00:00Z");
  await s.startWorker({ concurrency: 4 });
}, 60_000);
afterAll(async () => s?.stop());

const ivy = { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" as const };
const of = (id: string, kind: string) => s.sink.received.filter((r) => r.key.startsWith(id) && r.key.includes(`:${kind}/`));
const uid = (ics: string) => /^UID:(.+)$/m.exec(ics.replace(/\r\n /g, ""))?.[1]?.trim();
const method = (ics: string) => /^METHOD:(\w+)/m.exec(ics)?.[1];

async function raise(authority: string, team: string, childRef: string) {
  const r = await raiseDispute(s.svc, authority, stageOneInput(childRef, team, ivy) as RaiseInput);
  return r.dispute.id;
}

describe("a response recorded", () => {
  it("tells the IRO at once (Birmingham), and nothing of the response's text", async () => {
    const id = await raise("birmingham", "cla-north", "N-1");
    await until(() => of(id, "stage_raised").length >= 3, "the stage's announcement");
    await takeStep(s.svc, "birmingham", id, { type: "response_recorded", note: "A note that must never appear in an email" });
    await until(() => of(id, "response_recorded").length >= 1, "the IRO's notice of the response");
    const [notice] = of(id, "response_recorded") as [Received];
    expect(notice.to).toEqual([ivy.email]);
    expect(notice.subject).toMatch(/BIR-2026-\d{4}/);
    expect(notice.text).toMatch(/The Case-holding Team Manager recorded a response to stage 1 on Tuesday 24 November 2026\./);
    expect(notice.text).not.toContain("must never appear");
    // it goes once
    await new Promise((r) => setTimeout(r, 1_500));
    expect(of(id, "response_recorded")).toHaveLength(1);
  }, 60_000);

  it("gives Newham's IRO the form's two calendar days to record the outcome", async () => {
    const id = await raise("newham", "cla-a", "N-2");
    await until(() => of(id, "stage_raised").length >= 1, "the stage's announcement");
    await takeStep(s.svc, "newham", id, { type: "response_recorded" });
    await until(() => of(id, "response_recorded").length >= 1, "the IRO's notice of the response");
    expect(of(id, "response_recorded")[0]!.text).toMatch(/recorded by 5pm on Thursday 26 November 2026/);
  }, 60_000);
});

describe("an escalation, and the close", () => {
  it("tell the previous holder who has it now and withdraw their deadline; the close withdraws the current holder's", async () => {
    const id = await raise("birmingham", "cla-north", "N-3");
    await until(() => of(id, "stage_raised").length >= 3, "stage 1's announcement");
    const tm = of(id, "stage_raised").find((r) => r.to.includes("tm-north@birmingham.example.org"))!;
    expect(method(tm.calendar!)).toBe("REQUEST");

    await takeStep(s.svc, "birmingham", id, { type: "escalated", version: 1, confirmed: ["consult_iro_service_ahos_at_day_10"] });
    await until(() => of(id, "stage_left").length >= 1, "the team manager's notice that it moved on");
    const left = of(id, "stage_left")[0]!;
    expect(left.to).toEqual(["tm-north@birmingham.example.org"]);
    expect(left.subject).toBe(tm.subject); // the same conversation
    expect(left.text).toMatch(
      /moved from stage 1 to stage 2 on Tuesday 24 November 2026\. The Case-holding Head of Service holds it now\./,
    );
    expect(left.text).toContain("Nothing more is asked of you at stage 1.");
    expect(method(left.calendar!)).toBe("CANCEL");
    expect(uid(left.calendar!)).toBe(uid(tm.calendar!));

    await until(() => of(id, "stage_raised").some((r) => r.key.includes(":s2:")), "stage 2's announcement");
    const hos = of(id, "stage_raised").find((r) => r.key.includes(":s2:") && r.key.endsWith("/head_of_service"));
    expect(hos && method(hos.calendar!)).toBe("REQUEST");

    await takeStep(s.svc, "birmingham", id, { type: "resolved", version: 2 });
    await until(() => of(id, "closed").some((r) => r.key.endsWith("/head_of_service")), "the close");
    const closed = of(id, "closed").find((r) => r.key.endsWith("/head_of_service"))!;
    expect(method(closed.calendar!)).toBe("CANCEL");
    expect(uid(closed.calendar!)).toBe(uid(hos!.calendar!));
  }, 60_000);
});
