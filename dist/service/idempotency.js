// Idempotency-Key: a client that sends the same key again (a retry after a
// timeout, a double click, a lost connection) gets the first answer again,
// and nothing is applied twice. The key is reserved before the step runs; a
// step's answer is stored in the step's own transaction, so that the step and
// its answer are recorded together or not at all; a refusal is stored after.
// A key reused for a different request is refused. A reservation whose
// request died (the database went away, the process was killed) holds no
// answer and, since the answer goes with the step, no step either: once it
// is twice as old as a request may take, a retry takes it over.
import { createHash } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import { isDatabaseAway } from "../db/errors.js";
import { idempotencyKeys } from "../db/schema.js";
import { ConflictError, InputError } from "./errors.js";
const KEY = /^[\x21-\x7e]{1,200}$/;
/** How long an answer is kept for a repeat (a day covers any client's retries). */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** A reservation with no answer this long after it was made belongs to a request that died: twice the longest a request may take. */
export const abandonedAfterMs = () => 2 * Number(process.env.HTTP_REQUEST_TIMEOUT_MS ?? 30_000);
export function fingerprint(method, path, body) {
    return `${method} ${path} ${createHash("sha256")
        .update(JSON.stringify(body ?? {}))
        .digest("hex")}`;
}
/**
 * Runs `run` once per (authority, key). `answer` turns its result or its error
 * into the status and body to store; an error it does not answer (a 500) frees
 * the key so that a retry can run again.
 */
export async function onceFor(svc, authorityId, key, print, run, answer) {
    if (!KEY.test(key))
        throw new InputError("Idempotency-Key", "must be 1 to 200 printable ASCII characters");
    const where = and(eq(idempotencyKeys.authorityId, authorityId), eq(idempotencyKeys.key, key));
    const now = svc.clock.now();
    const reserved = await svc.db
        .insert(idempotencyKeys)
        .values({ authorityId, key, fingerprint: print, createdAt: now })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
    if (!reserved.length) {
        const [row] = await svc.db.select().from(idempotencyKeys).where(where);
        if (!row)
            throw new ConflictError("concurrent_step", "a request with this Idempotency-Key was being recorded; try again");
        if (row.fingerprint !== print) {
            throw new ConflictError("idempotency_key_reused", "this Idempotency-Key was used for a different request; use a new key for a new request");
        }
        if (row.status !== 0)
            return { status: row.status, body: row.response };
        const abandoned = now.getTime() - row.createdAt.getTime() >= abandonedAfterMs();
        // the request that reserved it died without an answer (and so without its step): this one takes it over
        const taken = abandoned
            ? await svc.db
                .update(idempotencyKeys)
                .set({ createdAt: now })
                .where(and(where, eq(idempotencyKeys.status, 0), eq(idempotencyKeys.createdAt, row.createdAt)))
                .returning({ key: idempotencyKeys.key })
            : [];
        if (!taken.length)
            throw new ConflictError("concurrent_step", "a request with this Idempotency-Key is being recorded now; try again in a moment");
    }
    let stored = false;
    const store = async (tx, a) => {
        await tx.update(idempotencyKeys).set({ status: a.status, response: a.body }).where(where);
        stored = true;
    };
    let result;
    try {
        result = await run(store);
    }
    catch (e) {
        // nothing was recorded; a retry with the same key must run it again: the key is freed (or, if the
        // database cannot be reached to free it, left to be taken over once abandoned)
        const refused = isDatabaseAway(e) ? undefined : answer(e);
        if (!refused) {
            await svc.db
                .delete(idempotencyKeys)
                .where(and(where, eq(idempotencyKeys.status, 0)))
                .catch(() => { });
            throw e;
        }
        result = refused;
        stored = false;
    }
    if (!stored)
        await svc.db.update(idempotencyKeys).set({ status: result.status, response: result.body }).where(where);
    return result;
}
/** Forgets answers older than the TTL (the reconciler's upkeep). */
export async function forgetOldKeys(svc) {
    await svc.db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, new Date(svc.clock.now().getTime() - IDEMPOTENCY_TTL_MS)));
}
//# sourceMappingURL=idempotency.js.map