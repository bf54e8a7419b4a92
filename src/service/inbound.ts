// Filing what the bounce mailbox holds. A message is filed once: its id is
// written in the same transaction as everything it causes, so a reader killed
// after reading and before filing files it on restart, and one killed after
// filing skips it. What it causes, for the one outbox row its address names:
//   - a hard bounce (5.x.x; or a third soft one in a row): the row is
//     `bounced` with the code, the address is marked undeliverable (its
//     person is left out of emails and the QA inbox stands in), and the
//     dispute's log records it, from which the IRO and the QA inbox are told;
//   - a soft bounce (4.x.x): recorded; the relay goes on trying;
//   - an automatic reply: the dispute's log records the absence and the
//     return date read from it, from which the IRO is told once per person
//     per stage.
// Anything else — or a report whose address names no email of ours — is
// recorded by id and left in the mailbox for a person.
import { and, countDistinct, eq, gte, inArray, sql } from "drizzle-orm";
import type { Database, Db } from "../db/client.ts";
import { readDirectory } from "../db/queries/directory.ts";
import { deliveryReports, disputes, inboundMessages, outbox, people, undeliverableAddresses } from "../db/schema.ts";
import { localDate } from "../domain/calendar/local-time.ts";
import { resolveRole } from "../domain/directory.ts";
import { type Classified, classify, type InboundMessage } from "../domain/inbound/classify.ts";
import { type Severity, severityOf, statusMeaning } from "../domain/inbound/delivery-status.ts";
import { appendRecords, type NotificationRecord, type OutboxRow } from "../mail/outbox.ts";
import { tokenOf } from "../mail/verp.ts";
import { disputeChanged, type Services } from "./context.ts";

/** Emails to one address delayed (soft reports), within SOFT_WINDOW_DAYS and since its mark was last cleared, that count as a hard bounce. */
export const SOFT_IN_A_ROW = 3;
const SOFT_WINDOW_DAYS = 14;

export type Filed =
  | { result: "filed"; as: "delivery_report" | "auto_reply"; authority: string; disputes: string[] }
  /** neither, or about no email of ours: left in the mailbox */
  | { result: "left"; why: string }
  /** filed before (a restart after a crash): nothing done again */
  | { result: "already" }
  /** its email is not yet recorded as sent (a report faster than the record): nothing filed, to be read again */
  | { result: "later" };

const ZONE = "Europe/London";

/** How each of these messages was filed before, if it was: the reader moves or skips it without parsing it again. */
export async function alreadySeen(db: Db, ids: string[]): Promise<Map<string, "delivery_report" | "auto_reply" | "other">> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: inboundMessages.id, as: inboundMessages.filedAs })
    .from(inboundMessages)
    .where(inArray(inboundMessages.id, ids));
  return new Map(rows.map((r) => [r.id, r.as]));
}

export async function fileMessage(svc: Services, bounceAddress: string, m: InboundMessage, receivedAt: Date): Promise<Filed> {
  const c = classify(m, localDate(receivedAt, ZONE), (a) => tokenOf(bounceAddress, a));
  const now = svc.clock.now();
  const out = await svc.db.transaction(async (tx) => {
    const row = c.kind !== "other" && c.token ? (await tx.select().from(outbox).where(eq(outbox.bounceToken, c.token)))[0] : undefined;
    if (row && (row.status === "pending" || row.status === "sending")) return { result: "later" } as Filed;
    const left = c.kind === "other" ? c.why : row ? undefined : "about no email of ours";
    const [first] = await tx
      .insert(inboundMessages)
      .values({
        id: m.id,
        filedAs: left ? "other" : (c.kind as "delivery_report" | "auto_reply"),
        authorityId: row?.authorityId,
        outboxKey: row?.key,
        detail: detailOf(c, left),
        receivedAt,
      })
      .onConflictDoNothing({ target: inboundMessages.id })
      .returning({ id: inboundMessages.id });
    if (!first) return { result: "already" } as Filed;
    if (left || !row || c.kind === "other") return { result: "left", why: left ?? "" } as Filed;
    const records = c.kind === "delivery_report" ? await bounce(tx, row, c, now) : await away(tx, row, c, now);
    await appendRecords(tx, records);
    // a new version: the reconciler re-plans the dispute even if telling the worker now fails, or this process dies first
    const touched = [...new Set(records.map((r) => r.disputeId))];
    if (touched.length)
      await tx
        .update(disputes)
        .set({ version: sql`${disputes.version} + 1` })
        .where(inArray(disputes.id, touched));
    return { result: "filed", as: c.kind, authority: row.authorityId, disputes: [...new Set(records.map((r) => r.disputeId))] } as Filed;
  });
  if (out.result !== "filed") return out;
  // the directory first: the notices, and the next email for the role, are addressed without the bounced address
  if (out.as === "delivery_report") svc.onDirectoryChanged?.(out.authority);
  for (const id of out.disputes) disputeChanged(svc, id);
  return out;
}

/** Records a message that could not be filed as left for a person, so that the reader moves on to the rest. */
export async function leaveAlone(svc: Services, id: string, receivedAt: Date, err: string): Promise<void> {
  await svc.db
    .insert(inboundMessages)
    .values({ id, filedAs: "other", detail: { left: "could not be filed", err: err.slice(0, 60) }, receivedAt })
    .onConflictDoNothing({ target: inboundMessages.id });
}

/** Codes and dates only: never the message's words beyond the phrase a date was read from. */
function detailOf(c: Classified, left: string | undefined): Record<string, unknown> {
  if (c.kind === "delivery_report")
    return { ...(left ? { left } : {}), recipients: c.recipients.map((r) => ({ action: r.action, status: r.status })) };
  if (c.kind === "auto_reply") return { ...(left ? { left } : {}), returnOn: c.returnDate?.date ?? null };
  return { left };
}

/** Which of the row's addressees a report is about: the one it names, or the row's only addressee (an alias that expanded). */
function addresseeOf(row: OutboxRow, reported: string): string | undefined {
  const to = (row.toAddresses ?? []).map((a) => a.toLowerCase());
  if (to.includes(reported)) return reported;
  return to.length === 1 ? to[0] : undefined;
}

async function nameOf(tx: Db, authorityId: string, address: string): Promise<string | undefined> {
  const [p] = await tx
    .select({ name: people.name })
    .from(people)
    .where(and(eq(people.authorityId, authorityId), sql`lower(${people.email}) = ${address}`))
    .limit(1);
  return p?.name;
}

/**
 * Emails to the address with a soft report, since its mark was last cleared
 * and within the last fortnight: the relay's and the far end's reports of one
 * email count once, and a delay long ago does not add to today's.
 */
async function softInARow(tx: Db, authorityId: string, address: string, now: Date): Promise<number> {
  const [mark] = await tx
    .select({ clearedAt: undeliverableAddresses.clearedAt })
    .from(undeliverableAddresses)
    .where(and(eq(undeliverableAddresses.authorityId, authorityId), eq(undeliverableAddresses.email, address)));
  const window = new Date(now.getTime() - SOFT_WINDOW_DAYS * 86_400_000);
  const since = mark?.clearedAt && mark.clearedAt > window ? mark.clearedAt : window;
  const [n] = await tx
    .select({ n: countDistinct(deliveryReports.outboxKey) })
    .from(deliveryReports)
    .where(
      and(
        eq(deliveryReports.authorityId, authorityId),
        eq(deliveryReports.email, address),
        eq(deliveryReports.severity, "soft"),
        gte(deliveryReports.at, since),
      ),
    );
  return Number(n?.n ?? 0);
}

async function bounce(
  tx: Db,
  row: OutboxRow,
  c: Extract<Classified, { kind: "delivery_report" }>,
  now: Date,
): Promise<NotificationRecord[]> {
  const records: NotificationRecord[] = [];
  for (const r of c.recipients) {
    const severity: Severity = severityOf(r);
    const address = severity === "none" ? undefined : addresseeOf(row, r.address);
    if (!address || severity === "none") continue;
    await tx
      .insert(deliveryReports)
      .values({ authorityId: row.authorityId, email: address, outboxKey: row.key, severity, status: r.status, at: now });
    const delays = severity === "soft" ? await softInARow(tx, row.authorityId, address, now) : 0;
    const hard = severity === "hard" || delays >= SOFT_IN_A_ROW;
    const name = await nameOf(tx, row.authorityId, address);
    const base = {
      kind: row.kind,
      role: row.recipientRole,
      stage: row.stage,
      address,
      status: r.status,
      outboxKey: row.key,
      ...(name ? { name } : {}),
    };
    if (!hard) {
      if (row.disputeId) records.push({ disputeId: row.disputeId, type: "email_delayed", at: now, payload: base });
      continue;
    }
    const reason =
      severity === "soft"
        ? `bounced: delayed for ${delays} emails in a row, the latest ${r.status}`
        : `bounced: ${r.status}, ${statusMeaning(r.status)}`;
    const changed = await tx
      .update(outbox)
      .set({ status: "bounced", deliveryStatus: r.status, bouncedAt: now, reason, reportedAt: null })
      .where(and(eq(outbox.key, row.key), inArray(outbox.status, ["sent", "failed"])))
      .returning({ key: outbox.key });
    await tx
      .insert(undeliverableAddresses)
      .values({ authorityId: row.authorityId, email: address, since: now, status: r.status, outboxKey: row.key })
      .onConflictDoUpdate({
        target: [undeliverableAddresses.authorityId, undeliverableAddresses.email],
        set: { since: now, status: r.status, outboxKey: row.key, clearedAt: null },
        // an address already marked keeps the date it was first marked
        setWhere: sql`${undeliverableAddresses.clearedAt} is not null`,
      });
    // a second report of the same bounce (the relay's and the far end's) is told once
    if (row.disputeId && changed.length)
      records.push({
        disputeId: row.disputeId,
        type: "email_bounced",
        at: now,
        payload: { ...base, ...(severity === "soft" ? { delays } : {}) },
      });
  }
  return records;
}

async function away(tx: Db, row: OutboxRow, c: Extract<Classified, { kind: "auto_reply" }>, now: Date): Promise<NotificationRecord[]> {
  const address = (row.toAddresses ?? [])[0]?.toLowerCase();
  if (!row.disputeId || !address || !c.away) return [];
  // the reply of whoever holds the role: not the QA inbox's, standing in for a role nobody holds
  const [d] = await tx.select().from(disputes).where(eq(disputes.id, row.disputeId));
  if (!d) return [];
  const held = resolveRole(await readDirectory(tx, row.authorityId), row.recipientRole, d.teamId, d.casePeople ?? undefined);
  if (!held.found || !held.people.some((p) => p.email.toLowerCase() === address)) return [];
  const name = await nameOf(tx, row.authorityId, address);
  return [
    {
      disputeId: row.disputeId,
      type: "recipient_away",
      at: now,
      payload: {
        kind: row.kind,
        role: row.recipientRole,
        stage: row.stage,
        address,
        outboxKey: row.key,
        ...(name ? { name } : {}),
        ...(c.returnDate ? { returnOn: c.returnDate.date, phrase: c.returnDate.phrase, returnKind: c.returnDate.kind } : {}),
      },
    },
  ];
}

/** Clears an address's mark (it works again): its person is sent emails again. Returns whether it was marked. */
export async function clearUndeliverable(svc: Services, authorityId: string, address: string): Promise<boolean> {
  const rows = await svc.db
    .update(undeliverableAddresses)
    .set({ clearedAt: svc.clock.now() })
    .where(
      and(
        eq(undeliverableAddresses.authorityId, authorityId),
        eq(undeliverableAddresses.email, address.toLowerCase()),
        sql`${undeliverableAddresses.clearedAt} is null`,
      ),
    )
    .returning({ email: undeliverableAddresses.email });
  if (rows.length) svc.onDirectoryChanged?.(authorityId);
  return rows.length > 0;
}

/** The addresses marked undeliverable now, for the CLI and the API. */
export async function undeliverableList(db: Database, authorityId: string) {
  return db
    .select({
      email: undeliverableAddresses.email,
      since: undeliverableAddresses.since,
      status: undeliverableAddresses.status,
      outboxKey: undeliverableAddresses.outboxKey,
    })
    .from(undeliverableAddresses)
    .where(and(eq(undeliverableAddresses.authorityId, authorityId), sql`${undeliverableAddresses.clearedAt} is null`))
    .orderBy(undeliverableAddresses.since);
}
