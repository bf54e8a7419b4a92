// The notices of emails that did not arrive, planned from what the bounce
// mailbox recorded: a bounce told to the IRO and the QA inbox once per
// address per stage; an absence told to the IRO only for the stage's
// recipient, once; the return date set against the deadline in working days.
import { describe, expect, it } from "vitest";
import type { IsoDate } from "../../src/domain/calendar/dates.ts";
import type { DeliveryFact } from "../../src/domain/delivery.ts";
import { deliveryFacts } from "../../src/domain/delivery.ts";
import type { DisputeEvent } from "../../src/domain/dispute/events.ts";
import { planNotifications } from "../../src/domain/planner.ts";
import { addressNotification } from "../../src/mail/addressing.ts";
import { composeEmail } from "../../src/mail/compose.ts";
import { demoDirectory } from "../../src/mail/samples.ts";
import { failureDigestView } from "../../src/queue/digest.ts";
import { at, ctx, disputeIn, stateAfter } from "../support/dispute.ts";

// Birmingham stage 1, raised Monday 14 December 2026: 10 working days over Christmas (Friday 25th, and Monday 28th for
// Boxing Day on a Saturday, are not working days), due Wednesday 30 December
const raised: DisputeEvent = { type: "raised", at: at("2026-12-14T10:00:00Z"), stage: 1, by: "iro" };
const ID = "11111111-1111-4111-8111-111111111111";
const TM = "tm-north@birmingham.example.org";

const fact = (over: Partial<DeliveryFact>): DeliveryFact => ({
  type: "email_bounced",
  seq: 3,
  at: at("2026-12-14T10:20:00Z"),
  kind: "stage_raised",
  role: "team_manager",
  stage: 1,
  address: TM,
  name: "Tessa Example",
  status: "5.1.1",
  ...over,
});

function plan(delivery: DeliveryFact[], events: DisputeEvent[] = [raised]) {
  const c = ctx("birmingham");
  const state = stateAfter("birmingham", events);
  const p = planNotifications({ ...c, state, disputeId: ID, service: "cla", now: at("2026-12-14T11:00:00Z"), delivery });
  return { c, state, notices: p.notifications.filter((n) => n.kind === "delivery_failed" || n.kind === "recipient_away") };
}

function text(delivery: DeliveryFact[], kind: string, role: string) {
  const { c, state, notices } = plan(delivery);
  const n = notices.find((x) => x.kind === kind)!;
  const dir = demoDirectory(c.authority);
  const team = dir.teams.get("cla-north")!;
  const dispute = disputeIn(team, ID, "BIR-2026-0007", "ECL-1");
  const addressing = addressNotification(c.authority, dir, dispute, n.addressees, c.procedure.qaInbox);
  const v = composeEmail({ ...c, state, dispute, notification: n, addressing, role, now: n.at, mailDomain: "example.org" });
  return [v.heading, ...v.paragraphs, ...v.lists.flatMap((l) => [l.lead, ...l.items])].join("\n");
}

describe("a bounce", () => {
  it("is told to the IRO and the QA inbox, once per address per stage however many emails bounced", () => {
    const { notices } = plan([fact({ seq: 3 }), fact({ seq: 5, kind: "reminder" })]);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ kind: "delivery_failed", key: `${ID}:e3:delivery_failed`, to: ["instigator", "qa_inbox"] });
    expect(notices[0]!.deadline?.date).toBe("2026-12-30");
  });

  it("of the IRO's own address goes to the QA inbox alone; of the QA inbox's, to the IRO alone", () => {
    expect(plan([fact({ role: "instigator", address: "ivy@example.org" })]).notices[0]!.to).toEqual(["qa_inbox"]);
    expect(plan([fact({ role: "qa_inbox", address: "qa@example.org" })]).notices[0]!.to).toEqual(["instigator"]);
  });

  it("says who did not receive what, the deadline at risk, and what the procedure lets the IRO do", () => {
    const t = text([fact({})], "delivery_failed", "instigator");
    expect(t).toMatch(/^Tessa Example \(Case-holding Team Manager\) did not receive an email about dispute BIR-2026-0007/);
    expect(t).toContain("status 5.1.1, no mailbox has that address");
    expect(t).toContain("The response to stage 1 is due by 5pm on Wednesday 30 December 2026.");
    expect(t).toMatch(/escalate it to stage 2, the Case-holding Head of Service/);
    const qa = text([fact({})], "delivery_failed", "qa_inbox");
    expect(qa).toMatch(/^The directory needs mending/);
    expect(qa).toContain(`drp directory undeliverable --clear ${TM}`);
  });
});

describe("an absence", () => {
  const away = (over: Partial<DeliveryFact> = {}) =>
    fact({
      type: "recipient_away",
      status: undefined,
      returnOn: "2027-01-04" as IsoDate,
      returnKind: "back",
      phrase: "back on Monday 4 January",
      ...over,
    });

  it("of the stage's recipient is told to the IRO once, however many replies come", () => {
    const { notices } = plan([away({ seq: 3 }), away({ seq: 6, kind: "reminder", returnOn: "2027-01-05" as IsoDate })]);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ kind: "recipient_away", key: `${ID}:s1:e3:recipient_away`, to: ["instigator"] });
  });

  it("of someone copied, or at a stage the dispute has left, is not", () => {
    expect(plan([away({ role: "qa_inbox", address: "qa@example.org" })]).notices).toEqual([]);
    const moved: DisputeEvent[] = [raised, { type: "escalated", at: at("2026-12-15T10:00:00Z"), toStage: 2 }];
    expect(plan([away({})], moved).notices).toEqual([]);
  });

  it("sets the return date against the deadline: falling while away, or the working days left (Christmas not counted)", () => {
    expect(text([away()], "recipient_away", "instigator")).toContain(
      "Their response to stage 1 is due by 5pm on Wednesday 30 December 2026, which falls while they are away: they are back on Monday 4 January 2027 at the earliest.",
    );
    // back on Wednesday 23 December: the 23rd, 24th, 29th and 30th to respond in; the 25th and 28th are not working days
    expect(text([away({ returnOn: "2026-12-23" as IsoDate, phrase: "back on 23/12" })], "recipient_away", "instigator")).toContain(
      "They are back on Wednesday 23 December 2026, with 4 working days to respond, that day included.",
    );
    // away until Thursday 24 December: back on Tuesday 29th (Christmas and the substitute Boxing Day between), two days left
    const until = text(
      [away({ returnOn: "2026-12-24" as IsoDate, returnKind: "until", phrase: "until 24/12" })],
      "recipient_away",
      "instigator",
    );
    expect(until).toMatch(/is away until Thursday 24 December 2026/);
    expect(until).toContain("They are back on Tuesday 29 December 2026, with 2 working days to respond, that day included.");
    // an out-of-office left on after its date
    const stale = text([away({ returnOn: "2026-12-11" as IsoDate, phrase: "until Friday 11 December" })], "recipient_away", "instigator");
    expect(stale).toContain("The date in the reply had already passed when it came");
    expect(stale).toContain("The reply does not say whether they will be back before then.");
    expect(text([away({ returnOn: undefined, phrase: undefined })], "recipient_away", "instigator")).toContain(
      "The reply does not say whether they will be back before then.",
    );
  });
});

describe("the log rows they come from", () => {
  it("reads only the bounce mailbox's rows, with what each holds", () => {
    const rows = [
      { seq: 0, type: "raised", at: at("2026-12-14T10:00:00Z"), payload: {} },
      { seq: 1, type: "notification_sent", at: at("2026-12-14T10:00:01Z"), payload: { kind: "stage_raised" } },
      { seq: 2, type: "email_delayed", at: at("2026-12-14T10:10:00Z"), payload: { role: "team_manager", status: "4.4.1" } },
      {
        seq: 3,
        type: "email_bounced",
        at: at("2026-12-14T10:20:00Z"),
        payload: { kind: "stage_raised", role: "team_manager", stage: 1, address: TM, name: "Tessa Example", status: "5.1.1" },
      },
    ];
    expect(deliveryFacts(rows)).toEqual([fact({})]);
  });
});

describe("the QA inbox's daily list", () => {
  const base = { kind: "stage_raised", recipientRole: "team_manager", lastError: null, reference: "BIR-2026-0007" };
  const a = ctx("birmingham").authority;
  const view = (reasons: string[]) =>
    failureDigestView(
      a,
      reasons.map((reason, i) => ({ ...base, reason, key: `k${i}` })),
      ["QA inbox"],
      "2026-12-15" as IsoDate,
      "drp@example.org",
    );

  it("says a bounced email bounced, not that it could not be sent", () => {
    const only = view(["bounced: 5.1.1, no mailbox has that address"]);
    expect(only.heading).toBe("1 dispute email bounced");
    expect(only.subject).toContain("emails not delivered");
    expect(only.lists.map((l) => l.lead)).toEqual(["Sent, then bounced:"]);
    expect(only.paragraphs.join(" ")).not.toMatch(/after every retry/);
    const both = view(["gave up after 10 attempts: 421", "bounced: 5.1.1, no mailbox has that address"]);
    expect(both.heading).toBe("2 dispute emails did not arrive: 1 not sent, 1 bounced");
    expect(both.lists.map((l) => [l.lead, l.items.length])).toEqual([
      ["Not sent:", 1],
      ["Sent, then bounced:", 1],
    ]);
    const unsent = view(["gave up after 10 attempts: 421"]);
    expect(unsent.heading).toBe("1 dispute email could not be sent");
    expect(unsent.subject).toContain("emails not sent");
  });
});
