// Opening what a process needs: database (migrated if asked), authority files,
// clock and logger, as one Services value.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type Clock, systemClock } from "../clock.ts";
import { authorities } from "../config/authorities.ts";
import { type DbHandle, openDatabase } from "../db/client.ts";
import { createLogger, type Logger } from "../log.ts";
import { isAlive } from "../pid.ts";
import type { Services } from "../service/context.ts";
import { refuseClockBehindRecord } from "./clock-check.ts";
import { ownerOnlyTree, privateFolder } from "./private-files.ts";

export interface Opened {
  svc: Services;
  handle: DbHandle;
  close(): Promise<void>;
}

export interface OpenOptions {
  migrate?: boolean;
  /** a process that sends and records (the app, a worker): refuse a DRP_NOW before what is already recorded */
  refuseClockBehind?: boolean;
  log?: Logger;
  clock?: Clock;
  databaseUrl?: string;
}

export async function openServices(opts: OpenOptions = {}): Promise<Opened> {
  const log = opts.log ?? createLogger();
  const url = opts.databaseUrl ?? process.env.DATABASE_URL;
  const dataDir = embeddedDataDir();
  if (!url) {
    // the data folder and the database in it are the owner's alone
    privateFolder(dirname(dataDir));
    privateFolder(dataDir);
  }
  const release = url ? () => {} : lockEmbedded(dataDir);
  const tighten = () => {
    if (!url) ownerOnlyTree(dataDir);
  };
  let handle: DbHandle;
  try {
    handle = await openDatabase({ url, dataDir });
    if (opts.migrate) await handle.migrate();
    tighten();
  } catch (e) {
    release();
    throw e;
  }
  const svc: Services = { db: handle.db, authorities: authorities(), clock: opts.clock ?? systemClock(), log };
  if (opts.refuseClockBehind) {
    try {
      await refuseClockBehindRecord(svc.db, svc.clock.now());
    } catch (e) {
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
  override name = "EmbeddedDatabaseInUse";
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded database under ${dataDir} is in use by process ${pid} (npm start?). Stop it, use the HTTP API, or set DATABASE_URL to a PostgreSQL server.`,
    );
  }
}

/** Where the embedded database lives: DRP_DATA_DIR, or ./data/pglite. */
export function embeddedDataDir(): string {
  return resolve(process.env.DRP_DATA_DIR ?? "data/pglite");
}

/**
 * PGlite is one process's database: a second process opening the same folder
 * would corrupt it. Hold a lock file while it is open, and say who has it.
 */
function lockEmbedded(dataDir: string): () => void {
  const lock = join(dataDir, "..", `${dataDir.split("/").pop()}.lock`);
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, "utf8"));
    if (pid && pid !== process.pid && isAlive(pid)) throw new EmbeddedDatabaseInUse(dataDir, pid);
  }
  mkdirSync(dirname(lock), { recursive: true });
  writeFileSync(lock, String(process.pid), { flag: "w" });
  return () => rmSync(lock, { force: true });
}
