// The registers' parts of a report email, after the procedures' figures: SLT's
// Action Log (Newham §10), the good-practice register (WF §1.2, §11.1), and
// Appendix 1's closing "Comments and issues" heading, left for the service
// managers. Free text (an action, a note, a description) goes in as text: the
// renderer escapes every value.
import type { IsoDate } from "../domain/calendar/dates.ts";
import { shortDate } from "../domain/calendar/dates.ts";
import type { GoodPracticeSection } from "../domain/register/good-practice.ts";
import type { SltActionsSection } from "../domain/register/slt-actions.ts";
import type { Report } from "../domain/report/build.ts";
import type { EmailBlock, EmailTable } from "../mail/model.ts";

/** Appendix 1's last heading, in its own words. */
export const COMMENTS_HEADING = "Comments and issues in relation to the Dispute Resolution Process";
export const COMMENTS_TEXT = "Left blank for the service managers to add their comments and issues before the report is presented.";

const day = (d: string) => shortDate(d as IsoDate);
/** a date kept on one line in a cell that may wrap */
const whole = (s: string) => s.replaceAll(" ", "\u00a0");
const count = (k: number, one: string, many = `${one}s`) => `${k.toLocaleString("en-GB")} ${k === 1 ? one : many}`;

function table(caption: string, head: string[], rows: string[][], numeric: number[] = [], codes: number[] = []): EmailTable {
  return { caption, head, rows, numeric: head.map((_, i) => numeric.includes(i)), codes: head.map((_, i) => codes.includes(i)) };
}

/** How an action stood at the period's end: carried forward to the next meeting, or closed, and when. */
export function actionStanding(a: SltActionsSection["actions"][number]): string {
  if (a.carriedForward) return a.overdue ? "Carried forward, overdue" : "Carried forward";
  return `${a.status === "done" ? "Done" : "Dropped"} ${whole(day(a.closedOn!))}`;
}

function sltBlocks(s: SltActionsSection, every: string): EmailBlock[] {
  const blocks: EmailBlock[] = [{ heading: s.name }];
  if (!s.actions.length) return [...blocks, { paragraph: `No action agreed at SLT was open in the ${every}.` }];
  const n = s.actions.length;
  const carried = s.open === 1 ? "1 is carried forward" : `${s.open} are carried forward`;
  blocks.push({
    paragraph: `${count(n, "action")} agreed at SLT ${n === 1 ? "was" : "were"} open during the ${every} (${s.agreed} agreed in it). At its end, ${s.done} ${s.done === 1 ? "was" : "were"} done, ${s.dropped} dropped, and ${carried} to the next meeting.`,
  });
  blocks.push({
    table: table(
      `Actions agreed at SLT, as they stood at the end of the ${every}`,
      ["Reference", "Action", "Owner", "Agreed and due", "At the end"],
      s.actions.map((a) => [
        a.reference,
        a.action,
        a.owner,
        `${whole(day(a.agreedOn))}, ${a.dueOn ? whole(`due ${day(a.dueOn)}`) : "no due date"}`,
        actionStanding(a),
      ]),
      [],
      [0], // a reference broken at a hyphen misreads
    ),
  });
  const progress = s.actions.flatMap((a) => a.progress.map((p) => [day(p.on), a.reference, p.note]));
  if (progress.length)
    blocks.push({ table: table("Progress recorded at later meetings", ["Meeting", "Action", "Progress"], progress, [], [0, 1]) });
  return blocks;
}

function goodPracticeBlocks(s: GoodPracticeSection, period: string): EmailBlock[] {
  const blocks: EmailBlock[] = [{ heading: s.name }];
  if (!s.total) return [...blocks, { paragraph: `No good practice was recorded in ${period}.` }];
  blocks.push({ paragraph: `${count(s.total, "example")} of good practice recorded in ${period}, by individuals or teams.` });
  blocks.push({
    table: table(
      "Good practice by procedure",
      ["Procedure", "Number"],
      s.byProcedure.map((p) => [p.name, String(p.count)]),
      [1],
    ),
  });
  const total = (k: "aboutAnIndividual" | "aboutTheTeam" | "count") => String(s.byTeam.reduce((t, x) => t + x[k], 0));
  blocks.push({
    table: table(
      "Good practice by team",
      ["Team", "An individual", "The team", "Total"],
      [
        ...s.byTeam.map((t) => [t.name, String(t.aboutAnIndividual), String(t.aboutTheTeam), String(t.count)]),
        ["Total", total("aboutAnIndividual"), total("aboutTheTeam"), total("count")],
      ],
      [1, 2, 3],
    ),
  });
  // the description has the room: who noticed it goes after it, and one reference (the dispute's, else the case's), unwrapped
  const linked = s.list.some((e) => e.disputeReference || e.childRef);
  blocks.push({
    table: table(
      "Good practice recorded",
      ["Noticed", "Team", ...(linked ? ["Case"] : []), "What was noticed"],
      s.list.map((e) => [
        day(e.noticedOn),
        `${e.teamName}: ${e.about === "individual" ? "an individual" : "the team"}`,
        ...(linked ? [e.disputeReference ?? e.childRef ?? "—"] : []),
        `${e.description} (${e.noticedBy})`,
      ]),
      [],
      linked ? [0, 2] : [0],
    ),
  });
  return blocks;
}

/** The register sections and the comments heading, in the order the report file lists them. */
export function registerBlocks(r: Report): EmailBlock[] {
  const out: EmailBlock[] = [];
  for (const section of r.report.sections) {
    if (section === "slt_actions" && r.registers.sltActions) out.push(...sltBlocks(r.registers.sltActions, r.report.every));
    if (section === "good_practice" && r.registers.goodPractice) out.push(...goodPracticeBlocks(r.registers.goodPractice, r.period.name));
    if (section === "comments") out.push({ heading: COMMENTS_HEADING }, { paragraph: COMMENTS_TEXT });
  }
  return out;
}
