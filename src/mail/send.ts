// Handing claimed emails to the mail server, and recording each one as soon
// as the server has taken it. Every kind of email goes this way.
//
// A process sends on as many lanes as the SMTP pool has connections. A lane
// builds an email, hands it over, and waits until the outcome is committed to
// the outbox before it takes the next one: so if the process is killed, the
// emails the server took but the outbox does not yet show as sent — the ones
// a restarted worker would send again — are at most one per lane. Outcomes
// that arrive together are committed together (one transaction), and a commit
// that fails (the database is away) is tried again until it succeeds: the
// lanes wait, nothing is sent meanwhile, and nothing already sent is sent
// again because its record was lost.
import type { Clock } from "../clock.ts";
import type { Database } from "../db/client.ts";
import { isDatabaseAway } from "../db/errors.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { safeMessage } from "../safe-error.ts";
import { type FailedEmail, finish, type NotificationEventType, type NotificationRecord, type OutboxRow, type SentEmail } from "./outbox.ts";
import type { Mailer, OutgoingEmail } from "./transport.ts";
import { verpAddress } from "./verp.ts";

export interface SendDeps {
  db: Database;
  mailer: Mailer;
  clock: Clock;
  metrics: Metrics;
  log: Logger;
  workerId: string;
  /** attempts before an email is given up on, and the first backoff (doubling) */
  retry: { attempts: number; baseDelayMs: number };
  /** BOUNCE_ADDRESS: each email's envelope sender is its own address on this mailbox (VERP) */
  bounceAddress?: string;
}

export interface Delivery {
  /** the outbox row, held by this worker */
  row: OutboxRow;
  /** composes and renders the email; called once a lane is free */
  build(): OutgoingEmail | Promise<OutgoingEmail>;
  /** the entry for the dispute's event log, for a dispute's emails */
  record?: (type: NotificationEventType, at: Date, extra: Record<string, unknown>) => NotificationRecord;
  /** ids for the log lines (never names or free text) */
  ids?: Record<string, unknown>;
}

/**
 * An email from the service itself (a report, the failure list: replies go
 * back to it), built from its claimed row: the row's Message-ID and Date, fixed
 * at the first claim, so that a resend is the same message.
 */
export function serviceEmail(
  from: string,
  row: OutboxRow,
  to: string[],
  body: { subject: string; html: string; text: string },
  extra: Pick<OutgoingEmail, "attachments"> & { headers?: Record<string, string> } = {},
): OutgoingEmail {
  return {
    from,
    to,
    cc: [],
    replyTo: from,
    ...body,
    date: row.dateHeader!,
    messageId: row.messageId!,
    headers: { "X-DRP-Key": row.key, "X-DRP-Kind": row.kind, "X-DRP-Authority": row.authorityId, ...extra.headers },
    attachments: extra.attachments,
  };
}

export type Delivered =
  | { result: "sent" }
  | { result: "failed" }
  /** not sent this time: the row is pending again, to be tried at `retryAt` */
  | { result: "retry"; retryAt: Date }
  /** another worker had taken the row over; what it records stands */
  | { result: "lost" };

export interface Sender {
  /** Sends each delivery and records its outcome; resolves once every outcome is committed. */
  deliver(ds: Delivery[]): Promise<Map<string, Delivered>>;
  /** emails handed over or being recorded right now */
  inFlight(): number;
}

type Outcome = { sent: SentEmail } | { failed: FailedEmail } | { released: { key: string; error: string } };

export function createSender(deps: SendDeps, lanes = deps.mailer.connections): Sender {
  const commit = committer(deps);
  const gate = semaphore(Math.max(1, lanes));
  let busy = 0;

  async function one(d: Delivery): Promise<Delivered> {
    const { row } = d;
    const at = () => deps.clock.now();
    let outcome: Outcome;
    let delivered: Delivered;
    try {
      const built = await d.build();
      // a delivery report or an automatic reply comes back to this email's own address: one row, one addressee
      const email = deps.bounceAddress ? { ...built, envelopeFrom: verpAddress(deps.bounceAddress, row.bounceToken) } : built;
      const res = await deps.mailer.send(email);
      const to = email.to;
      const refusedAll = res.rejected.length > 0 && to.every((t) => res.rejected.includes(t.toLowerCase()));
      if (refusedAll) {
        outcome = {
          failed: {
            key: row.key,
            reason: `the mail server refused ${res.rejected.join(", ")}`,
            record: d.record?.("notification_failed", at(), { reason: "refused by the mail server" }),
          },
        };
        delivered = { result: "failed" };
      } else {
        outcome = {
          sent: {
            key: row.key,
            smtpResponse: res.response,
            to,
            refused: res.rejected,
            at: at(),
            record: d.record?.("notification_sent", at(), { outboxKey: row.key }),
          },
        };
        delivered = { result: "sent" };
      }
    } catch (err) {
      const message = safeMessage(err);
      const code = (err as { responseCode?: unknown }).responseCode;
      // a 5xx for every recipient will not change on retry; nor will anything after the last attempt
      const permanent = typeof code === "number" && code >= 500 && code < 600;
      if (permanent || row.attempts >= deps.retry.attempts) {
        const reason = permanent ? `the mail server refused it: ${message}` : `gave up after ${row.attempts} attempts: ${message}`;
        outcome = {
          failed: {
            key: row.key,
            reason,
            record: d.record?.("notification_failed", at(), {
              reason: permanent ? "refused by the mail server" : "delivery failed after every retry",
            }),
          },
        };
        delivered = { result: "failed" };
        deps.log.error({ ...d.ids, key: row.key, attempts: row.attempts }, "email failed");
      } else {
        outcome = { released: { key: row.key, error: message } };
        delivered = { result: "retry", retryAt: new Date(at().getTime() + deps.retry.baseDelayMs * 2 ** (row.attempts - 1)) };
        deps.log.warn({ ...d.ids, key: row.key, attempt: row.attempts }, "email not sent; will retry");
      }
    }
    const ours = await commit(outcome);
    if (!ours) return { result: "lost" };
    const result = delivered.result === "retry" ? "retried" : delivered.result;
    deps.metrics.notifications.inc({ kind: row.kind, result });
    return delivered;
  }

  return {
    async deliver(ds) {
      const out = new Map<string, Delivered>();
      await Promise.all(
        ds.map(async (d) => {
          await gate.take();
          busy += 1;
          try {
            out.set(d.row.key, await one(d));
          } finally {
            busy -= 1;
            gate.give();
          }
        }),
      );
      return out;
    },
    inFlight: () => busy,
  };
}

/**
 * Commits outcomes to the outbox: those that arrive while a commit runs go in
 * the next one together. Resolves true if the row was this worker's to finish.
 */
function committer(deps: SendDeps): (o: Outcome) => Promise<boolean> {
  let queued: { o: Outcome; done: (ours: boolean) => void }[] = [];
  let running = false;
  const run = async () => {
    running = true;
    let wait = 200;
    while (queued.length) {
      const batch = queued;
      queued = [];
      try {
        const ours = await finish(deps.db, deps.workerId, toFinished(batch.map((b) => b.o)));
        for (const b of batch) b.done(ours.has(keyOf(b.o)));
        wait = 200;
      } catch (e) {
        if (isDatabaseAway(e)) {
          // the database is away: these emails are sent, so their record must not be lost; try again
          deps.log.warn({ emails: batch.length, err: safeMessage(e), retryInMs: wait }, "could not record emails; trying again");
          queued = [...batch, ...queued];
          await new Promise((r) => setTimeout(r, wait));
          wait = Math.min(wait * 2, 5_000);
          continue;
        }
        // a statement the database refuses (not an outage): each alone, so one bad record does not hold up the rest
        for (const b of batch) {
          try {
            b.done((await finish(deps.db, deps.workerId, toFinished([b.o]))).has(keyOf(b.o)));
          } catch (err) {
            deps.log.error(
              { key: keyOf(b.o), err: safeMessage(err) },
              "could not record an email; its lease will run out and it may be sent again",
            );
            b.done(false);
          }
        }
      }
    }
    running = false;
  };
  return (o) =>
    new Promise((done) => {
      queued.push({ o, done });
      if (!running) void run();
    });
}

function toFinished(os: Outcome[]) {
  const f = { sent: [] as SentEmail[], failed: [] as FailedEmail[], released: [] as { key: string; error: string }[] };
  for (const o of os) {
    if ("sent" in o) f.sent.push(o.sent);
    else if ("failed" in o) f.failed.push(o.failed);
    else f.released.push(o.released);
  }
  return f;
}

const keyOf = (o: Outcome) => ("sent" in o ? o.sent.key : "failed" in o ? o.failed.key : o.released.key);

function semaphore(n: number) {
  let free = n;
  const waiting: (() => void)[] = [];
  return {
    take: () =>
      free > 0
        ? ((free -= 1), Promise.resolve())
        : new Promise<void>((r) => {
            waiting.push(r);
          }),
    give: () => {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    },
  };
}
