// The audit's defects, each reproduced as it was found, on the real app and a
// real PostgreSQL: a step applied twice, prototype names as roles, personal
// data in logs, 500s that belonged to 400s, one authority disturbing
// another's steps, an empty directory, and lines injected through names.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { raiseBody, type TestApp, testApp } from "../support/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await testApp("2026-11-23T10:00:00Z");
});
afterAll(async () => t?.close());

const raise = async (authority: string, over: Record<string, unknown> = {}) => {
  const r = await t.call(authority, "POST", "/disputes", raiseBody(over));
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; version: number; stage: number };
};

describe("1. a step is applied once", () => {
  it("20 simultaneous escalations without a version escalate exactly once, 30 times over", async () => {
    for (let trial = 0; trial < 30; trial++) {
      const d = await raise("birmingham", { childRef: `DBL-${trial}` });
      const answers = await Promise.all(Array.from({ length: 20 }, () => t.call("birmingham", "POST", `/disputes/${d.id}/escalate`, {})));
      expect(
        answers.filter((a) => a.status === 200),
        `trial ${trial}`,
      ).toHaveLength(1);
      for (const a of answers) if (a.status !== 200) expect(a.body.error).toBe("concurrent_step");
      const after = await t.call("birmingham", "GET", `/disputes/${d.id}`);
      expect(after.body.stage).toBe(2);
      expect(after.body.timeline.filter((e: { type: string }) => e.type === "escalated")).toHaveLength(1);
    }
  }, 120_000);

  it("20 simultaneous backdated escalations (the same `at`, or each its own) escalate exactly once, 20 times over", async () => {
    for (let trial = 0; trial < 20; trial++) {
      const d = await raise("birmingham", { childRef: `BACK-${trial}`, at: "2026-11-02T10:00:00Z" });
      const at = (i: number) => new Date(Date.parse("2026-11-16T17:00:00Z") + (trial % 2 ? i * 1000 : 0)).toISOString();
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => t.call("birmingham", "POST", `/disputes/${d.id}/escalate`, { at: at(i) })),
      );
      expect(
        answers.filter((a) => a.status === 200),
        `trial ${trial}`,
      ).toHaveLength(1);
      for (const a of answers) if (a.status !== 200) expect(a.body.error, JSON.stringify(a.body)).toBe("concurrent_step");
      const after = await t.call("birmingham", "GET", `/disputes/${d.id}`);
      expect(after.body.timeline.filter((e: { type: string }) => e.type === "escalated")).toHaveLength(1);
    }
  }, 120_000);

  it("20 simultaneous steps of every kind (escalate, extend, resolve, withdraw, respond; backdated or not) apply exactly one, 20 times over", async () => {
    const kinds = [
      ["escalate", {}],
      ["extend", { workingDays: 1 }],
      ["resolve", {}],
      ["withdraw", {}],
      ["responses", {}],
      ["escalate", { at: "2026-11-16T17:00:00Z" }],
      ["extend", { workingDays: 2, at: "2026-11-12T10:00:00Z" }],
      ["resolve", { at: "2026-11-13T10:00:00Z" }],
    ] as const;
    for (let trial = 0; trial < 20; trial++) {
      const d = await raise("birmingham", { childRef: `MIX-${trial}`, at: "2026-11-02T10:00:00Z" });
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => {
          const [path, body] = kinds[(i + trial) % kinds.length]!;
          return t.call("birmingham", "POST", `/disputes/${d.id}/${path}`, body);
        }),
      );
      expect(
        answers.filter((a) => a.status === 200),
        `trial ${trial}`,
      ).toHaveLength(1);
      const after = await t.call("birmingham", "GET", `/disputes/${d.id}`);
      expect(after.body.version).toBe(2);
    }
  }, 120_000);

  it("20 simultaneous steps naming the same version: one applies, the others are told the version has moved on", async () => {
    const d = await raise("birmingham", { childRef: "VER-1", at: "2026-11-02T10:00:00Z" });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.call("birmingham", "POST", `/disputes/${d.id}/${i % 2 ? "extend" : "escalate"}`, {
          workingDays: i % 2 ? 1 : undefined,
          version: 1,
        }),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.body.error === "version_mismatch")).toHaveLength(19);
  });

  it("20 simultaneous steps each naming a distinct version apply each on its own version, never on another", async () => {
    const d = await raise("birmingham", { childRef: "VER-2", at: "2026-11-02T10:00:00Z" });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.call("birmingham", "POST", `/disputes/${d.id}/extend`, { workingDays: 1, version: i + 1 })),
    );
    const applied = answers.filter((a) => a.status === 200);
    const after = await t.call("birmingham", "GET", `/disputes/${d.id}`);
    // as many extensions as answers said so, and the version moved on by exactly that many
    expect(after.body.version).toBe(1 + applied.length);
    expect(after.body.timeline.filter((e: { type: string }) => e.type === "extension_agreed")).toHaveLength(applied.length);
    for (const a of answers) if (a.status !== 200) expect(a.body.error).toMatch(/version_mismatch|extension_limit/);
  });

  it("lets one client take steps one after another, each after the last answer, backdated or not", async () => {
    const d = await raise("birmingham", { childRef: "SEQ-1", at: "2026-11-02T10:00:00Z" });
    for (const [path, body] of [
      ["responses", { at: "2026-11-10T10:00:00Z" }],
      ["escalate", { at: "2026-11-16T17:00:00Z" }],
      ["extend", { workingDays: 1 }],
      ["escalate", {}],
    ] as const) {
      const r = await t.call("birmingham", "POST", `/disputes/${d.id}/${path}`, body);
      expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(200);
    }
  });

  it("gives the same answer to the same Idempotency-Key, and applies the step once", async () => {
    const d = await raise("birmingham", { childRef: "IDEM-1" });
    const headers = { "idempotency-key": "esc-IDEM-1-a" };
    const first = await t.call("birmingham", "POST", `/disputes/${d.id}/escalate`, { version: d.version }, headers);
    const again = await t.call("birmingham", "POST", `/disputes/${d.id}/escalate`, { version: d.version }, headers);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await t.call("birmingham", "GET", `/disputes/${d.id}`)).body.stage).toBe(2);
    // the same key for a different request is refused
    const other = await t.call("birmingham", "POST", `/disputes/${d.id}/resolve`, {}, headers);
    expect(other.status).toBe(409);
    expect(other.body.error).toBe("idempotency_key_reused");
    // a refusal is remembered too: the same answer, not a second attempt
    const past = await t.call("birmingham", "POST", `/disputes/${d.id}/escalate`, { toStage: 9 }, { "idempotency-key": "esc-IDEM-1-b" });
    const pastAgain = await t.call(
      "birmingham",
      "POST",
      `/disputes/${d.id}/escalate`,
      { toStage: 9 },
      { "idempotency-key": "esc-IDEM-1-b" },
    );
    expect(pastAgain).toMatchObject({ status: past.status, body: past.body });
  });

  it("raises once for one Idempotency-Key, however often it is sent", async () => {
    const body = raiseBody({ childRef: "IDEM-RAISE" });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => t.call("birmingham", "POST", "/disputes", body, { "idempotency-key": "raise-IDEM-RAISE" })),
    );
    const created = answers.filter((a) => a.status === 201);
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
    for (const a of answers) expect([201, 409]).toContain(a.status);
    const list = await t.call("birmingham", "GET", "/disputes?limit=1000");
    expect(list.body.disputes.filter((x: { childRef: string }) => x.childRef === "IDEM-RAISE")).toHaveLength(1);
  });
});

describe("2. prototype names are names", () => {
  it("refuses a directory role named constructor, and the directory keeps working", async () => {
    const dir = (await t.call("wf", "GET", "/directory")).body;
    const put = await t.call("wf", "PUT", "/directory", { ...dir, roles: { ...dir.roles, constructor: [dir.people[0].id] } });
    expect(put.status).toBe(400);
    expect(put.body.issues.map((i: { field: string }) => i.field)).toContain("roles.constructor");
    expect((await t.call("wf", "GET", "/directory")).status).toBe(200);
    expect((await t.call("wf", "POST", "/disputes", raiseBody({ team: "cic-1", stage: 2, categories: ["permanence_drift"] }))).status).toBe(
      201,
    );
  });

  it("answers a look-up of toString, constructor, valueOf, hasOwnProperty or __proto__ without a 500", async () => {
    for (const role of ["toString", "constructor", "valueOf", "hasOwnProperty", "__proto__"]) {
      const r = await t.call("birmingham", "GET", `/directory/resolve?team=cla-north&role=${role}`);
      expect(r.status, role).toBeLessThan(500);
      expect(r.body.people ?? [], role).toEqual([]);
    }
    for (const team of ["constructor", "__proto__"]) {
      expect((await t.call("birmingham", "GET", `/directory/resolve?team=${team}&role=team_manager`)).status).toBeLessThan(500);
    }
  });
});

describe("3. no personal data in logs", () => {
  it("logs a failed query by its code only: no case reference, name, email or summary", async () => {
    const marker = { child: "LOGLEAK-CHILD-91", name: "Logleak Person", email: "logleak@example.org", summary: "LOGLEAK SUMMARY TEXT" };
    const { disputes } = await import("../../src/db/schema.ts");
    const before = t.logs.length;
    // a query that fails in PostgreSQL with personal data among its parameters
    await expect(
      t.svc.db.insert(disputes).values({
        authorityId: "birmingham",
        reference: "X",
        procedure: "iro",
        childRef: marker.child,
        raisedByName: marker.name,
        raisedByEmail: marker.email,
        raisedByRole: "iro",
        teamId: "t",
        serviceId: "s",
        categories: [],
        summary: marker.summary,
        stage: 1,
        status: "open",
        awaiting: "response",
        raisedAt: new Date("not a date"),
      }),
    ).rejects.toThrow();
    const { safeError, safeMessage } = await import("../../src/safe-error.ts");
    let caught: unknown;
    try {
      await t.svc.db.execute((await import("drizzle-orm")).sql`select ${marker.child}::int`);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeDefined();
    const said = JSON.stringify(safeError(caught)) + safeMessage(caught);
    for (const m of Object.values(marker)) expect(said).not.toContain(m);
    expect(said).toMatch(/SQLSTATE 22P02/);
    // and through the API: a dispute whose text PostgreSQL refuses is a 400, logged without the text
    const r = await t.call("birmingham", "POST", "/disputes", raiseBody({ childRef: marker.child, summary: `${marker.summary}\u0000` }));
    expect(r.status).toBe(400);
    for (const line of t.logs.slice(before)) for (const m of Object.values(marker)) expect(line).not.toContain(m);
  });
});

describe("4. bad input is 400, not 500", () => {
  it("refuses NUL in any text field and lone surrogates in notes", async () => {
    for (const over of [
      { summary: "a\u0000b" },
      { childRef: "A\u0000" },
      { raisedBy: { name: "I\u0000", email: "i@example.org", role: "iro" } },
      { otherCategory: "x\u0000" },
    ]) {
      const r = await t.call("birmingham", "POST", "/disputes", raiseBody(over));
      expect(r.status, JSON.stringify(over)).toBe(400);
    }
    const d = await raise("birmingham", { childRef: "SURR-1" });
    for (const [path, body] of [
      ["responses", { note: "\ud800" }],
      ["resolve", { outcome: "x\udc00y" }],
      ["withdraw", { reason: "\ud800" }],
    ] as const) {
      const r = await t.call("birmingham", "POST", `/disputes/${d.id}/${path}`, body);
      expect(r.status, path).toBe(400);
    }
  });

  it("refuses dates the calendar cannot answer for, and an extension of 260 working days past the overall limit", async () => {
    expect((await t.call("birmingham", "POST", "/disputes", raiseBody({ at: "1999-12-31T10:00:00Z" }))).status).toBe(400);
    const d = await raise("wf", { childRef: "EXT-1", team: "cic-1", stage: 2, categories: ["permanence_drift"] });
    for (const until of ["2051-01-01", "1999-01-01"]) {
      const r = await t.call("wf", "POST", `/disputes/${d.id}/extend`, { until });
      expect(r.status, until).toBe(400);
    }
    // WF's 20 working days in total (§2.1) do not move: refused as a conflict with the limit, not a 500
    const r = await t.call("wf", "POST", `/disputes/${d.id}/extend`, { workingDays: 260, version: 1 });
    expect(r.status).toBe(409);
    expect(r.body.error).toBe("past_overall_limit");
    expect(r.body.message).toMatch(/after the overall limit of 20 working days/);
  });

  it("answers an unknown stage with 400 naming the field, and each bad field at once", async () => {
    const r = await t.call("birmingham", "POST", "/disputes", raiseBody({ stage: 9 }));
    expect(r.status).toBe(400);
    expect(r.body.issues[0].field).toBe("stage");
    const many = await t.call("birmingham", "POST", "/disputes", raiseBody({ team: "nowhere", categories: ["nonsense"] }));
    expect(many.status).toBe(400);
    expect(many.body.issues.map((i: { field: string }) => i.field)).toEqual(["team", "categories[0]"]);
    const future = await t.call("birmingham", "POST", "/disputes", raiseBody({ at: "2030-01-01T10:00:00Z" }));
    expect(future.body.issues[0]).toEqual({ field: "at", message: "must not be in the future" });
  });

  it("takes concurrent replacements of one directory in turn", async () => {
    const dir = (await t.call("newham", "GET", "/directory")).body;
    const answers = await Promise.all(Array.from({ length: 8 }, () => t.call("newham", "PUT", "/directory", dir)));
    for (const a of answers) expect(a.status).toBe(200);
  });
});

describe("5. one authority cannot disturb another's steps", () => {
  it("lets the owner's steps through while another authority sends steps for the same id", async () => {
    const refused = { conflict: 0 };
    for (let i = 0; i < 20; i++) {
      const d = await raise("newham", { childRef: `SPAM-${i}`, team: "cla-a", categories: ["placement"] });
      const spam = Array.from({ length: 5 }, () => t.call("birmingham", "POST", `/disputes/${d.id}/escalate`, {}));
      const [mine, ...theirs] = await Promise.all([t.call("newham", "POST", `/disputes/${d.id}/responses`, {}), ...spam]);
      if (mine.status === 409) refused.conflict += 1;
      for (const r of theirs) expect(r.status).toBe(404);
    }
    expect(refused.conflict).toBe(0);
  });
});

describe("6. a directory without people", () => {
  it("is refused, and the directory kept", async () => {
    const before = (await t.call("national", "GET", "/directory")).body;
    for (const body of [{}, "   "]) {
      const r = await t.call("national", "PUT", "/directory", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    expect((await t.call("national", "GET", "/directory")).body).toEqual(before);
  });
});

describe("7. names are one line", () => {
  it("refuses CR or LF in a name, so that nothing can add a line to an email", async () => {
    const r = await t.call(
      "birmingham",
      "POST",
      "/disputes",
      raiseBody({ raisedBy: { name: "Ivy\r\nSubject: hijacked", email: "ivy@example.org", role: "iro" } }),
    );
    expect(r.status).toBe(400);
    expect(r.body.issues[0].field).toBe("raisedBy.name");
    const d = await raise("birmingham", { childRef: "CRLF-1" });
    const step = await t.call("birmingham", "POST", `/disputes/${d.id}/responses`, { by: { name: "A\nB", email: "a@example.org" } });
    expect(step.status).toBe(400);
    const dir = (await t.call("birmingham", "GET", "/directory")).body;
    dir.people[0].name = "Tessa\nSubject: hijacked";
    expect((await t.call("birmingham", "PUT", "/directory", dir)).status).toBe(400);
  });

  it("refuses line and paragraph separators, NEL, direction and zero-width characters and lone surrogates, in names, references and the directory", async () => {
    const dir = (await t.call("birmingham", "GET", "/directory")).body;
    for (const c of ["\u2028", "\u2029", "\u0085", "\u202e", "\u2066", "\u200b", "\u200d", "\ufeff", "\udfff"]) {
      const what = JSON.stringify(c);
      const raised = await t.call(
        "birmingham",
        "POST",
        "/disputes",
        raiseBody({ raisedBy: { name: `Ivy${c}Subject: x`, email: "ivy@example.org", role: "iro" } }),
      );
      expect(raised.status, what).toBe(400);
      expect(raised.body.issues[0].field, what).toBe("raisedBy.name");
      expect((await t.call("birmingham", "POST", "/disputes", raiseBody({ team: `cla${c}north` }))).status, what).toBe(400);
      const bad = structuredClone(dir);
      bad.people[0].name = `Tessa${c}Subject: x`;
      expect((await t.call("birmingham", "PUT", "/directory", bad)).status, what).toBe(400);
    }
    expect((await t.call("birmingham", "GET", "/directory")).body).toEqual(dir);
  });
});

describe("minor", () => {
  it("bounds a requested action's date to the calendar's years", async () => {
    for (const by of ["1900-01-01", "2099-01-01"]) {
      const r = await t.call("birmingham", "POST", "/disputes", raiseBody({ requestedActions: [{ action: "x", by }] }));
      expect(r.status, by).toBe(400);
    }
  });
});

describe("9. a slow body", () => {
  it("is cut off after the request timeout, not held open", async () => {
    const { buildApp } = await import("../../src/http/app.ts");
    const { connect } = await import("node:net");
    const app = await buildApp(t.svc, { requestTimeoutMs: 1_000 });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as { port: number };
    try {
      const started = Date.now();
      const closedAfter = await new Promise<number>((resolve, reject) => {
        const socket = connect(port, "127.0.0.1", () => {
          socket.write(
            `POST /disputes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.keys.birmingham}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":"123"`,
          );
        });
        socket.on("data", () => {});
        socket.on("close", () => resolve(Date.now() - started));
        socket.on("error", () => resolve(Date.now() - started));
        setTimeout(() => reject(new Error("still open after 10 s")), 10_000);
      });
      expect(closedAfter).toBeLessThan(5_000);
    } finally {
      await app.close();
    }
  });
});
