// The notification job. It decides nothing about dates: it asks the planner,
// from the dispute's history in PostgreSQL and the time now, whether its
// notification still stands, and then sends each addressee's email (each
// worded for its audience) at most once through the outbox.
import { DelayedError, type Job, UnrecoverableError } from "bullmq";
import { type DisputeRow, eventsOf, findDispute } from "../db/queries/disputes.ts";
import type { Directory } from "../domain/directory.ts";
import type { DisputeState } from "../domain/dispute/state.ts";
import { type PlannedNotification, planNotifications } from "../domain/planner.ts";
import { type Authority, type Procedure, roleFor } from "../domain/procedure/model.ts";
import { maySendNow, nextSendingTime } from "../domain/sending-hours.ts";
import type { Logger } from "../log.ts";
import { type AddressedEmail, type Addressing, addressNotification } from "../mail/addressing.ts";
import { icsFor, parseAddress } from "../mail/calendar.ts";
import { composeEmail } from "../mail/compose.ts";
import type { EmailView } from "../mail/model.ts";
import {
  claim,
  findRow,
  fixHeaders,
  logNotification,
  markFailed,
  markSent,
  nextEmailSlot,
  notificationDate,
  type OutboxEntry,
  type OutboxRow,
  recordSkip,
  release,
} from "../mail/outbox.ts";
import { disputeSubject, rootMessageId, threadHeaders } from "../mail/threading.ts";
import type { Mailer } from "../mail/transport.ts";
import type { Metrics } from "../metrics.ts";
import { safeMessage } from "../safe-error.ts";
import type { Services } from "../service/context.ts";
import { replayRows } from "../service/disputes.ts";
import type { DirectoryCache } from "./directory-cache.ts";
import { type NotifyJob, notifyJobSchema, type RetryPolicy } from "./queues.ts";

/** What became of one addressee's email, or of the whole notification. */
export type NotifyResult = "sent" | "skipped" | "failed" | "already_handled" | "superseded" | "lapsed" | "dispute_gone";

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
}

interface Context {
  a: Authority;
  p: Procedure;
  row: DisputeRow;
  state: DisputeState;
  dir: Directory;
  n: PlannedNotification;
  addressing: Addressing;
}

const entry = (c: Pick<Context, "a" | "row" | "n">, role: string): OutboxEntry => ({
  key: `${c.n.key}/${role}`,
  disputeId: c.row.id,
  authorityId: c.a.id,
  plannerKey: c.n.key,
  kind: c.n.kind,
  stage: c.n.stage,
  recipientRole: role,
});

export async function handleNotify(deps: WorkerDeps, job: Job<NotifyJob>, token?: string): Promise<NotifyResult[]> {
  const { svc } = deps;
  const parsed = notifyJobSchema.safeParse(job.data);
  // a job this worker cannot read will never be readable: fail it now, not after every retry
  if (!parsed.success)
    throw new UnrecoverableError(`a notification job this worker cannot read (version ${String((job.data as { v?: unknown }).v ?? 1)})`);
  const { disputeId, authorityId, key } = parsed.data;
  const a = svc.authorities.get(authorityId);
  const row = a && (await findDispute(svc.db, authorityId, disputeId));
  if (!a || !row) return ["dispute_gone"];
  const now = svc.clock.now();
  const events = await eventsOf(svc.db, row.id);
  const state = replayRows(a, row, events);
  const p = a.procedures[row.procedure]!;
  const plan = planNotifications({ authority: a, procedure: p, state, disputeId: row.id, service: row.serviceId, now });
  const n = plan.notifications.find((x) => x.key === key);
  const skipped = {
    key: `${key}/-`,
    disputeId: row.id,
    authorityId,
    plannerKey: key,
    kind: job.data.kind ?? "unknown",
    stage: null,
    recipientRole: "-",
  };
  if (!n) return [await skip(deps, skipped, "superseded: the dispute has moved on since this was planned", now, "superseded")];
  if (n.status === "lapsed")
    return [
      await skip(
        deps,
        { ...skipped, kind: n.kind, stage: n.stage },
        "lapsed: its deadline had passed when it came to be sent",
        now,
        "lapsed",
      ),
    ];

  // Not yet, or outside sending hours (a retry can land at night): wait for the next opening.
  const wait = n.sendAt.getTime() > now.getTime() ? n.sendAt : maySendNow(a, n.at, now) ? undefined : nextSendingTime(a, now);
  if (wait && token) {
    await job.moveToDelayed(Date.now() + (wait.getTime() - now.getTime()), token);
    throw new DelayedError();
  }

  const dir = await deps.directories.get(a.id);
  const invitees = n.kind === "stage_raised" ? (state.stage.meeting?.invitees ?? []).map((r) => roleFor(r, row.serviceId)) : [];
  const addressing = addressNotification(a, dir, row, n.addressees, p.qaInbox, invitees);
  for (const gap of addressing.gaps)
    deps.log.warn({ authority: a.id, disputeId: row.id, team: row.teamId, gap: gap.split(" in the directory")[0] }, "directory gap");
  const c: Context = { a, p, row, state, dir, n, addressing };
  const results: NotifyResult[] = [];
  let failure: unknown;
  // each addressee's email stands alone: one refused does not hold up the next
  for (const email of addressing.emails) {
    try {
      results.push(await sendOne(deps, c, email, job, token));
    } catch (e) {
      if (e instanceof DelayedError) throw e;
      failure ??= e;
    }
  }
  if (failure) throw failure; // retried (or failed for good); the emails already sent are not sent again
  return results;
}

async function skip(deps: WorkerDeps, e: OutboxEntry, reason: string, now: Date, result: NotifyResult): Promise<NotifyResult> {
  if (await recordSkip(deps.svc.db, e, reason)) {
    await logNotification(deps.svc.db, e.disputeId!, "notification_skipped", now, { key: e.plannerKey, kind: e.kind, reason });
    deps.metrics.notifications.inc({ kind: e.kind, result: "skipped" });
    deps.log.info({ disputeId: e.disputeId, key: e.plannerKey, why: reason.split(":")[0] }, "notification skipped");
  }
  return result;
}

/** One addressee's email: claim its outbox row, fix its headers, deliver it, record it. */
async function sendOne(
  deps: WorkerDeps,
  c: Context,
  email: AddressedEmail,
  job: Job<NotifyJob>,
  token: string | undefined,
): Promise<NotifyResult> {
  const { svc } = deps;
  const e = entry(c, email.role);
  if (email.skip) {
    if (email.failed) {
      if (!(await claim(svc.db, e, deps.workerId, svc.clock.now(), deps.leaseMs))) return "already_handled";
      return giveUp(deps, c, email.role, email.skip, "nobody to send to, not even the QA inbox", deps.workerId);
    }
    // nobody holds a copied role (the other emails name the gap), or the same people were reached in another role
    return (await recordSkip(svc.db, e, `no email for this role: ${email.skip}`)) ? "skipped" : "already_handled";
  }
  const held = await claimOrWait(deps, e, job, token);
  if (!held) return "already_handled";
  try {
    const headers = await fixedHeaders(deps, c, e, held);
    const view = composeEmail({
      authority: c.a,
      procedure: c.p,
      state: c.state,
      dispute: { ...c.row, teamName: c.dir.teams.get(c.row.teamId)?.name },
      notification: c.n,
      addressing: c.addressing,
      role: email.role,
      now: svc.clock.now(),
      mailDomain: deps.mailDomain,
    });
    const to = email.to.map((p) => p.email);
    const sent = await deliver(deps, c, view, to, headers, e.key);
    return await record(deps, c, email, e, to, sent);
  } catch (err) {
    const message = safeMessage(err);
    // the server refused every address for good (5xx): no retry will change that
    const permanent = isPermanentRefusal(err);
    const last = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (permanent) {
      await giveUp(deps, c, email.role, `the mail server refused it: ${message}`, "refused by the mail server", deps.workerId);
      throw new UnrecoverableError(message);
    }
    if (last) {
      await giveUp(
        deps,
        c,
        email.role,
        `gave up after ${job.attemptsMade + 1} attempts: ${message}`,
        "delivery failed after every retry",
        deps.workerId,
      );
    } else {
      await release(svc.db, e.key, deps.workerId, message);
      deps.metrics.notifications.inc({ kind: c.n.kind, result: "retried" });
      deps.log.warn({ disputeId: c.row.id, key: e.key, attempt: job.attemptsMade + 1 }, "email not sent; will retry");
    }
    throw err;
  }
}

/** Takes the row; if another worker holds a live lease, comes back when it runs out (that worker may have died). */
async function claimOrWait(
  deps: WorkerDeps,
  e: OutboxEntry,
  job: Job<NotifyJob>,
  token: string | undefined,
): Promise<OutboxRow | undefined> {
  const { svc } = deps;
  const now = svc.clock.now();
  const held = await claim(svc.db, e, deps.workerId, now, deps.leaseMs);
  if (held) return held;
  const row = await findRow(svc.db, e.key);
  if (row?.status === "sending" && row.lockExpiresAt && token) {
    await job.moveToDelayed(Date.now() + Math.max(0, row.lockExpiresAt.getTime() - now.getTime()) + 250, token);
    throw new DelayedError();
  }
  return undefined;
}

interface Headers {
  messageId: string;
  dateHeader: Date;
  threadIndex: string;
}

/** Message-ID, Date and Thread-Index, fixed at the first claim so that a resend after a crash is the same message. */
async function fixedHeaders(deps: WorkerDeps, c: Context, e: OutboxEntry, held: OutboxRow): Promise<Headers> {
  const { svc } = deps;
  if (held.messageId && held.dateHeader && held.threadIndex) {
    return { messageId: held.messageId, dateHeader: held.dateHeader, threadIndex: held.threadIndex };
  }
  // the emails of one notification go to different people, so they share one Date;
  // the dispute's next notification is at least a second later (Outlook orders by it)
  const dateHeader = (await notificationDate(svc.db, c.n.key)) ?? (await nextEmailSlot(svc.db, c.row.id, svc.clock.now()));
  const first = e.recipientRole === c.n.addressees[0]?.role && c.n.kind === "stage_raised" && c.n.key.endsWith(":e0:stage_raised");
  const t = threadHeaders({
    disputeId: c.row.id,
    raisedAt: c.row.raisedAt,
    subject: disputeSubject(c.a, c.p, c.row.reference),
    outboxKey: e.key,
    at: dateHeader,
    first,
    domain: deps.mailDomain,
  });
  const h = { messageId: t["Message-ID"], dateHeader, threadIndex: t["Thread-Index"] };
  await fixHeaders(svc.db, e.key, h);
  return h;
}

async function deliver(deps: WorkerDeps, c: Context, view: EmailView, to: string[], h: Headers, outboxKey: string) {
  const waitMs = h.dateHeader.getTime() - deps.svc.clock.now().getTime();
  if (waitMs > 0) await new Promise((r) => setTimeout(r, Math.min(waitMs, 5_000)));
  const { html, text } = deps.renderer.render(view);
  const rootId = rootMessageId(c.row.id, deps.mailDomain);
  const thread: Record<string, string> = {
    "Thread-Topic": view.subject,
    "Thread-Index": h.threadIndex,
    "X-DRP-Key": outboxKey,
    "X-DRP-Kind": c.n.kind,
    "X-DRP-Authority": c.a.id,
  };
  if (h.messageId !== rootId) Object.assign(thread, { "In-Reply-To": rootId, References: rootId });
  const organizer = parseAddress(deps.from);
  const icalEvent = view.calendar
    ? icsFor({
        event: view.calendar,
        organizer,
        attendees: to.map((email, i) => ({ email, name: view.recipient.name.split(", ")[i] ?? email })),
        stamp: h.dateHeader,
      })
    : undefined;
  return deps.mailer.send({
    from: deps.from,
    to,
    cc: [],
    replyTo: c.row.raisedByEmail,
    subject: view.subject,
    html,
    text,
    date: h.dateHeader,
    messageId: h.messageId,
    headers: thread,
    icalEvent,
  });
}

/** An SMTP refusal that will not change on retry: a 5xx for every recipient. */
function isPermanentRefusal(err: unknown): boolean {
  const code = (err as { responseCode?: unknown }).responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

async function record(
  deps: WorkerDeps,
  c: Context,
  email: AddressedEmail,
  e: OutboxEntry,
  to: string[],
  sent: { response: string; rejected: string[] },
): Promise<NotifyResult> {
  const { svc } = deps;
  const refusedAll = sent.rejected.length > 0 && to.every((t) => sent.rejected.includes(t.toLowerCase()));
  const log = { disputeId: c.row.id, payload: { key: c.n.key, kind: c.n.kind, role: email.role, outboxKey: e.key } };
  // some addresses refused: the rest went, so it counts as sent, and the
  // refused ones go on the QA inbox's list of failures
  await markSent(
    svc.db,
    e.key,
    deps.workerId,
    { smtpResponse: sent.response, to, cc: [], at: svc.clock.now(), refused: sent.rejected },
    refusedAll ? undefined : log,
  );
  // The server took the message but refused every addressee: it is not sent
  // again; it goes on the QA inbox's list of failures.
  if (refusedAll) return giveUp(deps, c, email.role, `the mail server refused ${sent.rejected.join(", ")}`, "refused by the mail server");
  deps.metrics.notifications.inc({ kind: c.n.kind, result: "sent" });
  deps.log.info({ disputeId: c.row.id, key: e.key, kind: c.n.kind, redirected: email.redirected || undefined }, "email sent");
  return "sent";
}

/** Marks an email failed for good: recorded, counted, logged, and listed for the QA inbox. */
async function giveUp(deps: WorkerDeps, c: Context, role: string, reason: string, summary: string, worker?: string): Promise<NotifyResult> {
  const { svc } = deps;
  const key = `${c.n.key}/${role}`;
  await markFailed(svc.db, key, reason, worker);
  await logNotification(svc.db, c.row.id, "notification_failed", svc.clock.now(), { key: c.n.key, kind: c.n.kind, role, reason: summary });
  deps.metrics.notifications.inc({ kind: c.n.kind, result: "failed" });
  deps.log.error({ authority: c.a.id, disputeId: c.row.id, key, why: summary }, "email failed");
  return "failed";
}
