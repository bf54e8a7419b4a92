// Opens the same service layer the API uses, for one CLI command.
import pino from "pino";
import { openServices } from "../app/bootstrap.js";
import { servicesInApp } from "../app/cli-socket.js";
import { fieldPath } from "../domain/procedure/model.js";
import { createLogger } from "../log.js";
import { notifyQueue, retryPolicy } from "../queue/queues.js";
import { queueConnection, redisConnection } from "../queue/redis-client.js";
import { scheduleById } from "../queue/scheduler.js";
import { InputError } from "../service/errors.js";
export async function withServices(fn, opts = {}) {
    // run inside the app (sent over its CLI socket): its services, its scheduling
    const app = servicesInApp();
    if (app)
        return fn(app);
    const log = createLogger({ level: process.env.LOG_LEVEL ?? "warn", destination: pino.destination(2) });
    const opened = await openServices({ log, migrate: opts.migrate ?? !process.env.DATABASE_URL });
    const scheduling = process.env.REDIS_URL ? scheduleInto(opened.svc, process.env.REDIS_URL) : undefined;
    try {
        return await fn(opened.svc);
    }
    finally {
        await scheduling?.close();
        await opened.close();
    }
}
/**
 * With a shared Redis (REDIS_URL), a step taken at the command line is
 * scheduled at once, as the API does; without one, the worker's reconciler
 * finds it (at start-up, or within minutes).
 */
function scheduleInto(svc, url) {
    const shared = queueConnection(url);
    const queue = notifyQueue(shared.connection);
    const redis = redisConnection(url);
    const pending = [];
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
export function parseInput(schema, data) {
    const r = schema.safeParse(data);
    if (!r.success) {
        const first = r.error.issues[0];
        throw new InputError(fieldPath(first.path), r.error.issues.map((i) => `${fieldPath(i.path)}: ${i.message}`).join("; "));
    }
    return r.data;
}
//# sourceMappingURL=services.js.map