// GET /cases/<reference>: a dispute, for someone who may see it (anyone else
// is told there is no such case). Times in London time, each event in words.
import type { FastifyInstance } from "fastify";
import { casePage } from "../service/case-page.ts";
import { caseSteps } from "../service/case-steps.ts";
import { caseModel } from "./case-model.ts";
import type { Pages } from "./pages.ts";

export function casePageRoutes(app: FastifyInstance, pages: Pages): void {
  app.get<{ Params: { reference: string } }>("/cases/:reference", { schema: { hide: true } }, async (req, reply) => {
    const viewer = pages.signedIn(req, reply);
    if (!viewer) return reply;
    const c = await casePage(pages.svc, viewer, req.params.reference);
    const steps = await caseSteps(pages.svc, viewer, c.row.reference);
    return pages.show(req, reply, 200, "case.njk", {
      ...caseModel(c, viewer),
      steps: steps.offered.map((x) => ({ text: x.label, href: `/cases/${c.row.reference}/steps/${x.action}` })),
    });
  });
}
