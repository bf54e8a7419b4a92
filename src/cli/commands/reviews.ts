// drp reviews create|decisions-sent|respond|rate|close|show
// The same service layer and input schemas as the HTTP API: a statutory review
// (or conference) and the deadlines that run from it.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type { Services } from "../../service/context.ts";
import type { ReviewStepInput } from "../../service/inputs.ts";

import { casePeopleOf, casePeopleOptions } from "../case-people.ts";
import { printJson } from "../output.ts";
import { parseInput, withServices } from "../services.ts";

/** What the commands run, loaded when one runs: `drp --help` loads none of it. */
async function load() {
  const [m0, m1] = await Promise.all([import("../../service/inputs.ts"), import("../../service/reviews.ts")]);
  return { ...m0, ...m1 };
}

const int = (v: string | undefined) => (v === undefined ? undefined : Number(v));

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path === "-" ? 0 : path, "utf8"));
}

type ReviewDetail = Awaited<ReturnType<Awaited<ReturnType<typeof load>>["reviewDetail"]>>;

/** The review as GET /reviews/:id answers it: JSON, or a short summary for people. */
async function report(svc: Services, authority: string, id: string, json?: boolean): Promise<void> {
  const v = await (await load()).reviewDetail(svc, authority, id);
  if (json) {
    printJson(v);
    return;
  }
  console.log(summary(v));
}

function summary(v: ReviewDetail): string {
  const lines = [`${v.reference} (${v.id}): ${v.status}, held ${v.heldOn}; rating ${v.rating ?? "—"}`];
  for (const d of v.deadlines) lines.push(`  ${d.name}: ${d.status}${d.dueBy ? `, due ${d.dueBy}` : ""}`);
  return lines.join("\n");
}

export function reviewCommands(program: Command): void {
  const r = program.command("reviews").description("record statutory reviews and conferences, and each step on the deadlines that follow");

  casePeopleOptions(r.command("create"))
    .description("record a review that has been held (fields as POST /reviews; --input takes the JSON body from a file or -)")
    .requiredOption("--authority <id>", "authority id")
    .option("--input <file>", "JSON body as for POST /reviews")
    .option("--procedure <id>", "iro or cp", "iro")
    .option("--child-ref <id>", "the child's id in the case-management system (never a name)")
    .option("--family-ref <id>", "the family's id in the case-management system, where there is one (never a name)")
    .option("--team <id>", "the case-holding team's directory id")
    .option("--held-on <date>", "the day the review was held (YYYY-MM-DD)")
    .option("--chair-name <name>", "the IRO or CP Chair who chaired it")
    .option("--chair-email <email>")
    .option("--chair-role <role>", "iro or cp_chair", "iro")
    .option("--at <instant>", "when it was recorded (ISO 8601), for backdating")
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
            team: o.team,
            heldOn: o.heldOn,
            chairedBy: { name: o.chairName, email: o.chairEmail, role: o.chairRole },
            at: o.at,
          };
      const input = parseInput(m.reviewInput, body);
      await withServices(async (svc) => {
        const { review } = await m.createReview(svc, o.authority, input);
        await report(svc, o.authority, review.id, o.json);
      });
    });

  const step = (
    name: string,
    description: string,
    type: ReviewStepInput["type"],
    schema: "reviewStepInput" | "ratingInput",
    extra: (c: Command) => Command,
    body: (o: Record<string, string | undefined>) => Record<string, unknown>,
  ) => {
    const c = r
      .command(`${name} <review>`)
      .description(`${description} (the review by its id)`)
      .requiredOption("--authority <id>", "authority id")
      .option("--at <instant>", "when it happened (ISO 8601), for backdating")
      .option("--by-name <name>", "who did it (by default the chair; for a response, no one named)")
      .option("--by-email <email>")
      .option("--version <n>", "refuse unless the review is at this version")
      .option("--json", "print JSON");
    extra(c).action(async (id: string, o) => {
      const m = await load();
      const by = o.byName || o.byEmail ? { name: o.byName, email: o.byEmail } : undefined;
      const input = parseInput(m[schema], { at: o.at, by, version: int(o.version), ...body(o) });
      await withServices(async (svc) => {
        await m.stepReview(svc, o.authority, id, { ...input, type } as ReviewStepInput);
        await report(svc, o.authority, id, o.json);
      });
    });
  };

  step(
    "decisions-sent",
    "record that the review's decisions were sent to the team",
    "decisions_sent",
    "reviewStepInput",
    (c) => c,
    () => ({}),
  );
  step(
    "respond",
    "record the team's response to the review",
    "response_recorded",
    "reviewStepInput",
    (c) => c,
    () => ({}),
  );
  step(
    "rate",
    "record the review's rating: --rating green, amber or red",
    "rated",
    "ratingInput",
    (c) => c.option("--rating <rating>", "green, amber or red"),
    (o) => ({ rating: o.rating }),
  );
  step(
    "close",
    "close the review: no further steps are recorded on it",
    "closed",
    "reviewStepInput",
    (c) => c,
    () => ({}),
  );

  r.command("show <review>")
    .description("a review: its deadlines, history and planned emails (by its id)")
    .requiredOption("--authority <id>", "authority id")
    .option("--json", "print JSON")
    .action(async (id: string, o: { authority: string; json?: boolean }) => {
      await withServices((svc) => report(svc, o.authority, id, o.json));
    });
}
