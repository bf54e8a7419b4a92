// drp worker · drp preview <kind> --authority <id> · drp preview --all --out DIR
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import pino from "pino";
import { openServices } from "../../app/bootstrap.js";
import { guardProcess } from "../../app/guards.js";
import { startRuntime } from "../../app/runtime.js";
import { stopOnSignals } from "../../app/signals.js";
import { authorities as allAuthorities, getAuthority } from "../../config/authorities.js";
import { checkSettings } from "../../config/settings.js";
import { AUDIENCES } from "../../domain/planner.js";
import { createLogger } from "../../log.js";
import { EMAIL_KINDS } from "../../mail/model.js";
import { withFiles, writeAllPreviews } from "../../mail/preview-site.js";
import { createRenderer } from "../../mail/render.js";
import { reviewSamples } from "../../mail/review-samples.js";
import { sampleEmail } from "../../mail/samples.js";
import { createMetrics } from "../../metrics.js";
import { metricsEndpoint, serveMetrics } from "../../metrics-server.js";
import { reportSamples } from "../../reports/preview.js";
import { procedureOf } from "../../service/disputes.js";
import { parseWholeNumber, UsageError } from "../output.js";
export function workerCommands(program) {
    program
        .command("worker")
        .description("run a notification worker alone (npm start runs it with the API); stops on SIGINT/SIGTERM")
        .action(async () => {
        checkSettings();
        const log = createLogger({ destination: pino.destination(1) });
        // first of all: the worker sends as soon as it starts, so a signal during start-up must already drain, not kill
        guardProcess(log);
        const stopAsked = new Promise((done) => stopOnSignals(log, async () => done()));
        const opened = await openServices({ migrate: !process.env.DATABASE_URL, log, refuseClockBehind: true });
        const metrics = createMetrics();
        const runtime = await startRuntime(opened.svc, metrics);
        // a worker alone serves its own /metrics when asked to (METRICS_PORT, METRICS_HOST)
        const at = metricsEndpoint();
        if (at)
            metrics.watch(opened.svc.db, opened.svc.clock);
        const server = at ? await serveMetrics(metrics, at) : undefined;
        await stopAsked;
        server?.close();
        metrics.stop();
        await runtime.stop();
        await opened.close();
    });
    program
        .command("preview [kind]")
        .description(`write the HTML and text of an email with sample data, for review (kinds: ${EMAIL_KINDS.join(", ")}); --all writes every one`)
        .option("--authority <id>", "authority id (every authority with --all)")
        .option("--procedure <id>", "iro or cp (default: iro, or the only one)")
        .option("--stage <n>", "the stage the sample dispute is at (default: the first formal stage where the email arises)")
        .option("--as <audience>", `whose version: ${AUDIENCES.join(", ")} (default: the first there is)`)
        .option("--all", "every kind × authority × procedure × stage × audience, with an index.html")
        .option("--out <dir>", "where to write the files", ".preview")
        .action(async (kind, o) => {
        const renderer = await createRenderer();
        const dir = resolve(o.out);
        if (o.all) {
            const authorities = o.authority ? [getAuthority(o.authority)] : [...allAuthorities().values()];
            const reports = [...(await Promise.all(authorities.map((a) => reportSamples(a)))).flat(), ...authorities.flatMap(reviewSamples)];
            const written = writeAllPreviews(dir, authorities, renderer, reports);
            console.log(`${written} emails written to ${dir}; open ${join(dir, "index.html")}`);
            return;
        }
        if (!kind)
            throw new UsageError("give a kind of email, or --all");
        if (!EMAIL_KINDS.includes(kind))
            throw new UsageError(`no email kind "${kind}"; kinds: ${EMAIL_KINDS.join(", ")}`);
        if (!o.authority)
            throw new UsageError("--authority is required (or use --all)");
        if (o.as !== undefined && !AUDIENCES.includes(o.as))
            throw new UsageError(`--as must be one of ${AUDIENCES.join(", ")}`);
        const a = getAuthority(o.authority);
        const p = o.procedure ? procedureOf(a, o.procedure) : undefined;
        const stage = o.stage === undefined ? undefined : parseWholeNumber(o.stage, "--stage", 0);
        const special = kind.startsWith("report") ? await reportSamples(a) : kind.startsWith("review_") ? reviewSamples(a) : undefined;
        const report = special?.find((s) => s.kind === kind && (!o.as || s.audience === o.as));
        if (special && !report)
            throw new UsageError(`${a.name} sends no ${kind.replaceAll("_", " ")} email${o.as ? ` to the ${o.as}` : ""}`);
        const view = report?.view ?? sampleEmail(a, kind, { procedure: p, stage, audience: o.as });
        const { html, text } = renderer.render(view);
        mkdirSync(dir, { recursive: true });
        const base = join(dir, `${a.id}-${kind}`);
        writeFileSync(`${base}.html`, withFiles(dir, `${a.id}-${kind}`, html, report?.files));
        writeFileSync(`${base}.txt`, text);
        console.log(`Subject: ${view.subject}\n${view.heading}\n\n${base}.html\n${base}.txt`);
    });
}
//# sourceMappingURL=worker.js.map