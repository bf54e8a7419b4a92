// Sending what a review's deadlines have due. A maintenance job every minute
// (DRP_REVIEWS_MS) takes the open reviews whose next email is due
// (reviews.next_due_at, kept at every step and every send), plans each from its
// history, sends what is due once (outbox key review:<id>:<deadline>:<kind>/<role>),
// records what lapsed or was overtaken, and works out the next instant.
import { and, eq, lte } from "drizzle-orm";
import { loadDirectory } from "../db/queries/directory.ts";
import { reviews } from "../db/schema.ts";
import { resolveRole } from "../domain/directory.ts";
import { roleLabel } from "../domain/procedure/model.ts";
import { planReview } from "../domain/review/plan.ts";
import { maySendNow } from "../domain/sending-hours.ts";
import { claim, markFailed, markSent, recordSkip, release } from "../mail/outbox.ts";
import { type ThreadHeaders, threadHeaders } from "../mail/threading.ts";
import { reviewEmail } from "../mail/wording/reviews.ts";
import { safeMessage } from "../safe-error.ts";
import { procedureOf } from "../service/disputes.ts";
import { finishedReviewKeys, nextDueOf, type ReviewRow, reviewEventsOf, reviewState, reviewsOf } from "../service/reviews.ts";
import type { WorkerDeps } from "./dispatch.ts";

/** Sends every review email that is due; returns how many went. */
export async function sendDueReviewEmails(deps: WorkerDeps, limit = 500): Promise<number> {
  const now = deps.svc.clock.now();
  const due = await deps.svc.db
    .select()
    .from(reviews)
    .where(and(eq(reviews.status, "open"), lte(reviews.nextDueAt, now)))
    .limit(limit);
  let sent = 0;
  for (const row of due) {
    try {
      sent += await sendReview(deps, row);
    } catch (e) {
      deps.log.warn({ review: row.id, err: safeMessage(e) }, "a review's emails could not all be sent; the next run tries again");
    }
  }
  return sent;
}

async function sendReview(deps: WorkerDeps, row: ReviewRow): Promise<number> {
  const { svc } = deps;
  const a = svc.authorities.get(row.authorityId);
  if (!a) return 0;
  const p = procedureOf(a, row.procedure);
  const cfg = reviewsOf(a, p);
  const state = reviewState(a, row, await reviewEventsOf(svc.db, row.id));
  const finished = await finishedReviewKeys(svc.db, row.id);
  const dir = await loadDirectory(svc.db, a.id);
  const now = svc.clock.now();
  let sent = 0;
  for (const n of planReview(a, p, state, row.id, now)) {
    const base = { disputeId: null, authorityId: a.id, plannerKey: n.key, kind: n.kind, stage: null };
    if (n.status !== "planned") {
      for (const x of n.addressees) {
        const key = `${n.key}/${x.role}`;
        if (!finished.has(key))
          await recordSkip(
            svc.db,
            { ...base, key, recipientRole: x.role },
            n.status === "lapsed" ? "lapsed: its date passed" : "superseded: the deadline was met or the review closed",
          );
      }
      continue;
    }
    if (n.at.getTime() > now.getTime() || !maySendNow(a, n.at, now)) continue;
    // the person asked, if no one holds the role, is replaced by the QA inbox with a banner saying so;
    // a copied role no one holds is left out, and said so on the others' emails
    const gaps: string[] = [];
    const people = n.addressees.map((x) => {
      if (x.role === "chair") return { ...x, people: [{ name: row.chairName, email: row.chairEmail }] };
      const r = resolveRole(dir, x.role, row.teamId);
      if (r.found) return { ...x, people: r.people };
      gaps.push(
        `No one holds the role ${roleLabel(a, x.role)} for team ${row.teamId} in the directory: ${x.audience === "who" ? "this has gone to the QA inbox instead" : "they have not been sent this"}.`,
      );
      const inbox = x.audience === "who" ? resolveRole(dir, p.qaInbox, row.teamId) : undefined;
      return { ...x, people: inbox?.found ? inbox.people : [] };
    });
    for (const x of people) {
      const key = `${n.key}/${x.role}`;
      if (finished.has(key)) continue;
      if (!x.people.length && x.audience === "copied") {
        await recordSkip(svc.db, { ...base, key, recipientRole: x.role }, `no one holds the role ${x.role} for team ${row.teamId}`);
        continue;
      }
      if (!(await claim(svc.db, { ...base, key, recipientRole: x.role }, deps.workerId, now, deps.leaseMs))) continue;
      if (!x.people.length) {
        await markFailed(svc.db, key, `no one holds the role ${x.role} for team ${row.teamId}, nor the QA inbox`, deps.workerId);
        continue;
      }
      const others = people
        .filter((o) => o !== x && o.people.length)
        .map((o) => (o.role === "chair" ? `${row.chairName} (chair)` : roleLabel(a, o.role)));
      const view = reviewEmail(
        a,
        p,
        cfg,
        {
          reference: row.reference,
          childRef: row.childRef,
          heldOn: row.heldOn,
          chair: { name: row.chairName, email: row.chairEmail, role: row.chairRole },
        },
        n,
        { role: x.role, audience: x.audience, names: x.people.map((q) => q.name) },
        others,
      );
      try {
        view.banners = gaps;
        const { html, text } = deps.renderer.render(view);
        const to = x.people.map((q) => q.email);
        const thread = threadHeaders({
          disputeId: row.id,
          raisedAt: row.createdAt,
          subject: view.subject,
          outboxKey: key,
          at: now,
          first: false,
          domain: deps.mailDomain,
        });
        const res = await deps.mailer.send({
          from: deps.from,
          to,
          cc: [],
          replyTo: row.chairEmail,
          subject: view.subject,
          html,
          text,
          date: now,
          messageId: thread["Message-ID"],
          headers: { ...withoutMessageId(thread), "X-DRP-Key": key, "X-DRP-Kind": n.kind, "X-DRP-Authority": a.id },
        });
        await markSent(svc.db, key, deps.workerId, { smtpResponse: res.response, to, cc: [], at: now, refused: res.rejected });
        deps.metrics.notifications.inc({ kind: n.kind, result: "sent" });
        finished.add(key);
        sent += 1;
      } catch (e) {
        await release(svc.db, key, deps.workerId, safeMessage(e));
        throw e;
      }
    }
  }
  // what it sent (or recorded) moves its next instant on
  await svc.db
    .update(reviews)
    .set({ nextDueAt: nextDueOf(a, p, row, state, await finishedReviewKeys(svc.db, row.id), svc.clock.now()) })
    .where(eq(reviews.id, row.id));
  return sent;
}

function withoutMessageId(h: ThreadHeaders): Record<string, string> {
  const { "Message-ID": _m, ...rest } = h;
  return Object.fromEntries(Object.entries(rest).filter((e): e is [string, string] => e[1] !== undefined));
}
