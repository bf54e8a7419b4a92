// An authority file, checked beyond its shape and made ready to use: defaults
// filled in, roles checked against the known list, and its calendar built.
import type { z } from "zod";
import { parseIsoDate } from "../calendar/dates.ts";
import { WorkingDayCalendar } from "../calendar/working-days.ts";
import { INSTIGATOR_LABELS, type InstigatorRole, isKnownRole, KNOWN_ROLES } from "./roles.ts";
import { type AuthorityFile, authoritySchema, type ProcedureFile, type Recipient, type StageFile } from "./schema.ts";

export type ProcedureId = "iro" | "cp";

export interface Stage extends Omit<StageFile, "entry" | "reminders" | "maxExtensions"> {
  entry: { by: InstigatorRole[]; direct: InstigatorRole[]; bypassRequires?: string };
  reminders: { workingDaysBefore: number[]; dueToday: boolean };
  maxExtensions: number | null;
}

export interface Procedure extends Omit<ProcedureFile, "stages"> {
  id: ProcedureId;
  stages: Stage[];
}

export interface Authority extends Omit<AuthorityFile, "procedures"> {
  procedures: Partial<Record<ProcedureId, Procedure>>;
  calendar: WorkingDayCalendar;
}

export interface ConfigIssue {
  field: string;
  message: string;
}

export class AuthorityConfigError extends Error {
  override name = "AuthorityConfigError";
  constructor(
    readonly file: string,
    readonly issues: ConfigIssue[],
  ) {
    super(issues.map((i) => `${file}: ${i.field}: ${i.message}`).join("\n"));
  }
}

/** "procedures.iro.stages[2].timescale.days" from a zod path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(top level)";
}

export function compileAuthority(data: unknown, file: string): Authority {
  const parsed = authoritySchema.safeParse(data);
  if (!parsed.success) {
    throw new AuthorityConfigError(
      file,
      parsed.error.issues.map((i) => ({ field: fieldPath(i.path), message: describeIssue(i) })),
    );
  }
  const a = parsed.data;
  const issues = checkMeaning(a);
  if (issues.length) throw new AuthorityConfigError(file, issues);

  const procedures: Authority["procedures"] = {};
  for (const [id, p] of Object.entries(a.procedures) as [ProcedureId, ProcedureFile][]) {
    procedures[id] = {
      ...p,
      id,
      stages: p.stages.map((s) => {
        const by = s.entry.by ?? p.raisedBy;
        return {
          ...s,
          entry: { by, direct: s.entry.direct ?? by, bypassRequires: s.entry.bypassRequires },
          reminders: s.reminders ?? p.reminders,
          maxExtensions: s.maxExtensions === undefined ? p.maxExtensionsPerStage : s.maxExtensions,
        };
      }),
    };
  }
  const calendar = new WorkingDayCalendar(a.closureDays.map((c) => ({ date: parseIsoDate(c.date), name: c.name })));
  return { ...a, procedures, calendar };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `unknown field(s) ${issue.keys.join(", ")}`;
  if (issue.code === "invalid_union") return "does not match any allowed form (see the schema in src/domain/procedure/schema.ts)";
  return issue.message;
}

function recipientRoles(r: Recipient): string[] {
  return typeof r === "string" ? [r] : [r.role, ...Object.values(r.byService)];
}

// Rules a schema cannot say: every role is one we know or one the file
// declares; stages ascend; informal stages come before formal ones.
function checkMeaning(a: AuthorityFile): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const declared = new Set(Object.keys(a.roles));
  const checkRole = (role: string, field: string): void => {
    if (!isKnownRole(role) && !declared.has(role)) {
      issues.push({ field, message: `unknown role "${role}": use one of the known roles or declare it under roles:` });
    }
  };
  const checkRecipient = (r: Recipient, field: string): void => {
    for (const role of recipientRoles(r)) checkRole(role, field);
  };
  for (const role of Object.keys(a.roleLabels)) checkRole(role, `roleLabels.${role}`);
  const categoryIds = new Set<string>();
  a.categories.forEach((c, i) => {
    if (categoryIds.has(c.id)) issues.push({ field: `categories[${i}].id`, message: `duplicate category "${c.id}"` });
    if (c.id === "other") issues.push({ field: `categories[${i}].id`, message: `"other" is always accepted; do not list it` });
    categoryIds.add(c.id);
  });
  for (const [pid, p] of Object.entries(a.procedures)) {
    const at = `procedures.${pid}`;
    checkRole(p.qaInbox, `${at}.qaInbox`);
    checkRole(p.iroManager, `${at}.iroManager`);
    for (const [i, r] of (p.cafcass?.nominatedOfficers ?? []).entries()) checkRecipient(r, `${at}.cafcass.nominatedOfficers[${i}]`);
    let previous = -1;
    let seenFormal = false;
    p.stages.forEach((s, i) => {
      const st = `${at}.stages[${i}]`;
      if (s.stage <= previous) issues.push({ field: `${st}.stage`, message: `stage ${s.stage} must come after stage ${previous}` });
      previous = s.stage;
      if (s.formal) seenFormal = true;
      else if (seenFormal) issues.push({ field: `${st}.formal`, message: "an informal stage cannot follow a formal one" });
      checkRecipient(s.recipient, `${st}.recipient`);
      for (const [j, r] of s.copied.entries()) checkRecipient(r, `${st}.copied[${j}]`);
      if (!s.formal && "until" in s.timescale) {
        issues.push({ field: `${st}.timescale`, message: "an informal stage is outside the overall limit, so cannot run until it" });
      }
      for (const who of s.entry.direct ?? []) {
        if (!(s.entry.by ?? p.raisedBy).includes(who)) {
          issues.push({ field: `${st}.entry.direct`, message: `${who} may enter directly but is not allowed at this stage (entry.by)` });
        }
      }
    });
    if (!seenFormal) issues.push({ field: `${at}.stages`, message: "a procedure needs at least one formal stage" });
  }
  return issues;
}

// ---- small questions about a procedure, asked in many places ----

export function stageOf(p: Procedure, n: number): Stage | undefined {
  return p.stages.find((s) => s.stage === n);
}

export function lastStage(p: Procedure): Stage {
  return p.stages[p.stages.length - 1]!;
}

export function firstFormalStage(p: Procedure): Stage {
  return p.stages.find((s) => s.formal)!;
}

/** The role a recipient resolves to for a child in `service` (Gloucestershire's over-11s route). */
export function roleFor(r: Recipient, service?: string): string {
  if (typeof r === "string") return r;
  return (service !== undefined && r.byService[service]) || r.role;
}

export function roleLabel(a: Pick<Authority, "roleLabels" | "roles">, role: string): string {
  if (role in INSTIGATOR_LABELS) return INSTIGATOR_LABELS[role as InstigatorRole];
  return a.roleLabels[role] ?? a.roles[role] ?? (isKnownRole(role) ? KNOWN_ROLES[role] : role);
}
