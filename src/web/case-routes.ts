// GET /cases/<reference>: a dispute or a review, for someone who may see it
// (anyone else is told there is no such case). Times in London time, each
// event in words. POST /cases/<reference>/review-steps/<step>: a step on a
// review (the decisions sent, the response, the rating, closing it), bound to
// the version the page showed.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Viewer } from "../domain/access.ts";
import { RATINGS, type Rating } from "../domain/review/config.ts";
import { casePage } from "../service/case-page.ts";
import { caseSteps } from "../service/case-steps.ts";
import { ConflictError, InputError, type Issue, NotFoundError } from "../service/errors.ts";
import {
  REVIEW_STEPS,
  type ReviewPage,
  type ReviewStepName,
  ReviewWithoutDeadlines,
  reviewPage,
  takeReviewStep,
} from "../service/review-page.ts";
import { caseModel } from "./case-model.ts";
import type { Pages } from "./pages.ts";
import { reviewModel } from "./review-model.ts";

/** Reviews are numbered apart: BIR-REV-2026-0007. */
const isReview = (reference: string) => /-REV-/i.test(reference);

const RECORDED: Record<ReviewStepName, string> = {
  decisions: "Recorded: the decisions were sent",
  response: "Recorded: the response",
  rating: "Recorded: the rating",
  close: "Closed: nothing more will be sent about this review",
};

export function casePageRoutes(app: FastifyInstance, pages: Pages): void {
  const showReview = async (
    req: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    reference: string,
    status = 200,
    extra: { errors?: { text: string; href?: string }[]; fieldErrors?: object } = {},
    /** the step just recorded, from the redirect: said only where the review's last event is that step */
    recorded?: unknown,
  ) => {
    let r: ReviewPage;
    try {
      r = await reviewPage(pages.svc, viewer, reference);
    } catch (e) {
      if (!(e instanceof ReviewWithoutDeadlines)) throw e;
      return pages.show(req, reply, 409, "problem.njk", {
        title: "This review cannot be shown",
        paragraphs: [
          `${e.reference} was recorded under a procedure that no longer sets deadlines after a review, so its deadlines cannot be worked out. Ask whoever keeps the authority's procedures.`,
        ],
      });
    }
    const done =
      typeof recorded === "string" && Object.hasOwn(RECORDED, recorded) && r.lastEvent === REVIEW_STEPS[recorded as ReviewStepName]
        ? RECORDED[recorded as ReviewStepName]
        : undefined;
    return pages.show(req, reply, status, "review.njk", {
      ...reviewModel(r, viewer),
      errors: [],
      fieldErrors: {},
      recorded: done,
      ...extra,
    });
  };

  app.get<{ Params: { reference: string }; Querystring: { recorded?: string } }>(
    "/cases/:reference",
    { schema: { hide: true } },
    async (req, reply) => {
      const viewer = pages.signedIn(req, reply);
      if (!viewer) return reply;
      if (isReview(req.params.reference)) {
        return showReview(req, reply, viewer, req.params.reference, 200, {}, req.query.recorded);
      }
      const c = await casePage(pages.svc, viewer, req.params.reference);
      const steps = await caseSteps(pages.svc, viewer, c.row.reference);
      return pages.show(req, reply, 200, "case.njk", {
        ...caseModel(c, viewer),
        steps: steps.offered.map((x) => ({ text: x.label, href: `/cases/${c.row.reference}/steps/${x.action}` })),
      });
    },
  );

  app.post<{ Params: { reference: string; step: string }; Body: Record<string, unknown> }>(
    "/cases/:reference/review-steps/:step",
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (req, reply) => {
      const viewer = pages.signedIn(req, reply);
      if (!viewer) return reply;
      const { reference, step } = req.params;
      if (!isReview(reference) || !Object.hasOwn(REVIEW_STEPS, step)) throw new NotFoundError("no such step");
      const b = req.body ?? {};
      const version = Number(b.version);
      try {
        if (!Number.isInteger(version) || version < 1)
          throw new InputError("version", "Open the review again: this form was not sent from its page");
        const rating = typeof b.rating === "string" && (RATINGS as readonly string[]).includes(b.rating) ? (b.rating as Rating) : undefined;
        const review = await takeReviewStep(pages.svc, viewer, reference, step as ReviewStepName, { version, rating });
        return reply.redirect(`/cases/${encodeURIComponent(review.reference)}?recorded=${step}`, 303);
      } catch (e) {
        if (!(e instanceof InputError) && !(e instanceof ConflictError)) throw e;
        const issues: Issue[] =
          e instanceof ConflictError && e.code === "version_mismatch"
            ? [
                {
                  field: "",
                  message: "Someone recorded a step on this review since you opened it. Nothing has been recorded: check it below.",
                },
              ]
            : e instanceof InputError
              ? e.issues
              : [{ field: "", message: e.message }];
        return showReview(req, reply, viewer, reference, e instanceof InputError ? 400 : 409, {
          errors: issues.map((i) => ({ text: i.message, href: i.field === "rating" ? "#rating" : undefined })),
          fieldErrors: Object.fromEntries(issues.filter((i) => i.field).map((i) => [i.field, { text: i.message }])),
        });
      }
    },
  );
}
