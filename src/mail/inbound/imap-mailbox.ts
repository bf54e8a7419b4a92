// The bounce mailbox over IMAP (imapflow): IMAP_URL names the server, the
// account and the folder (imaps://drp-bounces%40council.example@outlook.office365.com/INBOX);
// the password is IMAP_PASSWORD (or in the URL), or OAuth2 (oauth2.ts). IDLE
// wakes the reader when something arrives; where the server has no IDLE the
// reader polls. Filed messages are moved to IMAP_FILED_FOLDER ("DRP filed").
import { ImapFlow } from "imapflow";
import { FILED_FOLDER, type Mailbox, type MailboxMessage } from "./mailbox.ts";
import { type AccessToken, oauth2FromEnv } from "./oauth2.ts";
import { pause } from "./pause.ts";

export interface ImapSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  folder: string;
  pass?: string;
  /** an OAuth2 access token, fetched afresh for each connection */
  token?: AccessToken;
  /** STARTTLS on a plain connection: on unless IMAP_STARTTLS=false (a test server on loopback) */
  startTls: boolean;
}

export function imapSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ImapSettings | undefined {
  const raw = env.IMAP_URL?.trim();
  if (!raw) return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new Error("IMAP_URL must be a URL such as imaps://drp-bounces%40council.example@imap.council.example/INBOX");
  }
  if (u.protocol !== "imap:" && u.protocol !== "imaps:") throw new Error(`IMAP_URL must start imap:// or imaps://, not ${u.protocol}//`);
  const user = decodeURIComponent(u.username || env.IMAP_USER || "");
  if (!user) throw new Error("IMAP_URL names no account: put it before the host (imaps://account%40domain@host/INBOX) or set IMAP_USER");
  const secure = u.protocol === "imaps:";
  const token = oauth2FromEnv(env);
  const pass = u.password ? decodeURIComponent(u.password) : env.IMAP_PASSWORD;
  if (!token && !pass)
    throw new Error("the bounce mailbox needs IMAP_PASSWORD, or OAuth2 (IMAP_OAUTH2_TOKEN, or IMAP_OAUTH2_CLIENT_ID with its secret)");
  return {
    host: u.hostname,
    port: Number(u.port || (secure ? 993 : 143)),
    secure,
    user,
    folder: decodeURIComponent(u.pathname.replace(/^\//, "")) || "INBOX",
    ...(token ? { token } : { pass }),
    startTls: env.IMAP_STARTTLS !== "false",
  };
}

/** The mailbox, for the log: the account and server, never a password or a token. */
export const describeImap = (s: ImapSettings) =>
  `imap${s.secure ? "s" : ""}://${s.user}@${s.host}:${s.port}/${s.folder}${s.token ? " (OAuth2)" : ""}`;

export async function imapMailbox(s: ImapSettings): Promise<Mailbox> {
  const client = new ImapFlow({
    host: s.host,
    port: s.port,
    secure: s.secure,
    ...(s.startTls ? {} : { doSTARTTLS: false }),
    auth: s.token ? { user: s.user, accessToken: await s.token.get() } : { user: s.user, pass: s.pass },
    logger: false,
    // the reader waits on IDLE between reads; the polling fallback where the server has none
    missingIdleCommand: "NOOP",
    maxIdleTime: 5 * 60_000,
  } as ConstructorParameters<typeof ImapFlow>[0]);
  const idle = pause();
  const wake = idle.wake;
  client.on("exists", wake);
  client.on("close", wake);
  // a socket error or a timeout on the idle connection: the next read finds it closed and the reader opens another
  client.on("error", wake);
  try {
    await client.connect();
    await client.mailboxOpen(s.folder);
  } catch (e) {
    client.close();
    throw e;
  }
  let filedReady = false;
  return {
    describe: describeImap(s),
    async list() {
      if (!client.usable) throw new Error("the IMAP connection closed");
      const out: MailboxMessage[] = [];
      // every message in the folder, read or not (a person may have opened one first): the database knows which were
      // filed (they are moved away) and which were left for a person (they stay, and are skipped without being parsed)
      const uids = (await client.search({ all: true }, { uid: true })) || [];
      if (!uids.length) return out;
      for await (const m of client.fetch(uids.join(","), { uid: true, envelope: true, internalDate: true }, { uid: true })) {
        const uid = m.uid;
        out.push({
          handle: String(uid),
          messageId: m.envelope?.messageId,
          receivedAt: m.internalDate instanceof Date ? m.internalDate : new Date(m.internalDate ?? Date.now()),
          raw: async () => {
            const one = await client.fetchOne(String(uid), { source: true }, { uid: true });
            if (one === false || !one.source) throw new Error(`message ${uid} is gone from the mailbox`);
            return one.source;
          },
        });
      }
      return out.sort((a, b) => Number(a.handle) - Number(b.handle));
    },
    async fileAway(handle) {
      if (!filedReady) {
        const list = await client.list();
        if (!list.some((b) => b.path === FILED_FOLDER)) await client.mailboxCreate(FILED_FOLDER).catch(() => {});
        filedReady = true;
      }
      await client.messageFlagsAdd(handle, ["\\Seen"], { uid: true });
      await client.messageMove(handle, FILED_FOLDER, { uid: true });
    },
    wait: idle.wait,
    async close() {
      wake();
      await client.logout().catch(() => client.close());
    },
  };
}
