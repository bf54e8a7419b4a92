// Links in emails: what a token carries (nothing readable), and every way it is refused.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { actionsFor } from "../../src/links/actions.ts";
import { type LinkClaims, linkId, linkKeys, linkSecret, openToken, sealLink } from "../../src/links/token.ts";
import { procedure } from "../support/authorities.ts";
import { stateAfter } from "../support/dispute.ts";

const secret = Buffer.from("k3J9xQ2mZp7Lw4Vb8Nc1Ty6Rf0Hd5Gs-Ua_EiOoPq");
const keys = linkKeys(secret);
const claims: LinkClaims = {
  v: 2,
  a: "birmingham",
  d: "00000000-0000-4000-8000-000000000001",
  r: "instigator",
  e: "ivy@example.org",
  act: "escalate",
  ver: 3,
  iat: 1_764_000_000,
  exp: 2_000_000_000,
};
const now = new Date("2026-11-24T10:00:00Z");

describe("sealed links", () => {
  it("open with the key that sealed them, and give back their claims", async () => {
    const t = await sealLink(keys, claims);
    expect(await openToken(keys, t, now, 14_000)).toEqual({ ok: true, claims });
  });

  it("show nothing of what they carry: no email, authority, dispute or step in the URL, in any decoding", async () => {
    const t = await sealLink(keys, claims);
    const decoded = t.split(".").map((part) => Buffer.from(part, "base64url").toString("latin1"));
    for (const text of [t, ...decoded])
      for (const secretPart of ["ivy@example.org", "example.org", "birmingham", claims.d, "escalate", "instigator"])
        expect(text).not.toContain(secretPart);
  });

  it("refuse another key, a changed token, rubbish, an expired link and one older than the links' lifetime now", async () => {
    const t = await sealLink(keys, claims);
    expect(await openToken(linkKeys(Buffer.from("Zq8W3e5R7t9Y1u2I4o6P0aSdFgHjKlZxCvBnM-_q")), t, now, 14_000)).toEqual({
      ok: false,
      reason: "tampered",
    });
    const parts = t.split(".");
    const flip = (s: string) => `${s.slice(0, -2)}${s.at(-2) === "A" ? "B" : "A"}${s.at(-1)}`;
    for (const i of [0, 2, 3, 4]) {
      const changed = parts.map((p, j) => (j === i ? flip(p) : p)).join(".");
      expect((await openToken(keys, changed, now, 14_000)).ok, `part ${i}`).toBe(false);
    }
    for (const bad of ["", "abc", parts[0]!, `${t}.x`, "<script>.x", "a.b.c.d.e"])
      expect(await openToken(keys, bad, now, 14)).toEqual({ ok: false, reason: "malformed" });
    const past = { ...claims, exp: Math.floor(now.getTime() / 1000) - 1 };
    expect(await openToken(keys, await sealLink(keys, past), now, 14_000)).toEqual({ ok: false, reason: "expired" });
    // issued 20 days ago with a far expiry: a lifetime of 14 days now refuses it
    const old = { ...claims, iat: Math.floor(now.getTime() / 1000) - 20 * 86_400 };
    expect(await openToken(keys, await sealLink(keys, old), now, 14)).toEqual({ ok: false, reason: "expired" });
    expect((await openToken(keys, await sealLink(keys, old), now, 30)).ok).toBe(true);
  });

  it("cannot be made with an empty or weak secret: one forged with an empty key opens nothing", async () => {
    for (const weak of ["", "a".repeat(64), "short-but-mixed-1234"])
      expect(() => linkKeys(Buffer.from(weak))).toThrow(/at least 32|does not look random/);
    // a token sealed with the key an empty secret would give is refused by the real key
    const { hkdfSync } = await import("node:crypto");
    const { CompactEncrypt } = await import("jose");
    const emptyKey = new Uint8Array(hkdfSync("sha256", Buffer.alloc(0), "drp-monitor", "link token v2", 32));
    const forged = await new CompactEncrypt(
      new TextEncoder().encode(JSON.stringify({ ...claims, e: "attacker@evil.example", act: "resolve" })),
    )
      .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
      .encrypt(emptyKey);
    expect(await openToken(keys, forged, now, 14_000)).toEqual({ ok: false, reason: "tampered" });
  });

  it("are one link however often sealed: the record of its use is by what it offers, not by its text", async () => {
    const [a, b] = [await sealLink(keys, claims), await sealLink(keys, claims)];
    const [ca, cb] = [await openToken(keys, a, now, 14_000), await openToken(keys, b, now, 14_000)];
    expect(ca.ok && cb.ok && linkId(ca.claims) === linkId(cb.claims)).toBe(true);
    expect(linkId({ ...claims, ver: 4 })).not.toBe(linkId(claims));
    expect(linkId({ ...claims, e: "tm@example.org" })).not.toBe(linkId(claims));
  });
});

describe("the link secret", () => {
  const env = (v: string | undefined, fn: () => void) => {
    const was = process.env.DRP_LINK_SECRET;
    if (v === undefined) delete process.env.DRP_LINK_SECRET;
    else process.env.DRP_LINK_SECRET = v;
    try {
      fn();
    } finally {
      if (was === undefined) delete process.env.DRP_LINK_SECRET;
      else process.env.DRP_LINK_SECRET = was;
    }
  };

  it("refuses a DRP_LINK_SECRET that is short or not random", () => {
    env("x".repeat(40), () => expect(() => linkSecret(mkdtempSync(join(tmpdir(), "drp-s-")))).toThrow(/does not look random/));
    env("abc123", () => expect(() => linkSecret(mkdtempSync(join(tmpdir(), "drp-s-")))).toThrow(/at least 32/));
  });

  it("generates one whole secret, mode 600, and every later start reads the same", () => {
    env(undefined, () => {
      const dir = mkdtempSync(join(tmpdir(), "drp-s-"));
      const first = linkSecret(dir);
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(linkSecret(dir)).toEqual(first);
      expect(statSync(join(dir, "link-secret")).mode & 0o777).toBe(0o600);
    });
  });

  it("gives eight processes starting at once on a fresh folder one and the same secret, never an empty one", async () => {
    const { spawn } = await import("node:child_process");
    const dir = mkdtempSync(join(tmpdir(), "drp-s-"));
    const script = `import { linkSecret } from "./src/links/token.ts"; process.stdout.write(linkSecret(${JSON.stringify(dir)}).toString("hex"));`;
    const env = { ...process.env };
    delete env.DRP_LINK_SECRET;
    const read = () =>
      new Promise<string>((done, fail) => {
        const c = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
          env,
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        c.stdout.on("data", (b) => (out += b));
        c.stderr.on("data", (b) => (err += b));
        c.on("exit", (code) => (code === 0 ? done(out) : fail(new Error(err))));
      });
    const secrets = await Promise.all(Array.from({ length: 8 }, read));
    expect(new Set(secrets).size).toBe(1);
    expect(secrets[0]!.length).toBeGreaterThanOrEqual(64);
    expect(readFileSync(join(dir, "link-secret"), "hex")).toBe(secrets[0]);
  }, 60_000);

  it("refuses to start on an empty or truncated file (a crash between creating and writing it)", () => {
    env(undefined, () => {
      for (const content of ["", "abc"]) {
        const dir = mkdtempSync(join(tmpdir(), "drp-s-"));
        writeFileSync(join(dir, "link-secret"), content, { mode: 0o600 });
        expect(() => linkSecret(dir)).toThrow(/at least 32/);
        expect(readFileSync(join(dir, "link-secret"), "utf8")).toBe(content);
      }
    });
  });
});

describe("the steps an email offers", () => {
  const at = (iso: string) => new Date(iso);
  const raised = { type: "raised" as const, at: at("2026-11-02T10:00:00Z"), stage: 1, by: "iro" as const };
  it("offers the recipient their response, the IRO's prompt the next steps, and a copy nothing", () => {
    const { procedure: p } = procedure("birmingham");
    const s = stateAfter("birmingham", [raised]);
    expect(actionsFor(p, s, "stage_raised", "recipient", "team_manager").map((x) => x.action)).toEqual(["respond"]);
    expect(actionsFor(p, s, "stage_raised", "copied", "qa_inbox")).toEqual([]);
    expect(actionsFor(p, s, "escalation_prompt", "instigator", "instigator").map((x) => x.label)).toEqual([
      "Escalate to stage 2",
      "Agree an extension",
      "Mark resolved",
      "Refer to Cafcass",
    ]);
    const answered = stateAfter("birmingham", [raised, { type: "response_recorded", at: at("2026-11-05T10:00:00Z") }]);
    expect(actionsFor(p, answered, "reminder", "recipient", "team_manager")).toEqual([]); // answered: nothing more to record
    // the IRO is told of the response with the same steps to decide
    expect(actionsFor(p, answered, "response_recorded", "instigator", "instigator").map((x) => x.action)).toEqual([
      "escalate",
      "extend",
      "resolve",
      "refer",
    ]);
  });

  it("gives each step to its owner only: at Birmingham stage 3 the IRO Service's HoS escalates to stage 4; the IRO extends, resolves, refers", () => {
    const { procedure: p } = procedure("birmingham");
    const three = stateAfter("birmingham", [
      raised,
      { type: "escalated", at: at("2026-11-16T17:00:00Z"), toStage: 2, confirmed: ["consult_iro_service_ahos_at_day_10"] },
      { type: "escalated", at: at("2026-11-19T17:00:00Z"), toStage: 3 },
    ]);
    const offered = (audience: "recipient" | "instigator" | "copied", role: string) =>
      actionsFor(p, three, "escalation_prompt", audience, role).map((x) => x.action);
    expect(offered("instigator", "iro_service_head_of_service")).toEqual(["escalate"]);
    expect(offered("instigator", "instigator")).toEqual(["extend", "resolve", "refer"]);
    expect(offered("instigator", "head_of_service")).toEqual([]);
    expect(offered("copied", "qa_inbox")).toEqual([]);
    // a recipient's email offers the response to the holder of the stage only
    expect(actionsFor(p, three, "stage_raised", "recipient", "assistant_director").map((x) => x.action)).toEqual(["respond"]);
    expect(actionsFor(p, three, "stage_raised", "recipient", "qa_inbox")).toEqual([]);
  });

  it("offers no extension past the stage's ceiling (Birmingham stage 4), and a meeting stage's convener the meeting", () => {
    const g = procedure("gloucestershire").procedure;
    const meeting = g.stages.find((s) => s.meeting?.required)!;
    const s = stateAfter("gloucestershire", [
      { type: "raised", at: at("2026-11-02T10:00:00Z"), stage: 1, by: "iro", timescaleWorkingDays: 5 },
    ]);
    const atMeeting = { ...s, stage: meeting };
    expect(actionsFor(g, atMeeting, "stage_raised", "recipient", meeting.recipient as string).map((x) => x.action)).toEqual(["meeting"]);
    const b = procedure("birmingham").procedure;
    const four = { ...stateAfter("birmingham", [raised]), stage: b.stages.find((x) => x.stage === 4)!, extensionsThisStage: 0 };
    expect(actionsFor(b, four, "escalation_prompt", "instigator", "instigator").map((x) => x.action)).not.toContain("extend");
  });
});
