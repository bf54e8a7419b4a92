// GET /reporting (each report of the authority for a chosen period, its
// tables and chart as in the email) and GET /reporting.csv (its figures). For
// QA: the reports are theirs. /reports stays the API's.
import type { FastifyInstance } from "fastify";
import { localDate } from "../domain/calendar/local-time.ts";
import { periodContaining, previousPeriod } from "../domain/report/period.ts";
import { reportCsv } from "../reports/csv.ts";
import { chartCid, reportCharts, reportView } from "../reports/email.ts";
import { InputError } from "../service/errors.ts";
import { requestReport } from "../service/reports.ts";
import type { Pages } from "./pages.ts";

type Query = { Querystring: { report?: string; period?: string } };

export function reportingRoutes(app: FastifyInstance, pages: Pages): void {
  const chosen = (viewer: { authorityId: string }, q: Query["Querystring"]) => {
    const a = pages.svc.authorities.get(viewer.authorityId)!;
    const config = a.reports.find((r) => r.id === q.report) ?? a.reports[0];
    const period =
      typeof q.period === "string" && q.period.trim()
        ? q.period.trim()
        : config
          ? previousPeriod(periodContaining(localDate(pages.svc.clock.now(), a.timeZone), config.every)).id
          : "";
    return { a, config, period };
  };

  app.get<Query>("/reporting", { schema: { hide: true } }, async (req, reply) => {
    const viewer = pages.signedIn(req, reply);
    if (!viewer) return reply;
    if (!viewer.qa)
      return pages.show(req, reply, 403, "problem.njk", {
        title: "Reports are for the QA team",
        paragraphs: [
          "The authority's dispute reports are kept for its quality assurance team. Your list of what you hold is on the Outstanding page.",
        ],
      });
    const { a, config, period } = chosen(viewer, req.query);
    const base = {
      title: "Reports",
      reports: a.reports.map((r) => ({ value: r.id, text: r.name, selected: r.id === config?.id })),
      period,
    };
    if (!config) return pages.show(req, reply, 200, "reporting.njk", { ...base, none: true, errors: [] });
    try {
      const r = await requestReport(pages.svc, a.id, { period, report: config.id });
      const charts = await reportCharts(a, config, r);
      const view = reportView(a, config, r, { role: config.to[0]!, names: [] }, charts, "drp-monitor");
      const svgs = new Map([...charts].map(([id, c]) => [chartCid(id, r), c.svg]));
      return pages.show(req, reply, 200, "reporting.njk", {
        ...base,
        heading: view.heading,
        paragraphs: view.paragraphs.filter((p) => !p.includes("attached as a spreadsheet")),
        blocks: (view.blocks ?? []).map((b) => ({ ...b, svg: b.figure ? svgs.get(b.figure.cid) : undefined })),
        csvUrl: `/reporting.csv?${new URLSearchParams({ report: config.id, period: r.period.id })}`,
        source: view.source,
        errors: [],
      });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      return pages.show(req, reply, 400, "reporting.njk", {
        ...base,
        errors: e.issues.map((i) => ({ text: i.message, href: `#${i.field === "report" ? "report" : "period"}` })),
        fieldError: { text: e.issues[0]!.message },
      });
    }
  });

  app.get<Query>("/reporting.csv", { schema: { hide: true } }, async (req, reply) => {
    const viewer = pages.signedIn(req, reply);
    if (!viewer) return reply;
    if (!viewer.qa) return reply.code(403).send("Reports are for the QA team.");
    const { a, config, period } = chosen(viewer, req.query);
    if (!config) return reply.code(404).send("No report.");
    let r: Awaited<ReturnType<typeof requestReport>>;
    try {
      r = await requestReport(pages.svc, a.id, { period, report: config.id });
    } catch (e) {
      if (e instanceof InputError) return reply.code(400).send(e.message);
      throw e;
    }
    return reply
      .headers({
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${config.id}-${r.period.id}.csv"`,
        "cache-control": "no-store",
      })
      .send(reportCsv(r));
  });
}
