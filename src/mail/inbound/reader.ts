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
import { alreadySeen, fileMessage } from "../../service/inbound.ts";
import type { Mailbox } from "./mailbox.ts";
import { messageKey, parseInbound, rawMessageId } from "./parse.ts";

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

export function startBounceReader(o: ReaderOptions): BounceReader {
  const pollMs = o.pollMs ?? 60_000;
  let mailbox: Mailbox | undefined;
  let stopping = false;
  let running: Promise<number> | undefined;

  async function pass(box: Mailbox): Promise<number> {
    const listed = await box.list();
    if (!listed.length) return 0;
    const raws = new Map<string, Buffer>();
    // the id first: from the mailbox's envelope, or the message's own header (no parse)
    const ids = new Map<string, string>();
    for (const m of listed) {
      let id = m.messageId ? messageKey(m.messageId, undefined) : undefined;
      if (!id) {
        const raw = await m.raw();
        raws.set(m.handle, raw);
        id = messageKey(rawMessageId(raw), raw);
      }
      ids.set(m.handle, id);
    }
    const seen = await alreadySeen(o.svc.db, [...ids.values()]);
    let filed = 0;
    for (const m of listed) {
      if (stopping) break;
      const id = ids.get(m.handle)!;
      const before = seen.get(id);
      if (before === "other") continue; // left for a person, as before
      if (before) {
        // filed before the last stop, not yet moved: move it now, without parsing it again
        await box.fileAway(m.handle);
        continue;
      }
      const raw = raws.get(m.handle) ?? (await m.raw());
      const parsed = await parseInbound(raw);
      const r = await fileMessage(o.svc, o.bounceAddress, { ...parsed, id }, m.receivedAt);
      if (r.result === "left") {
        o.log.info({ messageId: id, why: r.why }, "bounce mailbox: left a message for a person to read");
        continue;
      }
      if (r.result === "filed") {
        filed += 1;
        o.log.info({ messageId: id, as: r.as, disputes: r.disputes.length }, "bounce mailbox: filed");
      }
      await box.fileAway(m.handle);
    }
    return filed;
  }

  async function loop(): Promise<void> {
    let backoff = 1_000;
    while (!stopping) {
      try {
        mailbox ??= await o.open();
        running = pass(mailbox);
        await running;
        backoff = 1_000;
        if (!stopping) await mailbox.wait(pollMs);
      } catch (e) {
        o.log.warn({ err: safeMessage(e), retryInMs: backoff }, "bounce mailbox: could not read; trying again");
        await mailbox?.close().catch(() => {});
        mailbox = undefined;
        if (!stopping) await new Promise((r) => setTimeout(r, backoff).unref());
        backoff = Math.min(backoff * 2, 60_000);
      } finally {
        running = undefined;
      }
    }
  }

  const done = loop();
  return {
    async stop() {
      stopping = true;
      await running?.catch(() => 0);
      await mailbox?.close().catch(() => {});
      await done;
    },
  };
}
