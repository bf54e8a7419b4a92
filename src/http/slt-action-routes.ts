// /registers/slt-actions: the key's authority's log of actions agreed at SLT
// (Newham §10). An authority that keeps no such log answers 404, as does
// another authority's action.
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Services } from "../service/context.ts";
import { sltActionInput, sltListInput, sltProgressInput, sltUpdateInput } from "../service/register-inputs.ts";
import { actionDetail, addAction, addProgress, listActions, updateAction } from "../service/slt-actions.ts";

const params = z.object({ id: z.string().max(100).describe("the action's id or its reference (NEW-ACT-2027-0003)") });
const tags = ["registers"];

export function sltActionRoutes(app: FastifyInstance, svc: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    "/registers/slt-actions",
    { schema: { summary: "Record an action agreed at SLT: the action, its owner, when agreed and when due", tags, body: sltActionInput } },
    async (req, reply) => reply.code(201).send(await addAction(svc, req.authorityId, req.body)),
  );
  r.get(
    "/registers/slt-actions",
    {
      schema: {
        summary: "The SLT action log: every action, or those open in a period or closed in it; by status now",
        tags,
        querystring: sltListInput,
      },
    },
    async (req) => listActions(svc, req.authorityId, req.query),
  );
  r.get("/registers/slt-actions/:id", { schema: { summary: "An action with the progress recorded on it", tags, params } }, async (req) =>
    actionDetail(svc, req.authorityId, req.params.id),
  );
  r.post(
    "/registers/slt-actions/:id/progress",
    { schema: { summary: "Record progress on an open action at a later meeting", tags, params, body: sltProgressInput } },
    async (req) => addProgress(svc, req.authorityId, req.params.id, req.body),
  );
  r.patch(
    "/registers/slt-actions/:id",
    {
      schema: {
        summary: "Mark an action done or dropped (or open again), or set its due date; a note goes on as progress",
        tags,
        params,
        body: sltUpdateInput,
      },
    },
    async (req) => updateAction(svc, req.authorityId, req.params.id, req.body),
  );
}
