// Lag from due time to SMTP hand-off for 2,000 notifications due at the same
// instant: 2,000 disputes whose stage runs out at 17:00, a worker on real
// Redis and PostgreSQL, and an SMTP server on loopback (in a process of its
// own). The naive baseline sends a sample one email at a time: one database
// round trip, one render and one new SMTP connection each; its rate gives the
// time it would take to drain the same burst.
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import nodemailer from "nodemailer";
import { createRenderer } from "../src/mail/render.ts";
import { sampleEmail } from "../src/mail/samples.ts";
import { smtpMailer } from "../src/mail/transport.ts";
import { createMetrics } from "../src/metrics.ts";
import { startWorker } from "../src/queue/worker.ts";
import { type Benchmark, result } from "./harness.ts";
import { benchStack, seedDisputes } from "./stack.ts";

const N = Number(process.env.BENCH_LAG_NOTIFICATIONS ?? 2_000);
// The clock starts 20 s before close of business on the day the stage is due.
const START = "2026-11-24T16:59:40Z";
const DUE = Date.parse("2026-11-24T17:00:00Z");

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Emails a second sent the naive way: per email, one query, one render, one new SMTP connection. */
async function naiveRate(stack: Awaited<ReturnType<typeof benchStack>>, port: number): Promise<number> {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true }); // no pool
  const renderer = await createRenderer();
  const a = stack.svc.authorities.get("birmingham")!;
  const view = sampleEmail(a, "escalation_prompt");
  const sample = 200;
  const t0 = performance.now();
  for (let i = 1; i <= sample; i++) {
    await stack.sql`select id from disputes where reference = ${`LAG-${i}`}`;
    const { html, text } = renderer.render(view);
    await transport.sendMail({ from: "drp@bench.example.org", to: `ivy${i}@example.org`, subject: view.subject, html, text });
  }
  transport.close();
  return sample / ((performance.now() - t0) / 1000);
}

export const lagBenchmark: Benchmark = {
  name: "lag",
  async run() {
    const stack = await benchStack(START);
    const dueAt = Date.now() + (DUE - Date.parse(START));
    const lags: number[] = [];
    const sink = spawn(process.execPath, ["--import", "tsx", new URL("./sink-process.ts", import.meta.url).pathname], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const port = await new Promise<number>((resolve) => {
      let buffered = "";
      sink.stdout!.on("data", (b: Buffer) => {
        buffered += String(b);
        const lines = buffered.split("\n");
        buffered = lines.pop()!;
        for (const line of lines) {
          if (line.startsWith("port ")) resolve(Number(line.slice(5)));
          else if (line) lags.push(Number(line) - dueAt);
        }
      });
    });
    const mailer = smtpMailer(`smtp://127.0.0.1:${port}`);
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
      const worker = await startWorker({
        svc: stack.svc,
        redisUrl: stack.redisUrl,
        renderer: await createRenderer(),
        mailer,
        metrics: createMetrics(),
        from: "IRO Dispute Resolution <drp@bench.example.org>",
      });
      const until = performance.now() + 120_000;
      while (lags.length < N && performance.now() < until) await new Promise((r) => setTimeout(r, 100));
      await worker.stop();
      if (lags.length < N) throw new Error(`only ${lags.length} of ${N} emails arrived`);
      const sorted = [...lags].sort((x, y) => x - y);
      if (process.env.DRP_DEBUG_BATCH)
        console.error(`due at ${new Date(dueAt).toISOString().slice(17, 23)}; first ${sorted[0]} ms, last ${sorted.at(-1)} ms`);
      // Measured after the burst so the two do not share the two cores.
      const naive = await naiveRate(stack, port);
      const naiveDrainMs = (N / naive) * 1000; // the last email of the burst, sent one at a time
      const last = sorted.at(-1)!;
      return [
        result(`lag.p50_due_to_smtp_${N}_at_once`, "ms", percentile(sorted, 50), naiveDrainMs / 2, false),
        result(`lag.p99_due_to_smtp_${N}_at_once`, "ms", percentile(sorted, 99), naiveDrainMs * 0.99, false),
        // from the due instant to the last acceptance: what one worker process drains a second
        result("lag.emails_per_second", "emails/s", (N / last) * 1000, naive),
      ];
    } finally {
      mailer.close();
      sink.kill("SIGTERM");
      await stack.stop();
    }
  },
};
