// The shape of an authority file (authorities/<id>.yaml). Every field an
// authority may differ on lives here; code never branches on an authority id.
import { z } from "zod";
import { isIsoDate } from "../calendar/dates.ts";
import { isTimeOfDay, isTimeZone } from "../calendar/local-time.ts";
import { registersSchema } from "../register/config.ts";
import { reportSchema } from "../report/config.ts";
import { reviewsSchema } from "../review/config.ts";
import { PROCEDURE_IDS } from "./ids.ts";
import { CHAIR_ROLES, INSTIGATOR_ROLES, ROLE_NAME } from "./roles.ts";
import { dayUnit } from "./units.ts";

const roleName = z.string().regex(ROLE_NAME, "a role is a lower_snake_case name such as team_manager");
const isoDate = z.string().refine(isIsoDate, "expected a date in the form YYYY-MM-DD");
const timeOfDay = z.string().refine(isTimeOfDay, "expected a time in the form HH:MM");
const source = z.string().min(1, "say which paragraph of the source document this comes from");
const instigator = z.enum(INSTIGATOR_ROLES);
const days = z.number().int().min(0).max(260);
const stageNumber = z.number().int().min(0).max(20);

export { dayUnit };

/** A role, or a role that differs by the child's service (Gloucestershire's over-11s route). */
export const recipientSchema = z.union([roleName, z.strictObject({ role: roleName, byService: z.record(z.string(), roleName) })]);

export const timescaleSchema = z.union([
  // a fixed response time; `unit` falls back to the procedure's timescaleUnit
  z.strictObject({ days: days.min(1), unit: dayUnit.optional() }),
  // "the IRO is responsible for setting a timescale" (IRO Handbook 3.39);
  // the instigator is the IRO, or the CP Chair in a CP procedure
  z.strictObject({ setBy: z.literal("instigator"), maxWorkingDays: days.min(1).optional() }),
  // no time of its own: due when the overall limit runs out (Birmingham "Day 20")
  z.strictObject({ until: z.literal("overall_limit") }),
  // no response is timed at this stage (e.g. a referral outside the authority)
  z.strictObject({ none: z.string().min(1) }),
]);

const requirementSchema = z.strictObject({
  /** unique within its stage; the same id at two stages is the same act, done once */
  id: z.string().regex(ROLE_NAME, "a requirement id is lower_snake_case"),
  text: z.string().min(1),
  source,
  // the IRO must confirm it (or the log must show it) before the stage is entered
  confirm: z.boolean().default(true),
  // where the document says "must": the stage is not entered until it is done (refused, 409), not only warned of
  blocking: z.boolean().default(false),
});

const remindersSchema = z.strictObject({
  workingDaysBefore: z.array(days.min(1)).default([2]),
  dueToday: z.boolean().default(true),
});

/** How far a stage's deadline may be moved by agreement. */
export const extensionsSchema = z.strictObject({
  /** how many extensions a stage may have; null: no limit */
  max: z.number().int().min(0).nullable(),
  /** all extensions of a stage together may add at most this many working days */
  totalWorkingDays: days.min(1).optional(),
  source: z.string().optional(),
});

/** People told when an informal stage opens and closes (WF §11.1: register with business support). */
const registerSchema = z.strictObject({ to: recipientSchema, copied: z.array(recipientSchema).default([]), source });

export const stageSchema = z.strictObject({
  stage: stageNumber,
  name: z.string().min(1),
  formal: z.boolean().default(true),
  /** who is asked to respond; absent only on a referral stage */
  recipient: recipientSchema.optional(),
  copied: z.array(recipientSchema).default([]),
  /**
   * Entering this stage is the referral to Cafcass (Newham stage 5: "IRO to
   * escalate to CAFCASS and alert DCS"): the referral is recorded and the
   * nominated officers alerted. Cafcass is never emailed.
   */
  referral: z.boolean().default(false),
  /** the role that escalates into this stage, when it is not the instigator (Birmingham §3.13: the IRO Service) */
  escalatedBy: recipientSchema.optional(),
  /** the recipient convenes a meeting with the instigator by the stage's deadline */
  meeting: z
    .strictObject({
      /** false: a meeting may be held (Birmingham §3.10); true: it must be, by the deadline */
      required: z.boolean(),
      /** invited to the meeting: listed for the convener, not copied */
      invitees: z.array(recipientSchema).default([]),
      source,
    })
    .optional(),
  timescale: timescaleSchema,
  /** The recipient and IRO may agree a different timescale (WF 4.2 "unless an alternative timescale has been agreed"). */
  timescaleMayBeAgreed: z.boolean().default(false),
  reminders: remindersSchema.optional(),
  requires: z.array(requirementSchema).default([]),
  entry: z
    .strictObject({
      /** who may be at this stage at all; defaults to the procedure's raisedBy */
      by: z.array(instigator).optional(),
    })
    .default({}),
  extensions: extensionsSchema.optional(),
  register: registerSchema.optional(),
  /**
   * What the procedure says to people copied at this stage (all of them, or
   * one role): the Chief Executive "put on notice" (Gloucestershire ¶22), the
   * IRO Service HoS who tells the Court Leads Group (Birmingham §3.11).
   */
  forCopied: z
    .array(
      z.strictObject({
        role: recipientSchema.optional(),
        text: z.string().min(1),
        source,
        /** the text states that this requirement was done: said only when the record shows it */
        ifRecorded: z.string().regex(ROLE_NAME, "a requirement id").optional(),
        /** what is said instead when the record does not show it */
        otherwise: z.string().min(1).optional(),
      }),
    )
    .default([]),
  /** how this stage's recipient responds, where it differs from the procedure's (WF §1.6: the DHoS investigates) */
  howToRespond: z.string().min(1).optional(),
  /** what the instigator (only) is told to do when this stage's timescale runs out */
  whenTimescaleEnds: z.string().optional(),
  /** what the instigator (only) is asked to do when the dispute is resolved at this stage (Gloucestershire ¶9, ¶14, ¶17) */
  whenResolved: z.string().optional(),
  source,
});

export const termsSchema = z.strictObject({
  /** the noun for a dispute: "dispute", "alert", "concern" */
  dispute: z.string().min(1).default("dispute"),
  /** the noun for a step: "stage", "level" */
  stage: z.string().min(1).default("stage"),
  /** what is disputed: "care plan", "child protection plan"; defaults by procedure */
  plan: z.string().min(1).optional(),
  /**
   * abbreviations the emails spell out at first use, added to (or replacing)
   * the ones every procedure has: IRO, CP Chair, QA, Cafcass
   */
  abbreviations: z.record(z.string().min(1), z.string().min(1)).default({}),
});

export const procedureSchema = z.strictObject({
  name: z.string().min(1),
  source,
  /** overrides the authority's subject prefix for this procedure's emails */
  subjectPrefix: z.string().min(1).optional(),
  raisedBy: z.array(instigator).min(1),
  terms: termsSchema.default({ dispute: "dispute", stage: "stage", abbreviations: {} }),
  /** what the recipient of a stage is told about how to respond ("{instigator}" is their name); default: reply to the instigator */
  howToRespond: z.string().min(1).optional(),
  /** said in every email to the instigator (the national standards: keep the child informed) */
  instigatorNotes: z.array(z.strictObject({ text: z.string().min(1), source })).default([]),
  qaInbox: roleName.default("qa_inbox"),
  /** the IRO's (or chair's) own manager, told when the overall limit is near or breached; needed only with an overallLimit */
  iroManager: roleName.optional(),
  /**
   * The dispute is about a named IRO or CP Chair, not a child's plan (WF §1.6:
   * a concern about their performance): raising it names them, and they are
   * never emailed about it — they are not an addressee of any kind.
   */
  concerning: z.strictObject({ roles: z.array(z.enum(CHAIR_ROLES)).min(1), source }).optional(),
  timescaleUnit: dayUnit.default("working_days"),
  /** where a dispute may start, and whether an escalation may skip stages */
  entry: z
    .strictObject({
      /** stages a dispute may be raised at; all of them when absent */
      startAt: z.array(stageNumber).min(1).optional(),
      /** may an escalation jump over formal stages (bypass)? */
      skipping: z.boolean().default(true),
      /** shown to the instigator who starts above the first formal stage or skips one */
      note: z.string().min(1).optional(),
      source: z.string().optional(),
    })
    .default({ skipping: true }),
  /** only where the document (or the national standards) names one */
  overallLimit: z
    .strictObject({
      workingDays: days.min(1),
      clockStarts: z.enum(["first_formal_stage"]),
      warnWorkingDaysBefore: days.min(1).default(5),
      source,
    })
    .optional(),
  reminders: remindersSchema.default({ workingDaysBefore: [2], dueToday: true }),
  /** the default for every stage without `extensions` of its own */
  extensions: extensionsSchema.default({ max: null }),
  /** the instigator records the outcome within this time of a response (Newham's form) */
  decisionAfterResponse: z.strictObject({ days: days.min(1), unit: dayUnit.optional(), source }).optional(),
  requestedActions: z.strictObject({ maxWorkingDays: days.min(1), source }).optional(),
  cafcass: z
    .strictObject({
      referralBy: z.array(instigator).default(["iro"]),
      /** when a referral ends the dispute: always, only once the last stage is reached, or never */
      referralCloses: z.enum(["always", "at_last_stage", "never"]),
      /** told of a referral (IRO Handbook 8.12); with none, the QA inbox is */
      nominatedOfficers: z.array(recipientSchema).default([]),
      /**
       * where the procedure names those officers otherwise than the Handbook's
       * "nominated officer": their title in sentences, and why they are told
       * (Newham §7 stage 5: "alert DCS")
       */
      officersAre: z.strictObject({ title: z.string().min(1), told: z.string().min(1), source }).optional(),
      /** copied on the referral notice besides the instigator and the QA inbox */
      copied: z.array(recipientSchema).default([]),
      /** a step before referring: tell the nominated officers that a referral is being considered */
      beforeReferral: z
        .strictObject({
          requires: z.array(requirementSchema).default([]),
          /** what the instigator must explain to the nominated officer */
          text: z.string().min(1),
          source,
        })
        .optional(),
      source,
    })
    .optional(),
  /** who is copied when the dispute closes, in place of the stage's copies and the QA inbox */
  closing: z.strictObject({ copied: z.array(recipientSchema), source }).optional(),
  /** what the instigator (only) is asked to do when a formal dispute closes, however (Gloucestershire ¶24) */
  whenClosed: z.string().optional(),
  /** the deadlines after a statutory review or conference, before any dispute (src/domain/review/config.ts) */
  reviews: reviewsSchema.optional(),
  stages: z.array(stageSchema).min(1),
});

export const authoritySchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, "an authority id is lower-case letters, digits and hyphens"),
  /** the name people know it by, in every email */
  name: z.string().min(1),
  source: z.string().min(1),
  /** how emails cite the document: "Birmingham procedure §3.8" */
  documentName: z.string().min(1),
  template: z.boolean().default(false),
  timeZone: z.string().refine(isTimeZone, "expected an IANA time zone such as Europe/London").default("Europe/London"),
  openingTime: timeOfDay.default("09:00"),
  closeOfBusiness: timeOfDay.default("17:00"),
  closureDays: z.array(z.strictObject({ date: isoDate, name: z.string().optional() })).default([]),
  subjectPrefix: z.string().min(1),
  /** dispute references are <prefix>-<year>-<number>; defaults to the id's first letters */
  referencePrefix: z
    .string()
    .regex(/^[A-Z][A-Z0-9]{1,5}$/, "two to six capital letters or digits")
    .optional(),
  protectiveMarking: z.string().optional(),
  caseRecordUrl: z
    .string()
    .refine((s) => s.includes("{childRef}"), "the case record URL template must contain {childRef}")
    .optional(),
  roles: z.record(roleName, z.string().min(1)).default({}),
  roleLabels: z.record(roleName, z.string().min(1)).default({}),
  categories: z
    .array(
      z.strictObject({
        id: z.string().regex(ROLE_NAME, "a category id is lower_snake_case"),
        label: z.string().min(1),
        /** the procedures this category belongs to; all of them when absent */
        procedures: z.array(z.enum(PROCEDURE_IDS)).optional(),
        source: z.string().optional(),
      }),
    )
    .min(1),
  procedures: z
    .partialRecord(z.enum(PROCEDURE_IDS), procedureSchema)
    .refine((p) => Object.keys(p).length > 0, `at least one procedure (${PROCEDURE_IDS.join(", ")})`),
  /** the regular reports the document asks for (src/domain/report/config.ts) */
  reports: z.array(reportSchema).default([]),
  /** the registers the QA service keeps beside the disputes (src/domain/register/config.ts) */
  registers: registersSchema,
});

export type AuthorityFile = z.infer<typeof authoritySchema>;
export type ProcedureFile = z.infer<typeof procedureSchema>;
export type StageFile = z.infer<typeof stageSchema>;
export type Recipient = z.infer<typeof recipientSchema>;
export type Timescale = z.infer<typeof timescaleSchema>;
export type DayUnit = z.infer<typeof dayUnit>;
export type Requirement = z.infer<typeof requirementSchema>;
export type Extensions = z.infer<typeof extensionsSchema>;
