// drp report --authority <id> --period 2027-Q1|2027-01 [--procedure iro|cp] [--format table|json|csv|html] [--out FILE]
import { writeFileSync } from "node:fs";
import { reportCsv } from "../../reports/csv.js";
import { standaloneReportHtml } from "../../reports/email.js";
import { requestReport } from "../../service/reports.js";
import { UsageError } from "../output.js";
import { reportText } from "../report-text.js";
import { withServices } from "../services.js";
const FORMATS = ["table", "json", "csv", "html"];
export function reportCommand(program) {
    program
        .command("report")
        .description("an authority's report for a month or a quarter, counted from the event log")
        .requiredOption("--authority <id>", "authority id")
        .requiredOption("--period <period>", "a month (2027-01) or a quarter (2027-Q1)")
        .option("--procedure <id>", "iro or cp (default: every procedure the report covers)")
        .option("--report <id>", "the report's id, where the authority has more than one")
        .option("--format <format>", `${FORMATS.join(", ")}`, "table")
        .option("--json", "the same as --format json")
        .option("--out <file>", "write to a file instead of standard output")
        .action(async (o) => {
        const format = o.json ? "json" : o.format;
        if (!FORMATS.includes(format))
            throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got "${format}"`);
        const text = await withServices(async (svc) => {
            const r = await requestReport(svc, o.authority, { period: o.period, procedure: o.procedure, report: o.report });
            if (format === "json")
                return `${JSON.stringify(r, null, 2)}\n`;
            if (format === "csv")
                return reportCsv(r);
            if (format === "html") {
                const a = svc.authorities.get(o.authority);
                return standaloneReportHtml(a, a.reports.find((x) => x.id === r.report.id), r);
            }
            return `${reportText(r)}\n`;
        });
        if (o.out)
            writeFileSync(o.out, text);
        else
            process.stdout.write(text);
    });
}
//# sourceMappingURL=report.js.map