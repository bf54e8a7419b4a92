// One database handle for the whole process: PostgreSQL through postgres.js
// when DATABASE_URL is set, otherwise an embedded PGlite persisted under
// ./data, so that `npm start` needs nothing installed. Same schema, same
// migrations, same queries.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as schema from "./schema.js";
export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../drizzle");
export async function openDatabase(opts = {}) {
    const url = opts.url ?? process.env.DATABASE_URL;
    if (url)
        return openPostgres(url, opts.max ?? 10);
    return openPglite(opts.dataDir ?? process.env.DRP_DATA_DIR ?? resolve("data/pglite"));
}
async function openPostgres(url, max) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    const client = postgres(url, {
        max,
        onnotice: () => { },
        connection: { application_name: "drp-monitor" },
        // a database that is away answers quickly: a request gets its 503 rather than hanging for postgres.js's 30 s
        connect_timeout: Number(process.env.DATABASE_CONNECT_TIMEOUT_S ?? 5),
    });
    const db = drizzle(client, { schema });
    const u = new URL(url);
    return {
        db: db,
        kind: "postgres",
        where: `postgres://${u.hostname}:${u.port || 5432}${u.pathname}`,
        migrate: () => migrate(db, { migrationsFolder: MIGRATIONS_DIR }),
        ping: async () => void (await client `select 1`),
        close: () => client.end({ timeout: 5 }),
    };
}
async function openPglite(dataDir) {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    if (!dataDir.startsWith("memory://"))
        mkdirSync(dataDir, { recursive: true });
    const client = await PGlite.create(dataDir);
    const db = drizzle(client, { schema });
    return {
        db: db,
        kind: "pglite",
        where: `pglite:${dataDir}`,
        migrate: () => migrate(db, { migrationsFolder: MIGRATIONS_DIR }),
        ping: async () => void (await client.query("select 1")),
        close: () => client.close(),
    };
}
//# sourceMappingURL=client.js.map