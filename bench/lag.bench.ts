// Lag from due time to SMTP hand-off for 2,000 notifications due at the same
// instant: 2,000 disputes whose stage runs out at 17:00, `drp worker` from the
// built code on real Redis and PostgreSQL, and an SMTP server on loopback (in
// a process of its own); once as one process and once as two
// (DRP_WORKER_PROCESSES=2), with the same ten SMTP connections between them.
// Beside it, in the same run, the limit: the same 2,000 emails, already
// rendered and addressed, handed to a bare nodemailer pooled transport with
// those ten connections, to the same server process. The three are run three
// times, interleaved, and reported as medians with their spread. What bounds
// each is reported too: CPU per email of the sender and of the whole machine
// (PostgreSQL, Redis and the SMTP server included), and how busy the cores
// were. The naive baseline sends a sample one email at a time: one database
// round trip, one render and one new SMTP connection each.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import nodemailer from "nodemailer";
import { createRenderer } from "../src/mail/render.ts";
import { sampleEmail } from "../src/mail/samples.ts";
import { cores, machineBusyMs, treeCpuMs } from "./cpu.ts";
import { type Benchmark, type Result, spread } from "./harness.ts";
import { BUILT_FLAGS } from "./node-flags.ts";
import { benchStack, seedDisputes } from "./stack.ts";

const N = Number(process.env.BENCH_LAG_NOTIFICATIONS ?? 2_000);
const RUNS = Number(process.env.BENCH_LAG_RUNS ?? 3);
const CONNECTIONS = Number(process.env.SMTP_CONNECTIONS ?? 10);
// The clock starts 15 s before close of business on the day the stage is due.
const START = "2026-11-24T16:59:45Z";
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

interface Drain {
  rate: number;
  p50: number;
  p99: number;
}
type Run = Drain & Cpu;

function figures(lags: number[]): Drain {
  const sorted = [...lags].sort((x, y) => x - y);
  return { rate: (N / Math.max(1, sorted.at(-1)!)) * 1000, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

async function waitFor(got: () => number[], what: string): Promise<void> {
  const until = performance.now() + 120_000;
  while (got().length < N && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
  if (got().length < N) throw new Error(`only ${got().length} of ${N} ${what} arrived`);
}

/** CPU per email during a run: the machine's (every process, every core) and the sender's own process(es). */
interface Cpu {
  machineMs: number;
  senderMs: number;
  /** share of all cores busy, from the first email's due instant to the last acceptance */
  busy: number;
}

function cpuWindow(senderMs: () => number) {
  const m0 = machineBusyMs();
  const s0 = senderMs();
  const t0 = performance.now();
  return (): Cpu => {
    const wall = performance.now() - t0;
    const machine = machineBusyMs() - m0;
    return { machineMs: machine / N, senderMs: (senderMs() - s0) / N, busy: machine / (wall * cores) };
  };
}

/**
 * The worker as it runs in service: `drp worker` from the built code with
 * npm start's flags, in DRP_WORKER_PROCESSES processes that share the
 * connections the bare sender has (SMTP_CONNECTIONS each, divided between
 * them). N disputes whose IRO's prompt falls due at one instant; lags from
 * that instant.
 */
async function workerRun(sink: Sink, processes: number): Promise<Run> {
  if (!existsSync("dist/cli/bin.js")) throw new Error("no dist/: run npm run build first");
  const stack = await benchStack(START);
  // the wall time at which the stack's clock read START: the worker processes share that clock
  const anchor = Date.now() - (stack.svc.clock.now().getTime() - Date.parse(START));
  const dueAt = anchor + (DUE - Date.parse(START));
  let child: ChildProcess | undefined;
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
    // BENCH_WORKER_FLAGS: node flags to try beside npm start's (a later V8 flag wins)
    const flags = [...BUILT_FLAGS, ...(process.env.BENCH_WORKER_FLAGS?.split(" ").filter(Boolean) ?? [])];
    const proc = spawn(process.execPath, [...flags, "dist/cli/bin.js", "worker"], {
      env: {
        ...process.env,
        DATABASE_URL: stack.databaseUrl,
        REDIS_URL: stack.redisUrl,
        SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
        SMTP_CONNECTIONS: String(Math.max(1, Math.round(CONNECTIONS / processes))),
        DRP_WORKER_PROCESSES: String(processes),
        DRP_NOW: START,
        DRP_NOW_FROM: String(anchor),
        MAIL_FROM: "IRO Dispute Resolution <drp@bench.example.org>",
        LOG_LEVEL: "info",
        METRICS_PORT: "off",
        // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": the worker's own, not this process's
        ...(process.env.BENCH_WORKER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS } : {}),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    child = proc;
    const batches: { worker: string; disputes: number; sent: number; ms: number }[] = [];
    await new Promise<void>((resolve, reject) => {
      let out = "";
      let started = 0;
      proc.stdout!.on("data", (b: Buffer) => {
        out += String(b);
        const lines = out.split("\n");
        out = lines.pop()!;
        for (const l of lines) {
          if (l.includes('"msg":"worker started"') && ++started === processes) resolve();
          if (process.env.DRP_DEBUG_BATCH && l.includes('"msg":"batch"')) batches.push(JSON.parse(l));
        }
      });
      proc.once("exit", () => reject(new Error("the worker stopped before it had started")));
    });
    if (Date.now() > dueAt) throw new Error("the worker took longer to start than the lead before the due instant");
    await new Promise((r) => setTimeout(r, dueAt - Date.now()));
    const cpu = cpuWindow(() => treeCpuMs(proc.pid!));
    await waitFor(got, "emails from the worker");
    const used = cpu();
    const lags = got().map((t) => t - dueAt);
    if (process.env.DRP_DEBUG_BATCH) {
      console.error(`worker ×${processes}: first ${Math.min(...lags)} ms, last ${Math.max(...lags)} ms`);
      for (const w of new Set(batches.map((b) => b.worker))) {
        const mine = batches.filter((b) => b.worker === w);
        const sum = (f: (b: (typeof mine)[number]) => number) => mine.reduce((a, b) => a + f(b), 0);
        console.error(
          `  ${w}: ${mine.length} batches, ${sum((b) => b.sent)} sent, ${Math.round(sum((b) => b.disputes) / mine.length)} disputes and ${Math.round(sum((b) => b.ms) / mine.length)} ms a batch`,
        );
      }
    }
    return { ...figures(lags), ...used };
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
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
  // this process only: the SMTP server is a process of its own, in the machine's figure
  const cpu = cpuWindow(() => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  });
  try {
    await Promise.all(built.map((b) => transport.sendMail({ envelope: b.envelope, raw: b.raw })));
    await waitFor(got, "emails from the bare sender");
  } finally {
    transport.close();
  }
  return { ...figures(got().map((t) => t - start)), ...cpu() };
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

/** What bounds a sender: CPU per email of its own process(es) and of the whole machine, and how busy the cores were. */
function bounds(runs: Run[], [sender, machine, busy]: [string, string, string]): Result[] {
  return [
    spread(
      sender,
      "ms",
      runs.map((r) => r.senderMs),
      null,
    ),
    spread(
      machine,
      "ms",
      runs.map((r) => r.machineMs),
      null,
    ),
    spread(
      busy,
      "share",
      runs.map((r) => r.busy),
      null,
    ),
  ];
}

// BENCH_LAG_PROCESSES=1 measures one process only (e.g. while profiling it)
const PROCESSES = (process.env.BENCH_LAG_PROCESSES ?? "1,2").split(",").map(Number);

export const lagBenchmark: Benchmark = {
  name: "lag",
  async run() {
    const sink = await startSink();
    try {
      const worker = new Map<number, Run[]>(PROCESSES.map((p) => [p, []]));
      const raw: Run[] = [];
      // interleaved, so that a machine busier in one moment than another weighs on each
      for (let i = 0; i < RUNS; i++) {
        for (const p of PROCESSES) worker.get(p)!.push(await workerRun(sink, p));
        raw.push(await rawRun(sink));
        if (process.env.BENCH_VERBOSE)
          for (const [label, r] of [...PROCESSES.map((p) => [`worker ×${p}`, worker.get(p)![i]!] as const), ["raw", raw[i]!] as const])
            console.error(
              `run ${i + 1} ${label}: ${Math.round(r.rate)}/s p99 ${r.p99} ms; cpu/email machine ${r.machineMs.toFixed(2)} ms, sender ${r.senderMs.toFixed(2)} ms; cores busy ${Math.round(r.busy * 100)}%`,
            );
      }
      const naive = await naiveRate(sink.port);
      const naiveDrainMs = (N / naive) * 1000; // the last email of the burst, sent one at a time
      const out: Result[] = [];
      for (const p of PROCESSES) {
        const runs = worker.get(p)!;
        // one process keeps the names the benchmark has always had; more carry their number
        const tag = p === 1 ? "" : `_${p}_processes`;
        out.push(
          spread(
            `lag.p50_due_to_smtp_${N}_at_once${tag}`,
            "ms",
            runs.map((r) => r.p50),
            naiveDrainMs / 2,
            false,
          ),
          spread(
            `lag.p99_due_to_smtp_${N}_at_once${tag}`,
            "ms",
            runs.map((r) => r.p99),
            naiveDrainMs * 0.99,
            false,
          ),
          // from the due instant to the last acceptance
          spread(
            `lag.emails_per_second${tag}`,
            "emails/s",
            runs.map((r) => r.rate),
            naive,
          ),
          // each run's worker against the bare sender beside it
          spread(
            `lag.ratio_to_raw${tag}`,
            "×",
            runs.map((r, i) => r.rate / raw[i]!.rate),
            null,
          ),
          ...bounds(runs, [`lag.worker_cpu_ms_per_email${tag}`, `lag.machine_cpu_ms_per_email${tag}`, `lag.cores_busy${tag}`]),
        );
      }
      out.push(
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
        ...bounds(raw, ["lag.raw_cpu_ms_per_email", "lag.raw_machine_cpu_ms_per_email", "lag.raw_cores_busy"]),
        { name: "lag.cores", value: cores, unit: "cores", baseline: null, ratio: null },
      );
      return out;
    } finally {
      sink.stop();
    }
  },
};
