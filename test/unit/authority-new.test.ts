// Adding an authority (README "Adding an authority"): a file from the national
// template with everything its emails need, and the running app reading it on
// SIGHUP — all the files or none.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_AUTHORITIES_DIR, loadAuthorities, loadAuthorityFile } from "../../src/config/authorities.ts";
import { prefixFor, writeNewAuthority } from "../../src/config/authority-template.ts";
import { reloadAuthorities } from "../../src/config/reload.ts";

const copyOfAuthorities = () => {
  const dir = mkdtempSync(join(tmpdir(), "drp-authorities-"));
  cpSync(DEFAULT_AUTHORITIES_DIR, dir, { recursive: true });
  return dir;
};

describe("drp authorities new <id> --from national", () => {
  it("writes a file that loads, marked OFFICIAL-SENSITIVE, with its own name, reference prefix and case-record link", () => {
    const dir = copyOfAuthorities();
    const { file, warnings } = writeNewAuthority({
      id: "north-yorkshire",
      name: "North Yorkshire Council",
      from: "national",
      caseRecordUrl: "https://records.northyorks.example/child/{childRef}",
      dir,
    });
    expect(warnings).toEqual([]);
    const a = loadAuthorityFile(file);
    expect(a).toMatchObject({
      id: "north-yorkshire",
      name: "North Yorkshire Council",
      documentName: "national standards", // until its stages cite its own document
      template: false,
      referencePrefix: "NY",
      protectiveMarking: "OFFICIAL-SENSITIVE",
      caseRecordUrl: "https://records.northyorks.example/child/{childRef}",
    });
    // the template's procedures, categories and comments come with it
    expect(Object.keys(a.procedures)).toEqual(["iro"]);
    expect(readFileSync(file, "utf8")).toMatch(/^# North Yorkshire Council: the dispute resolution procedure, from the national template/);
    expect(readFileSync(file, "utf8")).toContain("# IRO Handbook 8.12");
    // never over a file that is there
    expect(() => writeNewAuthority({ id: "north-yorkshire", name: "x", from: "national", dir })).toThrow(/already exists/);
    expect(() => writeNewAuthority({ id: "leeds", name: "Leeds", from: "nowhere", dir })).toThrow(/no template/);
  });

  it("says that the emails carry no case-record link until one is set, and refuses an id the app would refuse", () => {
    const dir = copyOfAuthorities();
    expect(writeNewAuthority({ id: "leeds", name: "Leeds City Council", from: "national", dir }).warnings).toEqual([
      expect.stringMatching(/no --case-record-url/),
    ]);
    expect(() => writeNewAuthority({ id: "Leeds!", name: "Leeds", from: "national", dir })).toThrow(/id/);
    expect(prefixFor("leeds")).toBe("LEEDS");
    expect(prefixFor("north-yorkshire")).toBe("NY");
    expect(prefixFor("x")).toBe("XX");
  });
});

describe("reloading the authority files", () => {
  it("adds a new authority and takes a changed one, into the map the app already holds", () => {
    const dir = copyOfAuthorities();
    const current = loadAuthorities(dir).authorities;
    const held = current; // what the services hold
    writeNewAuthority({ id: "leeds", name: "Leeds City Council", from: "national", dir });
    const wf = join(dir, "wf.yaml");
    writeFileSync(wf, readFileSync(wf, "utf8").replace('openingTime: "09:00"', 'openingTime: "08:30"'));
    const r = reloadAuthorities(current, dir);
    expect(r).toEqual({ ok: true, added: ["leeds"], changed: ["wf"], kept: [] });
    expect(held.get("leeds")?.name).toBe("Leeds City Council");
    expect(held.get("wf")?.openingTime).toBe("08:30");
  });

  it("refuses the lot when one file is invalid, naming the file and field, and keeps every authority as it was", () => {
    const dir = copyOfAuthorities();
    const current = loadAuthorities(dir).authorities;
    const before = current.get("birmingham");
    writeNewAuthority({ id: "leeds", name: "Leeds City Council", from: "national", dir });
    const b = join(dir, "birmingham.yaml");
    writeFileSync(b, readFileSync(b, "utf8").replace('closeOfBusiness: "17:00"', 'closeOfBusiness: "5pm"'));
    const r = reloadAuthorities(current, dir);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join("\n")).toMatch(/birmingham\.yaml: closeOfBusiness: /);
    expect(current.has("leeds")).toBe(false);
    expect(current.get("birmingham")).toBe(before);
  });
});
