// Importing and reading an authority's directory of people and roles.

import { loadDirectory, replaceDirectory } from "../db/queries/directory.ts";
import { checkDirectory, type Directory, type DirectoryFile, directoryFileSchema } from "../domain/directory.ts";
import { fieldPath } from "../domain/procedure/model.ts";
import { authorityOf, type Services } from "./context.ts";
import { InputError } from "./errors.ts";

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

/** Replaces the authority's directory atomically: all of it, or none of it. */
export async function importDirectory(svc: Services, file: DirectoryFile): Promise<{ people: number; teams: number; services: number }> {
  await svc.db.transaction(async (tx) => replaceDirectory(tx, file.authority, file));
  svc.log.info({ authority: file.authority, people: file.people.length, teams: file.teams.length }, "directory imported");
  return { people: file.people.length, teams: file.teams.length, services: file.services.length };
}

export function directory(svc: Services, authorityId: string): Promise<Directory> {
  return loadDirectory(svc.db, authorityId);
}
