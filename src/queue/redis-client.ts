// What REDIS_URL names, and the clients for it. Besides one server
// (redis://, rediss://) it may name a master watched by Sentinel or a Redis
// Cluster, which one URL cannot express in the usual form:
//
//   redis+sentinel://[user:password@]host:26379[,host:26379…]/<master name>[/<db>][?sentinelPassword=…]
//   redis+cluster://[user:password@]host:6379[,host:6379…]
//
// (rediss+… for TLS). Every key the queues use carries the hash tag {drp}, so
// a cluster keeps them in one slot, as BullMQ's scripts need.
import type { ConnectionOptions } from "bullmq";
import { Cluster, Redis, type RedisOptions } from "ioredis";

export type RedisClient = Redis | Cluster;

type Auth = { username?: string; password?: string; tls?: object };
export type RedisTarget =
  | { kind: "server"; url: string }
  | ({ kind: "sentinel"; sentinels: { host: string; port: number }[]; name: string; db?: number; sentinelPassword?: string } & Auth)
  | ({ kind: "cluster"; nodes: { host: string; port: number }[] } & Auth);

const MULTI = /^(rediss?)\+(sentinel|cluster):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)(\/[^?#]*)?(?:\?([^#]*))?$/;

export class RedisUrlError extends Error {}

/** Reads REDIS_URL; a malformed Sentinel or Cluster URL is refused with what is wrong (and no password). */
export function parseRedisUrl(url: string): RedisTarget {
  if (!/^rediss?\+/.test(url)) return { kind: "server", url };
  const m = MULTI.exec(url);
  const scheme = url.slice(0, url.indexOf("://"));
  if (!m)
    throw new RedisUrlError(
      `REDIS_URL: a ${scheme} URL is ${scheme}://[user:password@]host:port[,host:port…]${scheme.endsWith("sentinel") ? "/<master name>" : ""}`,
    );
  const [, proto, kind, user, password, hostList, path, query] = m;
  const hosts = hostList!.split(",").map((h) => {
    const hm = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(h.trim());
    if (!hm) throw new RedisUrlError(`REDIS_URL: "${h}" is not host:port`);
    return { host: hm[1]!.replace(/^\[|\]$/g, ""), port: Number(hm[2] ?? (kind === "sentinel" ? 26379 : 6379)) };
  });
  const auth: Auth = {
    ...(user ? { username: decodeURIComponent(user) } : {}),
    ...(password ? { password: decodeURIComponent(password) } : {}),
    ...(proto === "rediss" ? { tls: {} } : {}),
  };
  const params = new URLSearchParams(query ?? "");
  if (kind === "cluster") {
    if (path && path !== "/") throw new RedisUrlError("REDIS_URL: a Redis Cluster has no database number or name");
    return { kind: "cluster", nodes: hosts, ...auth };
  }
  const [name, db] = (path ?? "").split("/").filter(Boolean);
  if (!name) throw new RedisUrlError("REDIS_URL: a redis+sentinel URL names the master after the hosts: …/mymaster");
  if (db !== undefined && !/^\d+$/.test(db)) throw new RedisUrlError(`REDIS_URL: "${db}" is not a database number`);
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
const BASE: RedisOptions = { maxRetriesPerRequest: null };

function sentinelOptions(t: Extract<RedisTarget, { kind: "sentinel" }>): RedisOptions {
  const { kind: _k, tls, ...rest } = t;
  return { ...BASE, ...rest, ...(tls ? { tls, enableTLSForSentinelMode: true } : {}) };
}

function cluster(t: Extract<RedisTarget, { kind: "cluster" }>, extra: RedisOptions = {}): Cluster {
  const { nodes, kind: _k, ...auth } = t;
  return new Cluster(nodes, { redisOptions: { ...BASE, ...auth, ...extra }, enableReadyCheck: true });
}

export interface QueueConnection {
  connection: ConnectionOptions;
  /** closes what BullMQ does not: a Cluster client is shared by the queues, which leave it open */
  close(): Promise<void>;
}

/**
 * The connection the queues and workers are given. For one server or
 * Sentinel, options (BullMQ opens and closes its own connections); for a
 * Cluster, one client they share (BullMQ duplicates it for blocking reads).
 */
export function queueConnection(url: string): QueueConnection {
  const t = parseRedisUrl(url);
  if (t.kind === "server") return { connection: { ...BASE, url } as ConnectionOptions, close: async () => {} };
  if (t.kind === "sentinel") return { connection: sentinelOptions(t) as ConnectionOptions, close: async () => {} };
  const c = cluster(t);
  c.on("error", () => {});
  return { connection: c, close: async () => void (await c.quit().catch(() => c.disconnect())) };
}

/** Options for BullMQ (one server or Sentinel; use queueConnection where REDIS_URL may be a Cluster). */
export function redisOptions(url: string): ConnectionOptions {
  const t = parseRedisUrl(url);
  if (t.kind === "cluster") throw new RedisUrlError("a Redis Cluster needs queueConnection()");
  return (t.kind === "sentinel" ? sentinelOptions(t) : { ...BASE, url }) as ConnectionOptions;
}

/** A connection of our own (BullMQ leaves such connections open: close them yourself). */
export function redisConnection(url: string, extra: RedisOptions = {}): RedisClient {
  const t = parseRedisUrl(url);
  const r =
    t.kind === "cluster"
      ? cluster(t, extra)
      : t.kind === "sentinel"
        ? new Redis({ ...sentinelOptions(t), ...extra })
        : new Redis(url, { ...BASE, enableReadyCheck: true, lazyConnect: false, ...extra });
  // A lost connection shows up as failed commands and job retries; ioredis
  // also emits it here, and an unheard "error" event would end the process.
  r.on("error", () => {});
  return r;
}
