// A throwaway IMAP server for the bounce mailbox's tests: Debian's Dovecot
// (dovecot-imapd), started on a free loopback port under a temporary folder
// as the tests start PostgreSQL and Redis, with one account whose password
// is fixed. Messages are put in its inbox with APPEND, as a mail server's
// delivery would leave them (unread).
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { ImapFlow } from "imapflow";
import { findBinary, freePort } from "./servers.ts";

export interface RunningDovecot {
  host: string;
  port: number;
  user: string;
  pass: string;
  /** IMAP_URL for the account's inbox */
  url: string;
  /** puts a message in the inbox, unread */
  deliver(raw: Buffer | string): Promise<void>;
  /** the folder's messages: uid, read or not */
  folder(path: string): Promise<{ uid: number; seen: boolean; messageId?: string }[]>;
  stop(): Promise<void>;
}

const id = (what: "-u" | "-g", name: string) => Number(spawnSync("id", [what, name], { encoding: "utf8" }).stdout.trim());

export async function startDovecot(): Promise<RunningDovecot> {
  const dovecot = findBinary("dovecot") ?? (existsSync("/usr/sbin/dovecot") ? "/usr/sbin/dovecot" : undefined);
  if (!dovecot) throw new Error("Dovecot is not installed: apt-get install dovecot-imapd");
  const dir = mkdtempSync(join(tmpdir(), "drp-dovecot-"));
  chmodSync(dir, 0o755);
  for (const d of ["run", "state", "home"]) mkdirSync(join(dir, d), { recursive: true });
  const root = userInfo().uid === 0;
  // as root: the mail processes run as Debian's dovecot user; otherwise as whoever runs the tests
  const me = userInfo();
  const mailUser = root ? "dovecot" : me.username;
  if (root) chownSync(join(dir, "home"), id("-u", "dovecot"), id("-g", "dovecot"));
  const port = await freePort();
  const pass = "bounce-mailbox-password";
  const conf = join(dir, "dovecot.conf");
  writeFileSync(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
${root ? "default_internal_user = dovecot\ndefault_internal_group = dovecot\ndefault_login_user = dovenull" : `default_internal_user = ${me.username}\ndefault_login_user = ${me.username}`}
first_valid_uid = 1
mail_location = maildir:${dir}/home/%u/Maildir
passdb {
  driver = static
  args = password=${pass}
}
userdb {
  driver = static
  args = uid=${mailUser} gid=${root ? "dovecot" : String(me.gid)} home=${dir}/home/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`,
  );
  // it forks into the background: its output goes to its log, not to pipes this process would wait on
  const started = spawnSync(dovecot, ["-c", conf], { stdio: "ignore" });
  if (started.status !== 0) throw new Error(`dovecot did not start (exit ${started.status}): ${readLog(dir)}`);
  const user = "drp-bounces@council.example";
  const open = async () => {
    const c = new ImapFlow({ host: "127.0.0.1", port, secure: false, auth: { user, pass }, logger: false, doSTARTTLS: false } as never);
    await c.connect();
    return c;
  };
  // ready when it answers a login
  const until = Date.now() + 20_000;
  for (;;) {
    try {
      const c = await open();
      await c.logout();
      break;
    } catch (e) {
      if (Date.now() > until) throw new Error(`dovecot did not answer: ${String(e)}\n${readLog(dir)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    host: "127.0.0.1",
    port,
    user,
    pass,
    url: `imap://${encodeURIComponent(user)}@127.0.0.1:${port}/INBOX`,
    async deliver(raw) {
      const c = await open();
      try {
        await c.append("INBOX", typeof raw === "string" ? Buffer.from(raw) : raw, []);
      } finally {
        await c.logout();
      }
    },
    async folder(path) {
      const c = await open();
      try {
        const list = await c.list();
        if (!list.some((b) => b.path === path)) return [];
        await c.mailboxOpen(path, { readOnly: true });
        const out: { uid: number; seen: boolean; messageId?: string }[] = [];
        for await (const m of c.fetch("1:*", { uid: true, flags: true, envelope: true })) {
          out.push({ uid: m.uid, seen: m.flags?.has("\\Seen") ?? false, messageId: m.envelope?.messageId });
        }
        return out;
      } catch (e) {
        if (String(e).includes("Nothing to fetch") || String(e).includes("Invalid messageset")) return [];
        throw e;
      } finally {
        await c.logout();
      }
    },
    async stop() {
      spawnSync(dovecot, ["-c", conf, "stop"], { stdio: "ignore" });
      await new Promise((r) => setTimeout(r, 200));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, "dovecot.log"), "utf8").slice(-2000);
  } catch {
    return "";
  }
}
