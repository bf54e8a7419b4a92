// The registers an authority file declares (`registers:`): checked by zod and
// by meaning, with messages that name the file and the field.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { DEFAULT_AUTHORITIES_DIR } from "../../src/config/authorities.ts";
import { AuthorityConfigError, compileAuthority } from "../../src/domain/procedure/model.ts";
import { registerOf } from "../../src/domain/register/config.ts";
import { authority } from "../support/authorities.ts";

const raw = (id: string) => parseDocument(readFileSync(join(DEFAULT_AUTHORITIES_DIR, `${id}.yaml`), "utf8")).toJS();

function messageOf(data: unknown, file: string): string {
  try {
    compileAuthority(data, file);
  } catch (e) {
    if (e instanceof AuthorityConfigError) return e.message;
    throw e;
  }
  throw new Error("expected an AuthorityConfigError");
}

describe("the shipped registers", () => {
  it("Newham keeps an SLT action log (§10), WF a good-practice register copying the QA DHoS (§11.1), the others none", () => {
    expect(registerOf(authority("newham"), "slt_actions")).toMatchObject({ name: "SLT action log", source: "§10" });
    expect(registerOf(authority("newham"), "good_practice")).toBeUndefined();
    expect(registerOf(authority("wf"), "good_practice")).toMatchObject({ copied: ["qa_deputy_head_of_service"], source: "§1.2, §11.1" });
    expect(registerOf(authority("wf"), "slt_actions")).toBeUndefined();
    for (const id of ["birmingham", "gloucestershire", "national"]) expect(authority(id).registers).toEqual([]);
  });

  it("Newham's quarterly report shows the dispute steps, the SLT action log and the empty comments section; WF's both reports count good practice", () => {
    expect(authority("newham").reports[0]!.sections.slice(-3)).toEqual(["action_log", "slt_actions", "comments"]);
    for (const r of authority("wf").reports) expect(r.sections).toContain("good_practice");
  });
});

describe("a register wrongly declared", () => {
  it("names the file and field of an unknown kind, a missing source, a second register of a kind and an unknown role", () => {
    const wf = raw("wf");
    wf.registers.push({ kind: "complaints", source: "§1" });
    expect(messageOf(wf, "wf.yaml")).toMatch(/wf\.yaml: registers\[1\](\.kind)?: a register's kind is one of slt_actions, good_practice/);
    wf.registers[1] = { kind: "good_practice", source: "" };
    expect(messageOf(wf, "wf.yaml")).toMatch(/wf\.yaml: registers\[1\]\.source: say which paragraph/);
    wf.registers[1] = { kind: "good_practice", source: "§11.1", copied: ["qa_dhos"] };
    const m = messageOf(wf, "wf.yaml");
    expect(m).toMatch(/wf\.yaml: registers\[1\]\.kind: a second good_practice register/);
    expect(m).toMatch(/wf\.yaml: registers\[1\]\.copied\[0\]: unknown role "qa_dhos"/);
  });

  it("refuses a report section from a register the authority does not keep, naming the section", () => {
    const newham = raw("newham");
    newham.reports[0].sections.push("good_practice");
    expect(messageOf(newham, "newham.yaml")).toMatch(
      /newham\.yaml: reports\[0\]\.sections\[10\]: lists good_practice, but the authority keeps no good_practice register/,
    );
    const birmingham = raw("birmingham");
    birmingham.reports[0].sections.push("slt_actions");
    expect(messageOf(birmingham, "birmingham.yaml")).toMatch(/reports\[0\]\.sections\[8\]: lists slt_actions/);
  });

  it("refuses an unknown field in a register", () => {
    const newham = raw("newham");
    newham.registers[0].owner = "AD QA";
    expect(messageOf(newham, "newham.yaml")).toMatch(/newham\.yaml: registers\[0\]: unknown field\(s\) owner/);
  });
});
