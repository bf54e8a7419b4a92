// drp reviews on a real PostgreSQL: the same service layer as POST /reviews.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../src/db/client.ts";
import { drp } from "../support/cli.ts";
import { freshDatabase } from "../support/db.ts";

let h: DbHandle & { url: string };
const dir = mkdtempSync(join(tmpdir(), "drp-reviews-cli-"));

type Deadline = { id: string; status: string; dueBy: string | null; metAt: string | null };
const deadline = (v: { deadlines: Deadline[] }, id: string) => v.deadlines.find((d) => d.id === id);

const chair = ["--chair-name", "Ivy Reviewer", "--chair-email", "ivy@example.org"];

beforeAll(async () => {
  h = await freshDatabase();
  process.env.DATABASE_URL = h.url;
  expect((await drp("directory", "import", "demo/directories/wf.yaml")).code).toBe(0);
  expect((await drp("directory", "import", "demo/directories/gloucestershire.yaml")).code).toBe(0);
});
afterAll(async () => {
  delete process.env.DATABASE_URL;
  delete process.env.DRP_NOW;
  await h?.close();
});

describe("drp reviews (WF: review decisions across Easter)", () => {
  it("creates a review, sends its decisions, records the response and closes it", async () => {
    process.env.DRP_NOW = "2027-03-24T10:00:00Z";
    const created = await drp(
      "reviews",
      "create",
      "--authority",
      "wf",
      "--procedure",
      "iro",
      "--child-ref",
      "LCS-1001",
      "--team",
      "cic-1",
      "--held-on",
      "2027-03-23",
      ...chair,
      "--at",
      "2027-03-23T16:00:00Z",
      "--json",
    );
    expect(created.code, created.err).toBe(0);
    const v = created.json();
    expect(v).toMatchObject({ reference: expect.stringMatching(/-2027-0001$/), heldOn: "2027-03-23", status: "open", version: 1 });
    // 5 working days, across Good Friday (26 March) and Easter Monday (29 March)
    expect(deadline(v, "review_decisions")).toMatchObject({ status: "running", dueBy: "2027-04-01" });
    expect(deadline(v, "decisions_response")).toMatchObject({ status: "not_started", dueBy: null });
    const id = v.id as string;

    const sent = await drp(
      "reviews",
      "decisions-sent",
      id,
      "--authority",
      "wf",
      "--at",
      "2027-03-24T09:00:00Z",
      "--version",
      "1",
      "--json",
    );
    expect(sent.code, sent.err).toBe(0);
    const s = sent.json();
    expect(s.version).toBe(2);
    expect(deadline(s, "review_decisions")).toMatchObject({ status: "met", metAt: "2027-03-24T09:00:00.000Z" });
    // 5 working days from 24 March: 25, 30, 31 March, 1 and 2 April
    expect(deadline(s, "decisions_response")).toMatchObject({ status: "running", dueBy: "2027-04-02" });

    // a stale --version is refused: exit 1 with the reason
    const stale = await drp("reviews", "respond", id, "--authority", "wf", "--at", "2027-03-24T09:30:00Z", "--version", "1");
    expect(stale.code).toBe(1);
    expect(stale.err).toMatch(/now version 2/);

    // a second decisions-sent is refused
    const again = await drp("reviews", "decisions-sent", id, "--authority", "wf", "--at", "2027-03-24T09:15:00Z", "--json");
    expect(again.code).toBe(1);
    expect(again.json()).toMatchObject({ error: "already_sent" });

    // the human summary
    const responded = await drp("reviews", "respond", id, "--authority", "wf", "--at", "2027-03-24T09:30:00Z");
    expect(responded.code, responded.err).toBe(0);
    expect(responded.out).toContain(`${v.reference} (${id}): open, held 2027-03-23; rating —`);
    expect(responded.out).toContain("Review decisions: met, due 2027-04-01");
    expect(responded.out).toContain("Response to the review decisions: met, due 2027-04-02");

    const closed = await drp("reviews", "close", id, "--authority", "wf", "--at", "2027-03-24T09:45:00Z", "--json");
    expect(closed.code, closed.err).toBe(0);
    expect(closed.json()).toMatchObject({ status: "closed", version: 4 });
    const afterClose = await drp("reviews", "respond", id, "--authority", "wf", "--at", "2027-03-24T09:50:00Z");
    expect(afterClose.code).toBe(1);
    expect(afterClose.err).toMatch(/closed/);

    const shown = await drp("reviews", "show", id, "--authority", "wf", "--json");
    expect(shown.code, shown.err).toBe(0);
    expect(shown.json().timeline.map((e: { type: string }) => e.type)).toEqual(["held", "decisions_sent", "response_recorded", "closed"]);
  });

  it("takes the JSON body of POST /reviews with --input", async () => {
    process.env.DRP_NOW = "2027-03-24T10:00:00Z";
    const file = join(dir, "review.json");
    writeFileSync(
      file,
      JSON.stringify({
        procedure: "iro",
        childRef: "LCS-1002",
        familyRef: "FAM-77",
        team: "cic-1",
        heldOn: "2027-03-23",
        chairedBy: { name: "Ivy Reviewer", email: "ivy@example.org", role: "iro" },
      }),
    );
    // WF numbers its reviews in one run a year, whichever test recorded them: record one with flags
    // just before, and the review from the file must take the number after it
    const before = await drp(
      "reviews",
      "create",
      "--authority",
      "wf",
      "--procedure",
      "iro",
      "--child-ref",
      "LCS-1003",
      "--team",
      "cic-1",
      "--held-on",
      "2027-03-23",
      ...chair,
      "--json",
    );
    expect(before.code, before.err).toBe(0);
    const last = /^(.*-2027-)(\d{4})$/.exec(before.json().reference);
    expect(last, before.out).not.toBeNull();
    const next = `${last![1]}${String(Number(last![2]) + 1).padStart(4, "0")}`;
    const r = await drp("reviews", "create", "--authority", "wf", "--input", file);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(new RegExp(`^${next} \\([0-9a-f-]{36}\\): open, held 2027-03-23; rating —`, "m"));
    expect(r.out).toContain("Review decisions: running, due 2027-04-01");
    expect(r.out).toContain("Response to the review decisions: not_started\n");
  });
});

describe("drp reviews (Gloucestershire: audit and RAG rating)", () => {
  const create = (...more: string[]) =>
    drp(
      "reviews",
      "create",
      "--authority",
      "gloucestershire",
      "--procedure",
      "iro",
      "--child-ref",
      "GL-2001",
      "--team",
      "stroud-cla",
      ...chair,
      ...more,
    );

  it("rates a review red, which starts the team manager's response", async () => {
    process.env.DRP_NOW = "2026-12-23T10:00:00Z";
    const created = await create("--held-on", "2026-12-22", "--at", "2026-12-22T15:00:00Z", "--json");
    expect(created.code, created.err).toBe(0);
    const v = created.json();
    expect(deadline(v, "post_review_audit")).toMatchObject({ status: "running", dueBy: "2026-12-29" });
    // before the rating, no date (its status then reads not_applicable: see the report)
    expect(deadline(v, "red_response")).toMatchObject({ dueBy: null });
    const id = v.id as string;

    const rated = await drp(
      "reviews",
      "rate",
      id,
      "--authority",
      "gloucestershire",
      "--rating",
      "red",
      "--at",
      "2026-12-23T09:00:00Z",
      "--json",
    );
    expect(rated.code, rated.err).toBe(0);
    const r = rated.json();
    expect(r.rating).toBe("red");
    expect(deadline(r, "post_review_audit")).toMatchObject({ status: "met" });
    // one month after the review (22 January 2027)
    expect(deadline(r, "red_response")).toMatchObject({ status: "running", dueBy: "2027-01-22" });

    const text = await drp("reviews", "show", id, "--authority", "gloucestershire");
    expect(text.code, text.err).toBe(0);
    expect(text.out).toContain("open, held 2026-12-22; rating red");
    expect(text.out).toContain("Post-review audit: met, due 2026-12-29");
    expect(text.out).toContain("Response to a Red rating: running, due 2027-01-22");

    // no decisions are sent under this procedure: refused, exit 1 with the reason
    const decisions = await drp(
      "reviews",
      "decisions-sent",
      id,
      "--authority",
      "gloucestershire",
      "--at",
      "2026-12-23T09:30:00Z",
      "--json",
    );
    expect(decisions.code).toBe(1);
    expect(decisions.json()).toMatchObject({ error: "no_decisions" });
    expect(decisions.err).toMatch(/no review decisions/);

    // another authority does not find it
    const elsewhere = await drp("reviews", "show", id, "--authority", "wf", "--json");
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.err).toMatch(/no such review/);
    const stepElsewhere = await drp("reviews", "close", id, "--authority", "wf", "--at", "2026-12-23T09:40:00Z");
    expect(stepElsewhere.code).toBe(1);
    expect(stepElsewhere.err).toMatch(/no such review/);
  });

  it("refuses bad input with exit 2, naming the field", async () => {
    process.env.DRP_NOW = "2026-12-23T10:00:00Z";
    const { id } = (await create("--held-on", "2026-12-22", "--at", "2026-12-22T15:00:00Z", "--json")).json();

    const purple = await drp("reviews", "rate", id, "--authority", "gloucestershire", "--rating", "purple", "--at", "2026-12-23T09:00:00Z");
    expect(purple.code).toBe(2);
    expect(purple.err).toMatch(/rating:/);
    const noRating = await drp("reviews", "rate", id, "--authority", "gloucestershire", "--at", "2026-12-23T09:00:00Z");
    expect(noRating.code).toBe(2);
    expect(noRating.err).toMatch(/rating:/);
    const badVersion = await drp("reviews", "close", id, "--authority", "gloucestershire", "--version", "two");
    expect(badVersion.code).toBe(2);
    expect(badVersion.err).toMatch(/version:/);

    const future = await create("--held-on", "2026-12-24", "--json");
    expect(future.code).toBe(2);
    expect(future.json()).toMatchObject({ error: "bad_input" });
    expect(future.err).toMatch(/heldOn:.*future/);
    const badDate = await create("--held-on", "22/12/2026");
    expect(badDate.code).toBe(2);
    expect(badDate.err).toMatch(/heldOn:/);
    const badTeam = await create("--held-on", "2026-12-22", "--team", "nowhere");
    expect(badTeam.code).toBe(2);
    expect(badTeam.err).toMatch(/team:/);
    const noChild = await drp(
      "reviews",
      "create",
      "--authority",
      "gloucestershire",
      "--team",
      "stroud-cla",
      "--held-on",
      "2026-12-22",
      ...chair,
    );
    expect(noChild.code).toBe(2);
    expect(noChild.err).toMatch(/childRef:/);

    // a step dated before the review's last is refused, exit 1
    const early = await drp("reviews", "rate", id, "--authority", "gloucestershire", "--rating", "green", "--at", "2026-12-22T14:00:00Z");
    expect(early.code).toBe(1);
    expect(early.err).toMatch(/before the review's previous step/);
  });
});
