// Per-authority API keys. A key is 256 random bits, shown once; only its
// SHA-256 is stored. (A slow password hash adds nothing for keys this long.)
import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, isNull, like } from "drizzle-orm";
import { apiKeys } from "../db/schema.js";
import { authorityOf } from "./context.js";
import { InputError, NotFoundError } from "./errors.js";
export function hashKey(key) {
    return createHash("sha256").update(key, "utf8").digest("hex");
}
export async function createKey(svc, authorityId, label) {
    authorityOf(svc, authorityId);
    const key = `drp_${randomBytes(32).toString("base64url")}`;
    const prefix = key.slice(0, 12);
    const [row] = await svc.db
        .insert(apiKeys)
        .values({ authorityId, keyHash: hashKey(key), prefix, label })
        .returning({ id: apiKeys.id });
    svc.log.info({ authority: authorityId, keyId: row.id, prefix }, "api key created");
    return { key, id: row.id, prefix };
}
/** The authority a key belongs to, or undefined for an unknown or revoked key. */
export async function authenticate(svc, key) {
    if (!key.startsWith("drp_") || key.length > 200)
        return undefined;
    const [row] = await svc.db
        .select({ authorityId: apiKeys.authorityId })
        .from(apiKeys)
        .where(and(eq(apiKeys.keyHash, hashKey(key)), isNull(apiKeys.revokedAt)))
        .limit(1);
    return row && svc.authorities.has(row.authorityId) ? row.authorityId : undefined;
}
/** An authority's keys, by their prefix: never the key, never its hash. */
export async function listKeys(svc, authorityId) {
    authorityOf(svc, authorityId);
    const rows = await svc.db.select().from(apiKeys).where(eq(apiKeys.authorityId, authorityId)).orderBy(asc(apiKeys.createdAt));
    return rows.map((r) => ({
        id: r.id,
        authority: r.authorityId,
        prefix: r.prefix,
        label: r.label,
        createdAt: r.createdAt.toISOString(),
        revokedAt: r.revokedAt?.toISOString() ?? null,
    }));
}
/** Revokes the one live key whose prefix this is (a prefix that matches several must be made longer). */
export async function revokeKey(svc, prefix) {
    if (!/^drp_[A-Za-z0-9_-]{4,}$/.test(prefix))
        throw new InputError("prefix", "give the key's prefix as `keys list` shows it, e.g. drp_AbCdEfGh");
    const live = await svc.db
        .select()
        .from(apiKeys)
        .where(and(like(apiKeys.prefix, `${prefix.slice(0, 12)}%`), isNull(apiKeys.revokedAt)));
    const matching = live.filter((r) => r.prefix.startsWith(prefix.slice(0, 12)));
    if (!matching.length)
        throw new NotFoundError(`no live key with prefix ${prefix}`);
    if (matching.length > 1)
        throw new InputError("prefix", `${matching.length} live keys start with ${prefix}; give more of the key`);
    const [row] = await svc.db.update(apiKeys).set({ revokedAt: svc.clock.now() }).where(eq(apiKeys.id, matching[0].id)).returning();
    svc.log.info({ authority: row.authorityId, keyId: row.id, prefix: row.prefix }, "api key revoked");
    return {
        id: row.id,
        authority: row.authorityId,
        prefix: row.prefix,
        label: row.label,
        createdAt: row.createdAt.toISOString(),
        revokedAt: row.revokedAt?.toISOString() ?? null,
    };
}
//# sourceMappingURL=keys.js.map