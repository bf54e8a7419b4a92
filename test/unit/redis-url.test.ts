// REDIS_URL's three forms: one server, Sentinel, Cluster.
import { describe, expect, it } from "vitest";
import { parseRedisUrl, RedisUrlError } from "../../src/queue/redis-client.ts";

describe("parseRedisUrl", () => {
  it("passes a one-server URL through untouched", () => {
    expect(parseRedisUrl("redis://:pw@redis:6379/2")).toEqual({ kind: "server", url: "redis://:pw@redis:6379/2" });
    expect(parseRedisUrl("rediss://cache.example.org")).toEqual({ kind: "server", url: "rediss://cache.example.org" });
  });

  it("reads Sentinel's hosts, the master's name, the database, and both passwords", () => {
    expect(parseRedisUrl("redis+sentinel://drp:p%40ss@s1:26379,s2,[::1]:26380/mymaster/3?sentinelPassword=sp")).toEqual({
      kind: "sentinel",
      sentinels: [
        { host: "s1", port: 26379 },
        { host: "s2", port: 26379 },
        { host: "::1", port: 26380 },
      ],
      name: "mymaster",
      db: 3,
      username: "drp",
      password: "p@ss",
      sentinelPassword: "sp",
    });
    expect(parseRedisUrl("rediss+sentinel://s1/m")).toMatchObject({ kind: "sentinel", tls: {} });
  });

  it("reads a Cluster's seed nodes, defaulting to port 6379", () => {
    expect(parseRedisUrl("redis+cluster://:secret@n1:7000,n2")).toEqual({
      kind: "cluster",
      nodes: [
        { host: "n1", port: 7000 },
        { host: "n2", port: 6379 },
      ],
      password: "secret",
    });
  });

  it.each([
    ["redis+sentinel://:hunter2@s1:26379", /names the master/],
    ["redis+sentinel://s1:26379/m/x", /not a database number/],
    ["redis+cluster://:hunter2@n1:7000/0", /no database number/],
    ["redis+cluster://:hunter2@n1:port", /not host:port/],
    ["redis+cluster://", /redis\+cluster:\/\/\[user:password@\]host:port/],
  ])("refuses %s, saying why and without the password", (url, why) => {
    let error: unknown;
    try {
      parseRedisUrl(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RedisUrlError);
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).not.toContain("hunter2");
  });
});
