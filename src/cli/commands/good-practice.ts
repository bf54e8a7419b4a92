// drp good-practice add|list|show: the good-practice register (WF §1.2, §11.1),
// on the same service layer and input schemas as /registers/good-practice.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type { GoodPracticeList, GoodPracticeView } from "../../service/good-practice.ts";

import { printJson, table } from "../output.ts";
import { parseInput, withServices } from "../services.ts";

/** What the commands run, loaded when one runs: `drp --help` loads none of it. */
async function load() {
  const [m0, m1] = await Promise.all([import("../../service/good-practice.ts"), import("../../service/register-inputs.ts")]);
  return { ...m0, ...m1 };
}

/** An entry for people: reference, date, who and where, then the description, indented. */
export function entryText(v: GoodPracticeView): string {
  const about = v.about === "individual" ? "an individual" : "the team";
  const links = [v.disputeReference && `dispute ${v.disputeReference}`, v.childRef && `case ${v.childRef}`].filter(Boolean);
  const by = v.recordedBy ? `${v.noticedBy.name}, recorded by ${v.recordedBy.name}` : v.noticedBy.name;
  return [
    `${v.reference}  ${v.noticedOn}  ${v.procedure}  team ${v.team}, about ${about}${links.length ? ` (${links.join(", ")})` : ""}  noticed by ${by}`,
    ...v.description.split("\n").map((l) => `  ${l}`),
  ].join("\n");
}

function listText(r: GoodPracticeList): string {
  if (!r.entries.length) return "No good practice recorded.";
  return [
    `${r.total} recorded${r.period ? ` in ${r.period}` : ""}: ${r.byProcedure.map((p) => `${p.procedure} ${p.count}`).join(", ")}`,
    table(
      ["team", "about an individual", "about the team", "total"],
      r.byTeam.map((t) => [t.name, String(t.aboutAnIndividual), String(t.aboutTheTeam), String(t.count)]),
    ),
    "",
    ...r.entries.map(entryText),
  ].join("\n");
}

export function goodPracticeCommands(program: Command): void {
  const c = program
    .command("good-practice")
    .description("the good-practice register: good practice by individuals or teams, noticed by IROs and CP Chairs");

  c.command("add")
    .description("record good practice (fields as POST /registers/good-practice; --input takes the JSON body from a file or -)")
    .requiredOption("--authority <id>", "authority id")
    .option("--input <file>", "JSON body as for POST /registers/good-practice")
    .option("--noticed-on <date>", "the day it was noticed (YYYY-MM-DD)")
    .option("--procedure <id>", "iro or cp", "iro")
    .option("--team <id>", "the team's directory id")
    .option("--about <who>", "individual or team")
    .option("--dispute-ref <reference>", "the dispute it was noticed in, if any")
    .option("--child-ref <id>", "the child's case reference, if any (never a name)")
    .option("--description <text>", "what the good practice was")
    .option("--by-name <name>", "the IRO or CP Chair who noticed it")
    .option("--by-email <email>")
    .option("--by-role <role>", "iro or cp_chair", "iro")
    .option("--recorded-by-name <name>", "business support, recording it for the chair")
    .option("--recorded-by-email <email>")
    .option("--json", "print JSON")
    .action(async (o) => {
      const m = await load();
      const body = o.input
        ? JSON.parse(readFileSync(o.input === "-" ? 0 : o.input, "utf8"))
        : {
            noticedOn: o.noticedOn,
            procedure: o.procedure,
            team: o.team,
            about: o.about,
            disputeReference: o.disputeRef,
            childRef: o.childRef,
            description: o.description,
            noticedBy: { name: o.byName, email: o.byEmail, role: o.byRole },
            recordedBy: o.recordedByName || o.recordedByEmail ? { name: o.recordedByName, email: o.recordedByEmail } : undefined,
          };
      const input = parseInput(m.goodPracticeInput, body);
      await withServices(async (svc) => {
        const v = await m.recordGoodPractice(svc, o.authority, input);
        if (o.json) printJson(v);
        else console.log(entryText(v));
      });
    });

  c.command("list")
    .description("the register, counted by procedure and team: every entry, or a period's (--period 2027-03 or 2027-Q1)")
    .requiredOption("--authority <id>", "authority id")
    .option("--period <period>", "a month (2027-01) or a quarter (2027-Q1)")
    .option("--procedure <id>", "iro or cp")
    .option("--team <id>", "one team's entries")
    .option("--json", "print JSON")
    .action(async (o) => {
      const m = await load();
      const q = parseInput(m.goodPracticeListInput, { period: o.period, procedure: o.procedure, team: o.team });
      await withServices(async (svc) => {
        const r = await m.listGoodPractice(svc, o.authority, q);
        if (o.json) printJson(r);
        else console.log(listText(r));
      });
    });

  c.command("show <entry>")
    .description("one entry (by its reference or id)")
    .requiredOption("--authority <id>", "authority id")
    .option("--json", "print JSON")
    .action(async (id: string, o) => {
      const m = await load();
      await withServices(async (svc) => {
        const v = await m.goodPracticeDetail(svc, o.authority, id);
        if (o.json) printJson(v);
        else console.log(entryText(v));
      });
    });
}
