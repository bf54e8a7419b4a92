// The reviews part of a report: reviews held in the period, how they were
// rated, each deadline after them met on time or not, and (WF §3.3) decisions
// agreed because no answer came.
import type { Authority, Procedure, ProcedureId } from "../procedure/model.ts";
import type { Rating } from "../review/config.ts";
import { type ReviewEvent, replayReview } from "../review/state.ts";
import type { Period } from "./period.ts";

export interface ReportReview {
  procedure: ProcedureId;
  events: readonly ReviewEvent[];
}

export interface ReviewFigures {
  held: number;
  rated: Record<Rating, number>;
  /** per deadline: those whose date fell in the period, and how many were met by it */
  deadlines: { id: string; name: string; due: number; metOnTime: number; agreedByDefault: number }[];
}

const within = (d: string, p: Pick<Period, "from" | "to">) => d >= p.from && d <= p.to;

export function countReviews(a: Authority, p: Procedure, period: Period, list: readonly ReportReview[], now: Date): ReviewFigures {
  const out: ReviewFigures = { held: 0, rated: { green: 0, amber: 0, red: 0 }, deadlines: [] };
  if (!p.reviews) return out;
  const tally = new Map(p.reviews.deadlines.map((d) => [d.id, { id: d.id, name: d.name, due: 0, metOnTime: 0, agreedByDefault: 0 }]));
  for (const r of list) {
    if (r.procedure !== p.id) continue;
    const s = replayReview(a, p.reviews, r.events);
    if (within(s.heldOn, period)) {
      out.held++;
      if (s.rating) out.rated[s.rating]++;
    }
    for (const d of s.deadlines) {
      if (!d.applies || !d.due || !within(d.due.date, period) || d.due.at.getTime() > now.getTime()) continue;
      const t = tally.get(d.config.id)!;
      t.due++;
      if (d.metAt && d.metAt.getTime() <= d.due.at.getTime()) t.metOnTime++;
      else if (!d.metAt && d.config.whenMissed === "agreed") t.agreedByDefault++;
    }
  }
  out.deadlines = [...tally.values()];
  return out;
}
