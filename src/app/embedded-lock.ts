// The embedded database's folder and its lock: light, so that the CLI can
// tell "the app holds it" without loading the database code.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { isAlive } from "../pid.ts";

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
export function lockEmbedded(dataDir: string): () => void {
  const lock = lockFile(dataDir);
  const holder = embeddedHolder(dataDir);
  if (holder) throw new EmbeddedDatabaseInUse(dataDir, holder);
  mkdirSync(dirname(lock), { recursive: true });
  writeFileSync(lock, String(process.pid), { flag: "w" });
  return () => rmSync(lock, { force: true });
}

/** The app's data folder: the embedded database's parent (DRP_DATA_DIR's), or ./data. */
export function dataFolder(): string {
  return process.env.DRP_DATA_DIR ? dirname(resolve(process.env.DRP_DATA_DIR)) : resolve("data");
}

/** The running app's process id, from the file it keeps in the data folder while it runs. */
export function runningAppPid(): number | undefined {
  const file = join(dataFolder(), "app.pid");
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, "utf8"));
  return pid && isAlive(pid) ? pid : undefined;
}

/** The process holding the embedded database, if one does (without taking the lock). */
export function embeddedHolder(dataDir = embeddedDataDir()): number | undefined {
  const lock = lockFile(dataDir);
  if (!existsSync(lock)) return undefined;
  const pid = Number(readFileSync(lock, "utf8"));
  return pid && pid !== process.pid && isAlive(pid) ? pid : undefined;
}

function lockFile(dataDir: string): string {
  return join(dataDir, "..", `${dataDir.split("/").pop()}.lock`);
}

/** Writes the app's pid file (data folder/app.pid) while it runs; returns its remover. */
export function holdAppPid(): () => void {
  const dir = dataFolder();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, "app.pid");
  writeFileSync(file, String(process.pid), { mode: 0o600 });
  return () => {
    // only our own: a second app refused at start must not remove the first one's
    if (existsSync(file) && Number(readFileSync(file, "utf8")) === process.pid) rmSync(file, { force: true });
  };
}
