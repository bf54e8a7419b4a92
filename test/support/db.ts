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

/** A dispute row with placeholder fields, for tests of the schema and the store rather than of a procedure. */
export async function insertBareDispute(db: DbHandle["db"], over: { reference: string; raisedAt?: Date }) {
  const { disputes } = await import("../../src/db/schema.ts");
  const [d] = await db
    .insert(disputes)
    .values({
      authorityId: "birmingham",
      reference: over.reference,
      procedure: "iro",
      childRef: "C1",
      raisedByName: "I",
      raisedByEmail: "i@example.org",
      raisedByRole: "iro",
      teamId: "t",
      serviceId: "s",
      categories: ["other"],
      summary: "x",
      stage: 1,
      status: "open",
      awaiting: "response",
      raisedAt: over.raisedAt ?? new Date(),
    })
    .returning();
  return d!;
}
