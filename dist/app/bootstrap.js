// Opening what a process needs: database (migrated if asked), authority files,
// clock and logger, as one Services value.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { systemClock } from "../clock.js";
import { authorities } from "../config/authorities.js";
import { openDatabase } from "../db/client.js";
import { createLogger } from "../log.js";
import { isAlive } from "../pid.js";
import { refuseClockBehindRecord } from "./clock-check.js";
import { ownerOnlyTree, privateFolder } from "./private-files.js";
export async function openServices(opts = {}) {
    const log = opts.log ?? createLogger();
    const url = opts.databaseUrl ?? process.env.DATABASE_URL;
    const dataDir = embeddedDataDir();
    if (!url) {
        // the data folder and the database in it are the owner's alone
        privateFolder(dirname(dataDir));
        privateFolder(dataDir);
    }
    const release = url ? () => { } : lockEmbedded(dataDir);
    const tighten = () => {
        if (!url)
            ownerOnlyTree(dataDir);
    };
    let handle;
    try {
        handle = await openDatabase({ url, dataDir });
        if (opts.migrate)
            await handle.migrate();
        tighten();
    }
    catch (e) {
        release();
        throw e;
    }
    const svc = { db: handle.db, authorities: authorities(), clock: opts.clock ?? systemClock(), log };
    if (opts.refuseClockBehind) {
        try {
            await refuseClockBehindRecord(svc.db, svc.clock.now());
        }
        catch (e) {
            await handle.close();
            release();
            throw e;
        }
    }
    return {
        svc,
        handle,
        close: async () => {
            await handle.close();
            tighten();
            release();
        },
    };
}
export class EmbeddedDatabaseInUse extends Error {
    dataDir;
    pid;
    name = "EmbeddedDatabaseInUse";
    constructor(dataDir, pid) {
        super(`the embedded database under ${dataDir} is in use by process ${pid} (npm start?). Stop it, use the HTTP API, or set DATABASE_URL to a PostgreSQL server.`);
        this.dataDir = dataDir;
        this.pid = pid;
    }
}
/** Where the embedded database lives: DRP_DATA_DIR, or ./data/pglite. */
export function embeddedDataDir() {
    return resolve(process.env.DRP_DATA_DIR ?? "data/pglite");
}
/**
 * PGlite is one process's database: a second process opening the same folder
 * would corrupt it. Hold a lock file while it is open, and say who has it.
 */
function lockEmbedded(dataDir) {
    const lock = join(dataDir, "..", `${dataDir.split("/").pop()}.lock`);
    if (existsSync(lock)) {
        const pid = Number(readFileSync(lock, "utf8"));
        if (pid && pid !== process.pid && isAlive(pid))
            throw new EmbeddedDatabaseInUse(dataDir, pid);
    }
    mkdirSync(dirname(lock), { recursive: true });
    writeFileSync(lock, String(process.pid), { flag: "w" });
    return () => rmSync(lock, { force: true });
}
//# sourceMappingURL=bootstrap.js.map