// Reads authorities/<id>.yaml. Adding an authority is adding a file here.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { parseDocument } from "yaml";
import { type Authority, AuthorityConfigError, compileAuthority } from "../domain/procedure/model.ts";
import { appPath } from "../paths.ts";

export const DEFAULT_AUTHORITIES_DIR = appPath("authorities");

export function authoritiesDir(): string {
  return process.env.DRP_AUTHORITIES_DIR ?? DEFAULT_AUTHORITIES_DIR;
}

const EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

export function loadAuthorityFile(file: string): Authority {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new AuthorityConfigError(file, [{ field: "(file)", message: `cannot be read: ${(e as Error).message}` }]);
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    throw new AuthorityConfigError(
      file,
      doc.errors.map((e) => ({ field: `(line ${e.linePos?.[0]?.line ?? "?"})`, message: e.message.split("\n")[0] ?? e.message })),
    );
  }
  // YAML reads 2026-12-24 as a string here (the core schema has no timestamps).
  const authority = compileAuthority(doc.toJS(), file);
  const expected = basename(file, extname(file));
  if (authority.id !== expected) {
    throw new AuthorityConfigError(file, [
      { field: "id", message: `is "${authority.id}" but the file is named ${basename(file)}; they must match` },
    ]);
  }
  return authority;
}

export function authorityFiles(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .filter((f) => EXTENSIONS.has(extname(f)))
    .sort()
    .map((f) => join(path, f));
}

export interface LoadResult {
  authorities: Map<string, Authority>;
  errors: AuthorityConfigError[];
}

/** Loads every file, collecting every file's errors rather than stopping at the first. */
export function loadAuthorities(path = authoritiesDir()): LoadResult {
  const authorities = new Map<string, Authority>();
  const errors: AuthorityConfigError[] = [];
  for (const file of authorityFiles(path)) {
    try {
      const a = loadAuthorityFile(file);
      authorities.set(a.id, a);
    } catch (e) {
      if (e instanceof AuthorityConfigError) errors.push(e);
      else throw e;
    }
  }
  return { authorities, errors };
}

export class UnknownAuthorityError extends Error {
  override name = "UnknownAuthorityError";
}

let registry: Map<string, Authority> | undefined;

/** The authorities of this process, loaded once; refuses to start on an invalid file. */
export function authorities(): Map<string, Authority> {
  if (!registry) {
    const { authorities: loaded, errors } = loadAuthorities();
    if (errors.length) throw new AggregateError(errors, errors.map((e) => e.message).join("\n"));
    registry = loaded;
  }
  return registry;
}

export function getAuthority(id: string): Authority {
  const a = authorities().get(id);
  if (!a) {
    throw new UnknownAuthorityError(`no authority "${id}"; known: ${[...authorities().keys()].join(", ")}`);
  }
  return a;
}
