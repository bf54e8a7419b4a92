// Who may see which dispute or review on the pages. The directory says who a
// person is: QA (the QA inbox's members, quality managers, the QA heads of
// service the procedures name) see every dispute and review of their
// authority; an IRO or CP Chair the ones they raised or chaired; a manager the
// ones they hold or held, and their teams'. Nobody sees another authority's.
import type { CasePeople, Directory } from "./directory.ts";
import { resolveRole } from "./directory.ts";
import type { Authority, Procedure } from "./procedure/model.ts";
import { CHAIR_ROLES } from "./procedure/roles.ts";
import type { Recipient } from "./procedure/schema.ts";

/** The quality assurance roles, besides each procedure's own QA inbox. */
export const QA_ROLES: ReadonlySet<string> = new Set([
  "qa_inbox",
  "cp_qa_inbox",
  "quality_manager",
  "head_of_quality",
  "qa_deputy_head_of_service",
  "qa_head_of_service",
  "assistant_director_qa",
  "service_manager_qa",
]);

/** Roles held for a team that do not make its disputes one's own: a social worker sees their own child's (on the case), a chair what they raised. */
const NOT_TEAM_WIDE: ReadonlySet<string> = new Set(["social_worker", "iro", "cp_chair", "business_support"]);

export interface Viewer {
  authorityId: string;
  /** lower case */
  email: string;
  name: string;
  /** the directory's people with this address (one, normally) */
  personIds: ReadonlySet<string>;
  /** every role they hold, at any level */
  roles: ReadonlySet<string>;
  qa: boolean;
  /** holds the role iro or cp_chair */
  chair: boolean;
  /** teams whose disputes are theirs: where they hold a role, or hold one for the team's service */
  teams: ReadonlySet<string>;
}

/** The person the directory knows by this address, with what they may see; undefined if it knows none. */
export function viewerOf(a: Authority, dir: Directory, email: string): Viewer | undefined {
  const address = email.trim().toLowerCase();
  const people = [...dir.people.values()].filter((p) => p.email.toLowerCase() === address);
  if (!people.length) return undefined;
  const ids = new Set(people.map((p) => p.id));
  const roles = new Set<string>();
  const teams = new Set<string>();
  const holds = (map: Record<string, string[]>) => Object.entries(map).filter(([, held]) => held.some((id) => ids.has(id)));
  for (const [role] of holds(dir.roles)) roles.add(role);
  const services = new Set<string>();
  for (const s of dir.services.values())
    for (const [role] of holds(s.roles)) {
      roles.add(role);
      if (!NOT_TEAM_WIDE.has(role)) services.add(s.id);
    }
  for (const t of dir.teams.values()) {
    for (const [role] of holds(t.roles)) {
      roles.add(role);
      if (!NOT_TEAM_WIDE.has(role)) teams.add(t.id);
    }
    if (services.has(t.service)) teams.add(t.id);
  }
  const qaRoles = new Set([...QA_ROLES, ...Object.values(a.procedures).map((p) => p.qaInbox)]);
  return {
    authorityId: a.id,
    email: address,
    name: people[0]!.name,
    personIds: ids,
    roles,
    qa: [...roles].some((r) => qaRoles.has(r)),
    chair: CHAIR_ROLES.some((r) => roles.has(r)),
    teams,
  };
}

/** What of a dispute decides who may see it. */
export interface DisputeAccess {
  authorityId: string;
  procedure: string;
  teamId: string;
  casePeople: CasePeople;
  raisedByEmail: string;
  /** every stage it has been at (the current one among them) */
  stagesEntered: readonly number[];
}

function recipientRole(r: Recipient | undefined, service: string | undefined): string | undefined {
  if (r === undefined) return undefined;
  if (typeof r === "string") return r;
  return (service && r.byService[service]) || r.role;
}

/** The stages of a procedure whose recipient is one of these roles (for a first filter in SQL). */
export function stagesHeldBy(p: Procedure, roles: ReadonlySet<string>): number[] {
  return p.stages
    .filter((s) => {
      const r = s.recipient;
      if (r === undefined) return false;
      return typeof r === "string" ? roles.has(r) : roles.has(r.role) || Object.values(r.byService).some((x) => roles.has(x));
    })
    .map((s) => s.stage);
}

/** Whether the viewer may see the dispute: its authority's QA, its instigator, its team's managers, and whoever holds or held it. */
export function maySeeDispute(v: Viewer, a: Authority, dir: Directory, d: DisputeAccess, service?: string): boolean {
  if (d.authorityId !== v.authorityId || a.id !== v.authorityId) return false;
  if (v.qa) return true;
  if (d.raisedByEmail.toLowerCase() === v.email) return true;
  if (v.teams.has(d.teamId)) return true;
  const p = a.procedures[d.procedure as keyof typeof a.procedures];
  if (!p) return false;
  // the recipient of a stage it has been at: as the directory resolves that role for the child now
  for (const n of d.stagesEntered) {
    const role = recipientRole(p.stages.find((s) => s.stage === n)?.recipient, service);
    if (!role || !v.roles.has(role)) continue;
    const r = resolveRole(dir, role, d.teamId, d.casePeople);
    if (r.found && r.people.some((x) => v.personIds.has(x.id))) return true;
  }
  // named on the child's case (the social worker, their line manager)
  return Object.values(d.casePeople).some((id) => v.personIds.has(id));
}

/** Whether the viewer may see a review: QA, its chair, and its team's managers (and the people named on its case). */
export function maySeeReview(v: Viewer, r: { authorityId: string; teamId: string; chairEmail: string; casePeople: CasePeople }): boolean {
  if (r.authorityId !== v.authorityId) return false;
  return (
    v.qa || r.chairEmail.toLowerCase() === v.email || v.teams.has(r.teamId) || Object.values(r.casePeople).some((id) => v.personIds.has(id))
  );
}
