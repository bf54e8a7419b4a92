// The commands the acceptance checks use, run in-process (one run through
// `npm run drp` checks the real wiring).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.ts";

async function drp(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const capture = (to: "out" | "err") => (chunk: unknown) => {
    if (to === "out") out += String(chunk);
    else err += String(chunk);
    return true;
  };
  const line =
    (to: "out" | "err") =>
    (...parts: unknown[]) =>
      void capture(to)(`${parts.join(" ")}\n`);
  const o = vi.spyOn(process.stdout, "write").mockImplementation(capture("out"));
  const l = vi.spyOn(console, "log").mockImplementation(line("out"));
  const e = vi.spyOn(console, "error").mockImplementation(line("err"));
  const w = vi.spyOn(process.stderr, "write").mockImplementation(capture("err"));
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    process.exitCode = before;
    for (const s of [o, l, e, w]) s.mockRestore();
  }
}

describe("drp calendar", () => {
  it("adds working days as JSON", async () => {
    const r = await drp("calendar", "add", "--authority", "birmingham", "--from", "2026-12-23", "--working-days", "2", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ date: "2026-12-29" });
  });

  it("lists the year's non-working days as JSON", async () => {
    const r = await drp("calendar", "holidays", "--authority", "newham", "--year", "2027", "--json");
    expect(JSON.parse(r.out).holidays).toEqual([
      "2027-01-01",
      "2027-03-26",
      "2027-03-29",
      "2027-05-03",
      "2027-05-31",
      "2027-08-30",
      "2027-12-27",
      "2027-12-28",
    ]);
  });

  it("explains a bad date or authority and exits non-zero", async () => {
    expect(
      await drp("calendar", "add", "--authority", "birmingham", "--from", "2026-02-30", "--working-days", "2", "--json"),
    ).toMatchObject({ code: 2, err: expect.stringMatching(/not a real calendar date/) });
    expect(await drp("calendar", "add", "--authority", "leeds", "--from", "2026-02-03", "--working-days", "2")).toMatchObject({
      code: 1,
      err: expect.stringMatching(/no authority "leeds"/),
    });
    expect(await drp("calendar", "add", "--authority", "birmingham", "--from", "2099-02-03", "--working-days", "2")).toMatchObject({
      code: 2,
      err: expect.stringMatching(/outside the years/),
    });
  });
});

describe("drp plan", () => {
  it("prints the worst-case timeline in the agreed JSON shape", async () => {
    const r = await drp("plan", "--authority", "birmingham", "--raised", "2026-11-02", "--json");
    const plan = JSON.parse(r.out);
    expect(plan.stages.map((s: { stage: number; recipient: string; respondBy: string }) => [s.stage, s.recipient, s.respondBy])).toEqual([
      [1, "team_manager", "2026-11-16"],
      [2, "head_of_service", "2026-11-19"],
      [3, "assistant_director", "2026-11-24"],
      [4, "director_of_practice", "2026-11-30"],
    ]);
    expect(plan.stages[3].copied).toEqual(["chief_executive"]);
    expect(plan.overallDeadline).toBe("2026-11-30");
  });

  it("takes --procedure, --stage and --timescale", async () => {
    const cp = JSON.parse((await drp("plan", "--authority", "wf", "--procedure", "cp", "--raised", "2026-11-02", "--json")).out);
    expect(cp.stages[0]).toMatchObject({ stage: 3, respondBy: "2026-11-16" });
    const g = JSON.parse((await drp("plan", "--authority", "newham", "--raised", "2026-11-02", "--stage", "2", "--json")).out);
    expect(g.stages[0]).toMatchObject({ stage: 2, respondBy: "2026-11-09" });
    const glos = JSON.parse(
      (await drp("plan", "--authority", "gloucestershire", "--raised", "2026-11-02", "--timescale", "4", "--json")).out,
    );
    expect(glos.stages[0]).toMatchObject({ stage: 1, respondBy: "2026-11-06" });
    const unset = JSON.parse((await drp("plan", "--authority", "gloucestershire", "--raised", "2026-11-02", "--json")).out);
    expect(unset.stages[0].respondBy).toBe("set by the IRO");
  });

  it("prints a table a QA manager can read", async () => {
    const r = await drp("plan", "--authority", "newham", "--raised", "2026-11-02");
    expect(r.out).toMatch(/Practice Lead\s+LAC Request email box\s+Mon 9 November 2026 17:00\s+5/);
    expect(r.out).toMatch(/Overall limit: 20 working days, ending Monday 30 November 2026/);
  });

  it("refuses an unknown procedure", async () => {
    expect(await drp("plan", "--authority", "birmingham", "--procedure", "cp", "--raised", "2026-11-02")).toMatchObject({
      code: 2,
      err: expect.stringMatching(/no "cp" procedure/),
    });
  });
});

describe("drp authorities validate", () => {
  it("passes the shipped files and fails a broken one, naming the file and field", async () => {
    expect((await drp("authorities", "validate")).code).toBe(0);
    const { mkdtempSync, writeFileSync, readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "drp-validate-"));
    const text = readFileSync(new URL("../../authorities/newham.yaml", import.meta.url), "utf8").replace(
      "subjectPrefix: Dispute Resolution Alert",
      "subjectPrefix: 12",
    );
    writeFileSync(join(dir, "newham.yaml"), text);
    const r = await drp("authorities", "validate", dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/newham\.yaml: subjectPrefix: /);
  });
});

describe("drp --version and --help", () => {
  it("prints the package's version, and lists the commands without loading them", async () => {
    const v = await drp("--version");
    expect(v.code).toBe(0);
    expect(v.out.trim()).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
    const h = await drp("--help");
    expect(h.code).toBe(0);
    for (const c of ["calendar", "disputes", "reviews", "authorities", "report", "demo"]) expect(h.out).toContain(c);
    expect(h.out).toContain("drp --version");
  });
});

describe("npm run drp", () => {
  it("runs the CLI through the npm script", () => {
    const out = execFileSync(
      "npm",
      ["run", "-s", "drp", "--", "calendar", "add", "--authority", "wf", "--from", "2027-03-25", "--working-days", "1", "--json"],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      },
    );
    expect(JSON.parse(out)).toEqual({ date: "2027-03-30" });
  });
});

describe("drp authorities explain", () => {
  it("says, stage by stage, who receives, who is copied, who may start or skip, the timescale, extensions, meetings and Cafcass", async () => {
    const r = await drp("authorities", "explain", "gloucestershire");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Starting: a dispute may start at stage 0, 1/);
    expect(r.out).toMatch(/Skipping: one stage at a time/);
    expect(r.out).toMatch(/Overall limit: none/);
    expect(r.out).toMatch(/stage 4: Fourth stage — Operations Director — Gloucestershire procedure ¶19–21/);
    expect(r.out).toMatch(
      /Meeting: the recipient convenes one by the deadline; invited: Director of Learning & Development, Head of Quality/,
    );
    expect(r.out).toMatch(/Extensions: no extension \(Gloucestershire procedure ¶21–22\)/);
    expect(r.out).toMatch(/Receives: Deputy \/ Assistant Director \(Head of Service for over-11s\)/);
    expect(r.out).toMatch(/before referring: Explain to the nominated officer why a referral is being considered/);
    // what the IRO is asked at the close (¶9, ¶24), and the report the file asks for
    expect(r.out).toMatch(/When it is resolved here, the instigator reads: Complete the final section of the concern sheet.*\(¶9\)/);
    expect(r.out).toMatch(/on closing, the instigator reads: Complete the Dispute Resolution Outcome Statement.*\(¶24\)/);
    expect(r.out).toMatch(
      /Reports\n {2}Quarterly dispute resolution report: quarterly, at opening time on the first working day after the quarter, to Quality Manager/,
    );
  });

  it("prints JSON with each stage's roles and rules", async () => {
    const r = await drp("authorities", "explain", "newham", "--procedure", "iro", "--json");
    const j = JSON.parse(r.out);
    expect(j.authority).toBe("newham");
    const five = j.procedures[0].stages.find((s: { stage: number }) => s.stage === 5);
    expect(five).toMatchObject({ referral: true, recipient: null, mayStartHere: false, whoMayBeHere: ["IRO"] });
    const four = j.procedures[0].stages.find((s: { stage: number }) => s.stage === 4);
    expect(four.mayStartHere).toBe(false);
    expect(j.procedures[0].skipping).toMatch(/may skip/);
  });
});
