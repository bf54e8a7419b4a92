#!/usr/bin/env node
// drp: the command line of drp-monitor. `npm run drp -- <command>`.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { Command, CommanderError } from "commander";
import { EmbeddedDatabaseInUse } from "../app/bootstrap.js";
import { cliSocketPath, sendToApp } from "../app/cli-socket.js";
import { ownerOnlyFromNow } from "../app/private-files.js";
import { CalendarRangeError } from "../domain/calendar/bank-holidays.js";
import { InvalidDateError } from "../domain/calendar/dates.js";
import { safeMessage } from "../safe-error.js";
import { InputError } from "../service/errors.js";
import { authoritiesCommands } from "./commands/authorities.js";
import { calendarCommands } from "./commands/calendar.js";
import { demoCommand } from "./commands/demo.js";
import { disputeCommands } from "./commands/disputes.js";
import { importTrackerCommand } from "./commands/import-tracker.js";
import { planCommand } from "./commands/plan.js";
import { reportCommand } from "./commands/report.js";
import { reviewCommands } from "./commands/reviews.js";
import { storeCommands } from "./commands/store.js";
import { workerCommands } from "./commands/worker.js";
import { UsageError } from "./output.js";
export function buildProgram() {
    const program = new Command("drp")
        .description("drp-monitor: deadlines and notifications for the IRO / CP Chair Dispute Resolution Process")
        .showHelpAfterError()
        .exitOverride();
    calendarCommands(program);
    planCommand(program);
    authoritiesCommands(program);
    storeCommands(program);
    disputeCommands(program);
    reviewCommands(program);
    importTrackerCommand(program);
    workerCommands(program);
    demoCommand(program);
    reportCommand(program);
    return program;
}
export async function main(argv) {
    try {
        return await run(argv);
    }
    catch (e) {
        // the embedded database is held by a running app: send it the command
        if (!(e instanceof EmbeddedDatabaseInUse))
            throw e;
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
function withAbsolutePaths(argv) {
    return argv.map((a) => (!a.startsWith("-") && a.includes(".") && existsSync(a) ? resolve(a) : a));
}
async function run(argv) {
    try {
        await buildProgram().parseAsync(argv, { from: "user" });
        return typeof process.exitCode === "number" ? process.exitCode : 0;
    }
    catch (e) {
        if (e instanceof CommanderError)
            return e.exitCode; // commander has printed the message
        if (e instanceof EmbeddedDatabaseInUse)
            throw e;
        // bad input, including a date outside the years the calendar covers: exit 2
        const usage = e instanceof UsageError || e instanceof InputError || e instanceof CalendarRangeError || e instanceof InvalidDateError;
        const message = safeMessage(e);
        // a caller that asked for JSON gets its refusal as JSON on stdout too
        if (argv.includes("--json")) {
            const code = e.code;
            console.log(JSON.stringify({ error: typeof code === "string" ? code : usage ? "bad_input" : "failed", message }));
        }
        console.error(`error: ${message}`);
        return usage ? 2 : 1;
    }
}
if (import.meta.url === `file://${process.argv[1]}`) {
    ownerOnlyFromNow(); // the files a command writes (a preview, a database it opens) are its owner's
    process.exitCode = await main(process.argv.slice(2));
}
//# sourceMappingURL=main.js.map