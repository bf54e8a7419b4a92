// What an email says, before it is rendered: one view per email, built by the
// worker from the planner's notification, the dispute and the directory.
// Templates only lay this out; every word that depends on a rule is decided
// here or in the domain. There is no field for a child's name, and no free
// text from the dispute (summary, notes) is put in an email.
import { NOTIFICATION_KINDS } from "../domain/planner.js";
import { REVIEW_KINDS } from "../domain/review/plan.js";
export const EMAIL_KINDS = [...NOTIFICATION_KINDS, ...REVIEW_KINDS, "failure_digest", "report", "report_holder_list"];
//# sourceMappingURL=model.js.map