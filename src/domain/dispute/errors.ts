// Why a step on a dispute is refused. The API answers these with 409 and the
// message, so the message must say what the procedure allows instead.

export type TransitionErrorCode =
  | "not_raised" // a step before the dispute was raised
  | "already_raised"
  | "closed" // any step on a resolved, referred or withdrawn dispute
  | "out_of_order" // a step dated before the previous one
  | "procedure_role" // e.g. a CP Chair raising under the IRO procedure
  | "no_such_stage"
  | "stage_role" // e.g. a CP Chair to Newham stage 5 (IRO only)
  | "start_not_allowed" // raising a dispute at a stage it can only reach by escalation
  | "bypass_not_allowed" // an escalation that skips a stage, where the procedure goes one stage at a time
  | "not_later_stage"
  | "past_last_stage"
  | "timescale_required"
  | "timescale_not_allowed"
  | "timescale_too_long"
  | "already_responded"
  | "no_deadline"
  | "extension_limit"
  | "extension_not_later"
  | "past_overall_limit" // a timescale or extension the IRO chooses that ends after the procedure's overall limit
  | "cafcass_not_allowed"
  | "concerning" // a §1.6 concern must name the IRO or CP Chair it is about; a dispute about a child's plan names nobody
  | "prerequisite_missing"; // a stage the document says "must" be preceded by something not yet recorded

export class TransitionError extends Error {
  override name = "TransitionError";
  constructor(
    readonly code: TransitionErrorCode,
    message: string,
  ) {
    super(message);
  }
}
