// The wording of each kind of email, for each audience, from real histories
// taken through the state machine, the planner and the addressing.
import { describe, expect, it } from "vitest";
import { parseIsoDate as d } from "../../src/domain/calendar/dates.ts";
import type { DisputeEvent } from "../../src/domain/dispute/events.ts";
import { type NotificationKind, planNotifications } from "../../src/domain/planner.ts";
import { addressNotification } from "../../src/mail/addressing.ts";
import { composeEmail, WORDING } from "../../src/mail/compose.ts";
import type { EmailView } from "../../src/mail/model.ts";
import { demoDirectory, samplesAt } from "../../src/mail/samples.ts";
import { at, ctx, disputeIn, stateAfter } from "../support/dispute.ts";

const raised: DisputeEvent = { type: "raised", at: at("2026-11-02T10:00:00Z"), stage: 1, by: "iro" };

/** Every email of one notification kind after `events`, by the role it is for, as composed at `now`. */
function emails(
  id: string,
  events: DisputeEvent[],
  kind: NotificationKind,
  now: string,
  p: "iro" | "cp" = "iro",
  which: (n: { escalation?: { reason: string } }) => boolean = () => true,
): Map<string, EmailView> {
  const c = ctx(id, p);
  const state = stateAfter(id, events, p);
  const dir = demoDirectory(c.authority);
  const team = [...dir.teams.values()][0]!;
  const dispute = {
    ...disputeIn(team, "11111111-1111-4111-8111-111111111111", "BIR-2026-0007", "ECL-1"),
    raisedByRole: events[0]!.type === "raised" ? events[0]!.by : "iro",
  };
  const plan = planNotifications({ ...c, state, disputeId: dispute.id, service: team.service, now: at(now) });
  const n = plan.notifications.find((x) => x.kind === kind && which(x));
  if (!n) throw new Error(`no ${kind}`);
  const addressing = addressNotification(c.authority, dir, dispute, n.addressees, c.procedure.qaInbox);
  const out = new Map<string, EmailView>();
  for (const e of addressing.emails) {
    if (e.to.length)
      out.set(
        e.role,
        composeEmail({ ...c, state, dispute, notification: n, addressing, role: e.role, now: at(now), mailDomain: "example.org" }),
      );
  }
  return out;
}

describe("one wording per kind of email", () => {
  const headings: Record<NotificationKind, RegExp> = {
    stage_raised: /^Respond to dispute \S+ by 5pm on \w+day \d+ \w+ 2026$/,
    reminder: /^Reminder: respond to dispute \S+ by 5pm on/,
    due_today: /^Response due today: dispute \S+, by 5pm$/,
    overdue: /^Response overdue: dispute \S+ was due by 5pm on/,
    escalation_prompt: /^Decide whether to escalate dispute \S+ to stage 2$/,
    overall_warning: /^20-working-day limit for dispute \S+ ends 5pm on/,
    overall_breach: /^Dispute \S+ has passed its 20-working-day limit$/,
    extension_agreed: /^Extension agreed: respond to dispute \S+ by 5pm on/,
    response_recorded: /^A response to stage 1 of dispute \S+ is recorded$/,
    stage_left: /^For information: dispute \S+ has moved to stage 3$/,
    closed: /^Dispute \S+ is resolved$/,
    cafcass_referral_considered: /^A referral of dispute \S+ to Cafcass is being considered$/,
    cafcass_referral: /^Dispute \S+ has been referred to Cafcass$/,
    informal_opened: /^Informal alert \S+ opened$/,
    informal_closed: /^Informal alert \S+ closed: /,
    delivery_failed: /^The directory needs mending: an email about dispute \S+ bounced$/,
    recipient_away: /^\S+ \S+ \(Case-holding Team Manager\) is away until \w+day \d+ \w+ 2026$/,
  };
  const where: Record<NotificationKind, [string, number]> = {
    stage_raised: ["birmingham", 1],
    reminder: ["birmingham", 1],
    due_today: ["birmingham", 1],
    overdue: ["birmingham", 1],
    escalation_prompt: ["birmingham", 1],
    overall_warning: ["birmingham", 1],
    overall_breach: ["birmingham", 1],
    extension_agreed: ["birmingham", 1],
    response_recorded: ["birmingham", 1],
    // entering stage 3: stage 2's recipient is told the dispute has moved on
    stage_left: ["birmingham", 3],
    closed: ["birmingham", 1],
    cafcass_referral_considered: ["gloucestershire", 1],
    cafcass_referral: ["gloucestershire", 1],
    informal_opened: ["wf", 1],
    informal_closed: ["wf", 1],
    delivery_failed: ["birmingham", 1],
    recipient_away: ["birmingham", 1],
  };
  for (const kind of Object.keys(WORDING) as NotificationKind[]) {
    it(`${kind}: its heading says what it is`, async () => {
      const { authorities } = await import("../../src/config/authorities.ts");
      const [id, stage] = where[kind];
      const a = authorities().get(id)!;
      const found = samplesAt(a, a.procedures.iro!, stage, { kind });
      expect(found.length, kind).toBeGreaterThan(0);
      const first = found.find((s) => s.audience !== "copied") ?? found[0]!;
      expect(first.view.heading).toMatch(headings[kind]);
      for (const s of found) expect(s.view.paragraphs.length, `${kind} ${s.audience}`).toBeGreaterThan(0);
    });
  }
});

describe("the stage's announcement, to each audience", () => {
  const ns = emails("birmingham", [raised], "stage_raised", "2026-11-02T10:00:01Z");

  it("asks the recipient to respond by a date, and how (Birmingham: on Eclipse)", () => {
    const tm = ns.get("team_manager")!;
    expect(tm.audience).toBe("recipient");
    expect(tm.paragraphs.join(" ")).toMatch(/You are asked to respond as the Case-holding Team Manager, by 5pm on Monday 16 November 2026/);
    expect(tm.paragraphs.join(" ")).toMatch(/Resolution and Escalation form on Eclipse/);
    expect(tm.inset).toBeUndefined();
  });

  it("tells copied people it is for information", () => {
    const qa = ns.get("qa_inbox")!;
    expect(qa.heading).toMatch(/^For information:/);
    expect(qa.paragraphs.join(" ")).toMatch(/copied for information/);
  });

  it("tells the IRO where it stands and what the procedure says when time runs out", () => {
    const ivy = ns.get("instigator")!;
    expect(ivy.heading).toMatch(/is with the Case-holding Team Manager until 5pm on Monday 16 November 2026/);
    expect(ivy.inset).toMatch(/advise and consult the IRO Service AHoS/);
  });

  it("says the response is already overdue when a stage is announced late, and since when", () => {
    const late = emails("birmingham", [raised], "stage_raised", "2026-11-20T10:00:00Z").get("team_manager")!;
    expect(late.heading).toMatch(/^Respond now: dispute \S+ was due by 5pm on Monday 16 November 2026$/);
    expect(late.paragraphs.join(" ")).toMatch(/4 working days ago\. The response is already overdue/);
    expect(late.calendar).toBeUndefined(); // no point adding a date that has passed
  });
});

describe("the overall limit, never as a negative count", () => {
  it("says how long ago the limit passed, on a prompt sent after it", () => {
    // escalated on the limit's last day: stage two's 3 working days run past it
    const late = [raised, { type: "escalated" as const, at: at("2026-11-30T10:00:00Z"), toStage: 2 }];
    const prompt = emails("birmingham", late, "escalation_prompt", "2026-12-03T17:00:00Z").get("instigator")!;
    expect(prompt.paragraphs.join(" ")).toMatch(/The 20-working-day limit passed 3 working days ago, on Monday 30 November 2026\./);
    expect(prompt.preheader).toMatch(/limit has passed/);
  });
});

describe("calendar events", () => {
  it("adds the deadline, moves the same event on an extension, and cancels it at the close", () => {
    const first = emails("birmingham", [raised], "stage_raised", "2026-11-02T10:00:01Z").get("team_manager")!.calendar!;
    expect(first).toMatchObject({ method: "request", sequence: 0 });
    expect(first.end.toISOString()).toBe("2026-11-16T17:00:00.000Z");
    const ext = [raised, { type: "extension_agreed" as const, at: at("2026-11-10T10:00:00Z"), until: d("2026-11-20") }];
    const moved = emails("birmingham", ext, "extension_agreed", "2026-11-10T10:00:01Z").get("team_manager")!.calendar!;
    expect(moved).toMatchObject({ uid: first.uid, method: "request", sequence: 1 });
    expect(moved.end.toISOString()).toBe("2026-11-20T17:00:00.000Z");
    const closed = [...ext, { type: "resolved" as const, at: at("2026-11-12T10:00:00Z") }];
    const cancel = emails("birmingham", closed, "closed", "2026-11-12T10:00:01Z").get("team_manager")!.calendar!;
    expect(cancel).toMatchObject({ uid: first.uid, method: "cancel", sequence: 2 });
    // only the recipient's email carries it
    expect(emails("birmingham", [raised], "stage_raised", "2026-11-02T10:00:01Z").get("instigator")!.calendar).toBeUndefined();
  });
});

describe("a role nobody holds", () => {
  // Birmingham stage 1, in a team with no team manager: the QA inbox stands in
  const c = ctx("birmingham");
  const dir = demoDirectory(c.authority);
  const team = { ...[...dir.teams.values()][0]!, id: "cla-empty", roles: {} };
  dir.teams.set(team.id, team);
  const dispute = disputeIn(team, "11111111-1111-4111-8111-111111111112", "BIR-2026-0008", "ECL-2");
  const state = stateAfter("birmingham", [raised]);
  const n = planNotifications({
    ...c,
    state,
    disputeId: dispute.id,
    service: team.service,
    now: at("2026-11-02T10:00:01Z"),
  }).notifications.find((x) => x.kind === "stage_raised")!;
  const addressing = addressNotification(c.authority, dir, dispute, n.addressees, c.procedure.qaInbox);
  const view = (key: string) =>
    composeEmail({
      ...c,
      state,
      dispute,
      notification: n,
      addressing,
      role: key,
      now: at("2026-11-02T10:00:01Z"),
      mailDomain: "example.org",
    });

  it("sends its email to the QA inbox as a stand-in: pass it on, nothing asked in the manager's name, the banner there", () => {
    const standIn = view("team_manager");
    expect(standIn.heading).toMatch(/^Pass this on to the Case-holding Team Manager: respond to dispute BIR-2026-0008 by/);
    expect(standIn.paragraphs[0]).toMatch(
      /^This email is for the Case-holding Team Manager, to pass on\. Nothing can be recorded in their name from it/,
    );
    expect(standIn.paragraphs.join(" ")).not.toMatch(/You are asked/);
    expect(standIn.banners).toEqual([expect.stringMatching(/^No one holds the role Case-holding Team Manager \(team_manager\)/)]);
    expect(standIn.calendar).toBeUndefined();
  });

  it("puts the banner on no email it is not true of: not the IRO's, not a copied manager's; the QA inbox's own copy has it", () => {
    expect(view("instigator").banners).toEqual([]);
    for (const e of addressing.emails.filter((x) => x.copy && x.to.length && x.role !== c.procedure.qaInbox))
      expect(view(e.key).banners, e.role).toEqual([]);
    const qa = addressing.emails.find((x) => x.role === c.procedure.qaInbox && !x.redirected && x.to.length);
    if (qa) expect(view(qa.key).banners.length).toBeGreaterThan(0);
  });
});

describe("the QA inbox standing in, in every authority", () => {
  // Every email a dispute sends a role nobody holds, from the stage email to the close:
  // each tells the inbox what the holder is asked, in the third person; the holder's
  // instruction is quoted as theirs. A "you" anywhere else would read as the inbox.
  for (const id of ["birmingham", "newham", "gloucestershire", "wf", "national"]) {
    it(`${id}: never "you" for the holder, the instruction quoted as theirs`, () => {
      const c = ctx(id);
      const dir = demoDirectory(c.authority);
      const team = { ...[...dir.teams.values()][0]!, id: "cla-empty", roles: {} };
      dir.teams.set(team.id, team);
      const dispute = disputeIn(team, "11111111-1111-4111-8111-111111111113", "X-2026-0009", "ECL-3");
      const [first, second] = c.procedure.stages.filter((s) => s.formal && !s.referral);
      const days = (s: typeof first) => ("setBy" in s!.timescale ? { timescaleWorkingDays: 5 } : {});
      const raisedAt: DisputeEvent = { type: "raised", at: at("2026-11-02T10:00:00Z"), stage: first!.stage, by: "iro", ...days(first) };
      const up: DisputeEvent = { type: "escalated", at: at("2026-11-20T10:00:00Z"), toStage: second!.stage, ...days(second) };
      const histories: DisputeEvent[][] = [
        [raisedAt],
        [raisedAt, { type: "response_recorded", at: at("2026-11-04T10:00:00Z") }],
        [raisedAt, up],
        [raisedAt, { type: "resolved", at: at("2026-11-05T10:00:00Z") }],
      ];
      const seen = new Set<string>();
      for (const events of histories) {
        const state = stateAfter(id, events);
        const plan = planNotifications({ ...c, state, disputeId: dispute.id, service: team.service, now: at("2026-11-02T10:00:01Z") });
        for (const n of plan.notifications) {
          const addressing = addressNotification(c.authority, dir, dispute, n.addressees, c.procedure.qaInbox);
          for (const e of addressing.emails.filter((x) => x.redirected)) {
            const v = composeEmail({
              ...c,
              state,
              dispute,
              notification: n,
              addressing,
              role: e.key,
              now: n.at,
              mailDomain: "example.org",
            });
            seen.add(n.kind);
            const unquoted = [v.heading, v.preheader, ...v.paragraphs, ...v.lists.flatMap((l) => [l.lead, ...l.items]), v.inset ?? ""]
              .join("\n")
              .replace(/“[^”]*”/g, "“…”");
            if (/\b(you|your|yours)\b/i.test(unquoted)) console.log(`=== ${id} ${n.kind}\n${unquoted}`);
            expect(unquoted, `${id} ${n.kind}`).not.toMatch(/\b(you|your|yours)\b/i);
            expect(v.heading, `${id} ${n.kind}`).toMatch(/^Pass this on to the /);
          }
        }
      }
      expect([...seen]).toEqual(expect.arrayContaining(["stage_raised", "reminder", "due_today", "overdue"]));
    });
  }
});

describe("a sentence that says something was done", () => {
  it("is said only when the record shows it: the Chief Executive is told of the discussion with Cafcass Legal only once it is recorded (Gloucestershire ¶22)", async () => {
    const { applyEvent } = await import("../../src/domain/dispute/state.ts");
    const c = ctx("gloucestershire");
    // the same procedure, had its authority file not made the discussion a condition of stage 5
    const p = {
      ...c.procedure,
      stages: c.procedure.stages.map((s) => ({ ...s, requires: s.requires.map((r) => ({ ...r, blocking: false })) })),
    };
    const dir = demoDirectory(c.authority);
    const team = [...dir.teams.values()][0]!;
    const up = (n: number, t: string): DisputeEvent => ({
      type: "escalated",
      at: at(t),
      toStage: n,
      timescaleWorkingDays: n >= 4 ? undefined : 5,
    });
    const history: DisputeEvent[] = [
      { ...raised, timescaleWorkingDays: 5 },
      up(2, "2026-11-09T17:00:00Z"),
      up(3, "2026-11-16T17:00:00Z"),
      up(4, "2026-11-23T17:00:00Z"),
    ];
    const ceoText = (events: DisputeEvent[]) => {
      let state: ReturnType<typeof stateAfter> | undefined;
      for (const [i, e] of events.entries()) {
        const r = applyEvent({ authority: c.authority, procedure: p }, state, e, i);
        if (!r.ok) throw r.error;
        state = r.state;
      }
      const dispute = disputeIn(team, "11111111-1111-4111-8111-111111111113", "GLO-2026-0009", "ECL-3");
      const n = planNotifications({
        authority: c.authority,
        procedure: p,
        state: state!,
        disputeId: dispute.id,
        service: team.service,
        now: at("2026-12-07T17:00:01Z"),
      }).notifications.find((x) => x.kind === "stage_raised" && x.stage === 5)!;
      const addressing = addressNotification(c.authority, dir, dispute, n.addressees, p.qaInbox);
      const ceo = addressing.emails.find((e) => e.role === "chief_executive")!;
      return composeEmail({
        authority: c.authority,
        procedure: p,
        state: state!,
        dispute,
        notification: n,
        addressing,
        role: ceo.key,
        now: at("2026-12-07T17:00:01Z"),
      }).paragraphs.join(" ");
    };
    const without = ceoText([...history, up(5, "2026-12-07T17:00:00Z")]);
    expect(without).not.toMatch(/already been discussed with Cafcass Legal/);
    expect(without).toMatch(/No discussion with Cafcass Legal is recorded on this dispute/);
    const consulted = ceoText([...history, { type: "cafcass_consulted", at: at("2026-12-01T10:00:00Z") }, up(5, "2026-12-07T17:00:00Z")]);
    expect(consulted).toMatch(/this case has already been discussed with Cafcass Legal/);
  });
});

describe("Newham's outcome deadline (form 003: 2 calendar days after a response)", () => {
  const responded: DisputeEvent[] = [raised, { type: "response_recorded", at: at("2026-11-06T11:00:00Z") }]; // Friday
  const prompt = (reason: string) =>
    [
      ...emails("newham", responded, "escalation_prompt", "2026-11-09T09:00:00Z", "iro", (n) => n.escalation?.reason === reason).values(),
    ][0]!;

  it("reminds the IRO on the morning it is due, by when", () => {
    const e = prompt("decision_due");
    expect(e.heading).toMatch(/^Record the outcome of dispute \S+ by 5pm on Monday 9 November 2026$/);
  });

  it("once it has passed, says it was due and is not recorded, without asking for it by a time gone by", () => {
    const e = prompt("decision_overdue");
    expect(e.heading).toMatch(/^The outcome of dispute \S+ was due by 5pm on Monday 9 November 2026$/);
    expect(e.paragraphs.join(" ")).toMatch(/was due by 5pm on Monday 9 November 2026 and is not recorded yet/);
    expect(e.paragraphs.join(" ")).not.toMatch(/escalate it, by /);
  });
});

describe("the close, to the IRO", () => {
  it("asks what the procedure asks at the close: Gloucestershire's concern sheet for a resolution at stage 1 (¶9), and the Outcome Statement (¶24)", () => {
    const ns = emails(
      "gloucestershire",
      [
        { ...raised, timescaleWorkingDays: 5 },
        { type: "resolved", at: at("2026-11-05T10:00:00Z") },
      ],
      "closed",
      "2026-11-05T10:00:01Z",
    );
    const ivy = ns.get("instigator")!;
    expect(ivy.lists).toContainEqual({
      lead: "The procedure asks you to:",
      items: [
        "Complete the final section of the concern sheet, recording the resolution, and attach a copy to the child's electronic file.",
        "Complete the Dispute Resolution Outcome Statement and attach it to the child's electronic file.",
      ],
    });
    expect(ivy.source).toMatch(/¶9/);
    expect(ivy.source).toMatch(/¶24/);
    // nobody else is asked
    for (const [role, v] of ns) if (role !== "instigator") expect(JSON.stringify(v.lists), role).not.toContain("Outcome Statement");
  });
});
