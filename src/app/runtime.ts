// The worker's moving parts, started together: Redis (REDIS_URL or a private
// redis-server under ./data), the compiled email templates, the mail
// transport (SMTP_URL or the outbox folder), and the BullMQ workers.
import { createRenderer } from "../mail/render.ts";
import { mailerFromEnv } from "../mail/transport.ts";
import type { Metrics } from "../metrics.ts";
import { redisEndpoint } from "../queue/redis.ts";
import { type RunningWorker, startWorker } from "../queue/worker.ts";
import type { Services } from "../service/context.ts";

export interface Runtime {
  worker: RunningWorker;
  redisUrl: string;
  stop(): Promise<void>;
}

export async function startRuntime(svc: Services, metrics: Metrics): Promise<Runtime> {
  const redis = await redisEndpoint();
  const renderer = await createRenderer();
  const mailer = mailerFromEnv();
  const worker = await startWorker({ svc, redisUrl: redis.url, renderer, mailer, metrics });
  return {
    worker,
    redisUrl: redis.url,
    stop: async () => {
      await worker.stop();
      mailer.close();
      await redis.stop();
    },
  };
}
