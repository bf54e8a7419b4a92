// Opens the same service layer the API uses, for one CLI command. Loaded by
// every command's module, so it loads the database and queue code only when a
// command runs: `drp --help` lists commands without opening anything.
import type { z } from "zod";
import { servicesInApp } from "../app/cli-socket.ts";
import { fieldPath } from "../domain/procedure/field-path.ts";
import type { Services } from "../service/context.ts";
import { InputError } from "../service/errors.ts";

export async function withServices<T>(fn: (svc: Services) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  // run inside the app (sent over its CLI socket): its services, its scheduling
  const app = servicesInApp();
  if (app) return fn(app);
  const [{ default: pino }, { openServices }, { createLogger }] = await Promise.all([
    import("pino"),
    import("../app/bootstrap.ts"),
    import("../log.ts"),
  ]);
  const log = createLogger({ level: process.env.LOG_LEVEL ?? "warn", destination: pino.destination(2) });
  const opened = await openServices({ log, migrate: opts.migrate ?? !process.env.DATABASE_URL });
  const scheduling = process.env.REDIS_URL ? await scheduleInto(opened.svc, process.env.REDIS_URL) : undefined;
  try {
    return await fn(opened.svc);
  } finally {
    await scheduling?.close();
    await opened.close();
  }
}

/**
 * With a shared Redis (REDIS_URL), a step taken at the command line is
 * scheduled at once, as the API does; without one, the worker's reconciler
 * finds it (at start-up, or within minutes).
 */
async function scheduleInto(svc: Services, url: string): Promise<{ close(): Promise<void> }> {
  const [{ notifyQueue, retryPolicy }, { queueConnection, redisConnection }, { scheduleById }] = await Promise.all([
    import("../queue/queues.ts"),
    import("../queue/redis-client.ts"),
    import("../queue/scheduler.ts"),
  ]);
  const shared = queueConnection(url);
  const queue = notifyQueue(shared.connection);
  const redis = redisConnection(url);
  const pending: Promise<unknown>[] = [];
  svc.onDisputeChanged = (id) => {
    const p = scheduleById({ svc, queue, redis, retry: retryPolicy() }, id);
    pending.push(p);
    return p;
  };
  return {
    close: async () => {
      await Promise.allSettled(pending);
      await queue.close();
      redis.disconnect();
      await shared.close();
    },
  };
}

/** Parses CLI input with the API's own schema, so both refuse the same things the same way. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const r = schema.safeParse(data);
  if (!r.success) {
    const first = r.error.issues[0]!;
    throw new InputError(fieldPath(first.path), r.error.issues.map((i) => `${fieldPath(i.path)}: ${i.message}`).join("; "));
  }
  return r.data;
}
