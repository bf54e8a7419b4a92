// DRP_WORKER_PROCESSES=N: `drp worker` runs N worker processes on one Redis
// and one PostgreSQL, where a burst needs more than one process's CPU. This
// process is one of them and starts the others: the same command, each with
// BullMQ's own share of the queue (a job goes to whichever asks first) and its
// own SMTP connections; the outbox makes each email go once whichever sends it.
// A stop signal is passed on, and this process waits for each to finish the
// emails it is handing over. One that dies is started again after a pause
// that grows while it keeps dying young (its claimed emails are taken over
// when their lease runs out).
import { type ChildProcess, spawn } from "node:child_process";
import type { Logger } from "../log.ts";
import { type Metrics, PROCESS_COUNTERS } from "../metrics.ts";

export interface WorkerProcesses {
  /** passes the signal on and resolves once every other process has exited; restarts none after it is called */
  stop(signal: NodeJS.Signals): Promise<void>;
  /** each running one's counters (registry.getMetricsAsJSON()), for this process's /metrics to add up; one that does not answer within a second is left out */
  counters(): Promise<object[][]>;
}

const ASK = "drp:counters?";
const ANSWER = "drp:counters";
const ANSWER_WITHIN_MS = 1_000;

const RESTART_AFTER_MS = 5_000;
const RESTART_AT_MOST_MS = 5 * 60_000;
/** a process that ran this long before it died is not dying young: the next restart's pause starts again from 5 s */
const YOUNG_MS = 60_000;
/** set on the processes this one starts: they follow it (followParent) */
const SLOT = "DRP_WORKER_SLOT";

/** How many worker processes DRP_WORKER_PROCESSES asks for; a started one is always 1. */
export function workerProcessCount(env: NodeJS.ProcessEnv = process.env): number {
  return Math.max(1, Number(env.DRP_WORKER_PROCESSES ?? 1) || 1);
}

/** Why N processes cannot run here, if they cannot: each must reach the same Redis and PostgreSQL. */
export function workerProcessesProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (workerProcessCount(env) === 1) return undefined;
  const missing = ["DATABASE_URL", "REDIS_URL"].filter((k) => !env[k]);
  if (!missing.length) return undefined;
  return `DRP_WORKER_PROCESSES=${env.DRP_WORKER_PROCESSES} needs ${missing.join(" and ")}: the embedded database and Redis serve one process only`;
}

/**
 * Starts the other N-1 processes. With DRP_NOW, they share this process's
 * clock exactly (DRP_NOW_FROM, set by anchorClock before), rather than each
 * starting it when it has loaded.
 */
export function startOtherWorkers(n: number, log: Logger): WorkerProcesses {
  const children = new Map<number, ChildProcess>();
  let stopping = false;
  let asked = 0;
  const answers = new Map<number, (counters: object[]) => void>();
  // a debugger's port is this process's: the others would collide on it
  const execArgv = process.execArgv.filter((a) => !/^--(inspect|debug)/.test(a));
  const start = (slot: number, pause: number) => {
    const env = {
      ...process.env,
      DRP_WORKER_PROCESSES: "1",
      [SLOT]: String(slot),
      // one /metrics: this process's
      METRICS_PORT: "off",
    };
    // the IPC channel only tells the child when this process is gone (followParent)
    const child = spawn(process.execPath, [...execArgv, process.argv[1]!, "worker"], {
      env,
      stdio: ["inherit", "inherit", "inherit", "ipc"],
    });
    const began = Date.now();
    children.set(slot, child);
    log.info({ slot, pid: child.pid }, "worker process started");
    let ended = false;
    const onEnd = (how: Record<string, unknown>) => {
      if (ended) return;
      ended = true;
      children.delete(slot);
      if (stopping) return;
      const wait = Date.now() - began < YOUNG_MS ? pause : RESTART_AFTER_MS;
      log.error({ slot, pid: child.pid, ...how, restartInMs: wait }, "a worker process stopped; starting it again");
      setTimeout(() => {
        if (!stopping) start(slot, Math.min(wait * 2, RESTART_AT_MOST_MS));
      }, wait).unref();
    };
    child.on("message", (m: { type?: string; id?: number; counters?: object[] }) => {
      if (m?.type === ANSWER && m.id !== undefined && m.counters) answers.get(m.id)?.(m.counters);
    });
    child.once("exit", (code, signal) => onEnd({ code, signal }));
    // it could not be started at all (no memory, too many processes): as if it had died at once
    child.once("error", (e) => onEnd({ err: e.message }));
  };
  for (let slot = 1; slot < n; slot++) start(slot, RESTART_AFTER_MS);
  let stopped: Promise<void> | undefined;
  return {
    stop(signal) {
      stopping = true;
      stopped ??= Promise.all(
        [...children.values()].map(
          (c) =>
            new Promise<void>((done) => {
              if (c.exitCode !== null || c.signalCode !== null) return done();
              c.once("exit", () => done());
              c.kill(signal);
            }),
        ),
      ).then(() => undefined);
      return stopped;
    },
    async counters() {
      const each = [...children.values()]
        .filter((c) => c.connected)
        .map(
          (c) =>
            new Promise<object[] | undefined>((done) => {
              const id = ++asked;
              const give = (counters?: object[]) => {
                clearTimeout(timer);
                answers.delete(id);
                done(counters);
              };
              const timer = setTimeout(give, ANSWER_WITHIN_MS);
              answers.set(id, give);
              c.send({ type: ASK, id }, (err) => err && give());
            }),
        );
      return (await Promise.all(each)).filter((c): c is object[] => c !== undefined);
    },
  };
}

/** In a process this one started: answer the first's asks for this process's counters. */
export function answerCounters(metrics: Metrics, env: NodeJS.ProcessEnv = process.env): void {
  if (!env[SLOT] || !process.send) return;
  process.on("message", async (m: { type?: string; id?: number }) => {
    if (m?.type !== ASK) return;
    const counters = (await metrics.registry.getMetricsAsJSON()).filter((x) => (PROCESS_COUNTERS as readonly string[]).includes(x.name));
    process.send?.({ type: ANSWER, id: m.id, counters }, undefined, undefined, () => {});
  });
}

/** Before the clock is made: the wall time DRP_NOW is read at, for every process to share. */
export function anchorClock(env: NodeJS.ProcessEnv = process.env): void {
  if (env.DRP_NOW && !env.DRP_NOW_FROM) env.DRP_NOW_FROM = String(Date.now());
}

/**
 * In a process this one started (DRP_WORKER_SLOT): once the one that started
 * it is gone (killed), stop as on SIGTERM rather than run on alone; if it is
 * gone already, before anything has started here, leave at once.
 */
export function followParent(log: Logger, env: NodeJS.ProcessEnv = process.env): void {
  if (!env[SLOT]) return;
  if (!process.connected) {
    log.warn({ slot: env[SLOT] }, "the worker process that started this one is gone: not starting");
    process.exit(0);
  }
  // explicitly: neither this listener nor answerCounters' keeps the process alive once it has stopped
  process.channel?.unref();
  process.once("disconnect", () => {
    log.warn({ slot: env[SLOT] }, "the worker process that started this one is gone: stopping");
    process.kill(process.pid, "SIGTERM");
  });
}
