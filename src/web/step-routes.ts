// GET|POST /cases/<reference>/steps/<step>: a step on a dispute, for the person
// whose step it is, with the same form, rules and errors as the link pages
// (and, behind them, the API). The form is bound to the dispute's version when
// the page was shown: if someone recorded a step since, nothing is recorded
// and the page says so.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { DONE, type FormInput, pageModel, parseForm, takeFormStep } from "../links/act.ts";
import { LINK_ACTIONS, type LinkAction } from "../links/token.ts";
import { recordAccess } from "../service/access-trail.ts";
import { asOpened, caseSteps } from "../service/case-steps.ts";
import { ConflictError, InputError, NotFoundError } from "../service/errors.ts";
import type { Pages } from "./pages.ts";
import { formAgain } from "./step-form.ts";

/** What prepare gives for a step the dispute does not wait for now from this person: the answer, not an error. */
class StepNotOpen {
  constructor(readonly reference: string) {}
}

type StepParams = { Params: { reference: string; step: string }; Body: unknown };

export function stepRoutes(app: FastifyInstance, pages: Pages): void {
  const prepare = async (viewer: NonNullable<ReturnType<Pages["signedIn"]>>, reference: string, step: string, version?: number) => {
    if (!(LINK_ACTIONS as readonly string[]).includes(step)) throw new NotFoundError("no such step");
    const steps = await caseSteps(pages.svc, viewer, reference);
    const opened = asOpened(steps, viewer, step as LinkAction, version ?? steps.context.row.version);
    return opened ?? new StepNotOpen(steps.context.row.reference);
  };
  /** A step the dispute does not wait for now, or not from this person: said so, with the way back to it. */
  const notOpen = (req: FastifyRequest, reply: FastifyReply, e: StepNotOpen) =>
    pages.show(req, reply, 409, "problem.njk", {
      title: "This step is not open to you now",
      paragraphs: [
        `Someone may have recorded a step on ${e.reference} since the page was shown, or this step is another person's. Nothing has been recorded.`,
      ],
      back: { href: `/cases/${e.reference}`, text: `Back to ${e.reference}` },
    });
  const formAction = (reference: string, step: string) => `/cases/${encodeURIComponent(reference)}/steps/${step}`;

  app.get<StepParams>("/cases/:reference/steps/:step", { schema: { hide: true } }, async (req, reply) => {
    const viewer = pages.signedIn(req, reply);
    if (!viewer) return reply;
    const o = await prepare(viewer, req.params.reference, req.params.step);
    if (o instanceof StepNotOpen) return notOpen(req, reply, o);
    await recordAccess(pages.svc.db, viewer, { disputeId: o.row.id }, "step", pages.svc.clock.now());
    return pages.show(req, reply, 200, "action.njk", {
      ...pageModel(o),
      formAction: formAction(o.row.reference, req.params.step),
      version: o.row.version,
      backHref: `/cases/${o.row.reference}`,
      errors: [],
      fieldErrors: {},
      values: {},
    });
  });

  app.post<StepParams>("/cases/:reference/steps/:step", { schema: { hide: true }, preHandler: app.csrfProtection }, async (req, reply) => {
    const viewer = pages.signedIn(req, reply);
    if (!viewer) return reply;
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const version = Number(raw.version);
    const o = await prepare(viewer, req.params.reference, req.params.step, Number.isInteger(version) && version > 0 ? version : undefined);
    if (o instanceof StepNotOpen) return notOpen(req, reply, o);
    let form: FormInput | undefined;
    try {
      form = parseForm(raw);
      const next = await takeFormStep(pages.svc, o, form);
      return pages.show(req, reply, 200, "done.njk", {
        title: DONE[o.claims.act],
        reference: o.row.reference,
        next,
        backHref: `/cases/${o.row.reference}`,
      });
    } catch (e) {
      if (!(e instanceof InputError) && !(e instanceof ConflictError)) throw e;
      const moved = e instanceof ConflictError && (e.code === "version_mismatch" || e.code === "concurrent_step");
      const issues = moved
        ? [
            {
              field: "",
              message: "Someone recorded a step on this dispute since you opened this page. Nothing has been recorded: open it again.",
            },
          ]
        : e instanceof InputError
          ? e.issues
          : [{ field: "", message: e.message }];
      return pages.show(req, reply, e instanceof InputError ? 400 : 409, "action.njk", {
        ...pageModel(o),
        formAction: formAction(o.row.reference, req.params.step),
        version: o.claims.ver,
        backHref: `/cases/${o.row.reference}`,
        ...formAgain(issues, raw),
      });
    }
  });
}
