// Where one of a review's deadlines stands at a moment: the one rule the API's
// review, the CLI and the outstanding list all read.
import type { DeadlineState, ReviewState } from "./state.ts";

export type DeadlineStatus =
  | "awaiting_rating"
  | "not_applicable"
  | "not_started"
  | "met"
  | "met_late"
  | "agreed_by_default"
  | "overdue"
  | "running";

export function deadlineStatus(d: DeadlineState, state: Pick<ReviewState, "rating">, now: Date): DeadlineStatus {
  if (d.config.onlyIfRated && !state.rating) return "awaiting_rating";
  if (!d.applies) return "not_applicable";
  if (!d.due) return "not_started";
  if (d.metAt) return d.metAt.getTime() <= d.due.at.getTime() ? "met" : "met_late";
  if (d.due.at.getTime() < now.getTime()) return d.config.whenMissed === "agreed" ? "agreed_by_default" : "overdue";
  return "running";
}

/** A deadline someone still has to meet: running, or overdue (one that no answer agrees is not). */
export const isOutstanding = (s: DeadlineStatus): boolean => s === "running" || s === "overdue";
