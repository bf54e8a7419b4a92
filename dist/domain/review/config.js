// The deadlines that run after a statutory review (or a child protection
// conference), before any dispute exists, as a procedure's `reviews:` says:
// who must act, from when, by when, and what meets it.
import { z } from "zod";
import { ROLE_NAME } from "../procedure/roles.js";
import { dayUnit } from "../procedure/units.js";
export const RATINGS = ["green", "amber", "red"];
/** What a review deadline can be met by: the steps recorded on a review. */
export const REVIEW_STEPS = ["decisions_sent", "response", "rating"];
const roleName = z.string().regex(ROLE_NAME, "a role is a lower_snake_case name such as team_manager");
const source = z.string().min(1, "say which paragraph of the source document this comes from");
export const reviewDeadlineSchema = z.strictObject({
    id: z.string().regex(ROLE_NAME, "a deadline id is lower_snake_case"),
    /** "Post-review audit", "Review decisions" */
    name: z.string().min(1),
    /** who must act: the IRO or CP Chair who chaired the review, or a role for the child's team */
    who: z.union([z.literal("chair"), roleName]),
    copied: z.array(roleName).default([]),
    /** when the clock starts: the review itself, or the decisions being sent */
    from: z.enum(["held", "decisions_sent"]).default("held"),
    /** only after a review rated so (Gloucestershire ¶4: Red) */
    onlyIfRated: z.array(z.enum(RATINGS)).min(1).optional(),
    timescale: z.union([
        z.strictObject({ days: z.number().int().min(1).max(260), unit: dayUnit.default("working_days") }),
        z.strictObject({ months: z.number().int().min(1).max(12) }),
    ]),
    /** the step that meets it */
    metBy: z.enum(REVIEW_STEPS),
    /** "overdue": the person is told it is overdue; "agreed": no response means agreement (WF §3.3) */
    whenMissed: z.enum(["overdue", "agreed"]).default("overdue"),
    /** what the person is asked to do, in the document's words */
    text: z.string().min(1),
    /** what the email says when no response means agreement */
    agreedText: z.string().min(1).optional(),
    source,
});
export const reviewsSchema = z.strictObject({
    /** what the reviews are called: "statutory review", "child protection conference" */
    noun: z.string().min(1).default("statutory review"),
    deadlines: z.array(reviewDeadlineSchema).min(1),
    /** what the chair is to do after each rating, where the document says */
    ratings: z
        .strictObject({ for: z.array(z.enum(RATINGS)).min(1), text: z.string().min(1), source })
        .array()
        .default([]),
    source,
});
//# sourceMappingURL=config.js.map