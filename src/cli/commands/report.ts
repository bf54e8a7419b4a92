// drp report --authority <id> --period 2027-Q1|2027-01 [--procedure iro|cp] [--format table|json|csv|html] [--out FILE]
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { PROCEDURE_IDS } from "../../domain/procedure/ids.ts";

import { UsageError } from "../output.ts";

import { withServices } from "../services.ts";

/** What the commands run, loaded when one runs: `drp --help` loads none of it. */
async function load() {
  const [m0, m1, m2, m3] = await Promise.all([
    import("../../reports/csv.ts"),
    import("../../reports/email.ts"),
    import("../../service/reports.ts"),
    import("../report-text.ts"),
  ]);
  return { ...m0, ...m1, ...m2, ...m3 };
}

const FORMATS = ["table", "json", "csv", "html"] as const;

export function reportCommand(program: Command): void {
  program
    .command("report")
    .description("an authority's report for a month or a quarter, counted from the event log")
    .requiredOption("--authority <id>", "authority id")
    .requiredOption("--period <period>", "a month (2027-01) or a quarter (2027-Q1)")
    .option("--procedure <id>", `${PROCEDURE_IDS.join(", ")} (default: every procedure the report covers)`)
    .option("--report <id>", "the report's id, where the authority has more than one")
    .option("--format <format>", `${FORMATS.join(", ")}`, "table")
    .option("--json", "the same as --format json")
    .option("--out <file>", "write to a file instead of standard output")
    .action(
      async (o: {
        authority: string;
        period: string;
        procedure?: string;
        report?: string;
        format: string;
        json?: boolean;
        out?: string;
      }) => {
        const m = await load();
        const format = o.json ? "json" : o.format;
        if (!(FORMATS as readonly string[]).includes(format))
          throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got "${format}"`);
        const text = await withServices(async (svc) => {
          const r = await m.requestReport(svc, o.authority, { period: o.period, procedure: o.procedure, report: o.report });
          if (format === "json") return `${JSON.stringify(r, null, 2)}\n`;
          if (format === "csv") return m.reportCsv(r);
          if (format === "html") {
            const a = svc.authorities.get(o.authority)!;
            return m.standaloneReportHtml(a, a.reports.find((x) => x.id === r.report.id)!, r);
          }
          return `${m.reportText(r)}\n`;
        });
        if (o.out) writeFileSync(o.out, text);
        else process.stdout.write(text);
      },
    );
}
