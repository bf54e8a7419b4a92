// Sample register emails for `drp preview`: a good-practice entry copied to
// each role its register names (WF §11.1: the QA DHoS), once as the chair
// recorded it and once as business support recorded it for them, with a dispute.
import { resolveRole } from "../domain/directory.ts";
import type { Authority } from "../domain/procedure/model.ts";
import { registerOf } from "../domain/register/config.ts";
import { goodPracticeNoticeView } from "./good-practice-notice.ts";
import { demoDirectory, type Sample } from "./samples.ts";

export function registerSamples(a: Authority): Sample[] {
  const register = registerOf(a, "good_practice");
  if (!register) return [];
  const dir = demoDirectory(a);
  const team = [...dir.teams.values()][0];
  const prefix = a.referencePrefix ?? a.id.slice(0, 3).toUpperCase();
  const chair = { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" };
  const entries = [
    { recordedBy: null, disputeReference: null, childRef: null, about: "team" as const },
    { recordedBy: { name: "Bea Support" }, disputeReference: `${prefix}-2027-0042`, childRef: "ECL-123456", about: "individual" as const },
  ];
  return register.copied.flatMap((role) =>
    entries.map((e, i) => {
      const held = resolveRole(dir, role, team?.id ?? "");
      const names = held.found ? held.people.map((p) => p.name) : ["(no one holds this role in the demo directory)"];
      const view = goodPracticeNoticeView(
        a,
        register,
        {
          ...e,
          reference: `${prefix}-GP-2027-00${11 + i}`,
          noticedOn: "2027-03-10",
          procedure: "iro",
          teamName: team?.name ?? "a team",
          noticedBy: chair,
        },
        { role, names },
      );
      return {
        authority: a.id,
        procedure: "iro",
        stage: i,
        kind: "good_practice_recorded" as const,
        audience: "copied" as const,
        view,
      };
    }),
  );
}
