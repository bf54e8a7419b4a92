// Sending what is due, many disputes at a time. Each dispute has one job in
// Redis; when it fires, the dispute joins the next batch. A batch reads its
// disputes and their outbox rows in three queries, asks the planner what is
// due for each, claims every email it will send in one statement, hands them
// to the pooled SMTP transport together, and records them in one transaction.
// It answers each dispute with the next instant its job should fire.
import type { DisputeRow } from "../db/queries/disputes.ts";
import { eventsByDispute, findDisputes, recordNextDue } from "../db/queries/disputes.ts";
import type { DisputeState } from "../domain/dispute/state.ts";
import { type PlannedNotification, planNotifications } from "../domain/planner.ts";
import { type Authority, type Procedure, roleFor } from "../domain/procedure/model.ts";
import { maySendNow, nextSendingTime } from "../domain/sending-hours.ts";
import { type LinkConfig, linksFor } from "../links/email-links.ts";
import type { Logger } from "../log.ts";
import { type AddressedEmail, type Addressing, addressNotification } from "../mail/addressing.ts";
import { icsFor, parseAddress } from "../mail/calendar.ts";
import { composeEmail } from "../mail/compose.ts";
import type { EmailView } from "../mail/model.ts";
import type { OutboxEntry, OutboxRow } from "../mail/outbox.ts";
import {
  claimMany,
  type Finished,
  finishMany,
  type NewEmail,
  type NotificationRecord,
  outboxOf,
  recordFinal,
  supersede,
} from "../mail/outbox-batch.ts";
import { disputeSubject, rootMessageId, threadHeaders } from "../mail/threading.ts";
import type { Mailer } from "../mail/transport.ts";
import type { Metrics } from "../metrics.ts";
import { safeMessage } from "../safe-error.ts";
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
  claim: NewEmail;
}

const entryOf = (row: DisputeRow, a: Authority, n: PlannedNotification, role: string): OutboxEntry => ({
  key: `${n.key}/${role}`,
  disputeId: row.id,
  authorityId: a.id,
  plannerKey: n.key,
  kind: n.kind,
  stage: n.stage,
  recipientRole: role,
});

const FINISHED = new Set(["sent", "skipped", "failed"]);

/** Sends what is due for each dispute of the batch; returns each dispute's next instant. */
export async function processBatch(deps: WorkerDeps, works: DisputeWork[]): Promise<Map<string, Outcome>> {
  const { svc } = deps;
  const now = svc.clock.now();
  const ids = [...new Set(works.map((w) => w.disputeId))];
  const [rows, events, existing] = await Promise.all([findDisputes(svc.db, ids), eventsByDispute(svc.db, ids), outboxOf(svc.db, ids)]);
  const byKey = new Map(existing.map((r) => [r.key, r]));
  const outcomes = new Map<string, Outcome>(ids.map((id) => [id, { sent: 0 }]));
  const later = (id: string, at: Date) => {
    const o = outcomes.get(id)!;
    if (!o.next || at < o.next) o.next = at;
  };
  const finals: Parameters<typeof recordFinal>[1] = [];
  const toSend: Prepared[] = [];
  const stale: string[] = [];

  for (const row of rows) {
    const a = svc.authorities.get(row.authorityId);
    if (!a) continue;
    const p = a.procedures[row.procedure]!;
    const state = replayRows(a, row, events.get(row.id) ?? []);
    const plan = planNotifications({ authority: a, procedure: p, state, disputeId: row.id, service: row.serviceId, now });
    const planned = new Set(plan.notifications.map((n) => n.key));
    // emails waiting for a retry whose notification the dispute has moved past
    for (const r of existing) if (r.disputeId === row.id && r.status === "pending" && !planned.has(r.plannerKey)) stale.push(r.key);
    let lastDate = latestDate(existing, row.id);
    const dir = await deps.directories.get(a.id);
    for (const n of plan.notifications) {
      const keys = n.addressees.map((x) => `${n.key}/${x.role}`);
      if (byKey.get(`${n.key}/-`) || keys.every((k) => FINISHED.has(byKey.get(k)?.status ?? ""))) continue;
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
      for (const gap of addressing.gaps)
        deps.log.warn({ authority: a.id, disputeId: row.id, team: row.teamId, gap: gap.split(" in the directory")[0] }, "directory gap");
      // the emails of one notification share a Date; the dispute's next one is at least a second later
      const known = keys.map((k) => byKey.get(k)?.dateHeader).find((d) => d);
      const date = known ?? new Date(Math.max(now.getTime(), (lastDate?.getTime() ?? 0) + 1000));
      if (!known) lastDate = date;
      for (const email of addressing.emails) {
        const entry = entryOf(row, a, n, email.role);
        const held = byKey.get(entry.key);
        if (held && FINISHED.has(held.status)) continue;
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
          first: email.role === n.addressees[0]?.role && n.kind === "stage_raised" && n.key.endsWith(":e0:stage_raised"),
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

  const [skippedCount] = await Promise.all([
    supersede(svc.db, stale, "superseded: the dispute has moved on since this was planned"),
    recordFinal(svc.db, finals).then((written) => countFinals(deps, finals, written)),
  ]);
  if (skippedCount) deps.metrics.notifications.inc({ kind: "superseded", result: "skipped" }, skippedCount);

  const claimed = await claimMany(
    svc.db,
    toSend.map((x) => x.claim),
    deps.workerId,
    now,
    deps.leaseMs,
  );
  const held = new Map(claimed.map((r) => [r.key, r]));
  for (const x of toSend) {
    // not ours: another worker took it first; come back once its lease could have run out
    if (!held.has(x.claim.key)) later(x.due.row.id, new Date(now.getTime() + deps.leaseMs + 250));
  }
  const finished: Finished = { sent: [], failed: [], released: [] };
  await Promise.all(
    toSend.filter((x) => held.has(x.claim.key)).map((x) => deliverOne(deps, x.due, held.get(x.claim.key)!, finished, later)),
  );
  const done = await finishMany(svc.db, deps.workerId, finished);
  for (const s of finished.sent) {
    if (!done.has(s.key)) continue;
    const kind = String(s.record.payload.kind);
    deps.metrics.notifications.inc({ kind, result: "sent" });
    outcomes.get(s.record.disputeId)!.sent += 1;
  }
  for (const f of finished.failed)
    if (done.has(f.key)) deps.metrics.notifications.inc({ kind: String(f.record.payload.kind), result: "failed" });
  if (finished.released.length) deps.metrics.notifications.inc({ kind: "any", result: "retried" }, finished.released.length);
  // PostgreSQL keeps each dispute's next instant, so that a Redis that lost its jobs is re-armed without planning
  await recordNextDue(
    svc.db,
    rows.map((r) => ({ id: r.id, version: r.version, next: outcomes.get(r.id)?.next })),
  );
  return outcomes;
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
): Parameters<typeof recordFinal>[1][number] {
  const type = status === "skipped" ? "notification_skipped" : "notification_failed";
  return {
    ...entryOf(row, a, n, role),
    status,
    reason,
    record: { disputeId: row.id, type, at, payload: { key: n.key, kind: n.kind, role, reason: reason.split(":")[0] } },
  };
}

/** Counts and logs the skipped and failed rows this batch wrote. */
function countFinals(deps: WorkerDeps, rows: Parameters<typeof recordFinal>[1], written: string[]): void {
  const keys = new Set(written);
  for (const r of rows) {
    if (!keys.has(r.key)) continue;
    deps.metrics.notifications.inc({ kind: r.kind, result: r.status });
    if (r.status === "failed")
      deps.log.error({ authority: r.authorityId, disputeId: r.disputeId, key: r.key, why: r.reason.split(".")[0] }, "email failed");
  }
}

/** Composes, renders and hands over one email; what became of it goes into `finished`. */
async function deliverOne(
  deps: WorkerDeps,
  d: Due,
  held: OutboxRow,
  finished: Finished,
  later: (id: string, at: Date) => void,
): Promise<void> {
  const { svc } = deps;
  const date = held.dateHeader!;
  // a notification given a Date a second or more ahead (the dispute's previous one went this second)
  const wait = date.getTime() - svc.clock.now().getTime();
  if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, 5_000)));
  const record = (type: NotificationRecord["type"], extra: Record<string, unknown>): NotificationRecord => ({
    disputeId: d.row.id,
    type,
    at: svc.clock.now(),
    payload: { key: d.n.key, kind: d.n.kind, role: d.email.role, ...extra },
  });
  const to = d.email.to.map((p) => p.email);
  try {
    const view = composeEmail({
      authority: d.a,
      procedure: d.p,
      state: d.state,
      dispute: { ...d.row, teamName: (await deps.directories.get(d.a.id)).teams.get(d.row.teamId)?.name },
      notification: d.n,
      addressing: d.addressing,
      role: d.email.role,
      now: svc.clock.now(),
      mailDomain: deps.mailDomain,
    });
    view.actions = linksFor(deps.links, d, date);
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
    const sent = await deps.mailer.send({
      from: deps.from,
      to,
      cc: [],
      replyTo: d.row.raisedByEmail,
      subject: view.subject,
      html,
      text,
      date,
      messageId: held.messageId!,
      headers,
      icalEvent,
    });
    const refusedAll = sent.rejected.length > 0 && to.every((t) => sent.rejected.includes(t.toLowerCase()));
    if (refusedAll) {
      finished.failed.push({
        key: d.entry.key,
        reason: `the mail server refused ${sent.rejected.join(", ")}`,
        record: record("notification_failed", { reason: "refused by the mail server" }),
      });
      return;
    }
    finished.sent.push({
      key: d.entry.key,
      smtpResponse: sent.response,
      to,
      refused: sent.rejected,
      at: svc.clock.now(),
      record: record("notification_sent", { outboxKey: d.entry.key }),
    });
  } catch (err) {
    const message = safeMessage(err);
    const code = (err as { responseCode?: unknown }).responseCode;
    // a 5xx for every recipient will not change on retry; nor will anything after the last attempt
    const permanent = typeof code === "number" && code >= 500 && code < 600;
    if (permanent || held.attempts >= deps.retry.attempts) {
      const reason = permanent ? `the mail server refused it: ${message}` : `gave up after ${held.attempts} attempts: ${message}`;
      finished.failed.push({
        key: d.entry.key,
        reason,
        record: record("notification_failed", { reason: permanent ? "refused by the mail server" : "delivery failed after every retry" }),
      });
      deps.log.error({ authority: d.a.id, disputeId: d.row.id, key: d.entry.key, attempts: held.attempts }, "email failed");
      return;
    }
    finished.released.push({ key: d.entry.key, error: message });
    later(d.row.id, new Date(svc.clock.now().getTime() + deps.retry.baseDelayMs * 2 ** (held.attempts - 1)));
    deps.log.warn({ disputeId: d.row.id, key: d.entry.key, attempt: held.attempts }, "email not sent; will retry");
  }
}
