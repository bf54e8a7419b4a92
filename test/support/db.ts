// A fresh, migrated PostgreSQL database for one test file.
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { type DbHandle, openDatabase } from "../../src/db/client.ts";

export async function freshDatabase(): Promise<DbHandle & { url: string }> {
  const admin = inject("pgAdminUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const { default: postgres } = await import("postgres");
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`CREATE DATABASE ${name} TEMPLATE drp_template`);
  await sql.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const handle = await openDatabase({ url: u.toString(), max: 20 });
  return { ...handle, url: u.toString() };
}
