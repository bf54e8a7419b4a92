// The steps a signed-in person may take on a dispute, from its page: each
// step is its owner's, as on the links in emails (links/actions.ts): the
// stage's recipient records the response (or that the meeting is arranged);
// the escalator, where the procedure names one, or the instigator escalates;
// the instigator agrees an extension, resolves or refers. Someone who only
// oversees it (QA, a copied manager) sees it and takes no step.
import { loadDirectory } from "../db/queries/directory.ts";
import { eventsOf, findDisputeByReference } from "../db/queries/disputes.ts";
import { maySeeDispute, type Viewer } from "../domain/access.ts";
import { resolveRole } from "../domain/directory.ts";
import { roleFor } from "../domain/procedure/model.ts";
import { INSTIGATOR } from "../domain/procedure/roles.ts";
import type { Opened } from "../links/act.ts";
import { actionsFor, type OfferedAction, stepOwner } from "../links/actions.ts";
import type { LinkAction } from "../links/token.ts";
import { authorityOf, type Services } from "./context.ts";
import { procedureOf, replayRows } from "./disputes.ts";
import { NotFoundError } from "./errors.ts";

export interface CaseSteps {
  /** the dispute, as a step's form works on it (the same shape a link's page has) */
  context: Omit<Opened, "claims">;
  /** each step this person may take now, with the role they take it in */
  offered: (OfferedAction & { role: string })[];
}

export async function caseSteps(svc: Services, v: Viewer, reference: string): Promise<CaseSteps> {
  const a = authorityOf(svc, v.authorityId);
  const row = reference.length <= 64 ? await findDisputeByReference(svc.db, a.id, reference.toUpperCase()) : undefined;
  const dir = await loadDirectory(svc.db, a.id);
  if (!row || !maySeeDispute(v, a, dir, row, row.serviceId)) throw new NotFoundError(`no case ${reference} that you may see`);
  const p = procedureOf(a, row.procedure);
  const state = replayRows(a, row, await eventsOf(svc.db, row.id));
  // the roles this person holds on this dispute: its instigator, and any role a step belongs to that the directory gives them for the child
  const roles = new Set<string>();
  if (row.raisedByEmail.toLowerCase() === v.email) roles.add(INSTIGATOR);
  for (const action of ["respond", "escalate"] as LinkAction[]) {
    const owner = stepOwner(p, state, action, row.serviceId);
    if (!owner || owner === INSTIGATOR) continue;
    const r = resolveRole(dir, roleFor(owner, row.serviceId), row.teamId, row.casePeople);
    if (r.found && r.people.some((x) => v.personIds.has(x.id))) roles.add(owner);
  }
  const offered = [...roles].flatMap((role) => [
    ...actionsFor(p, state, "stage_raised", "recipient", role, row.serviceId).map((x) => ({ ...x, role })),
    ...actionsFor(p, state, "escalation_prompt", "instigator", role, row.serviceId).map((x) => ({ ...x, role })),
  ]);
  return { context: { a, p, row, state }, offered };
}

/** The context a step's form needs, as a link's page would have it: this person, this step, the version they saw. */
export function asOpened(s: CaseSteps, v: Viewer, action: LinkAction, version: number): Opened | undefined {
  const o = s.offered.find((x) => x.action === action);
  if (!o) return undefined;
  const now = Math.floor(Date.now() / 1000);
  return {
    ...s.context,
    claims: { v: 2, a: s.context.a.id, d: s.context.row.id, r: o.role, e: v.email, act: action, ver: version, iat: now, exp: now },
  };
}
