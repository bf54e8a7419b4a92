// One email per person per dispute per batch: the one that states the latest position.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FOLD_FAMILIES, FOLD_ORDER, foldDue } from "../../src/domain/fold.ts";
import { NOTIFICATION_KINDS, type NotificationKind } from "../../src/domain/notification.ts";

describe("folding the emails due at once", () => {
  it("sends a late recipient the stage's announcement alone, not its reminder, due-today and overdue notice too", () => {
    const items = (["stage_raised", "reminder", "due_today", "overdue"] as const).map((kind) => ({
      kind,
      dispute: "d1",
      person: "tm@x.org",
    }));
    const { send, folded } = foldDue(items);
    expect(send.map((x) => x.kind)).toEqual(["stage_raised"]);
    expect(folded.map((f) => [f.item.kind, f.into.kind])).toEqual([
      ["reminder", "stage_raised"],
      ["due_today", "stage_raised"],
      ["overdue", "stage_raised"],
    ]);
  });

  it("sends the IRO the prompt, not the limit warning beside it; never folds a notice of an event, another person's or another dispute's", () => {
    const { send } = foldDue([
      { kind: "stage_raised" as NotificationKind, dispute: "d1", person: "ivy@x.org" },
      { kind: "overall_warning" as NotificationKind, dispute: "d1", person: "ivy@x.org" },
      { kind: "escalation_prompt" as NotificationKind, dispute: "d1", person: "IVY@x.org" },
      { kind: "response_recorded" as NotificationKind, dispute: "d1", person: "ivy@x.org" },
      { kind: "overall_warning" as NotificationKind, dispute: "d1", person: "manager@x.org" },
      { kind: "overall_warning" as NotificationKind, dispute: "d2", person: "ivy@x.org" },
    ]);
    expect(send.map((x) => `${x.dispute} ${x.kind} ${x.person}`)).toEqual([
      // the stage's announcement is about something else than the decision: it goes too
      "d1 stage_raised ivy@x.org",
      "d1 escalation_prompt IVY@x.org",
      "d1 response_recorded ivy@x.org",
      "d1 overall_warning manager@x.org",
      "d2 overall_warning ivy@x.org",
    ]);
  });

  it("sends at most one email of each family per person and dispute, loses none (each sent or folded into one sent), and keeps every event notice", () => {
    const item = fc.record({
      kind: fc.constantFrom(...NOTIFICATION_KINDS),
      dispute: fc.constantFrom("d1", "d2"),
      person: fc.constantFrom("a@x.org", "b@x.org"),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 12 }), (items) => {
        const { send, folded } = foldDue(items);
        expect(send.length + folded.length).toBe(items.length);
        for (const f of folded) expect(send).toContain(f.into);
        for (const f of FOLD_FAMILIES) {
          const one = send.filter((x) => f.includes(x.kind));
          expect(new Set(one.map((x) => `${x.dispute}|${x.person}`)).size).toBe(one.length);
        }
        for (const x of items) if (!FOLD_ORDER.includes(x.kind)) expect(send).toContain(x);
      }),
    );
  });
});
