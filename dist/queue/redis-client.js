import { Cluster, Redis } from "ioredis";
const MULTI = /^(rediss?)\+(sentinel|cluster):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)(\/[^?#]*)?(?:\?([^#]*))?$/;
export class RedisUrlError extends Error {
}
/** Reads REDIS_URL; a malformed Sentinel or Cluster URL is refused with what is wrong (and no password). */
export function parseRedisUrl(url) {
    if (!/^rediss?\+/.test(url))
        return { kind: "server", url };
    const m = MULTI.exec(url);
    const scheme = url.slice(0, url.indexOf("://"));
    if (!m)
        throw new RedisUrlError(`REDIS_URL: a ${scheme} URL is ${scheme}://[user:password@]host:port[,host:port…]${scheme.endsWith("sentinel") ? "/<master name>" : ""}`);
    const [, proto, kind, user, password, hostList, path, query] = m;
    const hosts = hostList.split(",").map((h) => {
        const hm = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(h.trim());
        if (!hm)
            throw new RedisUrlError(`REDIS_URL: "${h}" is not host:port`);
        return { host: hm[1].replace(/^\[|\]$/g, ""), port: Number(hm[2] ?? (kind === "sentinel" ? 26379 : 6379)) };
    });
    const auth = {
        ...(user ? { username: decodeURIComponent(user) } : {}),
        ...(password ? { password: decodeURIComponent(password) } : {}),
        ...(proto === "rediss" ? { tls: {} } : {}),
    };
    const params = new URLSearchParams(query ?? "");
    if (kind === "cluster") {
        if (path && path !== "/")
            throw new RedisUrlError("REDIS_URL: a Redis Cluster has no database number or name");
        return { kind: "cluster", nodes: hosts, ...auth };
    }
    const [name, db] = (path ?? "").split("/").filter(Boolean);
    if (!name)
        throw new RedisUrlError("REDIS_URL: a redis+sentinel URL names the master after the hosts: …/mymaster");
    if (db !== undefined && !/^\d+$/.test(db))
        throw new RedisUrlError(`REDIS_URL: "${db}" is not a database number`);
    const sentinelPassword = params.get("sentinelPassword") ?? undefined;
    return {
        kind: "sentinel",
        sentinels: hosts,
        name: decodeURIComponent(name),
        ...(db !== undefined ? { db: Number(db) } : {}),
        ...(sentinelPassword ? { sentinelPassword } : {}),
        ...auth,
    };
}
// BullMQ's workers block on Redis, so no request may give up after N retries.
const BASE = { maxRetriesPerRequest: null };
function sentinelOptions(t) {
    const { kind: _k, tls, ...rest } = t;
    return { ...BASE, ...rest, ...(tls ? { tls, enableTLSForSentinelMode: true } : {}) };
}
function cluster(t, extra = {}) {
    const { nodes, kind: _k, ...auth } = t;
    return new Cluster(nodes, { redisOptions: { ...BASE, ...auth, ...extra }, enableReadyCheck: true });
}
/**
 * The connection the queues and workers are given. For one server or
 * Sentinel, options (BullMQ opens and closes its own connections); for a
 * Cluster, one client they share (BullMQ duplicates it for blocking reads).
 */
export function queueConnection(url) {
    const t = parseRedisUrl(url);
    if (t.kind === "server")
        return { connection: { ...BASE, url }, close: async () => { } };
    if (t.kind === "sentinel")
        return { connection: sentinelOptions(t), close: async () => { } };
    const c = cluster(t);
    c.on("error", () => { });
    return { connection: c, close: async () => void (await c.quit().catch(() => c.disconnect())) };
}
/** Options for BullMQ (one server or Sentinel; use queueConnection where REDIS_URL may be a Cluster). */
export function redisOptions(url) {
    const t = parseRedisUrl(url);
    if (t.kind === "cluster")
        throw new RedisUrlError("a Redis Cluster needs queueConnection()");
    return (t.kind === "sentinel" ? sentinelOptions(t) : { ...BASE, url });
}
/** A connection of our own (BullMQ leaves such connections open: close them yourself). */
export function redisConnection(url, extra = {}) {
    const t = parseRedisUrl(url);
    const r = t.kind === "cluster"
        ? cluster(t, extra)
        : t.kind === "sentinel"
            ? new Redis({ ...sentinelOptions(t), ...extra })
            : new Redis(url, { ...BASE, enableReadyCheck: true, lazyConnect: false, ...extra });
    // A lost connection shows up as failed commands and job retries; ioredis
    // also emits it here, and an unheard "error" event would end the process.
    r.on("error", () => { });
    return r;
}
//# sourceMappingURL=redis-client.js.map