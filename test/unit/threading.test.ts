// Message-IDs and thread headers: the same for the same email every time it is
// built (a resend must be the same message), different for different emails.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { messageIdFor, rootMessageId, threadHeaders, threadIndexChild, threadIndexRoot } from "../../src/mail/threading.ts";

const key = fc.stringMatching(/^[a-z0-9:/_-]{1,60}$/);
const dispute = "3f2b8c1e-4d5a-4e6f-8a7b-9c0d1e2f3a4b";

describe("Message-IDs", () => {
  it("are a function of the outbox key: the same key always gives the same id, two keys two ids", () => {
    fc.assert(
      fc.property(key, key, (a, b) => {
        expect(messageIdFor(a, "drp.example.org")).toBe(messageIdFor(a, "drp.example.org"));
        if (a !== b) expect(messageIdFor(a, "drp.example.org")).not.toBe(messageIdFor(b, "drp.example.org"));
      }),
    );
  });

  it("are well formed (RFC 5322 msg-id) for every kind's key", () => {
    for (const k of [
      `${dispute}:s1:e0:stage_raised/team_manager`,
      "review:abc:post_review_audit:due/chair",
      "report:wf:monthly:2027-01/holder:tm-1",
      "digest:wf:2027-01-04:qa@wf.example.org:3",
    ])
      expect(messageIdFor(k, "drp.example.org")).toMatch(/^<[0-9a-f]{40}@drp\.example\.org>$/);
  });
});

describe("thread headers", () => {
  const input = {
    disputeId: dispute,
    raisedAt: new Date("2026-11-02T10:00:00Z"),
    subject: "[OFFICIAL-SENSITIVE] DRP BIR-2026-0001",
    outboxKey: `${dispute}:s1:e0:reminder/team_manager`,
    at: new Date("2026-11-12T09:00:00Z"),
    first: false,
    domain: "drp.example.org",
  };

  it("are the same when built again for the same email, and point at the dispute's root", () => {
    expect(threadHeaders(input)).toEqual(threadHeaders({ ...input }));
    expect(threadHeaders(input)).toMatchObject({
      "Message-ID": messageIdFor(input.outboxKey, "drp.example.org"),
      "In-Reply-To": rootMessageId(dispute, "drp.example.org"),
      References: rootMessageId(dispute, "drp.example.org"),
    });
  });

  it("give the first email the bare root, and later ones the root and a 5-byte child block ordered by time", () => {
    const first = threadHeaders({ ...input, first: true });
    expect(first["Message-ID"]).toBe(rootMessageId(dispute, "drp.example.org"));
    const root = threadIndexRoot(dispute, input.raisedAt);
    expect(Buffer.from(first["Thread-Index"], "base64")).toEqual(root);
    const early = threadIndexChild(root, new Date("2026-11-03T10:00:00Z"), "k");
    const late = threadIndexChild(root, new Date("2026-11-20T10:00:00Z"), "k");
    expect(early).toHaveLength(27);
    expect(early.subarray(0, 22)).toEqual(root);
    expect(early.readUInt32BE(22)).toBeLessThan(late.readUInt32BE(22));
  });
});
