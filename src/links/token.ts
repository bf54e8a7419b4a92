// Links in emails: a token that names the dispute, the person it was sent to,
// the one step it offers and the dispute's version, sealed with a key derived
// from the server's secret (JWE, direct AES-256-GCM, by jose): nobody can make
// one or change one, and nothing in it is readable — no email address,
// authority or dispute shows in a URL, so none reaches a proxy's or a link
// scanner's log. A token changes nothing by itself: it opens a page, and the
// step is taken only when that page's form is submitted.
import { createHash, hkdfSync, randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { CompactEncrypt, compactDecrypt } from "jose";
import { z } from "zod";

export const LINK_ACTIONS = ["respond", "escalate", "extend", "resolve", "refer", "meeting"] as const;
export type LinkAction = (typeof LINK_ACTIONS)[number];

const claimsSchema = z.strictObject({
  v: z.literal(2),
  /** authority */
  a: z.string().min(1).max(64),
  /** dispute id */
  d: z.uuid(),
  /** the addressee's role and email: the person the link was sent to */
  r: z.string().min(1).max(100),
  e: z.string().min(3).max(320),
  act: z.enum(LINK_ACTIONS),
  /** the dispute's version when the email was sent: any step since makes the link stale */
  ver: z.number().int().min(1),
  /** issued and expiry, seconds since the epoch */
  iat: z.number().int(),
  exp: z.number().int(),
});
export type LinkClaims = z.infer<typeof claimsSchema>;

export type Verified = { ok: true; claims: LinkClaims } | { ok: false; reason: "malformed" | "tampered" | "expired" };

/** The keys a secret gives: one seals links, one signs the pages' CSRF tokens, one seals sign-in links. */
export interface LinkKeys {
  seal: Uint8Array;
  csrf: Buffer;
  signIn: Uint8Array;
}

/** The secret must carry at least this many bytes, and look random (not "aaaa…", not a word). */
export const MIN_SECRET_BYTES = 32;

export function linkKeys(secret: Buffer): LinkKeys {
  checkSecret(secret, "the link secret");
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", secret, "drp-monitor", info, 32));
  return { seal: new Uint8Array(derive("link token v2")), csrf: derive("csrf v2"), signIn: new Uint8Array(derive("sign-in v1")) };
}

function checkSecret(secret: Buffer, what: string): void {
  if (secret.length < MIN_SECRET_BYTES)
    throw new Error(
      `${what} is ${secret.length} bytes; it must be at least ${MIN_SECRET_BYTES} random bytes (e.g. openssl rand -base64 32)`,
    );
  // 32 random bytes in any printable encoding use well over 16 distinct characters
  if (new Set(secret).size < 16)
    throw new Error(`${what} does not look random (too few distinct characters); use e.g. openssl rand -base64 32`);
}

const JWE = /^[A-Za-z0-9_-]{20,100}\.\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{10,2000}\.[A-Za-z0-9_-]{22}$/;

export async function sealLink(keys: LinkKeys, claims: LinkClaims): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .encrypt(keys.seal);
}

/** Opens a token: sealed with our key, well formed, in date, and not older than `maxDays` however it was issued. */
export async function openToken(keys: LinkKeys, token: string, now: Date, maxDays: number): Promise<Verified> {
  if (!JWE.test(token)) return { ok: false, reason: "malformed" };
  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await compactDecrypt(token, keys.seal, {
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
    }));
  } catch {
    return { ok: false, reason: "tampered" };
  }
  let claims: LinkClaims;
  try {
    claims = claimsSchema.parse(JSON.parse(new TextDecoder().decode(plaintext)));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const t = now.getTime() / 1000;
  if (claims.exp < t || t - claims.iat > maxDays * 86_400) return { ok: false, reason: "expired" };
  return { ok: true, claims };
}

/** What is stored of a used token: its hash, never the token. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * One link, however many times it was sealed (a resent email seals its links
 * afresh): a hash of what it offers to whom, for the record that it was used.
 */
export function linkId(c: LinkClaims): string {
  return createHash("sha256")
    .update(JSON.stringify([c.a, c.d, c.r, c.e.toLowerCase(), c.act, c.ver, c.iat]))
    .digest("hex");
}

/**
 * The secret: DRP_LINK_SECRET, or, on the embedded default, one generated once
 * and kept under the data folder (mode 600), so that links survive a restart. Either must hold at
 * least 32 random bytes, or the app refuses to start. The file is written
 * whole before it exists under its name (a temporary file, fsync, then a hard
 * link, which fails if another process got there first): a crash or a
 * concurrent first start never leaves or reads an empty or half-written secret.
 */
export function linkSecret(dataDir = process.env.DRP_DATA_DIR ? dirname(process.env.DRP_DATA_DIR) : "data"): Buffer {
  const given = process.env.DRP_LINK_SECRET;
  if (given !== undefined && given !== "") {
    const secret = Buffer.from(given, "utf8");
    checkSecret(secret, "DRP_LINK_SECRET");
    return secret;
  }
  // On PostgreSQL (compose, a real install) the data folder may not outlive a re-created container:
  // a secret generated there would be lost with it, and every link in every email already sent with
  // it. Emails carry links only with PUBLIC_URL; with links on, such an install must give the secret.
  if (process.env.DATABASE_URL && process.env.PUBLIC_URL)
    throw new Error(
      "DRP_LINK_SECRET is not set: with DATABASE_URL and PUBLIC_URL, emails carry links that must outlive this process and its data folder. Set DRP_LINK_SECRET (openssl rand -base64 32) and keep it",
    );
  const file = join(dataDir, "link-secret");
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    const fd = openSync(tmp, "wx", 0o600);
    try {
      writeSync(fd, randomBytes(32).toString("base64url"));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e; // another process made it first: theirs stands
    } finally {
      unlinkSync(tmp);
    }
  }
  const secret = Buffer.from(readFileSync(file, "utf8").trim(), "utf8");
  checkSecret(secret, `the link secret in ${file}`);
  return secret;
}
