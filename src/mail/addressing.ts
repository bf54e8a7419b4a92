// Who a notification's emails go to, resolved at the moment it is sent (so
// directory changes apply to everything not yet sent). Each addressee role
// gets an email of its own, worded for its audience. A person reached in one
// role is not sent a second copy in another. A role nobody holds is never
// dropped silently: the recipient's email goes to the QA inbox with a banner
// saying who is missing, and every email of the notification names the gap.
// A role held by several people gets one email per person, each with its own
// links, so that whoever acts is the one recorded.
import { longDate } from "../domain/calendar/dates.ts";
import { localDate } from "../domain/calendar/local-time.ts";
import { type CasePeople, type Directory, type Person, resolveRole, undeliverable } from "../domain/directory.ts";
import type { Addressee, Audience } from "../domain/planner.ts";
import { type Authority, roleLabel } from "../domain/procedure/model.ts";
import { INSTIGATOR } from "../domain/procedure/roles.ts";

export interface DisputeParty {
  teamId: string;
  /** people named on the child's case, by role (the social worker, their line manager) */
  casePeople?: CasePeople;
  raisedByName: string;
  raisedByEmail: string;
  raisedByRole: string;
}

export interface AddressedEmail {
  role: string;
  /** this email among the notification's: the role, or "role+person id" where several people hold it */
  key: string;
  audience: Audience;
  /** copied by the procedure, rather than on its To line */
  copy: boolean;
  /** the people this email goes to; empty when `skip` says why not */
  to: Person[];
  /** the title of the role, e.g. "Case-holding Team Manager" */
  roleLabel: string;
  /** nobody holds the role, so the QA inbox stands in */
  redirected: boolean;
  /** why no email goes to this role */
  skip?: string;
  /** the skip is a failure: the email was needed and reaches nobody (listed for the QA inbox) */
  failed?: boolean;
}

export interface Addressing {
  emails: AddressedEmail[];
  /** "no one holds role … for team …", for each role nobody holds */
  gaps: string[];
  /** invitees to a stage's meeting: "Name, Title", or the title alone where nobody holds it */
  invitees: string[];
}

function holders(a: Authority, dir: Directory, d: DisputeParty, role: string): { people: Person[]; gap?: string } {
  if (role === INSTIGATOR) return { people: [{ id: "instigator", name: d.raisedByName, email: d.raisedByEmail }] };
  const r = resolveRole(dir, role, d.teamId, d.casePeople);
  const team = dir.teams.get(d.teamId);
  const forTeam = team ? `team ${team.name}` : `team ${d.teamId}`;
  if (r.found) {
    // an address a delivery report said cannot be reached is left out: the role is a gap until the directory is mended
    const reachable = r.people.filter((p) => !undeliverable(dir, p));
    if (reachable.length) return { people: reachable };
    const why = r.people.map((p) => {
      const u = undeliverable(dir, p)!;
      return `${p.name}'s address (${p.email}) bounced on ${longDate(localDate(u.since, a.timeZone))} (status ${u.status})`;
    });
    return {
      people: [],
      gap: `No one can be reached in the role ${roleLabel(a, role)} (${role}) for ${forTeam}: ${why.join("; ")}. The directory needs a new holder or a new address.`,
    };
  }
  return { people: [], gap: `No one holds the role ${roleLabel(a, role)} (${role}) for ${forTeam} in the directory.` };
}

export function labelFor(a: Authority, d: DisputeParty, role: string): string {
  return roleLabel(a, role === INSTIGATOR ? d.raisedByRole : role);
}

/** Resolves every addressee of a notification, in the planner's order. */
export function addressNotification(
  a: Authority,
  dir: Directory,
  d: DisputeParty,
  addressees: readonly Addressee[],
  qaInboxRole: string,
  inviteeRoles: readonly string[] = [],
): Addressing {
  const gaps: string[] = [];
  const seen = new Set<string>();
  const emails: AddressedEmail[] = [];
  for (const x of addressees) {
    const h = holders(a, dir, d, x.role);
    const base = { role: x.role, key: x.role, audience: x.audience, copy: x.copy, roleLabel: labelFor(a, d, x.role), redirected: false };
    let people = h.people;
    if (h.gap && !x.copy) {
      gaps.push(`${h.gap} This email was meant for them and has come to the QA inbox instead: please pass it on and update the directory.`);
      people = holders(a, dir, d, qaInboxRole).people;
      if (!people.length) {
        emails.push({ ...base, to: [], skip: `${h.gap} Nor does anyone hold the QA inbox.`, failed: true });
        continue;
      }
      base.redirected = true;
    } else if (h.gap) {
      gaps.push(`${h.gap} They should have been copied in.`);
      emails.push({ ...base, to: [], skip: "nobody holds the role" });
      continue;
    }
    const fresh = people.filter((p) => !seen.has(p.email.toLowerCase()));
    for (const p of fresh) seen.add(p.email.toLowerCase());
    if (!fresh.length) emails.push({ ...base, to: [], skip: "already sent to the same people in another role" });
    else if (fresh.length === 1) emails.push({ ...base, to: fresh });
    else for (const p of fresh) emails.push({ ...base, key: `${x.role}+${p.id}`, to: [p] });
  }
  // the convener (the stage's recipient) does not invite themselves
  const convener = new Set(addressees.filter((x) => !x.copy).map((x) => x.role));
  const invitees = inviteeRoles
    .filter((role) => !convener.has(role))
    .map((role) => {
      const h = holders(a, dir, d, role);
      const label = roleLabel(a, role);
      return h.people.length ? nameAndTitle(h.people.map((p) => p.name).join(", "), label) : label;
    });
  return { emails, gaps, invitees };
}

/** The email with this key (a role, or "role+person"), or an error if the notification has none. */
export function emailFor(addressing: Addressing, key: string): AddressedEmail {
  const e = addressing.emails.find((x) => x.key === key);
  if (!e) throw new Error(`no addressee "${key}" in this notification`);
  return e;
}

/** "Name, Title", or the name alone where it already says the title ("Birmingham IRO QA inbox", not "…, Quality assurance inbox"). */
export function nameAndTitle(name: string, title: string): string {
  const n = name.toLowerCase();
  const t = title.toLowerCase();
  const sameThing = n.includes(t) || (n.includes("inbox") && t.includes("inbox")) || (n.includes("box") && t.includes("box"));
  return sameThing ? name : `${name}, ${title}`;
}

/** Everyone the notification reaches except in this email (by its key). */
export function alsoSentTo(addressing: Addressing, key: string): string[] {
  return addressing.emails
    .filter((e) => e.key !== key)
    .flatMap((e) => e.to.map((p) => nameAndTitle(p.name, e.redirected ? "QA inbox (standing in)" : e.roleLabel)));
}
