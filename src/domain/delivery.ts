// What the bounce mailbox told us about a dispute's emails (mail/inbound):
// one of them could not be delivered, or its addressee replied that they are
// away. Recorded in the dispute's log beside the emails themselves; the
// planner turns each into a notice to the IRO (and the QA inbox), once.
import type { IsoDate } from "./calendar/dates.ts";

export interface DeliveryFact {
  type: "email_bounced" | "recipient_away";
  /** its place in the dispute's log */
  seq: number;
  at: Date;
  /** the email it is about: its notification's kind, the role it went to, the stage it was of */
  kind: string;
  role: string;
  stage: number | null;
  /** the addressee's address (lower case), and their name as the directory gave it when the report came */
  address: string;
  name?: string;
  /** a bounce's status code, e.g. "5.1.1" */
  status?: string;
  /** a bounce counted from delays: how many of the address's emails were delayed in a row */
  delays?: number;
  /** an automatic reply's return date, where it gave one, and the words it was read from */
  returnOn?: IsoDate;
  /** "until": returnOn is their last day away; "back": their first day back */
  returnKind?: "until" | "back";
  phrase?: string;
}

export const DELIVERY_EVENT_TYPES: readonly DeliveryFact["type"][] = ["email_bounced", "recipient_away"];

/** The facts in a dispute's log rows (any order of other rows around them). */
export function deliveryFacts(rows: readonly { seq: number; type: string; at: Date; payload: Record<string, unknown> }[]): DeliveryFact[] {
  const out: DeliveryFact[] = [];
  for (const r of rows) {
    if (r.type !== "email_bounced" && r.type !== "recipient_away") continue;
    const p = r.payload;
    const str = (v: unknown) => (typeof v === "string" ? v : undefined);
    out.push({
      type: r.type,
      seq: r.seq,
      at: r.at,
      kind: str(p.kind) ?? "email",
      role: str(p.role) ?? "",
      stage: typeof p.stage === "number" ? p.stage : null,
      address: str(p.address) ?? "",
      ...(str(p.name) ? { name: str(p.name) } : {}),
      ...(str(p.status) ? { status: str(p.status) } : {}),
      ...(typeof p.delays === "number" ? { delays: p.delays } : {}),
      ...(str(p.returnOn) ? { returnOn: str(p.returnOn) as IsoDate } : {}),
      ...(p.returnKind === "until" || p.returnKind === "back" ? { returnKind: p.returnKind } : {}),
      ...(str(p.phrase) ? { phrase: str(p.phrase) } : {}),
    });
  }
  return out;
}
