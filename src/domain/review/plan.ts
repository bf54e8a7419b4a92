// What a review's deadlines send, and when: the same kinds of reminder and
// notice a dispute's stage sends, planned from the review's state. Keys are
// stable (review:<id>:<deadline>:<kind>), so each email goes once.
import { localDate } from "../calendar/local-time.ts";
import { openingTime, workingDaysBefore } from "../procedure/deadlines.ts";
import type { Authority, Procedure } from "../procedure/model.ts";
import type { ReviewKind } from "./kinds.ts";
import type { DeadlineState, ReviewState } from "./state.ts";

export { REVIEW_KINDS, type ReviewKind } from "./kinds.ts";

/** "who": the deadline's person; "copied": its copies; "chair": the IRO or CP Chair who chaired the review. */
export type ReviewAudience = "who" | "copied" | "chair";

export interface ReviewNotification {
  key: string;
  kind: ReviewKind;
  deadline: DeadlineState;
  /** when it is due to go */
  at: Date;
  /** a reminder whose deadline has passed, or any notice of a deadline met or closed: recorded, never sent */
  status: "planned" | "lapsed" | "superseded";
  addressees: { role: string; audience: ReviewAudience }[];
}

function whoFor(d: DeadlineState): { role: string; audience: ReviewAudience }[] {
  return d.config.who === "chair" ? [{ role: "chair", audience: "chair" }] : [{ role: d.config.who, audience: "who" }];
}

/** Every notification of the review's deadlines, with what has become of it at `now`. */
export function planReview(a: Authority, p: Procedure, state: ReviewState, reviewId: string, now: Date): ReviewNotification[] {
  const out: ReviewNotification[] = [];
  for (const d of state.deadlines) {
    if (!d.applies || !d.due || !d.startedAt) continue;
    const key = (kind: ReviewKind) => `review:${reviewId}:${d.config.id}:${kind}`;
    const done = d.metAt !== undefined || state.status === "closed";
    const copied = d.config.copied.map((role) => ({ role, audience: "copied" as const }));
    const chairToo = d.config.who === "chair" ? [] : [{ role: "chair", audience: "chair" as const }];
    const push = (kind: ReviewKind, at: Date, addressees: ReviewNotification["addressees"], lapses: boolean, suffix = "") => {
      const status = done ? "superseded" : lapses && now.getTime() > d.due!.at.getTime() ? "lapsed" : "planned";
      out.push({ key: `${key(kind)}${suffix}`, kind, deadline: d, at, status, addressees });
    };
    // the person is told the date as soon as the clock starts (unless it is already met)
    // once the date has passed, the overdue (or agreed) notice says it instead
    push("review_due", d.startedAt, [...whoFor(d), ...copied], true);
    for (const n of p.reminders.workingDaysBefore) {
      const on = workingDaysBefore(a, d.due.date, n);
      if (on > localDate(d.startedAt, a.timeZone)) push("review_reminder", openingTime(a, on), whoFor(d), true, `:${n}`);
    }
    if (d.config.whenMissed === "agreed") push("review_agreed", d.due.at, [...whoFor(d), ...chairToo], false);
    else push("review_overdue", d.due.at, [...whoFor(d), ...copied, ...chairToo], false);
  }
  return out.sort((x, y) => x.at.getTime() - y.at.getTime());
}
