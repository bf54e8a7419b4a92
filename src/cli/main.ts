#!/usr/bin/env node
// drp: the command line of drp-monitor. `npm run drp -- <command>`.
import { Command, CommanderError } from "commander";
import { InputError } from "../service/errors.ts";
import { authoritiesCommands } from "./commands/authorities.ts";
import { calendarCommands } from "./commands/calendar.ts";
import { demoCommand } from "./commands/demo.ts";
import { disputeCommands } from "./commands/disputes.ts";
import { importTrackerCommand } from "./commands/import-tracker.ts";
import { planCommand } from "./commands/plan.ts";
import { storeCommands } from "./commands/store.ts";
import { workerCommands } from "./commands/worker.ts";
import { UsageError } from "./output.ts";

export function buildProgram(): Command {
  const program = new Command("drp")
    .description("drp-monitor: deadlines and notifications for the IRO / CP Chair Dispute Resolution Process")
    .showHelpAfterError()
    .exitOverride();
  calendarCommands(program);
  planCommand(program);
  authoritiesCommands(program);
  storeCommands(program);
  disputeCommands(program);
  importTrackerCommand(program);
  workerCommands(program);
  demoCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode; // commander has printed the message
    if (e instanceof UsageError || e instanceof InputError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    console.error(`error: ${(e as Error).message}`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
