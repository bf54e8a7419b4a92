// drp authorities validate|list|explain|new|reload
import type { Command } from "commander";
import { EmbeddedDatabaseInUse, embeddedDataDir, embeddedHolder, runningAppPid } from "../../app/embedded-lock.ts";
import { PROCEDURE_IDS } from "../../domain/procedure/ids.ts";
import { printJson } from "../output.ts";

export function authoritiesCommands(program: Command): void {
  const cmd = program.command("authorities").description("the authority files (procedures as data)");
  cmd
    .command("validate [path]")
    .description("validate every authority file in a folder (default: authorities/), or one file")
    .action(async (path?: string) => {
      const { authoritiesDir, loadAuthorities } = await import("../../config/authorities.ts");
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
    .action(async (o: { json?: boolean }) => {
      const { loadAuthorities } = await import("../../config/authorities.ts");
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
    .action(async (id: string, o: { procedure?: string; json?: boolean }) => {
      const [{ getAuthority }, { explainProcedure, explainText }, { procedureOf }] = await Promise.all([
        import("../../config/authorities.ts"),
        import("../../domain/explain.ts"),
        import("../../service/disputes.ts"),
      ]);
      const a = getAuthority(id);
      const procs = o.procedure ? [procedureOf(a, o.procedure)] : Object.values(a.procedures);
      const explained = procs.map((p) => explainProcedure(a, p));
      if (o.json) console.log(JSON.stringify({ authority: a.id, name: a.name, document: a.source, procedures: explained }, null, 2));
      else console.log(explainText(a, explained));
    });
  cmd
    .command("new <id>")
    .description(
      "write authorities/<id>.yaml from a template, with the name, reference prefix, protective marking and case-record link its emails need; never over an existing file",
    )
    .requiredOption("--name <name>", 'the authority\'s name as staff know it, e.g. "Leeds City Council"')
    .option("--from <template>", "the authority file to start from", "national")
    .option("--reference-prefix <prefix>", "dispute references are <prefix>-<year>-<number> (default: from the id)")
    .option("--case-record-url <url>", 'the child\'s case record, e.g. "https://records.example.gov.uk/child/{childRef}"')
    .option("--protective-marking <marking>", "the marking on every email", "OFFICIAL-SENSITIVE")
    .option("--json", "print JSON")
    .action(
      async (
        id: string,
        o: { name: string; from: string; referencePrefix?: string; caseRecordUrl?: string; protectiveMarking: string; json?: boolean },
      ) => {
        const { writeNewAuthority } = await import("../../config/authority-template.ts");
        const { file, warnings } = writeNewAuthority({
          id,
          name: o.name,
          from: o.from,
          referencePrefix: o.referencePrefix,
          caseRecordUrl: o.caseRecordUrl,
          protectiveMarking: o.protectiveMarking,
        });
        if (o.json) return printJson({ file, warnings });
        console.log(`wrote ${file}`);
        for (const w of warnings) console.log(`  note: ${w}`);
        console.log(
          "Next: replace its stages with your own document's (README, Adding an authority), check it with\n" +
            `  npm run drp -- authorities validate ${file}\nthen  npm run drp -- authorities reload  (or restart the app).`,
        );
      },
    );
  cmd
    .command("reload")
    .description("make the running app read the authority files again (as SIGHUP does); an invalid file is refused and the old ones kept")
    .option("--json", "print JSON")
    .action(async (o: { json?: boolean }) => {
      const { servicesInApp } = await import("../../app/cli-socket.ts");
      const app = servicesInApp();
      if (app) {
        // sent over the app's socket: reloaded in the app, and its answer is this command's
        const { logReload } = await import("../../app/signals.ts");
        const r = logReload(app, "drp authorities reload");
        if (o.json) printJson(r);
        else if (r.ok)
          console.log(
            `reloaded: ${[...app.authorities.keys()].join(", ")}` +
              `${r.added.length ? `; added ${r.added.join(", ")}` : ""}${r.changed.length ? `; changed ${r.changed.join(", ")}` : ""}` +
              `${r.kept.length ? `; kept until a restart (file gone): ${r.kept.join(", ")}` : ""}`,
          );
        else for (const e of r.errors) console.error(`FAIL ${e}`);
        if (!r.ok) {
          console.error("not reloaded: the app keeps the authorities it has");
          process.exitCode = 1;
        }
        return;
      }
      // the app holds the embedded database: the command runs there, over its socket
      if (!process.env.DATABASE_URL) {
        const holder = embeddedHolder();
        if (holder) throw new EmbeddedDatabaseInUse(embeddedDataDir(), holder);
      }
      // an app on PostgreSQL: checked here first, then the app is asked with SIGHUP, as its pid file names it
      const { loadAuthorities } = await import("../../config/authorities.ts");
      const { authorities, errors } = loadAuthorities();
      if (errors.length) {
        for (const e of errors) console.error(`FAIL ${e.message}`);
        console.error("not reloaded: fix the file first (the app would keep the authorities it has)");
        process.exitCode = 1;
        return;
      }
      const pid = runningAppPid();
      if (!pid) {
        console.error("no running app found (no live process in the data folder's app.pid): the files are read when it starts");
        process.exitCode = 1;
        return;
      }
      process.kill(pid, "SIGHUP");
      if (o.json) printJson({ ok: true, signalled: pid, authorities: [...authorities.keys()] });
      else console.log(`asked the app (process ${pid}) to reload ${[...authorities.keys()].join(", ")}; its log says what changed`);
    });
}
