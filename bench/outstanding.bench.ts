// The outstanding page with 20,000 open disputes in PostgreSQL (BENCH_OUTSTANDING):
// p95 of the whole answer (session, SQL, the list, the page's HTML) for each
// filter, signed in as QA (the widest view) and as a team manager, and the
// time to stream the CSV of every row. The naive way it replaces builds the
// list as the API would have to: each open dispute read in full (its log
// replayed, its plan made, GET /disputes/:id), timed on a sample of 200 and
// scaled to the whole.
import { performance } from "node:perf_hooks";
import { authorities } from "../src/config/authorities.ts";
import { buildApp } from "../src/http/app.ts";
import { importDirectory, parseDirectory } from "../src/service/directory.ts";
import { getDispute } from "../src/service/read.ts";
import { startSession } from "../src/service/sessions.ts";
import { demoDirectory } from "../test/support/app.ts";
import { type Benchmark, type Result, result } from "./harness.ts";
import { benchStack } from "./stack.ts";

const N = Number(process.env.BENCH_OUTSTANDING ?? 20_000);
const RUNS = Number(process.env.BENCH_OUTSTANDING_RUNS ?? 20);
const NOW = "2026-11-24T10:00:00Z";

const FILTERS = [
  "/",
  "/?overdue=yes",
  "/?week=yes",
  "/?team=cla-south",
  "/?holder=tm-north",
  "/?stage=2",
  "/?procedure=iro&sort=limit",
  "/?sort=team&page=50",
];

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;

export const outstandingBenchmark: Benchmark = {
  name: "outstanding",
  async run(): Promise<Result[]> {
    const stack = await benchStack(NOW);
    const results: Result[] = [];
    try {
      const svc = { ...stack.svc, authorities: authorities() };
      await importDirectory(svc, parseDirectory(svc, demoDirectory("birmingham")));
      // N open Birmingham disputes over two teams and the four stages, due from 20 working days ago to 20 ahead
      await stack.sql`
        insert into disputes (authority_id, reference, procedure, child_ref, raised_by_name, raised_by_email, raised_by_role,
          team_id, service_id, categories, summary, stage, stages_entered, status, awaiting, formal_started_on, overall_deadline,
          respond_by, respond_by_at, raised_at)
        select 'birmingham', 'BIR-2026-' || lpad(g::text, 5, '0'), 'iro', 'C' || g, 'Ivy Reviewer', 'ivy.reviewer@example.org', 'iro',
          case when g % 2 = 0 then 'cla-north' else 'cla-south' end, 'cla', array['other'], 'x',
          1 + g % 4, (select array_agg(s) from generate_series(1, 1 + g % 4) s), 'open', 'response',
          date '2026-11-24' - (g % 20), date '2026-11-24' - (g % 20) + 28,
          date '2026-11-24' + (g % 41 - 20), (date '2026-11-24' + (g % 41 - 20) + time '17:00') at time zone 'Europe/London',
          timestamptz '2026-11-01T10:00:00Z'
        from generate_series(1, ${N}) g`;
      await stack.sql`
        insert into dispute_events (dispute_id, seq, type, at, payload)
        select id, 0, 'raised', raised_at, '{"stage": 1, "by": "iro"}'::jsonb from disputes where authority_id = 'birmingham'`;
      await stack.sql`analyze`;
      const app = await buildApp(svc, { linkSecret: Buffer.from("bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz") });
      const session = async (email: string) => {
        const s = await startSession(svc, "birmingham", email, "email");
        if (!s.ok) throw new Error(`${email} could not sign in`);
        return `drp_session=${s.session}`;
      };
      const time = async (cookie: string, url: string) => {
        const t = performance.now();
        const res = await app.inject({ method: "GET", url, headers: { cookie } });
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
        return performance.now() - t;
      };
      for (const [who, email] of [
        ["qa", "qa-inbox@birmingham.example.org"],
        ["team_manager", "tm-north@birmingham.example.org"],
      ] as const) {
        const cookie = await session(email);
        await time(cookie, "/"); // warm
        let worst = 0;
        for (const url of FILTERS) {
          const times: number[] = [];
          for (let i = 0; i < RUNS; i++) times.push(await time(cookie, url));
          worst = Math.max(worst, p95(times));
          if (process.env.BENCH_VERBOSE)
            console.log(who, url, Math.round(p95(times)), Math.round([...times].sort((a, b) => a - b)[times.length >> 1]!));
        }
        results.push(result(`outstanding.page_p95_ms_${who}_${N}`, "ms", worst, null, false));
      }
      // the CSV of every row, streamed, as QA
      const cookie = await session("qa-inbox@birmingham.example.org");
      const t = performance.now();
      const csv = await app.inject({ method: "GET", url: "/outstanding.csv", headers: { cookie } });
      const csvMs = performance.now() - t;
      if (csv.body.split("\n").length < N) throw new Error("the CSV is short");
      // the naive way: each dispute read in full, on a sample
      const ids = (await stack.sql`select id from disputes where authority_id = 'birmingham' limit 200`).map((r) => r.id as string);
      const n0 = performance.now();
      for (const id of ids) await getDispute(svc, "birmingham", id);
      const naiveMs = ((performance.now() - n0) / ids.length) * N;
      results.push(result(`outstanding.csv_ms_${N}`, "ms", csvMs, naiveMs, false));
      const page = results[0]!.value;
      results[0] = result(results[0]!.name, "ms", page, naiveMs, false);
      await app.close();
    } finally {
      await stack.stop();
    }
    return results;
  },
};
