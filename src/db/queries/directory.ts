// The directory tables, read and replaced as a whole per authority.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Directory, DirectoryFile } from "../../domain/directory.ts";
import type { Database, Db } from "../client.ts";
import { people, roleHolders, services, teams, undeliverableAddresses } from "../schema.ts";

type Scope = "team" | "service" | "authority";

/**
 * Replaces one authority's directory; call inside a transaction. Two
 * replacements of one directory at once take turns (a transaction-scoped
 * advisory lock per authority), rather than deadlock or collide on a key.
 */
export async function replaceDirectory(tx: Database, authorityId: string, file: DirectoryFile): Promise<void> {
  await lockDirectory(tx, authorityId);
  for (const table of [roleHolders, teams, services, people]) {
    await tx.delete(table).where(eq(table.authorityId, authorityId));
  }
  await inChunks(file.people, (c) =>
    tx.insert(people).values(c.map((p) => ({ authorityId, personId: p.id, name: p.name, email: p.email }))),
  );
  await inChunks(file.services, (c) => tx.insert(services).values(c.map((s) => ({ authorityId, serviceId: s.id, name: s.name }))));
  await inChunks(file.teams, (c) =>
    tx.insert(teams).values(c.map((t) => ({ authorityId, teamId: t.id, name: t.name, serviceId: t.service }))),
  );
  const holders: (typeof roleHolders.$inferInsert)[] = [];
  const add = (scope: Scope, scopeId: string, roles: Record<string, string[]>) => {
    for (const [role, ids] of Object.entries(roles))
      for (const personId of ids) holders.push({ authorityId, scope, scopeId, role, personId });
  };
  for (const s of file.services) add("service", s.id, s.roles);
  for (const t of file.teams) add("team", t.id, t.roles);
  add("authority", "", file.roles);
  await inChunks(holders, (c) => tx.insert(roleHolders).values(c));
}

/** Rows in statements of at most 2,000: one INSERT may carry at most 65,535 parameters. */
async function inChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += 2_000) await insert(rows.slice(i, i + 2_000));
}

/** Takes the authority's directory for this transaction: other replacements wait until it ends. */
export async function lockDirectory(tx: Db, authorityId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`directory:${authorityId}`}))`);
}

/** Roles by name, with no prototype: a role named "constructor" is just a name. */
function roleRecord(): Record<string, string[]> {
  return Object.create(null) as Record<string, string[]>;
}

/** The directory as one snapshot: its four tables read in one read-only transaction, never half an import. */
export async function loadDirectory(db: Database, authorityId: string): Promise<Directory> {
  return db.transaction((tx) => readDirectory(tx, authorityId), { isolationLevel: "repeatable read", accessMode: "read only" });
}

/** The directory as a transaction already open sees it. */
export async function readDirectory(tx: Db, authorityId: string): Promise<Directory> {
  const ps = await tx.select().from(people).where(eq(people.authorityId, authorityId));
  const ss = await tx.select().from(services).where(eq(services.authorityId, authorityId));
  const ts = await tx.select().from(teams).where(eq(teams.authorityId, authorityId));
  const hs = await tx.select().from(roleHolders).where(eq(roleHolders.authorityId, authorityId));
  const marks = await tx
    .select()
    .from(undeliverableAddresses)
    .where(and(eq(undeliverableAddresses.authorityId, authorityId), isNull(undeliverableAddresses.clearedAt)));
  const dir: Directory = {
    authority: authorityId,
    people: new Map(ps.map((p) => [p.personId, { id: p.personId, name: p.name, email: p.email }])),
    services: new Map(ss.map((s) => [s.serviceId, { id: s.serviceId, name: s.name, roles: roleRecord() }])),
    teams: new Map(ts.map((t) => [t.teamId, { id: t.teamId, name: t.name, service: t.serviceId, roles: roleRecord() }])),
    roles: roleRecord(),
    undeliverable: new Map(marks.map((m) => [m.email, { since: m.since, status: m.status }])),
  };
  for (const h of hs) {
    const roles =
      h.scope === "team" ? dir.teams.get(h.scopeId)?.roles : h.scope === "service" ? dir.services.get(h.scopeId)?.roles : dir.roles;
    if (roles) (roles[h.role] ??= []).push(h.personId);
  }
  return dir;
}

/** The directory in the shape of its file, for export and the API. */
export function directoryToFile(dir: Directory): DirectoryFile {
  return {
    authority: dir.authority,
    people: [...dir.people.values()],
    services: [...dir.services.values()],
    teams: [...dir.teams.values()],
    roles: dir.roles,
  };
}
