// One database handle for the whole process: PostgreSQL through postgres.js
// when DATABASE_URL is set, otherwise an embedded PGlite persisted under
// ./data, so that `npm start` needs nothing installed. Same schema, same
// migrations, same queries.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { appPath } from "../paths.ts";
import * as schema from "./schema.ts";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** The handle a transaction's callback is given. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Where a query may run: the database, or a transaction on it. */
export type Db = Database | Tx;

export interface DbHandle {
  db: Database;
  kind: "postgres" | "pglite";
  /** a description safe to log (no password) */
  where: string;
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = appPath("drizzle");

export interface OpenOptions {
  url?: string;
  /** where PGlite keeps its files when there is no URL; "memory://" for none */
  dataDir?: string;
  /** connections in the postgres.js pool */
  max?: number;
}

export async function openDatabase(opts: OpenOptions = {}): Promise<DbHandle> {
  const url = opts.url ?? process.env.DATABASE_URL;
  if (url) return openPostgres(url, opts.max ?? 10);
  return openPglite(opts.dataDir ?? process.env.DRP_DATA_DIR ?? resolve("data/pglite"));
}

async function openPostgres(url: string, max: number): Promise<DbHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const client = postgres(url, {
    max,
    onnotice: () => {},
    connection: { application_name: "drp-monitor" },
    // a database that is away answers quickly: a request gets its 503 rather than hanging for postgres.js's 30 s
    connect_timeout: Number(process.env.DATABASE_CONNECT_TIMEOUT_S ?? 5),
  });
  const db = drizzle(client, { schema });
  const u = new URL(url);
  return {
    db: db as unknown as Database,
    kind: "postgres",
    where: `postgres://${u.hostname}:${u.port || 5432}${u.pathname}`,
    migrate: () => migrate(db, { migrationsFolder: MIGRATIONS_DIR }),
    ping: async () => void (await client`select 1`),
    close: () => client.end({ timeout: 5 }),
  };
}

/** Shared buffers for a small install: 16 MB, not the 128 MB initdb sizes for a server (see openPglite). */
const SMALL = ["-c", "shared_buffers=16MB"];

/** The build's empty database (src/prebuilt.ts), named by the PGlite version that made it. */
export function emptyDatabaseFile(): string {
  const main = createRequire(import.meta.url).resolve("@electric-sql/pglite"); // <package>/dist/index.cjs
  const { version } = JSON.parse(readFileSync(join(dirname(dirname(main)), "package.json"), "utf8"));
  return appPath("dist", `pglite-empty-${version}.tar.gz`);
}

/** Runs initdb once, for the build, and keeps the result. */
export async function writeEmptyDatabase(): Promise<void> {
  const { PGlite } = await import("@electric-sql/pglite");
  const pg = await PGlite.create("memory://", { startParams: [...PGlite.defaultStartParams, ...SMALL] });
  const dump = await pg.dumpDataDir("gzip");
  await pg.close();
  const file = emptyDatabaseFile();
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  chmodSync(file, 0o644); // part of the build, read by whoever runs the app
}

async function openPglite(dataDir: string): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const memory = dataDir.startsWith("memory://");
  if (!memory) mkdirSync(dataDir, { recursive: true });
  // a new folder starts from the build's empty database rather than from initdb
  const empty = emptyDatabaseFile();
  const fresh = !memory && !existsSync(join(dataDir, "PG_VERSION")) && existsSync(empty);
  // A small install's database: small shared buffers keep the embedded default's
  // memory low. (npm start also runs node with --liftoff-only: V8's optimised code
  // for PostgreSQL's WebAssembly would otherwise take some 200 MB, for no speed
  // this workload notices.)
  const client = await PGlite.create(dataDir, {
    startParams: [...PGlite.defaultStartParams, ...SMALL],
    ...(fresh ? { loadDataDir: new Blob([readFileSync(empty)]) } : {}),
  });
  const db = drizzle(client, { schema });
  return {
    db: db as unknown as Database,
    kind: "pglite",
    where: `pglite:${dataDir}`,
    migrate: () => migrate(db, { migrationsFolder: MIGRATIONS_DIR }),
    ping: async () => void (await client.query("select 1")),
    close: () => client.close(),
  };
}
