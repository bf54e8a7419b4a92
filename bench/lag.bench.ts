// Lag from due time to SMTP hand-off for 2,000 notifications due at the same
// instant: 2,000 disputes whose stage runs out at 17:00, a worker on real
// Redis and PostgreSQL, and an SMTP server on loopback (in a process of its
// own). Beside it, in the same run, the limit: the same 2,000 emails, already
// rendered and addressed, handed to a bare nodemailer pooled transport with
// the worker's number of connections, to the same server process. The two
// are run three times, interleaved, and reported as medians with their
// spread. The naive baseline sends a sample one email at a time: one database
// round trip, one render and one new SMTP connection each.
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import nodemailer from "nodemailer";
import { createRenderer } from "../src/mail/render.ts";
import { sampleEmail } from "../src/mail/samples.ts";
import { smtpMailer } from "../src/mail/transport.ts";
import { createMetrics } from "../src/metrics.ts";
import { startWorker } from "../src/queue/worker.ts";
import { type Benchmark, type Result, spread } from "./harness.ts";
import { benchStack, seedDisputes } from "./stack.ts";

const N = Number(process.env.BENCH_LAG_NOTIFICATIONS ?? 2_000);
const RUNS = Number(process.env.BENCH_LAG_RUNS ?? 3);
const CONNECTIONS = Number(process.env.SMTP_CONNECTIONS ?? 10);
// The clock starts 20 s before close of business on the day the stage is due.
const START = "2026-11-24T16:59:40Z";
const DUE = Date.parse("2026-11-24T17:00:00Z");

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The SMTP server process: each message's acceptance time goes to whoever is listening now. */
async function startSink() {
  const child = spawn(process.execPath, ["--import", "tsx", new URL("./sink-process.ts", import.meta.url).pathname], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let taken: number[] = [];
  const port = await new Promise<number>((resolve) => {
    let buffered = "";
    child.stdout!.on("data", (b: Buffer) => {
      buffered += String(b);
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith("port ")) resolve(Number(line.slice(5)));
        else if (line) taken.push(Number(line));
      }
    });
  });
  return {
    port,
    /** acceptance times (ms since epoch) from now on */
    listen: () => {
      taken = [];
      return () => taken;
    },
    stop: () => child.kill("SIGTERM"),
  };
}
type Sink = Awaited<ReturnType<typeof startSink>>;

interface Run {
  rate: number;
  p50: number;
  p99: number;
}

function figures(lags: number[]): Run {
  const sorted = [...lags].sort((x, y) => x - y);
  return { rate: (N / Math.max(1, sorted.at(-1)!)) * 1000, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

async function waitFor(got: () => number[], what: string): Promise<void> {
  const until = performance.now() + 120_000;
  while (got().length < N && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
  if (got().length < N) throw new Error(`only ${got().length} of ${N} ${what} arrived`);
}

/** The worker: N disputes whose IRO's prompt falls due at one instant; lags from that instant. */
async function workerRun(sink: Sink): Promise<Run & { naive?: number }> {
  const stack = await benchStack(START);
  const dueAt = Date.now() + (DUE - Date.parse(START));
  const mailer = smtpMailer(`smtp://127.0.0.1:${sink.port}`);
  try {
    // Birmingham stage 1 raised Tue 10 Nov: due Tue 24 Nov at 17:00; answered, so the only
    // notification left is the IRO's prompt when the stage's time ends.
    await seedDisputes(stack.sql, N, "2026-11-10T10:00:00Z", "LAG");
    await stack.sql`insert into dispute_events (dispute_id, seq, type, at, payload)
      select id, 1, 'response_recorded', '2026-11-12T10:00:00Z', '{}'::jsonb from disputes where reference like 'LAG-%'`;
    await stack.sql`update disputes set awaiting = 'decision' where reference like 'LAG-%'`;
    // their "stage raised" emails, and the IRO's notice of the response, went long ago
    for (const [kind, seq] of [
      ["stage_raised", 0],
      ["response_recorded", 1],
    ] as const)
      await stack.sql`insert into outbox (key, dispute_id, authority_id, planner_key, kind, stage, recipient_role, status, reason)
        select id || ${`:s1:e${seq}:${kind}/-`}, id, 'birmingham', id || ${`:s1:e${seq}:${kind}`}, ${kind}, 1, '-', 'skipped', 'sent before the benchmark'
        from disputes where reference like 'LAG-%'`;
    const got = sink.listen();
    const worker = await startWorker({
      svc: stack.svc,
      redisUrl: stack.redisUrl,
      renderer: await createRenderer(),
      mailer,
      metrics: createMetrics(),
      from: "IRO Dispute Resolution <drp@bench.example.org>",
    });
    try {
      await waitFor(got, "emails from the worker");
    } finally {
      await worker.stop();
    }
    const lags = got().map((t) => t - dueAt);
    if (process.env.DRP_DEBUG_BATCH) console.error(`worker: first ${Math.min(...lags)} ms, last ${Math.max(...lags)} ms`);
    return figures(lags);
  } finally {
    mailer.close();
    await stack.stop();
  }
}

/** The same emails, rendered and addressed beforehand, through a bare pooled transport: what the machine allows. */
async function rawRun(sink: Sink): Promise<Run> {
  const renderer = await createRenderer();
  const view = sampleEmail((await import("../src/config/authorities.ts")).authorities().get("birmingham")!, "escalation_prompt");
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const built: { envelope: { from: string; to: string[] }; raw: Buffer }[] = [];
  for (let i = 1; i <= N; i++) {
    const { html, text } = renderer.render(view);
    const b = await composer.sendMail({
      from: "IRO Dispute Resolution <drp@bench.example.org>",
      to: `ivy${i}@example.org`,
      subject: view.subject,
      html,
      text,
      textEncoding: "base64",
    });
    built.push({ envelope: b.envelope as { from: string; to: string[] }, raw: b.message as Buffer });
  }
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port: sink.port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: CONNECTIONS,
    maxMessages: 1000,
  });
  const got = sink.listen();
  const start = Date.now();
  try {
    await Promise.all(built.map((b) => transport.sendMail({ envelope: b.envelope, raw: b.raw })));
    await waitFor(got, "emails from the bare sender");
  } finally {
    transport.close();
  }
  return figures(got().map((t) => t - start));
}

/** Emails a second sent the naive way: per email, one query, one render, one new SMTP connection. */
async function naiveRate(port: number): Promise<number> {
  const stack = await benchStack(START);
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true }); // no pool
  try {
    await seedDisputes(stack.sql, 200, "2026-11-10T10:00:00Z", "NAIVE");
    const renderer = await createRenderer();
    const view = sampleEmail(stack.svc.authorities.get("birmingham")!, "escalation_prompt");
    const sample = 200;
    const t0 = performance.now();
    for (let i = 1; i <= sample; i++) {
      await stack.sql`select id from disputes where reference = ${`NAIVE-${i}`}`;
      const { html, text } = renderer.render(view);
      await transport.sendMail({ from: "drp@bench.example.org", to: `ivy${i}@example.org`, subject: view.subject, html, text });
    }
    return sample / ((performance.now() - t0) / 1000);
  } finally {
    transport.close();
    await stack.stop();
  }
}

export const lagBenchmark: Benchmark = {
  name: "lag",
  async run() {
    const sink = await startSink();
    try {
      const worker: Run[] = [];
      const raw: Run[] = [];
      // interleaved, so that a machine busier in one moment than another weighs on both
      for (let i = 0; i < RUNS; i++) {
        worker.push(await workerRun(sink));
        raw.push(await rawRun(sink));
        if (process.env.BENCH_VERBOSE)
          console.error(
            `run ${i + 1}: worker ${Math.round(worker[i]!.rate)}/s p99 ${worker[i]!.p99} ms; raw ${Math.round(raw[i]!.rate)}/s p99 ${raw[i]!.p99} ms`,
          );
      }
      const naive = await naiveRate(sink.port);
      const naiveDrainMs = (N / naive) * 1000; // the last email of the burst, sent one at a time
      const out: Result[] = [
        spread(
          `lag.p50_due_to_smtp_${N}_at_once`,
          "ms",
          worker.map((r) => r.p50),
          naiveDrainMs / 2,
          false,
        ),
        spread(
          `lag.p99_due_to_smtp_${N}_at_once`,
          "ms",
          worker.map((r) => r.p99),
          naiveDrainMs * 0.99,
          false,
        ),
        // from the due instant to the last acceptance: what one worker process drains a second
        spread(
          "lag.emails_per_second",
          "emails/s",
          worker.map((r) => r.rate),
          naive,
        ),
        spread(
          "lag.raw_emails_per_second",
          "emails/s",
          raw.map((r) => r.rate),
          naive,
        ),
        spread(
          "lag.raw_p99_ms",
          "ms",
          raw.map((r) => r.p99),
          naiveDrainMs * 0.99,
          false,
        ),
        // each run's worker against the bare sender beside it
        spread(
          "lag.ratio_to_raw",
          "×",
          worker.map((r, i) => r.rate / raw[i]!.rate),
          null,
        ),
      ];
      return out;
    } finally {
      sink.stop();
    }
  },
};
