// What a review's deadlines send, and when: the same kinds of reminder and
// notice a dispute's stage sends, planned from the review's state. Keys are
// stable (review:<id>:<deadline>:<kind>), so each email goes once.
import { localDate } from "../calendar/local-time.js";
import { openingTime, workingDaysBefore } from "../procedure/deadlines.js";
export const REVIEW_KINDS = ["review_due", "review_reminder", "review_overdue", "review_agreed"];
function whoFor(d) {
    return d.config.who === "chair" ? [{ role: "chair", audience: "chair" }] : [{ role: d.config.who, audience: "who" }];
}
/** Every notification of the review's deadlines, with what has become of it at `now`. */
export function planReview(a, p, state, reviewId, now) {
    const out = [];
    for (const d of state.deadlines) {
        if (!d.applies || !d.due || !d.startedAt)
            continue;
        const key = (kind) => `review:${reviewId}:${d.config.id}:${kind}`;
        const done = d.metAt !== undefined || state.status === "closed";
        const copied = d.config.copied.map((role) => ({ role, audience: "copied" }));
        const chairToo = d.config.who === "chair" ? [] : [{ role: "chair", audience: "chair" }];
        const push = (kind, at, addressees, lapses, suffix = "") => {
            const status = done ? "superseded" : lapses && now.getTime() > d.due.at.getTime() ? "lapsed" : "planned";
            out.push({ key: `${key(kind)}${suffix}`, kind, deadline: d, at, status, addressees });
        };
        // the person is told the date as soon as the clock starts (unless it is already met)
        // once the date has passed, the overdue (or agreed) notice says it instead
        push("review_due", d.startedAt, [...whoFor(d), ...copied], true);
        for (const n of p.reminders.workingDaysBefore) {
            const on = workingDaysBefore(a, d.due.date, n);
            if (on > localDate(d.startedAt, a.timeZone))
                push("review_reminder", openingTime(a, on), whoFor(d), true, `:${n}`);
        }
        if (d.config.whenMissed === "agreed")
            push("review_agreed", d.due.at, [...whoFor(d), ...chairToo], false);
        else
            push("review_overdue", d.due.at, [...whoFor(d), ...copied, ...chairToo], false);
    }
    return out.sort((x, y) => x.at.getTime() - y.at.getTime());
}
//# sourceMappingURL=plan.js.map