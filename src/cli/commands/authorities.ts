import type { Command } from "commander";
import { authoritiesDir, getAuthority, loadAuthorities } from "../../config/authorities.ts";
import { explainProcedure, explainText } from "../../domain/explain.ts";
import { PROCEDURE_IDS } from "../../domain/procedure/ids.ts";
import { procedureOf } from "../../service/disputes.ts";

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
  cmd
    .command("explain <id>")
    .description("the procedure as configured, in plain words, stage by stage, for checking against the authority's document")
    .option("--procedure <id>", `${PROCEDURE_IDS.join(", ")} (default: every procedure)`)
    .option("--json", "print JSON")
    .action((id: string, o: { procedure?: string; json?: boolean }) => {
      const a = getAuthority(id);
      const procs = o.procedure ? [procedureOf(a, o.procedure)] : Object.values(a.procedures);
      const explained = procs.map((p) => explainProcedure(a, p));
      if (o.json) console.log(JSON.stringify({ authority: a.id, name: a.name, document: a.source, procedures: explained }, null, 2));
      else console.log(explainText(a, explained));
    });
}
