// Who may see which dispute on the pages (issue 21 §2), on Birmingham's
// procedure: stage 1 the team manager, 2 the head of service, 3 the assistant
// director, 4 the director of practice.
import { describe, expect, it } from "vitest";
import { type DisputeAccess, maySeeDispute, maySeeReview, stagesHeldBy, viewerOf } from "../../src/domain/access.ts";
import { directoryFromFile } from "../../src/domain/directory.ts";
import { authority } from "../support/authorities.ts";

const a = authority("birmingham");
const dir = directoryFromFile({
  authority: "birmingham",
  people: [
    { id: "tm-north", name: "Tessa North", email: "Tessa.North@birmingham.example.org" },
    { id: "tm-south", name: "Tomas South", email: "tomas@birmingham.example.org" },
    { id: "hos", name: "Harun Service", email: "hos@birmingham.example.org" },
    { id: "ad", name: "Ada Director", email: "ad@birmingham.example.org" },
    { id: "qa", name: "Quinn Inbox", email: "qa@birmingham.example.org" },
    { id: "ivy", name: "Ivy Reviewer", email: "ivy@birmingham.example.org" },
    { id: "iris", name: "Iris Other", email: "iris@birmingham.example.org" },
    { id: "sw", name: "Sol Worker", email: "sol@birmingham.example.org" },
  ],
  services: [
    { id: "cla", name: "Children looked after", roles: { head_of_service: ["hos"] } },
    { id: "other", name: "Another service", roles: {} },
  ],
  teams: [
    { id: "north", name: "North", service: "cla", roles: { team_manager: ["tm-north"] } },
    { id: "south", name: "South", service: "cla", roles: { team_manager: ["tm-south"] } },
    { id: "east", name: "East", service: "other", roles: {} },
  ],
  roles: { qa_inbox: ["qa"], iro: ["ivy", "iris"], assistant_director: ["ad"] },
});

const dispute = (over: Partial<DisputeAccess> = {}): DisputeAccess => ({
  authorityId: "birmingham",
  procedure: "iro",
  teamId: "north",
  casePeople: {},
  raisedByEmail: "ivy@birmingham.example.org",
  stagesEntered: [1],
  ...over,
});

const who = (email: string) => {
  const v = viewerOf(a, dir, email);
  if (!v) throw new Error(`${email} is not in the directory`);
  return v;
};

describe("who may see a dispute", () => {
  it("knows a person by their address, whatever its case, and nobody the directory does not hold", () => {
    expect(who("TESSA.north@birmingham.example.org")).toMatchObject({ name: "Tessa North", qa: false, chair: false });
    expect(viewerOf(a, dir, "stranger@birmingham.example.org")).toBeUndefined();
    expect(who("ivy@birmingham.example.org")).toMatchObject({ chair: true, qa: false });
    expect(who("qa@birmingham.example.org")).toMatchObject({ qa: true });
  });

  it("shows QA every dispute of their authority, and no other authority's", () => {
    const qa = who("qa@birmingham.example.org");
    expect(maySeeDispute(qa, a, dir, dispute({ teamId: "east", raisedByEmail: "someone@else.example" }))).toBe(true);
    expect(maySeeDispute(qa, a, dir, dispute({ authorityId: "newham" }))).toBe(false);
  });

  it("shows an IRO the disputes they raised, not a colleague's", () => {
    expect(maySeeDispute(who("ivy@birmingham.example.org"), a, dir, dispute())).toBe(true);
    expect(maySeeDispute(who("iris@birmingham.example.org"), a, dir, dispute())).toBe(false);
  });

  it("shows a team manager their team's disputes, and not another team's", () => {
    expect(maySeeDispute(who("tessa.north@birmingham.example.org"), a, dir, dispute())).toBe(true);
    expect(maySeeDispute(who("tomas@birmingham.example.org"), a, dir, dispute())).toBe(false);
  });

  it("shows a head of service the teams of their service; an assistant director only what they hold or held", () => {
    const hos = who("hos@birmingham.example.org");
    expect(maySeeDispute(hos, a, dir, dispute({ teamId: "south" }))).toBe(true);
    expect(maySeeDispute(hos, a, dir, dispute({ teamId: "east" }))).toBe(false);
    const ad = who("ad@birmingham.example.org");
    expect(maySeeDispute(ad, a, dir, dispute({ stagesEntered: [1, 2] }))).toBe(false);
    // stage 3 is the assistant director's: held now, or held before it went on to stage 4
    expect(maySeeDispute(ad, a, dir, dispute({ stagesEntered: [1, 2, 3] }))).toBe(true);
    expect(maySeeDispute(ad, a, dir, dispute({ stagesEntered: [1, 3, 4] }))).toBe(true);
    expect(stagesHeldBy(a.procedures.iro!, ad.roles)).toEqual([3]);
  });

  it("does not show a social worker or a chair held for a team every dispute of the team", () => {
    const withWorker = directoryFromFile({
      authority: "birmingham",
      people: [{ id: "sw", name: "Sol Worker", email: "sol@birmingham.example.org" }],
      services: [{ id: "cla", name: "CLA", roles: {} }],
      teams: [{ id: "north", name: "North", service: "cla", roles: { social_worker: ["sw"] } }],
      roles: {},
    });
    const sol = viewerOf(a, withWorker, "sol@birmingham.example.org")!;
    expect(sol.teams.size).toBe(0);
    expect(maySeeDispute(sol, a, withWorker, dispute())).toBe(false);
    expect(maySeeDispute(sol, a, withWorker, dispute({ casePeople: { social_worker: "sw" } }))).toBe(true);
  });

  it("shows the people named on the child's case their child's dispute", () => {
    const sol = who("sol@birmingham.example.org");
    expect(maySeeDispute(sol, a, dir, dispute({ teamId: "east" }))).toBe(false);
    expect(maySeeDispute(sol, a, dir, dispute({ teamId: "east", casePeople: { social_worker: "sw" } }))).toBe(true);
  });
});

describe("who may see a review", () => {
  it("is QA, its chair and its team's managers", () => {
    const r = { authorityId: "birmingham", teamId: "north", chairEmail: "iris@birmingham.example.org", casePeople: {} };
    expect(maySeeReview(who("qa@birmingham.example.org"), r)).toBe(true);
    expect(maySeeReview(who("iris@birmingham.example.org"), r)).toBe(true);
    expect(maySeeReview(who("ivy@birmingham.example.org"), r)).toBe(false);
    expect(maySeeReview(who("tessa.north@birmingham.example.org"), r)).toBe(true);
    expect(maySeeReview(who("tomas@birmingham.example.org"), r)).toBe(false);
    expect(maySeeReview(who("qa@birmingham.example.org"), { ...r, authorityId: "wf" })).toBe(false);
  });
});

describe("the directory's gaps", () => {
  it("name each role a procedure sends to that nobody holds for a team, and where the procedure uses it", async () => {
    const { directoryGaps } = await import("../../src/domain/gaps.ts");
    const gaps = directoryGaps(a, dir);
    // East has no team manager, and its service no head of service: stage 1's and stage 2's recipients
    const east = gaps.filter((g) => g.teamId === "east").map((g) => g.role);
    expect(east).toContain("team_manager");
    expect(east).toContain("head_of_service");
    expect(gaps.find((g) => g.teamId === "east" && g.role === "team_manager")?.usedBy.join("; ")).toMatch(/stage 1 \(asked to respond\)/);
    // North's are held (the team manager on the team, the head of service on its service, the assistant director authority-wide)
    const north = gaps.filter((g) => g.teamId === "north").map((g) => g.role);
    expect(north).not.toContain("team_manager");
    expect(north).not.toContain("head_of_service");
    expect(north).not.toContain("assistant_director");
    expect(north).toContain("director_of_practice"); // stage 4's: nobody holds it in this directory
  });
});
