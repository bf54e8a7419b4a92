// The review API on a real PostgreSQL: recording a review and its steps, the
// refusals, another authority's review, a dispute raised from a review, and
// the reviews in a report.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { type TestApp, testApp } from "../support/app.ts";

let t: TestApp;
const ivy = { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" };
const body = (over: Record<string, unknown> = {}) => ({
  procedure: "iro",
  childRef: "W-7",
  team: "cic-1",
  heldOn: "2027-03-23",
  chairedBy: ivy,
  at: "2027-03-23T15:00:00Z",
  ...over,
});

beforeAll(async () => {
  t = await testApp("2027-04-20T10:00:00Z");
});
afterAll(async () => t?.close());

describe("POST /reviews", () => {
  it("records a WF review: decisions due Thu 1 April 2027, then the team manager's answer; silence is agreement", async () => {
    const created = await t.call("wf", "POST", "/reviews", body());
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.reference).toMatch(/^WF-REV-2027-\d{4}$/);
    const d = (r: { body: { deadlines: { id: string }[] } }, id: string) =>
      r.body.deadlines.find((x) => x.id === id) as Record<string, unknown>;
    expect(d(created, "review_decisions")).toMatchObject({ dueBy: "2027-04-01", status: "overdue", who: { role: "chair" } });
    expect(d(created, "decisions_response")).toMatchObject({ dueBy: null, status: "not_started" });
    const sent = await t.call("wf", "POST", `/reviews/${created.body.id}/decisions-sent`, { at: "2027-03-30T09:00:00Z" });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(d(sent, "review_decisions")).toMatchObject({ status: "met" });
    // 5 working days from Tue 30 March: Wed 31, Thu 1, Fri 2, Mon 5, Tue 6 April
    expect(d(sent, "decisions_response")).toMatchObject({
      dueBy: "2027-04-06",
      status: "agreed_by_default",
      who: { role: "team_manager" },
    });
    expect(sent.body.planned.map((p: { kind: string }) => p.kind)).toContain("review_agreed");
    // a second sending, a rating WF does not use: refused with the reason
    const again = await t.call("wf", "POST", `/reviews/${created.body.id}/decisions-sent`, {});
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).toMatch(/already been recorded as sent/);
    expect((await t.call("wf", "POST", `/reviews/${created.body.id}/rating`, { rating: "red" })).status).toBe(409);
  });

  it("refuses a review held in the future, a procedure without review deadlines, an unknown team, a bad rating", async () => {
    expect((await t.call("wf", "POST", "/reviews", body({ heldOn: "2027-05-01" }))).status).toBe(400);
    const newham = await t.call("newham", "POST", "/reviews", body({ team: "cla-a" }));
    expect(newham.status).toBe(400);
    expect(JSON.stringify(newham.body)).toMatch(/sets no deadlines after a review/);
    expect((await t.call("wf", "POST", "/reviews", body({ team: "nowhere" }))).status).toBe(400);
    const g = await t.call("gloucestershire", "POST", "/reviews", body({ team: "stroud-cla", heldOn: "2027-04-19", at: undefined }));
    expect(g.status, JSON.stringify(g.body)).toBe(201);
    expect((await t.call("gloucestershire", "POST", `/reviews/${g.body.id}/rating`, { rating: "purple" })).status).toBe(400);
    const red = await t.call("gloucestershire", "POST", `/reviews/${g.body.id}/rating`, { rating: "red" });
    expect(red.body.deadlines.find((x: { id: string }) => x.id === "red_response")).toMatchObject({
      dueBy: "2027-05-19",
      status: "running",
    });
  });

  it("hides one authority's review from another", async () => {
    const created = await t.call("wf", "POST", "/reviews", body({ childRef: "W-8" }));
    expect((await t.call("newham", "GET", `/reviews/${created.body.id}`)).status).toBe(404);
    expect((await t.call("newham", "POST", `/reviews/${created.body.id}/close`, {})).status).toBe(404);
    expect((await t.call("wf", "GET", `/reviews/${created.body.id}`)).status).toBe(200);
  });

  it("links a dispute raised from the review, and shows the review's history on it", async () => {
    const review = await t.call("wf", "POST", "/reviews", body({ childRef: "W-9" }));
    const raise = (childRef: string) =>
      t.call("wf", "POST", "/disputes", {
        procedure: "iro",
        childRef,
        raisedBy: ivy,
        team: "cic-1",
        stage: 2,
        categories: ["other"],
        otherCategory: "Review decisions not implemented",
        summary: "x",
        reviewId: review.body.id,
      });
    expect((await raise("W-10")).status).toBe(400); // another child
    const d = await raise("W-9");
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    const shown = await t.call("wf", "GET", `/disputes/${d.body.id}`);
    expect(shown.body.review).toMatchObject({ reference: review.body.reference, heldOn: "2027-03-23", timeline: [{ type: "held" }] });
    expect((await t.call("wf", "GET", `/reviews/${review.body.id}`)).body.disputes.map((x: { id: string }) => x.id)).toEqual([d.body.id]);
  });

  it("counts the reviews in WF's March report", async () => {
    // a database of its own, holding just what it counts, rather than whatever the tests above left
    const own = await testApp("2027-04-20T10:00:00Z");
    onTestFinished(() => own.close());
    // three reviews held on 23 March (W-7, W-8, W-9); the decisions of W-7 sent in time, none answered;
    // a dispute raised from W-9, which must not count it twice
    const held: Record<string, string> = {};
    for (const childRef of ["W-7", "W-8", "W-9"]) {
      const created = await own.call("wf", "POST", "/reviews", body({ childRef }));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      held[childRef] = created.body.id;
    }
    const sent = await own.call("wf", "POST", `/reviews/${held["W-7"]}/decisions-sent`, { at: "2027-03-30T09:00:00Z" });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const raised = await own.call("wf", "POST", "/disputes", {
      procedure: "iro",
      childRef: "W-9",
      raisedBy: ivy,
      team: "cic-1",
      stage: 2,
      categories: ["other"],
      otherCategory: "Review decisions not implemented",
      summary: "x",
      reviewId: held["W-9"],
    });
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);

    const r = await own.call("wf", "GET", "/reports?period=2027-03&procedure=iro");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.procedures.iro.reviews).toMatchObject({ held: 3 });
    const april = await own.call("wf", "GET", "/reports?period=2027-04&procedure=iro");
    expect(april.body.procedures.iro.reviews.deadlines).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: "decisions_response", due: 1, agreedByDefault: 1 })]),
    );
  });
});
