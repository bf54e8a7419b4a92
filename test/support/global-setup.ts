// Starts the servers the integration tests need, once per run, unless the
// environment already gives them (DATABASE_URL).
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../src/db/client.ts";
import { type RunningServer, startPostgres } from "./servers.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

export const TEMPLATE_DB = "drp_template";

export default async function setup(project: TestProject) {
  const started: RunningServer[] = [];
  let admin = process.env.DATABASE_URL;
  if (!admin) {
    const pg = await startPostgres();
    started.push(pg);
    admin = pg.url;
  }
  // A migrated template that each test file clones: CREATE DATABASE … TEMPLATE is fast.
  const { default: postgres } = await import("postgres");
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  await sql.unsafe(`CREATE DATABASE ${TEMPLATE_DB}`);
  await sql.end();
  const u = new URL(admin);
  u.pathname = `/${TEMPLATE_DB}`;
  const tpl = await openDatabase({ url: u.toString(), max: 1 });
  await tpl.migrate();
  await tpl.close();
  project.provide("pgAdminUrl", admin);
  return async () => {
    for (const s of started) await s.stop();
  };
}
