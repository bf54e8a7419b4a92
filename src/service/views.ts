// What the API and the CLI show of a dispute.

import type { DisputeRow, EventRow } from "../db/queries/disputes.ts";
import { deliveryFacts } from "../domain/delivery.ts";
import { type Directory, resolveRole } from "../domain/directory.ts";
import type { DisputeState } from "../domain/dispute/state.ts";
import { planNotifications } from "../domain/planner.ts";
import { type Authority, roleLabel } from "../domain/procedure/model.ts";
import { INSTIGATOR } from "../domain/procedure/roles.ts";

export function disputeSummary(a: Authority, row: DisputeRow, now: Date) {
  const p = a.procedures[row.procedure]!;
  const stage = p.stages.find((s) => s.stage === row.stage);
  return {
    id: row.id,
    reference: row.reference,
    authority: row.authorityId,
    procedure: row.procedure,
    childRef: row.childRef,
    familyRef: row.familyRef,
    casePeople: row.casePeople,
    status: row.status,
    stage: row.stage,
    stageName: stage?.name ?? null,
    formal: stage?.formal ?? true,
    awaiting: row.status === "open" ? row.awaiting : null,
    respondBy: row.respondBy,
    respondByAt: row.respondByAt?.toISOString() ?? null,
    overdue: row.status === "open" && row.awaiting === "response" && row.respondByAt !== null && row.respondByAt.getTime() < now.getTime(),
    overallDeadline: row.overallDeadline,
    formalStartedOn: row.formalStartedOn,
    team: row.teamId,
    service: row.serviceId,
    raisedBy: { name: row.raisedByName, email: row.raisedByEmail, role: row.raisedByRole },
    raisedAt: row.raisedAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    version: row.version,
  };
}

export function disputeView(a: Authority, row: DisputeRow, now: Date, warnings: string[] = [], state?: DisputeState) {
  return {
    ...disputeSummary(a, row, now),
    // the IRO or CP Chair a §1.6 concern is about: on the record, never emailed
    ...(state?.concerning ? { concerning: state.concerning } : {}),
    categories: row.categories,
    otherCategory: row.otherCategory,
    summary: row.summary,
    requestedActions: row.requestedActions,
    warnings,
  };
}

/** The full picture: the dispute, its event log, and what the planner has ahead for it. */
export function disputeDetail(a: Authority, row: DisputeRow, events: EventRow[], state: DisputeState, dir: Directory, now: Date) {
  const p = a.procedures[row.procedure]!;
  const plan = planNotifications({
    authority: a,
    procedure: p,
    state,
    disputeId: row.id,
    service: row.serviceId,
    now,
    delivery: deliveryFacts(events),
  });
  const who = (role: string) => {
    if (role === INSTIGATOR)
      return { role, label: roleLabel(a, row.raisedByRole), people: [{ name: row.raisedByName, email: row.raisedByEmail }] };
    const r = resolveRole(dir, role, row.teamId, row.casePeople);
    return {
      role,
      label: roleLabel(a, role),
      ...(r.found ? { people: r.people.map(({ name, email }) => ({ name, email })) } : { people: [], gap: r.gap }),
    };
  };
  return {
    ...disputeView(a, row, now, [], state),
    timeline: events.map((e) => ({
      seq: e.seq,
      type: e.type,
      at: e.at.toISOString(),
      recordedAt: e.recordedAt.toISOString(),
      by: e.actorName || e.actorEmail ? { name: e.actorName, email: e.actorEmail, role: e.actorRole } : null,
      ...e.payload,
    })),
    obligations: plan.obligations.map((o) => ({
      kind: o.kind,
      stage: o.stage,
      owedBy: o.owedBy,
      due: o.due.date,
      dueAt: o.due.at.toISOString(),
      rule: o.due.rule,
      source: o.due.source,
    })),
    planned: plan.notifications.map((n) => ({
      key: n.key,
      kind: n.kind,
      stage: n.stage,
      at: n.at.toISOString(),
      sendAt: n.sendAt.toISOString(),
      status: n.status,
      to: n.addressees.filter((x) => !x.copy).map((x) => ({ ...who(x.role), audience: x.audience })),
      cc: n.addressees.filter((x) => x.copy).map((x) => ({ ...who(x.role), audience: x.audience })),
      rule: n.rule,
      source: n.source,
      ...(n.escalation ? { escalation: n.escalation } : {}),
    })),
  };
}
