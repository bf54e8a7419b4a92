// The worker: sends notification jobs, and keeps Redis in step with
// PostgreSQL (a reconciler at start-up and every few minutes, as a BullMQ job
// scheduler) and sends the QA inbox's daily failure list. Several workers may
// run on one Redis and one PostgreSQL: the outbox makes each email go once.

import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { type Job, Worker } from "bullmq";
import { failUnfinished } from "../mail/outbox.ts";
import type { Mailer } from "../mail/transport.ts";
import type { Metrics } from "../metrics.ts";
import { safeMessage } from "../safe-error.ts";
import type { Services } from "../service/context.ts";
import { sendFailureDigests } from "./digest.ts";
import { directoryCache } from "./directory-cache.ts";
import { type EmailRenderer, handleNotify, type WorkerDeps } from "./notify.ts";
import {
  MAINTENANCE_QUEUE,
  type MaintenanceJob,
  maintenanceQueue,
  NOTIFY_QUEUE,
  type NotifyJob,
  notifyQueue,
  QUEUE_PREFIX,
  type RetryPolicy,
  retryPolicy,
} from "./queues.ts";
import { redisConnection, redisOptions } from "./redis.ts";
import { reconcile, type SchedulerDeps, scheduleById } from "./scheduler.ts";

export interface WorkerOptions {
  svc: Services;
  redisUrl: string;
  renderer: EmailRenderer;
  mailer: Mailer;
  metrics: Metrics;
  from?: string;
  concurrency?: number;
  reconcileEveryMs?: number;
  /** BullMQ's check for jobs whose worker died, and how long a job's lock lasts */
  stalledIntervalMs?: number;
  lockDurationMs?: number;
  leaseMs?: number;
  retry?: RetryPolicy;
}

export interface RunningWorker {
  scheduler: SchedulerDeps;
  reconcileNow(): ReturnType<typeof reconcile>;
  stop(): Promise<void>;
}

export function mailFrom(): string {
  return process.env.MAIL_FROM ?? "IRO Dispute Resolution <drp-monitor@localhost>";
}

export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const { svc } = o;
  const connection = redisOptions(o.redisUrl);
  const queue = notifyQueue(connection);
  const maintenance = maintenanceQueue(connection);
  const retry = o.retry ?? retryPolicy();
  const from = o.from ?? mailFrom();
  const deps: WorkerDeps = {
    svc,
    renderer: o.renderer,
    mailer: o.mailer,
    metrics: o.metrics,
    from,
    mailDomain: /@([^>\s]+)/.exec(from)?.[1] ?? "localhost",
    workerId: `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`,
    leaseMs: o.leaseMs ?? Number(process.env.DRP_SEND_LEASE_MS ?? 120_000),
    retry,
    log: svc.log.child({ component: "worker" }),
    directories: directoryCache(svc.db),
  };
  const markers = redisConnection(o.redisUrl);
  const scheduler: SchedulerDeps = { svc, queue, redis: markers, retry };
  svc.onDisputeChanged = (id) => scheduleById(scheduler, id);

  const stalledInterval = o.stalledIntervalMs ?? Number(process.env.DRP_STALLED_MS ?? 30_000);
  const notifications = new Worker<NotifyJob>(NOTIFY_QUEUE, (job: Job<NotifyJob>, token?: string) => handleNotify(deps, job, token), {
    connection,
    prefix: QUEUE_PREFIX,
    concurrency: o.concurrency ?? Number(process.env.DRP_WORKER_CONCURRENCY ?? 8),
    stalledInterval,
    lockDuration: o.lockDurationMs ?? Number(process.env.DRP_LOCK_MS ?? 30_000),
    // a job whose worker died is picked up again; one that kills three workers is failed
    maxStalledCount: 3,
  });
  notifications.on("completed", () => o.metrics.jobs.inc({ queue: NOTIFY_QUEUE, result: "completed" }));
  notifications.on("failed", async (job, err) => {
    o.metrics.jobs.inc({ queue: NOTIFY_QUEUE, result: "failed" });
    deps.log.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: safeMessage(err) }, "notification job failed");
    // "failed" is also said of an attempt that will be retried; only a job in the failed state is done with
    if (!job || (await job.getState().catch(() => "unknown")) !== "failed") return;
    // Failed for good: its emails must not be left pending, unseen. They are
    // marked failed and go on the QA inbox's daily list.
    try {
      const d = job.data;
      const n = await failUnfinished(
        svc.db,
        { disputeId: d.disputeId, authorityId: d.authorityId, plannerKey: d.key, kind: d.kind, stage: null },
        `the job failed for good: ${safeMessage(err)}`,
      );
      if (n) o.metrics.notifications.inc({ kind: d.kind, result: "failed" }, n);
    } catch (e) {
      deps.log.error({ jobId: job.id, err: safeMessage(e) }, "could not record a failed notification job");
    }
  });
  notifications.on("error", (err) => deps.log.error({ err: safeMessage(err) }, "notification worker error"));

  const upkeep = new Worker<MaintenanceJob>(
    MAINTENANCE_QUEUE,
    async (job) => {
      if (job.data.task === "reconcile") return reconcile(scheduler);
      return { digests: await sendFailureDigests(deps) };
    },
    { connection, prefix: QUEUE_PREFIX, concurrency: 1 },
  );
  upkeep.on("failed", (job, err) => deps.log.error({ task: job?.data.task, err: safeMessage(err) }, "maintenance job failed"));
  const every = o.reconcileEveryMs ?? Number(process.env.DRP_RECONCILE_MS ?? 5 * 60_000);
  const keepSchedulers = async () => {
    await maintenance.upsertJobScheduler("reconcile", { every }, { name: "reconcile", data: { task: "reconcile" } });
    // every working morning, Europe/London
    await maintenance.upsertJobScheduler(
      "failure_digest",
      { pattern: "0 0 9 * * 1-5", tz: "Europe/London" },
      { name: "failure_digest", data: { task: "failure_digest" } },
    );
  };
  await keepSchedulers();
  // A Redis that lost its data has lost the job schedulers too: each worker
  // checks for them on a timer of its own, and if they are gone puts them
  // back and reconciles at once.
  const watchdog = setInterval(
    async () => {
      try {
        if (!(await maintenance.getJobScheduler("reconcile"))) {
          deps.log.warn({}, "job schedulers missing from Redis: restoring them and reconciling");
          await keepSchedulers();
          await reconcile(scheduler);
        }
      } catch (e) {
        deps.log.warn({ err: safeMessage(e) }, "could not check the job schedulers");
      }
    },
    Math.min(every, 60_000),
  );
  watchdog.unref();
  let stopped: Promise<void> | undefined;
  const first = await reconcile(scheduler);
  deps.log.info({ ...first, mail: o.mailer.describe, worker: deps.workerId }, "worker started");
  return {
    scheduler,
    reconcileNow: () => reconcile(scheduler),
    stop: () =>
      (stopped ??= (async () => {
        clearInterval(watchdog);
        svc.onDisputeChanged = undefined;
        await Promise.all([notifications.close(), upkeep.close()]);
        await Promise.all([queue.close(), maintenance.close()]);
        markers.disconnect();
      })()),
  };
}
