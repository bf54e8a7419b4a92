// /reviews: a statutory review or conference, and the steps its deadlines wait for.
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Services } from "../service/context.ts";
import { type ReviewStepInput, ratingInput, reviewInput, reviewStepInput } from "../service/inputs.ts";
import { createReview, reviewDetail, stepReview } from "../service/reviews.ts";

const params = z.object({ id: z.string().max(100) });

const STEPS = [
  {
    path: "decisions-sent",
    type: "decisions_sent",
    body: reviewStepInput,
    summary: "Record that the review's decisions were sent to the team manager",
  },
  { path: "responses", type: "response_recorded", body: reviewStepInput, summary: "Record the team manager's response" },
  { path: "rating", type: "rated", body: ratingInput, summary: "Record the post-review rating (green, amber or red)" },
  { path: "close", type: "closed", body: reviewStepInput, summary: "Close the review: nothing more is sent about it" },
] as const;

export function reviewRoutes(app: FastifyInstance, svc: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    "/reviews",
    { schema: { summary: "Record a statutory review or conference: its deadlines start", tags: ["reviews"], body: reviewInput } },
    async (req, reply) => {
      const { review } = await createReview(svc, req.authorityId, req.body);
      return reply.code(201).send(await reviewDetail(svc, req.authorityId, review.id));
    },
  );
  r.get(
    "/reviews/:id",
    { schema: { summary: "A review: its deadlines, history, planned emails and the disputes raised from it", tags: ["reviews"], params } },
    async (req) => reviewDetail(svc, req.authorityId, req.params.id),
  );
  for (const step of STEPS) {
    r.post(
      `/reviews/:id/${step.path}`,
      { schema: { summary: step.summary, tags: ["reviews"], params, body: z.preprocess((b) => b ?? {}, step.body as z.ZodType) } },
      async (req) => {
        const input = { ...((req.body as object | undefined) ?? {}), type: step.type } as ReviewStepInput;
        await stepReview(svc, req.authorityId, req.params.id, input);
        return reviewDetail(svc, req.authorityId, req.params.id);
      },
    );
  }
}
