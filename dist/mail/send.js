import { isDatabaseAway } from "../db/errors.js";
import { safeMessage } from "../safe-error.js";
import { finish } from "./outbox.js";
/**
 * An email from the service itself (a report, the failure list: replies go
 * back to it), built from its claimed row: the row's Message-ID and Date, fixed
 * at the first claim, so that a resend is the same message.
 */
export function serviceEmail(from, row, to, body, extra = {}) {
    return {
        from,
        to,
        cc: [],
        replyTo: from,
        ...body,
        date: row.dateHeader,
        messageId: row.messageId,
        headers: { "X-DRP-Key": row.key, "X-DRP-Kind": row.kind, "X-DRP-Authority": row.authorityId, ...extra.headers },
        attachments: extra.attachments,
    };
}
export function createSender(deps, lanes = deps.mailer.connections) {
    const commit = committer(deps);
    const gate = semaphore(Math.max(1, lanes));
    let busy = 0;
    async function one(d) {
        const { row } = d;
        const at = () => deps.clock.now();
        let outcome;
        let delivered;
        try {
            const email = await d.build();
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
            }
            else {
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
        }
        catch (err) {
            const message = safeMessage(err);
            const code = err.responseCode;
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
            }
            else {
                outcome = { released: { key: row.key, error: message } };
                delivered = { result: "retry", retryAt: new Date(at().getTime() + deps.retry.baseDelayMs * 2 ** (row.attempts - 1)) };
                deps.log.warn({ ...d.ids, key: row.key, attempt: row.attempts }, "email not sent; will retry");
            }
        }
        const ours = await commit(outcome);
        if (!ours)
            return { result: "lost" };
        const result = delivered.result === "retry" ? "retried" : delivered.result;
        deps.metrics.notifications.inc({ kind: row.kind, result });
        return delivered;
    }
    return {
        async deliver(ds) {
            const out = new Map();
            await Promise.all(ds.map(async (d) => {
                await gate.take();
                busy += 1;
                try {
                    out.set(d.row.key, await one(d));
                }
                finally {
                    busy -= 1;
                    gate.give();
                }
            }));
            return out;
        },
        inFlight: () => busy,
    };
}
/**
 * Commits outcomes to the outbox: those that arrive while a commit runs go in
 * the next one together. Resolves true if the row was this worker's to finish.
 */
function committer(deps) {
    let queued = [];
    let running = false;
    const run = async () => {
        running = true;
        let wait = 200;
        while (queued.length) {
            const batch = queued;
            queued = [];
            try {
                const ours = await finish(deps.db, deps.workerId, toFinished(batch.map((b) => b.o)));
                for (const b of batch)
                    b.done(ours.has(keyOf(b.o)));
                wait = 200;
            }
            catch (e) {
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
                    }
                    catch (err) {
                        deps.log.error({ key: keyOf(b.o), err: safeMessage(err) }, "could not record an email; its lease will run out and it may be sent again");
                        b.done(false);
                    }
                }
            }
        }
        running = false;
    };
    return (o) => new Promise((done) => {
        queued.push({ o, done });
        if (!running)
            void run();
    });
}
function toFinished(os) {
    const f = { sent: [], failed: [], released: [] };
    for (const o of os) {
        if ("sent" in o)
            f.sent.push(o.sent);
        else if ("failed" in o)
            f.failed.push(o.failed);
        else
            f.released.push(o.released);
    }
    return f;
}
const keyOf = (o) => ("sent" in o ? o.sent.key : "failed" in o ? o.failed.key : o.released.key);
function semaphore(n) {
    let free = n;
    const waiting = [];
    return {
        take: () => free > 0
            ? ((free -= 1), Promise.resolve())
            : new Promise((r) => {
                waiting.push(r);
            }),
        give: () => {
            const next = waiting.shift();
            if (next)
                next();
            else
                free += 1;
        },
    };
}
//# sourceMappingURL=send.js.map