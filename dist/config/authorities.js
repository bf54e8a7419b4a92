// Reads authorities/<id>.yaml. Adding an authority is adding a file here.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import { AuthorityConfigError, compileAuthority } from "../domain/procedure/model.js";
export const DEFAULT_AUTHORITIES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../authorities");
export function authoritiesDir() {
    return process.env.DRP_AUTHORITIES_DIR ?? DEFAULT_AUTHORITIES_DIR;
}
const EXTENSIONS = new Set([".yaml", ".yml", ".json"]);
export function loadAuthorityFile(file) {
    let text;
    try {
        text = readFileSync(file, "utf8");
    }
    catch (e) {
        throw new AuthorityConfigError(file, [{ field: "(file)", message: `cannot be read: ${e.message}` }]);
    }
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length) {
        throw new AuthorityConfigError(file, doc.errors.map((e) => ({ field: `(line ${e.linePos?.[0]?.line ?? "?"})`, message: e.message.split("\n")[0] ?? e.message })));
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
export function authorityFiles(path) {
    if (statSync(path).isFile())
        return [path];
    return readdirSync(path)
        .filter((f) => EXTENSIONS.has(extname(f)))
        .sort()
        .map((f) => join(path, f));
}
/** Loads every file, collecting every file's errors rather than stopping at the first. */
export function loadAuthorities(path = authoritiesDir()) {
    const authorities = new Map();
    const errors = [];
    for (const file of authorityFiles(path)) {
        try {
            const a = loadAuthorityFile(file);
            authorities.set(a.id, a);
        }
        catch (e) {
            if (e instanceof AuthorityConfigError)
                errors.push(e);
            else
                throw e;
        }
    }
    return { authorities, errors };
}
export class UnknownAuthorityError extends Error {
    name = "UnknownAuthorityError";
}
let registry;
/** The authorities of this process, loaded once; refuses to start on an invalid file. */
export function authorities() {
    if (!registry) {
        const { authorities: loaded, errors } = loadAuthorities();
        if (errors.length)
            throw new AggregateError(errors, errors.map((e) => e.message).join("\n"));
        registry = loaded;
    }
    return registry;
}
export function getAuthority(id) {
    const a = authorities().get(id);
    if (!a) {
        throw new UnknownAuthorityError(`no authority "${id}"; known: ${[...authorities().keys()].join(", ")}`);
    }
    return a;
}
//# sourceMappingURL=authorities.js.map