// The notification job. It decides nothing about dates: it asks the planner,
// from the dispute's history in PostgreSQL and the time now, whether its
// notification still stands, and then sends each of its emails at most once
// through the outbox.
import { DelayedError, type Job } from "bullmq";
import { type DisputeRow, eventsOf, findDispute } from "../db/queries/disputes.ts";
import type { Directory } from "../domain/directory.ts";
import type { DisputeState } from "../domain/dispute/state.ts";
import { type PlannedNotification, planNotifications } from "../domain/planner.ts";
import type { Authority, Procedure } from "../domain/procedure/model.ts";
import { maySendNow, nextSendingTime } from "../domain/sending-hours.ts";
import type { Logger } from "../log.ts";
import { address, NobodyToSendTo } from "../mail/addressing.ts";
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
  type OutboxEntry,
  recordSkip,
  release,
} from "../mail/outbox.ts";
import { disputeSubject, rootMessageId, threadHeaders } from "../mail/threading.ts";
import type { Mailer } from "../mail/transport.ts";
import type { Metrics } from "../metrics.ts";
import type { Services } from "../service/context.ts";
import { replayRows } from "../service/disputes.ts";
import type { DirectoryCache } from "./directory-cache.ts";
import type { NotifyJob, RetryPolicy } from "./queues.ts";

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
}

const entry = (c: Context, n: PlannedNotification, role: string): OutboxEntry => ({
  key: `${n.key}/${role}`,
  disputeId: c.row.id,
  authorityId: c.a.id,
  plannerKey: n.key,
  kind: n.kind,
  stage: n.stage,
  recipientRole: role,
});

export async function handleNotify(deps: WorkerDeps, job: Job<NotifyJob>, token?: string): Promise<string> {
  const { svc } = deps;
  const { disputeId, authorityId, key } = job.data;
  const a = svc.authorities.get(authorityId);
  const row = a && (await findDispute(svc.db, authorityId, disputeId));
  if (!a || !row) return "dispute gone";
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
  if (!n) return skip(deps, skipped, "superseded: the dispute has moved on since this was planned", now);
  if (n.status === "lapsed")
    return skip(deps, { ...skipped, kind: n.kind, stage: n.stage }, "lapsed: its deadline had passed when it came to be sent", now);

  // Not yet, or outside sending hours (a retry can land at night): wait for the next opening.
  const wait = n.sendAt.getTime() > now.getTime() ? n.sendAt : maySendNow(a, n.at, now) ? undefined : nextSendingTime(a, now);
  if (wait && token) {
    await job.moveToDelayed(Date.now() + (wait.getTime() - now.getTime()), token);
    throw new DelayedError();
  }

  const c: Context = { a, p, row, state, dir: await deps.directories.get(a.id) };
  const results: string[] = [];
  let failure: unknown;
  for (const [i, role] of n.to.entries()) {
    // copies go with the first addressee's email only, so nobody is copied twice;
    // each addressee's email stands alone: one refused does not hold up the next
    try {
      results.push(await sendOne(deps, c, n, role, i === 0 ? n.cc : [], i === 0, job, token));
    } catch (e) {
      if (e instanceof DelayedError) throw e;
      failure ??= e;
    }
  }
  if (failure) throw failure; // retried; the emails already sent are not sent again
  return results.join(", ");
}

async function skip(deps: WorkerDeps, e: OutboxEntry, reason: string, now: Date): Promise<string> {
  if (await recordSkip(deps.svc.db, e, reason)) {
    await logNotification(deps.svc.db, e.disputeId!, "notification_skipped", now, { key: e.plannerKey, kind: e.kind, reason });
    deps.metrics.notifications.inc({ kind: e.kind, result: "skipped" });
    deps.log.info({ disputeId: e.disputeId, key: e.plannerKey, why: reason.split(":")[0] }, "notification skipped");
  }
  return `skipped (${reason.split(":")[0]})`;
}

async function sendOne(
  deps: WorkerDeps,
  c: Context,
  n: PlannedNotification,
  role: string,
  ccRoles: string[],
  firstAddressee: boolean,
  job: Job<NotifyJob>,
  token: string | undefined,
): Promise<string> {
  const { svc } = deps;
  const e = entry(c, n, role);
  const now = svc.clock.now();
  const held = await claim(svc.db, e, deps.workerId, now, deps.leaseMs);
  if (!held) {
    const row = await findRow(svc.db, e.key);
    // Another worker holds it. If that worker dies its lease runs out: come
    // back then, or this email would wait for nobody.
    if (row?.status === "sending" && row.lockExpiresAt && token) {
      await job.moveToDelayed(Date.now() + Math.max(0, row.lockExpiresAt.getTime() - now.getTime()) + 250, token);
      throw new DelayedError();
    }
    return "already handled";
  }
  try {
    let { messageId, dateHeader, threadIndex } = held;
    const subject = disputeSubject(c.a, c.p, c.row.reference);
    if (!messageId || !dateHeader || !threadIndex) {
      // fixed at the first claim, so that a resend after a crash is the same message
      dateHeader = await nextEmailSlot(svc.db, c.row.id, now);
      const first = firstAddressee && n.kind === "stage_raised" && n.key.endsWith(":e0:stage_raised");
      const t = threadHeaders({
        disputeId: c.row.id,
        raisedAt: c.row.raisedAt,
        subject,
        outboxKey: e.key,
        at: dateHeader,
        first,
        domain: deps.mailDomain,
      });
      messageId = t["Message-ID"];
      threadIndex = t["Thread-Index"];
      await fixHeaders(svc.db, e.key, { messageId, dateHeader, threadIndex });
    }
    const waitMs = dateHeader.getTime() - svc.clock.now().getTime();
    if (waitMs > 0) await new Promise((r) => setTimeout(r, Math.min(waitMs, 5_000)));

    const addressed = address(c.a, c.dir, c.row, role, ccRoles, c.p.qaInbox);
    for (const gap of addressed.gaps)
      deps.log.warn(
        { authority: c.a.id, disputeId: c.row.id, team: c.row.teamId, gap: gap.split(" in the directory")[0] },
        "directory gap",
      );
    const view = composeEmail({
      authority: c.a,
      procedure: c.p,
      state: c.state,
      dispute: { ...c.row, teamName: c.dir.teams.get(c.row.teamId)?.name },
      notification: n,
      addressed,
      now: svc.clock.now(),
    });
    const { html, text } = deps.renderer.render(view);
    const rootId = rootMessageId(c.row.id, deps.mailDomain);
    const thread: Record<string, string> = {
      "Thread-Topic": subject,
      "Thread-Index": threadIndex,
      "X-DRP-Key": e.key,
      "X-DRP-Kind": n.kind,
    };
    if (messageId !== rootId) Object.assign(thread, { "In-Reply-To": rootId, References: rootId });
    const to = addressed.to.map((p) => p.email);
    const cc = addressed.cc.map((p) => p.email);
    const sent = await deps.mailer.send({
      from: deps.from,
      to,
      cc,
      replyTo: c.row.raisedByEmail,
      subject,
      html,
      text,
      date: dateHeader,
      messageId,
      headers: thread,
    });
    const refusedAll = sent.rejected.length > 0 && to.every((t) => sent.rejected.includes(t.toLowerCase()));
    const record = { disputeId: c.row.id, payload: { key: n.key, kind: n.kind, role, outboxKey: e.key } };
    // some addresses refused (a copy, say): the rest went, so it counts as sent,
    // and the refused ones go on the QA inbox's list of failures
    await markSent(
      svc.db,
      e.key,
      { smtpResponse: sent.response, to, cc, at: svc.clock.now(), refused: sent.rejected },
      refusedAll ? undefined : record,
    );
    // The server took the message but refused every addressee: the copies went,
    // so it is not sent again; it goes on the QA inbox's list of failures.
    if (refusedAll) return giveUp(deps, c, n, role, `the mail server refused ${sent.rejected.join(", ")}`, "refused by the mail server");
    deps.metrics.notifications.inc({ kind: n.kind, result: "sent" });
    deps.log.info({ disputeId: c.row.id, key: e.key, kind: n.kind, redirected: addressed.redirected || undefined }, "email sent");
    return "sent";
  } catch (err) {
    if (err instanceof NobodyToSendTo)
      return giveUp(deps, c, n, role, err.message, "nobody to send to, not even the QA inbox", deps.workerId);
    const message = (err as Error).message ?? String(err);
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (last) {
      await giveUp(
        deps,
        c,
        n,
        role,
        `gave up after ${job.attemptsMade + 1} attempts: ${message}`,
        "delivery failed after every retry",
        deps.workerId,
      );
    } else {
      await release(svc.db, e.key, deps.workerId, message);
      deps.metrics.notifications.inc({ kind: n.kind, result: "retried" });
      deps.log.warn({ disputeId: c.row.id, key: e.key, attempt: job.attemptsMade + 1 }, "email not sent; will retry");
    }
    throw err;
  }
}

/** Marks an email failed for good: recorded, counted, logged, and listed for the QA inbox. */
async function giveUp(
  deps: WorkerDeps,
  c: Context,
  n: PlannedNotification,
  role: string,
  reason: string,
  summary: string,
  worker?: string,
): Promise<string> {
  const { svc } = deps;
  const key = `${n.key}/${role}`;
  await markFailed(svc.db, key, reason, worker);
  await logNotification(svc.db, c.row.id, "notification_failed", svc.clock.now(), { key: n.key, kind: n.kind, role, reason: summary });
  deps.metrics.notifications.inc({ kind: n.kind, result: "failed" });
  deps.log.error({ authority: c.a.id, disputeId: c.row.id, key, why: summary }, "email failed");
  return `failed (${summary})`;
}
