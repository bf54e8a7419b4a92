// Which bounce mailbox the worker reads, from the settings:
//   IMAP_URL (with BOUNCE_ADDRESS, the address it receives at): over IMAP;
//   the embedded default (no SMTP_URL, no DATABASE_URL), or DRP_BOUNCE_DIR:
//     a folder of .eml files (data/bounces beside the embedded database);
//   otherwise none: BOUNCE_ADDRESS alone still sets each email's envelope
//   sender, for a mailbox something else reads.
import { dirname, join, resolve } from "node:path";
import { embeddedDataDir } from "../../app/embedded-lock.ts";
import { bounceAddressFromEnv } from "../verp.ts";
import { folderMailbox } from "./folder-mailbox.ts";
import { describeImap, imapMailbox, imapSettingsFromEnv } from "./imap-mailbox.ts";
import type { Mailbox } from "./mailbox.ts";

export interface BounceMailboxSetup {
  /** the address each email's envelope sender is made from */
  bounceAddress: string;
  describe: string;
  open(): Promise<Mailbox>;
  /** the folder, on the embedded default (the demo's sink writes into it) */
  folder?: string;
  /** how often it is read where nothing wakes the reader: IMAP IDLE does; a folder is looked at every two seconds */
  pollMs: number;
}

export function bounceMailboxFromEnv(mailDomain: string, env: NodeJS.ProcessEnv = process.env): BounceMailboxSetup | undefined {
  const imap = imapSettingsFromEnv(env);
  const address = bounceAddressFromEnv(env);
  if (imap) {
    if (!address)
      throw new Error(
        "IMAP_URL is set, so BOUNCE_ADDRESS must say the address that mailbox receives at (e.g. drp-bounces@council.example)",
      );
    const pollMs = Number(env.DRP_BOUNCE_POLL_MS ?? 60_000);
    return { bounceAddress: address, describe: describeImap(imap), open: () => imapMailbox(imap), pollMs };
  }
  const embedded = !env.SMTP_URL && !env.DATABASE_URL;
  if (!env.DRP_BOUNCE_DIR && !embedded) return undefined;
  const folder = resolve(env.DRP_BOUNCE_DIR ?? join(dirname(embeddedDataDir()), "bounces"));
  return {
    bounceAddress: address ?? `drp-bounces@${mailDomain}`,
    describe: `folder ${folder}`,
    folder,
    open: async () => folderMailbox(folder),
    pollMs: Number(env.DRP_BOUNCE_POLL_MS ?? 2_000),
  };
}
