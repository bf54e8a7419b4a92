// Importing open disputes from a QA tracker spreadsheet (CSV export). Every
// row is checked first — shape, directory, categories, and its history through
// the state machine — and then either the whole file is written in one
// transaction or nothing is. Rows already imported are skipped, so a file can
// be run again.

import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { loadDirectory } from "../db/queries/directory.ts";
import { disputes } from "../db/schema.ts";
import { isIsoDate, parseIsoDate } from "../domain/calendar/dates.ts";
import type { Directory } from "../domain/directory.ts";
import type { DisputeEvent } from "../domain/dispute/events.ts";
import { applyEvent, type DisputeState } from "../domain/dispute/state.ts";
import { openingTime } from "../domain/procedure/deadlines.ts";
import { type Authority, fieldPath } from "../domain/procedure/model.ts";
import { disputeChanged, type Services } from "./context.ts";
import { insertNewDispute, type PreparedRaise, prepareRaise } from "./disputes.ts";
import { ConflictError, InputError } from "./errors.ts";
import { raiseInput } from "./inputs.ts";

/** The tracker's columns, in the order the README documents them. */
export const TRACKER_COLUMNS = [
  "authority",
  "procedure",
  "child_ref",
  "family_ref",
  "raised_by_name",
  "raised_by_email",
  "raised_by_role",
  "team",
  "categories",
  "other_category",
  "summary",
  "raised_at",
  "raised_stage",
  "timescale_working_days",
  "current_stage",
  "stage_entered_at",
  "extended_until",
  "response_recorded_at",
] as const;

/** The outstanding list's own columns, after the tracker's in its CSV export (service/outstanding-csv.ts); the import reads past them. */
export const LIST_COLUMNS = [
  "reference",
  "stage_name",
  "holder",
  "holder_role",
  "respond_by",
  "working_days_left",
  "overdue",
  "day_of_limit",
  "limit_ends",
] as const;

const REQUIRED = [
  "procedure",
  "child_ref",
  "raised_by_name",
  "raised_by_email",
  "team",
  "categories",
  "summary",
  "raised_at",
  "raised_stage",
];

const optionalInt = z
  .string()
  .trim()
  .transform((s) => (s === "" ? undefined : Number(s)))
  .refine((n) => n === undefined || (Number.isInteger(n) && n >= 0), "expected a whole number");

const row = z.object({
  authority: z.string().trim().optional(),
  procedure: z.string().trim(),
  child_ref: z.string().trim(),
  family_ref: z.string().trim().optional(),
  raised_by_name: z.string().trim(),
  raised_by_email: z.string().trim(),
  raised_by_role: z.string().trim().optional(),
  team: z.string().trim(),
  categories: z.string(),
  other_category: z.string().trim().optional(),
  summary: z.string(),
  raised_at: z.string().trim(),
  raised_stage: optionalInt,
  timescale_working_days: optionalInt.optional(),
  current_stage: optionalInt.optional(),
  stage_entered_at: z.string().trim().optional(),
  extended_until: z.string().trim().optional(),
  response_recorded_at: z.string().trim().optional(),
});

export interface RejectedRow {
  line: number;
  childRef?: string;
  field: string;
  reason: string;
}

export interface ImportReport {
  rows: number;
  imported: number;
  skipped: { line: number; reference: string }[];
  rejected: RejectedRow[];
  dryRun: boolean;
  /** true when nothing was written because some row was rejected */
  abandoned: boolean;
  references: string[];
}

interface Checked {
  line: number;
  prepared: PreparedRaise;
  history: { event: DisputeEvent; warnings: string[] }[];
  state: DisputeState;
}

export interface ImportOptions {
  /** the authority for rows without an authority column */
  authority?: string;
  dryRun?: boolean;
  /** called after each row is checked, for a progress bar */
  progress?: (done: number, total: number) => void;
}

/** "2026-11-02" means that day's opening time; an instant is taken as it is. */
function when(a: Authority, text: string, field: string): Date {
  if (isIsoDate(text)) return openingTime(a, parseIsoDate(text));
  const t = Date.parse(text);
  if (!/T/.test(text) || Number.isNaN(t)) throw new InputError(field, `"${text}" is neither a date (YYYY-MM-DD) nor an ISO 8601 instant`);
  return new Date(t);
}

function checkRow(svc: Services, a: Authority, dir: Directory, r: z.infer<typeof row>): Omit<Checked, "line"> {
  const raisedAt = when(a, r.raised_at, "raised_at");
  const parsed = raiseInput.safeParse({
    procedure: r.procedure,
    childRef: r.child_ref,
    familyRef: r.family_ref || undefined,
    raisedBy: { name: r.raised_by_name, email: r.raised_by_email, role: r.raised_by_role || "iro" },
    team: r.team,
    stage: r.raised_stage,
    categories: r.categories
      .split(/[;|]/)
      .map((c) => c.trim())
      .filter(Boolean),
    otherCategory: r.other_category || undefined,
    summary: r.summary,
    timescaleWorkingDays: r.current_stage === undefined || r.current_stage === r.raised_stage ? r.timescale_working_days : undefined,
    at: raisedAt.toISOString(),
  });
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new InputError(fieldPath(i.path), i.message);
  }
  let prepared: PreparedRaise;
  try {
    prepared = prepareRaise(svc, a, dir, parsed.data);
  } catch (e) {
    // the state machine's refusal of the raise is about the row's stage or role
    if (e instanceof ConflictError) throw new InputError(e.code === "procedure_role" ? "raised_by_role" : "stage", e.message);
    throw e;
  }
  const ctx = { authority: a, procedure: prepared.procedure };
  const history = [{ event: prepared.event, warnings: prepared.warnings }];
  let state = prepared.state;
  const apply = (event: DisputeEvent, field: string) => {
    if (event.at.getTime() > svc.clock.now().getTime()) throw new InputError(field, "is in the future");
    const applied = applyEvent(ctx, state, event, history.length);
    if (!applied.ok) throw new InputError(field, applied.error.message);
    history.push({ event, warnings: applied.warnings });
    state = applied.state;
  };
  if (r.current_stage !== undefined && r.current_stage !== r.raised_stage) {
    if (!r.stage_entered_at) throw new InputError("stage_entered_at", "needed when current_stage differs from raised_stage");
    apply(
      {
        type: "escalated",
        at: when(a, r.stage_entered_at, "stage_entered_at"),
        toStage: r.current_stage,
        timescaleWorkingDays: r.timescale_working_days,
      },
      "current_stage",
    );
  }
  if (r.extended_until) {
    if (!isIsoDate(r.extended_until)) throw new InputError("extended_until", "expected a date YYYY-MM-DD");
    apply({ type: "extension_agreed", at: state.lastAt, until: parseIsoDate(r.extended_until) }, "extended_until");
  }
  if (r.response_recorded_at)
    apply({ type: "response_recorded", at: when(a, r.response_recorded_at, "response_recorded_at") }, "response_recorded_at");
  if (state.status !== "open") throw new InputError("(row)", "the tracker import is for open disputes");
  return { prepared, history, state };
}

export async function importTracker(svc: Services, csv: string, opts: ImportOptions = {}): Promise<ImportReport> {
  let records: Record<string, string>[];
  try {
    records = parse(csv, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: false,
      bom: true,
    });
  } catch (e) {
    throw new InputError("(file)", `not a readable CSV file: ${(e as Error).message}`);
  }
  const header = records.length ? Object.keys(records[0]!) : [];
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (records.length && missing.length) throw new InputError("(header)", `missing column(s): ${missing.join(", ")}`);
  // the outstanding list's own columns (its CSV export) are read past: an export can be imported as it is
  const unknown = header.filter(
    (c) => !(TRACKER_COLUMNS as readonly string[]).includes(c) && !(LIST_COLUMNS as readonly string[]).includes(c),
  );
  if (unknown.length) throw new InputError("(header)", `unknown column(s): ${unknown.join(", ")}; expected ${TRACKER_COLUMNS.join(", ")}`);

  const checked: Checked[] = [];
  const rejected: RejectedRow[] = [];
  const skipped: ImportReport["skipped"] = [];
  const directories = new Map<string, Directory>();
  for (const [i, rec] of records.entries()) {
    const line = i + 2; // the header is line 1
    const parsed = row.safeParse(rec);
    try {
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new InputError(fieldPath(issue.path), issue.message);
      }
      const authorityId = parsed.data.authority || opts.authority;
      if (!authorityId) throw new InputError("authority", "no authority column and no --authority given");
      const a = svc.authorities.get(authorityId);
      if (!a) throw new InputError("authority", `no authority "${authorityId}"`);
      if (opts.authority && authorityId !== opts.authority)
        throw new InputError("authority", `is ${authorityId}, but the import is for ${opts.authority}`);
      const dir = directories.get(a.id) ?? (await loadDirectory(svc.db, a.id));
      directories.set(a.id, dir);
      const c = checkRow(svc, a, dir, parsed.data);
      const [existing] = await svc.db
        .select({ reference: disputes.reference })
        .from(disputes)
        .where(
          and(
            eq(disputes.authorityId, a.id),
            eq(disputes.childRef, c.prepared.input.childRef),
            eq(disputes.procedure, c.prepared.procedure.id),
            eq(disputes.raisedAt, c.prepared.at),
          ),
        );
      if (existing) skipped.push({ line, reference: existing.reference });
      else checked.push({ line, ...c });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      rejected.push({
        line,
        childRef: parsed.success ? parsed.data.child_ref : undefined,
        field: e.field,
        reason: e.message.replace(`${e.field}: `, ""),
      });
    }
    opts.progress?.(i + 1, records.length);
  }

  const report: ImportReport = {
    rows: records.length,
    imported: 0,
    skipped,
    rejected,
    dryRun: !!opts.dryRun,
    abandoned: rejected.length > 0,
    references: [],
  };
  if (opts.dryRun || rejected.length || checked.length === 0) return report;
  const rows = await svc.db.transaction(async (t) => {
    const out = [];
    for (const c of checked) out.push(await insertNewDispute(t, svc, c.prepared, c.history, c.state));
    return out;
  });
  svc.log.info({ imported: rows.length, skipped: skipped.length }, "tracker imported");
  for (const r of rows) disputeChanged(svc, r.id);
  return { ...report, imported: rows.length, references: rows.map((r) => r.reference) };
}
