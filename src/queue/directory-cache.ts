// The directory as the worker reads it: from PostgreSQL, kept for a few
// seconds so that a burst of emails does not read it once each. A change to
// the directory reaches every email sent more than that long after it.
import type { Database } from "../db/client.ts";
import { loadDirectory } from "../db/queries/directory.ts";
import type { Directory } from "../domain/directory.ts";

export interface DirectoryCache {
  get(authorityId: string): Promise<Directory>;
  /** read afresh next time: an address was just marked undeliverable */
  forget(authorityId: string): void;
}

export function directoryCache(db: Database, ttlMs = Number(process.env.DRP_DIRECTORY_TTL_MS ?? 5_000)): DirectoryCache {
  const kept = new Map<string, { at: number; dir: Promise<Directory> }>();
  return {
    get(authorityId) {
      const hit = kept.get(authorityId);
      if (hit && Date.now() - hit.at < ttlMs) return hit.dir;
      const dir = loadDirectory(db, authorityId);
      kept.set(authorityId, { at: Date.now(), dir });
      dir.catch(() => kept.delete(authorityId));
      return dir;
    },
    forget: (authorityId) => void kept.delete(authorityId),
  };
}
