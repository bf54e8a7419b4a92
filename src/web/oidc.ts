// Signing in with the authority's identity provider (OpenID Connect, e.g.
// Microsoft Entra ID), by openid-client: the authorization code flow with PKCE,
// a state and a nonce, kept for the round trip in a sealed, HttpOnly cookie of
// the browser that set out. The address the provider vouches for is matched to
// a person in an authority's directory; anyone else is told so and sees nothing.
// OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET; the redirect URI is
// PUBLIC_URL/sign-in/callback.
import { CompactEncrypt, compactDecrypt } from "jose";
import * as oidc from "openid-client";
import { z } from "zod";
import type { LinkKeys } from "../links/token.ts";

export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** OIDC_AUTHORITY: the one authority whose people this provider signs in (else any whose directory holds the address) */
  authority?: string;
}

export function oidcSettings(env: NodeJS.ProcessEnv = process.env): OidcSettings | undefined {
  if (!env.OIDC_ISSUER) return undefined;
  if (!env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET)
    throw new Error(
      "OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too (the app's registration with the identity provider)",
    );
  return {
    issuer: new URL(env.OIDC_ISSUER),
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    authority: env.OIDC_AUTHORITY || undefined,
  };
}

/** The provider's configuration, found once (and again after a failure). */
export function oidcClient(s: OidcSettings): () => Promise<oidc.Configuration> {
  let found: Promise<oidc.Configuration> | undefined;
  // http only for a provider on this machine (a test's, a developer's)
  const local = s.issuer.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(s.issuer.hostname);
  return () => {
    found ??= oidc
      .discovery(s.issuer, s.clientId, s.clientSecret, undefined, local ? { execute: [oidc.allowInsecureRequests] } : undefined)
      .catch((e) => {
        found = undefined;
        throw e;
      });
    return found;
  };
}

const roundTrip = z.strictObject({ p: z.literal("oidc 1"), v: z.string(), s: z.string(), n: z.string(), exp: z.number() });

/** Where to send the browser, and the cookie that remembers the round trip. */
export async function startOidc(config: oidc.Configuration, keys: LinkKeys, redirectUri: string, now: Date) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: "openid email profile",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  const body = { p: "oidc 1", v: verifier, s: state, n: nonce, exp: Math.floor(now.getTime() / 1000) + 600 } satisfies z.infer<
    typeof roundTrip
  >;
  const cookie = await seal(keys, body);
  return { url: url.href, cookie };
}

/** The address the provider vouches for, after checking the code, PKCE, state and nonce; undefined if anything is wrong. */
export async function finishOidc(
  config: oidc.Configuration,
  keys: LinkKeys,
  cookie: string | undefined,
  currentUrl: URL,
  now: Date,
): Promise<string | undefined> {
  if (!cookie) return undefined;
  const trip = await unseal(keys, cookie, roundTrip, now);
  if (!trip) return undefined;
  const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
    pkceCodeVerifier: trip.v,
    expectedState: trip.s,
    expectedNonce: trip.n,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  // an address the provider says it has not verified vouches for nobody
  if (!claims || claims.email_verified === false) return undefined;
  // Entra ID gives the work address as email where set, else as preferred_username (the UPN)
  const addressIn = (c: Record<string, unknown>) =>
    [c.email, c.preferred_username, c.upn].find((x): x is string => typeof x === "string" && x.includes("@"));
  // a provider that keeps the address out of the ID token gives it at its userinfo endpoint, for the same subject
  const address = addressIn(claims) ?? addressIn(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub));
  return address?.toLowerCase();
}

/** A sealed (encrypted and authenticated) cookie value: what the browser carries between two requests and cannot read or change. */
export async function seal(keys: LinkKeys, body: { p: string; exp: number; [more: string]: unknown }): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(body)))
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .encrypt(keys.signIn);
}

/** What a sealed cookie holds, if it was sealed here, has the shape asked for and has not expired. */
export async function unseal<T extends { exp: number }>(
  keys: LinkKeys,
  cookie: string | undefined,
  shape: z.ZodType<T>,
  now: Date,
): Promise<T | undefined> {
  if (!cookie) return undefined;
  try {
    const { plaintext } = await compactDecrypt(cookie, keys.signIn, {
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
    });
    const body = shape.parse(JSON.parse(new TextDecoder().decode(plaintext)));
    return body.exp * 1000 < now.getTime() ? undefined : body;
  } catch {
    return undefined;
  }
}
