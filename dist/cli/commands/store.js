// migrate, keys, directory import.
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { describeLoss, importDirectory, parseDirectory } from "../../service/directory.js";
import { createKey, listKeys, revokeKey } from "../../service/keys.js";
import { printJson, table } from "../output.js";
import { withServices } from "../services.js";
export function storeCommands(program) {
    program
        .command("migrate")
        .description("apply the database migrations (drizzle/) to DATABASE_URL, or to the embedded database")
        .action(async () => {
        await withServices(async () => { }, { migrate: true });
        console.log(`migrations applied (${process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite under ./data"})`);
    });
    const keys = program.command("keys").description("per-authority API keys");
    keys
        .command("create")
        .description("create an API key for an authority; it is printed once and only its hash is kept")
        .requiredOption("--authority <id>", "authority id")
        .option("--label <text>", "what the key is for, e.g. the case-management system")
        .option("--json", "print JSON")
        .action(async (o) => {
        const created = await withServices((svc) => createKey(svc, o.authority, o.label));
        if (o.json)
            printJson({ key: created.key });
        else
            console.log(`API key for ${o.authority} (shown once; keep it safe):\n${created.key}`);
    });
    keys
        .command("list")
        .description("an authority's keys: prefix, label, when created and revoked (never the key)")
        .requiredOption("--authority <id>", "authority id")
        .option("--json", "print JSON")
        .action(async (o) => {
        const list = await withServices((svc) => listKeys(svc, o.authority));
        if (o.json)
            printJson({ keys: list });
        else if (!list.length)
            console.log(`${o.authority} has no API keys`);
        else
            console.log(table(["Prefix", "Label", "Created", "Revoked"], list.map((k) => [k.prefix, k.label ?? "—", k.createdAt, k.revokedAt ?? "—"])));
    });
    keys
        .command("revoke <prefix>")
        .description("revoke the live key with this prefix (as `keys list` shows it); it stops working at once")
        .option("--json", "print JSON")
        .action(async (prefix, o) => {
        const k = await withServices((svc) => revokeKey(svc, prefix));
        if (o.json)
            printJson({ key: k });
        else
            console.log(`revoked ${k.prefix} (${k.authority}${k.label ? `, ${k.label}` : ""}) at ${k.revokedAt}`);
    });
    const directory = program.command("directory").description("the directory of people and roles");
    directory
        .command("import <file>")
        .description("replace an authority's directory from a YAML or JSON file (the file names its authority)")
        .option("--json", "print JSON")
        .option("--dry-run", "say what would change (and what open disputes would lose), and change nothing")
        .option("--force", "replace it even though open disputes would lose their team or everyone in a role")
        .action(async (file, o) => {
        const data = parseDocument(readFileSync(file, "utf8")).toJS();
        const r = await withServices(async (svc) => importDirectory(svc, parseDirectory(svc, data), { dryRun: o.dryRun, force: o.force }));
        if (o.json)
            return printJson(r.dryRun ? { authority: data.authority, dryRun: r } : { authority: data.authority, imported: r });
        if (r.dryRun)
            return console.log(dryRunText(data.authority, r));
        console.log(`${data.authority}: directory replaced — ${r.people} people, ${r.services} services, ${r.teams} teams`);
        for (const l of r.forced ?? [])
            console.log(`  forced: ${describeLoss(l)}`);
    });
}
function dryRunText(authority, r) {
    const c = r.changes;
    const list = (label, xs) => (xs.length ? [`  ${label}: ${xs.join(", ")}`] : []);
    return [
        `${authority}: dry run — nothing changed. The file has ${r.people} people, ${r.services} services, ${r.teams} teams.`,
        ...list("people added", c.people.added),
        ...list("people removed", c.people.removed),
        ...list("people changed", c.people.changed),
        ...list("teams added", c.teams.added),
        ...list("teams removed", c.teams.removed),
        ...list("services added", c.services.added),
        ...list("services removed", c.services.removed),
        ...c.roles.map((x) => `  ${x}`),
        ...(r.losses.length
            ? ["Open disputes would lose (the import is refused without --force):", ...r.losses.map((l) => `  ${describeLoss(l)}`)]
            : ["No open dispute would lose anyone."]),
    ].join("\n");
}
//# sourceMappingURL=store.js.map