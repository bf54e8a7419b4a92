// Sending what is due, many disputes at a time. Each dispute has one job in
// Redis; when it fires, the dispute joins the next batch. A batch reads its
// disputes and their outbox rows in three queries, asks the planner what is
// due for each, claims every email it will send in one statement, hands them
// to the pooled SMTP transport together, and records them in one transaction.
// It answers each dispute with the next instant its job should fire.

import type { DisputeRow } from "../db/queries/disputes.ts";
import { eventsByDispute, findDisputes, recordNextDue } from "../db/queries/disputes.ts";
import { deliveryFacts } from "../domain/delivery.ts";
import type { DisputeState } from "../domain/dispute/state.ts";
import { foldDue } from "../domain/fold.ts";
import { type PlannedNotification, planNotifications } from "../domain/planner.ts";
import { type Authority, type Procedure, roleFor } from "../domain/procedure/model.ts";
import { maySendNow, nextSendingTime } from "../domain/sending-hours.ts";
import { type LinkConfig, linksFor } from "../links/email-links.ts";
import type { Logger } from "../log.ts";
import { type AddressedEmail, type Addressing, addressNotification } from "../mail/addressing.ts";
import { icsFor, parseAddress } from "../mail/calendar.ts";
import { composeEmail } from "../mail/compose.ts";
import type { EmailView } from "../mail/model.ts";
import {
  byNotification,
  type Claim,
  claim,
  type FinalRow,
  isFinished,
  type NotificationEventType,
  notificationDone,
  type OutboxEntry,
  type OutboxRow,
  outboxOf,
  recordFinal,
  supersede,
} from "../mail/outbox.ts";
import type { Delivery, Sender } from "../mail/send.ts";
import { disputeSubject, rootMessageId, threadHeaders } from "../mail/threading.ts";
import type { Mailer, OutgoingEmail } from "../mail/transport.ts";
import type { Metrics } from "../metrics.ts";
import type { Services } from "../service/context.ts";
import { replayRows } from "../service/disputes.ts";
import type { DirectoryCache } from "./directory-cache.ts";
import type { RetryPolicy } from "./queues.ts";

export interface EmailRenderer {
  render(view: EmailView): { html: string; text: string };
}

export interface WorkerDeps {
  svc: Services;
  renderer: EmailRenderer;
  mailer: Mailer;
  /** hands claimed emails over and records each as the server takes it (mail/send.ts) */
  sender: Sender;
  metrics: Metrics;
  /** the From address, e.g. "IRO dispute resolution <drp@example.org>" */
  from: string;
  /** the domain of our Message-IDs */
  mailDomain: string;
  workerId: string;
  /** how long a claim on an email lasts before another worker may take it over */
  leaseMs: number;
  retry: RetryPolicy;
  log: Logger;
  directories: DirectoryCache;
  /** signed links in the emails: only with a public URL for the pages they open */
  links?: LinkConfig;
}

export interface DisputeWork {
  disputeId: string;
  authorityId: string;
}

/** When the dispute's job should fire again; none when nothing is left to send. */
export interface Outcome {
  next?: Date;
  sent: number;
}

export interface Dispatcher {
  submit(work: DisputeWork): Promise<Outcome>;
}

/** Gathers disputes into batches: up to `maxBatch`, or whatever arrived within `lingerMs`. */
export function createDispatcher(deps: WorkerDeps, opts: { maxBatch?: number; lingerMs?: number } = {}): Dispatcher {
  const maxBatch = opts.maxBatch ?? Number(process.env.DRP_BATCH ?? 200);
  const lingerMs = opts.lingerMs ?? 5;
  let waiting: { work: DisputeWork; done: (o: Outcome) => void; fail: (e: unknown) => void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = waiting;
    waiting = [];
    processBatch(
      deps,
      batch.map((b) => b.work),
    ).then(
      (outcomes) => {
        for (const b of batch) b.done(outcomes.get(b.work.disputeId) ?? { sent: 0 });
      },
      (e) => {
        for (const b of batch) b.fail(e);
      },
    );
  };
  return {
    submit(work) {
      return new Promise((done, fail) => {
        waiting.push({ work, done, fail });
        if (waiting.length >= maxBatch) flush();
        else timer ??= setTimeout(flush, lingerMs);
      });
    },
  };
}

interface Due {
  a: Authority;
  p: Procedure;
  row: DisputeRow;
  state: DisputeState;
  n: PlannedNotification;
  addressing: Addressing;
  email: AddressedEmail;
  entry: OutboxEntry;
}

interface Prepared {
  due: Due;
  claim: Claim;
}

/** An email's row: "<notification>/<role>", or "<notification>/<role>+<person>" where several people hold the role. */
const entryOf = (row: DisputeRow, a: Authority, n: PlannedNotification, email: { key: string; role: string }): OutboxEntry => ({
  key: `${n.key}/${email.key}`,
  disputeId: row.id,
  authorityId: a.id,
  plannerKey: n.key,
  kind: n.kind,
  stage: n.stage,
  recipientRole: email.role,
});

/** Sends what is due for each dispute of the batch; returns each dispute's next instant. */
export async function processBatch(deps: WorkerDeps, works: DisputeWork[]): Promise<Map<string, Outcome>> {
  const { svc } = deps;
  const started = performance.now();
  const now = svc.clock.now();
  const ids = [...new Set(works.map((w) => w.disputeId))];
  const [rows, events, existing] = await Promise.all([findDisputes(svc.db, ids), eventsByDispute(svc.db, ids), outboxOf(svc.db, ids)]);
  const byKey = new Map(existing.map((r) => [r.key, r]));
  const byPlan = byNotification(existing);
  const outcomes = new Map<string, Outcome>(ids.map((id) => [id, { sent: 0 }]));
  const later = (id: string, at: Date) => {
    const o = outcomes.get(id)!;
    if (!o.next || at < o.next) o.next = at;
  };
  const finals: FinalRow[] = [];
  const toSend: Prepared[] = [];
  const stale: string[] = [];

  for (const row of rows) {
    const a = svc.authorities.get(row.authorityId);
    if (!a) continue;
    const p = a.procedures[row.procedure]!;
    const state = replayRows(a, row, events.get(row.id) ?? []);
    const delivery = deliveryFacts(events.get(row.id) ?? []);
    const plan = planNotifications({ authority: a, procedure: p, state, disputeId: row.id, service: row.serviceId, now, delivery });
    const planned = new Set(plan.notifications.map((n) => n.key));
    // emails waiting for a retry whose notification the dispute has moved past
    for (const r of existing) if (r.disputeId === row.id && r.status === "pending" && !planned.has(r.plannerKey)) stale.push(r.key);
    let lastDate = latestDate(existing, row.id);
    const dir = await deps.directories.get(a.id);
    for (const n of plan.notifications) {
      const rowsOfN = byPlan.get(n.key) ?? [];
      if (
        notificationDone(
          rowsOfN,
          n.key,
          n.addressees.map((x) => x.role),
        )
      )
        continue;
      if (n.status === "lapsed") {
        finals.push(finalRow(row, a, n, "-", "skipped", "lapsed: its deadline had passed when it came to be sent", now));
        continue;
      }
      if (n.sendAt > now) {
        later(row.id, n.sendAt);
        continue;
      }
      // outside sending hours (a late or retried email at night): wait for the next opening
      if (!maySendNow(a, n.at, now)) {
        later(row.id, nextSendingTime(a, now));
        continue;
      }
      const invitees = n.kind === "stage_raised" ? (state.stage.meeting?.invitees ?? []).map((r) => roleFor(r, row.serviceId)) : [];
      const addressing = addressNotification(a, dir, row, n.addressees, p.qaInbox, invitees);
      // ids only: the gap's sentence names the team as the directory calls it
      const missing = addressing.emails.filter((e) => e.redirected || e.skip === "nobody holds the role" || e.failed).map((e) => e.role);
      if (missing.length) deps.log.warn({ authority: a.id, disputeId: row.id, team: row.teamId, roles: missing }, "directory gap");
      // the emails of one notification share a Date; the dispute's next one is at least a second later
      const known = rowsOfN.map((r) => r.dateHeader).find((d) => d);
      const date = known ?? new Date(Math.max(now.getTime(), (lastDate?.getTime() ?? 0) + 1000));
      if (!known) lastDate = date;
      for (const email of addressing.emails) {
        const entry = entryOf(row, a, n, email);
        const held = byKey.get(entry.key);
        if (held && isFinished(held.status)) continue;
        if (held?.status === "sending" && held.lockedBy !== deps.workerId && held.lockExpiresAt && held.lockExpiresAt > now) {
          later(row.id, new Date(held.lockExpiresAt.getTime() + 250)); // another worker has it: come back when its lease ends
          continue;
        }
        if (email.skip) {
          const failed = email.failed === true;
          finals.push(
            finalRow(
              row,
              a,
              n,
              email.role,
              failed ? "failed" : "skipped",
              failed ? email.skip : `no email for this role: ${email.skip}`,
              now,
            ),
          );
          continue;
        }
        const t = threadHeaders({
          disputeId: row.id,
          raisedAt: row.raisedAt,
          subject: disputeSubject(a, p, row.reference),
          outboxKey: entry.key,
          at: date,
          // the dispute's first email carries the bare root: the first addressee's (the first holder's, where several hold it)
          first:
            email === addressing.emails.find((e) => e.role === n.addressees[0]?.role) &&
            n.kind === "stage_raised" &&
            n.key.endsWith(":e0:stage_raised"),
          domain: deps.mailDomain,
        });
        toSend.push({
          due: { a, p, row, state, n, addressing, email, entry },
          claim: {
            ...entry,
            messageId: t["Message-ID"],
            dateHeader: date,
            threadIndex: t["Thread-Index"],
            toAddresses: email.to.map((x) => x.email),
          },
        });
      }
    }
  }

  // one email per person per dispute: what else fell due for them with it is folded into it
  const { send, folded } = foldDue(
    toSend.map((x) => ({ x, kind: x.due.n.kind, dispute: x.due.row.id, person: x.due.email.to[0]?.email ?? x.claim.key })),
  );
  for (const { item, into } of folded) {
    const d = item.x.due;
    finals.push(
      finalRow(
        d.row,
        d.a,
        d.n,
        d.email.role,
        "skipped",
        `folded: sent as one email with the ${into.kind.replaceAll("_", " ")} (${into.x.claim.key})`,
        now,
        d.email.key,
      ),
    );
  }
  toSend.splice(0, toSend.length, ...send.map((s) => s.x));

  const [skippedCount, written] = await Promise.all([
    supersede(svc.db, stale, "superseded: the dispute has moved on since this was planned"),
    recordFinal(svc.db, finals).then((written) => {
      countFinals(deps, finals, written);
      return written;
    }),
  ]);
  if (skippedCount) deps.metrics.notifications.inc({ kind: "superseded", result: "skipped" }, skippedCount);

  const claimed = await claim(
    svc.db,
    toSend.map((x) => x.claim),
    deps.workerId,
    now,
    deps.leaseMs,
  );
  const held = new Map(claimed.map((r) => [r.key, r]));
  // a claim on a row another worker was sending: that worker's lease ran out (it died, or lost the database)
  for (const r of claimed) {
    const before = byKey.get(r.key);
    if (before?.status === "sending" && before.lockedBy !== deps.workerId)
      deps.log.warn(
        { disputeId: r.disputeId, key: r.key, kind: r.kind, attempt: r.attempts, from: before.lockedBy },
        "lease ran out: sending an email another worker had claimed",
      );
  }
  const deliveries: Delivery[] = [];
  for (const x of toSend) {
    const row = held.get(x.claim.key);
    // not ours: another worker took it first; come back once its lease could have run out
    if (!row) later(x.due.row.id, new Date(now.getTime() + deps.leaseMs + 250));
    else deliveries.push(deliveryOf(deps, x.due, row));
  }
  const delivered = await deps.sender.deliver(deliveries);
  for (const d of deliveries) {
    const r = delivered.get(d.row.key);
    const id = d.row.disputeId!;
    if (r?.result === "sent") outcomes.get(id)!.sent += 1;
    else if (r?.result === "retry") later(id, r.retryAt);
  }
  // PostgreSQL keeps each dispute's next instant, so that a Redis that lost its jobs is re-armed without planning
  await recordNextDue(
    svc.db,
    rows.map((r) => ({ id: r.id, version: r.version, next: outcomes.get(r.id)?.next })),
  );
  const line = batchLine(deliveries, delivered, finals, new Set(written), skippedCount, toSend.length - deliveries.length);
  if (line) deps.log.info({ disputes: rows.length, ...line, ms: Math.round(performance.now() - started), worker: deps.workerId }, "batch");
  return outcomes;
}

type Tally = Record<string, number>;
const add = (t: Tally, k: string) => void (t[k] = (t[k] ?? 0) + 1);

/**
 * What one batch did, by kind of email, for the operator's log: sent, to be
 * retried, failed, skipped (lapsed, superseded, a role nobody holds) and folded
 * into another email. Kinds and counts only: no names, references or text.
 */
function batchLine(
  deliveries: Delivery[],
  delivered: Map<string, { result: string }>,
  finals: FinalRow[],
  written: Set<string>,
  superseded: number,
  takenByAnother: number,
) {
  const sent: Tally = {};
  const retry: Tally = {};
  const failed: Tally = {};
  const skipped: Tally = {};
  const folded: Tally = {};
  for (const d of deliveries) {
    const r = delivered.get(d.row.key)?.result;
    if (r === "sent") add(sent, d.row.kind);
    else if (r === "retry") add(retry, d.row.kind);
    else if (r === "failed") add(failed, d.row.kind);
  }
  for (const f of finals) {
    if (!written.has(f.key)) continue;
    if (f.status === "failed") add(failed, f.kind);
    else if (f.reason.startsWith("folded")) add(folded, f.kind);
    else add(skipped, f.kind);
  }
  const total = (t: Tally) => Object.values(t).reduce((a, b) => a + b, 0);
  const n = { sent: total(sent), retry: total(retry), failed: total(failed), skipped: total(skipped), folded: total(folded) };
  if (!Object.values(n).some(Boolean) && !superseded && !takenByAnother) return undefined;
  return {
    sent: n.sent,
    ...(n.retry ? { retry: n.retry } : {}),
    failed: n.failed,
    skipped: n.skipped + superseded,
    folded: n.folded,
    ...(takenByAnother ? { takenByAnother } : {}),
    byKind: {
      sent,
      ...(n.retry ? { retry } : {}),
      ...(n.failed ? { failed } : {}),
      ...(n.skipped ? { skipped } : {}),
      ...(n.folded ? { folded } : {}),
    },
  };
}

function latestDate(rows: OutboxRow[], disputeId: string): Date | undefined {
  let latest: Date | undefined;
  for (const r of rows) if (r.disputeId === disputeId && r.dateHeader && (!latest || r.dateHeader > latest)) latest = r.dateHeader;
  return latest;
}

function finalRow(
  row: DisputeRow,
  a: Authority,
  n: PlannedNotification,
  role: string,
  status: "skipped" | "failed",
  reason: string,
  at: Date,
  key = role,
): FinalRow {
  const type = status === "skipped" ? "notification_skipped" : "notification_failed";
  return {
    ...entryOf(row, a, n, { key, role }),
    status,
    reason,
    record: { disputeId: row.id, type, at, payload: { key: n.key, kind: n.kind, role, reason: reason.split(":")[0] } },
  };
}

/** Counts and logs the skipped and failed rows this batch wrote. */
function countFinals(deps: WorkerDeps, rows: FinalRow[], written: string[]): void {
  const keys = new Set(written);
  for (const r of rows) {
    if (!keys.has(r.key)) continue;
    deps.metrics.notifications.inc({ kind: r.kind, result: r.status });
    if (r.status === "failed")
      deps.log.error({ authority: r.authorityId, disputeId: r.disputeId, key: r.key, why: r.reason.split(".")[0] }, "email failed");
  }
}

/** The email of one claimed row: composed and rendered when a lane is free to send it. */
function deliveryOf(deps: WorkerDeps, d: Due, held: OutboxRow): Delivery {
  const { svc } = deps;
  const date = held.dateHeader!;
  return {
    row: held,
    ids: { authority: d.a.id, disputeId: d.row.id },
    record: (type: NotificationEventType, at: Date, extra: Record<string, unknown>) => ({
      disputeId: d.row.id,
      type,
      at,
      payload: { key: d.n.key, kind: d.n.kind, role: d.email.role, ...extra },
    }),
    async build(): Promise<OutgoingEmail> {
      const view = composeEmail({
        authority: d.a,
        procedure: d.p,
        state: d.state,
        dispute: { ...d.row, teamName: (await deps.directories.get(d.a.id)).teams.get(d.row.teamId)?.name },
        notification: d.n,
        addressing: d.addressing,
        role: d.email.key,
        now: svc.clock.now(),
        mailDomain: deps.mailDomain,
      });
      view.actions = await linksFor(deps.links, d, date);
      const { html, text } = deps.renderer.render(view);
      const rootId = rootMessageId(d.row.id, deps.mailDomain);
      const headers: Record<string, string> = {
        "Thread-Topic": view.subject,
        "Thread-Index": held.threadIndex!,
        "X-DRP-Key": d.entry.key,
        "X-DRP-Kind": d.n.kind,
        "X-DRP-Authority": d.a.id,
      };
      if (held.messageId !== rootId) Object.assign(headers, { "In-Reply-To": rootId, References: rootId });
      const icalEvent = view.calendar
        ? icsFor({
            event: view.calendar,
            organizer: parseAddress(deps.from),
            attendees: d.email.to.map((p) => ({ email: p.email, name: p.name })),
            stamp: date,
          })
        : undefined;
      return {
        from: deps.from,
        to: d.email.to.map((p) => p.email),
        cc: [],
        // replies reach whoever raised it (IRO, CP Chair, or a §1.6 concern's worker); their own emails do not point back at themselves
        replyTo: d.email.role === "instigator" ? deps.from : d.row.raisedByEmail,
        subject: view.subject,
        html,
        text,
        date,
        messageId: held.messageId!,
        headers,
        icalEvent,
      };
    },
  };
}
