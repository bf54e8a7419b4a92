// drp worker · drp preview <kind> --authority <id> · drp preview --all --out DIR
import type { Command } from "commander";
import { AUDIENCES, type Audience } from "../../domain/notification.ts";
import { PROCEDURE_IDS } from "../../domain/procedure/ids.ts";
import { EMAIL_KINDS, type EmailKind } from "../../mail/model.ts";
import { parseWholeNumber, UsageError } from "../output.ts";

export function workerCommands(program: Command): void {
  program
    .command("worker")
    .description("run a notification worker alone (npm start runs it with the API); stops on SIGINT/SIGTERM")
    .action(async () => {
      const [{ default: pino }, { openServices }, { guardProcess }, { startRuntime }, { stopOnSignals }, { checkSettings }, processes] =
        await Promise.all([
          import("pino"),
          import("../../app/bootstrap.ts"),
          import("../../app/guards.ts"),
          import("../../app/runtime.ts"),
          import("../../app/signals.ts"),
          import("../../config/settings.ts"),
          import("../../app/worker-processes.ts"),
        ]);
      const [{ createLogger }, { createMetrics }, { metricsEndpoint, serveMetrics }] = await Promise.all([
        import("../../log.ts"),
        import("../../metrics.ts"),
        import("../../metrics-server.ts"),
      ]);
      checkSettings();
      const problem = processes.workerProcessesProblem();
      if (problem) throw new UsageError(problem);
      const log = createLogger({ destination: pino.destination(1) });
      // first of all: the worker sends as soon as it starts, so a signal during start-up must already drain, not kill
      guardProcess(log);
      // DRP_WORKER_PROCESSES: the others, on this process's clock, started first so that they load while this one does
      const n = processes.workerProcessCount();
      if (n > 1) processes.anchorClock();
      const others = n > 1 ? processes.startOtherWorkers(n, log) : undefined;
      // a stop reaches the others at once, even while this process is still starting
      let othersStopped: Promise<void> | undefined;
      const stopAsked = new Promise<void>((done) =>
        stopOnSignals(log, async (signal) => {
          othersStopped = others?.stop(signal);
          done();
        }),
      );
      processes.followParent(log);
      let opened: Awaited<ReturnType<typeof openServices>> | undefined;
      let runtime: Awaited<ReturnType<typeof startRuntime>> | undefined;
      try {
        // a worker records no steps, so a clock a little behind them refuses nothing: only the app checks it
        opened = await openServices({ migrate: !process.env.DATABASE_URL, log });
        const metrics = createMetrics();
        runtime = await startRuntime(opened.svc, metrics);
        processes.answerCounters(metrics);
        // a worker alone serves its own /metrics when asked to (METRICS_PORT, METRICS_HOST)
        const at = metricsEndpoint();
        if (at) metrics.watch(opened.svc.db, opened.svc.clock);
        const server = at ? await serveMetrics(metrics, at, others && (() => others.counters())) : undefined;
        await stopAsked;
        server?.close();
        metrics.stop();
        await Promise.all([othersStopped, runtime.stop()]);
        await opened.close();
      } catch (e) {
        // this one could not start (or stop): the others must not run on without it
        await others?.stop("SIGTERM");
        await runtime?.stop().catch(() => {});
        await opened?.close().catch(() => {});
        throw e;
      }
    });

  program
    .command("preview [kind]")
    .description(
      `write the HTML and text of an email with sample data, for review (kinds: ${EMAIL_KINDS.join(", ")}); --all writes every one`,
    )
    .option("--authority <id>", "authority id (every authority with --all)")
    .option("--procedure <id>", `${PROCEDURE_IDS.join(", ")} (default: iro, or the only one)`)
    .option("--stage <n>", "the stage the sample dispute is at (default: the first formal stage where the email arises)")
    .option("--as <audience>", `whose version: ${AUDIENCES.join(", ")} (default: the first there is)`)
    .option("--all", "every kind × authority × procedure × stage × audience, with an index.html")
    .option("--out <dir>", "where to write the files", ".preview")
    .action(
      async (
        kind: string | undefined,
        o: { authority?: string; procedure?: string; stage?: string; as?: string; all?: boolean; out: string },
      ) => {
        const { mkdirSync, writeFileSync } = await import("node:fs");
        const { join, resolve } = await import("node:path");
        const [
          { authorities: allAuthorities, getAuthority },
          { withFiles, writeAllPreviews },
          { registerSamples },
          { createRenderer },
          { reviewSamples },
          { sampleEmail },
          { reportSamples },
          { procedureOf },
        ] = await Promise.all([
          import("../../config/authorities.ts"),
          import("../../mail/preview-site.ts"),
          import("../../mail/register-samples.ts"),
          import("../../mail/render.ts"),
          import("../../mail/review-samples.ts"),
          import("../../mail/samples.ts"),
          import("../../reports/preview.ts"),
          import("../../service/disputes.ts"),
        ]);
        const renderer = await createRenderer();
        const dir = resolve(o.out);
        if (o.all) {
          const authorities = o.authority ? [getAuthority(o.authority)] : [...allAuthorities().values()];
          const reports = [
            ...(await Promise.all(authorities.map((a) => reportSamples(a)))).flat(),
            ...authorities.flatMap(reviewSamples),
            ...authorities.flatMap(registerSamples),
          ];
          const written = writeAllPreviews(dir, authorities, renderer, reports);
          console.log(`${written} emails written to ${dir}; open ${join(dir, "index.html")}`);
          return;
        }
        if (!kind) throw new UsageError("give a kind of email, or --all");
        if (!(EMAIL_KINDS as readonly string[]).includes(kind))
          throw new UsageError(`no email kind "${kind}"; kinds: ${EMAIL_KINDS.join(", ")}`);
        if (!o.authority) throw new UsageError("--authority is required (or use --all)");
        if (o.as !== undefined && !(AUDIENCES as readonly string[]).includes(o.as))
          throw new UsageError(`--as must be one of ${AUDIENCES.join(", ")}`);
        const a = getAuthority(o.authority);
        const p = o.procedure ? procedureOf(a, o.procedure) : undefined;
        const stage = o.stage === undefined ? undefined : parseWholeNumber(o.stage, "--stage", 0);
        const special = kind.startsWith("report")
          ? await reportSamples(a)
          : kind.startsWith("review_")
            ? reviewSamples(a)
            : kind === "good_practice_recorded"
              ? registerSamples(a)
              : undefined;
        const report = special?.find((s) => s.kind === kind && (!o.as || s.audience === o.as));
        if (special && !report)
          throw new UsageError(`${a.name} sends no ${kind.replaceAll("_", " ")} email${o.as ? ` to the ${o.as}` : ""}`);
        const view = report?.view ?? sampleEmail(a, kind as EmailKind, { procedure: p, stage, audience: o.as as Audience | undefined });
        const { html, text } = renderer.render(view);
        mkdirSync(dir, { recursive: true });
        const base = join(dir, `${a.id}-${kind}`);
        writeFileSync(`${base}.html`, withFiles(dir, `${a.id}-${kind}`, html, report?.files));
        writeFileSync(`${base}.txt`, text);
        console.log(`Subject: ${view.subject}\n${view.heading}\n\n${base}.html\n${base}.txt`);
      },
    );
}
