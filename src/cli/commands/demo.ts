// drp demo: fictional directories and backdated disputes for every authority.
import type { Command } from "commander";

import { printJson, table } from "../output.ts";
import { withServices } from "../services.ts";

/** What the commands run, loaded when one runs: `drp --help` loads none of it. */
async function load() {
  const [m0, m1, m2, m3, m4] = await Promise.all([
    import("../../app/demo.ts"),
    import("../../app/demo-folder.ts"),
    import("../../mail/inbound/from-env.ts"),
    import("../../mail/inbound/demo-replies.ts"),
    import("../../queue/worker.ts"),
  ]);
  return { ...m0, ...m1, ...m2, ...m3, mailFrom: m4.mailFrom };
}

export function demoCommand(program: Command): void {
  program
    .command("demo")
    .description("load the demo directories and raise backdated disputes in every authority, so that every kind of email falls due now")
    .option("--reset", "clear the demo's own folder first (npm run demo's data/demo), and start again")
    .option("--json", "print JSON")
    .action(async (o: { json?: boolean; reset?: boolean }) => {
      const m = await load();
      const cleared = o.reset ? m.resetDemoFolder() : [];
      // with REDIS_URL each dispute is handed to the running worker as it is raised (see withServices)
      const result = await withServices((svc) => m.runDemo(svc));
      m.markDemoFolder();
      // on the embedded default, the demo's mail system answers the emails of its two mail disputes
      const bounces = result.replies && m.bounceMailboxFromEnv(/@([^>\s]+)/.exec(m.mailFrom())?.[1] ?? "localhost");
      if (result.replies && bounces?.folder) m.writeDemoReplies(bounces.folder, result.replies);
      if (o.json) {
        printJson({ ...result, cleared });
        return;
      }
      for (const c of cleared) console.log(`Cleared ${c}.`);
      console.log(
        table(
          ["Authority", "Reference", "Shows"],
          result.disputes.map((d) => [d.authority, d.reference, d.shows]),
        ),
      );
      console.log(
        process.env.REDIS_URL
          ? "\nScheduled: the running worker sends them now (Mailpit: http://localhost:8025)."
          : process.env.npm_lifecycle_event === "demo"
            ? `\nStarting the app on the same clock: the emails go within a minute, to ${process.env.DRP_OUTBOX_DIR ?? "./outbox"} (open index.html there). Ctrl-C stops it.`
            : "\nNow run `npm start`: at start-up the worker schedules them, and the emails go within a minute (to ./outbox, or SMTP_URL).",
      );
      if (result.reviews.length) console.log(`\nReviews whose deadlines fall due now: ${result.reviews.join(", ")}.`);
      if (result.goodPractice.length)
        console.log(`Good practice recorded, copied to the QA service now: ${result.goodPractice.join(", ")}.`);
      if (result.reports.length) console.log(`Reports for the period just ended, sent from opening time: ${result.reports.join("; ")}.`);
      for (const l of result.leftOut) console.log(`Left out: ${l}.`);
      if (result.note) console.log(`\n${result.note}`);
    });
}
