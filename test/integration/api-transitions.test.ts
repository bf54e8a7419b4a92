// Every transition of every seed authority's procedures, over HTTP, with the
// refusals the state machine owes the caller.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { raiseBody, type TestApp, testApp } from "../support/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await testApp("2026-11-23T10:00:00Z");
});
afterAll(async () => t?.close());

async function raise(authority: string, over: Record<string, unknown>) {
  const r = await t.call(authority, "POST", "/disputes", raiseBody(over));
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; stage: number; status: string; respondBy: string; reference: string; casePeople: Record<string, string> };
}
const step = (authority: string, id: string, path: string, body?: unknown) => t.call(authority, "POST", `/disputes/${id}/${path}`, body);

describe("Birmingham", () => {
  it("runs stage 1 to 4 with a response, an extension and a referral that closes the dispute (001 §3, §4.1)", async () => {
    const d = await raise("birmingham", { at: "2026-10-12T09:30:00Z" });
    expect(d).toMatchObject({ stage: 1, status: "open", respondBy: "2026-10-26" });
    expect(d.reference).toMatch(/^BIR-2026-\d{4}$/);
    expect((await step("birmingham", d.id, "responses", { at: "2026-10-20T12:00:00Z" })).body).toMatchObject({ awaiting: "decision" });
    const s2 = await step("birmingham", d.id, "escalate", { at: "2026-10-26T17:00:00Z" });
    expect(s2.body).toMatchObject({ stage: 2, respondBy: "2026-10-29", awaiting: "response" });
    expect((await step("birmingham", d.id, "extend", { at: "2026-10-28T10:00:00Z", workingDays: 2 })).body).toMatchObject({
      respondBy: "2026-11-02",
    });
    expect((await step("birmingham", d.id, "escalate", { at: "2026-11-02T17:00:00Z" })).body).toMatchObject({
      stage: 3,
      respondBy: "2026-11-05",
    });
    expect((await step("birmingham", d.id, "escalate", { at: "2026-11-05T17:00:00Z" })).body).toMatchObject({
      stage: 4,
      respondBy: "2026-11-09",
    });
    const past = await step("birmingham", d.id, "escalate", { at: "2026-11-09T17:00:00Z" });
    expect(past.status).toBe(409);
    expect(past.body).toMatchObject({ error: "past_last_stage" });
    expect(past.body.message).toMatch(/last stage/);
    expect((await step("birmingham", d.id, "cafcass-referral", { at: "2026-11-10T10:00:00Z" })).body).toMatchObject({
      status: "referred_to_cafcass",
    });
    const after = await step("birmingham", d.id, "resolve");
    expect(after.status).toBe(409);
    expect(after.body.error).toBe("closed");
  });

  it("refuses a step on a resolved dispute", async () => {
    const d = await raise("birmingham", { childRef: "CASE-0002" });
    expect((await step("birmingham", d.id, "resolve", { outcome: "Placement plan agreed" })).body).toMatchObject({ status: "resolved" });
    for (const path of ["escalate", "responses", "withdraw", "cafcass-consultation"]) {
      const r = await step("birmingham", d.id, path);
      expect(r.status, path).toBe(409);
      expect(r.body.message).toMatch(/closed/);
    }
  });
});

describe("people named on the child's case", () => {
  it("are kept on the dispute, and a person or role not in the directory is refused", async () => {
    const unknown = await t.call("birmingham", "POST", "/disputes", raiseBody({ casePeople: { social_worker: "nobody" } }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues).toEqual([{ field: "casePeople.social_worker", message: expect.stringMatching(/no person "nobody"/) }]);
    const role = await t.call("birmingham", "POST", "/disputes", raiseBody({ casePeople: { wizard: "sw-south" } }));
    expect(role.body.issues[0]).toMatchObject({ field: "casePeople.wizard" });
    // a CLA North child whose social worker is Sara, of CLA South
    const d = await raise("birmingham", { casePeople: { social_worker: "sw-south" } });
    expect(d.casePeople).toEqual({ social_worker: "sw-south" });
    expect((await t.call("birmingham", "GET", `/disputes/${d.id}`)).body.casePeople).toEqual({ social_worker: "sw-south" });
  });
});

describe("Gloucestershire", () => {
  it("needs the IRO's timescale, allows one extension per stage, and routes the over-11s service (000 ¶8, ¶16)", async () => {
    const missing = await t.call(
      "gloucestershire",
      "POST",
      "/disputes",
      raiseBody({ team: "prospects-east", categories: ["care_plan_drift"] }),
    );
    expect(missing.status).toBe(400);
    expect(missing.body.issues[0].field).toBe("timescaleWorkingDays");
    const d = await raise("gloucestershire", { team: "prospects-east", timescaleWorkingDays: 5, at: "2026-11-02T10:00:00Z" });
    expect(d.respondBy).toBe("2026-11-09");
    expect((await step("gloucestershire", d.id, "extend", { until: "2026-11-12", at: "2026-11-06T10:00:00Z" })).status).toBe(200);
    const second = await step("gloucestershire", d.id, "extend", { until: "2026-11-16", at: "2026-11-10T10:00:00Z" });
    expect(second.status).toBe(409);
    expect(second.body.error).toBe("extension_limit");
    expect((await step("gloucestershire", d.id, "escalate", { timescaleWorkingDays: 4, at: "2026-11-12T17:00:00Z" })).body).toMatchObject({
      stage: 2,
      respondBy: "2026-11-18",
    });
    expect((await step("gloucestershire", d.id, "cafcass-consultation", { at: "2026-11-13T10:00:00Z" })).status).toBe(200);
    const s3 = await step("gloucestershire", d.id, "escalate", { timescaleWorkingDays: 3, at: "2026-11-18T17:00:00Z" });
    expect(s3.body).toMatchObject({ stage: 3, respondBy: "2026-11-23" });
    expect(s3.body.warnings.join()).toMatch(/quality manager/); // not confirmed; Cafcass Legal was consulted
    const detail = await t.call("gloucestershire", "GET", `/disputes/${d.id}`);
    const raised = detail.body.planned.find((n: { kind: string }) => n.kind === "stage_raised");
    expect(raised.to[0]).toMatchObject({ role: "head_of_service", people: [{ name: "Hazel Example" }] });
    expect((await step("gloucestershire", d.id, "escalate", { at: "2026-11-23T10:00:00Z" })).body).toMatchObject({
      stage: 4,
      respondBy: "2026-12-07",
    });
  });
});

describe("WF", () => {
  it("runs IRO stages 2 to 5, and agrees another timescale at stage 2 (002 §4.2)", async () => {
    const d = await raise("wf", {
      team: "cic-1",
      stage: 2,
      categories: ["permanence_drift"],
      timescaleWorkingDays: 7,
      at: "2026-11-02T10:00:00Z",
    });
    expect(d.respondBy).toBe("2026-11-11");
    expect((await step("wf", d.id, "escalate", { at: "2026-11-11T17:00:00Z" })).body).toMatchObject({ stage: 3, respondBy: "2026-11-18" });
    expect((await step("wf", d.id, "escalate", { at: "2026-11-18T17:00:00Z", confirmed: ["discuss_with_qa_dhos"] })).body).toMatchObject({
      stage: 4,
      respondBy: "2026-11-23",
    });
    expect((await step("wf", d.id, "escalate", { at: "2026-11-23T09:00:00Z" })).body).toMatchObject({ stage: 5, respondBy: null });
    expect((await step("wf", d.id, "escalate")).status).toBe(409);
    expect((await step("wf", d.id, "withdraw", { reason: "Child moved authority" })).body).toMatchObject({ status: "withdrawn" });
  });

  it("runs a CP Chair's concern from level 3, with no Cafcass referral", async () => {
    const d = await raise("wf", {
      procedure: "cp",
      team: "cp-east",
      stage: 3,
      categories: ["significant_drift"],
      raisedBy: { name: "Cora Chair", email: "cora@example.org", role: "cp_chair" },
      at: "2026-11-02T10:00:00Z",
    });
    expect(d.respondBy).toBe("2026-11-16");
    const ref = await step("wf", d.id, "cafcass-referral");
    expect(ref.status).toBe(409);
    expect(ref.body.error).toBe("cafcass_not_allowed");
    expect((await step("wf", d.id, "escalate", { at: "2026-11-16T17:00:00Z" })).body).toMatchObject({ stage: 4, respondBy: "2026-11-23" });
  });

  it("refuses an IRO category on a CP concern", async () => {
    const r = await t.call(
      "wf",
      "POST",
      "/disputes",
      raiseBody({
        procedure: "cp",
        team: "cp-east",
        stage: 3,
        categories: ["permanence_drift"],
        raisedBy: { name: "C", email: "c@example.org", role: "cp_chair" },
      }),
    );
    expect(r.status).toBe(400);
    expect(r.body.issues[0].field).toBe("categories[0]");
  });
});

describe("Newham", () => {
  it("lets an IRO enter at stage 3 and escalate to Cafcass at stage 5 (003 §7)", async () => {
    const d = await raise("newham", { team: "cla-a", stage: 3, categories: ["placement"], at: "2026-11-09T10:00:00Z" });
    expect(d.respondBy).toBe("2026-11-16");
    expect((await step("newham", d.id, "escalate", { at: "2026-11-16T17:00:00Z" })).body).toMatchObject({
      stage: 4,
      respondBy: "2026-11-23",
    });
    // stage 5 is the referral to Cafcass: entering it records the referral and closes the dispute
    expect((await step("newham", d.id, "escalate", { at: "2026-11-23T09:30:00Z" })).body).toMatchObject({
      stage: 5,
      status: "referred_to_cafcass",
    });
    const detail = await t.call("newham", "GET", `/disputes/${d.id}`);
    type Planned = { kind: string; to: { role: string; audience: string; people: { name: string }[] }[]; cc: { role: string }[] };
    const planned = detail.body.planned as Planned[];
    for (const n of planned) for (const x of [...n.to, ...n.cc]) expect(x.role).not.toBe("cafcass");
    const referral = planned.find((n) => n.kind === "cafcass_referral")!;
    expect(referral.to).toEqual([
      expect.objectContaining({
        role: "director_childrens_services",
        audience: "recipient",
        people: [expect.objectContaining({ name: "Corinne Example" })],
      }),
    ]);
    expect(referral.cc.map((x) => x.role)).toEqual(["qa_inbox", "instigator"]);
  });

  it("refuses an IRO starting at stage 4, but lets one jump there from stage 2", async () => {
    const r = await t.call("newham", "POST", "/disputes", raiseBody({ team: "cla-a", stage: 4, categories: ["placement"] }));
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ error: "start_not_allowed" });
    const d = await raise("newham", { childRef: "AZ-42", team: "cla-a", stage: 2, categories: ["placement"], at: "2026-11-16T10:00:00Z" });
    expect((await step("newham", d.id, "escalate", { toStage: 4, at: "2026-11-17T10:00:00Z" })).body).toMatchObject({ stage: 4 });
  });

  it("refuses a CP Chair's escalation to stage 5, and a CP Chair under the IRO procedure", async () => {
    const chair = { name: "Chris Chair", email: "chris@example.org", role: "cp_chair" };
    const d = await raise("newham", {
      procedure: "cp",
      team: "intervention-east",
      stage: 3,
      categories: ["young_person_safety"],
      raisedBy: chair,
      at: "2026-11-09T10:00:00Z",
    });
    expect((await step("newham", d.id, "escalate", { at: "2026-11-16T17:00:00Z" })).body).toMatchObject({ stage: 4 });
    const five = await step("newham", d.id, "escalate", { toStage: 5 });
    expect(five.status).toBe(409);
    expect(five.body).toMatchObject({ error: "past_last_stage" });
    expect(five.body.message).toMatch(/for IROs only/);
    const wrong = await t.call("newham", "POST", "/disputes", raiseBody({ team: "cla-a", categories: ["placement"], raisedBy: chair }));
    expect(wrong.status).toBe(409);
    expect(wrong.body.error).toBe("procedure_role");
  });

  it("limits requested actions to 5 working days (003 form)", async () => {
    const r = await t.call(
      "newham",
      "POST",
      "/disputes",
      raiseBody({
        team: "cla-a",
        categories: ["health"],
        requestedActions: [{ action: "Book health assessment", timescaleWorkingDays: 8 }],
      }),
    );
    expect(r.status).toBe(400);
    expect(r.body.issues[0].field).toBe("requestedActions[0]");
    const ok = await raise("newham", {
      childRef: "AZ-77",
      team: "cla-a",
      categories: ["health"],
      requestedActions: [{ action: "Book health assessment", timescaleWorkingDays: 5 }],
    });
    expect(ok.status).toBe("open");
  });
});

describe("each procedure as its document has it", () => {
  type Planned = { kind: string; status: string; to: { role: string; audience: string }[]; cc: { role: string; audience: string }[] };
  const planned = async (authority: string, id: string) => (await t.call(authority, "GET", `/disputes/${id}`)).body.planned as Planned[];

  it("Birmingham: starts at stage 0 or 1 only, and goes one stage at a time (§3)", async () => {
    const two = await t.call("birmingham", "POST", "/disputes", raiseBody({ stage: 2 }));
    expect(two.status).toBe(409);
    expect(two.body.error).toBe("start_not_allowed");
    const d = await raise("birmingham", { childRef: "CASE-1300", at: "2026-11-02T10:00:00Z" });
    const skip = await step("birmingham", d.id, "escalate", { toStage: 3, at: "2026-11-16T17:00:00Z" });
    expect(skip.status).toBe(409);
    expect(skip.body.error).toBe("bypass_not_allowed");
  });

  it("Birmingham: stage 4 entered after Day 20 still goes to the Director of Practice, copying the CEO (§3.13)", async () => {
    const d = await raise("birmingham", { childRef: "CASE-1400", at: "2026-10-01T10:00:00Z" });
    for (const at of ["2026-10-15T17:00:00Z", "2026-10-20T17:00:00Z", "2026-11-20T10:00:00Z"]) {
      expect((await step("birmingham", d.id, "escalate", { at })).status).toBe(200);
    }
    const n = (await planned("birmingham", d.id)).find((x) => x.kind === "stage_raised")!;
    expect(n.status).toBe("due");
    expect(n.to.map((x) => [x.role, x.audience])).toEqual([["director_of_practice", "recipient"]]);
    expect(n.cc.map((x) => [x.role, x.audience])).toEqual([
      ["chief_executive", "copied"],
      ["qa_inbox", "copied"],
      ["iro_service_head_of_service", "copied"],
      ["instigator", "instigator"],
    ]);
  });

  it("Gloucestershire: no extension at stage 5, whose twenty working days the document fixes (¶23)", async () => {
    const d = await raise("gloucestershire", { childRef: "GL-5", team: "stroud-cla", timescaleWorkingDays: 3, at: "2026-10-01T10:00:00Z" });
    const steps = [
      { timescaleWorkingDays: 3, at: "2026-10-06T17:00:00Z" },
      { timescaleWorkingDays: 3, at: "2026-10-09T17:00:00Z" },
      { at: "2026-10-14T17:00:00Z" },
    ];
    for (const body of steps) expect((await step("gloucestershire", d.id, "escalate", body)).status).toBe(200);
    // stage 5 only once the discussion with Cafcass Legal is recorded or confirmed (¶22 "must")
    const early = await step("gloucestershire", d.id, "escalate", { at: "2026-10-28T17:00:00Z" });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: "prerequisite_missing" });
    expect(early.body.message).toMatch(/Cafcass Legal/);
    expect(
      (await step("gloucestershire", d.id, "escalate", { at: "2026-10-28T17:00:00Z", confirmed: ["consult_cafcass_legal"] })).status,
    ).toBe(200);
    const ext = await step("gloucestershire", d.id, "extend", { until: "2027-03-31", at: "2026-11-02T10:00:00Z" });
    expect(ext.status).toBe(409);
    expect(ext.body.error).toBe("extension_limit");
  });

  it("WF: a CP Chair's concern plans no overall-limit email: the CP section names no limit", async () => {
    const d = await raise("wf", {
      procedure: "cp",
      childRef: "WF-CP-9",
      team: "cp-east",
      stage: 3,
      categories: ["significant_drift"],
      raisedBy: { name: "Cora Chair", email: "cora@example.org", role: "cp_chair" },
      at: "2026-10-01T10:00:00Z",
    });
    const kinds = (await planned("wf", d.id)).map((n) => n.kind);
    expect(kinds).toContain("overdue");
    expect(kinds.filter((k) => k.startsWith("overall_"))).toEqual([]);
  });

  it("Gloucestershire: considering a referral tells the nominated officer first (Introduction)", async () => {
    const d = await raise("gloucestershire", {
      childRef: "GL-6",
      team: "prospects-east",
      timescaleWorkingDays: 5,
      at: "2026-11-16T10:00:00Z",
    });
    const r = await step("gloucestershire", d.id, "cafcass-referral-considered", { confirmed: ["discuss_referral_with_quality_manager"] });
    expect(r.status).toBe(200);
    const n = (await planned("gloucestershire", d.id)).find((x) => x.kind === "cafcass_referral_considered")!;
    expect(n.to.map((x) => x.role)).toEqual(["operations_director"]);
  });
});

describe("WF §1.6: a concern about an IRO's or CP Chair's performance", () => {
  const concern = (over: Record<string, unknown> = {}) =>
    raiseBody({
      procedure: "performance",
      childRef: "CASE-1600",
      team: "cic-1",
      raisedBy: { name: "Toby Manager", email: "toby.manager@example.org", role: "team_manager" },
      concerning: { name: "Iona Concerned", role: "iro" },
      categories: ["iro_cpc_performance"],
      at: "2026-11-02T10:00:00Z",
      ...over,
    });

  it("is raised by a team manager about a named IRO: the QA DHoS's 15 working days, with nobody else told but the team manager", async () => {
    const r = await t.call("wf", "POST", "/disputes", concern());
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      procedure: "performance",
      stage: 1,
      respondBy: "2026-11-23",
      concerning: { name: "Iona Concerned", role: "iro" },
    });
    expect(r.body.raisedBy.role).toBe("team_manager");
    const got = await t.call("wf", "GET", `/disputes/${r.body.id}`);
    expect(got.body.concerning).toEqual({ name: "Iona Concerned", role: "iro" });
    const raised = got.body.planned.find((n: { kind: string }) => n.kind === "stage_raised");
    expect(raised.to).toMatchObject([{ role: "qa_deputy_head_of_service", people: [{ name: "Queenie Example" }] }]);
    expect(raised.cc.map((x: { role: string }) => x.role)).toEqual(["instigator"]);
    // the name of the IRO concerned is on the record, never in a log line
    expect(t.logs.join("\n")).not.toContain("Iona Concerned");
  });

  it("refuses it without the IRO concerned, from an IRO, with another procedure's category, and a Cafcass referral", async () => {
    const unnamed = await t.call("wf", "POST", "/disputes", concern({ concerning: undefined }));
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.issues[0]).toMatchObject({ field: "concerning" });
    const byIro = await t.call(
      "wf",
      "POST",
      "/disputes",
      concern({ raisedBy: { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" } }),
    );
    expect(byIro.status).toBe(409);
    expect(byIro.body.error).toBe("procedure_role");
    const alert = await t.call(
      "wf",
      "POST",
      "/disputes",
      concern({
        procedure: "iro",
        stage: 2,
        raisedBy: { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" },
        categories: ["permanence_drift"],
      }),
    );
    expect(alert.status).toBe(400);
    expect(alert.body.issues[0].field).toBe("concerning");
    const wrong = await t.call("wf", "POST", "/disputes", concern({ categories: ["permanence_drift"] }));
    expect(wrong.status).toBe(400);
    const d = await raise("wf", concern());
    const refer = await step("wf", d.id, "cafcass-referral", { at: "2026-11-03T10:00:00Z" });
    expect(refer.status).toBe(409);
    expect(refer.body.error).toBe("cafcass_not_allowed");
  });

  it("goes on to the QA HoS, or straight to the DD, with no date once escalated (§1.6 gives none)", async () => {
    const d = await raise("wf", concern({ childRef: "CASE-1601", categories: ["review_or_conference_conduct"] }));
    const dd = await step("wf", d.id, "escalate", { at: "2026-11-20T17:00:00Z", toStage: 3 });
    expect(dd.status).toBe(200);
    expect(dd.body).toMatchObject({ stage: 3, stageName: "Stage 3 — Divisional Director", respondBy: null });
    expect(dd.body.warnings.join()).toMatch(/Skipping stage 2: §1\.6 escalates the matter to the QA HoS or the DD/);
  });
});

describe("national template", () => {
  it("raises, records a Cafcass consultation and resolves", async () => {
    const d = await raise("national", { team: "cic-team", categories: ["other"], otherCategory: "Sibling contact" });
    expect((await step("national", d.id, "cafcass-consultation")).status).toBe(200);
    expect((await step("national", d.id, "resolve")).body).toMatchObject({ status: "resolved" });
  });
});

describe("backdated steps", () => {
  it("are accepted in order and refused out of order or in the future", async () => {
    const d = await raise("birmingham", { childRef: "CASE-0100", at: "2026-11-02T10:00:00Z" });
    const early = await step("birmingham", d.id, "responses", { at: "2026-11-01T10:00:00Z" });
    expect(early.status).toBe(409);
    expect(early.body.error).toBe("out_of_order");
    const future = await step("birmingham", d.id, "responses", { at: "2027-01-01T10:00:00Z" });
    expect(future.status).toBe(400);
    expect(future.body.issues[0].field).toBe("at");
  });
});

describe("reading", () => {
  it("shows a dispute's timeline and its planned notifications with the people who will get them", async () => {
    const d = await raise("birmingham", { childRef: "CASE-0200", at: "2026-11-16T10:00:00Z" });
    const r = await t.call("birmingham", "GET", `/disputes/${d.id}`);
    expect(r.status).toBe(200);
    expect(r.body.timeline.map((e: { type: string }) => e.type)).toEqual(["raised"]);
    const overdue = r.body.planned.find((n: { kind: string }) => n.kind === "overdue");
    expect(overdue).toMatchObject({ at: "2026-11-30T17:00:00.000Z", to: [{ role: "team_manager", people: [{ name: "Tessa Example" }] }] });
    expect(r.body.obligations[0]).toMatchObject({ kind: "stage_response", due: "2026-11-30" });
  });

  it("lists open and overdue disputes", async () => {
    const late = await raise("birmingham", { childRef: "CASE-0300", at: "2026-10-01T10:00:00Z" });
    const open = await t.call("birmingham", "GET", "/disputes?status=open&overdue=true");
    expect(open.status).toBe(200);
    const ids = open.body.disputes.map((x: { id: string }) => x.id);
    expect(ids).toContain(late.id);
    for (const x of open.body.disputes) expect(x).toMatchObject({ status: "open", overdue: true });
  });
});
