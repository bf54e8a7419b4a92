// migrate, keys, directory import.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { parseDocument } from "yaml";
import { importDirectory, parseDirectory } from "../../service/directory.ts";
import { createKey, listKeys, revokeKey } from "../../service/keys.ts";
import { printJson, table } from "../output.ts";
import { withServices } from "../services.ts";

export function storeCommands(program: Command): void {
  program
    .command("migrate")
    .description("apply the database migrations (drizzle/) to DATABASE_URL, or to the embedded database")
    .action(async () => {
      await withServices(async () => {}, { migrate: true });
      console.log(`migrations applied (${process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite under ./data"})`);
    });

  const keys = program.command("keys").description("per-authority API keys");
  keys
    .command("create")
    .description("create an API key for an authority; it is printed once and only its hash is kept")
    .requiredOption("--authority <id>", "authority id")
    .option("--label <text>", "what the key is for, e.g. the case-management system")
    .option("--json", "print JSON")
    .action(async (o: { authority: string; label?: string; json?: boolean }) => {
      const created = await withServices((svc) => createKey(svc, o.authority, o.label));
      if (o.json) printJson({ key: created.key });
      else console.log(`API key for ${o.authority} (shown once; keep it safe):\n${created.key}`);
    });

  keys
    .command("list")
    .description("an authority's keys: prefix, label, when created and revoked (never the key)")
    .requiredOption("--authority <id>", "authority id")
    .option("--json", "print JSON")
    .action(async (o: { authority: string; json?: boolean }) => {
      const list = await withServices((svc) => listKeys(svc, o.authority));
      if (o.json) printJson({ keys: list });
      else if (!list.length) console.log(`${o.authority} has no API keys`);
      else
        console.log(
          table(
            ["Prefix", "Label", "Created", "Revoked"],
            list.map((k) => [k.prefix, k.label ?? "—", k.createdAt, k.revokedAt ?? "—"]),
          ),
        );
    });
  keys
    .command("revoke <prefix>")
    .description("revoke the live key with this prefix (as `keys list` shows it); it stops working at once")
    .option("--json", "print JSON")
    .action(async (prefix: string, o: { json?: boolean }) => {
      const k = await withServices((svc) => revokeKey(svc, prefix));
      if (o.json) printJson({ key: k });
      else console.log(`revoked ${k.prefix} (${k.authority}${k.label ? `, ${k.label}` : ""}) at ${k.revokedAt}`);
    });

  const directory = program.command("directory").description("the directory of people and roles");
  directory
    .command("import <file>")
    .description("replace an authority's directory from a YAML or JSON file (the file names its authority)")
    .option("--json", "print JSON")
    .action(async (file: string, o: { json?: boolean }) => {
      const data = parseDocument(readFileSync(file, "utf8")).toJS();
      const counts = await withServices(async (svc) => importDirectory(svc, parseDirectory(svc, data)));
      if (o.json) printJson({ authority: data.authority, imported: counts });
      else
        console.log(`${data.authority}: directory replaced — ${counts.people} people, ${counts.services} services, ${counts.teams} teams`);
    });
}
