// Signing in to the pages, and staying signed in. A browser asks for a link by
// email (or comes back from the authority's identity provider); a session is a
// random id in an HttpOnly cookie, of which PostgreSQL keeps only the hash. A
// session ends when signed out, or after SESSION_IDLE_MINUTES without a
// request. Who the person is, and what they may see, is read from the
// directory at every request: someone taken out of it is out at once.
import { createHash, randomBytes } from "node:crypto";
import { and, count, eq, gt, isNull, sql } from "drizzle-orm";
import { loadDirectory } from "../db/queries/directory.ts";
import { people, signInLinks, webSessions } from "../db/schema.ts";
import { type Viewer, viewerOf } from "../domain/access.ts";
import { openSignIn } from "../links/sign-in-token.ts";
import type { LinkKeys } from "../links/token.ts";
import type { Services } from "./context.ts";

/** A sign-in link works for this long. */
export const SIGN_IN_MINUTES = 15;
/** At most this many links to one address in SIGN_IN_MINUTES: the form cannot flood anyone's inbox. */
export const LINKS_PER_ADDRESS = 3;

export function sessionIdleMinutes(): number {
  return Number(process.env.SESSION_IDLE_MINUTES ?? 30);
}

export const hashOf = (secret: string) => createHash("sha256").update(secret).digest("hex");
export const newSecret = () => randomBytes(32).toString("base64url");

/**
 * A sign-in link for each authority whose directory holds this address (one,
 * normally), to be emailed by the worker. Says nothing of whether any does:
 * the page answers the same either way. At most LINKS_PER_ADDRESS an address
 * in SIGN_IN_MINUTES.
 */
export async function requestSignInLink(svc: Services, email: string, browserHash: string): Promise<void> {
  const address = email.trim().toLowerCase();
  const now = svc.clock.now();
  const since = new Date(now.getTime() - SIGN_IN_MINUTES * 60_000);
  const authorities = await authoritiesHolding(svc, address);
  if (!authorities.length) return;
  // asks, not links: an ask sends one link for each authority whose directory holds the address, so one authority's are counted
  const [recent] = await svc.db
    .select({ n: count() })
    .from(signInLinks)
    .where(and(eq(signInLinks.email, address), eq(signInLinks.authorityId, authorities[0]!), gt(signInLinks.createdAt, since)));
  if ((recent?.n ?? 0) >= LINKS_PER_ADDRESS) {
    svc.log.warn({}, "sign-in link not sent: too many asked for one address");
    return;
  }
  const expiresAt = new Date(now.getTime() + SIGN_IN_MINUTES * 60_000);
  await svc.db
    .insert(signInLinks)
    .values(authorities.map((authorityId) => ({ authorityId, email: address, browserHash, createdAt: now, expiresAt })));
  svc.log.info({ authorities }, "sign-in link asked for");
  svc.onSignInRequested?.();
}

/** The authorities whose directory holds this address, by id. */
export async function authoritiesHolding(svc: Services, email: string): Promise<string[]> {
  const held = await svc.db
    .selectDistinct({ authorityId: people.authorityId })
    .from(people)
    .where(sql`lower(${people.email}) = ${email.trim().toLowerCase()}`);
  return held
    .map((h) => h.authorityId)
    .filter((id) => svc.authorities.has(id))
    .sort();
}

export type SignInRefusal = "not_valid" | "expired" | "used" | "other_browser" | "not_in_directory";

/** The emailed link, opened: a new session, or why not. The link works once, in the browser that asked. */
export async function signInWithLink(
  svc: Services,
  keys: LinkKeys,
  token: string,
  browserHash: string | undefined,
): Promise<{ ok: true; session: string } | { ok: false; reason: SignInRefusal }> {
  const now = svc.clock.now();
  const opened = await openSignIn(keys, token, now);
  if (!opened.ok) return { ok: false, reason: opened.reason === "expired" ? "expired" : "not_valid" };
  const [row] = await svc.db.select().from(signInLinks).where(eq(signInLinks.id, opened.id));
  if (!row) return { ok: false, reason: "not_valid" };
  if (row.usedAt) return { ok: false, reason: "used" };
  if (row.expiresAt <= now) return { ok: false, reason: "expired" };
  if (!browserHash || browserHash !== row.browserHash) return { ok: false, reason: "other_browser" };
  // once: of two requests with the same link, one wins
  const [used] = await svc.db
    .update(signInLinks)
    .set({ usedAt: now })
    .where(and(eq(signInLinks.id, row.id), isNull(signInLinks.usedAt)))
    .returning({ id: signInLinks.id });
  if (!used) return { ok: false, reason: "used" };
  return startSession(svc, row.authorityId, row.email, "email");
}

/** A session for someone the authority's directory holds (by email link or identity provider). */
export async function startSession(
  svc: Services,
  authorityId: string,
  email: string,
  method: "email" | "oidc",
): Promise<{ ok: true; session: string } | { ok: false; reason: "not_in_directory" }> {
  const a = svc.authorities.get(authorityId);
  if (!a || !viewerOf(a, await loadDirectory(svc.db, authorityId), email)) return { ok: false, reason: "not_in_directory" };
  const session = newSecret();
  const now = svc.clock.now();
  await svc.db
    .insert(webSessions)
    .values({ idHash: hashOf(session), authorityId, email: email.trim().toLowerCase(), method, createdAt: now, lastSeenAt: now });
  svc.log.info({ authority: authorityId, method }, "signed in");
  return { ok: true, session };
}

/**
 * The signed-in person behind a session cookie, as the directory knows them
 * now; undefined when the session is over (signed out, idle too long) or they
 * are no longer in the directory. Each request keeps the session alive.
 */
export async function sessionViewer(svc: Services, session: string | undefined): Promise<Viewer | undefined> {
  if (!session || session.length > 100) return undefined;
  const now = svc.clock.now();
  const idle = new Date(now.getTime() - sessionIdleMinutes() * 60_000);
  const [s] = await svc.db
    .update(webSessions)
    .set({ lastSeenAt: now })
    .where(and(eq(webSessions.idHash, hashOf(session)), isNull(webSessions.endedAt), gt(webSessions.lastSeenAt, idle)))
    .returning();
  const a = s && svc.authorities.get(s.authorityId);
  if (!s || !a) return undefined;
  return viewerOf(a, await loadDirectory(svc.db, a.id), s.email);
}

export async function endSession(svc: Services, session: string | undefined): Promise<void> {
  if (!session) return;
  await svc.db
    .update(webSessions)
    .set({ endedAt: svc.clock.now() })
    .where(eq(webSessions.idHash, hashOf(session)));
}
