// The directory: which person holds which role for a child's team, the team's
// service, or the whole authority. A role is looked up on the team first, then
// its service, then the authority; nobody found is reported, never dropped.
import { z } from "zod";
import type { Authority } from "./procedure/model.ts";
import { isKnownRole } from "./procedure/roles.ts";
import { LONE_SURROGATE, NOT_ONE_LINE, ONE_LINE_MESSAGE, SURROGATE_MESSAGE } from "./text.ts";

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "an id is letters, digits, dots, hyphens and underscores");
const holders = z.union([id, z.array(id).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));
const roleMap = z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, "a role is a lower_snake_case name"), holders).default({});

// Names go into emails: one line of plain text (a "\nSubject:" must not become a header-like line; domain/text.ts).
const plain = <T extends z.ZodType<string>>(s: T) =>
  s.refine((v) => !NOT_ONE_LINE.test(v), ONE_LINE_MESSAGE).refine((v) => !LONE_SURROGATE.test(v), SURROGATE_MESSAGE);
const name = plain(z.string().min(1).max(200));

export const directoryFileSchema = z.strictObject({
  authority: z.string().min(1),
  people: z.array(z.strictObject({ id, name, email: plain(z.email("expected an email address").max(320)) })).default([]),
  services: z.array(z.strictObject({ id, name, roles: roleMap })).default([]),
  teams: z.array(z.strictObject({ id, name, service: id, roles: roleMap })).default([]),
  roles: roleMap,
});

export type DirectoryFile = z.infer<typeof directoryFileSchema>;

export interface Person {
  id: string;
  name: string;
  email: string;
}

export interface Directory {
  authority: string;
  people: Map<string, Person>;
  services: Map<string, { id: string; name: string; roles: Record<string, string[]> }>;
  teams: Map<string, { id: string; name: string; service: string; roles: Record<string, string[]> }>;
  roles: Record<string, string[]>;
  /** addresses a delivery report said cannot be reached (lower case): their people are left out of emails, and the role is a gap */
  undeliverable?: Map<string, Undeliverable>;
}

export interface Undeliverable {
  since: Date;
  /** the delivery report's status code, e.g. "5.1.1" */
  status: string;
}

/** The mark on a person's address, if a delivery report said it cannot be reached. */
export function undeliverable(dir: Directory, p: Person): Undeliverable | undefined {
  return dir.undeliverable?.get(p.email.toLowerCase());
}

export interface DirectoryIssue {
  field: string;
  message: string;
}

/** Checks a parsed directory file against itself and its authority's roles. */
export function checkDirectory(file: DirectoryFile, authority: Pick<Authority, "id" | "roles">): DirectoryIssue[] {
  const issues: DirectoryIssue[] = [];
  // an empty body would otherwise replace the directory with nothing
  if (!file.people.length) issues.push({ field: "people", message: "a directory needs at least one person; the current one is kept" });
  if (file.authority !== authority.id) issues.push({ field: "authority", message: `is "${file.authority}", expected "${authority.id}"` });
  const people = new Set<string>();
  file.people.forEach((p, i) => {
    if (people.has(p.id)) issues.push({ field: `people[${i}].id`, message: `duplicate person "${p.id}"` });
    people.add(p.id);
  });
  const services = new Set(file.services.map((s) => s.id));
  const checkRoles = (roles: Record<string, string[]>, at: string) => {
    for (const [role, ids] of Object.entries(roles)) {
      if (!isKnownRole(role) && !Object.hasOwn(authority.roles, role)) {
        issues.push({ field: `${at}.${role}`, message: `unknown role "${role}" for ${authority.id}` });
      }
      for (const pid of ids) if (!people.has(pid)) issues.push({ field: `${at}.${role}`, message: `no person "${pid}" in people` });
    }
  };
  const seenServices = new Set<string>();
  file.services.forEach((s, i) => {
    if (seenServices.has(s.id)) issues.push({ field: `services[${i}].id`, message: `duplicate service "${s.id}"` });
    seenServices.add(s.id);
    checkRoles(s.roles, `services[${i}].roles`);
  });
  const seenTeams = new Set<string>();
  file.teams.forEach((t, i) => {
    if (seenTeams.has(t.id)) issues.push({ field: `teams[${i}].id`, message: `duplicate team "${t.id}"` });
    seenTeams.add(t.id);
    if (!services.has(t.service)) issues.push({ field: `teams[${i}].service`, message: `no service "${t.service}" in services` });
    checkRoles(t.roles, `teams[${i}].roles`);
  });
  checkRoles(file.roles, "roles");
  return issues;
}

export function directoryFromFile(file: DirectoryFile): Directory {
  return {
    authority: file.authority,
    people: new Map(file.people.map((p) => [p.id, p])),
    services: new Map(file.services.map((s) => [s.id, s])),
    teams: new Map(file.teams.map((t) => [t.id, t])),
    roles: file.roles,
  };
}

export type Resolution =
  | { found: true; people: Person[]; heldAt: "case" | "team" | "service" | "authority" }
  | { found: false; gap: string };

/**
 * People named on the child's own case, by role: the social worker and their
 * line manager (Gloucestershire ¶3–4), whom no team role can reach. Person ids
 * of the directory, so that their addresses stay the directory's.
 */
export type CasePeople = Readonly<Record<string, string>>;

/**
 * Who holds `role` for a child in `teamId`: the person named on the case,
 * else the team, else its service, else the authority.
 */
export function resolveRole(dir: Directory, role: string, teamId: string, onCase: CasePeople = {}): Resolution {
  const named = Object.hasOwn(onCase, role) ? dir.people.get(onCase[role]!) : undefined;
  if (named) return { found: true, people: [named], heldAt: "case" };
  const team = dir.teams.get(teamId);
  const service = team ? dir.services.get(team.service) : undefined;
  // role comes from callers: a role named "constructor" must not find Object's
  const held = (roles: Record<string, string[]> | undefined) => (roles && Object.hasOwn(roles, role) ? roles[role] : undefined);
  const levels: ["team" | "service" | "authority", string[] | undefined][] = [
    ["team", held(team?.roles)],
    ["service", held(service?.roles)],
    ["authority", held(dir.roles)],
  ];
  for (const [heldAt, ids] of levels) {
    const people = (ids ?? []).map((pid) => dir.people.get(pid)).filter((p): p is Person => p !== undefined);
    if (people.length) return { found: true, people, heldAt };
  }
  const where = team
    ? `team ${team.id} (${team.name}), its service ${team.service} or the authority`
    : `team ${teamId}, which is not in the directory`;
  return { found: false, gap: `no one holds role ${role} for ${where}` };
}

/** What is wrong with the people a dispute or review names on the child's case: each role must be one the authority has, each person in its directory. */
export function casePeopleIssues(
  a: Authority,
  dir: Directory,
  onCase: CasePeople,
  field = "casePeople",
): { field: string; message: string }[] {
  const issues: { field: string; message: string }[] = [];
  for (const [role, pid] of Object.entries(onCase)) {
    if (!isKnownRole(role) && !Object.hasOwn(a.roles, role))
      issues.push({ field: `${field}.${role}`, message: `"${role}" is not a role of ${a.name}` });
    else if (!dir.people.has(pid)) issues.push({ field: `${field}.${role}`, message: `no person "${pid}" in ${a.name}'s directory` });
  }
  return issues;
}

/** Something an open dispute would lose if a new directory replaced the current one. */
export interface DirectoryLoss {
  team: string;
  /** the role nobody would hold for the team, or undefined when the team itself would go */
  role?: string;
  /** the ids of who holds it now */
  heldBy: string[];
  /** the open disputes of that team (their references) */
  disputes: string[];
}

/**
 * What replacing `current` with `next` would take from open disputes: each
 * team of an open dispute that would no longer exist, and each role someone
 * holds for such a team now (on the team, its service or the authority) that
 * nobody would hold after.
 */
export function directoryLosses(current: Directory, next: Directory, open: { reference: string; teamId: string }[]): DirectoryLoss[] {
  const byTeam = new Map<string, string[]>();
  for (const d of open) (byTeam.get(d.teamId) ?? byTeam.set(d.teamId, []).get(d.teamId)!).push(d.reference);
  const losses: DirectoryLoss[] = [];
  for (const [teamId, disputes] of [...byTeam].sort(([a], [b]) => a.localeCompare(b))) {
    const team = current.teams.get(teamId);
    if (!team) continue; // already gone: nothing more to lose
    if (!next.teams.has(teamId)) {
      losses.push({ team: teamId, heldBy: [], disputes });
      continue;
    }
    const roles = new Set([
      ...Object.keys(team.roles),
      ...Object.keys(current.services.get(team.service)?.roles ?? {}),
      ...Object.keys(current.roles),
    ]);
    for (const role of [...roles].sort()) {
      const now = resolveRole(current, role, teamId);
      if (now.found && !resolveRole(next, role, teamId).found)
        losses.push({ team: teamId, role, heldBy: now.people.map((p) => p.id), disputes });
    }
  }
  return losses;
}

export interface DirectoryChanges {
  people: { added: string[]; removed: string[]; changed: string[] };
  teams: { added: string[]; removed: string[] };
  services: { added: string[]; removed: string[] };
  /** "team cla-north: team_manager tm-north → tm-new", and so on for services and the authority */
  roles: string[];
}

/** What would change, by id: for a dry run. */
export function directoryChanges(current: Directory, next: Directory): DirectoryChanges {
  const diff = <T>(a: Map<string, T>, b: Map<string, T>) => ({
    added: [...b.keys()].filter((k) => !a.has(k)).sort(),
    removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
  });
  const people = diff(current.people, next.people);
  const changed = [...next.people.values()]
    .filter((p) => {
      const was = current.people.get(p.id);
      return was && (was.name !== p.name || was.email.toLowerCase() !== p.email.toLowerCase());
    })
    .map((p) => p.id)
    .sort();
  const roles: string[] = [];
  const compare = (where: string, a: Record<string, string[]> | undefined, b: Record<string, string[]> | undefined) => {
    for (const role of [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].sort()) {
      const x = (a?.[role] ?? []).join(", ") || "nobody";
      const y = (b?.[role] ?? []).join(", ") || "nobody";
      if (x !== y) roles.push(`${where}: ${role} ${x} → ${y}`);
    }
  };
  for (const id of [...new Set([...current.services.keys(), ...next.services.keys()])].sort())
    compare(`service ${id}`, current.services.get(id)?.roles, next.services.get(id)?.roles);
  for (const id of [...new Set([...current.teams.keys(), ...next.teams.keys()])].sort())
    compare(`team ${id}`, current.teams.get(id)?.roles, next.teams.get(id)?.roles);
  compare("the authority", current.roles, next.roles);
  return { people: { ...people, changed }, teams: diff(current.teams, next.teams), services: diff(current.services, next.services), roles };
}
