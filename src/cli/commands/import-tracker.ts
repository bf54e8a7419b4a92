// drp import-tracker <file.csv> [--authority id] [--dry-run] [--json]
import { readFileSync } from "node:fs";
import type { Command } from "commander";

import { printJson, table } from "../output.ts";
import { withServices } from "../services.ts";

/** What the commands run, loaded when one runs: `drp --help` loads none of it. */
async function load() {
  const [m0] = await Promise.all([import("../../service/tracker-import.ts")]);
  return { ...m0 };
}

export function importTrackerCommand(program: Command): void {
  program
    .command("import-tracker <file>")
    .description("import open disputes from a QA tracker CSV export: all rows or none (see README for the columns)")
    .option("--authority <id>", "the authority, for files without an authority column")
    .option("--dry-run", "check every row and report, writing nothing")
    .option("--json", "print the report as JSON")
    .action(async (file: string, o: { authority?: string; dryRun?: boolean; json?: boolean }) => {
      const m = await load();
      const { default: cliProgress } = await import("cli-progress");
      const csv = readFileSync(file, "utf8");
      const bar =
        !o.json && process.stderr.isTTY
          ? new cliProgress.SingleBar(
              { format: "checking rows [{bar}] {value}/{total}", stream: process.stderr },
              cliProgress.Presets.shades_classic,
            )
          : undefined;
      const report = await withServices((svc) =>
        m.importTracker(svc, csv, {
          authority: o.authority,
          dryRun: o.dryRun,
          progress: (done, total) => {
            if (done === 1) bar?.start(total, 0);
            bar?.update(done);
          },
        }),
      ).finally(() => bar?.stop());
      if (o.json) printJson(report);
      else {
        const verb = report.dryRun ? "would import" : "imported";
        console.log(
          `${report.rows} rows: ${report.dryRun || report.abandoned ? 0 : report.imported} ${report.dryRun ? "written (dry run)" : "imported"}, ${report.skipped.length} already imported, ${report.rejected.length} rejected`,
        );
        if (report.dryRun && !report.rejected.length) console.log(`A real run ${verb} ${report.rows - report.skipped.length} disputes.`);
        if (report.rejected.length) {
          console.log(
            `\nNothing was written. Rejected rows:\n${table(
              ["Line", "Field", "Reason"],
              report.rejected.map((r) => [String(r.line), r.field, r.reason]),
            )}`,
          );
        }
        if (report.references.length) console.log(`\nReferences: ${report.references.join(", ")}`);
      }
      if (report.rejected.length) process.exitCode = 1;
    });
}
