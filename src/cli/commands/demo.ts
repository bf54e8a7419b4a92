// drp demo: fictional directories and backdated disputes for every authority.
import type { Command } from "commander";
import { runDemo } from "../../app/demo.ts";
import { notifyQueue, retryPolicy } from "../../queue/queues.ts";
import { redisConnection, redisOptions } from "../../queue/redis.ts";
import { scheduleById } from "../../queue/scheduler.ts";
import { printJson, table } from "../output.ts";
import { withServices } from "../services.ts";

export function demoCommand(program: Command): void {
  program
    .command("demo")
    .description("load the demo directories and raise backdated disputes in every authority, so that every kind of email falls due now")
    .option("--json", "print JSON")
    .action(async (o: { json?: boolean }) => {
      const result = await withServices(async (svc) => {
        const r = await runDemo(svc);
        // With a shared Redis (docker compose, REDIS_URL) hand the jobs to the running worker now;
        // otherwise the worker's reconciler schedules them when it starts.
        if (process.env.REDIS_URL) {
          const queue = notifyQueue(redisOptions(process.env.REDIS_URL));
          const markers = redisConnection(process.env.REDIS_URL);
          try {
            for (const d of r.disputes) await scheduleById({ svc, queue, redis: markers, retry: retryPolicy() }, d.id);
          } finally {
            await queue.close();
            markers.disconnect();
          }
        }
        return r;
      });
      if (o.json) {
        printJson(result);
        return;
      }
      console.log(
        table(
          ["Authority", "Reference", "Shows"],
          result.disputes.map((d) => [d.authority, d.reference, d.shows]),
        ),
      );
      console.log(
        process.env.REDIS_URL
          ? "\nScheduled: the running worker sends them now (Mailpit: http://localhost:8025)."
          : "\nNow run `npm start`: at start-up the worker schedules them, and the emails go within a minute (to ./outbox, or SMTP_URL).",
      );
      if (result.note) console.log(`\n${result.note}`);
    });
}
