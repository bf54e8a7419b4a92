// /metrics on a port of its own, bound to loopback by default: the API's
// port is for callers with keys; this one is for a scraper beside the app.
// METRICS_PORT (npm start: 9464 unless "off"; drp worker: only when set),
// METRICS_HOST (127.0.0.1; 0.0.0.0 to let a scraper on the network in).
import { createServer, type Server } from "node:http";
import { AggregatorRegistry } from "prom-client";
import type { Metrics } from "./metrics.ts";

export interface MetricsEndpoint {
  port: number;
  host: string;
}

/** Where to serve metrics, from the environment; undefined when they are off. */
export function metricsEndpoint(defaultPort?: number): MetricsEndpoint | undefined {
  const raw = process.env.METRICS_PORT ?? (defaultPort === undefined ? undefined : String(defaultPort));
  if (raw === undefined || raw === "" || raw === "off") return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`METRICS_PORT "${raw}" is not a port number (or "off")`);
  return { port, host: process.env.METRICS_HOST ?? "127.0.0.1" };
}

/**
 * `others`: the counters of `drp worker`'s other processes (DRP_WORKER_PROCESSES),
 * summed with this process's, so that one scrape counts every email.
 */
export async function serveMetrics(metrics: Metrics, at: MetricsEndpoint, others?: () => Promise<object[][]>): Promise<Server> {
  const server = createServer(async (req, res) => {
    if (req.method !== "GET" || req.url?.split("?")[0] !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    const body = others
      ? await AggregatorRegistry.aggregate([await metrics.registry.getMetricsAsJSON(), ...(await others())]).metrics()
      : await metrics.registry.metrics();
    res.writeHead(200, { "content-type": metrics.registry.contentType }).end(body);
  });
  server.requestTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(at.port, at.host, () => resolve());
  });
  return server;
}
