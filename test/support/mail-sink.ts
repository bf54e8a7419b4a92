// A real SMTP server on loopback that keeps what it receives, for counting
// emails by recipient and X-DRP-Key. It can refuse for a while, or be slow.
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { freePort } from "../../src/queue/redis.ts";

export interface Received {
  key: string;
  messageId: string;
  to: string[];
  cc: string[];
  subject: string;
  date: Date;
  /** when the server took it (this process's clock) */
  receivedAt: number;
  text: string;
  html: string;
  headers: Map<string, unknown>;
  replyTo: string;
  /** the iCalendar part, if the email carries one */
  calendar?: string;
  /** every other attachment (a report's CSV, its chart by Content-ID) */
  attachments: { filename: string; contentType: string; cid?: string; content: Buffer }[];
  /** the envelope's MAIL FROM: where a delivery report would go (the Return-Path) */
  envelopeFrom: string;
}

export interface Sink {
  url: string;
  received: Received[];
  /** refuse every message (451) until this is set back to false */
  refusing: boolean;
  /** refuse messages to these addresses (451) */
  refuseTo: Set<string>;
  /** milliseconds to hold each message before accepting it */
  delayMs: number;
  onReceived?: (r: Received) => void;
  stop(): Promise<void>;
}

const addresses = (a: ParsedMail["to"]): string[] =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => (v.address ?? "").toLowerCase()));

export async function startSink(): Promise<Sink> {
  const port = await freePort();
  const sink: Sink = {
    url: `smtp://127.0.0.1:${port}`,
    received: [],
    refusing: false,
    refuseTo: new Set(),
    delayMs: 0,
    stop: async () => new Promise<void>((r) => server.close(() => r())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (sink.refusing || sink.refuseTo.has(address.address.toLowerCase())) {
        return cb(Object.assign(new Error("try again later"), { responseCode: 451 }));
      }
      cb();
    },
    onData(stream, session, cb) {
      const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
      simpleParser(stream, { keepCidLinks: true })
        .then(async (m) => {
          const r: Received = {
            key: String(m.headers.get("x-drp-key") ?? ""),
            messageId: m.messageId ?? "",
            to: addresses(m.to),
            cc: addresses(m.cc),
            subject: m.subject ?? "",
            date: m.date ?? new Date(0),
            receivedAt: 0,
            text: m.text ?? "",
            html: typeof m.html === "string" ? m.html : "",
            headers: m.headers,
            replyTo: addresses(m.replyTo as ParsedMail["to"])[0] ?? "",
            calendar: m.attachments.find((x) => x.contentType === "text/calendar")?.content.toString("utf8"),
            attachments: m.attachments
              .filter((x) => x.contentType !== "text/calendar")
              .map((x) => ({ filename: x.filename ?? "", contentType: x.contentType, cid: x.cid, content: x.content })),
            envelopeFrom,
          };
          if (sink.delayMs) await new Promise((res) => setTimeout(res, sink.delayMs));
          r.receivedAt = Date.now();
          sink.received.push(r);
          sink.onReceived?.(r);
          cb();
        })
        .catch((e: Error) => cb(e));
    },
  });
  // a client that dies mid-message (the SIGKILL test) resets its connection: not our error
  server.on("error", () => {});
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  return sink;
}

/** Waits until `check` holds, polling. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
