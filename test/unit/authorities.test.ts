import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { DEFAULT_AUTHORITIES_DIR, loadAuthorities, loadAuthorityFile } from "../../src/config/authorities.ts";
import { parseIsoDate as d } from "../../src/domain/calendar/dates.ts";
import { AuthorityConfigError, compileAuthority } from "../../src/domain/procedure/model.ts";
import { worstCaseTimeline } from "../../src/domain/timeline.ts";

const shipped = (id: string) => readFileSync(join(DEFAULT_AUTHORITIES_DIR, `${id}.yaml`), "utf8");

function withFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "drp-auth-"));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function configError(fn: () => unknown): AuthorityConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AuthorityConfigError) return e;
    throw e;
  }
  throw new Error("expected an AuthorityConfigError");
}

describe("the shipped authority files", () => {
  it("all validate, with the ids the acceptance checks use", () => {
    const { authorities, errors } = loadAuthorities();
    expect(errors.map((e) => e.message)).toEqual([]);
    expect([...authorities.keys()].sort()).toEqual(["birmingham", "gloucestershire", "national", "newham", "wf"]);
    expect(Object.keys(authorities.get("newham")!.procedures).sort()).toEqual(["cp", "iro"]);
    expect(Object.keys(authorities.get("wf")!.procedures).sort()).toEqual(["cp", "iro", "performance"]);
    expect(Object.keys(authorities.get("birmingham")!.procedures)).toEqual(["iro"]);
  });

  it("head every Newham email 'Dispute Resolution Alert' (003 §7)", () => {
    expect(loadAuthorities().authorities.get("newham")!.subjectPrefix).toBe("Dispute Resolution Alert");
  });
});

describe("validation messages name the file and the field", () => {
  it("for a wrong type deep in a stage", () => {
    const text = shipped("birmingham").replace("timescale: { days: 10 }", "timescale: { days: ten }");
    const e = configError(() => loadAuthorityFile(withFile("birmingham.yaml", text)));
    expect(e.message).toContain("birmingham.yaml");
    expect(e.message).toContain("procedures.iro.stages[1].timescale");
  });

  it("for an unknown role", () => {
    const text = shipped("wf").replace(
      "recipient: divisional_director\n        copied: []",
      "recipient: divisonal_director\n        copied: []",
    );
    const e = configError(() => loadAuthorityFile(withFile("wf.yaml", text)));
    expect(e.message).toMatch(/wf\.yaml: procedures\.iro\.stages\[3\]\.recipient: unknown role "divisonal_director"/);
  });

  it("for an unknown field, a misspelt time and stages out of order", () => {
    const raw = parseDocument(shipped("national")).toJS();
    raw.closeOfBusines = "17:00";
    raw.openingTime = "9am";
    raw.procedures.iro.stages[2].stage = 1;
    const e = configError(() => compileAuthority(raw, "national.yaml"));
    expect(e.message).toMatch(/national\.yaml: \(top level\): unknown field\(s\) closeOfBusines/);
    expect(e.message).toMatch(/national\.yaml: openingTime: expected a time/);
    const fixed = { ...raw, openingTime: "09:00" };
    delete fixed.closeOfBusines;
    expect(() => compileAuthority(fixed, "national.yaml")).toThrow(/procedures\.iro\.stages\[2\]\.stage: stage 1 must come after stage 1/);
  });

  it("for a report to an unknown role, a second monthly report, a missing procedure and a missing source", () => {
    const raw = parseDocument(shipped("wf")).toJS();
    raw.reports[0].to = ["divisonal_director"];
    raw.reports[1].every = "month";
    raw.reports[1].procedures = ["iro", "cp"];
    const e = configError(() => compileAuthority(raw, "wf.yaml"));
    expect(e.message).toMatch(/wf\.yaml: reports\[0\]\.to\[0\]: unknown role "divisonal_director"/);
    expect(e.message).toMatch(/wf\.yaml: reports\[1\]\.every: a second monthly report/);
    const national = parseDocument(shipped("national")).toJS();
    national.reports[0].procedures = ["cp"];
    delete national.reports[0].source;
    const n = configError(() => compileAuthority(national, "national.yaml"));
    expect(n.message).toMatch(/national\.yaml: reports\[0\]\.source/);
    delete national.reports[0].procedures;
    national.reports[0].source = "national standards";
    national.reports[0].procedures = ["cp"];
    expect(() => compileAuthority(national, "national.yaml")).toThrow(/reports\[0\]\.procedures\[0\]: there is no cp procedure/);
  });

  it("for an overall limit with nobody to tell, and an instigator who raises nothing", () => {
    const raw = parseDocument(shipped("wf")).toJS();
    delete raw.procedures.iro.iroManager;
    expect(() => compileAuthority(raw, "wf.yaml")).toThrow(/wf\.yaml: procedures\.iro\.iroManager: who is the instigator's manager/);
    // without an overall limit, no manager is needed (WF §1.6)
    expect(raw.procedures.performance.iroManager).toBeUndefined();
    raw.procedures.performance.raisedBy = ["team_manager", "principal_iro"];
    expect(() => compileAuthority(raw, "wf.yaml")).toThrow(/procedures\.performance\.raisedBy\[1\]: .*"team_manager"\|"social_worker"/);
  });

  it("for a file whose id does not match its name, and for broken YAML", () => {
    expect(() => loadAuthorityFile(withFile("leeds.yaml", shipped("national")))).toThrow(/leeds\.yaml: id: is "national"/);
    expect(() => loadAuthorityFile(withFile("national.yaml", "id: [unclosed"))).toThrow(/national\.yaml: \(line/);
  });
});

describe("adding an authority is adding a file", () => {
  it("a copy of the national template with its own id loads and plans", () => {
    const text = shipped("national").replace("id: national", "id: leeds").replace("template: true", "template: false");
    const a = loadAuthorityFile(withFile("leeds.yaml", text));
    const t = worstCaseTimeline(a, a.procedures.iro!, d("2026-11-02"));
    expect(t.overallDeadline).toBe("2026-11-30");
  });
});

describe("an authority's closure days, from its file", () => {
  it("reach its calendar and every deadline planned on it (Birmingham closed 29–31 December 2026)", () => {
    const text = shipped("birmingham").replace(
      "closureDays: []",
      'closureDays:\n  - { date: "2026-12-29", name: "Christmas closure" }\n  - { date: "2026-12-30" }\n  - { date: "2026-12-31" }',
    );
    const closed = loadAuthorityFile(withFile("birmingham.yaml", text));
    const open = loadAuthorityFile(join(DEFAULT_AUTHORITIES_DIR, "birmingham.yaml"));
    // Thursday 24 December: the 25th, the weekend and the 28th (Boxing Day's substitute) are no working days anyway
    expect(open.calendar.addWorkingDays(d("2026-12-24"), 1)).toBe("2026-12-29");
    expect(closed.calendar.addWorkingDays(d("2026-12-24"), 1)).toBe("2027-01-04"); // 1 January is a bank holiday
    expect(closed.calendar.isWorkingDay(d("2026-12-30"))).toBe(false);
    // raised Monday 21 December, stage 1's 10 working days: 22, 23, 24, 29, 30, 31, 4, 5, 6, 7 January when open;
    // 22, 23, 24, 4, 5, 6, 7, 8, 11, 12 January when closed on the 29th to the 31st
    expect(worstCaseTimeline(open, open.procedures.iro!, d("2026-12-21")).stages[0]!.respondBy).toBe("2027-01-07");
    expect(worstCaseTimeline(closed, closed.procedures.iro!, d("2026-12-21")).stages[0]!.respondBy).toBe("2027-01-12");
  });
});

describe("Newham's working-day / calendar-day reading is a one-line switch", () => {
  it("moves every stage to calendar days when timescaleUnit changes", () => {
    const lines = shipped("newham").split("\n");
    const i = lines.findIndex((l) => l.includes("timescaleUnit: working_days"));
    lines[i] = lines[i]!.replace("working_days", "calendar_days");
    const a = loadAuthorityFile(withFile("newham.yaml", lines.join("\n")));
    // Raised Tuesday 22 December 2026: 5 calendar days is Sunday 27th, so Tuesday 29th (28th is a bank holiday).
    const calendar = worstCaseTimeline(a, a.procedures.iro!, d("2026-12-22"));
    expect(calendar.stages[0]!.respondBy).toBe("2026-12-29");
    const working = loadAuthorityFile(join(DEFAULT_AUTHORITIES_DIR, "newham.yaml"));
    expect(worstCaseTimeline(working, working.procedures.iro!, d("2026-12-22")).stages[0]!.respondBy).toBe("2026-12-31"); // 23, 24, 29, 30, 31
  });
});
