// DRP_WORKER_PROCESSES=N: `drp worker` runs N worker processes on one Redis
// and one PostgreSQL, where a burst needs more than one process's CPU. This
// process is one of them and starts the others: the same command, each with
// BullMQ's own share of the queue (a job goes to whichever asks first) and its
// own SMTP connections; the outbox makes each email go once whichever sends it.
// A stop signal is passed on, and this process waits for each to finish the
// emails it is handing over. One that dies is started again after a pause
// (its claimed emails are taken over when their lease runs out).
import { type ChildProcess, spawn } from "node:child_process";
import type { Logger } from "../log.ts";

export interface WorkerProcesses {
  /** passes the signal on and resolves once every other process has exited */
  stop(signal: NodeJS.Signals): Promise<void>;
}

const RESTART_AFTER_MS = 5_000;

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
 * clock exactly (DRP_NOW_FROM, set here before the clock is made), rather than
 * each starting it when it has loaded.
 */
export function startOtherWorkers(n: number, log: Logger): WorkerProcesses {
  const children = new Map<number, ChildProcess>();
  let stopping = false;
  const env = {
    ...process.env,
    DRP_WORKER_PROCESSES: "1",
    // one /metrics: this process's (the others' counts are in PostgreSQL and Redis, where the gauges read them)
    METRICS_PORT: "off",
  };
  const start = (slot: number) => {
    // the IPC channel only tells the child when this process is gone (followParent)
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, "worker"], {
      env,
      stdio: ["inherit", "inherit", "inherit", "ipc"],
    });
    children.set(slot, child);
    log.info({ slot, pid: child.pid }, "worker process started");
    child.once("exit", (code, signal) => {
      children.delete(slot);
      if (stopping) return;
      log.error({ slot, pid: child.pid, code, signal, restartInMs: RESTART_AFTER_MS }, "a worker process stopped; starting it again");
      setTimeout(() => {
        if (!stopping) start(slot);
      }, RESTART_AFTER_MS).unref();
    });
  };
  for (let slot = 1; slot < n; slot++) start(slot);
  return {
    async stop(signal) {
      stopping = true;
      await Promise.all(
        [...children.values()].map(
          (c) =>
            new Promise<void>((done) => {
              if (c.exitCode !== null || c.signalCode !== null) return done();
              c.once("exit", () => done());
              c.kill(signal);
            }),
        ),
      );
    },
  };
}

/** Before the clock is made: the wall time DRP_NOW is read at, for every process to share. */
export function anchorClock(env: NodeJS.ProcessEnv = process.env): void {
  if (env.DRP_NOW && !env.DRP_NOW_FROM) env.DRP_NOW_FROM = String(Date.now());
}

/** In a started process: when the one that started it is gone (killed), stop as on SIGTERM rather than run on alone. */
export function followParent(): void {
  if (!process.channel) return;
  process.channel.unref();
  process.once("disconnect", () => process.kill(process.pid, "SIGTERM"));
}
