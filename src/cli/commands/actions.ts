// drp actions add|progress|close|list|show: SLT's Action Log (Newham §10), on
// the same service layer and input schemas as /registers/slt-actions.
import type { Command } from "commander";

import type { ActionView } from "../../service/slt-actions.ts";
import { printJson } from "../output.ts";
import { parseInput, withServices } from "../services.ts";

/** What the commands run, loaded when one runs: `drp --help` loads none of it. */
async function load() {
  const [m0, m1] = await Promise.all([import("../../service/register-inputs.ts"), import("../../service/slt-actions.ts")]);
  return { ...m0, ...m1 };
}

const int = (v: string | undefined) => (v === undefined ? undefined : Number(v));

/** An action for people: reference, status and dates, then the action and its progress, indented. */
export function actionText(v: ActionView): string {
  const dates = [`agreed ${v.agreedOn}`, v.dueOn ? `due ${v.dueOn}${v.overdue ? " (overdue)" : ""}` : "no due date"];
  if (v.closedOn) dates.push(`${v.status} ${v.closedOn}`);
  const lines = [`${v.reference}  ${v.status}  ${dates.join(", ")}  owner: ${v.owner}`, ...v.action.split("\n").map((l) => `  ${l}`)];
  for (const p of v.progress) lines.push(`  ${p.on}: ${p.note.replaceAll("\n", " ")}`);
  return lines.join("\n");
}

const print = (v: ActionView, json?: boolean) => (json ? printJson(v) : console.log(actionText(v)));

export function actionCommands(program: Command): void {
  const c = program.command("actions").description("SLT's Action Log: actions agreed at SLT, and the progress recorded at later meetings");

  c.command("add")
    .description("record an action agreed at SLT (fields as POST /registers/slt-actions)")
    .requiredOption("--authority <id>", "authority id")
    .requiredOption("--action <text>", "the action agreed")
    .requiredOption("--owner <text>", "who owns it: a role or a senior manager's name")
    .requiredOption("--agreed-on <date>", "the day SLT agreed it (YYYY-MM-DD)")
    .option("--due-on <date>", "when it is due (YYYY-MM-DD)")
    .option("--json", "print JSON")
    .action(async (o) => {
      const m = await load();
      const input = parseInput(m.sltActionInput, { action: o.action, owner: o.owner, agreedOn: o.agreedOn, dueOn: o.dueOn });
      await withServices(async (svc) => print(await m.addAction(svc, o.authority, input), o.json));
    });

  c.command("progress <action>")
    .description("record progress on an open action at a later meeting (the action by its reference or id)")
    .requiredOption("--authority <id>", "authority id")
    .requiredOption("--on <date>", "the meeting's date (YYYY-MM-DD)")
    .requiredOption("--note <text>", "the progress recorded")
    .option("--version <n>", "refuse unless the action is at this version")
    .option("--json", "print JSON")
    .action(async (id: string, o) => {
      const m = await load();
      const input = parseInput(m.sltProgressInput, { on: o.on, note: o.note, version: int(o.version) });
      await withServices(async (svc) => print(await m.addProgress(svc, o.authority, id, input), o.json));
    });

  c.command("close <action>")
    .description("mark an action done (or --status dropped; open to reopen it), with a closing note if given")
    .requiredOption("--authority <id>", "authority id")
    .option("--status <status>", "done, dropped or open", "done")
    .option("--on <date>", "the day it was done or dropped (default: today)")
    .option("--note <text>", "a note, recorded as progress on that day")
    .option("--version <n>", "refuse unless the action is at this version")
    .option("--json", "print JSON")
    .action(async (id: string, o) => {
      const m = await load();
      const input = parseInput(m.sltUpdateInput, { status: o.status, on: o.on, note: o.note, version: int(o.version) });
      await withServices(async (svc) => print(await m.updateAction(svc, o.authority, id, input), o.json));
    });

  c.command("list")
    .description("the log: every action, or those open in a period or closed in it (--period 2027-Q1)")
    .requiredOption("--authority <id>", "authority id")
    .option("--period <period>", "a month (2027-01) or a quarter (2027-Q1)")
    .option("--status <status>", "open, done or dropped (as they are now)")
    .option("--json", "print JSON")
    .action(async (o) => {
      const m = await load();
      const q = parseInput(m.sltListInput, { period: o.period, status: o.status });
      await withServices(async (svc) => {
        const r = await m.listActions(svc, o.authority, q);
        if (o.json) printJson(r);
        else console.log(r.actions.length ? r.actions.map(actionText).join("\n\n") : "No actions.");
      });
    });

  c.command("show <action>")
    .description("an action and its progress (by its reference or id)")
    .requiredOption("--authority <id>", "authority id")
    .option("--json", "print JSON")
    .action(async (id: string, o) => {
      const m = await load();
      await withServices(async (svc) => print(await m.actionDetail(svc, o.authority, id), o.json));
    });
}
