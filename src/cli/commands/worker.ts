// drp worker · drp preview <kind> --authority <id>
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import pino from "pino";
import { openServices } from "../../app/bootstrap.ts";
import { startRuntime } from "../../app/runtime.ts";
import { getAuthority } from "../../config/authorities.ts";
import { createLogger } from "../../log.ts";
import { EMAIL_KINDS, type EmailKind } from "../../mail/model.ts";
import { createRenderer } from "../../mail/render.ts";
import { sampleEmail } from "../../mail/samples.ts";
import { createMetrics, type Metrics } from "../../metrics.ts";
import type { Services } from "../../service/context.ts";
import { UsageError } from "../output.ts";

export function workerCommands(program: Command): void {
  program
    .command("worker")
    .description("run a notification worker alone (npm start runs it with the API); stops on SIGINT/SIGTERM")
    .action(async () => {
      const opened = await openServices({ migrate: !process.env.DATABASE_URL, log: createLogger({ destination: pino.destination(1) }) });
      const metrics = createMetrics();
      const runtime = await startRuntime(opened.svc, metrics);
      // a worker alone serves its own /metrics when asked to (METRICS_PORT)
      const server = process.env.METRICS_PORT ? serveMetrics(metrics, opened.svc, Number(process.env.METRICS_PORT)) : undefined;
      await new Promise<void>((done) => {
        for (const s of ["SIGINT", "SIGTERM"] as const) process.once(s, () => done());
      });
      server?.close();
      await runtime.stop();
      await opened.close();
    });

  program
    .command("preview <kind>")
    .description(`write the HTML and text of an email with sample data, for review (kinds: ${EMAIL_KINDS.join(", ")})`)
    .requiredOption("--authority <id>", "authority id")
    .option("--out <dir>", "where to write the files", ".preview")
    .action(async (kind: string, o: { authority: string; out: string }) => {
      if (!(EMAIL_KINDS as readonly string[]).includes(kind))
        throw new UsageError(`no email kind "${kind}"; kinds: ${EMAIL_KINDS.join(", ")}`);
      const a = getAuthority(o.authority);
      const view = sampleEmail(a, kind as EmailKind);
      const { html, text } = (await createRenderer()).render(view);
      const dir = resolve(o.out);
      mkdirSync(dir, { recursive: true });
      const base = join(dir, `${a.id}-${kind}`);
      writeFileSync(`${base}.html`, html);
      writeFileSync(`${base}.txt`, text);
      console.log(`Subject: ${view.subject}\n${view.heading}\n\n${base}.html\n${base}.txt`);
    });
}

function serveMetrics(metrics: Metrics, svc: Services, port: number) {
  metrics.watch(svc.db, svc.clock);
  return createServer(async (req, res) => {
    if (req.url !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": metrics.registry.contentType }).end(await metrics.registry.metrics());
  }).listen(port);
}
