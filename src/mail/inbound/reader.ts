// Reads the bounce mailbox and files each message once (service/inbound.ts).
// A message is filed in one transaction with everything it causes, and only
// then moved away: a reader killed between the two finds it filed on restart
// and moves it without parsing it again. A lost connection is reopened, with
// a growing pause. Logs carry message ids and codes, never a message's text.
// Several workers may each read the one mailbox: a message is filed by
// whichever commits first; the others find it filed and only move it (a move
// of a message already moved does nothing).
import type { Logger } from "../../log.ts";
import { safeMessage } from "../../safe-error.ts";
import type { Services } from "../../service/context.ts";
import { alreadySeen, fileMessage, leaveAlone } from "../../service/inbound.ts";
import type { Mailbox, MailboxMessage } from "./mailbox.ts";
import { messageKey, parseInbound, rawMessageId } from "./parse.ts";
import { pause } from "./pause.ts";

export interface BounceReader {
  stop(): Promise<void>;
}

export interface ReaderOptions {
  svc: Services;
  bounceAddress: string;
  open(): Promise<Mailbox>;
  log: Logger;
  /** the polling fallback's interval, where IDLE does not wake the reader */
  pollMs?: number;
}

/** Passes a message may fail to be filed in before it is left for a person instead: one bad message must not stop the rest. */
const TRIES = 3;

export function startBounceReader(o: ReaderOptions): BounceReader {
  const pollMs = o.pollMs ?? 60_000;
  let mailbox: Mailbox | undefined;
  let stopping = false;
  let running: Promise<number> | undefined;
  const backoffPause = pause();
  const failures = new Map<string, number>();

  async function one(box: Mailbox, m: MailboxMessage, id: string, raw: Buffer | undefined): Promise<boolean> {
    const parsed = await parseInbound(raw ?? (await m.raw()));
    const r = await fileMessage(o.svc, o.bounceAddress, { ...parsed, id }, m.receivedAt);
    if (r.result === "later") return false; // its email is not yet recorded as sent: the next pass files it
    if (r.result === "left") {
      o.log.info({ messageId: id, why: r.why }, "bounce mailbox: left a message for a person to read");
      return false;
    }
    if (r.result === "filed") o.log.info({ messageId: id, as: r.as, disputes: r.disputes.length }, "bounce mailbox: filed");
    await box.fileAway(m.handle);
    return r.result === "filed";
  }

  async function pass(box: Mailbox): Promise<number> {
    const listed = await box.list();
    if (!listed.length) return 0;
    const raws = new Map<string, Buffer>();
    // the id first: from the mailbox's envelope, or the message's own header (no parse)
    const ids = new Map<string, string>();
    for (const m of listed) {
      let id = m.messageId ? messageKey(m.messageId, undefined) : undefined;
      if (!id) {
        // a message gone meanwhile (another reader moved it) is not this pass's to file
        const raw = await m.raw().catch(() => undefined);
        if (!raw) continue;
        raws.set(m.handle, raw);
        id = messageKey(rawMessageId(raw), raw);
      }
      ids.set(m.handle, id);
    }
    const seen = await alreadySeen(o.svc.db, [...ids.values()]);
    let filed = 0;
    for (const m of listed) {
      if (stopping) break;
      const id = ids.get(m.handle);
      if (!id) continue;
      const before = seen.get(id);
      if (before === "other") continue; // left for a person, as before
      try {
        if (before)
          await box.fileAway(m.handle); // filed before the last stop, not yet moved: moved now, not parsed again
        else if (await one(box, m, id, raws.get(m.handle))) filed += 1;
        failures.delete(id);
      } catch (e) {
        const n = (failures.get(id) ?? 0) + 1;
        failures.set(id, n);
        // the error's kind only: a database error may quote what the message said
        const err = (e as { code?: string }).code ?? (e as Error).name ?? "Error";
        if (n < TRIES) {
          o.log.warn({ messageId: id, err, attempt: n }, "bounce mailbox: could not file a message; will try again");
          continue;
        }
        failures.delete(id);
        await leaveAlone(o.svc, id, m.receivedAt, err).catch(() => {});
        o.log.error({ messageId: id, err }, "bounce mailbox: could not file a message; left it for a person to read");
      }
    }
    return filed;
  }

  async function loop(): Promise<void> {
    let backoff = 1_000;
    while (!stopping) {
      try {
        mailbox ??= await o.open();
        if (stopping) break;
        running = pass(mailbox);
        await running;
        backoff = 1_000;
        if (!stopping) await mailbox.wait(pollMs);
      } catch (e) {
        o.log.warn({ err: safeMessage(e), retryInMs: backoff }, "bounce mailbox: could not read; trying again");
        await mailbox?.close().catch(() => {});
        mailbox = undefined;
        if (!stopping) await backoffPause.wait(backoff);
        backoff = Math.min(backoff * 2, 60_000);
      } finally {
        running = undefined;
      }
    }
    await mailbox?.close().catch(() => {});
  }

  const done = loop();
  return {
    async stop() {
      stopping = true;
      backoffPause.wake();
      await running?.catch(() => 0);
      await mailbox?.close().catch(() => {});
      await done;
    },
  };
}
