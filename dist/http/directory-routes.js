import { z } from "zod";
import { directoryToFile } from "../db/queries/directory.js";
import { resolveRole } from "../domain/directory.js";
import { directory, importDirectory, parseDirectory } from "../service/directory.js";
import { InputError } from "../service/errors.js";
export function directoryRoutes(app, svc) {
    const r = app.withTypeProvider();
    r.get("/directory", { schema: { summary: "The authority's directory, in the shape of its import file", tags: ["directory"] } }, async (req) => directoryToFile(await directory(svc, req.authorityId)));
    const flag = z.enum(["true", "false"]).transform((v) => v === "true");
    r.put("/directory", {
        schema: {
            summary: "Replace the authority's directory atomically. Refused (409 directory_would_drop_roles, with the losses) if an open dispute would lose its team or everyone in a role it has now, unless force=true; dryRun=true says what would change and changes nothing",
            tags: ["directory"],
            body: z.record(z.string(), z.unknown()),
            querystring: z.object({ force: flag.optional(), dryRun: flag.optional() }),
        },
    }, async (req) => {
        // force and dryRun may come in the query or, as booleans, beside the directory in the body
        const { force: bodyForce, dryRun: bodyDry, ...rest } = req.body;
        const body = { authority: req.authorityId, ...rest };
        if (body.authority !== req.authorityId)
            throw new InputError("authority", `this key belongs to ${req.authorityId}`);
        const opts = { force: req.query.force ?? bodyForce === true, dryRun: req.query.dryRun ?? bodyDry === true };
        const result = await importDirectory(svc, parseDirectory(svc, body, req.authorityId), opts);
        return result.dryRun ? { dryRun: result } : { imported: result };
    });
    r.get("/directory/resolve", {
        schema: {
            summary: "Who holds a role for a team",
            tags: ["directory"],
            querystring: z.object({ team: z.string().min(1), role: z.string().min(1) }),
        },
    }, async (req) => {
        const r = resolveRole(await directory(svc, req.authorityId), req.query.role, req.query.team);
        return r.found ? { role: req.query.role, heldAt: r.heldAt, people: r.people } : { role: req.query.role, people: [], gap: r.gap };
    });
}
//# sourceMappingURL=directory-routes.js.map