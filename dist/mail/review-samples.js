// Sample review emails for `drp preview`: each procedure that sets deadlines
// after a review, each deadline started (rated Red, decisions sent, where it
// waits for them), each kind of email its plan sends, as each addressee reads it.
import { parseIsoDate } from "../domain/calendar/dates.js";
import { instantAt } from "../domain/calendar/local-time.js";
import { resolveRole } from "../domain/directory.js";
import { roleLabel } from "../domain/procedure/model.js";
import { planReview } from "../domain/review/plan.js";
import { applyReviewEvent } from "../domain/review/state.js";
import { demoDirectory } from "./samples.js";
import { reviewEmail } from "./wording/reviews.js";
const HELD = parseIsoDate("2027-03-23");
const CHAIR = { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" };
export function reviewSamples(a) {
    const out = [];
    const dir = demoDirectory(a);
    const team = [...dir.teams.keys()][0] ?? "";
    for (const p of Object.values(a.procedures)) {
        const cfg = p.reviews;
        if (!cfg)
            continue;
        const at = (date) => instantAt(parseIsoDate(date), "10:00", a.timeZone);
        let s = applyReviewEvent(a, cfg, undefined, { type: "held", at: at(HELD), heldOn: HELD });
        // start every deadline: decisions sent and a Red rating, where the procedure has them
        if (cfg.deadlines.some((d) => d.metBy === "decisions_sent"))
            s = applyReviewEvent(a, cfg, s, { type: "decisions_sent", at: at("2027-03-24") });
        if (cfg.deadlines.some((d) => d.metBy === "rating" || d.onlyIfRated))
            s = applyReviewEvent(a, cfg, s, { type: "rated", at: at("2027-03-24"), rating: "red" });
        // the plan as if nothing were met: every kind of email each deadline can send
        const open = { ...s, deadlines: s.deadlines.map((d) => ({ ...d, metAt: undefined })) };
        const reference = `${a.referencePrefix ?? a.id.slice(0, 3).toUpperCase()}-REV-2027-0042`;
        for (const n of planReview(a, p, open, "00000000-0000-4000-8000-000000000042", at("2027-03-24"))) {
            if (n.kind === "review_reminder" && out.some((o) => o.kind === n.kind && o.view.heading.includes(n.deadline.config.name)))
                continue;
            for (const x of n.addressees) {
                const held = x.role === "chair" ? undefined : resolveRole(dir, x.role, team);
                const names = x.role === "chair" ? [CHAIR.name] : held?.found ? held.people.map((q) => q.name) : [roleLabel(a, x.role)];
                const view = reviewEmail(a, p, cfg, { reference, childRef: "ECL-123456", heldOn: HELD, chair: CHAIR }, n, { ...x, names }, []);
                // "stage": the deadline's place in the procedure, so that each has its own file
                const stage = cfg.deadlines.findIndex((d) => d.id === n.deadline.config.id) + 1;
                out.push({ authority: a.id, procedure: `${p.id}-review`, stage, kind: n.kind, audience: view.audience, view });
            }
        }
    }
    // one file per kind, deadline and audience
    const seen = new Set();
    return out.filter((s) => {
        const k = `${s.procedure}/${s.kind}/${s.stage}/${s.audience}`;
        return !seen.has(k) && seen.add(k);
    });
}
//# sourceMappingURL=review-samples.js.map