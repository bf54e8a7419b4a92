// Signed links in emails: a token that names the dispute, the person it was
// sent to, the one step it offers and the dispute's version, signed with a
// server secret (HMAC-SHA-256). A token changes nothing by itself: it opens a
// page, and the step is taken only when that page's form is submitted.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const LINK_ACTIONS = ["respond", "escalate", "extend", "resolve", "refer", "meeting"] as const;
export type LinkAction = (typeof LINK_ACTIONS)[number];

export interface LinkClaims {
  v: 1;
  /** authority */
  a: string;
  /** dispute id */
  d: string;
  /** the addressee's role and email: the person the link was sent to */
  r: string;
  e: string;
  act: LinkAction;
  /** the dispute's version when the email was sent: any step since makes the link stale */
  ver: number;
  /** expiry, seconds since the epoch */
  exp: number;
}

export type Verified = { ok: true; claims: LinkClaims } | { ok: false; reason: "malformed" | "tampered" | "expired" };

const b64 = (b: Buffer | string) => Buffer.from(b).toString("base64url");

function mac(secret: Buffer, data: string): Buffer {
  return createHmac("sha256", secret).update(data).digest();
}

/** `<claims>.<signature>`, both base64url. The same claims always give the same token (a resent email is the same email). */
export function signLink(secret: Buffer, claims: LinkClaims): string {
  const body = b64(JSON.stringify(claims));
  return `${body}.${b64(mac(secret, body))}`;
}

export function verifyLink(secret: Buffer, token: string, now: Date): Verified {
  const m = /^([A-Za-z0-9_-]{10,2000})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: "malformed" };
  const expected = mac(secret, m[1]!);
  const given = Buffer.from(m[2]!, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "tampered" };
  let claims: LinkClaims;
  try {
    claims = JSON.parse(Buffer.from(m[1]!, "base64url").toString("utf8")) as LinkClaims;
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (claims.v !== 1 || !(LINK_ACTIONS as readonly string[]).includes(claims.act) || typeof claims.exp !== "number")
    return { ok: false, reason: "malformed" };
  if (claims.exp * 1000 < now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, claims };
}

/** What is stored of a used token: its hash, never the token. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The form's CSRF token: bound to the link and to the nonce in the page's cookie. */
export function csrfFor(secret: Buffer, token: string, nonce: string): string {
  return b64(mac(secret, `csrf|${tokenHash(token)}|${nonce}`));
}

export function csrfMatches(secret: Buffer, token: string, nonce: string | undefined, given: string | undefined): boolean {
  if (!nonce || !given) return false;
  const expected = Buffer.from(csrfFor(secret, token, nonce));
  const g = Buffer.from(given);
  return g.length === expected.length && timingSafeEqual(g, expected);
}

export function newNonce(): string {
  return b64(randomBytes(18));
}

/**
 * DRP_LINK_SECRET (at least 32 characters), or a secret generated once and
 * kept under the data folder (readable by this user only), so that links
 * survive a restart.
 */
export function linkSecret(dataDir = process.env.DRP_DATA_DIR ? dirname(process.env.DRP_DATA_DIR) : "data"): Buffer {
  const given = process.env.DRP_LINK_SECRET;
  if (given) {
    if (given.length < 32) throw new Error("DRP_LINK_SECRET must be at least 32 characters");
    return Buffer.from(given, "utf8");
  }
  const file = join(dataDir, "link-secret");
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
      chmodSync(file, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e; // another process made it first
    }
  }
  return Buffer.from(readFileSync(file, "utf8").trim(), "utf8");
}
