// npm start: the API and the worker in one process. With no DATABASE_URL it
// runs on the embedded PGlite under ./data; with no REDIS_URL on a private
// redis-server under ./data; with no SMTP_URL it writes emails to ./outbox.
import { openServices } from "./app/bootstrap.ts";
import { startRuntime } from "./app/runtime.ts";
import { buildApp } from "./http/app.ts";
import { createMetrics } from "./metrics.ts";
import { metricsEndpoint, serveMetrics } from "./metrics-server.ts";

const opened = await openServices({ migrate: process.env.DRP_MIGRATE !== "false" });
const { svc, handle } = opened;
const metrics = createMetrics();
const runtime = process.env.DRP_WORKER === "false" ? undefined : await startRuntime(svc, metrics);
const app = await buildApp(svc, { ping: handle.ping });
metrics.watch(svc.db, svc.clock);
const metricsAt = metricsEndpoint(9464);
const metricsServer = metricsAt ? await serveMetrics(metrics, metricsAt) : undefined;
const port = Number(process.env.PORT ?? 3000);
await app.listen({ port, host: process.env.HOST ?? "0.0.0.0" });
svc.log.info(
  {
    port,
    database: handle.where,
    worker: runtime ? "running" : "off",
    metrics: metricsAt ? `${metricsAt.host}:${metricsAt.port}` : "off",
    authorities: [...svc.authorities.keys()],
  },
  "drp-monitor listening",
);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    svc.log.info({ signal }, "stopping");
    await app.close();
    metricsServer?.close();
    metrics.stop();
    await runtime?.stop();
    await opened.close();
    process.exit(0);
  });
}
