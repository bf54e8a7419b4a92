// The queues. Names carry a hash-tag prefix ({drp}) so that every key of a
// queue lands in one Redis Cluster slot and the same code runs on a cluster.
import { type ConnectionOptions, type JobsOptions, Queue } from "bullmq";
import { z } from "zod";

export const QUEUE_PREFIX = "{drp}";
export const NOTIFY_QUEUE = "notifications";
export const MAINTENANCE_QUEUE = "maintenance";

/**
 * A notification job's data, versioned: a job left in Redis by an older
 * worker is read by this schema, or refused for good (not retried forever).
 */
export const notifyJobSchema = z.object({
  v: z.literal(1).default(1),
  disputeId: z.uuid(),
  authorityId: z.string().min(1),
  /** the planner's idempotency key */
  key: z.string().min(1),
  kind: z.string().min(1),
});
export type NotifyJob = z.input<typeof notifyJobSchema>;

export type MaintenanceJob = { task: "reconcile" } | { task: "failure_digest" };

/** BullMQ job ids may not contain ":"; the planner's keys do. */
export function jobIdFor(plannerKey: string): string {
  return plannerKey.replaceAll(":", ".");
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

export function notifyQueue(connection: ConnectionOptions): Queue<NotifyJob> {
  return new Queue<NotifyJob>(NOTIFY_QUEUE, { connection, prefix: QUEUE_PREFIX });
}

export function maintenanceQueue(connection: ConnectionOptions): Queue<MaintenanceJob> {
  return new Queue<MaintenanceJob>(MAINTENANCE_QUEUE, { connection, prefix: QUEUE_PREFIX });
}

/** The Redis key that records which version of a dispute's plan is in the queue. */
export function plannedMarker(disputeId: string): string {
  return `${QUEUE_PREFIX}:planned:${disputeId}`;
}
