// GET /gaps: the directory's gaps, and the disputes waiting on each.
import type { FastifyInstance } from "fastify";
import { gapsFor } from "../service/gaps.ts";
import type { Pages } from "./pages.ts";

export function gapsRoutes(app: FastifyInstance, pages: Pages): void {
  app.get("/gaps", { schema: { hide: true } }, async (req, reply) => {
    const viewer = pages.signedIn(req, reply);
    if (!viewer) return reply;
    const gaps = await gapsFor(pages.svc, viewer);
    return pages.show(req, reply, 200, "gaps.njk", {
      title: "Directory gaps",
      gaps,
      waiting: gaps.filter((g) => g.disputes.length).length,
      scope: viewer.qa ? "every team" : "your teams",
    });
  });
}
