// migrate, keys, directory import.
import { readFileSync } from "node:fs";
import type { Command } from "commander";

import type { ImportResult } from "../../service/directory.ts";

import { printJson, table } from "../output.ts";
import { withServices } from "../services.ts";

/** What the commands run, loaded when one runs: `drp --help` loads none of it. */
async function load() {
  const [m0, m1, m2] = await Promise.all([import("yaml"), import("../../service/directory.ts"), import("../../service/keys.ts")]);
  return { ...m0, ...m1, ...m2 };
}

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
      const m = await load();
      const created = await withServices((svc) => m.createKey(svc, o.authority, o.label));
      if (o.json) printJson({ key: created.key });
      else console.log(`API key for ${o.authority} (shown once; keep it safe):\n${created.key}`);
    });

  keys
    .command("list")
    .description("an authority's keys: prefix, label, when created and revoked (never the key)")
    .requiredOption("--authority <id>", "authority id")
    .option("--json", "print JSON")
    .action(async (o: { authority: string; json?: boolean }) => {
      const m = await load();
      const list = await withServices((svc) => m.listKeys(svc, o.authority));
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
      const m = await load();
      const k = await withServices((svc) => m.revokeKey(svc, prefix));
      if (o.json) printJson({ key: k });
      else console.log(`revoked ${k.prefix} (${k.authority}${k.label ? `, ${k.label}` : ""}) at ${k.revokedAt}`);
    });

  const directory = program.command("directory").description("the directory of people and roles");
  directory
    .command("import <file>")
    .description("replace an authority's directory from a YAML or JSON file (the file names its authority)")
    .option("--json", "print JSON")
    .option("--dry-run", "say what would change (and what open disputes would lose), and change nothing")
    .option("--force", "replace it even though open disputes would lose their team or everyone in a role")
    .action(async (file: string, o: { json?: boolean; dryRun?: boolean; force?: boolean }) => {
      const m = await load();
      const data = m.parseDocument(readFileSync(file, "utf8")).toJS();
      const r = await withServices(async (svc) =>
        m.importDirectory(svc, m.parseDirectory(svc, data), { dryRun: o.dryRun, force: o.force }),
      );
      if (o.json) return printJson(r.dryRun ? { authority: data.authority, dryRun: r } : { authority: data.authority, imported: r });
      if (r.dryRun) return console.log(dryRunText(m, data.authority, r));
      console.log(`${data.authority}: directory replaced — ${r.people} people, ${r.services} services, ${r.teams} teams`);
      for (const l of r.forced ?? []) console.log(`  forced: ${m.describeLoss(l)}`);
    });

  directory
    .command("undeliverable")
    .description(
      "the addresses a delivery report said cannot be reached (their emails go to the QA inbox instead); --clear one that works again",
    )
    .requiredOption("--authority <id>", "authority id")
    .option("--clear <address>", "the address works again: send its person emails again")
    .option("--json", "print JSON")
    .action(async (o: { authority: string; clear?: string; json?: boolean }) => {
      const [{ authorityOf }, inbound] = await Promise.all([import("../../service/context.ts"), import("../../service/inbound.ts")]);
      const r = await withServices(async (svc) => {
        authorityOf(svc, o.authority);
        const cleared = o.clear ? await inbound.clearUndeliverable(svc, o.authority, o.clear) : undefined;
        return { cleared, list: await inbound.undeliverableList(svc.db, o.authority) };
      });
      if (o.json) return printJson({ authority: o.authority, ...(o.clear ? { cleared: r.cleared } : {}), undeliverable: r.list });
      if (o.clear) console.log(r.cleared ? `${o.clear}: cleared; emails go to it again` : `${o.clear} was not marked undeliverable`);
      if (!r.list.length) return console.log(`${o.authority}: no address is marked undeliverable`);
      console.log(
        table(
          ["Address", "Bounced since", "Status", "Email"],
          r.list.map((u) => [u.email, u.since.toISOString(), u.status, u.outboxKey]),
        ),
      );
    });
}

function dryRunText(
  m: { describeLoss(l: NonNullable<ImportResult["losses"]>[number]): string },
  authority: string,
  r: ImportResult,
): string {
  const c = r.changes!;
  const list = (label: string, xs: string[]) => (xs.length ? [`  ${label}: ${xs.join(", ")}`] : []);
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
    ...(r.losses!.length
      ? ["Open disputes would lose (the import is refused without --force):", ...r.losses!.map((l) => `  ${m.describeLoss(l)}`)]
      : ["No open dispute would lose anyone."]),
  ].join("\n");
}
