// People named on the child's case (Gloucestershire ¶3–4): they are reached
// ahead of whoever holds the role for the team, and only if the directory has them.
import { describe, expect, it } from "vitest";
import { casePeopleIssues, resolveRole } from "../../src/domain/directory.ts";
import { addressNotification } from "../../src/mail/addressing.ts";
import { demoDirectory } from "../../src/mail/samples.ts";
import { ctx } from "../support/dispute.ts";

describe("people named on the child's case", () => {
  const { authority: a } = ctx("birmingham");
  const dir = demoDirectory(a);
  const team = [...dir.teams.values()][0]!;
  const teamsOwn = resolveRole(dir, "social_worker", team.id);
  const other = [...dir.people.values()].find((p) => teamsOwn.found && !teamsOwn.people.some((q) => q.id === p.id))!;

  it("reach the person named ahead of the team's, and fall back to the team's where none is named or they have left", () => {
    expect(teamsOwn.found).toBe(true);
    expect(resolveRole(dir, "social_worker", team.id, { social_worker: other.id })).toEqual({
      found: true,
      people: [other],
      heldAt: "case",
    });
    expect(resolveRole(dir, "social_worker", team.id, { social_worker_line_manager: other.id })).toEqual(teamsOwn);
    expect(resolveRole(dir, "social_worker", team.id, { social_worker: "left-the-authority" })).toEqual(teamsOwn);
  });

  it("are invited to Birmingham's stage one meeting as the child's social worker (§3.8)", () => {
    const party = { teamId: team.id, raisedByName: "Ivy Reviewer", raisedByEmail: "ivy@example.org", raisedByRole: "iro" };
    const named = addressNotification(a, dir, { ...party, casePeople: { social_worker: other.id } }, [], "qa_inbox", ["social_worker"]);
    expect(named.invitees).toEqual([expect.stringContaining(other.name)]);
    const byTeam = addressNotification(a, dir, party, [], "qa_inbox", ["social_worker"]);
    expect(byTeam.invitees).not.toEqual(named.invitees);
  });

  it("must be people of the directory, in roles the authority has", () => {
    expect(casePeopleIssues(a, dir, { social_worker: other.id })).toEqual([]);
    expect(casePeopleIssues(a, dir, { social_worker: "nobody", wizard: other.id })).toEqual([
      { field: "casePeople.social_worker", message: `no person "nobody" in ${a.name}'s directory` },
      { field: "casePeople.wizard", message: `"wizard" is not a role of ${a.name}` },
    ]);
  });
});
