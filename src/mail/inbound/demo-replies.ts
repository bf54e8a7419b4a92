// The demo's bounce mailbox, fed by the outbox folder's own sink: `drp demo`
// names one address that "no longer exists" and one whose holder "is on
// leave" (demo-replies.json in the bounce folder); an email the sink writes
// to either has a delivery report (as Postfix writes one) or an automatic
// reply (as Exchange Online writes one) put into the folder's new/, addressed
// to the email's own envelope sender, as a real mail system would.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { OutgoingEmail } from "../transport.ts";

export const DEMO_REPLIES = "demo-replies.json";

export interface DemoReplies {
  /** addresses whose emails bounce (5.1.1) */
  bounce: string[];
  /** address → who replies, and the automatic reply's text */
  away: Record<string, { name: string; text: string }>;
}

export function writeDemoReplies(folder: string, r: DemoReplies): void {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  writeFileSync(join(folder, DEMO_REPLIES), `${JSON.stringify(r, null, 2)}\n`, { mode: 0o600 });
}

// read at most once a second, not once an email: the outbox folder's burst runs through here
const read = new Map<string, { at: number; replies: DemoReplies | undefined }>();
function readReplies(folder: string): DemoReplies | undefined {
  const held = read.get(folder);
  if (held && Date.now() - held.at < 1_000) return held.replies;
  const replies = readRepliesFile(folder);
  read.set(folder, { at: Date.now(), replies });
  return replies;
}

function readRepliesFile(folder: string): DemoReplies | undefined {
  const file = join(folder, DEMO_REPLIES);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as DemoReplies;
  } catch {
    return undefined;
  }
}

const rfc2822 = (d: Date) => d.toUTCString().replace("GMT", "+0000");

/** A Postfix-style delivery status notification for one email's one addressee. */
export function postfixBounce(
  e: Pick<OutgoingEmail, "messageId" | "subject" | "from">,
  to: string,
  envelopeFrom: string,
  at: Date,
): string {
  const boundary = `${randomBytes(6).toString("hex")}.drp-demo`;
  const host = "mail.example.org";
  return [
    `Return-Path: <>`,
    `Delivered-To: ${envelopeFrom}`,
    `Date: ${rfc2822(at)}`,
    `From: MAILER-DAEMON@${host} (Mail Delivery System)`,
    `Subject: Undelivered Mail Returned to Sender`,
    `To: ${envelopeFrom}`,
    `Auto-Submitted: auto-replied`,
    `MIME-Version: 1.0`,
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    `Message-Id: <${randomBytes(8).toString("hex")}@${host}>`,
    ``,
    `This is a MIME-encapsulated message.`,
    ``,
    `--${boundary}`,
    `Content-Description: Notification`,
    `Content-Type: text/plain; charset=us-ascii`,
    ``,
    `This is the mail system at host ${host}.`,
    ``,
    `I'm sorry to have to inform you that your message could not`,
    `be delivered to one or more recipients.`,
    ``,
    `<${to}>: host mx.example.org said: 550 5.1.1 <${to}>: Recipient address rejected: User unknown in virtual mailbox table`,
    ``,
    `--${boundary}`,
    `Content-Description: Delivery report`,
    `Content-Type: message/delivery-status`,
    ``,
    `Reporting-MTA: dns; ${host}`,
    `X-Postfix-Sender: rfc822; ${envelopeFrom}`,
    `Arrival-Date: ${rfc2822(at)}`,
    ``,
    `Final-Recipient: rfc822; ${to}`,
    `Original-Recipient: rfc822;${to}`,
    `Action: failed`,
    `Status: 5.1.1`,
    `Remote-MTA: dns; mx.example.org`,
    `Diagnostic-Code: smtp; 550 5.1.1 <${to}>: Recipient address rejected: User unknown in virtual mailbox table`,
    ``,
    `--${boundary}`,
    `Content-Description: Undelivered Message Headers`,
    `Content-Type: text/rfc822-headers`,
    ``,
    `From: ${e.from}`,
    `To: ${to}`,
    `Message-ID: ${e.messageId}`,
    ``,
    `--${boundary}--`,
    ``,
  ].join("\r\n");
}

/** An Exchange Online-style automatic reply (its headers and "Automatic reply:" subject) to one email. */
export function exchangeAutoReply(
  e: Pick<OutgoingEmail, "messageId" | "subject">,
  from: { name: string; address: string },
  envelopeFrom: string,
  text: string,
  at: Date,
): string {
  return [
    `Return-Path: <>`,
    `Delivered-To: ${envelopeFrom}`,
    `From: ${from.name} <${from.address}>`,
    `To: ${envelopeFrom}`,
    `Subject: Automatic reply: ${e.subject}`,
    `Date: ${rfc2822(at)}`,
    `Message-ID: <${randomBytes(8).toString("hex")}@exchange.example.org>`,
    `In-Reply-To: ${e.messageId}`,
    `References: ${e.messageId}`,
    `Auto-Submitted: auto-generated`,
    `X-Auto-Response-Suppress: All`,
    `X-MS-Exchange-Inbox-Rules-Loop: ${from.address}`,
    `MIME-Version: 1.0`,
    `Content-Type: text/plain; charset="utf-8"`,
    `Content-Transfer-Encoding: 8bit`,
    ``,
    text,
    ``,
  ].join("\r\n");
}

/** What the demo's mail system sends back for this email, into the bounce folder, if anything. */
export function demoReplyTo(folder: string, e: OutgoingEmail): void {
  if (!e.envelopeFrom) return;
  const r = readReplies(folder);
  if (!r) return;
  const now = new Date();
  for (const to of e.to.map((t) => t.toLowerCase())) {
    let raw: string | undefined;
    if (r.bounce.includes(to)) raw = postfixBounce(e, to, e.envelopeFrom, now);
    else if (r.away[to]) raw = exchangeAutoReply(e, { name: r.away[to]!.name, address: to }, e.envelopeFrom, r.away[to]!.text, now);
    if (!raw) continue;
    mkdirSync(join(folder, "new"), { recursive: true, mode: 0o700 });
    const name = `${now.toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}.eml`;
    writeFileSync(join(folder, "new", name), raw, { mode: 0o600 });
  }
}
