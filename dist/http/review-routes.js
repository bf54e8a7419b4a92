import { z } from "zod";
import { ratingInput, reviewInput, reviewStepInput } from "../service/inputs.js";
import { createReview, reviewDetail, stepReview } from "../service/reviews.js";
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
];
export function reviewRoutes(app, svc) {
    const r = app.withTypeProvider();
    r.post("/reviews", { schema: { summary: "Record a statutory review or conference: its deadlines start", tags: ["reviews"], body: reviewInput } }, async (req, reply) => {
        const { review } = await createReview(svc, req.authorityId, req.body);
        return reply.code(201).send(await reviewDetail(svc, req.authorityId, review.id));
    });
    r.get("/reviews/:id", { schema: { summary: "A review: its deadlines, history, planned emails and the disputes raised from it", tags: ["reviews"], params } }, async (req) => reviewDetail(svc, req.authorityId, req.params.id));
    for (const step of STEPS) {
        r.post(`/reviews/:id/${step.path}`, { schema: { summary: step.summary, tags: ["reviews"], params, body: z.preprocess((b) => b ?? {}, step.body) } }, async (req) => {
            const input = { ...(req.body ?? {}), type: step.type };
            await stepReview(svc, req.authorityId, req.params.id, input);
            return reviewDetail(svc, req.authorityId, req.params.id);
        });
    }
}
//# sourceMappingURL=review-routes.js.map