// Idempotency-Key: a client that sends the same key again (a retry after a
// timeout, a double click) gets the first answer again, and nothing is applied
// twice. The key is reserved before the step runs; the answer (success or
// refusal) is stored with it. A key reused for a different request is refused.
import { createHash } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import { idempotencyKeys } from "../db/schema.ts";
import type { Services } from "./context.ts";
import { ConflictError, InputError } from "./errors.ts";

export interface StoredAnswer {
  status: number;
  body: unknown;
}

const KEY = /^[\x21-\x7e]{1,200}$/;
/** How long an answer is kept for a repeat (a day covers any client's retries). */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

export function fingerprint(method: string, path: string, body: unknown): string {
  return `${method} ${path} ${createHash("sha256")
    .update(JSON.stringify(body ?? {}))
    .digest("hex")}`;
}

/**
 * Runs `run` once per (authority, key). `answer` turns its result or its error
 * into the status and body to store; an error it does not answer (a 500) frees
 * the key so that a retry can run again.
 */
export async function onceFor(
  svc: Services,
  authorityId: string,
  key: string,
  print: string,
  run: () => Promise<StoredAnswer>,
  answer: (e: unknown) => StoredAnswer | undefined,
): Promise<StoredAnswer> {
  if (!KEY.test(key)) throw new InputError("Idempotency-Key", "must be 1 to 200 printable ASCII characters");
  const where = and(eq(idempotencyKeys.authorityId, authorityId), eq(idempotencyKeys.key, key));
  const reserved = await svc.db
    .insert(idempotencyKeys)
    .values({ authorityId, key, fingerprint: print, createdAt: svc.clock.now() })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (!reserved.length) {
    const [row] = await svc.db.select().from(idempotencyKeys).where(where);
    if (!row) throw new ConflictError("concurrent_step", "a request with this Idempotency-Key was being recorded; try again");
    if (row.fingerprint !== print) {
      throw new ConflictError(
        "idempotency_key_reused",
        "this Idempotency-Key was used for a different request; use a new key for a new request",
      );
    }
    if (row.status === 0)
      throw new ConflictError("concurrent_step", "a request with this Idempotency-Key is being recorded now; try again in a moment");
    return { status: row.status, body: row.response };
  }
  let result: StoredAnswer;
  try {
    result = await run();
  } catch (e) {
    const refused = answer(e);
    if (!refused) {
      await svc.db.delete(idempotencyKeys).where(where);
      throw e;
    }
    result = refused;
  }
  await svc.db.update(idempotencyKeys).set({ status: result.status, response: result.body }).where(where);
  return result;
}

/** Forgets answers older than the TTL (the reconciler's upkeep). */
export async function forgetOldKeys(svc: Services): Promise<void> {
  await svc.db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, new Date(svc.clock.now().getTime() - IDEMPOTENCY_TTL_MS)));
}
