// An API on a fresh PostgreSQL database, with the demo directories loaded, a
// key per authority, a clock the test controls and the log lines captured.
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { parseDocument } from "yaml";
import { fixedClock } from "../../src/clock.ts";
import { authorities } from "../../src/config/authorities.ts";
import { buildApp } from "../../src/http/app.ts";
import { createLogger } from "../../src/log.ts";
import type { Services } from "../../src/service/context.ts";
import { importDirectory, parseDirectory } from "../../src/service/directory.ts";
import { createKey } from "../../src/service/keys.ts";
import { freshDatabase } from "./db.ts";

export const AUTHORITY_IDS = ["birmingham", "gloucestershire", "wf", "newham", "national"] as const;

export function demoDirectory(id: string): unknown {
  return parseDocument(readFileSync(new URL(`../../demo/directories/${id}.yaml`, import.meta.url), "utf8")).toJS();
}

export async function testApp(start = "2026-11-23T10:00:00Z") {
  const handle = await freshDatabase();
  const logs: string[] = [];
  const log = createLogger({ level: "debug", destination: { write: (line: string) => void logs.push(line) } });
  const clock = fixedClock(start);
  const svc: Services = { db: handle.db, authorities: authorities(), clock, log };
  const keys: Record<string, string> = {};
  for (const id of AUTHORITY_IDS) {
    await importDirectory(svc, parseDirectory(svc, demoDirectory(id)));
    keys[id] = (await createKey(svc, id, "tests")).key;
  }
  const app: FastifyInstance = await buildApp(svc, { ping: handle.ping });
  const call = async (
    authority: string | null,
    method: "GET" | "POST" | "PUT" | "PATCH",
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await app.inject({
      method,
      url,
      headers: {
        ...(authority ? { authorization: `Bearer ${keys[authority]}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      payload: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    let json: any;
    try {
      json = res.json();
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, body: json, headers: res.headers };
  };
  return {
    app,
    svc,
    clock,
    keys,
    logs,
    handle,
    call,
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof testApp>>;

export function raiseBody(over: Record<string, unknown> = {}) {
  return {
    procedure: "iro",
    childRef: "CASE-0001",
    raisedBy: { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" },
    team: "cla-north",
    stage: 1,
    categories: ["care_plan_drift"],
    summary: "Permanence plan has drifted for six months; no family finding started.",
    ...over,
  };
}
