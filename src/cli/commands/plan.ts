import type { Command } from "commander";
import { getAuthority } from "../../config/authorities.ts";
import { type IsoDate, longDate, parseIsoDate } from "../../domain/calendar/dates.ts";
import { PROCEDURE_IDS } from "../../domain/procedure/ids.ts";
import { type Authority, cite, instigatorsOf, type Procedure, roleLabel } from "../../domain/procedure/model.ts";
import { INSTIGATOR_ROLES, type InstigatorRole } from "../../domain/procedure/roles.ts";
import { type Timeline, worstCaseTimeline } from "../../domain/timeline.ts";
import { procedureOf } from "../../service/disputes.ts";
import { parseWholeNumber, printJson, table, UsageError } from "../output.ts";

export function planCommand(program: Command): void {
  program
    .command("plan")
    .description("the worst-case timeline: every stage escalates on the day its response is due")
    .requiredOption("--authority <id>", "authority id")
    .option("--procedure <id>", `${PROCEDURE_IDS.join(", ")} (default iro)`)
    .requiredOption("--raised <date>", "date the dispute is raised, YYYY-MM-DD")
    .option("--stage <n>", "stage it is raised at (default: the first formal stage)")
    .option("--timescale <n>", "working days for stages whose timescale the instigator sets")
    .option("--raised-by <role>", `${INSTIGATOR_ROLES.join(", ")} (default: the procedure's first)`)
    .option("--service <id>", "the child's service, for routes that depend on it (e.g. over-11s)")
    .option("--json", "print JSON")
    .action(
      (o: {
        authority: string;
        procedure?: string;
        raised: string;
        stage?: string;
        timescale?: string;
        raisedBy?: string;
        service?: string;
        json?: boolean;
      }) => {
        const a = getAuthority(o.authority);
        const p = procedureOf(a, o.procedure ?? (a.procedures.iro ? "iro" : "cp"));
        if (o.raisedBy && !(INSTIGATOR_ROLES as readonly string[]).includes(o.raisedBy)) {
          throw new UsageError(`--raised-by must be one of ${INSTIGATOR_ROLES.join(", ")}`);
        }
        const timeline = worstCaseTimeline(a, p, parseIsoDate(o.raised, "--raised"), {
          stage: o.stage === undefined ? undefined : parseWholeNumber(o.stage, "--stage"),
          timescaleWorkingDays: o.timescale === undefined ? undefined : parseWholeNumber(o.timescale, "--timescale", 1),
          raisedBy: o.raisedBy as InstigatorRole | undefined,
          service: o.service,
        });
        if (o.json) printJson(timeline);
        else console.log(readablePlan(a, p, timeline));
      },
    );
}

const capitalWord = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const short = (d: IsoDate) => longDate(d).replace(/^(\w{3})\w*/, "$1");

export function readablePlan(a: Authority, p: Procedure, t: Timeline): string {
  const lines = [
    `${a.name} — ${p.name}`,
    `Raised ${longDate(t.raised)}. If every ${p.terms.stage} escalates on the day its response is due:`,
    "",
    table(
      [capitalWord(p.terms.stage), "Goes to", "Copied", "Respond by", "Day", "Why this date"],
      t.stages.map((s) => [
        `${s.stage}${s.formal ? "" : " (informal)"}`,
        s.recipient ? roleLabel(a, s.recipient) : "referral to Cafcass",
        s.copied.map((c) => roleLabel(a, c)).join(", ") || "—",
        s.respondBy === null
          ? "—"
          : s.respondBy.startsWith("set by")
            ? s.respondBy
            : `${short(s.respondBy as IsoDate)} ${a.closeOfBusiness}`,
        s.dayOfLimit === null ? "" : String(s.dayOfLimit),
        `${s.timescale} (${cite(a, s.source)})`,
      ]),
    ),
    "",
    !t.overallLimit
      ? "Overall limit: none named by the procedure."
      : t.overallDeadline
        ? `Overall limit: ${t.overallLimit.workingDays} working days, ending ${longDate(t.overallDeadline)} at ${a.closeOfBusiness} (${cite(a, t.overallLimit.source)}).`
        : `Overall limit: ${t.overallLimit.workingDays} working days from the first formal stage (not started).`,
    `"Day" counts working days since the formal process began. The QA inbox (${roleLabel(a, p.qaInbox)}) is copied on every formal step.`,
  ];
  if (t.stoppedBecause) lines.push(`The timeline stops early: ${t.stoppedBecause}.`);
  const requires = t.stages.filter((s) => s.requires.length);
  if (requires.length) {
    lines.push("", `Before entering a ${p.terms.stage} the ${instigatorsOf(p)} must:`);
    for (const s of requires) for (const r of s.requires) lines.push(`  ${p.terms.stage} ${s.stage}: ${r}`);
  }
  return lines.join("\n");
}
