// The registers the QA service keeps beside the disputes, as an authority file
// declares them (`registers:`): Newham's log of the actions SLT agrees (§10)
// and WF's register of good practice (§1.2, §11.1). Which registers an
// authority keeps is data: code asks for a register by kind, never by authority.
import { z } from "zod";
import { ROLE_NAME } from "../procedure/roles.ts";
import type { ReportSection } from "../report/config.ts";

export const REGISTER_KINDS = ["slt_actions", "good_practice"] as const;
export type RegisterKind = (typeof REGISTER_KINDS)[number];

const roleName = z.string().regex(ROLE_NAME, "a role is a lower_snake_case name such as qa_deputy_head_of_service");
const source = z.string().min(1, "say which paragraph of the source document asks for this register");

const sltActionsSchema = z.strictObject({
  kind: z.literal("slt_actions"),
  name: z.string().min(1).default("SLT action log"),
  source,
});

const goodPracticeSchema = z.strictObject({
  kind: z.literal("good_practice"),
  name: z.string().min(1).default("Good practice register"),
  /** emailed each entry as it is recorded (WF §11.1 "QA DHOS will be copied in"); none: no email */
  copied: z.array(roleName).default([]),
  source,
});

export const registerSchema = z.discriminatedUnion("kind", [sltActionsSchema, goodPracticeSchema], {
  error: `a register's kind is one of ${REGISTER_KINDS.join(", ")}`,
});
export const registersSchema = z.array(registerSchema).default([]);

export type RegisterConfig = z.infer<typeof registerSchema>;
export type SltActionsConfig = z.infer<typeof sltActionsSchema>;
export type GoodPracticeConfig = z.infer<typeof goodPracticeSchema>;

/** The report sections drawn from a register, and the register each needs. */
export const REGISTER_SECTIONS: Partial<Record<ReportSection, RegisterKind>> = {
  slt_actions: "slt_actions",
  good_practice: "good_practice",
};

type Kept = { registers: readonly RegisterConfig[] };

export function registerOf<K extends RegisterKind>(a: Kept, kind: K): Extract<RegisterConfig, { kind: K }> | undefined {
  return a.registers.find((r): r is Extract<RegisterConfig, { kind: K }> => r.kind === kind);
}

/**
 * What the schema cannot say: each kind kept once, its roles known, and a
 * report's register section only where the authority keeps that register.
 * `checkRole` reports an unknown role itself.
 */
export function checkRegisters(
  a: Kept & { reports: readonly { sections: readonly ReportSection[] }[] },
  checkRole: (role: string, field: string) => void,
): { field: string; message: string }[] {
  const issues: { field: string; message: string }[] = [];
  a.registers.forEach((r, i) => {
    if (a.registers.findIndex((o) => o.kind === r.kind) < i)
      issues.push({ field: `registers[${i}].kind`, message: `a second ${r.kind} register: an authority keeps each kind once` });
    if (r.kind === "good_practice") for (const [j, role] of r.copied.entries()) checkRole(role, `registers[${i}].copied[${j}]`);
  });
  for (const [i, rep] of a.reports.entries())
    for (const [j, s] of rep.sections.entries()) {
      const kind = REGISTER_SECTIONS[s];
      if (kind && !registerOf(a, kind))
        issues.push({
          field: `reports[${i}].sections[${j}]`,
          message: `lists ${s}, but the authority keeps no ${kind} register: declare it under registers:`,
        });
    }
  return issues;
}
