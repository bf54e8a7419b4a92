// /disputes: raise, every step of the state machine, read and list.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import type { Services } from "../service/context.ts";
import { authorityOf } from "../service/context.ts";
import { raiseDispute, type StepResult, takeStep } from "../service/disputes.ts";
import { InputError } from "../service/errors.ts";
import { fingerprint, onceFor, type StoreAnswer, type StoredAnswer } from "../service/idempotency.ts";
import {
  considerReferralInput,
  escalateInput,
  extendInput,
  listInput,
  plainStepInput,
  raiseInput,
  resolveInput,
  respondInput,
  type StepInput,
  withdrawInput,
} from "../service/inputs.ts";
import { getDispute, listDisputeSummaries } from "../service/read.ts";
import { disputeView } from "../service/views.ts";
import { errorAnswer } from "./errors.ts";

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
] as const;

export function disputeRoutes(app: FastifyInstance, svc: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  /** With an Idempotency-Key header, the same key gets the same answer and the step is applied once. */
  const idempotent = async (req: FastifyRequest, run: (store?: StoreAnswer) => Promise<StoredAnswer>): Promise<StoredAnswer> => {
    const key = req.headers["idempotency-key"];
    if (key === undefined) return run();
    if (typeof key !== "string") throw new InputError("Idempotency-Key", "send one Idempotency-Key header");
    const print = fingerprint(req.method, req.url.split("?")[0]!, req.body);
    return onceFor(svc, req.authorityId, key, print, run, errorAnswer);
  };
  const view = (authorityId: string, s: StepResult) =>
    disputeView(authorityOf(svc, authorityId), s.dispute, svc.clock.now(), s.warnings, s.state);

  r.post(
    "/disputes",
    { schema: { summary: "Raise a dispute at any stage the procedure allows", tags: ["disputes"], body: raiseInput } },
    async (req, reply) => {
      const answer = await idempotent(req, async (store) => {
        // with an Idempotency-Key, the answer is stored in the dispute's own transaction
        let body: unknown;
        const along = store && ((tx: Db, r: StepResult) => store(tx, { status: 201, body: (body = view(req.authorityId, r)) }));
        const result = await raiseDispute(svc, req.authorityId, req.body, along);
        return { status: 201, body: body ?? view(req.authorityId, result) };
      });
      const id = (answer.body as { id?: string }).id;
      if (id && answer.status === 201) reply.header("location", `/disputes/${id}`);
      return reply.code(answer.status).send(answer.body);
    },
  );

  r.get(
    "/disputes",
    { schema: { summary: "List disputes (e.g. ?status=open&overdue=true)", tags: ["disputes"], querystring: listInput } },
    async (req) => ({
      disputes: await listDisputeSummaries(svc, req.authorityId, req.query),
    }),
  );

  r.get(
    "/disputes/:id",
    { schema: { summary: "A dispute: state, due dates, event log and planned notifications", tags: ["disputes"], params } },
    async (req) => getDispute(svc, req.authorityId, req.params.id),
  );

  for (const step of STEPS) {
    r.post(
      `/disputes/:id/${step.path}`,
      { schema: { summary: step.summary, tags: ["disputes"], params, body: z.preprocess((b) => b ?? {}, step.body as z.ZodType) } },
      async (req, reply) => {
        const input = { ...((req.body as object | undefined) ?? {}), type: step.type } as StepInput;
        const ifMatch = req.headers["if-match"];
        if (typeof ifMatch === "string" && /^"?\d+"?$/.test(ifMatch) && input.version === undefined)
          input.version = Number(ifMatch.replaceAll('"', ""));
        const answer = await idempotent(req, async (store) => {
          let body: unknown;
          const along = store && ((tx: Db, r: StepResult) => store(tx, { status: 200, body: (body = view(req.authorityId, r)) }));
          const result = await takeStep(svc, req.authorityId, req.params.id, input, { arrived: req.arrived, along });
          return { status: 200, body: body ?? view(req.authorityId, result) };
        });
        return reply.code(answer.status).send(answer.body);
      },
    );
  }
}
