// /registers/good-practice: the key's authority's register of good practice
// (WF §1.2, §11.1). An authority that keeps none answers 404, as does another
// authority's entry.
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Services } from "../service/context.ts";
import { goodPracticeDetail, listGoodPractice, recordGoodPractice } from "../service/good-practice.ts";
import { goodPracticeInput, goodPracticeListInput } from "../service/register-inputs.ts";

const params = z.object({ id: z.string().max(100).describe("the entry's id or its reference (WF-GP-2027-0003)") });
const tags = ["registers"];

export function goodPracticeRoutes(app: FastifyInstance, svc: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    "/registers/good-practice",
    {
      schema: {
        summary:
          "Record good practice by an individual or a team, noticed by an IRO or CP Chair (or recorded by business support for them)",
        tags,
        body: goodPracticeInput,
      },
    },
    async (req, reply) => reply.code(201).send(await recordGoodPractice(svc, req.authorityId, req.body)),
  );
  r.get(
    "/registers/good-practice",
    {
      schema: {
        summary: "The good-practice register: entries by period, procedure and team, counted by procedure and by team",
        tags,
        querystring: goodPracticeListInput,
      },
    },
    async (req) => listGoodPractice(svc, req.authorityId, req.query),
  );
  r.get("/registers/good-practice/:id", { schema: { summary: "A good-practice entry", tags, params } }, async (req) =>
    goodPracticeDetail(svc, req.authorityId, req.params.id),
  );
}
