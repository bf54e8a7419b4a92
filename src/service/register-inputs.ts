// What callers send to the registers (the SLT action log, the good-practice
// register), shared by the HTTP API and the CLI. Free text may have lines;
// names and references are one line (inputs.ts).
import { z } from "zod";
import { CHAIR_ROLES } from "../domain/procedure/roles.ts";
import { GOOD_PRACTICE_ABOUT, GOOD_PRACTICE_PROCEDURES } from "../domain/register/good-practice.ts";
import { ACTION_STATUSES } from "../domain/register/slt-actions.ts";
import { caseId, freeText, isoDate, person, singleLine } from "./inputs.ts";

const version = z.number().int().min(1).optional();

/** POST /registers/slt-actions: an action agreed at SLT (Newham §10). */
export const sltActionInput = z.object({
  action: freeText(2_000, 1),
  /** a role or a senior manager's name, as SLT recorded it */
  owner: singleLine(200),
  agreedOn: isoDate,
  dueOn: isoDate.optional(),
});
export type SltActionInput = z.infer<typeof sltActionInput>;

/** POST /registers/slt-actions/:id/progress: progress recorded at a later meeting. */
export const sltProgressInput = z.object({ on: isoDate, note: freeText(2_000, 1), version });
export type SltProgressInput = z.infer<typeof sltProgressInput>;

/** PATCH /registers/slt-actions/:id: done, dropped or open again; a new due date; a note with it. */
export const sltUpdateInput = z
  .object({
    status: z.enum(ACTION_STATUSES).optional(),
    /** the day it was done or dropped (default: today) */
    on: isoDate.optional(),
    dueOn: isoDate.nullable().optional(),
    note: freeText(2_000, 1).optional(),
    version,
  })
  .refine((u) => u.status !== undefined || u.dueOn !== undefined, { message: "give a status or a dueOn", path: ["status"] });
export type SltUpdateInput = z.infer<typeof sltUpdateInput>;

export const sltListInput = z.object({
  period: z.string().max(20).optional().describe("a month (2027-01) or a quarter (2027-Q1): the actions open in it or closed in it"),
  status: z.enum(ACTION_STATUSES).optional(),
});

/** POST /registers/good-practice (WF §1.2, §11.1). */
export const goodPracticeInput = z.object({
  noticedOn: isoDate,
  procedure: z.enum(GOOD_PRACTICE_PROCEDURES),
  /** the team's directory id */
  team: singleLine(100),
  about: z.enum(GOOD_PRACTICE_ABOUT),
  /** the dispute it was noticed in, if any: one of this authority's references */
  disputeReference: singleLine(64).optional(),
  childRef: caseId.optional(),
  description: freeText(2_000, 1),
  /** the IRO or CP Chair who noticed it */
  noticedBy: person.extend({ role: z.enum(CHAIR_ROLES) }),
  /** business support, recording it on the chair's behalf (§11.1) */
  recordedBy: person.optional(),
});
export type GoodPracticeInput = z.infer<typeof goodPracticeInput>;

export const goodPracticeListInput = z.object({
  period: z.string().max(20).optional().describe("a month (2027-01) or a quarter (2027-Q1)"),
  procedure: z.enum(GOOD_PRACTICE_PROCEDURES).optional(),
  team: singleLine(100).optional(),
});
