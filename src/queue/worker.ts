// The worker: sends notification jobs, and keeps Redis in step with
// PostgreSQL (a reconciler at start-up and every few minutes, as a BullMQ job
// scheduler) and sends the QA inbox's daily failure list. Several workers may
// run on one Redis and one PostgreSQL: the outbox makes each email go once.

import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { DelayedError, type Job, UnrecoverableError, Worker } from "bullmq";
import { isDatabaseAway } from "../db/errors.ts";
import { type LinkConfig, linkConfigFromEnv } from "../links/email-links.ts";
import { linkSecret } from "../links/token.ts";
import { failUnfinished } from "../mail/outbox.ts";
import { createSender } from "../mail/send.ts";
import type { Mailer } from "../mail/transport.ts";
import { bounceAddressFromEnv } from "../mail/verp.ts";
import type { Metrics } from "../metrics.ts";
import { safeMessage } from "../safe-error.ts";
import type { Services } from "../service/context.ts";
import { sendFailureDigests } from "./digest.ts";
import { directoryCache } from "./directory-cache.ts";
import { createDispatcher, type Dispatcher, type EmailRenderer, type Outcome, type WorkerDeps } from "./dispatch.ts";
import { sendDueGoodPracticeNotices } from "./good-practice.ts";
import {
  type DisputeJob,
  disputeJobSchema,
  MAINTENANCE_QUEUE,
  type MaintenanceJob,
  maintenanceQueue,
  NOTIFY_QUEUE,
  notifyQueue,
  plannedMarker,
  QUEUE_PREFIX,
  type RetryPolicy,
  rearmFlag,
  retryPolicy,
} from "./queues.ts";
import { queueConnection, type RedisClient, redisConnection } from "./redis-client.ts";
import { sendDueReports } from "./reports.ts";
import { sendDueReviewEmails } from "./reviews.ts";
import { reconcile, type SchedulerDeps, scheduleById } from "./scheduler.ts";
import { sendSignInLinks } from "./sign-in.ts";

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
  /** signed links in emails (default: PUBLIC_URL, with DRP_LINK_SECRET or the kept secret; none without PUBLIC_URL) */
  links?: LinkConfig | null;
  /** each email's envelope sender on this bounce mailbox (default: BOUNCE_ADDRESS; none without it) */
  bounceAddress?: string | null;
}

export interface RunningWorker {
  scheduler: SchedulerDeps;
  reconcileNow(): ReturnType<typeof reconcile>;
  stop(): Promise<void>;
}

export function mailFrom(): string {
  return process.env.MAIL_FROM ?? "IRO Dispute Resolution <drp-monitor@localhost>";
}

/** How long a dispute's job waits before trying again while the database is away. */
const DATABASE_WAIT_MS = 5_000;

/** Upkeep runs every few minutes: Redis keeps the last hundred of each outcome, not every run. */
const KEEP_FEW = { removeOnComplete: 100, removeOnFail: 100 };

/** What the send path needs, without the queues: the worker's, and a test's that drives batches itself. */
export function workerDeps(
  o: Pick<WorkerOptions, "svc" | "renderer" | "mailer" | "metrics" | "from" | "leaseMs" | "retry" | "links" | "bounceAddress"> & {
    workerId?: string;
  },
): WorkerDeps {
  const { svc } = o;
  const retry = o.retry ?? retryPolicy();
  const from = o.from ?? mailFrom();
  const workerId = o.workerId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const log = svc.log.child({ component: "worker" });
  return {
    svc,
    renderer: o.renderer,
    mailer: o.mailer,
    sender: createSender({
      db: svc.db,
      mailer: o.mailer,
      clock: svc.clock,
      metrics: o.metrics,
      log,
      workerId,
      retry,
      bounceAddress: o.bounceAddress === null ? undefined : (o.bounceAddress ?? bounceAddressFromEnv()),
    }),
    metrics: o.metrics,
    from,
    mailDomain: /@([^>\s]+)/.exec(from)?.[1] ?? "localhost",
    workerId,
    leaseMs: o.leaseMs ?? Number(process.env.DRP_SEND_LEASE_MS ?? 120_000),
    retry,
    log,
    directories: directoryCache(svc.db),
    links: o.links === null ? undefined : (o.links ?? linkConfigFromEnv(() => linkSecret())),
  };
}

export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const { svc } = o;
  const shared = queueConnection(o.redisUrl);
  const { connection } = shared;
  const queue = notifyQueue(connection);
  const maintenance = maintenanceQueue(connection);
  const deps = workerDeps(o);
  const { retry } = deps;
  const markers = redisConnection(o.redisUrl);
  const scheduler: SchedulerDeps = { svc, queue, redis: markers, retry };
  svc.onDisputeChanged = (id) => scheduleById(scheduler, id);
  svc.onDirectoryChanged = (authorityId) => deps.directories.forget(authorityId);
  svc.onSignInRequested = () =>
    void maintenance
      .add("sign_in", { task: "sign_in" }, KEEP_FEW)
      .catch((e) => deps.log.warn({ err: safeMessage(e) }, "could not ask for a sign-in link now; the sweep sends it"));

  const stalledInterval = o.stalledIntervalMs ?? Number(process.env.DRP_STALLED_MS ?? 30_000);
  const dispatcher = createDispatcher(deps);
  const outage = outageLog(deps.log);
  const notifications = new Worker<DisputeJob>(
    NOTIFY_QUEUE,
    (job: Job<DisputeJob>, token?: string) => runDisputeJob(deps, dispatcher, scheduler, markers, outage, job, token),
    {
      connection,
      prefix: QUEUE_PREFIX,
      // a job waits mostly on PostgreSQL and SMTP, in batches: many at once keeps the batches full
      concurrency: o.concurrency ?? Number(process.env.DRP_WORKER_CONCURRENCY ?? 200),
      stalledInterval,
      lockDuration: o.lockDurationMs ?? Number(process.env.DRP_LOCK_MS ?? 30_000),
      // a job whose worker died is picked up again; one that kills three workers is failed
      maxStalledCount: 3,
    },
  );
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
        { disputeId: d.disputeId, authorityId: d.authorityId, plannerKey: `${d.disputeId}:job`, kind: "dispute_job", stage: null },
        `the job failed for good: ${safeMessage(err)}`,
      );
      if (n) o.metrics.notifications.inc({ kind: "dispute_job", result: "failed" }, n);
      // the reconciler arms it again at its next run
      await markers.del(plannedMarker(d.disputeId));
    } catch (e) {
      deps.log.error({ jobId: job.id, err: safeMessage(e) }, "could not record a failed notification job");
    }
  });
  notifications.on("error", (err) => deps.log.error({ err: safeMessage(err) }, "notification worker error"));

  const upkeep = new Worker<MaintenanceJob>(
    MAINTENANCE_QUEUE,
    async (job) => {
      if (job.data.task === "reconcile") return reconcile(scheduler);
      if (job.data.task === "reports") return { reports: await sendDueReports(deps) };
      if (job.data.task === "reviews") return { reviews: await sendDueReviewEmails(deps) };
      if (job.data.task === "registers") return { registers: await sendDueGoodPracticeNotices(deps) };
      if (job.data.task === "sign_in") return { signIn: await sendSignInLinks(deps) };
      return { digests: await sendFailureDigests(deps, { catchUp: job.data.catchUp }) };
    },
    { connection, prefix: QUEUE_PREFIX, concurrency: 1 },
  );
  upkeep.on("failed", (job, err) => deps.log.error({ task: job?.data.task, err: safeMessage(err) }, "maintenance job failed"));
  const every = o.reconcileEveryMs ?? Number(process.env.DRP_RECONCILE_MS ?? 5 * 60_000);
  const keepSchedulers = async () => {
    await maintenance.upsertJobScheduler("reconcile", { every }, { name: "reconcile", data: { task: "reconcile" }, opts: KEEP_FEW });
    // a review's emails: its next instant is in PostgreSQL, so a look every minute is cheap
    await maintenance.upsertJobScheduler(
      "reviews",
      { every: Number(process.env.DRP_REVIEWS_MS ?? 60_000) },
      { name: "reviews", data: { task: "reviews" }, opts: KEEP_FEW },
    );
    // a register's copies (WF §11.1): due when the entry is recorded, a look every minute like the reviews'
    await maintenance.upsertJobScheduler(
      "registers",
      { every: Number(process.env.DRP_REGISTERS_MS ?? 60_000) },
      { name: "registers", data: { task: "registers" }, opts: KEEP_FEW },
    );
    // a sign-in link is emailed as soon as it is asked for (onSignInRequested); this finds any that was missed
    await maintenance.upsertJobScheduler(
      "sign_in",
      { every: Number(process.env.DRP_SIGN_IN_MS ?? 30_000) },
      { name: "sign_in", data: { task: "sign_in" }, opts: KEEP_FEW },
    );
    // reports fall due at opening time after their period; a quarter of an hour's look is soon enough
    await maintenance.upsertJobScheduler(
      "reports",
      { every: Number(process.env.DRP_REPORTS_MS ?? 15 * 60_000) },
      { name: "reports", data: { task: "reports" }, opts: KEEP_FEW },
    );
    // every working morning, Europe/London
    await maintenance.upsertJobScheduler(
      "failure_digest",
      { pattern: "0 0 9 * * 1-5", tz: "Europe/London" },
      { name: "failure_digest", data: { task: "failure_digest" }, opts: KEEP_FEW },
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
  // a report that fell due while no worker ran goes now, not at the next quarter hour
  await maintenance.add("reports", { task: "reports" }, KEEP_FEW);
  await maintenance.add("reviews", { task: "reviews" }, KEEP_FEW);
  await maintenance.add("registers", { task: "registers" }, KEEP_FEW);
  // so does this morning's list of failed emails, if no worker ran at opening time
  await maintenance.add("failure_digest", { task: "failure_digest", catchUp: true }, KEEP_FEW);
  deps.log.info({ ...first, mail: o.mailer.describe, worker: deps.workerId }, "worker started");
  return {
    scheduler,
    reconcileNow: () => reconcile(scheduler),
    stop: () =>
      (stopped ??= (async () => {
        clearInterval(watchdog);
        svc.onDisputeChanged = undefined;
        svc.onSignInRequested = undefined;
        svc.onDirectoryChanged = undefined;
        await Promise.all([notifications.close(), upkeep.close()]);
        await Promise.all([queue.close(), maintenance.close()]);
        markers.disconnect();
        await shared.close();
      })()),
  };
}

interface Outage {
  away(): void;
  back(): void;
}

/** One line when the database goes away, one when it is back: not one per job. */
function outageLog(log: WorkerDeps["log"]): Outage {
  let away = false;
  return {
    away() {
      if (!away) log.warn({}, "the database is not answering: emails wait until it is back");
      away = true;
    },
    back() {
      if (away) log.info({}, "the database is back: sending again");
      away = false;
    },
  };
}

/**
 * One dispute's job: send what is due (with the rest of the batch), then move
 * the job on to the dispute's next instant, or let it end when nothing is left.
 */
async function runDisputeJob(
  deps: WorkerDeps,
  dispatcher: Dispatcher,
  scheduler: SchedulerDeps,
  redis: RedisClient,
  outage: Outage,
  job: Job<DisputeJob>,
  token: string | undefined,
): Promise<string> {
  const parsed = disputeJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError("a dispute job this worker cannot read");
  const { disputeId, authorityId } = parsed.data;
  let outcome: Outcome;
  let sent = 0;
  try {
    outcome = await dispatcher.submit({ disputeId, authorityId });
    sent = outcome.sent;
    // the dispute changed while this ran: look again, with what is now committed
    for (let i = 0; i < 5 && (await redis.getdel(rearmFlag(disputeId))); i++) {
      outcome = await dispatcher.submit({ disputeId, authorityId });
      sent += outcome.sent;
    }
  } catch (e) {
    // the database is away (a restart, a failover): wait for it, without using up the job's attempts
    if (!isDatabaseAway(e) || !token) throw e;
    outage.away();
    await job.moveToDelayed(Date.now() + DATABASE_WAIT_MS, token);
    throw new DelayedError();
  }
  outage.back();
  if (parsed.data.v !== 2) {
    // a job of the old kind, one per notification: its dispute now has a job of its own
    await scheduleById(scheduler, disputeId);
    return `sent ${sent}; handed on to the dispute's job`;
  }
  if (outcome.next && token) {
    const wait = outcome.next.getTime() - deps.svc.clock.now().getTime();
    await job.moveToDelayed(Date.now() + Math.max(0, wait), token);
    throw new DelayedError();
  }
  return `sent ${sent}; nothing left`;
}
