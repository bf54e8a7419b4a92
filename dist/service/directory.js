// Importing and reading an authority's directory of people and roles.
import { and, eq } from "drizzle-orm";
import { loadDirectory, lockDirectory, readDirectory, replaceDirectory } from "../db/queries/directory.js";
import { disputes } from "../db/schema.js";
import { checkDirectory, directoryChanges, directoryFileSchema, directoryFromFile, directoryLosses, } from "../domain/directory.js";
import { fieldPath } from "../domain/procedure/model.js";
import { authorityOf } from "./context.js";
import { ConflictError, InputError } from "./errors.js";
/** A replacement that would leave open disputes without a team, or without anyone in a role they have now: 409 with the list. */
export class DirectoryLossError extends ConflictError {
    losses;
    constructor(losses) {
        super("directory_would_drop_roles", `this directory would leave ${losses.length} role${losses.length === 1 ? "" : "s"} of open disputes with nobody: ${losses.map(describeLoss).join("; ")}. Nothing was changed; correct the file, or send it again with force to replace the directory anyway`);
        this.losses = losses;
    }
}
export function describeLoss(l) {
    const where = `${l.disputes.length} open dispute${l.disputes.length === 1 ? "" : "s"} (${l.disputes.slice(0, 5).join(", ")}${l.disputes.length > 5 ? ", …" : ""})`;
    return l.role
        ? `team ${l.team}: nobody would hold ${l.role} (now ${l.heldBy.join(", ")}), in ${where}`
        : `team ${l.team} would be removed, with ${where}`;
}
export class DirectoryError extends InputError {
    constructor(issues) {
        super(issues[0]?.field ?? "directory", issues[0]?.message ?? "invalid", issues.slice(1));
        this.message = issues.map((i) => `${i.field}: ${i.message}`).join("\n");
    }
}
/** Validates a directory document for `authorityId` (or for the authority it names). */
export function parseDirectory(svc, data, authorityId) {
    const parsed = directoryFileSchema.safeParse(data);
    if (!parsed.success) {
        throw new DirectoryError(parsed.error.issues.map((i) => ({ field: fieldPath(i.path), message: i.message })));
    }
    const id = authorityId ?? parsed.data.authority;
    if (!svc.authorities.has(id))
        throw new DirectoryError([{ field: "authority", message: `no authority "${id}"` }]);
    const issues = checkDirectory(parsed.data, authorityOf(svc, id));
    if (issues.length)
        throw new DirectoryError(issues);
    return parsed.data;
}
/**
 * Replaces the authority's directory atomically: all of it, or none of it.
 * Refused (DirectoryLossError) if an open dispute would lose its team, or
 * the only holder of a role it has now, unless `force`; with `dryRun`, says
 * what would change and changes nothing.
 */
export async function importDirectory(svc, file, opts = {}) {
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
        if (opts.dryRun)
            return { ...counts, dryRun: true, changes: directoryChanges(current, next), losses };
        if (losses.length && !opts.force)
            throw new DirectoryLossError(losses);
        await replaceDirectory(tx, file.authority, file);
        svc.log.info({ authority: file.authority, people: counts.people, teams: counts.teams, forced: losses.length || undefined }, "directory imported");
        return losses.length ? { ...counts, forced: losses } : counts;
    });
}
export function directory(svc, authorityId) {
    return loadDirectory(svc.db, authorityId);
}
//# sourceMappingURL=directory.js.map