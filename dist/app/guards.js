import { safeError } from "../safe-error.js";
const IN_DATABASE_CLIENT = /node_modules[\\/](postgres|@electric-sql[\\/]pglite)[\\/]/;
export function guardProcess(log) {
    process.on("unhandledRejection", (e) => log.error({ err: safeError(e) }, "a failed promise nobody awaited"));
    process.on("uncaughtException", (e) => {
        const stack = String(e?.stack ?? "");
        if (IN_DATABASE_CLIENT.test(stack.split("\n").slice(1, 4).join("\n"))) {
            log.error({ err: safeError(e) }, "the database client failed while a connection was lost; carrying on");
            return;
        }
        log.fatal({ err: safeError(e) }, "uncaught exception: stopping");
        process.exit(1);
    });
}
//# sourceMappingURL=guards.js.map