// npm start: the API and the worker in one process. With no DATABASE_URL it
// runs on the embedded PGlite under ./data; with no REDIS_URL on a private
// redis-server under ./data; with no SMTP_URL it writes emails to ./outbox.
// Stop it with Ctrl-C, or SIGTERM to its process, whose id is in the data
// folder's app.pid while it runs (npm forwards SIGTERM too, but a SIGKILL to
// npm's process would leave the app running).
import { embeddedDataDir, type Opened, openServices } from "./app/bootstrap.ts";
import { cliSocketPath, serveCli } from "./app/cli-socket.ts";
import { holdAppPid } from "./app/embedded-lock.ts";
import { guardProcess } from "./app/guards.ts";
import { ownerOnlyFromNow } from "./app/private-files.ts";
import { startRuntime } from "./app/runtime.ts";
import { reloadOnHangup, stopOnSignals } from "./app/signals.ts";
import { workerProcessCount } from "./app/worker-processes.ts";
import { main as cliMain } from "./cli/main.ts";
import { useBuiltBankHolidays } from "./config/bank-holidays.ts";
import { checkSettings } from "./config/settings.ts";
import { buildApp } from "./http/app.ts";
import { linkSecret } from "./links/token.ts";
import { createLogger } from "./log.ts";
import { createMetrics } from "./metrics.ts";
import { metricsEndpoint, serveMetrics } from "./metrics-server.ts";
import { safeMessage } from "./safe-error.ts";

const stops: (() => unknown)[] = [];
let opened: Opened | undefined;

async function start(): Promise<void> {
  checkSettings();
  useBuiltBankHolidays();
  // a missing, short or half-written link secret stops the app here, before anything starts
  const secret = linkSecret();
  const migrate = process.env.DRP_MIGRATE !== "false";
  const t0 = performance.now();
  opened = await openServices({ migrate, refuseClockBehind: true, log });
  // after the database: a second app refused there leaves the first one's pid file alone
  stops.push(holdAppPid());
  const { svc, handle } = opened;
  reloadOnHangup(svc);
  svc.log.info(
    { database: handle.where, migrations: migrate ? "applied" : "off", ms: Math.round(performance.now() - t0) },
    "database ready",
  );
  const metrics = createMetrics();
  const runtime = process.env.DRP_WORKER === "false" ? undefined : await startRuntime(svc, metrics);
  // more worker processes are `drp worker`'s to start: said, not silently ignored
  if (runtime && workerProcessCount() > 1)
    svc.log.warn(
      { DRP_WORKER_PROCESSES: process.env.DRP_WORKER_PROCESSES },
      "DRP_WORKER_PROCESSES is for `drp worker`: the app runs one worker in its own process",
    );
  if (runtime) stops.push(() => runtime.stop());
  const app = await buildApp(svc, { ping: handle.ping, linkSecret: secret });
  stops.unshift(() => app.close());
  metrics.watch(svc.db, svc.clock);
  stops.push(() => metrics.stop());
  const metricsAt = metricsEndpoint(9464);
  const metricsServer = metricsAt ? await serveMetrics(metrics, metricsAt) : undefined;
  if (metricsServer) stops.push(() => metricsServer.close());
  // with the embedded database, `drp` commands run here, sent over a socket beside it
  const cliServer = handle.kind === "pglite" ? await serveCli(cliSocketPath(embeddedDataDir()), svc, cliMain) : undefined;
  if (cliServer) stops.push(() => cliServer.close());
  const port = Number(process.env.PORT ?? 3000);
  // this machine only unless HOST says otherwise (the image sets 0.0.0.0; compose publishes it on loopback)
  const host = process.env.HOST ?? "127.0.0.1";
  await app.listen({ port, host });
  svc.log.info(
    {
      url: `http://${host === "0.0.0.0" || host === "127.0.0.1" ? "localhost" : host}:${port}`,
      port,
      pid: process.pid,
      rss_mb: Math.round(process.memoryUsage().rss / 1_048_576),
      database: handle.where,
      worker: runtime ? "running" : "off",
      metrics: metricsAt ? `${metricsAt.host}:${metricsAt.port}` : "off",
      authorities: [...svc.authorities.keys()],
    },
    "drp-monitor listening",
  );
}

let stopped: Promise<void> | undefined;
async function stop(code: number): Promise<never> {
  // one stop at a time: a second caller waits for the first to finish, never cuts it short
  stopped ??= (async () => {
    for (const s of stops) await Promise.resolve(s()).catch(() => {});
    await opened?.close().catch(() => {});
  })();
  await stopped;
  opened?.svc.log.info({}, "stopped");
  process.exit(code);
}

// what the app writes (the database, the outbox's emails with their links) is its owner's alone
ownerOnlyFromNow();
const log = createLogger();
guardProcess(log);
stopOnSignals(log, () => stop(0));

try {
  await start();
} catch (e) {
  // a message a person can act on (the database in use, a port taken), not a stack
  console.error(`drp-monitor could not start: ${safeMessage(e)}`);
  await stop(1);
}
