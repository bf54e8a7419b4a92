import { runDemo } from "../../app/demo.js";
import { printJson, table } from "../output.js";
import { withServices } from "../services.js";
export function demoCommand(program) {
    program
        .command("demo")
        .description("load the demo directories and raise backdated disputes in every authority, so that every kind of email falls due now")
        .option("--json", "print JSON")
        .action(async (o) => {
        // with REDIS_URL each dispute is handed to the running worker as it is raised (see withServices)
        const result = await withServices((svc) => runDemo(svc));
        if (o.json) {
            printJson(result);
            return;
        }
        console.log(table(["Authority", "Reference", "Shows"], result.disputes.map((d) => [d.authority, d.reference, d.shows])));
        console.log(process.env.REDIS_URL
            ? "\nScheduled: the running worker sends them now (Mailpit: http://localhost:8025)."
            : "\nNow run `npm start`: at start-up the worker schedules them, and the emails go within a minute (to ./outbox, or SMTP_URL).");
        if (result.note)
            console.log(`\n${result.note}`);
    });
}
//# sourceMappingURL=demo.js.map