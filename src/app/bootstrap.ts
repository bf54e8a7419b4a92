// Opening what a process needs: database (migrated if asked), authority files,
// clock and logger, as one Services value.
import { dirname } from "node:path";
import { type Clock, systemClock } from "../clock.ts";
import { authorities } from "../config/authorities.ts";
import { type DbHandle, openDatabase } from "../db/client.ts";
import { createLogger, type Logger } from "../log.ts";
import type { Services } from "../service/context.ts";
import { refuseClockBehindRecord } from "./clock-check.ts";
import { embeddedDataDir, lockEmbedded } from "./embedded-lock.ts";
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

export { EmbeddedDatabaseInUse, embeddedDataDir } from "./embedded-lock.ts";
