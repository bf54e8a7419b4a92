// The bounce-mailbox fixtures (test/fixtures/inbound), filled in for one email.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const FIXTURES = join(import.meta.dirname, "..", "fixtures", "inbound");
export const fixtureNames = () => readdirSync(FIXTURES).filter((f) => f.endsWith(".eml"));

/** A fixture for one email; `tag` makes its own Message-ID unique (each delivery report a mail system sends is a new message). */
export function fixture(name: string, fill: { verp: string; rcpt: string; msgid: string }, tag?: string): Buffer {
  let text = readFileSync(join(FIXTURES, name), "utf8")
    .replaceAll("{{VERP}}", fill.verp)
    .replaceAll("{{RCPT}}", fill.rcpt)
    .replaceAll("{{MSGID}}", fill.msgid)
    .replace(/\r?\n/g, "\r\n");
  if (tag) text = text.replace(/^(Message-I[Dd]: <)/m, `$1${tag}.`);
  return Buffer.from(text, "utf8");
}
