import { replayReview } from "../review/state.js";
const within = (d, p) => d >= p.from && d <= p.to;
export function countReviews(a, p, period, list, now) {
    const out = { held: 0, rated: { green: 0, amber: 0, red: 0 }, deadlines: [] };
    if (!p.reviews)
        return out;
    const tally = new Map(p.reviews.deadlines.map((d) => [d.id, { id: d.id, name: d.name, due: 0, metOnTime: 0, agreedByDefault: 0 }]));
    for (const r of list) {
        if (r.procedure !== p.id)
            continue;
        const s = replayReview(a, p.reviews, r.events);
        if (within(s.heldOn, period)) {
            out.held++;
            if (s.rating)
                out.rated[s.rating]++;
        }
        for (const d of s.deadlines) {
            if (!d.applies || !d.due || !within(d.due.date, period) || d.due.at.getTime() > now.getTime())
                continue;
            const t = tally.get(d.config.id);
            t.due++;
            if (d.metAt && d.metAt.getTime() <= d.due.at.getTime())
                t.metOnTime++;
            else if (!d.metAt && d.config.whenMissed === "agreed")
                t.agreedByDefault++;
        }
    }
    out.deadlines = [...tally.values()];
    return out;
}
//# sourceMappingURL=reviews.js.map