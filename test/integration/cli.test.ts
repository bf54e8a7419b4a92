// The CLI on a real PostgreSQL: the same service layer as the API.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../src/db/client.ts";
import { drp } from "../support/cli.ts";
import { freshDatabase } from "../support/db.ts";

let h: DbHandle & { url: string };
const dir = mkdtempSync(join(tmpdir(), "drp-cli-"));

beforeAll(async () => {
  h = await freshDatabase();
  process.env.DATABASE_URL = h.url;
  process.env.DRP_NOW = "2026-11-23T10:00:00Z";
});
afterAll(async () => {
  delete process.env.DATABASE_URL;
  await h?.close();
});

describe("drp keys, directory and disputes", () => {
  it("creates a key, printed once as JSON", async () => {
    const r = await drp("keys", "create", "--authority", "birmingham", "--json");
    expect(r.code).toBe(0);
    expect(r.json().key).toMatch(/^drp_[A-Za-z0-9_-]{43}$/);
  });

  it("lists an authority's keys by prefix, and revokes one so that it stops working at once", async () => {
    const { key } = (await drp("keys", "create", "--authority", "wf", "--label", "case system", "--json")).json();
    const listed = (await drp("keys", "list", "--authority", "wf", "--json")).json().keys;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ prefix: key.slice(0, 12), label: "case system", revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(key);
    const { authenticate } = await import("../../src/service/keys.ts");
    const { authorities } = await import("../../src/config/authorities.ts");
    const { createLogger } = await import("../../src/log.ts");
    const { systemClock } = await import("../../src/clock.ts");
    const svc = { db: h.db, authorities: authorities(), clock: systemClock(), log: createLogger({ destination: { write: () => {} } }) };
    expect(await authenticate(svc, key)).toBe("wf");
    const revoked = await drp("keys", "revoke", key.slice(0, 12), "--json");
    expect(revoked.code).toBe(0);
    expect(revoked.json().key.revokedAt).not.toBeNull();
    expect(await authenticate(svc, key)).toBeUndefined();
    expect((await drp("keys", "revoke", key.slice(0, 12))).code).toBe(1); // no live key with that prefix now
    expect((await drp("keys", "revoke", "nonsense")).code).toBe(2);
  });

  it("imports a directory and runs a dispute through raise, respond, escalate, extend, consult, refer and show", async () => {
    expect((await drp("directory", "import", "demo/directories/birmingham.yaml")).out).toMatch(
      /birmingham: directory replaced — 13 people/,
    );
    const raised = await drp(
      "disputes",
      "raise",
      "--authority",
      "birmingham",
      "--child-ref",
      "ECL-555",
      "--raised-by-name",
      "Ivy Reviewer",
      "--raised-by-email",
      "ivy@example.org",
      "--team",
      "cla-north",
      "--stage",
      "1",
      "--category",
      "care_plan_drift",
      "--summary",
      "Drift in the permanence plan",
      "--at",
      "2026-11-02T10:00:00Z",
      "--json",
    );
    expect(raised.code, raised.err).toBe(0);
    const d = raised.json();
    expect(d).toMatchObject({ stage: 1, status: "open", respondBy: "2026-11-16" });
    const id = d.id as string;
    expect(
      (await drp("disputes", "respond", id, "--authority", "birmingham", "--at", "2026-11-10T10:00:00Z", "--json")).json(),
    ).toMatchObject({ awaiting: "decision" });
    expect(
      (await drp("disputes", "escalate", id, "--authority", "birmingham", "--at", "2026-11-16T17:00:00Z", "--json")).json(),
    ).toMatchObject({ stage: 2, respondBy: "2026-11-19" });
    // each command starts its clock at DRP_NOW afresh: steps without --at could be dated out of order
    const at = (minute: number) => ["--at", `2026-11-23T09:0${minute}:00Z`];
    expect(
      (await drp("disputes", "extend", id, "--authority", "birmingham", "--working-days", "1", ...at(1), "--json")).json(),
    ).toMatchObject({
      respondBy: "2026-11-20",
    });
    expect((await drp("disputes", "consult", id, "--authority", "birmingham", ...at(2), "--json")).code).toBe(0);
    expect((await drp("disputes", "refer", id, "--authority", "birmingham", ...at(3), "--json")).json()).toMatchObject({ status: "open" }); // before the last stage
    const shown = await drp("disputes", "show", id, "--authority", "birmingham", "--json");
    expect(shown.json().timeline.map((e: { type: string }) => e.type)).toEqual([
      "raised",
      "response_recorded",
      "escalated",
      "extension_agreed",
      "cafcass_consulted",
      "referred_to_cafcass",
    ]);
    const list = await drp("disputes", "list", "--authority", "birmingham", "--status", "open", "--json");
    expect(list.json().disputes.map((x: { id: string }) => x.id)).toContain(id);
    // a refusal says why and exits non-zero
    const past = await drp("disputes", "escalate", id, "--authority", "birmingham", "--to-stage", "1", ...at(4));
    expect(past.code).toBe(1);
    expect(past.err).toMatch(/escalation must be to a later stage/);
    expect((await drp("disputes", "withdraw", id, "--authority", "birmingham", ...at(5), "--json")).json()).toMatchObject({
      status: "withdrawn",
    });
    expect((await drp("disputes", "resolve", id, "--authority", "birmingham")).code).toBe(1);
    // another authority cannot see it
    expect((await drp("disputes", "show", id, "--authority", "newham")).err).toMatch(/no such dispute/);
  });

  it("raises a WF §1.6 concern as a team manager (the procedure's first instigator), naming the IRO concerned", async () => {
    expect((await drp("directory", "import", "demo/directories/wf.yaml")).code).toBe(0);
    const args = ["disputes", "raise", "--authority", "wf", "--procedure", "performance", "--child-ref", "ECL-1600", "--team", "cic-1"];
    const who = ["--raised-by-name", "Toby Manager", "--raised-by-email", "toby.manager@example.org"];
    const what = ["--stage", "1", "--category", "iro_cpc_performance", "--summary", "s", "--at", "2026-12-14T10:00:00Z"];
    process.env.DRP_NOW = "2027-01-04T10:00:00Z"; // after Christmas: the concern was raised before it
    const run = async () =>
      [await drp(...args, ...who, ...what, "--concerning-name", "Iona Concerned", "--json"), await drp(...args, ...who, ...what)] as const;
    const [raised, unnamed] = await run().finally(() => {
      process.env.DRP_NOW = "2026-11-23T10:00:00Z";
    });
    expect(raised.code, raised.err).toBe(0);
    // 15 working days, not counting 25 and 28 December or 1 January
    expect(raised.json()).toMatchObject({
      respondBy: "2027-01-07",
      raisedBy: { role: "team_manager" },
      concerning: { name: "Iona Concerned", role: "iro" },
    });
    const shown = await drp("disputes", "show", raised.json().reference);
    expect(shown.out).toMatch(/Concerning: Iona Concerned \(IRO\)/);
    expect(unnamed.code).toBe(2);
    expect(unnamed.err).toMatch(/concerning/);
  });

  it("refuses bad input naming the field", async () => {
    const r = await drp(
      "disputes",
      "raise",
      "--authority",
      "birmingham",
      "--child-ref",
      "ECL-1",
      "--raised-by-name",
      "I",
      "--raised-by-email",
      "bad",
      "--team",
      "cla-north",
      "--stage",
      "1",
      "--category",
      "x",
      "--summary",
      "s",
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/raisedBy\.email/);
  });
});

describe("naming a dispute", () => {
  it("by its reference, with the authority inferred from its prefix", async () => {
    await drp("directory", "import", "demo/directories/national.yaml");
    const raised = await drp(
      "disputes",
      "raise",
      "--authority",
      "national",
      "--child-ref",
      "REF-1",
      "--raised-by-name",
      "Ivy",
      "--raised-by-email",
      "ivy@example.org",
      "--team",
      "cic-team",
      "--stage",
      "1",
      "--category",
      "other",
      "--summary",
      "x",
      "--json",
    );
    const { reference, id } = raised.json();
    const shown = await drp("disputes", "show", reference, "--json");
    expect(shown.code).toBe(0);
    expect(shown.json()).toMatchObject({ id, reference, authority: "national" });
    const responded = await drp("disputes", "respond", reference.toLowerCase(), "--at", "2026-11-23T10:00:30Z", "--json");
    expect(responded.json()).toMatchObject({ awaiting: "decision" });
    // an id still needs its authority
    expect((await drp("disputes", "show", id)).code).toBe(2);
    expect((await drp("disputes", "show", id, "--authority", "national", "--json")).json().id).toBe(id);
    expect((await drp("disputes", "show", "ZZZ-2026-0001")).code).toBe(1);
  });
});

describe("drp import-tracker", () => {
  const header =
    "authority,procedure,child_ref,raised_by_name,raised_by_email,raised_by_role,team,categories,summary,raised_at,raised_stage,timescale_working_days,current_stage,stage_entered_at,extended_until,response_recorded_at";
  const good = [
    "newham,iro,AZ-1,Ivy Example,ivy@example.org,iro,cla-a,placement;health,Placement concerns,2026-10-26,1,,2,2026-11-02,,",
    'newham,iro,AZ-2,Ivy Example,ivy@example.org,iro,cla-a,education,"School place, no tuition",2026-11-09,1,,,,2026-11-20,2026-11-13',
    "newham,cp,AZ-3,Cora Chair,cora@example.org,cp_chair,intervention-east,young_person_safety,Missing episodes,2026-11-16,1,,,,,",
  ];

  it("checks every row, imports all or nothing, and can be run again", async () => {
    expect((await drp("directory", "import", "demo/directories/newham.yaml")).code).toBe(0);
    const bad = join(dir, "bad.csv");
    writeFileSync(
      bad,
      [
        header,
        ...good,
        "newham,iro,AZ-4,Ivy,ivy@example.org,iro,no-such-team,placement,x,2026-11-16,1,,,,,",
        "newham,cp,AZ-5,Cora,cora@example.org,cp_chair,cla-a,young_person_safety,x,2026-11-02,4,,,,,",
      ].join("\n"),
    );
    const refused = await drp("import-tracker", bad, "--json");
    expect(refused.code).toBe(1);
    const report = refused.json();
    expect(report).toMatchObject({ rows: 5, imported: 0, abandoned: true });
    expect(report.rejected).toEqual([
      expect.objectContaining({ line: 5, field: "team" }),
      expect.objectContaining({ line: 6, field: "stage", reason: expect.stringMatching(/cannot start at stage 4/) }),
    ]);
    expect((await drp("disputes", "list", "--authority", "newham", "--json")).json().disputes).toHaveLength(0);

    const file = join(dir, "good.csv");
    writeFileSync(file, [header, ...good].join("\n"));
    const dry = (await drp("import-tracker", file, "--dry-run", "--json")).json();
    expect(dry).toMatchObject({ rows: 3, imported: 0, dryRun: true, rejected: [] });
    const done = (await drp("import-tracker", file, "--json")).json();
    expect(done).toMatchObject({ imported: 3 });
    const again = (await drp("import-tracker", file, "--json")).json();
    expect(again).toMatchObject({ imported: 0 });
    expect(again.skipped).toHaveLength(3);
    const listed = (await drp("disputes", "list", "--authority", "newham", "--json")).json().disputes;
    expect(listed.find((x: { childRef: string }) => x.childRef === "AZ-1")).toMatchObject({ stage: 2, respondBy: "2026-11-09" });
    expect(listed.find((x: { childRef: string }) => x.childRef === "AZ-2")).toMatchObject({ awaiting: "decision" });
  });
});
