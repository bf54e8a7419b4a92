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
import { type Claim, claim, type FinalRow, type OutboxRow, recordFinal } from "../mail/outbox.ts";
import type { Delivery } from "../mail/send.ts";
import { type ThreadHeaders, threadHeaders } from "../mail/threading.ts";
import type { OutgoingEmail } from "../mail/transport.ts";
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
  const finals: FinalRow[] = [];
  const toSend: { claim: Claim; email: (held: OutboxRow) => OutgoingEmail }[] = [];
  for (const n of planReview(a, p, state, row.id, now)) {
    const base = { disputeId: null, authorityId: a.id, plannerKey: n.key, kind: n.kind, stage: null };
    if (n.status !== "planned") {
      for (const x of n.addressees) {
        const key = `${n.key}/${x.role}`;
        if (!finished.has(key))
          finals.push({
            ...base,
            key,
            recipientRole: x.role,
            status: "skipped",
            reason: n.status === "lapsed" ? "lapsed: its date passed" : "superseded: the deadline was met or the review closed",
          });
      }
      continue;
    }
    if (n.at.getTime() > now.getTime() || !maySendNow(a, n.at, now)) continue;
    // the person asked, if no one holds the role, is replaced by the QA inbox with a banner saying so;
    // a copied role no one holds is left out, and said so on the others' emails
    const gaps: string[] = [];
    const people = n.addressees.map((x) => {
      if (x.role === "chair") return { ...x, people: [{ name: row.chairName, email: row.chairEmail }] };
      const r = resolveRole(dir, x.role, row.teamId, row.casePeople);
      if (r.found) return { ...x, people: r.people };
      gaps.push(
        `No one holds the role ${roleLabel(a, x.role)} for team ${row.teamId} in the directory: ${x.audience === "who" ? "this has gone to the QA inbox instead" : "they have not been sent this"}.`,
      );
      const inbox = x.audience === "who" ? resolveRole(dir, p.qaInbox, row.teamId) : undefined;
      return { ...x, people: inbox?.found ? inbox.people : [] };
    });
    // one email per person: the social worker's line manager is copied "if that is not the team manager" (Gloucestershire ¶4)
    const reachedAs = new Map<string, string>();
    const sameAs = new Map<(typeof people)[number], string>();
    for (const x of people) {
      const fresh = x.people.filter((q) => !reachedAs.has(q.email.toLowerCase()));
      if (x.people.length && !fresh.length) sameAs.set(x, reachedAs.get(x.people[0]!.email.toLowerCase())!);
      for (const q of fresh) reachedAs.set(q.email.toLowerCase(), x.role);
      x.people = fresh;
    }
    for (const x of people) {
      const key = `${n.key}/${x.role}`;
      if (finished.has(key)) continue;
      if (!x.people.length) {
        const same = sameAs.get(x);
        finals.push(
          same
            ? {
                ...base,
                key,
                recipientRole: x.role,
                status: "skipped",
                reason: `the same person as the ${same}, who has this email in that role`,
              }
            : x.audience === "copied"
              ? { ...base, key, recipientRole: x.role, status: "skipped", reason: `no one holds the role ${x.role} for team ${row.teamId}` }
              : {
                  ...base,
                  key,
                  recipientRole: x.role,
                  status: "failed",
                  reason: `no one holds the role ${x.role} for team ${row.teamId}, nor the QA inbox`,
                },
        );
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
      view.banners = gaps;
      const to = x.people.map((q) => q.email);
      const thread = (at: Date) =>
        threadHeaders({
          disputeId: row.id,
          raisedAt: row.createdAt,
          subject: view.subject,
          outboxKey: key,
          at,
          first: false,
          domain: deps.mailDomain,
        });
      const first = thread(now);
      toSend.push({
        claim: {
          ...base,
          key,
          recipientRole: x.role,
          messageId: first["Message-ID"],
          dateHeader: now,
          threadIndex: first["Thread-Index"],
          toAddresses: to,
        },
        email: (held) => {
          const { html, text } = deps.renderer.render(view);
          // a resend is the same message: the Message-ID, Date and Thread-Index of the first attempt
          const date = held.dateHeader ?? now;
          const t = thread(date);
          return {
            from: deps.from,
            to,
            cc: [],
            replyTo: row.chairEmail,
            subject: view.subject,
            html,
            text,
            date,
            messageId: held.messageId ?? t["Message-ID"],
            headers: {
              ...withoutMessageId(t),
              "Thread-Index": held.threadIndex ?? t["Thread-Index"],
              "X-DRP-Key": key,
              "X-DRP-Kind": n.kind,
              "X-DRP-Authority": a.id,
            },
          };
        },
      });
    }
  }
  await recordFinal(svc.db, finals);
  const held = await claim(
    svc.db,
    toSend.map((x) => x.claim),
    deps.workerId,
    now,
    deps.leaseMs,
  );
  const byKey = new Map(toSend.map((x) => [x.claim.key, x]));
  const delivered = await deps.sender.deliver(
    held.map((r): Delivery => ({ row: r, ids: { authority: a.id, review: row.id }, build: () => byKey.get(r.key)!.email(r) })),
  );
  const sent = [...delivered.values()].filter((d) => d.result === "sent").length;
  // what it sent (or recorded) moves its next instant on; unless a step was taken meanwhile: that step set the
  // next instant from the history as it now is, which this one, worked out from the history as it was read, would undo
  await svc.db
    .update(reviews)
    .set({ nextDueAt: nextDueOf(a, p, row, state, await finishedReviewKeys(svc.db, row.id), svc.clock.now()) })
    .where(and(eq(reviews.id, row.id), eq(reviews.version, row.version)));
  return sent;
}

function withoutMessageId(h: ThreadHeaders): Record<string, string> {
  const { "Message-ID": _m, ...rest } = h;
  return Object.fromEntries(Object.entries(rest).filter((e): e is [string, string] => e[1] !== undefined));
}
