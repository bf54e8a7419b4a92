// Reviews: recording a statutory review or conference and each later step
// (decisions sent, the response, the rating, closing it), shared by the API
// and the CLI; and what a review looks like to a reader, deadlines and planned
// emails included.
import { and, asc, eq, like } from "drizzle-orm";
import { loadDirectory } from "../db/queries/directory.js";
import { nextReferenceNumber } from "../db/queries/disputes.js";
import { disputes, outbox, reviewEvents, reviews } from "../db/schema.js";
import { parseIsoDate } from "../domain/calendar/dates.js";
import { localDate } from "../domain/calendar/local-time.js";
import { casePeopleIssues, resolveRole } from "../domain/directory.js";
import { cite, roleLabel } from "../domain/procedure/model.js";
import { planReview } from "../domain/review/plan.js";
import { applyReviewEvent, ReviewStepError, replayReview } from "../domain/review/state.js";
import { authorityOf } from "./context.js";
import { checkAt, procedureOf, referenceFor, UUID } from "./disputes.js";
import { ConflictError, InputError, NotFoundError } from "./errors.js";
const FINISHED = new Set(["sent", "skipped", "failed"]);
/** The procedure's review deadlines, or why it has none (400). */
export function reviewsOf(a, p) {
    if (!p.reviews)
        throw new InputError("procedure", `${a.name}'s ${p.name} sets no deadlines after a review`);
    return p.reviews;
}
export function eventOf(row) {
    const p = row.payload;
    if (row.type === "held")
        return { type: "held", at: row.at, heldOn: p.heldOn };
    if (row.type === "rated")
        return { type: "rated", at: row.at, rating: p.rating };
    return { type: row.type, at: row.at };
}
export async function reviewEventsOf(db, reviewId) {
    return db.select().from(reviewEvents).where(eq(reviewEvents.reviewId, reviewId)).orderBy(asc(reviewEvents.seq));
}
export function reviewState(a, row, events) {
    return replayReview(a, reviewsOf(a, procedureOf(a, row.procedure)), events.map(eventOf));
}
/** Keys of the review's emails already sent, skipped or failed. */
export async function finishedReviewKeys(db, reviewId) {
    const rows = await db
        .select({ key: outbox.key, status: outbox.status })
        .from(outbox)
        .where(like(outbox.key, `review:${reviewId}:%`));
    return new Set(rows.filter((r) => FINISHED.has(r.status)).map((r) => r.key));
}
/** When the review's next email is due: the earliest planned one not yet finished (none: null). */
export function nextDueOf(a, p, row, state, finished, now) {
    let next = null;
    for (const n of planReview(a, p, state, row.id, now)) {
        if (n.addressees.every((x) => finished.has(`${n.key}/${x.role}`)))
            continue;
        const at = n.status === "planned" && n.at.getTime() > now.getTime() ? n.at : now; // lapsed and superseded ones are recorded at once
        if (!next || at < next)
            next = at;
    }
    return next;
}
function refused(e) {
    if (e instanceof ReviewStepError)
        throw new ConflictError(e.code, e.message);
    throw e;
}
export async function createReview(svc, authorityId, input) {
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
    if (!team)
        throw new InputError("team", `no team "${input.team}" in ${a.name}'s directory`);
    const onCase = casePeopleIssues(a, dir, input.casePeople ?? {});
    if (onCase.length)
        throw InputError.all(onCase);
    let state;
    const event = { type: "held", at, heldOn };
    try {
        state = applyReviewEvent(a, cfg, undefined, event);
    }
    catch (e) {
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
            reviewId: row.id,
            seq: 0,
            type: "held",
            at,
            actorName: input.chairedBy.name,
            actorEmail: input.chairedBy.email,
            actorRole: input.chairedBy.role,
            payload: { heldOn: input.heldOn },
            recordedAt: now,
        });
        return row;
    });
    svc.log.info({ authority: a.id, review: review.id, procedure: p.id }, "review recorded");
    return { review, state };
}
export async function findReview(db, authorityId, id) {
    if (!UUID.test(id))
        return undefined;
    const [row] = await db
        .select()
        .from(reviews)
        .where(and(eq(reviews.authorityId, authorityId), eq(reviews.id, id)));
    return row;
}
export async function stepReview(svc, authorityId, id, input) {
    const a = authorityOf(svc, authorityId);
    const at = checkAt(svc, input.at);
    const result = await svc.db.transaction(async (tx) => {
        if (!UUID.test(id))
            throw new NotFoundError("no such review");
        const [row] = await tx
            .select()
            .from(reviews)
            .where(and(eq(reviews.authorityId, a.id), eq(reviews.id, id)))
            .for("update");
        if (!row)
            throw new NotFoundError("no such review");
        if (input.version !== undefined && input.version !== row.version)
            throw new ConflictError("version_mismatch", `the review changed (now version ${row.version}); reload it and try again`);
        const p = procedureOf(a, row.procedure);
        const cfg = reviewsOf(a, p);
        const rows = await reviewEventsOf(tx, row.id);
        const event = input.type === "rated" ? { type: "rated", at, rating: input.rating } : { type: input.type, at };
        let state;
        try {
            state = applyReviewEvent(a, cfg, replayReview(a, cfg, rows.map(eventOf)), event);
        }
        catch (e) {
            refused(e);
        }
        const now = svc.clock.now();
        // a step not taken by the chair names who took it; the response is the team's
        const actor = input.by ?? (input.type === "response_recorded" ? {} : { name: row.chairName, email: row.chairEmail });
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
        return { review: updated, state };
    });
    svc.log.info({ authority: a.id, review: id, step: input.type }, "review step recorded");
    return result;
}
/** What GET /reviews/:id answers: the review, its deadlines, its history, the planned emails and the disputes raised from it. */
export async function reviewDetail(svc, authorityId, id) {
    const a = authorityOf(svc, authorityId);
    const row = await findReview(svc.db, a.id, id);
    if (!row)
        throw new NotFoundError("no such review");
    const p = procedureOf(a, row.procedure);
    const cfg = reviewsOf(a, p);
    const [events, finished, dir, raised] = await Promise.all([
        reviewEventsOf(svc.db, row.id),
        finishedReviewKeys(svc.db, row.id),
        loadDirectory(svc.db, a.id),
        svc.db
            .select({ id: disputes.id, reference: disputes.reference, stage: disputes.stage, status: disputes.status })
            .from(disputes)
            .where(eq(disputes.reviewId, row.id)),
    ]);
    const state = replayReview(a, cfg, events.map(eventOf));
    const now = svc.clock.now();
    const who = (role) => {
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
            status: d.config.onlyIfRated && !state.rating
                ? "awaiting_rating"
                : !d.applies
                    ? "not_applicable"
                    : !d.due
                        ? "not_started"
                        : d.metAt
                            ? d.metAt.getTime() <= d.due.at.getTime()
                                ? "met"
                                : "met_late"
                            : d.due.at.getTime() < now.getTime()
                                ? d.config.whenMissed === "agreed"
                                    ? "agreed_by_default"
                                    : "overdue"
                                : "running",
            dueBy: d.due?.date ?? null,
            rule: d.due?.rule ?? null,
            metAt: d.metAt?.toISOString() ?? null,
            text: d.config.text,
            source: cite(a, d.config.source),
        })),
        notes: cfg.ratings
            .filter((x) => row.rating && x.for.includes(row.rating))
            .map((x) => ({ text: x.text, source: cite(a, x.source) })),
        timeline: events.map((e) => ({ seq: e.seq, type: e.type, at: e.at.toISOString(), by: e.actorName ?? null, ...e.payload })),
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
//# sourceMappingURL=reviews.js.map