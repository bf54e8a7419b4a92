// Signed links: what a token carries, and every way it is refused.
import { describe, expect, it } from "vitest";
import { actionsFor } from "../../src/links/actions.ts";
import { csrfFor, csrfMatches, type LinkClaims, signLink, verifyLink } from "../../src/links/token.ts";
import { procedure } from "../support/authorities.ts";
import { stateAfter } from "../support/dispute.ts";

const secret = Buffer.from("x".repeat(40));
const claims: LinkClaims = {
  v: 1,
  a: "birmingham",
  d: "00000000-0000-4000-8000-000000000001",
  r: "instigator",
  e: "ivy@example.org",
  act: "escalate",
  ver: 3,
  exp: 2_000_000_000,
};
const now = new Date("2026-11-24T10:00:00Z");

describe("signed links", () => {
  it("verify with the secret that signed them, and give back their claims; the same claims give the same link", () => {
    const t = signLink(secret, claims);
    expect(verifyLink(secret, t, now)).toEqual({ ok: true, claims });
    expect(signLink(secret, claims)).toBe(t);
  });

  it("refuse another secret, a changed claim, a changed signature, rubbish, and an expired link", () => {
    const t = signLink(secret, claims);
    expect(verifyLink(Buffer.from("y".repeat(40)), t, now)).toEqual({ ok: false, reason: "tampered" });
    const [body, sig] = t.split(".") as [string, string];
    const forged = Buffer.from(JSON.stringify({ ...claims, act: "resolve" })).toString("base64url");
    expect(verifyLink(secret, `${forged}.${sig}`, now)).toEqual({ ok: false, reason: "tampered" });
    expect(verifyLink(secret, `${body}.${sig.slice(0, -1)}${sig.endsWith("A") ? "B" : "A"}`, now).ok).toBe(false);
    for (const bad of ["", "abc", `${body}`, `${body}.${sig}.x`, "<script>.x"])
      expect(verifyLink(secret, bad, now)).toEqual({ ok: false, reason: "malformed" });
    expect(verifyLink(secret, signLink(secret, { ...claims, exp: Math.floor(now.getTime() / 1000) - 1 }), now)).toEqual({
      ok: false,
      reason: "expired",
    });
  });

  it("tie the form's CSRF token to the link and to the page's nonce", () => {
    const t = signLink(secret, claims);
    const csrf = csrfFor(secret, t, "nonce-1");
    expect(csrfMatches(secret, t, "nonce-1", csrf)).toBe(true);
    expect(csrfMatches(secret, t, "nonce-2", csrf)).toBe(false);
    expect(csrfMatches(secret, signLink(secret, { ...claims, ver: 4 }), "nonce-1", csrf)).toBe(false);
    expect(csrfMatches(secret, t, undefined, csrf)).toBe(false);
    expect(csrfMatches(secret, t, "nonce-1", undefined)).toBe(false);
  });
});

describe("the steps an email offers", () => {
  const at = (iso: string) => new Date(iso);
  const raised = { type: "raised" as const, at: at("2026-11-02T10:00:00Z"), stage: 1, by: "iro" as const };
  it("offers the recipient their response, the IRO's prompt the next steps, and a copy nothing", () => {
    const { procedure: p } = procedure("birmingham");
    const s = stateAfter("birmingham", [raised]);
    expect(actionsFor(p, s, "stage_raised", "recipient").map((x) => x.action)).toEqual(["respond"]);
    expect(actionsFor(p, s, "stage_raised", "copied")).toEqual([]);
    expect(actionsFor(p, s, "escalation_prompt", "instigator").map((x) => x.label)).toEqual([
      "Escalate to stage 2",
      "Agree an extension",
      "Mark resolved",
      "Refer to Cafcass",
    ]);
    const answered = stateAfter("birmingham", [raised, { type: "response_recorded", at: at("2026-11-05T10:00:00Z") }]);
    expect(actionsFor(p, answered, "reminder", "recipient")).toEqual([]); // answered: nothing more to record
  });

  it("offers no extension past the stage's ceiling (Birmingham stage 4), and a meeting stage's convener the meeting", () => {
    const g = procedure("gloucestershire").procedure;
    const meeting = g.stages.find((s) => s.meeting?.required)!;
    const s = stateAfter("gloucestershire", [
      { type: "raised", at: at("2026-11-02T10:00:00Z"), stage: 1, by: "iro", timescaleWorkingDays: 5 },
    ]);
    const atMeeting = { ...s, stage: meeting };
    expect(actionsFor(g, atMeeting, "stage_raised", "recipient").map((x) => x.action)).toEqual(["meeting"]);
    const b = procedure("birmingham").procedure;
    const four = { ...stateAfter("birmingham", [raised]), stage: b.stages.find((x) => x.stage === 4)!, extensionsThisStage: 0 };
    expect(actionsFor(b, four, "escalation_prompt", "instigator").map((x) => x.action)).not.toContain("extend");
  });
});
