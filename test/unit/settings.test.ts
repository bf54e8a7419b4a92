// Settings are checked at start-up: a wrong one is named in one line, a secret is never repeated back.
import { describe, expect, it } from "vitest";
import { settingsProblems } from "../../src/config/settings.ts";

describe("settings", () => {
  it("are fine unset, and fine set to what they say", () => {
    expect(settingsProblems({})).toBeUndefined();
    expect(
      settingsProblems({
        PORT: "3000",
        METRICS_PORT: "off",
        DATABASE_URL: "postgres://drp:pw@db:5432/drp",
        REDIS_URL: "redis+sentinel://s1:26379/mymaster",
        SMTP_URL: "smtps://relay.council.example:465",
        PUBLIC_URL: "https://drp.council.example",
        DRP_NOW: "2026-11-24T10:00:00Z",
        DRP_LINK_DAYS: "14",
        LOG_LEVEL: "info",
        TRUST_PROXY: "false",
        DRP_WORKER_PROCESSES: "2",
        DRP_RECONCILE_PAGE: "1000",
        DRP_NOW_FROM: "1795514400000",
      }),
    ).toBeUndefined();
  });

  it("name every wrong one in one line", () => {
    const p = settingsProblems({ DRP_LINK_DAYS: "two weeks", PORT: "70000", PUBLIC_URL: "drp.council.example", LOG_LEVEL: "loud" })!;
    expect(p.split("\n")).toHaveLength(1);
    for (const name of [
      "DRP_LINK_DAYS must be a whole number",
      "PORT must be from 0 to 65535",
      "PUBLIC_URL must be a URL",
      "LOG_LEVEL must be",
    ])
      expect(p).toContain(name);
    expect(p).toContain('(it is "two weeks")');
  });

  it("bound the worker's processes and the reconciler's page", () => {
    const p = settingsProblems({ DRP_WORKER_PROCESSES: "0", DRP_RECONCILE_PAGE: "all" })!;
    expect(p).toContain("DRP_WORKER_PROCESSES must be");
    expect(p).toContain("DRP_RECONCILE_PAGE must be a whole number");
    expect(settingsProblems({ DRP_WORKER_PROCESSES: "65" })).toContain("DRP_WORKER_PROCESSES must be from 1 to 64");
    // DRP_NOW_FROM only says when DRP_NOW was read: alone it would be ignored
    expect(settingsProblems({ DRP_NOW_FROM: "1795514400000" })).toContain("DRP_NOW_FROM means nothing without DRP_NOW");
  });

  it("never repeat a URL that may carry a password", () => {
    const p = settingsProblems({ DATABASE_URL: "mysql://drp:s3cret@db/drp", SMTP_URL: "http://user:s3cret@relay" })!;
    expect(p).toContain("DATABASE_URL must be a URL (postgres: or postgresql:)");
    expect(p).toContain("SMTP_URL must be a URL");
    expect(p).not.toContain("s3cret");
  });
});
