// The good-practice register (WF §1.2 "recognise and report on good practice
// by individuals or teams"; §11.1 "Chairs will register … good practice with
// business support to be recorded on database … QA DHOS will be copied in"):
// an entry recorded by the chair or by business support for them, read back
// by period, procedure and team. The description is free text: never logged.
import { and, asc, eq, gte, lte, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { loadDirectory } from "../db/queries/directory.ts";
import { nextReferenceNumber } from "../db/queries/disputes.ts";
import { disputes, goodPractice } from "../db/schema.ts";
import { type IsoDate, parseIsoDate } from "../domain/calendar/dates.ts";
import { localDate } from "../domain/calendar/local-time.ts";
import { type Authority, type ProcedureId, roleLabel } from "../domain/procedure/model.ts";
import {
  type GoodPracticeEntry,
  type GoodPracticeProcedure,
  type GoodPracticeSection,
  goodPracticeSection,
  isGoodPracticeProcedure,
} from "../domain/register/good-practice.ts";
import type { Period } from "../domain/report/period.ts";
import { authorityOf, type Services } from "./context.ts";
import { procedureOf, referenceFor } from "./disputes.ts";
import { InputError, NotFoundError } from "./errors.ts";
import { idOrReference, keptRegister, periodOf } from "./register-access.ts";
import type { GoodPracticeInput } from "./register-inputs.ts";

export type GoodPracticeRow = typeof goodPractice.$inferSelect;

/** What the API answers and `drp good-practice --json` prints for an entry. */
export interface GoodPracticeView {
  id: string;
  reference: string;
  noticedOn: string;
  procedure: GoodPracticeProcedure;
  team: string;
  about: GoodPracticeRow["about"];
  disputeReference: string | null;
  childRef: string | null;
  description: string;
  noticedBy: { name: string; email: string; role: string };
  /** business support, where they recorded it for the chair */
  recordedBy: { name: string; email: string } | null;
  /** the roles the register emails each entry to (WF §11.1: the QA DHoS) */
  copiedTo: { role: string; label: string }[];
  recordedAt: string;
}

function viewOf(a: Authority, row: GoodPracticeRow): GoodPracticeView {
  const copied = keptRegister(a, "good_practice").copied;
  return {
    id: row.id,
    reference: row.reference,
    noticedOn: row.noticedOn,
    procedure: row.procedure,
    team: row.teamId,
    about: row.about,
    disputeReference: row.disputeReference,
    childRef: row.childRef,
    description: row.description,
    noticedBy: { name: row.noticedByName, email: row.noticedByEmail, role: row.noticedByRole },
    recordedBy: row.recordedByName && row.recordedByEmail ? { name: row.recordedByName, email: row.recordedByEmail } : null,
    copiedTo: copied.map((role) => ({ role, label: roleLabel(a, role) })),
    recordedAt: row.createdAt.toISOString(),
  };
}

/** The entry as a report counts it. */
export function entryOf(row: GoodPracticeRow): GoodPracticeEntry {
  return {
    reference: row.reference,
    noticedOn: row.noticedOn as IsoDate,
    procedure: row.procedure,
    team: row.teamId,
    about: row.about,
    disputeReference: row.disputeReference,
    childRef: row.childRef,
    description: row.description,
    noticedBy: row.noticedByName,
  };
}

/** The dispute named, if it is one of this authority's; its child, to record or to check against. */
async function disputeNamed(db: Db, a: Authority, reference: string, childRef: string | undefined): Promise<string> {
  const [d] = await db
    .select({ childRef: disputes.childRef })
    .from(disputes)
    .where(and(eq(disputes.authorityId, a.id), eq(disputes.reference, reference.toUpperCase())));
  if (!d) throw new InputError("disputeReference", `no dispute "${reference}" in ${a.name}'s records`);
  if (childRef !== undefined && childRef !== d.childRef)
    throw new InputError("childRef", `dispute ${reference.toUpperCase()} is about another child: give its case reference, or none`);
  return d.childRef;
}

export async function recordGoodPractice(svc: Services, authorityId: string, input: GoodPracticeInput): Promise<GoodPracticeView> {
  const a = authorityOf(svc, authorityId);
  const register = keptRegister(a, "good_practice");
  const p = procedureOf(a, input.procedure);
  if (!p.raisedBy.includes(input.noticedBy.role))
    throw new InputError(
      "noticedBy.role",
      `good practice under the ${p.name} is noticed by the ${p.raisedBy.map((r) => roleLabel(a, r)).join(" or ")}`,
    );
  const noticedOn = parseIsoDate(input.noticedOn);
  if (noticedOn > localDate(svc.clock.now(), a.timeZone)) throw new InputError("noticedOn", "must not be in the future");
  const dir = await loadDirectory(svc.db, a.id);
  if (!dir.teams.has(input.team)) throw new InputError("team", `no team "${input.team}" in ${a.name}'s directory`);
  const childRef = input.disputeReference ? await disputeNamed(svc.db, a, input.disputeReference, input.childRef) : input.childRef;
  const row = await svc.db.transaction(async (tx) => {
    const year = Number(input.noticedOn.slice(0, 4));
    const reference = referenceFor(a, year, await nextReferenceNumber(tx, `${a.id}:good_practice`, year), "good_practice");
    const [r] = await tx
      .insert(goodPractice)
      .values({
        authorityId: a.id,
        reference,
        noticedOn,
        procedure: input.procedure,
        teamId: input.team,
        about: input.about,
        disputeReference: input.disputeReference?.toUpperCase() ?? null,
        childRef: childRef ?? null,
        description: input.description,
        noticedByName: input.noticedBy.name,
        noticedByEmail: input.noticedBy.email,
        noticedByRole: input.noticedBy.role,
        recordedByName: input.recordedBy?.name ?? null,
        recordedByEmail: input.recordedBy?.email ?? null,
        // the worker's sweep emails the register's copies (src/queue/good-practice.ts)
        noticeDueAt: register.copied.length ? svc.clock.now() : null,
      })
      .returning();
    return r!;
  });
  svc.log.info({ authority: a.id, goodPractice: row.id, procedure: p.id }, "good practice recorded");
  return viewOf(a, row);
}

export async function goodPracticeDetail(svc: Services, authorityId: string, id: string): Promise<GoodPracticeView> {
  const a = authorityOf(svc, authorityId);
  keptRegister(a, "good_practice");
  const key = idOrReference(id);
  const [row] = key
    ? await svc.db
        .select()
        .from(goodPractice)
        .where(
          and(eq(goodPractice.authorityId, a.id), "id" in key ? eq(goodPractice.id, key.id) : eq(goodPractice.reference, key.reference)),
        )
    : [];
  if (!row) throw new NotFoundError("no such good-practice entry");
  return viewOf(a, row);
}

/** The authority's entries noticed in the period (every one without a period). */
export async function goodPracticeRows(
  svc: Services,
  authorityId: string,
  q: { period?: Pick<Period, "from" | "to">; procedure?: GoodPracticeProcedure; team?: string } = {},
): Promise<GoodPracticeRow[]> {
  const where: SQL[] = [eq(goodPractice.authorityId, authorityId)];
  if (q.period) where.push(gte(goodPractice.noticedOn, q.period.from), lte(goodPractice.noticedOn, q.period.to));
  if (q.procedure) where.push(eq(goodPractice.procedure, q.procedure));
  if (q.team) where.push(eq(goodPractice.teamId, q.team));
  return svc.db
    .select()
    .from(goodPractice)
    .where(and(...where))
    .orderBy(asc(goodPractice.noticedOn), asc(goodPractice.reference));
}

export type GoodPracticeList = Omit<GoodPracticeSection, "list" | "name" | "source"> & {
  period: string | null;
  entries: GoodPracticeView[];
};

/** GET /registers/good-practice and `drp good-practice list`: the entries, counted by procedure and team as the reports count them. */
export async function listGoodPractice(
  svc: Services,
  authorityId: string,
  q: { period?: string; procedure?: GoodPracticeProcedure; team?: string },
): Promise<GoodPracticeList> {
  const a = authorityOf(svc, authorityId);
  const register = keptRegister(a, "good_practice");
  const period = periodOf(q.period);
  if (q.procedure) procedureOf(a, q.procedure);
  const [rows, dir] = await Promise.all([
    goodPracticeRows(svc, a.id, { period, procedure: q.procedure, team: q.team }),
    loadDirectory(svc.db, a.id),
  ]);
  const procedures = (Object.keys(a.procedures) as ProcedureId[])
    .filter(isGoodPracticeProcedure)
    .map((id) => ({ id, name: a.procedures[id]!.name }));
  const teams = new Map([...dir.teams.values()].map((t) => [t.id, t.name]));
  const {
    list: _list,
    name: _name,
    source: _source,
    ...counts
  } = goodPracticeSection({ name: register.name, source: register.source, procedures, teams }, rows.map(entryOf));
  return { period: period?.id ?? null, ...counts, entries: rows.map((r) => viewOf(a, r)) };
}
