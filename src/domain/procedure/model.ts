// An authority file, checked beyond its shape and made ready to use: defaults
// filled in, roles checked against the known list, and its calendar built.
import type { z } from "zod";
import { parseIsoDate } from "../calendar/dates.ts";
import { WorkingDayCalendar } from "../calendar/working-days.ts";
import { checkRegisters } from "../register/config.ts";
import { fieldPath } from "./field-path.ts";
import type { ProcedureId } from "./ids.ts";

export { fieldPath } from "./field-path.ts";

import { CAFCASS, INSTIGATOR_LABELS, type InstigatorRole, isKnownRole, KNOWN_ROLES } from "./roles.ts";
import {
  type AuthorityFile,
  authoritySchema,
  type Extensions,
  type ProcedureFile,
  type Recipient,
  type Requirement,
  type StageFile,
} from "./schema.ts";

export { isProcedureId, PROCEDURE_IDS, type ProcedureId } from "./ids.ts";

export interface Stage extends Omit<StageFile, "entry" | "reminders" | "extensions"> {
  entry: { by: InstigatorRole[] };
  reminders: { workingDaysBefore: number[]; dueToday: boolean };
  extensions: Extensions;
}

export interface Terms {
  dispute: string;
  stage: string;
  plan: string;
  /** spelled out once in each email: the defaults below and the file's own */
  abbreviations: Readonly<Record<string, string>>;
}

/** Every procedure's abbreviations (IRO Handbook; Working Together); a file may add to them or word them its own way. */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  IRO: "Independent Reviewing Officer",
  "CP Chair": "Child Protection Chair",
  QA: "quality assurance",
  Cafcass: "the Children and Family Court Advisory and Support Service",
};

export interface Procedure extends Omit<ProcedureFile, "stages" | "terms" | "entry" | "extensions"> {
  id: ProcedureId;
  terms: Terms;
  entry: { startAt: number[]; skipping: boolean; note?: string; source?: string };
  stages: Stage[];
}

/** What is disputed, when the file does not say. */
const PLAN_BY_PROCEDURE: Record<ProcedureId, string> = {
  iro: "care plan",
  cp: "child protection plan",
  performance: "performance of an IRO or CP Chair",
};

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
    const { extensions, ...rest } = p;
    procedures[id] = {
      ...rest,
      id,
      terms: {
        dispute: p.terms.dispute,
        stage: p.terms.stage,
        plan: p.terms.plan ?? PLAN_BY_PROCEDURE[id],
        abbreviations: { ...ABBREVIATIONS, ...p.terms.abbreviations },
      },
      entry: { ...p.entry, startAt: p.entry.startAt ?? p.stages.map((s) => s.stage) },
      stages: p.stages.map((s) => ({
        ...s,
        entry: { by: s.entry.by ?? p.raisedBy },
        reminders: s.reminders ?? p.reminders,
        extensions: s.extensions ?? extensions,
      })),
    };
  }
  const calendar = new WorkingDayCalendar(a.closureDays.map((c) => ({ date: parseIsoDate(c.date), name: c.name })));
  return { ...a, procedures, calendar };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `unknown field(s) ${issue.keys.join(", ")}`;
  // a discriminated union (registers:) says which kinds there are in its own message
  if (issue.code === "invalid_union" && "note" in issue && issue.note === "No matching discriminator") return issue.message;
  if (issue.code === "invalid_union") return "does not match any allowed form (see the schema in src/domain/procedure/schema.ts)";
  return issue.message;
}

function recipientRoles(r: Recipient): string[] {
  return typeof r === "string" ? [r] : [r.role, ...Object.values(r.byService)];
}

// Rules a schema cannot say: every role is one we know or one the file
// declares, and Cafcass is never an addressee; stages ascend; informal stages
// come before formal ones; what a stage is (response, meeting, referral) fits.
function checkMeaning(a: AuthorityFile): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const declared = new Set(Object.keys(a.roles));
  const checkRole = (role: string, field: string): void => {
    if (role === CAFCASS) {
      issues.push({
        field,
        message:
          "Cafcass is outside the authority and is never asked to respond or copied: make the stage a referral stage (referral: true)",
      });
    } else if (!isKnownRole(role) && !declared.has(role)) {
      issues.push({ field, message: `unknown role "${role}": use one of the known roles or declare it under roles:` });
    }
  };
  const checkRecipient = (r: Recipient, field: string): void => {
    for (const role of recipientRoles(r)) checkRole(role, field);
  };
  const checkRecipients = (rs: readonly Recipient[], field: string): void => {
    for (const [j, r] of rs.entries()) checkRecipient(r, `${field}[${j}]`);
  };
  const checkRequirements = (rs: readonly Requirement[], field: string): void => {
    const ids = new Set<string>();
    for (const [j, r] of rs.entries()) {
      if (ids.has(r.id))
        issues.push({ field: `${field}[${j}].id`, message: `"${r.id}" is listed twice; give each requirement its own id` });
      ids.add(r.id);
    }
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
    if (p.iroManager) checkRole(p.iroManager, `${at}.iroManager`);
    else if (p.overallLimit)
      issues.push({ field: `${at}.iroManager`, message: "who is the instigator's manager, told when the overall limit nears or passes?" });
    if (p.cafcass) {
      checkRecipients(p.cafcass.nominatedOfficers, `${at}.cafcass.nominatedOfficers`);
      checkRecipients(p.cafcass.copied, `${at}.cafcass.copied`);
      checkRequirements(p.cafcass.beforeReferral?.requires ?? [], `${at}.cafcass.beforeReferral.requires`);
    }
    if (p.closing) checkRecipients(p.closing.copied, `${at}.closing.copied`);
    const numbers = new Set(p.stages.map((s) => s.stage));
    for (const [i, n] of (p.entry.startAt ?? []).entries()) {
      if (!numbers.has(n)) issues.push({ field: `${at}.entry.startAt[${i}]`, message: `there is no stage ${n}` });
    }
    let previous = -1;
    let seenFormal = false;
    p.stages.forEach((s, i) => {
      const st = `${at}.stages[${i}]`;
      if (s.stage <= previous) issues.push({ field: `${st}.stage`, message: `stage ${s.stage} must come after stage ${previous}` });
      previous = s.stage;
      if (s.formal) seenFormal = true;
      else if (seenFormal) issues.push({ field: `${st}.formal`, message: "an informal stage cannot follow a formal one" });
      if (s.referral) {
        if (s.recipient) issues.push({ field: `${st}.recipient`, message: "a referral stage has no recipient: Cafcass is never emailed" });
        if (!p.cafcass) issues.push({ field: `${st}.referral`, message: "a referral stage needs the procedure's cafcass: section" });
        if (!s.formal) issues.push({ field: `${st}.formal`, message: "a referral stage is formal" });
        if (s.meeting) issues.push({ field: `${st}.meeting`, message: "a referral stage has no meeting" });
      } else if (!s.recipient) {
        issues.push({ field: `${st}.recipient`, message: "who is asked to respond at this stage? (only a referral stage has none)" });
      } else checkRecipient(s.recipient, `${st}.recipient`);
      checkRecipients(s.copied, `${st}.copied`);
      checkRecipients(s.meeting?.invitees ?? [], `${st}.meeting.invitees`);
      if (s.escalatedBy) checkRecipient(s.escalatedBy, `${st}.escalatedBy`);
      for (const [j, f] of s.forCopied.entries()) if (f.role) checkRecipient(f.role, `${st}.forCopied[${j}].role`);
      if (s.register) {
        if (s.formal)
          issues.push({ field: `${st}.register`, message: "only informal stages are registered; formal ones copy the QA inbox" });
        checkRecipient(s.register.to, `${st}.register.to`);
        checkRecipients(s.register.copied, `${st}.register.copied`);
      }
      checkRequirements(s.requires, `${st}.requires`);
      if (!s.formal && "until" in s.timescale) {
        issues.push({ field: `${st}.timescale`, message: "an informal stage is outside the overall limit, so cannot run until it" });
      }
      if ("until" in s.timescale && !p.overallLimit) {
        issues.push({ field: `${st}.timescale`, message: "runs until the overall limit, but the procedure has no overallLimit" });
      }
      for (const who of s.entry.by ?? []) {
        if (!p.raisedBy.includes(who))
          issues.push({ field: `${st}.entry.by`, message: `${who} does not raise disputes under this procedure` });
      }
    });
    if (!seenFormal) issues.push({ field: `${at}.stages`, message: "a procedure needs at least one formal stage" });
    const ids = new Set<string>();
    for (const [i, d] of (p.reviews?.deadlines ?? []).entries()) {
      const f = `${at}.reviews.deadlines[${i}]`;
      if (ids.has(d.id)) issues.push({ field: `${f}.id`, message: `duplicate deadline "${d.id}"` });
      ids.add(d.id);
      if (d.who !== "chair") checkRole(d.who, `${f}.who`);
      for (const [j, role] of d.copied.entries()) checkRole(role, `${f}.copied[${j}]`);
      if (d.from === "decisions_sent" && !p.reviews!.deadlines.some((x) => x.metBy === "decisions_sent"))
        issues.push({ field: `${f}.from`, message: "runs from the decisions being sent, but no deadline is met by sending them" });
      if (d.whenMissed === "agreed" && !d.agreedText)
        issues.push({ field: `${f}.agreedText`, message: "say what the email tells people when no response means agreement" });
    }
  }
  const reportIds = new Set<string>();
  a.reports.forEach((r, i) => {
    const at = `reports[${i}]`;
    if (reportIds.has(r.id)) issues.push({ field: `${at}.id`, message: `duplicate report "${r.id}"` });
    reportIds.add(r.id);
    if (a.reports.some((o, j) => j < i && o.every === r.every))
      issues.push({ field: `${at}.every`, message: `a second ${r.every}ly report: \`drp report --period\` could not tell them apart` });
    for (const [j, role] of r.to.entries()) checkRole(role, `${at}.to[${j}]`);
    for (const [j, role] of r.copied.entries()) checkRole(role, `${at}.copied[${j}]`);
    const covered = r.procedures ?? (Object.keys(a.procedures) as (keyof typeof a.procedures)[]);
    if (r.sections.includes("reviews") && !covered.some((pid) => a.procedures[pid]?.reviews))
      issues.push({ field: `${at}.sections`, message: "lists reviews, but no procedure it covers sets deadlines after a review" });
    for (const [j, pid] of (r.procedures ?? []).entries())
      if (!a.procedures[pid]) issues.push({ field: `${at}.procedures[${j}]`, message: `there is no ${pid} procedure` });
  });
  issues.push(...checkRegisters(a, checkRole));
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

/** A role's title: the authority's own first (WF's "Team Manager", who may also raise a §1.6 concern), then the instigators', then the known ones. */
export function roleLabel(a: Pick<Authority, "roleLabels" | "roles">, role: string): string {
  if (Object.hasOwn(a.roleLabels, role)) return a.roleLabels[role]!;
  if (Object.hasOwn(INSTIGATOR_LABELS, role)) return INSTIGATOR_LABELS[role as InstigatorRole];
  if (Object.hasOwn(a.roles, role)) return a.roles[role]!;
  return isKnownRole(role) ? KNOWN_ROLES[role] : role;
}

/** Who raises disputes under a procedure, in one phrase: "IRO", "CP Chair", "Team Manager or Social Worker". */
export function instigatorsOf(p: Pick<Procedure, "raisedBy">): string {
  const names = p.raisedBy.map((r) => INSTIGATOR_LABELS[r]);
  return names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

/** "set by the IRO", "set by the CP Chair": a timescale the procedure leaves to whoever raises the dispute. */
export function setByWords(p: Pick<Procedure, "raisedBy">): `set by the ${string}` {
  return `set by the ${instigatorsOf(p)}`;
}

/** The title of the role a recipient resolves to for the child's service ("Head of Service" for over-11s). */
export function recipientLabel(a: Authority, r: Recipient | undefined, service?: string): string {
  return r === undefined ? "" : roleLabel(a, roleFor(r, service));
}

/** May a dispute be raised at this stage (before asking who raises it)? */
export function mayStartAt(p: Procedure, stage: Stage): boolean {
  return p.entry.startAt.includes(stage.stage);
}

/** The formal stages strictly between two stages, that `by` could have entered: skipped by a jump from one to the other. */
export function skippedStages(p: Procedure, from: number, to: number, by: InstigatorRole): Stage[] {
  return p.stages.filter((s) => s.stage > from && s.stage < to && s.formal && s.entry.by.includes(by));
}

/** The stage an escalation goes to by default: the next one the instigator may enter. */
export function nextStage(p: Procedure, from: Stage, by: InstigatorRole): Stage | undefined {
  return p.stages.find((s) => s.stage > from.stage && s.entry.by.includes(by));
}

/**
 * Who is told of a Cafcass referral, as a sentence names them: the procedure's
 * own title for them (Newham's "DCS"), IRO Handbook 8.12's nominated officer,
 * or the QA inbox where the procedure names none.
 */
export function referralOfficers(p: Procedure): { title: string; verb: "is" | "are" } {
  const c = p.cafcass;
  if (!c || c.nominatedOfficers.length === 0) return { title: "the QA inbox", verb: "is" };
  const verb = c.nominatedOfficers.length > 1 ? "are" : "is";
  return { title: c.officersAre?.title ?? (verb === "are" ? "the nominated officers" : "the nominated officer"), verb };
}

/** Documents that a source may cite by their own name; anything else is the authority's document. */
const OTHER_DOCUMENTS = /^(IRO Handbook|national standards|Working Together|Care Planning)/i;

/** Cite a paragraph by the document's name ("Birmingham procedure §3.8"), never by a file. */
export function cite(a: Pick<Authority, "documentName">, source: string): string {
  if (OTHER_DOCUMENTS.test(source) || source.startsWith(a.documentName)) return source;
  return /^[§¶]/.test(source) ? `${a.documentName} ${source}` : `${a.documentName}, ${source}`;
}
