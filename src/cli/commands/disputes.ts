// drp disputes raise|respond|escalate|extend|resolve|consult|refer|withdraw|show|list
// The same service layer and input schemas as the HTTP API.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { type IsoDate, longDate } from "../../domain/calendar/dates.ts";
import { isProcedureId, PROCEDURE_IDS } from "../../domain/procedure/ids.ts";
import { CHAIR_ROLES, INSTIGATOR_LABELS, INSTIGATOR_ROLES } from "../../domain/procedure/roles.ts";
import type { Services } from "../../service/context.ts";
import type { StepResult } from "../../service/disputes.ts";
import type { StepInput } from "../../service/inputs.ts";
import { casePeopleOf, casePeopleOptions } from "../case-people.ts";
import { printJson, table } from "../output.ts";
import { parseInput, withServices } from "../services.ts";

/** What the commands run, loaded when one runs: `drp --help` loads none of it. */
async function load() {
  const [config, context, disputes, inputs, lookup, read, views] = await Promise.all([
    import("../../config/authorities.ts"),
    import("../../service/context.ts"),
    import("../../service/disputes.ts"),
    import("../../service/inputs.ts"),
    import("../../service/lookup.ts"),
    import("../../service/read.ts"),
    import("../../service/views.ts"),
  ]);
  return { ...config, ...context, ...disputes, ...inputs, ...lookup, ...read, ...views };
}
type Loaded = Awaited<ReturnType<typeof load>>;
/** The input schemas a step's options are parsed with, by name. */
type InputName =
  | "respondInput"
  | "escalateInput"
  | "extendInput"
  | "resolveInput"
  | "plainStepInput"
  | "considerReferralInput"
  | "withdrawInput";

const collect = (v: string, prev: string[] = []) => [...prev, v];
const int = (v: string | undefined) => (v === undefined ? undefined : Number(v));

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path === "-" ? 0 : path, "utf8"));
}

/** Who raises disputes under the procedure, first: the IRO, the CP Chair, or for a §1.6 concern the team manager. */
function firstInstigator(m: Loaded, authority: string, procedure: string): string {
  const p = isProcedureId(procedure) ? m.authorities().get(authority)?.procedures[procedure] : undefined;
  return p?.raisedBy[0] ?? "iro";
}

function report(m: Loaded, svc: Services, authority: string, r: StepResult, json?: boolean): void {
  const v = m.disputeView(m.authorityOf(svc, authority), r.dispute, svc.clock.now(), r.warnings, r.state);
  if (json) {
    printJson(v);
    return;
  }
  const due = v.respondBy ? `respond by ${longDate(v.respondBy as IsoDate)}` : "no response date";
  console.log(`${v.reference} (${v.id}): ${v.status}, stage ${v.stage}${v.stageName ? ` — ${v.stageName}` : ""}; ${due}`);
  for (const w of r.warnings) console.log(`  note: ${w}`);
}

export function disputeCommands(program: Command): void {
  const d = program.command("disputes").description("raise disputes and record every later step");

  casePeopleOptions(d.command("raise"))
    .description("raise a dispute (fields as POST /disputes; --input takes the JSON body from a file or -)")
    .requiredOption("--authority <id>", "authority id")
    .option("--input <file>", "JSON body as for POST /disputes")
    .option("--procedure <id>", `${PROCEDURE_IDS.join(", ")} (those the authority has)`, "iro")
    .option("--child-ref <id>", "the child's id in the case-management system (never a name)")
    .option("--family-ref <id>", "the family's id in the case-management system, where there is one (never a name)")
    .option("--raised-by-name <name>")
    .option("--raised-by-email <email>")
    .option("--raised-by-role <role>", `${INSTIGATOR_ROLES.join(", ")} (default: the first the procedure names)`)
    .option("--concerning-name <name>", "the IRO or CP Chair a concern is about, where the procedure is about one (WF §1.6); never emailed")
    .option("--concerning-role <role>", `${CHAIR_ROLES.join(" or ")}, with --concerning-name`, "iro")
    .option("--team <id>", "the case-holding team's directory id")
    .option("--stage <n>", "stage to raise at")
    .option("--category <id>", "a category id (repeat for more)", collect)
    .option("--other-category <text>")
    .option("--summary <text>", "the concern (free text; never logged)")
    .option("--timescale <n>", "working days, where the instigator sets the stage's timescale")
    .option("--confirm <requirement>", "a requirement the instigator has met (repeat)", collect)
    .option("--at <instant>", "when it was raised (ISO 8601), for backdating")
    .option("--json", "print JSON")
    .action(async (o) => {
      const m = await load();
      const body = o.input
        ? readJson(o.input)
        : {
            procedure: o.procedure,
            childRef: o.childRef,
            familyRef: o.familyRef,
            casePeople: casePeopleOf(o),
            raisedBy: {
              name: o.raisedByName,
              email: o.raisedByEmail,
              role: o.raisedByRole ?? firstInstigator(m, o.authority, o.procedure),
            },
            concerning: o.concerningName === undefined ? undefined : { name: o.concerningName, role: o.concerningRole },
            team: o.team,
            stage: int(o.stage),
            categories: o.category,
            otherCategory: o.otherCategory,
            summary: o.summary,
            timescaleWorkingDays: int(o.timescale),
            confirmed: o.confirm,
            at: o.at,
          };
      const input = parseInput(m.raiseInput, body);
      await withServices(async (svc) => report(m, svc, o.authority, await m.raiseDispute(svc, o.authority, input), o.json));
    });

  const step = (
    name: string,
    description: string,
    type: StepInput["type"],
    schema: InputName,
    extra: (c: Command) => Command,
    body: (o: Record<string, string | string[] | undefined>) => Record<string, unknown>,
  ) => {
    const c = d
      .command(`${name} <dispute>`)
      .description(`${description} (the dispute by its reference, e.g. BIR-2026-0011, or its id with --authority)`)
      .option("--authority <id>", "authority id (inferred from a reference)")
      .option("--at <instant>", "when it happened (ISO 8601), for backdating")
      .option("--by-name <name>", "who did it")
      .option("--by-email <email>")
      .option("--version <n>", "refuse unless the dispute is at this version")
      .option("--json", "print JSON");
    extra(c).action(async (named: string, o) => {
      const m = await load();
      const by = o.byName || o.byEmail ? { name: o.byName, email: o.byEmail } : undefined;
      const input = parseInput(m[schema], { at: o.at, by, version: int(o.version), ...body(o) }) as object;
      await withServices(async (svc) => {
        const { authorityId, id } = await m.locateDispute(svc, o.authority, named);
        report(m, svc, authorityId, await m.takeStep(svc, authorityId, id, { ...input, type } as StepInput), o.json);
      });
    });
  };

  step(
    "respond",
    "record the recipient's response to the current stage",
    "response_recorded",
    "respondInput",
    (c) => c.option("--note <text>"),
    (o) => ({ note: o.note }),
  );
  step(
    "escalate",
    "escalate to the next stage, or --to-stage N where bypass is allowed",
    "escalated",
    "escalateInput",
    (c) =>
      c
        .option("--to-stage <n>")
        .option("--timescale <n>", "working days, where the IRO sets it")
        .option("--confirm <requirement>", "a requirement met (repeat)", collect),
    (o) => ({ toStage: int(o.toStage as string), timescaleWorkingDays: int(o.timescale as string), confirmed: o.confirm }),
  );
  step(
    "extend",
    "agree an extension: --until YYYY-MM-DD or --working-days N after the current deadline",
    "extension_agreed",
    "extendInput",
    (c) => c.option("--until <date>").option("--working-days <n>"),
    (o) => ({ until: o.until, workingDays: int(o.workingDays as string) }),
  );
  step(
    "resolve",
    "record that the dispute is resolved",
    "resolved",
    "resolveInput",
    (c) => c.option("--outcome <text>"),
    (o) => ({ outcome: o.outcome }),
  );
  step(
    "consult",
    "record that the IRO consulted Cafcass (Legal)",
    "cafcass_consulted",
    "plainStepInput",
    (c) => c,
    () => ({}),
  );
  step(
    "consider-referral",
    "tell the nominated officer that a referral to Cafcass is being considered (IRO Handbook 8.12)",
    "cafcass_referral_considered",
    "considerReferralInput",
    (c) => c.option("--confirm <requirement>", "a requirement met (repeat)", collect),
    (o) => ({ confirmed: o.confirm }),
  );
  step(
    "refer",
    "record a referral to Cafcass",
    "referred_to_cafcass",
    "plainStepInput",
    (c) => c,
    () => ({}),
  );
  step(
    "withdraw",
    "withdraw the dispute",
    "withdrawn",
    "withdrawInput",
    (c) => c.option("--reason <text>"),
    (o) => ({ reason: o.reason }),
  );

  d.command("show <dispute>")
    .description(
      "a dispute: state, due dates, event log and planned notifications (by its reference, e.g. BIR-2026-0011, or its id with --authority)",
    )
    .option("--authority <id>", "authority id (inferred from a reference)")
    .option("--json", "print JSON")
    .action(async (named: string, o: { authority?: string; json?: boolean }) => {
      const m = await load();
      const v = await withServices(async (svc) => {
        const { authorityId, id } = await m.locateDispute(svc, o.authority, named);
        return m.getDispute(svc, authorityId, id);
      });
      if (o.json) return printJson(v);
      console.log(
        `${v.reference} — ${v.status}, stage ${v.stage} (${v.stageName}); respond by ${v.respondBy ?? "—"}; overall limit ${v.overallDeadline ?? "—"}`,
      );
      // a §1.6 concern: whom it is about (on the record, never emailed)
      if (v.concerning) console.log(`Concerning: ${v.concerning.name} (${INSTIGATOR_LABELS[v.concerning.role]})`);
      console.log("\nHistory:");
      console.log(
        table(
          ["#", "Step", "At", "By"],
          v.timeline.map((e) => [String(e.seq), e.type, e.at, e.by?.name ?? ""]),
        ),
      );
      console.log("\nPlanned notifications:");
      console.log(
        table(
          ["Kind", "Send at", "Status", "To"],
          v.planned.map((n) => [
            n.kind,
            n.sendAt,
            n.status,
            n.to.map((t) => t.people.map((p) => p.name).join(", ") || `(${"gap" in t ? t.gap : t.role})`).join("; "),
          ]),
        ),
      );
    });

  d.command("list")
    .description("list disputes")
    .requiredOption("--authority <id>", "authority id")
    .option("--status <status>", "open, resolved, referred_to_cafcass or withdrawn")
    .option("--overdue", "only those whose response is overdue")
    .option("--procedure <id>", PROCEDURE_IDS.join(", "))
    .option("--json", "print JSON")
    .action(async (o: { authority: string; status?: string; overdue?: boolean; procedure?: string; json?: boolean }) => {
      const m = await load();
      const filter = parseInput(m.listInput, { status: o.status, overdue: o.overdue ? "true" : undefined, procedure: o.procedure });
      const list = await withServices((svc) => m.listDisputeSummaries(svc, o.authority, filter));
      if (o.json) return printJson({ disputes: list });
      console.log(
        table(
          ["Reference", "Stage", "Status", "Respond by", "Overdue", "Id"],
          list.map((v) => [v.reference, String(v.stage), v.status, v.respondBy ?? "—", v.overdue ? "yes" : "", v.id]),
        ),
      );
    });
}
