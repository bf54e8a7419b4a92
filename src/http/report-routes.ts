// /reports: the key's authority's report for a month or a quarter.
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { PROCEDURE_IDS } from "../domain/procedure/ids.ts";
import { reportCsv } from "../reports/csv.ts";
import type { Services } from "../service/context.ts";
import { requestReport } from "../service/reports.ts";

const query = z.object({
  period: z.string().max(20).describe("a month (2027-01) or a quarter (2027-Q1)"),
  procedure: z.enum(PROCEDURE_IDS).optional(),
  report: z.string().max(64).optional().describe("the report's id, where the authority has more than one of the period's kind"),
  format: z.enum(["json", "csv"]).default("json"),
});

export function reportRoutes(app: FastifyInstance, svc: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/reports",
    {
      schema: {
        summary:
          "The authority's report for a period: figures by procedure (raised, escalated, resolved, outstanding, by month and stage, category, team, timeliness)",
        tags: ["reports"],
        querystring: query,
      },
    },
    async (req, reply) => {
      const report = await requestReport(svc, req.authorityId, req.query);
      if (req.query.format === "csv")
        return reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="${report.authority}-${report.report.id}-${report.period.id}.csv"`)
          .send(reportCsv(report));
      return report;
    },
  );
}
