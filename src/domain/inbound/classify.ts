// What a message in the bounce mailbox is: a delivery status notification
// (RFC 3464, as Exchange Online, Gmail and Postfix write it), an automatic
// reply (RFC 3834's Auto-Submitted, X-Autoreply, Exchange's
// X-MS-Exchange-Inbox-Rules-Loop, an "Automatic reply:" subject), or anything
// else — which is left where it is for a person to read. Which email it is
// about is read from the address it came back to (mail/verp.ts), never from
// anything the message says of itself.
import type { IsoDate } from "../calendar/dates.ts";
import { parseDeliveryStatus, type RecipientStatus } from "./delivery-status.ts";
import { type ReturnDate, readReturnDate } from "./return-date.ts";

/** A message as the mailbox reader hands it over: the facts classification needs, no more. */
export interface InboundMessage {
  /** Message-ID, or a digest of the message where it has none: what makes it "already filed" */
  id: string;
  subject: string;
  /** header name (lower case) → each value, as written */
  headers: Record<string, string[]>;
  /** every address it was sent to: To, Cc, Delivered-To, X-Original-To, Envelope-To */
  recipients: string[];
  /** the top-level Content-Type, with its parameters */
  contentType: string;
  /** the machine-readable part of a report (message/delivery-status or message/global-delivery-status) */
  deliveryStatus?: string;
  /** the plain text a person would read (the first text part), for an automatic reply's return date */
  text: string;
  /** Message-IDs it replies to (In-Reply-To, References) */
  replyTo: string[];
}

export type Classified =
  | { kind: "delivery_report"; token?: string; recipients: RecipientStatus[] }
  /** `away`: it says its sender is away (a return date, or words of absence), not merely that the email arrived */
  | { kind: "auto_reply"; token?: string; replyTo: string[]; away: boolean; returnDate?: ReturnDate }
  | { kind: "other"; why: string };

const AUTO_SUBJECT = /^\s*(?:automatic reply|auto-?reply|auto-?response|out of (?:the )?office(?: reply)?|autosvar|abwesenheitsnotiz)\s*:/i;

const header = (m: InboundMessage, name: string): string | undefined => m.headers[name]?.[0];

/** Words of absence: an acknowledgement ("we aim to reply within five days") is an automatic reply, but nobody is away. */
const ABSENT =
  /\b(?:out of (?:the )?office|on (?:annual |parental |maternity |paternity |sick |study )?leave|away from (?:the |my )?(?:office|desk)|not in the office|absent|on holiday|on vacation|I am away|I'm away|currently away)\b/i;

function isReport(m: InboundMessage): boolean {
  return /^multipart\/report\b/i.test(m.contentType) && /report-type\s*=\s*"?(?:global-)?delivery-status/i.test(m.contentType);
}

/** RFC 3834 and the headers the big mail systems use instead of, or beside, it. */
export function isAutoReply(m: InboundMessage): boolean {
  const auto = header(m, "auto-submitted")?.toLowerCase().trim();
  if (auto?.startsWith("auto-replied")) return true;
  if (header(m, "x-autoreply")?.toLowerCase().trim() === "yes") return true;
  if (m.headers["x-autorespond"] || m.headers["x-ms-exchange-inbox-rules-loop"]) return true;
  if (/^\s*auto_reply\b/i.test(header(m, "precedence") ?? "")) return true;
  return AUTO_SUBJECT.test(m.subject);
}

/** The token of the address it came back to, on this bounce mailbox. */
function tokenIn(m: InboundMessage, tokenOf: (address: string) => string | undefined): string | undefined {
  for (const r of m.recipients) {
    const t = tokenOf(r);
    if (t) return t;
  }
  return undefined;
}

/**
 * Classifies one message. `receivedOn` is the local date it came, for a
 * return date with no year; `tokenOf` reads a token from this mailbox's
 * addresses (mail/verp.ts).
 */
export function classify(m: InboundMessage, receivedOn: IsoDate, tokenOf: (address: string) => string | undefined): Classified {
  const token = tokenIn(m, tokenOf);
  if (isReport(m) || m.deliveryStatus) {
    let recipients = m.deliveryStatus ? parseDeliveryStatus(m.deliveryStatus) : [];
    // Gmail's report may come with its status part empty: X-Failed-Recipients and the code in its text still say it
    if (!recipients.length && m.headers["x-failed-recipients"]) {
      const code = /\b([45]\.\d{1,3}\.\d{1,3})\b/.exec(m.text)?.[1] ?? "5.0.0";
      recipients = m.headers["x-failed-recipients"]
        .flatMap((v) => v.split(","))
        .map((a) => a.trim().toLowerCase())
        .filter((a) => /^[^@\s]+@[^@\s]+$/.test(a))
        .map((address) => ({ address, action: "failed", status: code }));
    }
    if (recipients.length) return { kind: "delivery_report", token, recipients };
    return { kind: "other", why: "a report with no recipient in it" };
  }
  if (isAutoReply(m)) {
    const text = `${m.subject}\n${m.text.slice(0, 4000)}`;
    const returnDate = readReturnDate(text, receivedOn);
    const away = returnDate !== undefined || ABSENT.test(text);
    return { kind: "auto_reply", token, replyTo: m.replyTo, away, ...(returnDate ? { returnDate } : {}) };
  }
  return { kind: "other", why: "neither a delivery report nor an automatic reply" };
}
