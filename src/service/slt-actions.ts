// SLT's Action Log, kept by the QA service (Newham §10): actions agreed at the
// meeting, progress recorded at later ones, each done or dropped in its turn.
// Shared by the API and the CLI. The action, its owner and each note are free
// text: never logged (ids and references only).
import { and, asc, eq, gte, inArray, isNull, lte, or, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { nextReferenceNumber } from "../db/queries/disputes.ts";
import { sltActionProgress, sltActions } from "../db/schema.ts";
import { type IsoDate, parseIsoDate } from "../domain/calendar/dates.ts";
import { localDate } from "../domain/calendar/local-time.ts";
import type { Authority } from "../domain/procedure/model.ts";
import type { ActionStatus, SltAction } from "../domain/register/slt-actions.ts";
import type { Period } from "../domain/report/period.ts";
import { authorityOf, type Services } from "./context.ts";
import { referenceFor } from "./disputes.ts";
import { ConflictError, InputError, NotFoundError } from "./errors.ts";
import { idOrReference, keptRegister, periodOf } from "./register-access.ts";
import type { SltActionInput, SltProgressInput, SltUpdateInput } from "./register-inputs.ts";

type ActionRow = typeof sltActions.$inferSelect;
type ProgressRow = typeof sltActionProgress.$inferSelect;

/** What the API answers and `drp actions --json` prints for an action. */
export interface ActionView extends SltAction {
  id: string;
  version: number;
  /** open, with its due date already past */
  overdue: boolean;
}

const today = (svc: Services, a: Authority) => localDate(svc.clock.now(), a.timeZone);

function viewOf(row: ActionRow, progress: readonly ProgressRow[], on: IsoDate): ActionView {
  return {
    id: row.id,
    reference: row.reference,
    action: row.action,
    owner: row.owner,
    agreedOn: row.agreedOn as IsoDate,
    dueOn: (row.dueOn as IsoDate | null) ?? null,
    status: row.status,
    closedOn: (row.closedOn as IsoDate | null) ?? null,
    version: row.version,
    progress: progress.map((p) => ({ on: p.on as IsoDate, note: p.note })),
    overdue: row.status === "open" && row.dueOn !== null && row.dueOn < on,
  };
}

async function progressOf(db: Db, ids: string[]): Promise<Map<string, ProgressRow[]>> {
  const out = new Map<string, ProgressRow[]>();
  if (!ids.length) return out;
  const rows = await db
    .select()
    .from(sltActionProgress)
    .where(inArray(sltActionProgress.actionId, ids))
    .orderBy(asc(sltActionProgress.actionId), asc(sltActionProgress.seq));
  for (const r of rows) (out.get(r.actionId) ?? out.set(r.actionId, []).get(r.actionId)!).push(r);
  return out;
}

/** The action by id or reference, this authority's only; locked until the transaction ends when `lock`. */
async function findRow(db: Db, authorityId: string, idOrRef: string, lock = false): Promise<ActionRow> {
  const key = idOrReference(idOrRef);
  if (!key) throw new NotFoundError("no such action");
  const q = db
    .select()
    .from(sltActions)
    .where(and(eq(sltActions.authorityId, authorityId), "id" in key ? eq(sltActions.id, key.id) : eq(sltActions.reference, key.reference)));
  const [row] = lock ? await q.for("update") : await q;
  if (!row) throw new NotFoundError("no such action");
  return row;
}

function notFuture(field: string, on: IsoDate, now: IsoDate): void {
  if (on > now) throw new InputError(field, "must not be in the future: record it once it has happened");
}

function notBeforeAgreed(field: string, on: IsoDate, row: Pick<ActionRow, "agreedOn">): void {
  if (on < row.agreedOn) throw new InputError(field, `must not be before the action was agreed (${row.agreedOn})`);
}

export async function addAction(svc: Services, authorityId: string, input: SltActionInput): Promise<ActionView> {
  const a = authorityOf(svc, authorityId);
  keptRegister(a, "slt_actions");
  const now = today(svc, a);
  const agreedOn = parseIsoDate(input.agreedOn);
  notFuture("agreedOn", agreedOn, now);
  if (input.dueOn !== undefined && input.dueOn < agreedOn) throw new InputError("dueOn", "must not be before the day it was agreed");
  const row = await svc.db.transaction(async (tx) => {
    const year = Number(input.agreedOn.slice(0, 4));
    const reference = referenceFor(a, year, await nextReferenceNumber(tx, `${a.id}:slt_actions`, year), "slt_action");
    const [r] = await tx
      .insert(sltActions)
      .values({
        authorityId: a.id,
        reference,
        action: input.action,
        owner: input.owner,
        agreedOn,
        dueOn: input.dueOn ?? null,
        status: "open",
      })
      .returning();
    return r!;
  });
  svc.log.info({ authority: a.id, action: row.id }, "slt action recorded");
  return viewOf(row, [], now);
}

function checkVersion(row: ActionRow, version: number | undefined): void {
  if (version !== undefined && version !== row.version)
    throw new ConflictError("version_mismatch", `the action changed (now version ${row.version}); reload it and try again`);
}

/** Progress recorded at a later meeting (Newham §10 "progress recorded"). */
export async function addProgress(svc: Services, authorityId: string, id: string, input: SltProgressInput): Promise<ActionView> {
  const a = authorityOf(svc, authorityId);
  keptRegister(a, "slt_actions");
  const now = today(svc, a);
  const on = parseIsoDate(input.on);
  notFuture("on", on, now);
  const view = await svc.db.transaction(async (tx) => {
    const row = await findRow(tx, a.id, id, true);
    checkVersion(row, input.version);
    notBeforeAgreed("on", on, row);
    if (row.status !== "open")
      throw new ConflictError("action_closed", `${row.reference} is ${row.status}: open it again (status open) to record progress`);
    const before = (await progressOf(tx, [row.id])).get(row.id) ?? [];
    const [p] = await tx.insert(sltActionProgress).values({ actionId: row.id, seq: before.length, on, note: input.note }).returning();
    const [updated] = await tx
      .update(sltActions)
      .set({ version: row.version + 1, updatedAt: svc.clock.now() })
      .where(eq(sltActions.id, row.id))
      .returning();
    return viewOf(updated!, [...before, p!], now);
  });
  svc.log.info({ authority: a.id, action: view.id }, "slt action progress recorded");
  return view;
}

/** Done, dropped, or open again; a due date set, moved or cleared; a note with it, as progress on that day. */
export async function updateAction(svc: Services, authorityId: string, id: string, input: SltUpdateInput): Promise<ActionView> {
  const a = authorityOf(svc, authorityId);
  keptRegister(a, "slt_actions");
  const now = today(svc, a);
  const on = input.on === undefined ? now : parseIsoDate(input.on);
  notFuture("on", on, now);
  const view = await svc.db.transaction(async (tx) => {
    const row = await findRow(tx, a.id, id, true);
    checkVersion(row, input.version);
    notBeforeAgreed("on", on, row);
    if (input.dueOn) notBeforeAgreed("dueOn", parseIsoDate(input.dueOn), row);
    if (input.status !== undefined && input.status === row.status && input.dueOn === undefined)
      throw new ConflictError("status_unchanged", `${row.reference} is already ${row.status}`);
    const status: ActionStatus = input.status ?? row.status;
    const closedOn = status === "open" ? null : status === row.status ? row.closedOn : on;
    const before = (await progressOf(tx, [row.id])).get(row.id) ?? [];
    const added = input.note
      ? await tx.insert(sltActionProgress).values({ actionId: row.id, seq: before.length, on, note: input.note }).returning()
      : [];
    const [updated] = await tx
      .update(sltActions)
      .set({
        status,
        closedOn,
        ...(input.dueOn !== undefined ? { dueOn: input.dueOn } : {}),
        version: row.version + 1,
        updatedAt: svc.clock.now(),
      })
      .where(eq(sltActions.id, row.id))
      .returning();
    return viewOf(updated!, [...before, ...added], now);
  });
  svc.log.info({ authority: a.id, action: view.id, status: view.status }, "slt action updated");
  return view;
}

export async function actionDetail(svc: Services, authorityId: string, id: string): Promise<ActionView> {
  const a = authorityOf(svc, authorityId);
  keptRegister(a, "slt_actions");
  const row = await findRow(svc.db, a.id, id);
  return viewOf(row, (await progressOf(svc.db, [row.id])).get(row.id) ?? [], today(svc, a));
}

/** The actions open at any time in the period or closed in it (every action without one). */
export async function actionsIn(svc: Services, authorityId: string, period?: Pick<Period, "from" | "to">): Promise<ActionView[]> {
  const a = authorityOf(svc, authorityId);
  const where: SQL[] = [eq(sltActions.authorityId, a.id)];
  if (period) {
    where.push(lte(sltActions.agreedOn, period.to));
    where.push(or(isNull(sltActions.closedOn), gte(sltActions.closedOn, period.from))!);
  }
  const rows = await svc.db
    .select()
    .from(sltActions)
    .where(and(...where))
    .orderBy(asc(sltActions.agreedOn), asc(sltActions.reference));
  const progress = await progressOf(
    svc.db,
    rows.map((r) => r.id),
  );
  const on = today(svc, a);
  return rows.map((r) => viewOf(r, progress.get(r.id) ?? [], on));
}

/** GET /registers/slt-actions and `drp actions list`: by period (as its report shows them) and by status now. */
export async function listActions(
  svc: Services,
  authorityId: string,
  q: { period?: string; status?: ActionStatus },
): Promise<{ actions: ActionView[] }> {
  const a = authorityOf(svc, authorityId);
  keptRegister(a, "slt_actions");
  const period = periodOf(q.period);
  const actions = await actionsIn(svc, a.id, period);
  return { actions: q.status ? actions.filter((x) => x.status === q.status) : actions };
}
