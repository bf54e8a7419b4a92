// Who an email goes to, resolved at the moment it is sent (so directory changes
// apply to everything not yet sent). A role nobody holds is never dropped: the
// email goes to the QA inbox with a banner saying who is missing.
import { type Directory, type Person, resolveRole } from "../domain/directory.ts";
import { type Authority, roleLabel } from "../domain/procedure/model.ts";
import { INSTIGATOR } from "../domain/procedure/roles.ts";

export interface DisputeParty {
  teamId: string;
  raisedByName: string;
  raisedByEmail: string;
  raisedByRole: string;
}

export interface Addressed {
  to: Person[];
  cc: (Person & { roleLabel: string })[];
  /** the title of the role the email is for, e.g. "Case-holding Team Manager" */
  toRoleLabel: string;
  /** "no one holds role … for team …" for each role nobody holds */
  gaps: string[];
  /** the To role could not be resolved, so the QA inbox stands in */
  redirected: boolean;
}

export class NobodyToSendTo extends Error {
  override name = "NobodyToSendTo";
}

function holders(a: Authority, dir: Directory, d: DisputeParty, role: string): { people: Person[]; gap?: string } {
  if (role === INSTIGATOR) return { people: [{ id: "instigator", name: d.raisedByName, email: d.raisedByEmail }] };
  const r = resolveRole(dir, role, d.teamId);
  if (r.found) return { people: r.people };
  const team = dir.teams.get(d.teamId);
  return {
    people: [],
    gap: `No one holds the role ${roleLabel(a, role)} (${role}) for ${team ? `team ${team.name}` : `team ${d.teamId}`} in the directory.`,
  };
}

export function address(a: Authority, dir: Directory, d: DisputeParty, toRole: string, ccRoles: string[], qaInboxRole: string): Addressed {
  const gaps: string[] = [];
  const to = holders(a, dir, d, toRole);
  let redirected = false;
  let toPeople = to.people;
  if (to.gap) {
    gaps.push(`${to.gap} This email was meant for them and has come to the QA inbox instead: please pass it on and update the directory.`);
    const qa = holders(a, dir, d, qaInboxRole);
    if (!qa.people.length) throw new NobodyToSendTo(`${to.gap} ${qa.gap ?? ""}`.trim());
    toPeople = qa.people;
    redirected = true;
  }
  const seen = new Set(toPeople.map((p) => p.email.toLowerCase()));
  const cc: Addressed["cc"] = [];
  for (const role of ccRoles) {
    const h = holders(a, dir, d, role);
    if (h.gap) gaps.push(`${h.gap} They should have been copied in.`);
    for (const p of h.people) {
      if (seen.has(p.email.toLowerCase())) continue;
      seen.add(p.email.toLowerCase());
      cc.push({ ...p, roleLabel: roleLabel(a, role === INSTIGATOR ? d.raisedByRole : role) });
    }
  }
  return { to: toPeople, cc, toRoleLabel: roleLabel(a, toRole === INSTIGATOR ? d.raisedByRole : toRole), gaps, redirected };
}
