// Per-authority API keys. A key is 256 random bits, shown once; only its
// SHA-256 is stored. (A slow password hash adds nothing for keys this long.)
import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { apiKeys } from "../db/schema.ts";
import type { Services } from "./context.ts";
import { authorityOf } from "./context.ts";

export function hashKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export async function createKey(svc: Services, authorityId: string, label?: string): Promise<{ key: string; id: string; prefix: string }> {
  authorityOf(svc, authorityId);
  const key = `drp_${randomBytes(32).toString("base64url")}`;
  const prefix = key.slice(0, 12);
  const [row] = await svc.db
    .insert(apiKeys)
    .values({ authorityId, keyHash: hashKey(key), prefix, label })
    .returning({ id: apiKeys.id });
  svc.log.info({ authority: authorityId, keyId: row!.id, prefix }, "api key created");
  return { key, id: row!.id, prefix };
}

/** The authority a key belongs to, or undefined for an unknown or revoked key. */
export async function authenticate(svc: Services, key: string): Promise<string | undefined> {
  if (!key.startsWith("drp_") || key.length > 200) return undefined;
  const [row] = await svc.db
    .select({ authorityId: apiKeys.authorityId })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashKey(key)), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row && svc.authorities.has(row.authorityId) ? row.authorityId : undefined;
}
