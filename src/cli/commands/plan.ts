import type { Command } from "commander";
import { parseIsoDate } from "../../domain/calendar/dates.ts";
import { PROCEDURE_IDS } from "../../domain/procedure/ids.ts";
import { INSTIGATOR_ROLES, type InstigatorRole } from "../../domain/procedure/roles.ts";
import { parseWholeNumber, printJson, UsageError } from "../output.ts";

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
      async (o: {
        authority: string;
        procedure?: string;
        raised: string;
        stage?: string;
        timescale?: string;
        raisedBy?: string;
        service?: string;
        json?: boolean;
      }) => {
        const [{ getAuthority }, { worstCaseTimeline }, { procedureOf }, { readablePlan }] = await Promise.all([
          import("../../config/authorities.ts"),
          import("../../domain/timeline.ts"),
          import("../../service/disputes.ts"),
          import("../plan-text.ts"),
        ]);
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
