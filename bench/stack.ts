// Real PostgreSQL and Redis for the queue benchmarks: DATABASE_URL / REDIS_URL
// if given, otherwise throwaway servers like the tests'.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { systemClock } from "../src/clock.ts";
import { authorities } from "../src/config/authorities.ts";
import { type DbHandle, openDatabase } from "../src/db/client.ts";
import { createLogger } from "../src/log.ts";
import { startRedisServer } from "../src/queue/redis.ts";
import type { Services } from "../src/service/context.ts";
import { startPostgres } from "../test/support/servers.ts";

export interface BenchStack {
  svc: Services;
  db: DbHandle;
  sql: postgres.Sql;
  databaseUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

export async function benchStack(now: string): Promise<BenchStack> {
  const stops: (() => Promise<void>)[] = [];
  let url = process.env.DATABASE_URL;
  if (!url) {
    const pg = await startPostgres();
    stops.push(pg.stop);
    url = pg.url;
  }
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    const r = await startRedisServer(mkdtempSync(join(tmpdir(), "drp-bench-redis-")));
    stops.push(r.stop);
    redisUrl = r.url;
  }
  const db = await openDatabase({ url, max: Number(process.env.BENCH_PG_POOL ?? 10) });
  await db.migrate();
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  const svc: Services = { db: db.db, authorities: authorities(), clock: systemClock(now), log: createLogger({ level: "error" }) };
  return {
    svc,
    db,
    sql,
    databaseUrl: url,
    redisUrl,
    stop: async () => {
      await sql.end();
      await db.close();
      for (const s of stops.reverse()) await s();
    },
  };
}

/** Inserts `n` open Birmingham stage-1 disputes raised at `raisedAt`, each with its "raised" event. */
export async function seedDisputes(sql: postgres.Sql, n: number, raisedAt: string, tag: string): Promise<void> {
  await sql`
    insert into disputes (authority_id, reference, procedure, child_ref, raised_by_name, raised_by_email, raised_by_role,
      team_id, service_id, categories, summary, stage, status, awaiting, raised_at)
    select 'birmingham', ${tag} || '-' || g, 'iro', 'B' || g, 'Ivy Reviewer', 'ivy.reviewer@example.org', 'iro',
      'cla-north', 'cla', array['other'], 'x', 1, 'open', 'response', ${raisedAt}::timestamptz
    from generate_series(1, ${n}) g`;
  await sql`
    insert into dispute_events (dispute_id, seq, type, at, payload)
    select id, 0, 'raised', raised_at, '{"stage": 1, "by": "iro"}'::jsonb from disputes where reference like ${`${tag}-%`}`;
}
