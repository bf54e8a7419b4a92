// GET / (the outstanding list, the home page) and GET /outstanding.csv (the
// same view, in the tracker's columns). Filters and sorting are query
// parameters, so a view can be bookmarked and works without JavaScript.
import { stringify } from "csv-stringify";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { type OutstandingFilter, outstanding } from "../service/outstanding.ts";
import { outstandingCsvRows } from "../service/outstanding-csv.ts";
import type { Pages } from "./pages.ts";

const blank = (v: unknown) => (v === "" ? undefined : v);
const query = z.object({
  procedure: z.preprocess(blank, z.string().max(20).optional()),
  stage: z.preprocess(blank, z.coerce.number().int().min(0).max(99).optional()),
  team: z.preprocess(blank, z.string().max(100).optional()),
  holder: z.preprocess(blank, z.string().max(100).optional()),
  overdue: z.preprocess(blank, z.literal("yes").optional()),
  week: z.preprocess(blank, z.literal("yes").optional()),
  sort: z.preprocess(blank, z.enum(["due", "reference", "team", "limit"]).optional()),
  page: z.preprocess(blank, z.coerce.number().int().min(1).max(100_000).optional()),
});

/** The filter a query asks for; anything it cannot read is left out, never an error page. */
function filterOf(raw: unknown): { filter: OutstandingFilter; values: Record<string, string> } {
  const r = query.safeParse(raw ?? {});
  const q = r.success ? r.data : {};
  return {
    filter: {
      procedure: q.procedure,
      stage: q.stage,
      team: q.team,
      holder: q.holder,
      overdue: q.overdue === "yes",
      dueThisWeek: q.week === "yes",
      sort: q.sort,
      page: q.page,
    },
    values: Object.fromEntries(Object.entries(q).map(([k, v]) => [k, String(v)])),
  };
}

export function outstandingRoutes(app: FastifyInstance, pages: Pages): void {
  app.get("/", { schema: { hide: true } }, async (req, reply) => {
    const viewer = pages.signedIn(req, reply);
    if (!viewer) return reply;
    const { filter, values } = filterOf(req.query);
    const list = await outstanding(pages.svc, viewer, filter);
    const hasReviews = Object.values(list.authority.procedures).some((p) => p.reviews);
    const { page: _page, ...view } = values;
    const search = new URLSearchParams(view).toString();
    const pageUrl = (n: number) => `/?${new URLSearchParams({ ...view, page: String(n) }).toString()}`;
    return pages.show(req, reply, 200, "outstanding.njk", {
      title: hasReviews ? "Outstanding disputes and reviews" : "Outstanding disputes",
      list,
      hasReviews,
      values,
      csvUrl: `/outstanding.csv${search ? `?${search}` : ""}`,
      pagination:
        list.pages > 1
          ? {
              previous: list.page > 1 ? { href: pageUrl(list.page - 1) } : undefined,
              next: list.page < list.pages ? { href: pageUrl(list.page + 1) } : undefined,
              items: Array.from({ length: list.pages }, (_, i) => i + 1)
                .filter((n) => n === 1 || n === list.pages || Math.abs(n - list.page) <= 2)
                .flatMap((n, i, xs) => [
                  ...(i > 0 && n - xs[i - 1]! > 1 ? [{ ellipsis: true }] : []),
                  { number: n, href: pageUrl(n), current: n === list.page },
                ]),
            }
          : undefined,
      scope: viewer.qa ? "every open dispute of the authority" : "the open disputes you raised, hold or held, and your teams'",
    });
  });

  app.get("/outstanding.csv", { schema: { hide: true } }, async (req, reply) => {
    const viewer = pages.signedIn(req, reply);
    if (!viewer) return reply;
    const { filter } = filterOf(req.query);
    const csv = stringify({ bom: true });
    void (async () => {
      try {
        for await (const row of outstandingCsvRows(pages.svc, viewer, filter))
          if (!csv.write(row)) await new Promise((r) => csv.once("drain", r));
        csv.end();
      } catch (e) {
        csv.destroy(e as Error);
      }
    })();
    return reply
      .headers({
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": 'attachment; filename="outstanding.csv"',
        "cache-control": "no-store",
      })
      .send(csv);
  });
}
