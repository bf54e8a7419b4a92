// Handing emails over: SMTP through nodemailer (pooled; TLS as the URL says:
// smtps:// for implicit TLS, STARTTLS when the server offers it), or, with no
// SMTP_URL, a local outbox folder of .eml files with an index page to open in
// a browser.
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import nodemailer from "nodemailer";
import { demoReplyTo } from "./inbound/demo-replies.ts";

export interface OutgoingEmail {
  from: string;
  to: string[];
  cc: string[];
  replyTo: string;
  subject: string;
  html: string;
  text: string;
  date: Date;
  messageId: string;
  headers: Record<string, string>;
  /** an iCalendar invitation or cancellation, sent as a text/calendar alternative */
  icalEvent?: { method: "request" | "cancel"; content: string };
  /** the envelope sender (Return-Path) where it is not From: this email's own address on the bounce mailbox (mail/verp.ts) */
  envelopeFrom?: string;
  /** files: a report's CSV; an image shown in the HTML by its Content-ID */
  attachments?: { filename: string; content: Buffer | string; contentType: string; cid?: string }[];
}

export interface Mailer {
  /** where mail goes, safe to log */
  describe: string;
  /** how many emails it hands over at once (the SMTP pool's connections) */
  connections: number;
  /** resolves once the server has taken the message; `rejected` lists recipients it refused */
  send(email: OutgoingEmail): Promise<{ response: string; rejected: string[] }>;
  close(): void;
}

function message(e: OutgoingEmail) {
  return {
    from: e.from,
    to: e.to,
    cc: e.cc.length ? e.cc : undefined,
    replyTo: e.replyTo,
    subject: e.subject,
    html: e.html,
    text: e.text,
    date: e.date,
    messageId: e.messageId,
    headers: e.headers,
    // base64 for the text parts: every mail client reads it, and choosing and
    // applying quoted-printable was most of the cost of building a message
    textEncoding: "base64" as const,
    ...(e.icalEvent ? { icalEvent: { method: e.icalEvent.method, filename: "deadline.ics", content: e.icalEvent.content } } : {}),
    ...(e.attachments?.length ? { attachments: e.attachments } : {}),
    ...(e.envelopeFrom ? { envelope: { from: e.envelopeFrom, to: [...e.to, ...e.cc] } } : {}),
  };
}

export function smtpMailer(url: string): Mailer {
  const u = new URL(url);
  // pooled: several connections, many messages on each (the URL may say otherwise)
  if (!u.searchParams.has("pool")) u.searchParams.set("pool", "true");
  if (!u.searchParams.has("maxConnections")) u.searchParams.set("maxConnections", process.env.SMTP_CONNECTIONS ?? "10");
  if (!u.searchParams.has("maxMessages")) u.searchParams.set("maxMessages", "1000");
  // OFFICIAL-SENSITIVE mail must not fall back to clear text when STARTTLS is
  // stripped: TLS is required, except on loopback or with ?requireTLS=false
  // (a mail catcher such as Mailpit on a private network).
  const loopback = ["127.0.0.1", "localhost", "[::1]", "::1"].includes(u.hostname);
  if (u.protocol === "smtp:" && !u.searchParams.has("requireTLS") && !loopback) u.searchParams.set("requireTLS", "true");
  const transport = nodemailer.createTransport(u.toString());
  const connections = Math.max(1, Number(u.searchParams.get("maxConnections")) || 1);
  // The message is built into one buffer first and handed over whole: streamed,
  // nodemailer writes it to the socket a line at a time, which costs more CPU
  // than building and encoding it.
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
  return {
    describe: `${u.protocol}//${u.hostname}:${u.port || (u.protocol === "smtps:" ? 465 : 587)}`,
    connections: u.searchParams.get("pool") === "false" ? 1 : connections,
    async send(e) {
      const built = await composer.sendMail(message(e));
      const info = await transport.sendMail({ envelope: built.envelope, raw: built.message as Buffer });
      const rejected = ((info.rejected ?? []) as (string | { address: string })[]).map((r) =>
        (typeof r === "string" ? r : r.address).toLowerCase(),
      );
      return { response: String(info.response ?? ""), rejected };
    },
    close: () => transport.close(),
  };
}

/**
 * Writes each email as an .eml (and its HTML part) into `dir`, and keeps an
 * index.html listing them. With `bounceFolder` (the embedded default's bounce
 * mailbox), what the demo's mail system would send back goes there.
 */
export function folderMailer(dir: string, bounceFolder?: string): Mailer {
  const out = resolve(dir);
  // the emails carry working links: the folder and its files are the owner's alone
  mkdirSync(out, { recursive: true, mode: 0o700 });
  chmodSync(out, 0o700);
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const entries: IndexEntry[] = [];
  return {
    describe: `folder ${out}`,
    connections: 1,
    async send(e) {
      const info = await transport.sendMail(message(e));
      const stamp = e.date.toISOString().replace(/[:.]/g, "-");
      const name = `${stamp}-${e.messageId.replace(/[^A-Za-z0-9]/g, "").slice(0, 24)}`;
      writeFileSync(join(out, `${name}.eml`), info.message as Buffer, { mode: 0o600 });
      writeFileSync(join(out, `${name}.html`), e.html, { mode: 0o600 });
      const heading =
        /<h1[^>]*>([\s\S]*?)<\/h1>/
          .exec(e.html)?.[1]
          ?.replace(/<[^>]+>/g, "")
          .trim() ?? "";
      entries.push({
        file: name,
        subject: e.subject,
        to: e.to.join(", "),
        date: e.date,
        heading,
        authority: e.headers["X-DRP-Authority"] ?? "",
        kind: (e.headers["X-DRP-Kind"] ?? "").replaceAll("_", " "),
      });
      writeIndex(out, entries);
      if (bounceFolder) demoReplyTo(bounceFolder, e);
      return { response: `written ${name}.eml`, rejected: [] };
    },
    close: () => {},
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

interface IndexEntry {
  file: string;
  subject: string;
  to: string;
  date: Date;
  heading: string;
  authority: string;
  kind: string;
}

// Dates as the people who receive the emails read them: UK local time, on one line.
const LOCAL = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", dateStyle: "medium", timeStyle: "short" });

function writeIndex(dir: string, entries: IndexEntry[]): void {
  const known = new Set(readdirSync(dir));
  const rows = [...entries]
    .reverse()
    .filter((e) => known.has(`${e.file}.eml`))
    .map(
      (e) =>
        `<tr><td class="nowrap">${escapeHtml(LOCAL.format(e.date))}</td><td>${escapeHtml(e.authority)}</td><td>${escapeHtml(e.kind)}</td><td>${escapeHtml(e.to)}</td><td><a href="${e.file}.html">${escapeHtml(e.heading || e.subject)}</a></td><td><a href="${e.file}.eml">.eml</a></td></tr>`,
    )
    .join("\n");
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html><html lang="en"><meta charset="utf-8"><title>drp-monitor outbox</title><style>body{font-family:sans-serif;font-size:16px;margin:2em}td,th{padding:.3em .8em;border-bottom:1px solid #ccc;text-align:left;vertical-align:top}.nowrap{white-space:nowrap}</style><h1>Emails written to this folder</h1><p>Newest first; times are UK local time.</p><table><tr><th>Date</th><th>Authority</th><th>Kind</th><th>To</th><th>Email</th><th>Raw</th></tr>${rows}</table></html>`,
    { mode: 0o600 },
  );
}

export function mailerFromEnv(bounceFolder?: string): Mailer {
  return process.env.SMTP_URL ? smtpMailer(process.env.SMTP_URL) : folderMailer(process.env.DRP_OUTBOX_DIR ?? "outbox", bounceFolder);
}
