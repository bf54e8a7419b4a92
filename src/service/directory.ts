// Importing and reading an authority's directory of people and roles.

import { and, eq } from "drizzle-orm";
import { loadDirectory, lockDirectory, readDirectory, replaceDirectory } from "../db/queries/directory.ts";
import { disputes } from "../db/schema.ts";
import {
  checkDirectory,
  type Directory,
  type DirectoryChanges,
  type DirectoryFile,
  type DirectoryLoss,
  directoryChanges,
  directoryFileSchema,
  directoryFromFile,
  directoryLosses,
} from "../domain/directory.ts";
import { fieldPath } from "../domain/procedure/model.ts";
import { authorityOf, type Services } from "./context.ts";
import { ConflictError, InputError } from "./errors.ts";

/** A replacement that would leave open disputes without a team, or without anyone in a role they have now: 409 with the list. */
export class DirectoryLossError extends ConflictError {
  constructor(readonly losses: DirectoryLoss[]) {
    super(
      "directory_would_drop_roles",
      `this directory would leave ${losses.length} role${losses.length === 1 ? "" : "s"} of open disputes with nobody: ${losses.map(describeLoss).join("; ")}. Nothing was changed; correct the file, or send it again with force to replace the directory anyway`,
    );
  }
}

export function describeLoss(l: DirectoryLoss): string {
  const where = `${l.disputes.length} open dispute${l.disputes.length === 1 ? "" : "s"} (${l.disputes.slice(0, 5).join(", ")}${l.disputes.length > 5 ? ", …" : ""})`;
  return l.role
    ? `team ${l.team}: nobody would hold ${l.role} (now ${l.heldBy.join(", ")}), in ${where}`
    : `team ${l.team} would be removed, with ${where}`;
}

export interface ImportOptions {
  /** replace it even though open disputes would lose people they have now */
  force?: boolean;
  /** say what would change, and change nothing */
  dryRun?: boolean;
}

export interface ImportResult {
  people: number;
  teams: number;
  services: number;
  /** with dryRun: what would change, and what open disputes would lose */
  dryRun?: boolean;
  changes?: DirectoryChanges;
  losses?: DirectoryLoss[];
  /** with force: what open disputes lost */
  forced?: DirectoryLoss[];
}

export class DirectoryError extends InputError {
  constructor(issues: { field: string; message: string }[]) {
    super(issues[0]?.field ?? "directory", issues[0]?.message ?? "invalid", issues.slice(1));
    this.message = issues.map((i) => `${i.field}: ${i.message}`).join("\n");
  }
}

/** Validates a directory document for `authorityId` (or for the authority it names). */
export function parseDirectory(svc: Services, data: unknown, authorityId?: string): DirectoryFile {
  const parsed = directoryFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new DirectoryError(parsed.error.issues.map((i) => ({ field: fieldPath(i.path), message: i.message })));
  }
  const id = authorityId ?? parsed.data.authority;
  if (!svc.authorities.has(id)) throw new DirectoryError([{ field: "authority", message: `no authority "${id}"` }]);
  const issues = checkDirectory(parsed.data, authorityOf(svc, id));
  if (issues.length) throw new DirectoryError(issues);
  return parsed.data;
}

/**
 * Replaces the authority's directory atomically: all of it, or none of it.
 * Refused (DirectoryLossError) if an open dispute would lose its team, or
 * the only holder of a role it has now, unless `force`; with `dryRun`, says
 * what would change and changes nothing.
 */
export async function importDirectory(svc: Services, file: DirectoryFile, opts: ImportOptions = {}): Promise<ImportResult> {
  const counts = { people: file.people.length, teams: file.teams.length, services: file.services.length };
  const next = directoryFromFile(file);
  return svc.db.transaction(async (tx) => {
    // replacements take turns, so that each is checked against the one before it
    await lockDirectory(tx, file.authority);
    const current = await readDirectory(tx, file.authority);
    const open = await tx
      .select({ reference: disputes.reference, teamId: disputes.teamId })
      .from(disputes)
      .where(and(eq(disputes.authorityId, file.authority), eq(disputes.status, "open")));
    const losses = directoryLosses(current, next, open);
    if (opts.dryRun) return { ...counts, dryRun: true, changes: directoryChanges(current, next), losses };
    if (losses.length && !opts.force) throw new DirectoryLossError(losses);
    await replaceDirectory(tx, file.authority, file);
    svc.log.info(
      { authority: file.authority, people: counts.people, teams: counts.teams, forced: losses.length || undefined },
      "directory imported",
    );
    return losses.length ? { ...counts, forced: losses } : counts;
  });
}

export function directory(svc: Services, authorityId: string): Promise<Directory> {
  return loadDirectory(svc.db, authorityId);
}
