// What reaches the top of the process. A promise nobody awaited that failed is
// logged (by code, never its text) and the process goes on. An exception
// thrown from inside the database client while a connection is being lost
// (postgres.js raises some from its own timers: porsager/postgres #1154, #1208,
// the one we know of patched in patches/) is logged as an error and the
// process goes on: the client reconnects, and the outbox and the job queue
// pick up where they were. Any other uncaught exception is a bug: logged, and
// the process exits so that a supervisor starts it clean.
import type { Logger } from "../log.ts";
import { safeError } from "../safe-error.ts";

const IN_DATABASE_CLIENT = /node_modules[\\/](postgres|@electric-sql[\\/]pglite)[\\/]/;

export function guardProcess(log: Logger): void {
  process.on("unhandledRejection", (e) => log.error({ err: safeError(e) }, "a failed promise nobody awaited"));
  process.on("uncaughtException", (e) => {
    const stack = String((e as Error)?.stack ?? "");
    if (IN_DATABASE_CLIENT.test(stack.split("\n").slice(1, 4).join("\n"))) {
      log.error({ err: safeError(e) }, "the database client failed while a connection was lost; carrying on");
      return;
    }
    log.fatal({ err: safeError(e) }, "uncaught exception: stopping");
    process.exit(1);
  });
}
