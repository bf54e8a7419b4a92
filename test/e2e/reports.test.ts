// Report emails end to end: a worker on real Redis, PostgreSQL and SMTP,
// started on Thursday 1 April 2027 at 11:00 BST, after Newham's quarterly
// report and WF's monthly report fell due (09:00 that morning) with no worker
// running. Each goes once to each addressee, with the figures as CSV and the
// chart inline; WF's team manager gets their own list of what they hold.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportWatermarks } from "../../src/db/schema.ts";
import { raiseDispute, takeStep } from "../../src/service/disputes.ts";
import type { RaiseInput } from "../../src/service/inputs.ts";
import { type Received, until } from "../support/mail-sink.ts";
import { type Stack, startStack } from "../support/worker.ts";

let s: Stack;
const at = (iso: string) => new Date(`${iso}T10:00:00Z`);
const ivy = { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" as const };
const SECRET = "A concern that must never appear in an email";
const refs: Record<string, string> = {};

const reports = () => s.sink.received.filter((m) => String(m.headers.get("x-drp-kind")).startsWith("report"));
const to = (who: string) => reports().filter((m) => m.to.includes(who));

beforeAll(async () => {
  s = await startStack("2027-04-01T10:00:00Z");
  const raise = (authority: string, over: Partial<RaiseInput>) =>
    raiseDispute(s.svc, authority, { procedure: "iro", raisedBy: ivy, stage: 1, summary: SECRET, ...over } as RaiseInput);
  // Newham, January to March: one resolved after an escalation, one outstanding after a Cafcass consultation, one CP Chair's
  const n1 = await raise("newham", { childRef: "C1", familyRef: "F1", team: "cla-a", categories: ["health"], at: at("2027-01-04") });
  await takeStep(s.svc, "newham", n1.dispute.id, { type: "response_recorded", at: at("2027-01-08") });
  await takeStep(s.svc, "newham", n1.dispute.id, { type: "escalated", toStage: 2, at: at("2027-01-12") });
  await takeStep(s.svc, "newham", n1.dispute.id, { type: "resolved", at: at("2027-02-10") });
  const n2 = await raise("newham", { childRef: "C2", team: "intervention-east", categories: ["education"], at: at("2027-02-15") });
  await takeStep(s.svc, "newham", n2.dispute.id, { type: "cafcass_consulted", at: at("2027-02-16") });
  refs.n2 = n2.dispute.reference;
  await raise("newham", {
    procedure: "cp",
    childRef: "C3",
    team: "cla-a",
    categories: ["health"],
    raisedBy: { ...ivy, role: "cp_chair" },
    at: at("2027-03-10"),
  });
  // WF, March: an alert at stage 2 that the team manager has not answered
  const w1 = await raise("wf", { childRef: "W1", team: "cic-1", stage: 2, categories: ["permanence_drift"], at: at("2027-03-08") });
  refs.w1 = w1.dispute.reference;
  // the system has been running since January (Newham) and March (WF): those reports are owed
  await s.svc.db.insert(reportWatermarks).values([
    { authorityId: "newham", reportId: "quarterly_slt", firstPeriod: "2027-Q1" },
    { authorityId: "wf", reportId: "monthly_alerts", firstPeriod: "2027-03" },
  ]);
  await s.startWorker({ concurrency: 4 });
  await until(() => reports().length >= 6, "the report emails", 60_000);
  await new Promise((r) => setTimeout(r, 1500)); // nothing more may follow
}, 90_000);
afterAll(async () => s?.stop());

describe("report emails", () => {
  it("go once to each addressee the authority file names, and to no one else", () => {
    const sent = reports()
      .map((m) => `${m.to.join(",")} ${m.headers.get("x-drp-kind")}`)
      .sort();
    expect(sent).toEqual(
      [
        "ad-qa@newham.example.org report",
        "cp-sm@newham.example.org report",
        "iro-sm@newham.example.org report",
        "dd@wf.example.org report",
        "qa-dhos@wf.example.org report",
        "tm-cic1@wf.example.org report_holder_list",
      ].sort(),
    );
    expect(new Set(reports().map((m) => m.key)).size).toBe(6);
  });

  it("carry Newham's figures: in the text, as CSV, and as a chart shown by Content-ID", () => {
    const [m] = to("ad-qa@newham.example.org") as [Received];
    expect(m.subject).toBe("OFFICIAL-SENSITIVE Dispute Resolution Alert Quarterly Dispute Resolution report to SLT, January to March 2027");
    expect(m.text).toMatch(/Dispute Resolution Process \(IRO\): 2 raised, 1 escalation, 1 resolved, 1 outstanding at the end\./);
    expect(m.text).toMatch(/Dispute Resolution Process \(CP Chair\): 1 raised/);
    const csv = m.attachments.find((x) => x.contentType.startsWith("text/csv"))!;
    expect(csv.filename).toBe("newham-quarterly_slt-2027-Q1.csv");
    const lines = csv.content.toString("utf8").split("\r\n");
    expect(lines).toContain("iro,summary,,,,,,raised,2");
    expect(lines).toContain("iro,cafcass_contact,2027-02,,,,,disputes,1");
    expect(lines).toContain("cp,summary,,,,,,raised,1");
    const charts = m.attachments.filter((x) => x.contentType === "image/png");
    expect(charts).toHaveLength(2); // IRO and CP Chair
    for (const c of charts) {
      expect(c.content.subarray(1, 4).toString("ascii")).toBe("PNG");
      expect(m.html).toContain(`src="cid:${c.cid}"`);
    }
    // the same figures as a table beside the chart, and the outstanding dispute by reference
    expect(m.html).toMatch(/<caption[^>]*>Disputes entering each stage, by month<\/caption>/);
    expect(m.html).toContain(refs.n2);
    expect(m.text + m.html).not.toContain(SECRET);
  });

  it("give WF's team manager their own list of the alerts they hold", () => {
    const [m] = to("tm-cic1@wf.example.org") as [Received];
    expect(m.subject).toMatch(/outstanding alerts you hold, March 2027/); // WF's word for a dispute
    expect(m.text).toContain(refs.w1);
    expect(m.text).toMatch(/overdue/);
    expect(m.attachments).toHaveLength(0);
  });

  it("are not sent again by another worker, nor for periods before the system ran", async () => {
    await s.startWorker({ concurrency: 4 });
    await new Promise((r) => setTimeout(r, 2500));
    expect(reports()).toHaveLength(6);
    // Birmingham's quarterly report: first seen in April, so the first it owes is for April to June
    expect(reports().some((m) => m.to.some((x) => x.endsWith("@birmingham.example.org")))).toBe(false);
  });

  it("name each chart by procedure and period, for WF's monthly report", () => {
    const [m] = to("dd@wf.example.org") as [Received];
    expect(
      m.attachments
        .filter((x) => x.contentType === "image/png")
        .map((x) => x.cid)
        .sort(),
    ).toEqual(["chart-cp-2027-03@drp-monitor", "chart-iro-2027-03@drp-monitor"]);
    expect(m.text).toMatch(/Monthly alerts report: March 2027/);
  });
});
