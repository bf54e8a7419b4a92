// One review as its page shows it: its deadlines and where each stands, its
// history, its emails sent and planned, the disputes raised from it, the steps
// the signed-in person may record, and, for QA, who has opened it. Only for
// someone who may see it; anyone else is told there is no such case.
import { and, eq, like } from "drizzle-orm";
import { loadDirectory } from "../db/queries/directory.ts";
import { disputes, outbox, reviews } from "../db/schema.ts";
import { maySeeDispute, maySeeReview, type Viewer } from "../domain/access.ts";
import type { Directory } from "../domain/directory.ts";
import { resolveRole } from "../domain/directory.ts";
import type { Authority } from "../domain/procedure/model.ts";
import type { Rating } from "../domain/review/config.ts";
import { applyReviewEvent, type ReviewEvent, type ReviewState } from "../domain/review/state.ts";
import { ascii } from "../domain/text.ts";
import { accessTrail, recordAccess } from "./access-trail.ts";
import { emailsAbout } from "./case-page.ts";
import { authorityOf, type Services } from "./context.ts";
import { procedureOf } from "./disputes.ts";
import { ConflictError, InputError, NotFoundError } from "./errors.ts";
import { describeReview, type ReviewRow, reviewEventsOf, reviewState, reviewsOf, stepReview } from "./reviews.ts";

/** The steps of a review, as the page's forms name them. */
export const REVIEW_STEPS = {
  decisions: "decisions_sent",
  response: "response_recorded",
  rating: "rated",
  close: "closed",
} as const;
export type ReviewStepName = keyof typeof REVIEW_STEPS;

export async function findReviewByReference(
  svc: Services,
  v: Viewer,
  reference: string,
): Promise<{ a: Authority; row: ReviewRow; dir: Directory }> {
  const a = authorityOf(svc, v.authorityId);
  const [row] =
    reference.length <= 64
      ? await svc.db
          .select()
          .from(reviews)
          .where(and(eq(reviews.authorityId, a.id), eq(reviews.reference, reference.toUpperCase())))
      : [];
  if (!row || !maySeeReview(v, row)) throw new NotFoundError(`no case ${reference} that you may see`);
  return { a, row, dir: await loadDirectory(svc.db, a.id) };
}

/**
 * The steps this person may record now: the chair sends the decisions, rates
 * and closes; the response is recorded by whoever must give it (the team
 * manager, as the directory resolves the role for the child) or by the chair
 * who received it. Each is offered only where the procedure allows it now.
 */
export function reviewStepsFor(a: Authority, dir: Directory, v: Viewer, row: ReviewRow, state: ReviewState, now: Date): ReviewStepName[] {
  if (state.status !== "open") return [];
  const cfg = reviewsOf(a, procedureOf(a, row.procedure));
  const chair = row.chairEmail.toLowerCase() === v.email;
  const responder = cfg.deadlines.some((d) => {
    if (d.metBy !== "response" || d.who === "chair") return false;
    const r = resolveRole(dir, d.who, row.teamId, row.casePeople);
    return r.found && r.people.some((x) => v.personIds.has(x.id));
  });
  const at = new Date(Math.max(now.getTime(), state.lastAt.getTime()));
  const allowed = (e: ReviewEvent) => {
    try {
      applyReviewEvent(a, cfg, state, e);
      return true;
    } catch {
      return false;
    }
  };
  const out: ReviewStepName[] = [];
  if (chair && allowed({ type: "decisions_sent", at })) out.push("decisions");
  if ((chair || responder) && allowed({ type: "response_recorded", at })) out.push("response");
  if (chair && allowed({ type: "rated", at, rating: "green" })) out.push("rating");
  if (chair) out.push("close");
  return out;
}

/** A review recorded under a procedure that no longer sets deadlines after a review: its page cannot be drawn from the procedure. */
export class ReviewWithoutDeadlines extends Error {
  constructor(readonly reference: string) {
    super("the review's procedure sets no deadlines after a review now");
  }
}

export async function reviewPage(svc: Services, v: Viewer, reference: string) {
  const { a, row, dir } = await findReviewByReference(svc, v, reference);
  if (!procedureOf(a, row.procedure).reviews) throw new ReviewWithoutDeadlines(row.reference);
  const now = svc.clock.now();
  await recordAccess(svc.db, v, { reviewId: row.id }, "page", now);
  const events = await reviewEventsOf(svc.db, row.id);
  const [detail, emails, trail, raised] = await Promise.all([
    describeReview(svc, a, row, { events, dir }),
    emailsAbout(svc.db, and(eq(outbox.authorityId, a.id), like(outbox.key, `review:${row.id}:%`))!),
    v.qa ? accessTrail(svc.db, a.id, { reviewId: row.id }) : Promise.resolve(undefined),
    svc.db
      .select()
      .from(disputes)
      .where(and(eq(disputes.authorityId, a.id), eq(disputes.reviewId, row.id))),
  ]);
  const state = reviewState(a, row, events);
  const teamName = dir.teams.get(row.teamId)?.name ?? row.teamId;
  // the disputes raised from it: only those this person may see
  const disputesSeen = raised
    .filter((d) => maySeeDispute(v, a, dir, d, d.serviceId))
    .map((d) => ({ reference: d.reference, status: d.status }))
    .sort((x, y) => ascii(x.reference, y.reference));
  return {
    authority: a,
    row,
    teamName,
    detail,
    emails,
    trail,
    disputes: disputesSeen,
    lastEvent: events.at(-1)?.type,
    steps: reviewStepsFor(a, dir, v, row, state, now),
  };
}
export type ReviewPage = Awaited<ReturnType<typeof reviewPage>>;

/** Records a step from the review's page, in the person's name, bound to the version the page showed. */
export async function takeReviewStep(
  svc: Services,
  v: Viewer,
  reference: string,
  step: ReviewStepName,
  form: { version: number; rating?: Rating },
): Promise<ReviewRow> {
  const { a, row, dir } = await findReviewByReference(svc, v, reference);
  const state = reviewState(a, row, await reviewEventsOf(svc.db, row.id));
  // a review they may see: saying the step is not open leaks nothing
  if (!reviewStepsFor(a, dir, v, row, state, svc.clock.now()).includes(step))
    throw new ConflictError(
      "step_not_open",
      "This step is not open to you now: someone may have recorded a step on this review since the page was shown, or it is the chair's. Nothing has been recorded.",
    );
  if (step === "rating" && !form.rating) throw new InputError("rating", "Choose the rating: Green, Amber or Red");
  const by = { name: dir.people.get([...v.personIds][0]!)?.name ?? v.name, email: v.email };
  const type = REVIEW_STEPS[step];
  const { review } =
    type === "rated"
      ? await stepReview(svc, a.id, row.id, { type, rating: form.rating!, by, version: form.version })
      : await stepReview(svc, a.id, row.id, { type, by, version: form.version });
  return review;
}
