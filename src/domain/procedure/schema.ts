// The shape of an authority file (authorities/<id>.yaml). Every field an
// authority may differ on lives here; code never branches on an authority id.
import { z } from "zod";
import { isIsoDate } from "../calendar/dates.ts";
import { isTimeOfDay, isTimeZone } from "../calendar/local-time.ts";
import { INSTIGATOR_ROLES, ROLE_NAME } from "./roles.ts";

const roleName = z.string().regex(ROLE_NAME, "a role is a lower_snake_case name such as team_manager");
const isoDate = z.string().refine(isIsoDate, "expected a date in the form YYYY-MM-DD");
const timeOfDay = z.string().refine(isTimeOfDay, "expected a time in the form HH:MM");
const source = z.string().min(1, "say which paragraph of the source document this comes from");
const instigator = z.enum(INSTIGATOR_ROLES);
const days = z.number().int().min(0).max(260);

export const dayUnit = z.enum(["working_days", "calendar_days"]);

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
  id: z.string().regex(ROLE_NAME, "a requirement id is lower_snake_case"),
  text: z.string().min(1),
  source,
  // the IRO must confirm it (or the log must show it) before the stage is entered
  confirm: z.boolean().default(true),
});

const remindersSchema = z.strictObject({
  workingDaysBefore: z.array(days.min(1)).default([2]),
  dueToday: z.boolean().default(true),
});

export const stageSchema = z.strictObject({
  stage: z.number().int().min(0).max(20),
  name: z.string().min(1),
  formal: z.boolean().default(true),
  recipient: recipientSchema,
  copied: z.array(recipientSchema).default([]),
  timescale: timescaleSchema,
  /** The recipient and IRO may agree a different timescale (WF 4.2 "unless an alternative timescale has been agreed"). */
  timescaleMayBeAgreed: z.boolean().default(false),
  reminders: remindersSchema.optional(),
  requires: z.array(requirementSchema).default([]),
  entry: z
    .strictObject({
      /** who may be at this stage at all; defaults to the procedure's raisedBy */
      by: z.array(instigator).optional(),
      /** who may start a dispute here or jump to it over earlier stages (bypass) */
      direct: z.array(instigator).optional(),
      /** what the IRO must do before a bypass into this stage */
      bypassRequires: z.string().optional(),
    })
    .default({}),
  maxExtensions: z.number().int().min(0).nullable().optional(),
  /** what the IRO is told to do when this stage's timescale runs out */
  whenTimescaleEnds: z.string().optional(),
  source,
});

export const procedureSchema = z.strictObject({
  name: z.string().min(1),
  source,
  /** overrides the authority's subject prefix for this procedure's emails */
  subjectPrefix: z.string().min(1).optional(),
  raisedBy: z.array(instigator).min(1),
  qaInbox: roleName.default("qa_inbox"),
  /** the IRO's (or chair's) own manager, told when the overall limit is near or breached */
  iroManager: roleName,
  timescaleUnit: dayUnit.default("working_days"),
  overallLimit: z.strictObject({
    workingDays: days.min(1),
    clockStarts: z.enum(["first_formal_stage"]),
    warnWorkingDaysBefore: days.min(1).default(5),
    source,
  }),
  reminders: remindersSchema.default({ workingDaysBefore: [2], dueToday: true }),
  maxExtensionsPerStage: z.number().int().min(0).nullable().default(null),
  /** the IRO records the outcome within this time of a response (Newham's form) */
  decisionAfterResponse: z.strictObject({ days: days.min(1), unit: dayUnit.optional(), source }).optional(),
  requestedActions: z.strictObject({ maxWorkingDays: days.min(1), source }).optional(),
  cafcass: z
    .strictObject({
      referralBy: z.array(instigator).default(["iro"]),
      /** when a referral ends the dispute: always, only once the last stage is reached, or never */
      referralCloses: z.enum(["always", "at_last_stage", "never"]),
      nominatedOfficers: z.array(recipientSchema).default([]),
      source,
    })
    .optional(),
  preDispute: z.array(z.strictObject({ name: z.string(), text: z.string(), source })).default([]),
  stages: z.array(stageSchema).min(1),
});

export const authoritySchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, "an authority id is lower-case letters, digits and hyphens"),
  name: z.string().min(1),
  source: z.string().min(1),
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
        procedures: z.array(z.enum(["iro", "cp"])).optional(),
        source: z.string().optional(),
      }),
    )
    .min(1),
  procedures: z
    .partialRecord(z.enum(["iro", "cp"]), procedureSchema)
    .refine((p) => Object.keys(p).length > 0, "at least one procedure (iro or cp)"),
});

export type AuthorityFile = z.infer<typeof authoritySchema>;
export type ProcedureFile = z.infer<typeof procedureSchema>;
export type StageFile = z.infer<typeof stageSchema>;
export type Recipient = z.infer<typeof recipientSchema>;
export type Timescale = z.infer<typeof timescaleSchema>;
export type DayUnit = z.infer<typeof dayUnit>;
