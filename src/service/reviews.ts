// Reviews: recording a statutory review or conference and each later step
// (decisions sent, the response, the rating, closing it), shared by the API
// and the CLI; and what a review looks like to a reader, deadlines and planned
// emails included.
import { and, asc, eq, inArray, like } from "drizzle-orm";
import type { Database, Db } from "../db/client.ts";
import { loadDirectory } from "../db/queries/directory.ts";
import { nextReferenceNumber } from "../db/queries/disputes.ts";
import { disputes, outbox, reviewEvents, reviews } from "../db/schema.ts";
import { type IsoDate, parseIsoDate } from "../domain/calendar/dates.ts";
import { localDate } from "../domain/calendar/local-time.ts";
import { casePeopleIssues, type Directory, resolveRole } from "../domain/directory.ts";
import { type Authority, cite, type Procedure, roleLabel } from "../domain/procedure/model.ts";
import type { Rating, ReviewsConfig } from "../domain/review/config.ts";
import { planReview } from "../domain/review/plan.ts";
import { applyReviewEvent, type ReviewEvent, type ReviewState, ReviewStepError, replayReview } from "../domain/review/state.ts";
import { deadlineStatus } from "../domain/review/status.ts";
import { authorityOf, type Services } from "./context.ts";
import { checkAt, procedureOf, referenceFor, UUID } from "./disputes.ts";
import { ConflictError, InputError, NotFoundError } from "./errors.ts";
import type { ReviewInput, ReviewStepInput } from "./inputs.ts";

export type ReviewRow = typeof reviews.$inferSelect;
type ReviewEventRow = typeof reviewEvents.$inferSelect;

const FINISHED = new Set(["sent", "skipped", "failed", "bounced"]);

/** The procedure's review deadlines, or why it has none (400). */
export function reviewsOf(a: Authority, p: Procedure): ReviewsConfig {
  if (!p.reviews) throw new InputError("procedure", `${a.name}'s ${p.name} sets no deadlines after a review`);
  return p.reviews;
}

export function eventOf(row: ReviewEventRow): ReviewEvent {
  const p = row.payload as Record<string, unknown>;
  if (row.type === "held") return { type: "held", at: row.at, heldOn: p.heldOn as IsoDate };
  if (row.type === "rated") return { type: "rated", at: row.at, rating: p.rating as Rating };
  return { type: row.type as "decisions_sent" | "response_recorded" | "closed", at: row.at };
}

export async function reviewEventsOf(db: Database, reviewId: string): Promise<ReviewEventRow[]> {
  return db.select().from(reviewEvents).where(eq(reviewEvents.reviewId, reviewId)).orderBy(asc(reviewEvents.seq));
}

/** The events of many reviews, each review's in order: one query however many. */
export async function reviewEventsByReview(db: Database, ids: readonly string[]): Promise<Map<string, ReviewEventRow[]>> {
  const out = new Map<string, ReviewEventRow[]>();
  if (!ids.length) return out;
  const rows = await db
    .select()
    .from(reviewEvents)
    .where(inArray(reviewEvents.reviewId, [...ids]))
    .orderBy(asc(reviewEvents.reviewId), asc(reviewEvents.seq));
  for (const e of rows) (out.get(e.reviewId) ?? out.set(e.reviewId, []).get(e.reviewId)!).push(e);
  return out;
}

export function reviewState(a: Authority, row: ReviewRow, events: ReviewEventRow[]): ReviewState {
  return replayReview(a, reviewsOf(a, procedureOf(a, row.procedure)), events.map(eventOf));
}

/** Keys of the review's emails already sent, skipped or failed. */
export async function finishedReviewKeys(db: Database, reviewId: string): Promise<Set<string>> {
  const rows = await db
    .select({ key: outbox.key, status: outbox.status })
    .from(outbox)
    .where(like(outbox.key, `review:${reviewId}:%`));
  return new Set(rows.filter((r) => FINISHED.has(r.status)).map((r) => r.key));
}

/** When the review's next email is due: the earliest planned one not yet finished (none: null). */
export function nextDueOf(
  a: Authority,
  p: Procedure,
  row: Pick<ReviewRow, "id">,
  state: ReviewState,
  finished: Set<string>,
  now: Date,
): Date | null {
  let next: Date | null = null;
  for (const n of planReview(a, p, state, row.id, now)) {
    if (n.addressees.every((x) => finished.has(`${n.key}/${x.role}`))) continue;
    const at = n.status === "planned" && n.at.getTime() > now.getTime() ? n.at : now; // lapsed and superseded ones are recorded at once
    if (!next || at < next) next = at;
  }
  return next;
}

function refused(e: unknown): never {
  if (e instanceof ReviewStepError) throw new ConflictError(e.code, e.message);
  throw e;
}

export async function createReview(
  svc: Services,
  authorityId: string,
  input: ReviewInput,
  /** runs in the same transaction, after the review is written (a page's one-use form id) */
  along?: (tx: Db, r: { review: ReviewRow; state: ReviewState }) => Promise<void>,
): Promise<{ review: ReviewRow; state: ReviewState }> {
  const a = authorityOf(svc, authorityId);
  const p = procedureOf(a, input.procedure);
  const cfg = reviewsOf(a, p);
  const at = checkAt(svc, input.at);
  const heldOn = parseIsoDate(input.heldOn);
  if (heldOn > localDate(at, a.timeZone))
    throw new InputError("heldOn", "a review is recorded once it has been held: this date is in the future");
  if (!p.raisedBy.includes(input.chairedBy.role))
    throw new InputError("chairedBy.role", `the ${p.name} is chaired by ${p.raisedBy.map((r) => r.replace("_", " ")).join(" or ")}`);
  const dir = await loadDirectory(svc.db, a.id);
  const team = dir.teams.get(input.team);
  if (!team) throw new InputError("team", `no team "${input.team}" in ${a.name}'s directory`);
  const onCase = casePeopleIssues(a, dir, input.casePeople ?? {});
  if (onCase.length) throw InputError.all(onCase);
  let state: ReviewState;
  const event: ReviewEvent = { type: "held", at, heldOn };
  try {
    state = applyReviewEvent(a, cfg, undefined, event);
  } catch (e) {
    refused(e);
  }
  const now = svc.clock.now();
  const review = await svc.db.transaction(async (tx) => {
    const year = Number(input.heldOn.slice(0, 4));
    // reviews count apart from disputes: WF-REV-2027-0001
    const reference = referenceFor(a, year, await nextReferenceNumber(tx, `${a.id}:reviews`, year), "review");
    const [row] = await tx
      .insert(reviews)
      .values({
        authorityId: a.id,
        reference,
        procedure: p.id,
        childRef: input.childRef,
        familyRef: input.familyRef ?? null,
        casePeople: input.casePeople ?? {},
        teamId: team.id,
        serviceId: team.service,
        heldOn: input.heldOn,
        chairName: input.chairedBy.name,
        chairEmail: input.chairedBy.email,
        chairRole: input.chairedBy.role,
        status: "open",
        nextDueAt: nextDueOf(a, p, { id: "" }, state, new Set(), now),
      })
      .returning();
    await tx.insert(reviewEvents).values({
      reviewId: row!.id,
      seq: 0,
      type: "held",
      at,
      actorName: input.chairedBy.name,
      actorEmail: input.chairedBy.email,
      actorRole: input.chairedBy.role,
      payload: { heldOn: input.heldOn },
      recordedAt: now,
    });
    await along?.(tx, { review: row!, state });
    return row!;
  });
  svc.log.info({ authority: a.id, review: review.id, procedure: p.id }, "review recorded");
  return { review, state };
}

export async function findReview(db: Database, authorityId: string, id: string): Promise<ReviewRow | undefined> {
  if (!UUID.test(id)) return undefined;
  const [row] = await db
    .select()
    .from(reviews)
    .where(and(eq(reviews.authorityId, authorityId), eq(reviews.id, id)));
  return row;
}

export async function stepReview(
  svc: Services,
  authorityId: string,
  id: string,
  input: ReviewStepInput,
): Promise<{ review: ReviewRow; state: ReviewState }> {
  const a = authorityOf(svc, authorityId);
  const at = checkAt(svc, input.at);
  const result = await svc.db.transaction(async (tx) => {
    if (!UUID.test(id)) throw new NotFoundError("no such review");
    const [row] = await tx
      .select()
      .from(reviews)
      .where(and(eq(reviews.authorityId, a.id), eq(reviews.id, id)))
      .for("update");
    if (!row) throw new NotFoundError("no such review");
    if (input.version !== undefined && input.version !== row.version)
      throw new ConflictError("version_mismatch", `the review changed (now version ${row.version}); reload it and try again`);
    const p = procedureOf(a, row.procedure);
    const cfg = reviewsOf(a, p);
    const rows = await reviewEventsOf(tx, row.id);
    const event: ReviewEvent = input.type === "rated" ? { type: "rated", at, rating: input.rating } : { type: input.type, at };
    let state: ReviewState;
    try {
      state = applyReviewEvent(a, cfg, replayReview(a, cfg, rows.map(eventOf)), event);
    } catch (e) {
      refused(e);
    }
    const now = svc.clock.now();
    // a step not taken by the chair names who took it; the response is the team's
    const actor: { name?: string; email?: string } =
      input.by ?? (input.type === "response_recorded" ? {} : { name: row.chairName, email: row.chairEmail });
    await tx.insert(reviewEvents).values({
      reviewId: row.id,
      seq: rows.length,
      type: event.type,
      at,
      actorName: actor.name,
      actorEmail: actor.email,
      payload: event.type === "rated" ? { rating: event.rating } : {},
      recordedAt: now,
    });
    const finished = await finishedReviewKeys(tx, row.id);
    const [updated] = await tx
      .update(reviews)
      .set({
        status: state.status,
        rating: state.rating ?? null,
        closedAt: state.closedAt ?? null,
        nextDueAt: nextDueOf(a, p, row, state, finished, now),
        version: row.version + 1,
        updatedAt: now,
      })
      .where(eq(reviews.id, row.id))
      .returning();
    return { review: updated!, state };
  });
  svc.log.info({ authority: a.id, review: id, step: input.type }, "review step recorded");
  return result;
}

/** What GET /reviews/:id answers: the review, its deadlines, its history, the planned emails and the disputes raised from it. */
export async function reviewDetail(svc: Services, authorityId: string, id: string) {
  const a = authorityOf(svc, authorityId);
  const row = await findReview(svc.db, a.id, id);
  if (!row) throw new NotFoundError("no such review");
  return describeReview(svc, a, row);
}

/** A review read already, described as GET /reviews/:id answers; what the caller has read (its events, the directory) is not read again. */
export async function describeReview(
  svc: Services,
  a: Authority,
  row: ReviewRow,
  known: { events?: ReviewEventRow[]; dir?: Directory } = {},
) {
  const p = procedureOf(a, row.procedure);
  const cfg = reviewsOf(a, p);
  const [events, finished, dir, raised] = await Promise.all([
    known.events ?? reviewEventsOf(svc.db, row.id),
    finishedReviewKeys(svc.db, row.id),
    known.dir ?? loadDirectory(svc.db, a.id),
    svc.db
      .select({ id: disputes.id, reference: disputes.reference, stage: disputes.stage, status: disputes.status })
      .from(disputes)
      .where(eq(disputes.reviewId, row.id)),
  ]);
  const state = replayReview(a, cfg, events.map(eventOf));
  const now = svc.clock.now();
  const who = (role: string) => {
    if (role === "chair")
      return {
        role,
        label: p.raisedBy.includes("cp_chair") && row.chairRole === "cp_chair" ? "CP Chair" : "IRO",
        people: [{ name: row.chairName, email: row.chairEmail }],
      };
    const r = resolveRole(dir, role, row.teamId, row.casePeople);
    return { role, label: roleLabel(a, role), people: r.found ? r.people.map(({ name, email }) => ({ name, email })) : [] };
  };
  return {
    id: row.id,
    reference: row.reference,
    procedure: row.procedure,
    childRef: row.childRef,
    familyRef: row.familyRef,
    casePeople: row.casePeople,
    team: row.teamId,
    heldOn: row.heldOn,
    chairedBy: { name: row.chairName, email: row.chairEmail, role: row.chairRole },
    status: row.status,
    rating: row.rating,
    version: row.version,
    deadlines: state.deadlines.map((d) => ({
      id: d.config.id,
      name: d.config.name,
      who: who(d.config.who),
      status: deadlineStatus(d, state, now),
      dueBy: d.due?.date ?? null,
      rule: d.due?.rule ?? null,
      metAt: d.metAt?.toISOString() ?? null,
      text: d.config.text,
      source: cite(a, d.config.source),
    })),
    notes: cfg.ratings
      .filter((x) => row.rating && x.for.includes(row.rating as Rating))
      .map((x) => ({ text: x.text, source: cite(a, x.source) })),
    timeline: events.map((e) => ({ seq: e.seq, type: e.type, at: e.at.toISOString(), by: e.actorName ?? null, ...(e.payload as object) })),
    planned: planReview(a, p, state, row.id, now).map((n) => ({
      kind: n.kind,
      deadline: n.deadline.config.id,
      at: n.at.toISOString(),
      status: n.addressees.every((x) => finished.has(`${n.key}/${x.role}`)) ? "done" : n.status,
      to: n.addressees.map((x) => ({ ...who(x.role), audience: x.audience })),
    })),
    disputes: raised,
  };
}
