// The shapes of what callers send, shared by the HTTP API and the CLI. Unknown
// fields are dropped; a field in the wrong form is refused naming the field.
import { z } from "zod";
import { HOLIDAY_DATA_YEARS } from "../domain/calendar/bank-holidays.ts";
import { isIsoDate } from "../domain/calendar/dates.ts";
import { PROCEDURE_IDS } from "../domain/procedure/ids.ts";
import { CHAIR_ROLES, INSTIGATOR_ROLES } from "../domain/procedure/roles.ts";
import { LONE_SURROGATE, NOT_ONE_LINE, ONE_LINE_MESSAGE, SURROGATE_MESSAGE } from "../domain/text.ts";

const { first: FIRST_YEAR, last: LAST_YEAR } = HOLIDAY_DATA_YEARS;
const inRange = (year: number) => year >= FIRST_YEAR && year <= LAST_YEAR;
const RANGE = `must be in the years ${FIRST_YEAR}–${LAST_YEAR}, the years the working-day calendar covers`;

export const isoDate = z
  .string()
  .refine(isIsoDate, "expected a date in the form YYYY-MM-DD")
  .refine((s) => !isIsoDate(s) || inRange(Number(s.slice(0, 4))), RANGE);
export const instant = z.iso
  .datetime({ offset: true, message: "expected an ISO 8601 instant with a time zone, e.g. 2026-11-23T09:30:00Z" })
  .transform((s) => new Date(s))
  .refine((d) => inRange(d.getUTCFullYear()), RANGE);
const workingDays = z.number().int("a whole number of working days").min(1).max(260);

// Text PostgreSQL cannot store (NUL), or that is not Unicode (a lone surrogate), is refused
// wherever it appears; a single-line field refuses what could add a line to an email's text
// or hide or reverse what a reader sees (domain/text.ts).
const storable = <T extends z.ZodType<string>>(s: T) =>
  s.refine((v) => !v.includes("\u0000"), "must not contain a NUL character").refine((v) => !LONE_SURROGATE.test(v), SURROGATE_MESSAGE);
/** A name, a reference, an id: one line of plain text. */
export const singleLine = (max: number) =>
  storable(z.string().trim().min(1).max(max)).refine((v) => !NOT_ONE_LINE.test(v), ONE_LINE_MESSAGE);
/** Free text (a summary, a note): lines allowed, NUL and lone surrogates not. */
export const freeText = (max: number, min = 0) => storable(z.string().trim().min(min).max(max));
const shortText = singleLine;
const version = z.number().int().min(1).optional();

export const person = z.object({
  name: singleLine(200),
  email: storable(z.email("expected an email address").max(320)),
});

/** An id in the case-management system (a child's, a family's): never a name. */
export const caseId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9/_.:-]*$/, "a case-management id: letters, digits and / _ . : - (never a name)");

/** People named on the child's case, by role: `{ social_worker: "p-12", social_worker_line_manager: "p-40" }`, directory person ids. */
export const casePeople = z
  .record(
    z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, "a role name, e.g. social_worker")
      .max(64),
    storable(z.string().trim().min(1).max(100)),
  )
  .refine((r) => Object.keys(r).length <= 10, "at most 10 roles");

export const raiseInput = z.object({
  procedure: z.enum(PROCEDURE_IDS),
  childRef: caseId,
  familyRef: caseId.optional(),
  casePeople: casePeople.optional(),
  raisedBy: person.extend({ role: z.enum(INSTIGATOR_ROLES) }),
  /** the IRO or CP Chair a concern is about, where the procedure is about one (WF §1.6): named, never emailed, so no address */
  concerning: z.object({ name: singleLine(200), role: z.enum(CHAIR_ROLES) }).optional(),
  team: shortText(100),
  stage: z.number().int().min(0).max(20),
  categories: z.array(shortText(64)).min(1, "at least one category").max(30),
  otherCategory: freeText(500).optional(),
  summary: freeText(20_000, 1),
  requestedActions: z
    .array(
      z
        .object({ action: freeText(2_000, 1), by: isoDate.optional(), timescaleWorkingDays: workingDays.optional() })
        .refine((a) => (a.by === undefined) !== (a.timescaleWorkingDays === undefined), "give either by (a date) or timescaleWorkingDays"),
    )
    .max(50)
    .optional(),
  timescaleWorkingDays: workingDays.optional(),
  confirmed: z.array(shortText(64)).max(20).optional(),
  /** the review the dispute arises from (POST /reviews), for the same child */
  reviewId: z.uuid("a review's id").optional(),
  at: instant.optional(),
});
export type RaiseInput = z.infer<typeof raiseInput>;

/** POST /reviews: a statutory review or conference, held on a date. */
export const reviewInput = z.object({
  procedure: z.enum(["iro", "cp"]),
  childRef: caseId,
  familyRef: caseId.optional(),
  casePeople: casePeople.optional(),
  team: shortText(100),
  heldOn: isoDate,
  chairedBy: person.extend({ role: z.enum(CHAIR_ROLES) }),
  at: instant.optional(),
});
export type ReviewInput = z.infer<typeof reviewInput>;
export const reviewStepInput = z.object({ at: instant.optional(), by: person.optional(), version });
export const ratingInput = z.object({ at: instant.optional(), by: person.optional(), version, rating: z.enum(["green", "amber", "red"]) });
export type ReviewStepInput =
  | ({ type: "decisions_sent" | "response_recorded" | "closed" } & z.infer<typeof reviewStepInput>)
  | ({ type: "rated" } & z.infer<typeof ratingInput>);

const stepBase = { at: instant.optional(), by: person.optional(), version };

export const respondInput = z.object({ ...stepBase, note: freeText(20_000).optional() });
export const escalateInput = z.object({
  ...stepBase,
  toStage: z.number().int().min(0).max(20).optional(),
  timescaleWorkingDays: workingDays.optional(),
  confirmed: z.array(shortText(64)).max(20).optional(),
});
export const extendInput = z
  .object({ ...stepBase, until: isoDate.optional(), workingDays: workingDays.optional() })
  .refine((e) => (e.until === undefined) !== (e.workingDays === undefined), {
    message: "give either until (a date) or workingDays (added to the current deadline)",
    path: ["until"],
  });
export const resolveInput = z.object({ ...stepBase, outcome: freeText(20_000).optional() });
export const withdrawInput = z.object({ ...stepBase, reason: freeText(20_000).optional() });
export const plainStepInput = z.object(stepBase);
export const considerReferralInput = z.object({ ...stepBase, confirmed: z.array(shortText(64)).max(20).optional() });

export type StepInput =
  | ({ type: "response_recorded" } & z.infer<typeof respondInput>)
  | ({ type: "escalated" } & z.infer<typeof escalateInput>)
  | ({ type: "extension_agreed" } & z.infer<typeof extendInput>)
  | ({ type: "resolved" } & z.infer<typeof resolveInput>)
  | ({ type: "withdrawn" } & z.infer<typeof withdrawInput>)
  | ({ type: "cafcass_consulted" } & z.infer<typeof plainStepInput>)
  | ({ type: "cafcass_referral_considered" } & z.infer<typeof considerReferralInput>)
  | ({ type: "referred_to_cafcass" } & z.infer<typeof plainStepInput>);

export const listInput = z.object({
  status: z.enum(["open", "resolved", "referred_to_cafcass", "withdrawn"]).optional(),
  overdue: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  procedure: z.enum(PROCEDURE_IDS).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
