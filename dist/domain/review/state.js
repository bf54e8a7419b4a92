// A review's history, reduced to where its deadlines stand: a pure reducer,
// like a dispute's. Each deadline of the procedure's `reviews:` starts when the
// review is held (or when its decisions are sent), applies only after the
// rating it names, and is met by the step it names.
import { addDays, parseIsoDate } from "../calendar/dates.js";
import { localDate } from "../calendar/local-time.js";
import { addDaysOf, closeOfBusiness } from "../procedure/deadlines.js";
export const REVIEW_EVENT_TYPES = ["held", "decisions_sent", "response_recorded", "rated", "closed"];
export class ReviewStepError extends Error {
    code;
    name = "ReviewStepError";
    constructor(code, message) {
        super(message);
        this.code = code;
    }
}
/** "Within one month": the same date a month on (the month's last day where it is shorter). */
export function addMonths(date, months) {
    const [y, m, d] = date.split("-").map(Number);
    const total = y * 12 + (m - 1) + months;
    const year = Math.floor(total / 12);
    const month = (total % 12) + 1;
    const first = parseIsoDate(`${year}-${String(month).padStart(2, "0")}-01`);
    const last = Number(addDays(parseIsoDate(`${month === 12 ? year + 1 : year}-${String(month === 12 ? 1 : month + 1).padStart(2, "0")}-01`), -1).slice(8));
    return addDays(first, Math.min(d, last) - 1);
}
/** The date a deadline falls on, from the day its clock starts, by the procedure's counting rules. */
export function reviewDeadline(a, d, startsOn, procedureSource) {
    const t = d.timescale;
    const date = "months" in t ? a.calendar.onOrNextWorkingDay(addMonths(startsOn, t.months)) : addDaysOf(a, startsOn, t.days, t.unit);
    const rule = "months" in t
        ? `${t.months} month${t.months === 1 ? "" : "s"} after ${d.from === "held" ? "the review" : "the decisions were sent"} (the next working day if that is not one)`
        : `${t.days} ${t.unit === "working_days" ? "working" : "calendar"} days after ${d.from === "held" ? "the review" : "the decisions were sent"}`;
    return { kind: "due", date, at: closeOfBusiness(a, date), rule, source: d.source || procedureSource };
}
const started = (a, r, d, on, at) => d.applies && !d.due ? { ...d, due: reviewDeadline(a, d.config, on, r.source), startedAt: at } : d;
/** Applies one event; throws ReviewStepError with what the procedure allows instead. */
export function applyReviewEvent(a, r, state, e) {
    if (!state) {
        if (e.type !== "held")
            throw new ReviewStepError("not_held", "a review's first step is recording that it was held");
        const deadlines = r.deadlines.map((config) => ({ config, due: null, applies: !config.onlyIfRated }));
        return {
            heldOn: e.heldOn,
            heldAt: e.at,
            status: "open",
            lastAt: e.at,
            deadlines: deadlines.map((d) => (d.config.from === "held" && !d.config.onlyIfRated ? started(a, r, d, e.heldOn, e.at) : d)),
        };
    }
    if (e.type === "held")
        throw new ReviewStepError("already_held", "this review has already been recorded");
    if (state.status === "closed")
        throw new ReviewStepError("closed", "this review is closed; no further steps can be recorded on it");
    if (e.at.getTime() < state.lastAt.getTime())
        throw new ReviewStepError("out_of_order", `this step is dated ${e.at.toISOString()}, before the review's previous step at ${state.lastAt.toISOString()}`);
    const on = localDate(e.at, a.timeZone);
    const next = { ...state, lastAt: e.at };
    const meets = (step) => next.deadlines.map((d) => d.config.metBy === step && d.applies && !d.metAt && (d.due || d.config.from === "held") ? { ...d, metAt: e.at } : d);
    switch (e.type) {
        case "decisions_sent": {
            if (!r.deadlines.some((d) => d.metBy === "decisions_sent" || d.from === "decisions_sent"))
                throw new ReviewStepError("no_decisions", "under this procedure no review decisions are sent through this system");
            if (state.decisionsSentAt)
                throw new ReviewStepError("already_sent", "the decisions have already been recorded as sent");
            next.decisionsSentAt = e.at;
            next.deadlines = meets("decisions_sent").map((d) => (d.config.from === "decisions_sent" ? started(a, r, d, on, e.at) : d));
            return next;
        }
        case "rated": {
            if (!r.deadlines.some((d) => d.metBy === "rating" || d.onlyIfRated))
                throw new ReviewStepError("no_rating", "this procedure's reviews are not rated");
            if (state.rating)
                throw new ReviewStepError("already_rated", `this review was already rated ${state.rating}`);
            next.rating = e.rating;
            next.ratedAt = e.at;
            next.deadlines = meets("rating").map((d) => {
                if (!d.config.onlyIfRated)
                    return d;
                if (!d.config.onlyIfRated.includes(e.rating))
                    return { ...d, applies: false };
                // its clock runs from the review, or from the decisions if it waits for them
                const from = d.config.from === "held"
                    ? { on: state.heldOn, at: state.heldAt }
                    : state.decisionsSentAt
                        ? { on: localDate(state.decisionsSentAt, a.timeZone), at: state.decisionsSentAt }
                        : undefined;
                return from ? started(a, r, { ...d, applies: true }, from.on, e.at) : { ...d, applies: true };
            });
            return next;
        }
        case "response_recorded": {
            const awaiting = state.deadlines.filter((d) => d.config.metBy === "response" && d.applies && d.due && !d.metAt);
            if (!awaiting.length)
                throw new ReviewStepError("no_response_awaited", "no response is awaited on this review now");
            next.respondedAt = e.at;
            next.deadlines = meets("response");
            return next;
        }
        case "closed":
            return { ...next, status: "closed", closedAt: e.at };
    }
}
export function replayReview(a, r, events) {
    let s;
    for (const e of events)
        s = applyReviewEvent(a, r, s, e);
    if (!s)
        throw new ReviewStepError("not_held", "a review with no events has not been recorded");
    return s;
}
//# sourceMappingURL=state.js.map