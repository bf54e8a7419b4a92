// drp: the command line of drp-monitor. `npm run drp -- <command>`.
// Each command's module declares its options here and loads what it needs
// when it runs, so that `drp --help` and `drp --version` load nothing else.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command, CommanderError } from "commander";
import { cliSocketPath, sendToApp, servicesInApp } from "../app/cli-socket.ts";
import { EmbeddedDatabaseInUse, embeddedDataDir, embeddedHolder } from "../app/embedded-lock.ts";
import { CalendarRangeError, InvalidDateError } from "../domain/calendar/dates.ts";
import { appPath } from "../paths.ts";
import { safeMessage } from "../safe-error.ts";
import { InputError } from "../service/errors.ts";
import { actionCommands } from "./commands/actions.ts";
import { authoritiesCommands } from "./commands/authorities.ts";
import { calendarCommands } from "./commands/calendar.ts";
import { demoCommand } from "./commands/demo.ts";
import { disputeCommands } from "./commands/disputes.ts";
import { goodPracticeCommands } from "./commands/good-practice.ts";
import { importTrackerCommand } from "./commands/import-tracker.ts";
import { planCommand } from "./commands/plan.ts";
import { reportCommand } from "./commands/report.ts";
import { reviewCommands } from "./commands/reviews.ts";
import { storeCommands } from "./commands/store.ts";
import { workerCommands } from "./commands/worker.ts";
import { UsageError } from "./output.ts";

/** Commands that work on files alone (authorities reload finds the app itself). */
const OPENS_NO_DATABASE = new Set(["calendar", "plan", "authorities", "preview", "worker"]);

export function buildProgram(): Command {
  const program = new Command("drp")
    .description("drp-monitor: deadlines and notifications for the IRO / CP Chair Dispute Resolution Process")
    // `drp --version` alone (main): commander's own would take the steps' --version <n> too
    .addHelpText("after", "\n`drp --version` prints the version.")
    .showHelpAfterError()
    .exitOverride();
  // a command that opens the database, while a running app holds the embedded one: sent to the app at
  // once, before it loads anything (the app runs it and answers; see main)
  program.hook("preAction", (_root, action) => {
    let top = action;
    while (top.parent && top.parent !== program) top = top.parent;
    if (OPENS_NO_DATABASE.has(top.name()) || process.env.DATABASE_URL || servicesInApp()) return;
    const holder = embeddedHolder();
    if (holder) throw new EmbeddedDatabaseInUse(embeddedDataDir(), holder);
  });
  calendarCommands(program);
  planCommand(program);
  authoritiesCommands(program);
  storeCommands(program);
  disputeCommands(program);
  reviewCommands(program);
  actionCommands(program);
  goodPracticeCommands(program);
  importTrackerCommand(program);
  workerCommands(program);
  demoCommand(program);
  reportCommand(program);
  return program;
}

/** package.json's version, read once (not imported: the built code has no JSON imports). */
function version(): string {
  const pkg = JSON.parse(readFileSync(appPath("package.json"), "utf8")) as { version: string };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
    console.log(version());
    return 0;
  }
  try {
    return await run(argv);
  } catch (e) {
    // the embedded database is held by a running app: send it the command
    if (!(e instanceof EmbeddedDatabaseInUse)) throw e;
    const answer = await sendToApp(cliSocketPath(e.dataDir), withAbsolutePaths(argv));
    if (!answer) {
      console.error(`error: ${e.message}`);
      return 1;
    }
    process.stdout.write(answer.out);
    process.stderr.write(answer.err);
    return answer.code;
  }
}

/** Files named on the command line, as the app (in another directory, maybe) will find them. */
function withAbsolutePaths(argv: string[]): string[] {
  return argv.map((a) => (!a.startsWith("-") && a.includes(".") && existsSync(a) ? resolve(a) : a));
}

async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode; // commander has printed the message
    if (e instanceof EmbeddedDatabaseInUse) throw e;
    // bad input, including a date outside the years the calendar covers: exit 2
    const usage = e instanceof UsageError || e instanceof InputError || e instanceof CalendarRangeError || e instanceof InvalidDateError;
    const message = safeMessage(e);
    // a caller that asked for JSON gets its refusal as JSON on stdout too
    if (argv.includes("--json")) {
      const code = (e as { code?: unknown }).code;
      console.log(JSON.stringify({ error: typeof code === "string" ? code : usage ? "bad_input" : "failed", message }));
    }
    console.error(`error: ${message}`);
    return usage ? 2 : 1;
  }
}
