// Notices of what happened to a dispute, rather than of what is due: it
// closed, an informal stage opened or closed (where the procedure registers
// them), a Cafcass referral was considered or made.
import { addressees, copyRole, type Draft, type PlanInput, planKey, toRole } from "./notification.ts";
import { roleFor, stageOf } from "./procedure/model.ts";
import { INSTIGATOR } from "./procedure/roles.ts";

export function closedNotice(input: PlanInput): Draft[] {
  const { procedure: p, state: s, disputeId: id, service } = input;
  // nobody outside the informal discussion has heard of a dispute that never went formal
  if (!s.closed || !s.formalStartedOn) return [];
  const stage = s.stage;
  const recipient = stage.recipient && stage.formal ? toRole(roleFor(stage.recipient, service)) : undefined;
  // a referral closes the dispute with its own notice to the instigator (cafcassNotices)
  const instigator = s.status === "referred_to_cafcass" ? undefined : toRole(INSTIGATOR);
  const copies = p.closing ? p.closing.copied : [...stage.copied, p.qaInbox];
  return [
    {
      key: planKey(id, "closed"),
      kind: "closed",
      stage: stage.stage,
      at: s.closed.at,
      addressees: addressees(
        recipient,
        instigator,
        copies.map((r) => copyRole(roleFor(r, service))),
      ),
      rule: `the dispute was closed: ${s.status.replaceAll("_", " ")}`,
      source: p.closing?.source ?? p.source,
    },
  ];
}

/** WF §11.1: informal concerns are registered with business support when they open and close. */
export function informalNotices(input: PlanInput): Draft[] {
  const { procedure: p, state: s, disputeId: id, service } = input;
  const out: Draft[] = [];
  const told = (stageNumber: number) => {
    const r = stageOf(p, stageNumber)?.register;
    return (
      r &&
      addressees(
        toRole(roleFor(r.to, service)),
        r.copied.map((c) => copyRole(roleFor(c, service))),
      )
    );
  };
  const current = s.stage;
  const here = !current.formal ? told(current.stage) : undefined;
  if (here && current.register) {
    out.push({
      key: planKey(id, "informal_opened", { stage: current.stage, seq: s.stageSeq }),
      kind: "informal_opened",
      stage: current.stage,
      at: s.stageEnteredAt,
      addressees: here,
      rule: `${current.name} opened`,
      source: current.register.source,
    });
    if (s.closed) {
      out.push({
        key: planKey(id, "informal_closed", { stage: current.stage, seq: s.closed.seq }),
        kind: "informal_closed",
        stage: current.stage,
        at: s.closed.at,
        addressees: here,
        rule: `${current.name} closed: ${s.status.replaceAll("_", " ")}`,
        source: current.register.source,
      });
    }
  }
  // the stage before this one was a registered informal stage: it closed when this one began
  const before = s.visits.at(-2);
  const left = before && stageOf(p, before.stage);
  const prior = left && !left.formal ? told(left.stage) : undefined;
  if (left && prior && left.register) {
    out.push({
      key: planKey(id, "informal_closed", { stage: left.stage, seq: s.stageSeq }),
      kind: "informal_closed",
      stage: left.stage,
      at: s.stageEnteredAt,
      addressees: prior,
      rule: `${left.name} closed: moved to ${current.name}`,
      source: left.register.source,
    });
  }
  return out;
}

/** IRO Handbook 8.12: the nominated officer is told when a referral is considered, and when it is made. */
export function cafcassNotices(input: PlanInput): Draft[] {
  const { procedure: p, state: s, disputeId: id, service } = input;
  const c = p.cafcass;
  if (!c) return [];
  const officers = c.nominatedOfficers.map((r) => toRole(roleFor(r, service)));
  // with no officer named, the QA inbox is told, so that a referral is never unseen
  const told = addressees(
    officers.length ? officers : [toRole(p.qaInbox)],
    c.copied.map((r) => copyRole(roleFor(r, service))),
    copyRole(p.qaInbox),
    copyRole(INSTIGATOR),
  );
  const out: Draft[] = [];
  if (s.referralConsidered && c.beforeReferral) {
    out.push({
      key: planKey(id, "cafcass_referral_considered", { seq: s.referralConsidered.seq }),
      kind: "cafcass_referral_considered",
      stage: s.stage.stage,
      at: s.referralConsidered.at,
      addressees: told,
      rule: "a referral to Cafcass is being considered; the nominated officer is told first",
      source: c.beforeReferral.source,
    });
  }
  if (s.cafcassReferral) {
    out.push({
      key: planKey(id, "cafcass_referral", { seq: s.cafcassReferral.seq }),
      kind: "cafcass_referral",
      stage: s.stage.stage,
      at: s.cafcassReferral.at,
      addressees: told,
      rule: officers.length
        ? "the dispute has been referred to Cafcass; the nominated officer is told"
        : "the dispute has been referred to Cafcass; the procedure names no officer, so the QA inbox is told",
      source: c.source,
    });
  }
  return out;
}
