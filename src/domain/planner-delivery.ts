// Notices of an email that did not arrive: a delivery report said it bounced
// (the IRO and the QA inbox are told at once: who did not receive what, the
// deadline at risk, the directory to mend), or the stage's recipient is away
// (the IRO is told until when, and whether the deadline falls meanwhile).
// Keyed on the first fact behind them: once per address per stage, however
// many of its emails came back.
import type { DeliveryFact } from "./delivery.ts";
import { addressees, type Draft, type PlanInput, planKey, toRole } from "./notification.ts";
import { roleFor } from "./procedure/model.ts";
import { INSTIGATOR } from "./procedure/roles.ts";

export function deliveryNotices(input: PlanInput): Draft[] {
  const { procedure: p, state: s, disputeId: id, service } = input;
  const facts = input.delivery ?? [];
  if (!facts.length) return [];
  const out: Draft[] = [];
  const qa = roleFor(p.qaInbox, service);
  const deadline = s.deadline.kind === "due" ? { date: s.deadline.date, at: s.deadline.at } : undefined;
  const once = new Set<string>();
  const first = (f: DeliveryFact, stage: number) => {
    const k = `${f.type}|${stage}|${f.address}`;
    if (once.has(k)) return false;
    once.add(k);
    return true;
  };
  for (const f of facts.filter((x) => x.type === "email_bounced")) {
    const stage = f.stage ?? s.stage.stage;
    if (!first(f, stage)) continue;
    out.push({
      key: planKey(id, "delivery_failed", { seq: f.seq }),
      kind: "delivery_failed",
      stage,
      at: f.at,
      // the IRO (unless it was their own address) and the QA inbox, who mend the directory
      addressees: addressees(f.role === INSTIGATOR ? undefined : toRole(INSTIGATOR), f.role === qa ? undefined : toRole(qa)),
      ...(stage === s.stage.stage && deadline ? { deadline } : {}),
      rule: `an email to the ${f.role.replaceAll("_", " ")} bounced (status ${f.status ?? "unknown"})`,
      source: s.stage.source,
      delivery: f,
    });
  }
  const recipient = s.stage.recipient && roleFor(s.stage.recipient, service);
  for (const f of facts.filter((x) => x.type === "recipient_away")) {
    const stage = f.stage ?? s.stage.stage;
    if (!first(f, stage)) continue;
    // the one asked to respond, at the stage the dispute is at: a copied person's leave, or a stage left, changes nothing for the IRO
    if (stage !== s.stage.stage || f.role !== recipient) continue;
    out.push({
      key: planKey(id, "recipient_away", { stage, seq: f.seq }),
      kind: "recipient_away",
      stage,
      at: f.at,
      addressees: [toRole(INSTIGATOR)],
      ...(deadline ? { deadline } : {}),
      rule: `the ${f.role.replaceAll("_", " ")} replied that they are away${f.returnOn ? ` until ${f.returnOn}` : ""}`,
      source: s.stage.source,
      delivery: f,
    });
  }
  return out;
}

export type { DeliveryFact };
