import { z } from "zod";
import { authorityOf } from "../service/context.js";
import { raiseDispute, takeStep } from "../service/disputes.js";
import { InputError } from "../service/errors.js";
import { fingerprint, onceFor } from "../service/idempotency.js";
import { considerReferralInput, escalateInput, extendInput, listInput, plainStepInput, raiseInput, resolveInput, respondInput, withdrawInput, } from "../service/inputs.js";
import { getDispute, listDisputeSummaries } from "../service/read.js";
import { disputeView } from "../service/views.js";
import { errorAnswer } from "./errors.js";
const params = z.object({ id: z.string().max(100) });
const STEPS = [
    { path: "responses", type: "response_recorded", body: respondInput, summary: "Record the recipient's response to the current stage" },
    { path: "escalate", type: "escalated", body: escalateInput, summary: "Escalate to the next stage (or toStage, where bypass is allowed)" },
    { path: "extend", type: "extension_agreed", body: extendInput, summary: "Agree an extension of the current stage's deadline" },
    { path: "resolve", type: "resolved", body: resolveInput, summary: "Record that the dispute is resolved" },
    {
        path: "cafcass-consultation",
        type: "cafcass_consulted",
        body: plainStepInput,
        summary: "Record that the IRO consulted Cafcass (Legal)",
    },
    {
        path: "cafcass-referral-considered",
        type: "cafcass_referral_considered",
        body: considerReferralInput,
        summary: "Tell the nominated officer that a referral to Cafcass is being considered (IRO Handbook 8.12)",
    },
    { path: "cafcass-referral", type: "referred_to_cafcass", body: plainStepInput, summary: "Record a referral to Cafcass" },
    { path: "withdraw", type: "withdrawn", body: withdrawInput, summary: "Withdraw the dispute" },
];
export function disputeRoutes(app, svc) {
    const r = app.withTypeProvider();
    /** With an Idempotency-Key header, the same key gets the same answer and the step is applied once. */
    const idempotent = async (req, run) => {
        const key = req.headers["idempotency-key"];
        if (key === undefined)
            return run();
        if (typeof key !== "string")
            throw new InputError("Idempotency-Key", "send one Idempotency-Key header");
        const print = fingerprint(req.method, req.url.split("?")[0], req.body);
        return onceFor(svc, req.authorityId, key, print, run, errorAnswer);
    };
    const view = (authorityId, s) => disputeView(authorityOf(svc, authorityId), s.dispute, svc.clock.now(), s.warnings);
    r.post("/disputes", { schema: { summary: "Raise a dispute at any stage the procedure allows", tags: ["disputes"], body: raiseInput } }, async (req, reply) => {
        const answer = await idempotent(req, async (store) => {
            // with an Idempotency-Key, the answer is stored in the dispute's own transaction
            let body;
            const along = store && ((tx, r) => store(tx, { status: 201, body: (body = view(req.authorityId, r)) }));
            const result = await raiseDispute(svc, req.authorityId, req.body, along);
            return { status: 201, body: body ?? view(req.authorityId, result) };
        });
        const id = answer.body.id;
        if (id && answer.status === 201)
            reply.header("location", `/disputes/${id}`);
        return reply.code(answer.status).send(answer.body);
    });
    r.get("/disputes", { schema: { summary: "List disputes (e.g. ?status=open&overdue=true)", tags: ["disputes"], querystring: listInput } }, async (req) => ({
        disputes: await listDisputeSummaries(svc, req.authorityId, req.query),
    }));
    r.get("/disputes/:id", { schema: { summary: "A dispute: state, due dates, event log and planned notifications", tags: ["disputes"], params } }, async (req) => getDispute(svc, req.authorityId, req.params.id));
    for (const step of STEPS) {
        r.post(`/disputes/:id/${step.path}`, { schema: { summary: step.summary, tags: ["disputes"], params, body: z.preprocess((b) => b ?? {}, step.body) } }, async (req, reply) => {
            const input = { ...(req.body ?? {}), type: step.type };
            const ifMatch = req.headers["if-match"];
            if (typeof ifMatch === "string" && /^"?\d+"?$/.test(ifMatch) && input.version === undefined)
                input.version = Number(ifMatch.replaceAll('"', ""));
            const answer = await idempotent(req, async (store) => {
                let body;
                const along = store && ((tx, r) => store(tx, { status: 200, body: (body = view(req.authorityId, r)) }));
                const result = await takeStep(svc, req.authorityId, req.params.id, input, { arrived: req.arrived, along });
                return { status: 200, body: body ?? view(req.authorityId, result) };
            });
            return reply.code(answer.status).send(answer.body);
        });
    }
}
//# sourceMappingURL=dispute-routes.js.map