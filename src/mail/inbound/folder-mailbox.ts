// The embedded default's bounce mailbox: a folder under ./data with new/ (what
// has come back) and filed/ (what was filed). In the demo the outbox folder's
// own sink writes delivery reports and automatic replies into new/.
import { mkdirSync, readdirSync, renameSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Mailbox, MailboxMessage } from "./mailbox.ts";
import { pause } from "./pause.ts";

export function folderMailbox(dir: string): Mailbox {
  const fresh = join(dir, "new");
  const filed = join(dir, "filed");
  mkdirSync(fresh, { recursive: true, mode: 0o700 });
  mkdirSync(filed, { recursive: true, mode: 0o700 });
  const idle = pause();
  return {
    describe: `folder ${dir}`,
    async list() {
      const names = readdirSync(fresh)
        .filter((n) => n.endsWith(".eml"))
        .sort();
      return names.map(
        (name): MailboxMessage => ({
          handle: name,
          receivedAt: statSync(join(fresh, name)).mtime,
          raw: () => readFile(join(fresh, name)),
        }),
      );
    },
    async fileAway(handle) {
      try {
        renameSync(join(fresh, handle), join(filed, handle));
      } catch (e) {
        // moved already (another reader of the same folder)
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      }
    },
    wait: idle.wait,
    async close() {
      idle.wake();
    },
  };
}
