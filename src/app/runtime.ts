// The worker's moving parts, started together: Redis (REDIS_URL or a private
// redis-server under ./data), the compiled email templates, the mail
// transport (SMTP_URL or the outbox folder), and the BullMQ workers.
import { bounceMailboxFromEnv } from "../mail/inbound/from-env.ts";
import { startBounceReader } from "../mail/inbound/reader.ts";
import { createRenderer } from "../mail/render.ts";
import { mailerFromEnv } from "../mail/transport.ts";
import type { Metrics } from "../metrics.ts";
import { redisEndpoint } from "../queue/redis.ts";
import { mailFrom, type RunningWorker, startWorker } from "../queue/worker.ts";
import type { Services } from "../service/context.ts";

export interface Runtime {
  worker: RunningWorker;
  redisUrl: string;
  stop(): Promise<void>;
}

export async function startRuntime(svc: Services, metrics: Metrics): Promise<Runtime> {
  const log = svc.log;
  const redis = await redisEndpoint();
  const o = redis.origin;
  if (!o) log.info({ redis: redactedUrl(redis.url) }, "redis: REDIS_URL");
  else if (o.kind === "started") log.info({ pid: o.pid, port: o.port }, "redis: started a private redis-server under the data folder");
  else log.warn({ pid: o.pid, port: o.port }, "redis: took over the private redis-server an earlier start left running");
  let t = performance.now();
  const renderer = await createRenderer();
  log.info({ kinds: renderer.kinds.length, ms: Math.round(performance.now() - t) }, "email templates compiled");
  // the bounce mailbox: checked before anything is sent, so that a bad setting stops the start
  const bounces = bounceMailboxFromEnv(/@([^>\s]+)/.exec(mailFrom())?.[1] ?? "localhost");
  const mailer = mailerFromEnv(bounces?.folder);
  t = performance.now();
  const worker = await startWorker({
    svc,
    redisUrl: redis.url,
    renderer,
    mailer,
    metrics,
    ...(bounces ? { bounceAddress: bounces.bounceAddress } : {}),
  });
  const reader =
    bounces &&
    startBounceReader({
      svc,
      bounceAddress: bounces.bounceAddress,
      open: bounces.open,
      pollMs: bounces.pollMs,
      log: log.child({ component: "bounces" }),
    });
  if (bounces) log.info({ mailbox: bounces.describe }, "bounce mailbox: reading");
  return {
    worker,
    redisUrl: redis.url,
    stop: async () => {
      t = performance.now();
      await Promise.all([reader?.stop(), worker.stop()]);
      mailer.close();
      await redis.stop();
      log.info(
        { ms: Math.round(performance.now() - t), redis: o?.kind === undefined ? "left running (REDIS_URL)" : "stopped" },
        "worker stopped",
      );
    },
  };
}

/** A Redis URL without its password, for a log line. */
function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(not a URL)";
  }
}
