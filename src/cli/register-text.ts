// The registers' parts of `drp report` in a terminal: SLT's Action Log (Newham
// §10), the good-practice register (WF §1.2, §11.1), and Appendix 1's closing
// "Comments and issues" heading, left for the service managers.
import type { Report } from "../domain/report/build.ts";
import { actionStanding, COMMENTS_HEADING, COMMENTS_TEXT } from "../reports/register-blocks.ts";
import { table } from "./output.ts";

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, " ");

export function registerText(r: Report): string[] {
  const out: string[] = [];
  const { sltActions: slt, goodPractice: gp } = r.registers;
  for (const section of r.report.sections) {
    if (section === "slt_actions" && slt)
      out.push(
        `${slt.name} (${slt.actions.length} open in the ${r.report.every} or closed in it; ${slt.open} carried forward)`,
        table(
          ["reference", "agreed", "due", "owner", "at the end", "action"],
          slt.actions.map((a) => [a.reference, a.agreedOn, a.dueOn ?? "—", a.owner, actionStanding(a), oneLine(a.action)]),
        ),
        "",
        "Progress recorded at later meetings",
        table(
          ["meeting", "reference", "progress"],
          slt.actions.flatMap((a) => a.progress.map((p) => [p.on, a.reference, oneLine(p.note)])),
        ),
        "",
      );
    if (section === "good_practice" && gp)
      out.push(
        `${gp.name}: ${gp.total} recorded (${gp.byProcedure.map((p) => `${p.name} ${p.count}`).join(", ")})`,
        table(
          ["team", "an individual", "the team", "total"],
          gp.byTeam.map((t) => [t.name, String(t.aboutAnIndividual), String(t.aboutTheTeam), String(t.count)]),
        ),
        "",
        table(
          ["noticed", "reference", "procedure", "team", "about", "case", "by", "what was noticed"],
          gp.list.map((e) => [
            e.noticedOn,
            e.reference,
            e.procedure,
            e.teamName,
            e.about,
            [e.disputeReference, e.childRef].filter(Boolean).join(", ") || "—",
            e.noticedBy,
            oneLine(e.description),
          ]),
        ),
        "",
      );
    if (section === "comments") out.push(COMMENTS_HEADING, COMMENTS_TEXT, "");
  }
  return out;
}
