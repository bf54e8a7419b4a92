// The directory's gaps: each role a procedure sends to or copies that nobody
// holds for some team (on the team, its service or the authority), as the
// emails would find it. What the QA team fills in before a dispute needs it.
import { type Directory, resolveRole, undeliverable } from "./directory.ts";
import { type Authority, roleLabel } from "./procedure/model.ts";
import type { Recipient } from "./procedure/schema.ts";

export interface DirectoryGap {
  teamId: string;
  teamName: string;
  role: string;
  label: string;
  /** where the procedures use it: "IRO Dispute Resolution, stage 2 (recipient)" */
  usedBy: string[];
  /** the role is held, but every holder's address bounced: who, and since when */
  bounced?: { name: string; email: string; since: Date; status: string }[];
}

function roleFor(r: Recipient, service: string): string {
  return typeof r === "string" ? r : r.byService[service] || r.role;
}

/** For a team of the given service: each role the procedures use there, and where. */
function rolesUsed(a: Authority, service: string): Map<string, string[]> {
  const used = new Map<string, string[]>();
  const add = (r: Recipient | undefined, where: string) => {
    if (!r) return;
    const role = roleFor(r, service);
    (used.get(role) ?? used.set(role, []).get(role)!).push(where);
  };
  for (const p of Object.values(a.procedures)) {
    add(p.qaInbox, `${p.name} (QA inbox)`);
    if (p.iroManager) add(p.iroManager, `${p.name} (the instigator's manager)`);
    for (const s of p.stages) {
      const at = `${p.name}, ${p.terms.stage} ${s.stage}`;
      add(s.recipient, `${at} (asked to respond)`);
      for (const c of s.copied) add(c, `${at} (copied)`);
      add(s.escalatedBy, `${at} (escalates)`);
      for (const m of s.meeting?.invitees ?? []) add(m, `${at} (invited to the meeting)`);
      if (s.register) add(s.register.to, `${at} (register)`);
    }
    for (const c of p.cafcass?.nominatedOfficers ?? []) add(c, `${p.name}, Cafcass (nominated officer)`);
    for (const c of p.cafcass?.copied ?? []) add(c, `${p.name}, Cafcass (copied)`);
    for (const c of p.closing?.copied ?? []) add(c, `${p.name}, at the close (copied)`);
  }
  return used;
}

export function directoryGaps(a: Authority, dir: Directory): DirectoryGap[] {
  const gaps: DirectoryGap[] = [];
  for (const t of [...dir.teams.values()].sort((x, y) => x.name.localeCompare(y.name))) {
    for (const [role, usedBy] of [...rolesUsed(a, t.service)].sort(([x], [y]) => x.localeCompare(y))) {
      const r = resolveRole(dir, role, t.id);
      if (r.found && r.people.some((p) => !undeliverable(dir, p))) continue;
      const bounced = r.found ? r.people.map((p) => ({ name: p.name, email: p.email, ...undeliverable(dir, p)! })) : undefined;
      gaps.push({
        teamId: t.id,
        teamName: t.name,
        role,
        label: roleLabel(a, role),
        usedBy: [...new Set(usedBy)],
        ...(bounced ? { bounced } : {}),
      });
    }
  }
  return gaps;
}
