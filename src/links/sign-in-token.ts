// The token in a sign-in email: the sign-in link's id and when it expires,
// sealed (JWE, AES-256-GCM) with a key of its own, so that nothing in the URL
// is readable and no action link's token can be used as one. The token alone
// signs nobody in: its row must be unused, in date, and asked for by the same
// browser (service/sessions.ts).
import { CompactEncrypt, compactDecrypt } from "jose";
import { z } from "zod";
import type { LinkKeys } from "./token.ts";

const claims = z.strictObject({ v: z.literal("sign-in 1"), i: z.uuid(), exp: z.number().int() });

export async function sealSignIn(keys: LinkKeys, id: string, expires: Date): Promise<string> {
  const body = { v: "sign-in 1", i: id, exp: Math.floor(expires.getTime() / 1000) } satisfies z.infer<typeof claims>;
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(body)))
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .encrypt(keys.signIn);
}

/** The sign-in link's id, or why the token is no good. */
export async function openSignIn(
  keys: LinkKeys,
  token: string,
  now: Date,
): Promise<{ ok: true; id: string } | { ok: false; reason: "malformed" | "expired" }> {
  if (token.length > 1_000 || !/^[A-Za-z0-9_.-]+$/.test(token)) return { ok: false, reason: "malformed" };
  try {
    const { plaintext } = await compactDecrypt(token, keys.signIn, {
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
    });
    const c = claims.parse(JSON.parse(new TextDecoder().decode(plaintext)));
    if (c.exp * 1000 < now.getTime()) return { ok: false, reason: "expired" };
    return { ok: true, id: c.i };
  } catch {
    return { ok: false, reason: "malformed" };
  }
}
