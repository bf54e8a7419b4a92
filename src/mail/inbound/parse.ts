// A raw message from the bounce mailbox, parsed (mailparser) into the facts
// classification reads (domain/inbound/classify.ts).
import { createHash } from "node:crypto";
import { type AddressObject, simpleParser } from "mailparser";
import type { InboundMessage } from "../../domain/inbound/classify.ts";

const RECIPIENT_HEADERS = ["delivered-to", "x-original-to", "envelope-to", "x-envelope-to", "x-rcpt-to"];
const ADDRESS = /[^\s<>,;:"()[\]]+@[^\s<>,;:"()[\]]+/g;

/** The id a message is filed under: its Message-ID, or a digest of it where it has none. */
export function messageKey(messageId: string | undefined, raw: Buffer | undefined): string {
  const id = messageId
    // biome-ignore lint/suspicious/noControlCharactersInRegex: taking control characters out is the point
    ?.replace(/[\u0000-\u001f\u007f]/g, "")
    .trim()
    .replace(/^<|>$/g, "");
  // an id too long for an index is filed under its digest
  if (id && id.length > 250) return `sha256:${createHash("sha256").update(id).digest("hex")}`;
  if (id) return `<${id}>`;
  return `sha256:${createHash("sha256")
    .update(raw ?? Buffer.alloc(0))
    .digest("hex")}`;
}

/** The Message-ID header of a raw message, read without parsing the rest (to skip one already filed). */
export function rawMessageId(raw: Buffer): string | undefined {
  const head = raw.subarray(0, Math.min(raw.length, 64 * 1024)).toString("latin1");
  const end = head.search(/\r?\n\r?\n/);
  const m = /^message-id:[ \t]*(<[^>\r\n]+>)/im.exec(end >= 0 ? head.slice(0, end) : head);
  return m?.[1];
}

const addresses = (a: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => v.address ?? "")).filter(Boolean);

export async function parseInbound(raw: Buffer): Promise<InboundMessage> {
  const parsed = await simpleParser(raw, { keepDeliveryStatus: true, skipImageLinks: true, skipTextToHtml: true });
  const headers: Record<string, string[]> = {};
  for (const h of parsed.headerLines) {
    const value = h.line
      .slice(h.line.indexOf(":") + 1)
      .replace(/\r?\n[ \t]+/g, " ")
      .trim();
    (headers[h.key.toLowerCase()] ??= []).push(value);
  }
  const recipients = [
    ...addresses(parsed.to),
    ...addresses(parsed.cc),
    ...RECIPIENT_HEADERS.flatMap((h) => (headers[h] ?? []).flatMap((v) => v.match(ADDRESS) ?? [])),
  ].map((a) => a.toLowerCase());
  const status = parsed.attachments.find((a) => /^message\/(?:global-)?delivery-status$/i.test(a.contentType));
  const replyTo = [...(headers["in-reply-to"] ?? []), ...(headers.references ?? [])].flatMap((v) => v.match(/<[^<>\s]+>/g) ?? []);
  return {
    id: messageKey(parsed.messageId, raw),
    subject: parsed.subject ?? "",
    headers,
    recipients: [...new Set(recipients)],
    contentType: headers["content-type"]?.[0] ?? "text/plain",
    ...(status ? { deliveryStatus: status.content.toString("utf8") } : {}),
    text: parsed.text ?? "",
    replyTo,
  };
}
