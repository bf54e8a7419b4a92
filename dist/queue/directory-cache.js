import { loadDirectory } from "../db/queries/directory.js";
export function directoryCache(db, ttlMs = Number(process.env.DRP_DIRECTORY_TTL_MS ?? 5_000)) {
    const kept = new Map();
    return {
        get(authorityId) {
            const hit = kept.get(authorityId);
            if (hit && Date.now() - hit.at < ttlMs)
                return hit.dir;
            const dir = loadDirectory(db, authorityId);
            kept.set(authorityId, { at: Date.now(), dir });
            dir.catch(() => kept.delete(authorityId));
            return dir;
        },
    };
}
//# sourceMappingURL=directory-cache.js.map