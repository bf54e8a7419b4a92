import type { Command } from "commander";
import { authoritiesDir, loadAuthorities } from "../../config/authorities.ts";

export function authoritiesCommands(program: Command): void {
  const cmd = program.command("authorities").description("the authority files (procedures as data)");
  cmd
    .command("validate [path]")
    .description("validate every authority file in a folder (default: authorities/), or one file")
    .action((path?: string) => {
      const { authorities, errors } = loadAuthorities(path ?? authoritiesDir());
      for (const a of authorities.values()) {
        const procs = Object.values(a.procedures).map((p) => `${p.id} (${p.stages.length} stages)`);
        console.log(`ok   ${a.id}: ${a.name} — ${procs.join(", ")}`);
      }
      for (const e of errors) {
        for (const i of e.issues) console.error(`FAIL ${e.file}: ${i.field}: ${i.message}`);
      }
      if (errors.length) process.exitCode = 1;
    });
  cmd
    .command("list")
    .description("list the authorities and their procedures")
    .option("--json", "print JSON")
    .action((o: { json?: boolean }) => {
      const { authorities, errors } = loadAuthorities();
      const rows = [...authorities.values()].map((a) => ({
        id: a.id,
        name: a.name,
        template: a.template,
        procedures: Object.keys(a.procedures),
      }));
      if (o.json) console.log(JSON.stringify({ authorities: rows }, null, 2));
      else for (const r of rows) console.log(`${r.id.padEnd(16)} ${r.name} [${r.procedures.join(", ")}]${r.template ? " (template)" : ""}`);
      if (errors.length) process.exitCode = 1;
    });
}
