// A delivery status notification's machine-readable part (RFC 3464: the
// message/delivery-status body, or RFC 6533's message/global-delivery-status):
// one block of per-message fields, then one block per recipient. Exchange
// Online, Gmail and Postfix all write it; what a person reads in the report's
// first part differs between them and is not relied on.

export interface RecipientStatus {
  /** the address the report is about (Final-Recipient, else Original-Recipient) */
  address: string;
  /** failed | delayed | delivered | relayed | expanded */
  action: string;
  /** the enhanced status code, e.g. "5.1.1" (RFC 3463) */
  status: string;
  /** the remote server's words (Diagnostic-Code), for the record only: never logged */
  diagnostic?: string;
}

/** A hard bounce (5.x.x, or any "failed") will not change; a soft one (4.x.x, "delayed") may, and the relay keeps trying. */
export type Severity = "hard" | "soft" | "none";

export function severityOf(r: Pick<RecipientStatus, "action" | "status">): Severity {
  if (r.action === "delivered" || r.action === "relayed" || r.action === "expanded") return "none";
  // "failed" is final whatever the code: Postfix's 4.4.1 and Exchange's 4.4.7 after the queue's lifetime are given up on
  if (r.action === "failed" || r.status.startsWith("5.")) return "hard";
  return r.action === "delayed" || r.status.startsWith("4.") ? "soft" : "none";
}

/** Header-style blocks separated by blank lines, continuation lines folded in. */
function blocks(text: string): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  let current = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    if (!line.trim()) {
      if (current.size) out.push(current);
      current = new Map();
      last = undefined;
      continue;
    }
    if (/^[ \t]/.test(line) && last) {
      current.set(last, `${current.get(last)} ${line.trim()}`);
      continue;
    }
    const m = /^([A-Za-z0-9-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    last = m[1]!.toLowerCase();
    // the first of a repeated field wins
    if (!current.has(last)) current.set(last, m[2]!.trim());
  }
  if (current.size) out.push(current);
  return out;
}

/** "rfc822; someone@example.org" → someone@example.org */
function addressOf(field: string | undefined): string | undefined {
  if (!field) return undefined;
  const v = field.includes(";") ? field.slice(field.indexOf(";") + 1) : field;
  const a = v.trim().replace(/^<|>$/g, "");
  return /^[^@\s]+@[^@\s]+$/.test(a) ? a.toLowerCase() : undefined;
}

/** "smtp; 550 5.1.1 <x>: user unknown" → 5.1.1, where the Status field is missing or bare */
function codeIn(text: string | undefined): string | undefined {
  return text ? /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(text)?.[1] : undefined;
}

/** Printable text and line breaks only, and not much of it: what a report says is written to the database. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: taking control characters out is the point
const clean = (s: string, max: number) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "").slice(0, max);

/** Each recipient the report is about; none where the body is not a delivery status. */
export function parseDeliveryStatus(text: string): RecipientStatus[] {
  const body = clean(text, 200_000);
  const out: RecipientStatus[] = [];
  for (const b of blocks(body)) {
    const address = addressOf(b.get("final-recipient")) ?? addressOf(b.get("original-recipient"));
    const action = b
      .get("action")
      ?.toLowerCase()
      .split(/[\s(;]/)[0]
      ?.slice(0, 20);
    if (!address || !action) continue;
    const diagnostic = b.get("diagnostic-code");
    const status = codeIn(b.get("status")) ?? codeIn(diagnostic) ?? "";
    out.push({ address, action, status, ...(diagnostic ? { diagnostic: diagnostic.slice(0, 300) } : {}) });
  }
  return out;
}

// RFC 3463's codes as the big mail systems use them, in words a manager reads
const MEANINGS: [RegExp, string][] = [
  [/^5\.1\.10$/, "no mailbox has that address (Exchange Online: recipient not found)"],
  [/^5\.1\.[16]$/, "no mailbox has that address"],
  [/^5\.1\.\d+$/, "the address is not valid"],
  [/^5\.2\.1$/, "the mailbox is disabled"],
  [/^[45]\.2\.2$/, "the mailbox is full"],
  [/^5\.2\.\d+$/, "the mailbox cannot take mail"],
  [/^5\.4\.\d+$/, "the address's mail server cannot be reached"],
  [/^5\.7\.\d+$/, "the receiving system refused it by policy"],
  [/^4\.4\.7$/, "it could not be delivered in time; the mail server has stopped trying"],
  [/^4\.\d+\.\d+$/, "a temporary failure; the mail server is still trying"],
  [/^5\.\d+\.\d+$/, "a permanent failure"],
];

/** "5.1.1" → "no mailbox has that address" */
export function statusMeaning(code: string): string {
  return MEANINGS.find(([re]) => re.test(code))?.[1] ?? "the mail system gave no reason";
}
