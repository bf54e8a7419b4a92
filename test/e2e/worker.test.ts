// End to end: backdated disputes in every seed authority, a worker on real
// Redis and PostgreSQL, and a real SMTP server on loopback. Each scenario
// must produce exactly the emails listed — recipients, copies, subject, dates —
// and no others. The clock starts on Tuesday 24 November 2026 at 10:00.

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "../../src/db/schema.ts";
import { parseIsoDate } from "../../src/domain/calendar/dates.ts";
import { importDirectory, parseDirectory } from "../../src/service/directory.ts";
import { raiseDispute, takeStep } from "../../src/service/disputes.ts";
import type { RaiseInput } from "../../src/service/inputs.ts";
import { demoDirectory } from "../support/app.ts";
import { type Received, until } from "../support/mail-sink.ts";
import { type Stack, startStack } from "../support/worker.ts";

let s: Stack;
const ivy = { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" as const };
const raise = (authority: string, over: Partial<RaiseInput>) =>
  raiseDispute(s.svc, authority, {
    procedure: "iro",
    childRef: "ECL-1",
    raisedBy: ivy,
    team: "x",
    stage: 1,
    categories: ["other"],
    summary: "A concern that must never appear in an email",
    ...over,
  } as RaiseInput);
const at = (iso: string) => new Date(iso);
const refs: Record<string, string> = {};

interface Expected {
  ref: string;
  kind: string;
  to: string[];
  cc?: string[];
  text?: RegExp;
}

beforeAll(async () => {
  s = await startStack("2026-11-24T10:00:00Z");
  // National's directory without a team manager: its emails go to the QA inbox with a banner.
  const national = demoDirectory("national") as { teams: { roles: Record<string, unknown> }[] };
  delete national.teams[0]!.roles.team_manager;
  await importDirectory(s.svc, parseDirectory(s.svc, national));

  const b = await raise("birmingham", { team: "cla-north", at: at("2026-11-02T10:00:00Z") });
  refs.bham = b.dispute.reference;
  const n = await raise("newham", { team: "cla-a", at: at("2026-11-17T10:00:00Z") });
  refs.newham = n.dispute.reference;
  const w = await raise("wf", { team: "cic-1", stage: 2, at: at("2026-11-16T10:00:00Z") });
  await takeStep(s.svc, "wf", w.dispute.id, { type: "response_recorded", at: at("2026-11-20T10:00:00Z") });
  refs.wf = w.dispute.reference;
  const g = await raise("gloucestershire", { team: "stroud-cla", timescaleWorkingDays: 5, at: at("2026-11-12T10:00:00Z") });
  await takeStep(s.svc, "gloucestershire", g.dispute.id, {
    type: "extension_agreed",
    until: parseIsoDate("2026-11-26"),
    at: at("2026-11-13T10:00:00Z"),
  });
  refs.glos = g.dispute.reference;
  // Gloucestershire goes one stage at a time: stage 1 on Wednesday, stage 2 Thursday, stage 3 Friday
  const g11 = await raise("gloucestershire", { team: "prospects-east", timescaleWorkingDays: 1, at: at("2026-11-18T10:00:00Z") });
  const esc = (toStage: number, iso: string, timescaleWorkingDays: number, confirmed?: string[]) =>
    takeStep(s.svc, "gloucestershire", g11.dispute.id, { type: "escalated", toStage, timescaleWorkingDays, confirmed, at: at(iso) });
  await esc(2, "2026-11-19T10:00:00Z", 1, ["discuss_with_quality_manager", "explain_actions_taken"]);
  await esc(3, "2026-11-20T10:00:00Z", 3, ["consult_cafcass_legal", "discuss_with_quality_manager_before_stage_3"]);
  await takeStep(s.svc, "gloucestershire", g11.dispute.id, { type: "referred_to_cafcass", at: at("2026-11-23T10:00:00Z") });
  refs.glos11 = g11.dispute.reference;
  const nat = await raise("national", { team: "cic-team", at: at("2026-11-20T10:00:00Z") });
  await takeStep(s.svc, "national", nat.dispute.id, { type: "resolved", at: at("2026-11-23T12:00:00Z") });
  refs.national = nat.dispute.reference;
  // the worker starts with every history written: the reconciler schedules each dispute's plan as it now stands
  await s.startWorker({ concurrency: 4 });
}, 60_000);
afterAll(async () => s?.stop());

const mail = (who: string, authority: string) => `${who}@${authority}.example.org`;
const IVY = ivy.email;

/** Each addressee's email, worded for them: To is the addressee; nobody is on Cc. */
function expected(): Expected[] {
  const B = (w: string) => mail(w, "birmingham");
  const N = (w: string) => mail(w, "newham");
  const G = (w: string) => mail(w, "gloucestershire");
  const W = (w: string) => mail(w, "wf");
  const T = (w: string) => mail(w, "national");
  return [
    // Birmingham stage 1, raised Mon 2 Nov: due Mon 16 Nov; 20 working days end Mon 30 Nov.
    // The stage's announcement still goes, late, saying the response is overdue, and the overdue
    // notice due with it is folded into it (one email per person); its reminders lapsed. The IRO's
    // limit warning is folded into the prompt, which says where the limit stands.
    { ref: refs.bham!, kind: "stage_raised", to: [B("tm-north")], text: /was due by 5pm on Monday 16 November 2026, 6 working days ago/ },
    { ref: refs.bham!, kind: "stage_raised", to: [B("qa-inbox")], text: /For information/ },
    { ref: refs.bham!, kind: "stage_raised", to: [IVY], text: /Your dispute is at stage 1/ },
    { ref: refs.bham!, kind: "escalation_prompt", to: [IVY], text: /4 working days of the 20 remain/ },
    { ref: refs.bham!, kind: "overall_warning", to: [B("iro-ahos")], text: /Ivy Reviewer has been told/ },
    { ref: refs.bham!, kind: "overall_warning", to: [B("qa-inbox")] },
    // Newham stage 1, raised Tue 17 Nov: due today, Tue 24 Nov; its reminder and "due today" fold into the announcement.
    { ref: refs.newham!, kind: "stage_raised", to: [N("pl-a")], text: /by 5pm on Tuesday 24 November 2026/ },
    { ref: refs.newham!, kind: "stage_raised", to: [N("lac-request")] },
    { ref: refs.newham!, kind: "stage_raised", to: [IVY] },
    // WF stage 2, answered: the IRO is prompted when the stage's time ended (Mon 23 Nov).
    { ref: refs.wf!, kind: "stage_raised", to: [W("tm-cic1")], text: /alert template and record it on FWi/ },
    { ref: refs.wf!, kind: "stage_raised", to: [W("qa-inbox")] },
    { ref: refs.wf!, kind: "stage_raised", to: [W("sm-cic")] },
    { ref: refs.wf!, kind: "stage_raised", to: [IVY] },
    { ref: refs.wf!, kind: "escalation_prompt", to: [IVY], text: /Head of Service/ },
    // the response recorded on Fri 20 Nov: the IRO was told of it (late, as the worker starts now)
    { ref: refs.wf!, kind: "response_recorded", to: [IVY], text: /recorded a response to stage 2 on Friday 20 November 2026/ },
    // Gloucestershire stage 1, extended to Thu 26 Nov: reminder two working days before. The quality
    // manager is copied (¶5–6) and stands in as the QA inbox, so is sent one copy.
    { ref: refs.glos!, kind: "stage_raised", to: [G("tm-stroud")] },
    { ref: refs.glos!, kind: "stage_raised", to: [G("qm")] },
    { ref: refs.glos!, kind: "stage_raised", to: [IVY] },
    { ref: refs.glos!, kind: "extension_agreed", to: [G("tm-stroud")], text: /by 5pm on Thursday 26 November 2026/ },
    { ref: refs.glos!, kind: "extension_agreed", to: [IVY], text: /No further extension may be agreed/ },
    { ref: refs.glos!, kind: "extension_agreed", to: [G("qm")] },
    // Gloucestershire over-11s stage 3 goes to that service's head of service; the referral to its operations director.
    { ref: refs.glos11!, kind: "stage_raised", to: [G("hos-o11")], text: /respond as the Head of Service/ },
    { ref: refs.glos11!, kind: "stage_raised", to: [G("qm")] },
    { ref: refs.glos11!, kind: "stage_raised", to: [IVY] },

    // it moved on from stage 2: its service leader is told who holds it now, and their deadline withdrawn
    { ref: refs.glos11!, kind: "stage_left", to: [G("sl-o11")], text: /moved from stage 2 to stage 3 on Friday 20 November 2026/ },
    { ref: refs.glos11!, kind: "cafcass_referral", to: [G("od-o11")], text: /nominated officer/ },
    { ref: refs.glos11!, kind: "cafcass_referral", to: [G("qm")] },
    { ref: refs.glos11!, kind: "cafcass_referral", to: [IVY] },
    // National, resolved: the closing notice; nobody holds team_manager, so it goes to the QA inbox with a banner.
    { ref: refs.national!, kind: "closed", to: [T("qa-inbox")], text: /No one holds the role Team Manager/ },
    { ref: refs.national!, kind: "closed", to: [IVY] },
  ];
}

function kindOf(r: Received): string {
  return String(r.headers.get("x-drp-kind"));
}

/** Every test reads what the worker has sent by now: each waits, once for all, for the expected
 * emails and a little longer for anything unexpected, so that none rests on an earlier test's wait. */
let settled: Promise<void> | undefined;
function delivered(): Promise<void> {
  settled ??= (async () => {
    const n = expected().length;
    await until(() => s.sink.received.length >= n, `${n} emails`, 40_000);
    await new Promise((r) => setTimeout(r, 1500)); // nothing more should arrive
  })();
  return settled;
}

describe("the worker sends exactly the expected emails", () => {
  it("and no others", async () => {
    await delivered();
    const want = expected();
    const got = s.sink.received;
    expect(got.map((r) => `${r.subject.split(" ").at(-1)} ${kindOf(r)} → ${r.to.join(",")}`).sort()).toEqual(
      want.map((w) => `${w.ref} ${w.kind} → ${w.to.join(",")}`).sort(),
    );
    for (const w of want) {
      const r = got.find((g) => g.subject.endsWith(w.ref) && kindOf(g) === w.kind && g.to.join() === w.to.join())!;
      // each addressee's email is their own: nobody is copied on another's
      expect(r.cc, `${w.ref} ${w.kind} cc`).toEqual(w.cc ?? []);
      if (w.text) expect(r.text, `${w.ref} ${w.kind}`).toMatch(w.text);
      expect(r.html).toContain("<!doctype html");
      expect(r.text).not.toContain("A concern that must never appear");
      expect(r.html).not.toContain("A concern that must never appear");
    }
    // every key once
    const keys = got.map((r) => `${r.to.join()}|${r.key}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("keeps one subject per dispute, threads them, and sets Reply-To and the outbox key", async () => {
    await delivered();
    const got = s.sink.received.filter((r) => r.subject.endsWith(refs.bham!));
    expect(new Set(got.map((r) => r.subject))).toEqual(new Set([`OFFICIAL-SENSITIVE Resolution and Escalation ${refs.bham}`]));
    const indexes = got.map((r) => Buffer.from(String(r.headers.get("thread-index")), "base64"));
    const root = `<drp.${String(got[0]!.key).split(":")[0]}@drp.example.org>`;
    for (const [i, r] of got.entries()) {
      // replies reach the IRO; the IRO's own emails do not point back at the IRO
      expect(r.replyTo).toBe(r.to.includes(IVY) ? "drp@drp.example.org" : IVY);
      expect(r.key).toMatch(/\/(team_manager|qa_inbox|instigator|iro_service_assistant_head_of_service)$/);
      expect(String(r.headers.get("thread-topic"))).toBe(r.subject);
      expect(indexes[i]!.subarray(0, 22).equals(indexes[0]!.subarray(0, 22))).toBe(true);
      // the first email of the dispute carries the bare root; every later one the root plus a child block
      const isRoot = r.key.endsWith(":e0:stage_raised/team_manager");
      expect(indexes[i]).toHaveLength(isRoot ? 22 : 27);
      if (isRoot) expect(r.messageId).toBe(root);
      else expect(String(r.headers.get("references"))).toContain(root);
    }
    // nobody gets two emails of one dispute in the same second (Outlook orders a conversation by it)
    for (const who of new Set(got.flatMap((r) => r.to))) {
      const seconds = got.filter((r) => r.to.includes(who)).map((r) => Math.floor(r.date.getTime() / 1000));
      expect(new Set(seconds).size, who).toBe(seconds.length);
    }
  });

  it("puts the deadline in the recipient's calendar, and moves the same event when the stage is extended", async () => {
    await delivered();
    const byKind = (kind: string) =>
      s.sink.received.find(
        (r) => r.subject.endsWith(refs.glos!) && kindOf(r) === kind && r.to.join() === mail("tm-stroud", "gloucestershire"),
      )!;
    // iCalendar folds long lines: unfold before reading
    const unfold = (ics: string) => ics.replace(/\r?\n[ \t]/g, "");
    const first = unfold(byKind("stage_raised").calendar!);
    const moved = unfold(byKind("extension_agreed").calendar!);
    expect(first).toMatch(/METHOD:REQUEST/);
    // announced late, after the extension: it already carries the moved date
    expect(first).toMatch(/SEQUENCE:1/);
    expect(first).toMatch(/DTEND:20261126T170000Z/);
    const uid = /UID:(.+)/.exec(first)![1]!.trim();
    expect(moved).toContain(`UID:${uid}`);
    expect(moved).toMatch(/SEQUENCE:1/);
    expect(moved).toMatch(/DTEND:20261126T170000Z/);
    expect(moved).toMatch(/ATTENDEE.*tm-stroud@gloucestershire\.example\.org/i);
    // only the person asked to respond gets the event
    const ivys = s.sink.received.filter((r) => r.subject.endsWith(refs.glos!) && r.to.includes(IVY));
    for (const r of ivys) expect(r.calendar).toBeUndefined();
  });

  it("records what it skipped and why, and logs no child reference", async () => {
    await delivered();
    const rows = await s.svc.db.select().from(outbox).where(eq(outbox.status, "skipped"));
    const bham = rows.filter((r) => r.plannerKey.includes(":s1:") && r.reason?.startsWith("lapsed"));
    expect(bham.map((r) => r.kind).sort()).toEqual(expect.arrayContaining(["due_today", "reminder"]));
    expect(bham.map((r) => r.kind)).not.toContain("stage_raised");
    for (const line of s.logs) expect(line).not.toContain('ECL-1"');
  });

  it("logs one line per batch: what it sent, skipped and folded, by kind, and how long it took", async () => {
    await delivered();
    const batches = s.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === "batch");
    expect(batches.length).toBeGreaterThan(0);
    const sum = (k: string) => batches.reduce((n, b) => n + (b[k] ?? 0), 0);
    expect(sum("sent")).toBe(s.sink.received.length);
    const rows = await s.svc.db.select().from(outbox);
    expect(sum("folded")).toBe(rows.filter((r) => r.status === "skipped" && r.reason?.startsWith("folded:")).length);
    for (const b of batches) {
      expect(b.ms).toBeGreaterThanOrEqual(0);
      expect(Object.values(b.byKind.sent as Record<string, number>).reduce((x, y) => x + y, 0)).toBe(b.sent);
      // kinds and counts only
      expect(JSON.stringify(b)).not.toMatch(/ECL-|Ivy|@/);
    }
  });
});

describe("emails due together for one person", () => {
  it("go as one, and what was folded into it is recorded, never lost from the audit", async () => {
    await delivered();
    const rows = await s.svc.db.select().from(outbox);
    const folded = rows.filter((r) => r.status === "skipped" && r.reason?.startsWith("folded:"));
    expect(folded.map((r) => `${r.kind}/${r.recipientRole}`).sort()).toEqual(
      [
        "due_today/practice_lead",
        "overall_warning/instigator",
        "overdue/qa_inbox",
        "overdue/team_manager",
        "reminder/head_of_service",
        "reminder/practice_lead",
        "reminder/team_manager",
      ].sort(),
    );
    for (const r of folded) expect(r.reason).toMatch(/^folded: sent as one email with the (stage raised|escalation prompt) \(.+\)$/);
  });
});
