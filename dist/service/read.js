// Reading disputes: one in full, or a filtered list. Always within the
// caller's authority; another authority's id is simply not found.
import { loadDirectory } from "../db/queries/directory.js";
import { eventsOf, findDispute, listDisputes } from "../db/queries/disputes.js";
import { authorityOf } from "./context.js";
import { replayRows, UUID } from "./disputes.js";
import { NotFoundError } from "./errors.js";
import { findReview, reviewEventsOf } from "./reviews.js";
import { disputeDetail, disputeSummary } from "./views.js";
export async function getDispute(svc, authorityId, id) {
    const a = authorityOf(svc, authorityId);
    const row = UUID.test(id) ? await findDispute(svc.db, a.id, id) : undefined;
    if (!row)
        throw new NotFoundError("no such dispute");
    const [events, dir] = await Promise.all([eventsOf(svc.db, row.id), loadDirectory(svc.db, a.id)]);
    const detail = disputeDetail(a, row, events, replayRows(a, row, events), dir, svc.clock.now());
    if (!row.reviewId)
        return detail;
    // raised from a review: the review's own history shows with it
    const review = await findReview(svc.db, a.id, row.reviewId);
    const history = review ? await reviewEventsOf(svc.db, review.id) : [];
    return {
        ...detail,
        review: review && {
            id: review.id,
            reference: review.reference,
            heldOn: review.heldOn,
            rating: review.rating,
            status: review.status,
            timeline: history.map((e) => ({ type: e.type, at: e.at.toISOString(), ...e.payload })),
        },
    };
}
export async function listDisputeSummaries(svc, authorityId, filter) {
    const a = authorityOf(svc, authorityId);
    const now = svc.clock.now();
    const rows = await listDisputes(svc.db, a.id, filter, now);
    return rows.map((r) => disputeSummary(a, r, now));
}
//# sourceMappingURL=read.js.map