// Replacing a directory on a real PostgreSQL: an import that would take from
// open disputes the team or the people they have now is refused with the list
// (or forced, or tried as a dry run); a very large one goes in batches; and a
// read while imports run is always one whole directory, never half of two.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoDirectory, raiseBody, type TestApp, testApp } from "../support/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await testApp("2026-11-23T10:00:00Z");
  // an open Birmingham dispute in team cla-north
  expect((await t.call("birmingham", "POST", "/disputes", raiseBody())).status).toBe(201);
});
afterAll(async () => t?.close());

const onePerson = { people: [{ id: "x", name: "X Example", email: "x@birmingham.example.org" }], services: [], teams: [], roles: {} };

describe("a directory that would drop what open disputes have", () => {
  it("is refused with what would be lost, and the directory is kept", async () => {
    const before = (await t.call("birmingham", "GET", "/directory")).body;
    const r = await t.call("birmingham", "PUT", "/directory", onePerson);
    expect(r.status).toBe(409);
    expect(r.body.error).toBe("directory_would_drop_roles");
    expect(r.body.losses).toContainEqual(
      expect.objectContaining({ team: "cla-north", disputes: [expect.stringMatching(/^BIR-2026-\d{4}$/)] }),
    );
    expect(r.body.message).toMatch(/team cla-north would be removed/);
    expect((await t.call("birmingham", "GET", "/directory")).body).toEqual(before);
  });

  it("names a role nobody would hold for an open dispute's team, with who holds it now", async () => {
    const dir = structuredClone(demoDirectory("birmingham")) as { teams: { id: string; roles: Record<string, unknown> }[] };
    delete dir.teams.find((x) => x.id === "cla-north")!.roles.team_manager;
    const r = await t.call("birmingham", "PUT", "/directory", dir);
    expect(r.status).toBe(409);
    expect(r.body.losses).toEqual([expect.objectContaining({ team: "cla-north", role: "team_manager", heldBy: ["tm-north"] })]);
  });

  it("with dryRun, says what would change and what would be lost, and changes nothing", async () => {
    const before = (await t.call("birmingham", "GET", "/directory")).body;
    const r = await t.call("birmingham", "PUT", "/directory?dryRun=true", onePerson);
    expect(r.status).toBe(200);
    expect(r.body.dryRun).toMatchObject({ dryRun: true, people: 1, changes: { people: { added: ["x"] } } });
    expect(r.body.dryRun.changes.teams.removed).toContain("cla-north");
    expect(r.body.dryRun.losses.length).toBeGreaterThan(0);
    expect((await t.call("birmingham", "GET", "/directory")).body).toEqual(before);
  });

  it("with force, replaces it and says what was lost", async () => {
    const r = await t.call("birmingham", "PUT", "/directory?force=true", onePerson);
    expect(r.status).toBe(200);
    expect(r.body.imported.forced.length).toBeGreaterThan(0);
    expect((await t.call("birmingham", "GET", "/directory")).body.people).toHaveLength(1);
    // put it back, for the tests after
    expect((await t.call("birmingham", "PUT", "/directory?force=true", demoDirectory("birmingham"))).status).toBe(200);
  });

  it("is taken at once when no open dispute loses anything", async () => {
    expect((await t.call("national", "PUT", "/directory", demoDirectory("national"))).status).toBe(200);
  });
});

describe("a large directory", () => {
  const large = (people: number, holders: number) => {
    const dir = structuredClone(demoDirectory("newham")) as {
      people: { id: string; name: string; email: string }[];
      roles: Record<string, string | string[]>;
    };
    for (let i = 0; i < people; i++) dir.people.push({ id: `p${i}`, name: `P ${i}`, email: `p${i}@n.example.org` });
    if (holders) dir.roles.iro_service_manager = Array.from({ length: holders }, (_, i) => `p${i}`);
    return dir;
  };

  it.each([
    [16_500, 0],
    [14_000, 14_000],
  ])(
    "of %i people and %i holders of one role is imported, in batches under PostgreSQL's parameter limit",
    async (people, holders) => {
      const dir = large(people, holders);
      const r = await t.call("newham", "PUT", "/directory", dir);
      expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
      expect(r.body.imported.people).toBe(dir.people.length);
      const back = (await t.call("newham", "GET", "/directory")).body;
      expect(back.people).toHaveLength(dir.people.length);
      if (holders) expect(back.roles.iro_service_manager).toHaveLength(holders);
    },
    60_000,
  );
});

describe("reading the directory while it is replaced", () => {
  it("always gives one whole directory: every role holder is a person of the same read", async () => {
    const { loadDirectory } = await import("../../src/db/queries/directory.ts");
    const { importDirectory, parseDirectory } = await import("../../src/service/directory.ts");
    // two versions of WF's directory whose people have different ids
    const a = demoDirectory("wf") as {
      people: { id: string }[];
      teams: { roles: Record<string, string | string[]> }[];
      services: { roles: Record<string, string | string[]> }[];
      roles: Record<string, string | string[]>;
    };
    const b = JSON.parse(JSON.stringify(a).replace(/"id":"([a-z][\w.-]*)"/g, '"id":"$1"')) as typeof a;
    const rename = (id: string) => `v2-${id}`;
    const ids = new Set(b.people.map((p) => p.id));
    const swap = (roles: Record<string, string | string[]>) => {
      for (const [k, v] of Object.entries(roles)) roles[k] = [v].flat().map((x) => (ids.has(x) ? rename(x) : x));
    };
    for (const p of b.people) p.id = rename(p.id);
    for (const x of [...b.teams, ...b.services]) swap(x.roles);
    swap(b.roles);
    let importing = true;
    const imports = (async () => {
      for (let i = 0; i < 30; i++) await importDirectory(t.svc, parseDirectory(t.svc, i % 2 ? a : b), { force: true });
      importing = false;
    })();
    let reads = 0;
    while (importing) {
      const dir = await loadDirectory(t.svc.db, "wf");
      const holders = [...dir.teams.values(), ...dir.services.values()].flatMap((x) => Object.values(x.roles).flat());
      for (const id of [...holders, ...Object.values(dir.roles).flat()]) expect(dir.people.has(id), id).toBe(true);
      expect(dir.people.size).toBeGreaterThan(0);
      reads += 1;
    }
    await imports;
    expect(reads).toBeGreaterThan(5);
  }, 60_000);
});
