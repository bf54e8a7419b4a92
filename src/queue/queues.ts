// The queues. Names carry a hash-tag prefix ({drp}) so that every key of a
// queue lands in one Redis Cluster slot and the same code runs on a cluster.
import { type ConnectionOptions, type JobsOptions, Queue } from "bullmq";
import { z } from "zod";

export const QUEUE_PREFIX = "{drp}";
export const NOTIFY_QUEUE = "notifications";
export const MAINTENANCE_QUEUE = "maintenance";

/**
 * A dispute's job: one per dispute, due at its next instant. Versioned: a job
 * left in Redis by an older worker (version 1, one per notification) is read
 * as its dispute's; one this worker cannot read is failed for good at once.
 */
export const disputeJobSchema = z.union([
  z.object({ v: z.literal(2), disputeId: z.uuid(), authorityId: z.string().min(1) }),
  z.object({ v: z.literal(1).optional(), disputeId: z.uuid(), authorityId: z.string().min(1), key: z.string(), kind: z.string() }),
]);
export type DisputeJob = z.input<typeof disputeJobSchema>;

export type MaintenanceJob =
  | { task: "reconcile" }
  /** catchUp: at start-up, only where this morning's list was missed (a failure from before today's opening) */
  | { task: "failure_digest"; catchUp?: boolean }
  | { task: "reports" }
  | { task: "reviews" }
  /** the registers' copies (good practice to the QA DHoS) */
  | { task: "registers" }
  /** the sign-in links people asked for (web pages) */
  | { task: "sign_in" };

/** The one job of a dispute. */
export function disputeJobId(disputeId: string): string {
  return `d.${disputeId}`;
}

/** The Redis key of a job's hash, to ask whether it exists. */
export function jobKey(queue: string, jobId: string): string {
  return `${QUEUE_PREFIX}:${queue}:${jobId}`;
}

export interface RetryPolicy {
  attempts: number;
  /** first backoff; doubles each time (30 s → about 4 hours over 10 attempts) */
  baseDelayMs: number;
}

export function retryPolicy(): RetryPolicy {
  return {
    attempts: Number(process.env.DRP_SEND_ATTEMPTS ?? 10),
    baseDelayMs: Number(process.env.DRP_RETRY_BASE_MS ?? 30_000),
  };
}

export function notifyJobOptions(policy: RetryPolicy): JobsOptions {
  return {
    // a job whose worker dies is picked up again; only a job that keeps killing workers is failed
    // (the worker's "failed" handler then records its emails as failed)
    attempts: policy.attempts,
    backoff: { type: "exponential", delay: policy.baseDelayMs },
    removeOnComplete: true,
    removeOnFail: { age: 14 * 86_400 },
  };
}

export function notifyQueue(connection: ConnectionOptions): Queue<DisputeJob> {
  return new Queue<DisputeJob>(NOTIFY_QUEUE, { connection, prefix: QUEUE_PREFIX });
}

export function maintenanceQueue(connection: ConnectionOptions): Queue<MaintenanceJob> {
  // upkeep runs every minute or so: keep the last hundred of each outcome, not every run forever
  return new Queue<MaintenanceJob>(MAINTENANCE_QUEUE, {
    connection,
    prefix: QUEUE_PREFIX,
    defaultJobOptions: { removeOnComplete: 100, removeOnFail: 100 },
  });
}

/** The Redis key that records which version of a dispute its job was armed for (v2: one job per dispute). */
export function plannedMarker(disputeId: string): string {
  return `${QUEUE_PREFIX}:armed:${disputeId}`;
}

/** Set when a dispute changed while its job was running: the job looks again before it rests. */
export function rearmFlag(disputeId: string): string {
  return `${QUEUE_PREFIX}:rearm:${disputeId}`;
}
